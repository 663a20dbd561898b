"""The term matcher finds inflected Russian and Kazakh forms, and nothing else."""

from __future__ import annotations

import pytest

from pipeline.analysis.matcher import get_matcher, normalise


def found(text: str) -> set[tuple[str, str, str]]:
    return {(h.kind, h.id, h.text) for h in get_matcher().match(text)}


@pytest.mark.parametrize(("text", "kind", "id_", "surface"), [
    # Russian: case endings, adjectives, abbreviations, multi-word names
    ("сотрудничество с Великобританией", "partner", "GBR", "Великобританией"),
    ("в британских академиях", "partner", "GBR", "британских"),
    ("делегация прибыла в Лондон", "partner", "GBR", "Лондон"),
    ("переговоры с Турцией", "partner", "TUR", "Турцией"),
    ("поставки турецких беспилотников", "partner", "TUR", "турецких"),
    ("в рамках ОДКБ", "partner", "CSTO", "ОДКБ"),
    ("Организации Договора о коллективной безопасности", "partner", "CSTO",
     "Организации Договора о коллективной безопасности"),
    ("саммит Организации тюркских государств", "partner", "OTS", "Организации тюркских государств"),
    ("встреча с Си Цзиньпином", "entity", "xi_jinping", "Си Цзиньпином"),
    ("заявил Касым-Жомарт Токаев", "entity", "tokayev", "Касым-Жомарт Токаев"),
    ("встреча с Токаевым", "entity", "tokayev", "Токаевым"),
    ("Министерством обороны Республики Казахстан", "entity", "kz_mod",
     "Министерством обороны Республики Казахстан"),
    ("сообщили в Минобороны РК", "entity", "kz_mod", "Минобороны РК"),
    ("беседа с Эрдоганом", "entity", "erdogan", "Эрдоганом"),
    ("военно-технического сотрудничества", "defence", "defence", "военно"),
    ("совместных учениях", "defence", "defence", "учениях"),
    ("казахстанских миротворцев", "defence_intl", "defence_intl", "миротворцев"),
    ("весенний призыв", "domestic", "domestic", "призыв"),
    ("Ещё одна угроза", "framing", "alarm", "угроза"),
    ("вооружённые силы", "defence", "defence", "вооружённые"),  # ё = е
    # Kazakh: stacked suffixes, hyphenated abbreviations
    ("Түркиямен ынтымақтастық", "partner", "TUR", "Түркиямен"),
    ("Ұлыбританияның әскери академиялары", "partner", "GBR", "Ұлыбританияның"),
    ("Қазақстандағы жаттығу", "entity", "KAZ", "Қазақстандағы"),
    ("ҰҚШҰ-ға мүше елдер", "partner", "CSTO", "ҰҚШҰ"),
    ("Түркі мемлекеттері ұйымының саммиті", "partner", "OTS", "Түркі мемлекеттері ұйымының"),
    ("Ресеймен келісім", "partner", "RUS", "Ресеймен"),
    ("Тоқаевтың сапары", "entity", "tokayev", "Тоқаевтың"),
    ("Қорғаныс министрлігінің баспасөз қызметі", "entity", "kz_mod", "Қорғаныс министрлігінің"),
    ("бірлескен оқу-жаттығу", "defence", "defence", "оқу-жаттығу"),
    ("ұшқышсыз ұшақтар", "defence", "defence", "ұшқышсыз"),
    ("бітімгерлер Ливанға аттанды", "defence_intl", "defence_intl", "бітімгерлер"),
])
def test_inflected_forms_are_found(text: str, kind: str, id_: str, surface: str) -> None:
    assert (kind, id_, surface) in found(text)


@pytest.mark.parametrize(("text", "kind", "id_"), [
    ("космонавт Валерий Токарев", "entity", "tokayev"),  # not an inflection of Токаев
    ("ученики школы", "defence", "defence"),  # учения (exercises) only
    ("рк и ес в нижнем регистре", "entity", "KAZ"),  # abbreviations are case-sensitive
    ("депутаты призывают к диалогу", "domestic", "domestic"),  # призывать is not призыв
    ("Елбасының бітімгершілік бастамалары", "defence_intl", "defence_intl"),  # peace, not troops
    ("танкер с нефтью", "defence", "defence"),
    ("генеральный директор", "defence", "defence"),
])
def test_lookalikes_are_not_matched(text: str, kind: str, id_: str) -> None:
    assert not any(k == kind and i == id_ for k, i, _ in found(text))


def test_nested_names_keep_the_longest_span_per_kind() -> None:
    hits = get_matcher().match("Министерство обороны Казахстана")
    entities = [(h.id, h.text) for h in hits if h.kind == "entity"]
    assert entities == [("kz_mod", "Министерство обороны Казахстана")]


def test_offsets_index_the_original_text() -> None:
    text = "ТУРЕЦКИЙ İstanbul: Ёлка. Переговоры с Турцией."
    assert len(normalise(text)) == len(text)
    for hit in get_matcher().match(text):
        assert text[hit.start:hit.end] == hit.text


@pytest.mark.parametrize("text, home", [
    ("Өзбекстан Қорғаныс министрлігі жаттығу өткізді.", False),
    ("Ресей Федерациясы Қорғаныс министрлігінің хабарлауынша", False),
    ("Қорғаныс министрлігі Түркиямен келісімге қол қойды.", True),
    ("Түркиямен ынтымақтастық туралы Қорғаныс министрлігі хабарлады.", True),
    ("Ресей, Қорғаныс министрлігі және Сыртқы істер министрлігі", True),  # a list, not an owner
])
def test_a_foreign_name_right_before_a_home_institution_owns_it(text: str, home: bool) -> None:
    assert any(h.kind == "entity" and h.id == "kz_mod" for h in get_matcher().match(text)) is home
