"""Tone: sentence direction (Russian, Kazakh), seed-document alarm ordering, evidence, and a
held-out floor for target tone on RuSentNE-2023 (MIT) rows the fold-0 model never saw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.nlp import lexicon, tone
from pipeline.nlp import target_tone as tt

SHARED = Path(__file__).resolve().parents[3] / "shared"
TEST_DATA = Path(__file__).resolve().parent / "data"  # the test-only fold-0 model
SEEDS = SHARED / "seeds"
ENTITY_TONE = SHARED / "data" / "entity_tone_dev.jsonl"

# Kazakh sentences are from KazNERD (CC BY 4.0); Russian ones are news-style sentences.
SENTENCES = [
    ("ru", "Казахстан и Великобритания подписали соглашение о военном сотрудничестве, "
           "стороны высоко оценили плодотворное партнёрство.", "+"),
    ("ru", "Министры обсудили укрепление дружбы и взаимовыгодного сотрудничества.", "+"),
    ("ru", "Это серьёзная угроза для безопасности региона и тревожный сигнал для Москвы.", "-"),
    ("ru", "Москва осудила провокации и обвинила Лондон во вмешательстве во внутренние дела.",
     "-"),
    ("ru", "Военная база НАТО у границ России ведёт к дестабилизации и эскалации.", "-"),
    ("kk", "Бұдан кейін де арада болатын ынтымақтастық елдің тұрақты дамуына тікелей "
           "байланысты.", "+"),
    ("kk", "Мен француз компанияларының Қазақстанның кәсіпорындарымен ұзақ мерзімге "
           "негізделген ынтымақтастықты дамытуға ниетті екенін айтқым келеді.", "+"),
    ("kk", "Таяу Шығыстағы, Корей түбегіндегі жағдайлар алаңдаушылық туғызады.", "-"),
    ("kk", "Күллі әлемді алаңдатқан коронавирус Түркияға да қауіп төндіріп тұр.", "-"),
    ("kk", "Сырттан келген адамдардың кесірінен бұлақтардың көзі бітеліп, су тартылып қалды "
           "деп наразылық білдірген еді.", "-"),
    # "алаңда" here is "on the (international) arena" and "қауіпсіздік" is "security":
    # neither may read as alarm.
    ("kk", "Тұңғыш Президентіміздің салиқалы саясатының арқасында еліміз халықаралық алаңда "
           "лайықты орын алды.", "0+"),
    ("kk", "Оған тек Ұлттық қауіпсіздік комитетінің бір өкілі мен техникалық маманның ғана "
           "кіруіне рұқсат бар.", "0+"),
]


@pytest.mark.parametrize(("lang", "text", "direction"), SENTENCES)
def test_sentence_direction(lang: str, text: str, direction: str) -> None:
    p = tone.sentence_polarity(text, lang)
    assert -1.0 <= p <= 1.0
    if direction == "+":
        assert p > 0.1, p
    elif direction == "-":
        assert p < -0.1, p
    else:
        assert p >= 0.0, p


@pytest.mark.parametrize(("lang", "text", "terms"), [
    ("ru", "Стало тревожным сигналом и серьёзной угрозой", {"тревожным сигналом",
                                                            "серьезной угрозой"}),
    ("ru", "Стороны не поддержали план", {"поддержали"}),
    ("kk", "Аймақтағы қауіпсіздікке қатер төніп тұр", {"қатер", "төніп"}),
])
def test_lexicon_hits(lang: str, text: str, terms: set[str]) -> None:
    hits = lexicon.find_hits(lexicon.tokenize(text), lang)
    assert {h.term for h in hits} == terms


def test_negator_flips_cooperative() -> None:
    hits = lexicon.find_hits(lexicon.tokenize("Стороны не поддержали план"), "ru")
    assert lexicon.lexicon_polarity(hits) < 0


@pytest.fixture(scope="module")
def seed_tones() -> dict[str, tone.DocumentTone]:
    return {p.name[:3]: tone.document_tone(p.read_text(encoding="utf-8"), "ru")
            for p in sorted(SEEDS.glob("*.txt"))}


def test_alarmist_seeds_score_higher_alarm(seed_tones: dict[str, tone.DocumentTone]) -> None:
    for alarmist in ("002", "003"):
        for calm in ("001", "004"):
            assert seed_tones[alarmist].alarm > seed_tones[calm].alarm + 0.15, (
                alarmist, calm, seed_tones[alarmist].alarm, seed_tones[calm].alarm)


def test_seed_labels(seed_tones: dict[str, tone.DocumentTone]) -> None:
    assert seed_tones["001"].label == "positive"
    assert seed_tones["002"].label == "negative"
    assert seed_tones["003"].label == "negative"
    assert seed_tones["004"].label != "positive"
    assert seed_tones["001"].polarity > seed_tones["003"].polarity


def test_document_tone_returns_evidence(seed_tones: dict[str, tone.DocumentTone]) -> None:
    t = seed_tones["002"]
    assert 0.0 <= t.alarm <= 1.0 and -1.0 <= t.polarity <= 1.0
    assert t.sentences and all(s in (SEEDS.glob("002_*.txt").__next__()).read_text(
        encoding="utf-8") for s in t.sentences)
    assert "тревожным сигналом" in t.terms


def test_kazakh_document() -> None:
    text = ("Қазақстан мен Түркия әскери ынтымақтастықты нығайту туралы келісімге қол қойды. "
            "Тараптар стратегиялық серіктестікті дамытуға уағдаласты.")
    t = tone.document_tone(text, "kk")
    assert t.label == "positive" and t.alarm < 0.3
    alarm = tone.document_tone("Аймаққа қатер төніп тұр. Бұл қауіп бәрін алаңдатады.", "kk")
    assert alarm.label == "negative" and alarm.alarm > 0.5


def test_empty_document_is_neutral() -> None:
    assert tone.document_tone("", "ru").label == "neutral"


# Target tone -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "target", "label"), [
    ("Во время полёта Хокинг выразил благодарность Селлерсу и остальным членам экипажа "
     "за их благородный жест.", "Селлерсу", "positive"),
    ("Обвинение в убийстве журналистки предъявлено чеченцу Рустаму Махмудову.",
     "Рустаму Махмудову", "negative"),
])
def test_target_tone_examples(text: str, target: str, label: str) -> None:
    start = text.index(target)
    got, score = tt.target_tone(text, start, start + len(target))
    assert got == label and -1.0 <= score <= 1.0


def test_target_tone_in_long_text() -> None:
    text = "Погода была хорошей. " * 30 + "Президент поблагодарил Ивана Петрова за работу."
    start = text.index("Ивана Петрова")
    label, score = tt.target_tone(text, start, start + len("Ивана Петрова"))
    assert label in tt.LABELS and -1.0 <= score <= 1.0


def test_target_model_ships_sequence_model() -> None:
    model = tt.load_target_model(tt.TARGET_MODEL)
    assert model.seqs
    text = "Суд оправдал Ивана Петрова, а прокуратура обжаловала приговор."
    start = text.index("Ивана Петрова")
    toks = tt.parse(text)
    keys, cats = tt.seq_inputs(toks, start, start + len("Ивана Петрова"))
    assert len(keys) == len(cats) == len(toks)
    assert (cats[:, tt.SEQ_CATS.index("role")] == 1).sum() == 2
    p = tt.seq_probs(model.seqs[0], keys, cats)
    assert p.shape == (3,) and abs(float(p.sum()) - 1.0) < 1e-5


HELD_OUT_SAMPLE = 500
HELD_OUT_FLOOR = 0.46  # measured 0.486 on this sample (0.454 on all 1,348 fold-0 rows)


@pytest.mark.slow
def test_target_tone_held_out_floor() -> None:
    from sklearn.metrics import f1_score

    ids = set((TEST_DATA / "tone_fold0_ids.txt").read_text(encoding="utf-8").split())
    with open(ENTITY_TONE, encoding="utf-8") as f:
        rows = [r for r in map(json.loads, f) if r["id"] in ids][:HELD_OUT_SAMPLE]
    assert len(rows) == HELD_OUT_SAMPLE
    preds = tt.target_tones(
        [(r["text"], r["targets"][0]["start"], r["targets"][0]["end"]) for r in rows],
        model_path=TEST_DATA / "tone_target_fold0.json.gz")
    f1 = f1_score([r["label"] for r in rows], [p[0] for p in preds],
                  labels=["positive", "negative"], average="macro")
    assert f1 >= HELD_OUT_FLOOR, f1
