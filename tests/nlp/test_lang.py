from __future__ import annotations

import pytest

from pipeline.nlp.lang import detect


@pytest.mark.parametrize("text,expected", [
    ("Министерства обороны Казахстана и Великобритании подписали план военного "
     "сотрудничества на 2025–2026 годы.", "ru"),
    # Russian text dense with Kazakh names stays Russian.
    ("Касым-Жомарт Токаев принял в Акорде министра обороны Руслана Жаксылыкова и "
     "командующего Аэромобильными войсками.", "ru"),
    ("Қазақстан Қорғаныс министрлігі Ұлыбританиямен әскери ынтымақтастық жоспарына қол қойды.",
     "kk"),
    # Kazakh text quoting Russian names stays Kazakh.
    ("Мемлекет басшысы Қасым-Жомарт Тоқаев «Казахстанская правда» газетіне сұхбат берді.", "kk"),
    ("Kazakhstan and the United Kingdom signed a military cooperation plan for 2025-2026.",
     "other"),
    ("Україна та Туреччина підписали угоду про спільне виробництво безпілотників.", "other"),
    ("", "other"),
    ("12345 — 678", "other"),
])
def test_language(text, expected):
    assert detect(text) == expected


@pytest.mark.parametrize("text", [
    "Apple и Samsung нарушали патенты друг друга",
    "Джокович и Стосур — триумфаторы US Open 2011",
    "Владислав Сурков, Дмитрий Рогозин и Аркадий Дворкович",
])
def test_short_russian_headlines(text):
    assert detect(text) == "ru"


def test_serbian_is_not_russian():
    assert detect("Министар одбране Србије посетио је јединице војске у Нишу.") == "other"
