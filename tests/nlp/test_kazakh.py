"""Kazakh tokenizer, stemmer and NER on real Kazakh words and news-style sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp.kazakh import KazakhNER, split_sentences, stem, tokenize
from pipeline.nlp.kazakh import train as kk_train
from pipeline.nlp.kazakh.ner import MODEL_PATH

KAZNERD_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "ner_kk_dev.jsonl"


@pytest.fixture(scope="module")
def ner() -> KazakhNER:
    return KazakhNER.load()


# ---------------------------------------------------------------- tokenizer

TOKEN_CASES = [
    (
        "Қасым-Жомарт Тоқаев Анкарада болды.",
        ["Қасым-Жомарт", "Тоқаев", "Анкарада", "болды"],
    ),
    (
        "«ҰҚШҰ-ға» 2023 жылы 1,5 млрд теңге бөлінді",
        ["ҰҚШҰ-ға", "2023", "жылы", "1,5", "млрд", "теңге", "бөлінді"],
    ),
    ("O'zbekiston мен Bayraktar TB2 дроны", ["O'zbekiston", "мен", "Bayraktar", "TB2", "дроны"]),
    (
        "Премьер-министрі — әскери-техникалық ынтымақтастық",
        ["Премьер-министрі", "әскери-техникалық", "ынтымақтастық"],
    ),
    # decomposed й (и + U+0306) stays inside one token
    ("Ресе\u0438\u0306мен кездесу", ["Ресе\u0438\u0306мен", "кездесу"]),
]


@pytest.mark.parametrize(("text", "expected"), TOKEN_CASES)
def test_tokenize_words_and_offsets(text: str, expected: list[str]) -> None:
    tokens = tokenize(text)
    assert [t.text for t in tokens] == expected
    for t in tokens:
        assert text[t.start : t.end] == t.text
        assert t.lemma == t.lemma.lower()


def test_token_lemma_is_stem() -> None:
    tokens = tokenize("Түркиямен және Ұлыбританияның")
    assert [t.lemma for t in tokens] == ["түркия", "және", "ұлыбритания"]
    assert tokenize("Ресе\u0438\u0306мен")[0].lemma == "ресей"


def test_split_sentences() -> None:
    text = "Қ. Тоқаев 2023 ж. Анкарада болды. Ол «Түркиямен» келісім жасады!\n\nЖаңа абзац"
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "Қ. Тоқаев 2023 ж. Анкарада болды.",
        "Ол «Түркиямен» келісім жасады!",
        "Жаңа абзац",
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text


# ---------------------------------------------------------------- stemmer

STEM_CASES = [
    ("Түркиямен", "түркия"),
    ("Ұлыбританияның", "ұлыбритания"),
    ("қорғанысы", "қорғаныс"),
    ("Қазақстанның", "қазақстан"),
    ("Қазақстан", "қазақстан"),
    ("Қазақстаннан", "қазақстан"),
    ("Қазақстандағы", "қазақстан"),
    ("әскери", "әскери"),
    ("ынтымақтастық", "ынтымақтастық"),
    ("ынтымақтастығы", "ынтымақтастық"),
    ("келісімге", "келісім"),
    ("келісімін", "келісім"),
    ("жаттығуларға", "жаттығу"),
    ("жаттығу", "жаттығу"),
    ("Астана", "астана"),
    ("Астанада", "астана"),
    ("Алматыда", "алматы"),
    ("министрлігінің", "министрлік"),
    ("Ресеймен", "ресей"),
    ("Қытаймен", "қытай"),
    ("Бейжіңде", "бейжің"),
    ("Мәскеуде", "мәскеу"),
    ("Анкарада", "анкара"),
    ("Тоқаевтың", "тоқаев"),
    ("Ердоғанмен", "ердоған"),
    ("Назарбаевқа", "назарбаев"),
    ("еліміздің", "ел"),
    ("елдердің", "ел"),
    ("әскерлері", "әскер"),
    ("армиясының", "армия"),
    ("өндірісін", "өндіріс"),
    ("дрондарды", "дрон"),
    ("ұшақтар", "ұшақ"),
    ("НАТО-ның", "нато"),
    ("ҰҚШҰ-ға", "ұқшұ"),
    ("АҚШ-пен", "ақш"),
    ("Премьер-министрі", "премьер-министр"),
    ("Қасым-Жомарт", "қасым-жомарт"),
    ("Президентпен", "президент"),
    ("жоспарына", "жоспар"),
    ("офицерлеріміз", "офицер"),
    ("облысының", "облыс"),
    ("Еуроодаққа", "еуроодақ"),
    ("бітімгершілік", "бітімгершілік"),
    ("Германияға", "германия"),
    ("Парижге", "париж"),
    ("олар", "олар"),
    ("Bayraktar", "bayraktar"),
    ("2023", "2023"),
]


@pytest.mark.parametrize(("word", "expected"), STEM_CASES)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stem_is_idempotent_on_stems() -> None:
    for _, expected in STEM_CASES:
        assert stem(expected) == expected


# ---------------------------------------------------------------- NER

NER_CASES = [
    (
        "Қасым-Жомарт Тоқаев Анкарада Түркия Президенті Реджеп Тайып Ердоғанмен кездесті.",
        [("Қасым-Жомарт Тоқаев", "PER"), ("Анкарада", "LOC"), ("Реджеп Тайып Ердоғанмен", "PER")],
    ),
    (
        "Қазақстан Қорғаныс министрлігі Ұлыбританиямен әскери ынтымақтастық жоспарына қол қойды.",
        [("Ұлыбританиямен", "LOC")],
    ),
    (
        "Ресей Қорғаныс министрі Сергей Шойгу Мәскеуде қазақстандық әріптесімен кездесті.",
        [("Сергей Шойгу", "PER"), ("Мәскеуде", "LOC")],
    ),
    (
        "Біріккен Ұлттар Ұйымының бітімгершілік миссиясына Қазақстан әскерилері қатысады.",
        [("Біріккен Ұлттар Ұйымының", "ORG")],
    ),
    (
        "Бейжіңде Қытай мен Қазақстан арасындағы әскери-техникалық ынтымақтастық талқыланды.",
        [("Бейжіңде", "LOC"), ("Қытай", "LOC")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NER_CASES)
def test_ner_finds_entities(ner: KazakhNER, text: str, expected: list[tuple[str, str]]) -> None:
    found = {(s.text, s.type) for s in ner.tag(text)}
    for item in expected:
        assert item in found, f"{item} not in {found}"


def test_ner_offsets_in_multi_sentence_text(ner: KazakhNER) -> None:
    text = (
        "Астанада ҰҚШҰ елдерінің қорғаныс министрлері жиналды. "
        "Кездесуді Қазақстан Қорғаныс министрі Руслан Жақсылықов ашты.\n\n"
        "Келесі жаттығу Қырғызстанда өтеді."
    )
    spans = ner.tag(text)
    for s in spans:
        assert text[s.start : s.end] == s.text
        assert s.type in ("PER", "LOC", "ORG")
    found = {(s.text, s.type) for s in spans}
    assert ("Руслан Жақсылықов", "PER") in found
    assert ("Қырғызстанда", "LOC") in found
    # the same tokens passed in give the same spans
    assert ner.tag(text, tokenize(text)) == spans


def test_ner_no_entities_in_plain_sentence(ner: KazakhNER) -> None:
    assert ner.tag("Бүгін күн жылы болады деп күтілуде.") == []
    assert ner.tag("") == []


# ---------------------------------------------------------------- quality floors


def _holdout_examples() -> list[kk_train.Example]:
    if not KAZNERD_DEV.exists():
        pytest.skip(f"{KAZNERD_DEV} not present")
    return [ex for ex in kk_train.read_examples(KAZNERD_DEV) if kk_train.in_holdout(ex.id, 0.2)]


def test_shipped_model_floor_on_fixed_subset() -> None:
    # The shipped model was trained on all of ner_kk_dev, so this is a regression guard
    # (train-on-dev), not a generalisation figure: measured 1.00 when shipped.
    held = _holdout_examples()
    res = kk_train.token_f1(held, kk_train.predict(MODEL_PATH, held))
    assert res["f1"] >= 0.97, res


@pytest.mark.slow
def test_retrained_model_generalises(tmp_path: Path) -> None:
    # The honest figure: train on the 80 % of ner_kk_dev outside the hash hold-out and score
    # the 20 % it never saw, with the shipped features and settings (measured 0.828).
    held = _holdout_examples()
    rest = [ex for ex in kk_train.read_examples(KAZNERD_DEV) if not kk_train.in_holdout(ex.id, 0.2)]
    model = tmp_path / "m.crf"
    kk_train.train(rest, model)
    res = kk_train.token_f1(held, kk_train.predict(model, held))
    assert res["f1"] >= 0.80, res
    assert min(res["f1_PER"], res["f1_LOC"]) >= 0.78, res


def test_scorer_equivalent_token_f1() -> None:
    # token_f1 must count like shared/eval/score.py: one \w+ token per scored position
    row = {
        "id": "x",
        "text": "Қасым-Жомарт Тоқаев Анкарада",
        "labels": [
            {"start": 0, "end": 19, "label": "PERSON", "text": "Қасым-Жомарт Тоқаев"},
            {"start": 20, "end": 28, "label": "GPE", "text": "Анкарада"},
        ],
    }
    ex = kk_train.Example(row["id"], row["text"], tokenize(row["text"]), [], row["labels"])
    pred = {"x": [{"start": 0, "end": 12, "type": "PER"}, {"start": 20, "end": 28, "type": "ORG"}]}
    res = kk_train.token_f1([ex], pred)
    # PER: 2 true tokens (Қасым, Жомарт), 1 missed (Тоқаев); LOC missed; ORG false positive
    assert res["f1_PER"] == pytest.approx(0.8)
    assert res["f1_LOC"] == 0.0
    assert res["f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 2))
