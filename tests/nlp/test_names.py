"""Entity names an analyst can read: one normal form per name, whatever its word form, and
no outlets, signatures or common words among the entities."""

from __future__ import annotations

import pytest

from pipeline.analyze import Analyzer
from pipeline.nlp.names import is_name_like, key_of, normal_form, term_key
from pipeline.profile import load_profile


@pytest.mark.parametrize(("text", "etype", "lang", "normal"), [
    ("Белоруссии", "LOC", "ru", "Белоруссия"),
    ("Киргизии", "LOC", "ru", "Киргизия"),
    ("Таджикистана", "LOC", "ru", "Таджикистан"),
    ("Казахстане", "LOC", "ru", "Казахстан"),
    ("Южной Кореи", "LOC", "ru", "Южная Корея"),
    ("Соединенных Штатах", "LOC", "ru", "Соединённые Штаты"),
    ("Министерства обороны Беларуси", "ORG", "ru", "Министерство обороны Беларуси"),
    ("Коллективных сил оперативного реагирования", "ORG", "ru",
     "Коллективные силы оперативного реагирования"),
    ("Организации Договора о коллективной безопасности", "ORG", "ru",
     "Организация Договора о коллективной безопасности"),
    ("Минобороны Беларуси", "ORG", "ru", "Минобороны Беларуси"),
    ("ВС РК", "ORG", "ru", "ВС РК"),
    ("Марии Захаровой", "PER", "ru", "Мария Захарова"),
    ("Шавката Мирзиёева", "PER", "ru", "Шавкат Мирзиёев"),
    ("Эрдогана", "PER", "ru", "Эрдоган"),
    ("Лукашенко", "PER", "ru", "Лукашенко"),
    ("Қазақстан Республикасының", "LOC", "kk", "Қазақстан Республикасы"),
    ("Ресейдің", "LOC", "kk", "Ресей"),
    ("Түркиямен", "LOC", "kk", "Түркия"),
    ("НАТО-ның", "ORG", "kk", "НАТО"),
    ("Астана", "LOC", "kk", "Астана"),
])
def test_normal_form(text: str, etype: str, lang: str, normal: str) -> None:
    assert normal_form(text, etype, lang) == normal


def test_short_and_long_names_of_a_body_share_a_key() -> None:
    assert key_of("Минобороны Беларуси", "ORG", "ru") == key_of(
        "Министерства обороны Беларуси", "ORG", "ru")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_profile())


def _rows(analyzer: Analyzer, text: str) -> dict[str, dict]:
    return {r["entity_key"]: r for r in analyzer.analyze(text=text).entity_rows()}


def test_word_forms_and_abbreviations_count_as_one(analyzer: Analyzer) -> None:
    rows = _rows(analyzer, "Делегация прибыла в Казахстан. В Казахстане и в РК прошли учения "
                           "с участием военных Казахстана. Минобороны РК и Министерство обороны "
                           "Республики Казахстан подписали план.")
    assert rows["KAZ"]["text"] == "Казахстан" and rows["KAZ"]["mentions"] >= 4
    assert rows["kz_mod"]["text"] == "Министерство обороны Республики Казахстан"
    assert not any("казахстан" in k.lower() for k in rows if ":" in k)


def test_a_name_nested_in_another_is_linked(analyzer: Analyzer) -> None:
    rows = _rows(analyzer, "Представители Министерства обороны Российской Федерации прибыли.")
    assert "ru_mod" in rows and "LOC:российская федерация" not in rows


def test_outlets_signatures_and_common_words_are_not_entities(analyzer: Analyzer) -> None:
    rows = _rows(analyzer, "Шойгу прилетел в Астану, сообщает ТАСС.\nMash")
    assert set(rows) == {"shoigu", "astana"}


def test_outlet_names_added_at_run_time() -> None:
    a = Analyzer(load_profile())
    text = "Канал Степной Дозор сообщил, что Шойгу прилетел в Астану."
    a.not_entities.add("степной дозор")
    assert not any("дозор" in k for k in (r["entity_key"] for r in
                                           a.analyze(text=text).entity_rows()))


def test_terms_by_lemma_and_only_names_or_phrases_are_news() -> None:
    assert term_key("встрече") == term_key("встречи") == term_key("встреча")
    assert term_key("ядерного зонтика") == term_key("ядерный зонтик")
    assert term_key("Түркиямен") == term_key("Түркия")
    assert not is_name_like("участвовать") and not is_name_like("встрече")
    assert is_name_like("Орешник") and is_name_like("A400M") and is_name_like("ядерный зонтик")
