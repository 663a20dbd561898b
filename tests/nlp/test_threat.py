"""Threat framing: explicit threats of force raise alarm by the strongest sentence, in Russian
and Kazakh; cooperative wording elsewhere does not cancel them; a threat is never positive;
a denial of danger is reassurance; weapon words that name something else are not threats.

The sentences are written in the style of the Telegram flashes of the CSTO summit week in
Astana (November 2024) that the brief once read as calm."""

from __future__ import annotations

import pytest

from pipeline.analyze import Analyzer
from pipeline.nlp import tone
from pipeline.profile import load_profile

THREATS = [
    ("ru", "Центры принятия решений в Киеве могут стать целями для «Орешника», заявил Путин "
           "на саммите ОДКБ в Астане."),
    ("ru", "Ядерный зонтик России защищает в первую очередь государства ОДКБ, в том числе "
           "Казахстан."),
    ("ru", "Путин пригрозил нанести удар по Киеву, если Украина продолжит атаки."),
    ("ru", "⚡️Москва не исключает ответного удара по объектам НАТО в Восточной Европе."),
    ("ru", "Военные базы у наших границ станут законными целями, предупредили в Минобороны."),
    ("ru", "Эксперт: в случае войны Казахстан окажется под ударом первым."),
    ("kk", "Ресей Ұжымдық қауіпсіздік туралы шарт ұйымына мүше елдерді ядролық қолшатырмен "
           "қорғайтынын мәлімдеді."),
    ("kk", "Путин Киевтегі шешім қабылдау орталықтарына соққы беру мүмкін екенін айтты."),
    ("kk", "Сарапшы әскери базалар бірінші кезекте нысанаға айналуы мүмкін деп ескертті."),
    # threats without the word "threat": rebuffs, reach of weapons, offensives, build-ups
    ("ru", "Военный эксперт: аэродромы, где работают иностранные инструкторы, окажутся в "
           "радиусе поражения."),
    ("ru", "В Москве заявили, что такие объекты будут рассматриваться как цели."),
    ("ru", "Генштаб: противник стягивает войска к границе и готовит новое наступление."),
    ("ru", "Пекин: любые провокации у наших границ встретят решительный отпор."),
    ("kk", "Баку атыс ашылғанын хабарлап, «лайықты жауап береміз» деп мәлімдеді."),
    ("kk", "Шекара маңында бронетехниканың шоғырланғаны байқалды, түнде оқ атылды."),
]

NOT_THREATS = [
    ("ru", "Угрозы для Казахстана нет, ситуация на границе под контролем, заявили в КНБ."),
    ("ru", "Министр подчеркнул, что Казахстану ничего не угрожает."),
    ("ru", "На Байконуре завершили подготовку ракетно-космического комплекса к запуску."),
    ("ru", "Казахстан в 1990-х годах добровольно отказался от ядерного оружия."),
    ("ru", "Нападающий «Кайрата» ударом с линии штрафной сравнял счет."),
    ("ru", "Казахстан закупит у Турции ударные беспилотники Anka."),
    ("kk", "Шекарада қауіп жоқ, жағдай бақылауда."),
    ("kk", "Әуе шабуылына қарсы қорғаныс бөлімдері жоспарлы оқу-жаттығу өткізді."),
    # dismissed, ruled out or denied inside the Kazakh verb
    ("ru", "В Кремле назвали разговоры о войне с НАТО чепухой."),
    ("ru", "Министры на встрече исключили военное вмешательство."),
    ("ru", "Запуск ракеты не представляет непосредственной угрозы, сообщили военные."),
    ("kk", "Елші Ресей Қазақстанға ешқашан қатер төндірмейді деп мәлімдеді."),
    ("kk", "Мәскеу Еуропаға шабуыл жасамайды, деді Кремль өкілі."),
    ("kk", "Baykar ҚР Қарулы күштеріне соққы дрондарының алғашқы партиясын тапсырды."),
]


@pytest.mark.parametrize(("lang", "text"), THREATS)
def test_explicit_threat_is_alarm_and_negative(lang: str, text: str) -> None:
    t = tone.document_tone(text, lang)
    assert t.alarm >= tone.THREAT_AT, t
    assert t.label == "negative", t


@pytest.mark.parametrize(("lang", "text"), NOT_THREATS)
def test_reassurance_and_weapon_names_are_not_threats(lang: str, text: str) -> None:
    assert tone.document_tone(text, lang).alarm < 0.5


def test_cooperative_wording_does_not_cancel_a_threat() -> None:
    cooperative = ("Стороны высоко оценили плодотворное сотрудничество и договорились укреплять "
                   "стратегическое партнерство. Подписаны соглашения о взаимовыгодных поставках. ")
    text = cooperative * 6 + "Президент России напомнил, что ядерный удар остается ответом на " \
        "нападение на союзников. " + cooperative * 6
    t = tone.document_tone(text, "ru")
    assert t.alarm >= tone.THREAT_AT
    assert t.label != "positive"
    # The same piece without the threat sentence is read as warm.
    assert tone.document_tone(cooperative * 12, "ru").label == "positive"


def test_the_oreshnik_flash_through_analyze() -> None:
    a = Analyzer(load_profile(), entities="relevant")
    r = a.analyze(text=THREATS[0][1])
    assert r.relevant
    assert r.tone.label == "negative" and r.tone.alarm >= tone.THREAT_AT
    # The tone toward the relationship read from that sentence is not warm either.
    assert all(p.tone < 0 for p in r.partners)
