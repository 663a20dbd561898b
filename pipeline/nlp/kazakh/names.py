"""A small hand-written list of place and organisation names, in Kazakh, used as CRF features.

KazNERD is TV news about Kazakhstan's home affairs; this project reads about its defence ties,
where foreign states, blocs and ministries are named that the training data barely holds.
The list only adds a feature ("this word sequence is a known LOC/ORG name"); the model learns
how far to trust it from the training sentences that contain such names. It is written from
general knowledge, not taken from the data, so it does not leak the evaluation rows.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.nlp.kazakh.stemmer import stem
from pipeline.nlp.types import Token

_LOC = """
Қазақстан; Ресей; Ресей Федерациясы; Қытай; Қытай Халық Республикасы; Түркия; Ұлыбритания;
Англия; Америка; АҚШ; Америка Құрама Штаттары; Франция; Германия; Италия; Испания; Жапония;
Үндістан; Пәкістан; Иран; Ирак; Сирия; Израиль; Ауғанстан; Өзбекстан; Қырғызстан;
Тәжікстан; Түрікменстан; Әзербайжан; Армения; Грузия; Украина; Беларусь; Белоруссия;
Моңғолия; Корея; Оңтүстік Корея; Польша; Венгрия; Мажарстан; Сауд Арабиясы; Египет;
Катар; Канада; Еуропа; Азия; Орталық Азия; Таяу Шығыс; Кавказ; Сібір; Байқоңыр;
Астана; Нұр-Сұлтан; Алматы; Шымкент; Қарағанды; Ақтөбе; Атырау; Ақтау; Павлодар; Семей;
Өскемен; Орал; Қостанай; Петропавл; Тараз; Қызылорда; Түркістан; Көкшетау; Талдықорған;
Жезқазған; Екібастұз; Теміртау; Балқаш; Приозерск; Сарышаған; Ақмола; Жамбыл; Маңғыстау;
Жетісу; Ұлытау; Шығыс Қазақстан; Батыс Қазақстан; Солтүстік Қазақстан; Мәскеу; Бейжің;
Анкара; Ыстамбұл; Лондон; Вашингтон; Париж; Берлин; Ташкент; Бішкек; Душанбе; Ашхабад;
Баку; Минск; Киев; Ереван; Тбилиси; Үрімжі; Женева; Брюссель; Каспий; Арал
"""

_ORG = """
НАТО; ҰҚШҰ; ТМД; БҰҰ; ШЫҰ; ЕАЭО; ЕҚЫҰ; ЕО; Еуроодақ; Еуропалық Одақ; Біріккен Ұлттар Ұйымы;
Ұжымдық қауіпсіздік туралы шарт ұйымы; Шанхай ынтымақтастық ұйымы; Түркі мемлекеттері ұйымы;
Түркі кеңесі; Еуразиялық экономикалық одақ; Тәуелсіз Мемлекеттер Достастығы;
Қорғаныс министрлігі; Сыртқы істер министрлігі; Ішкі істер министрлігі;
Төтенше жағдайлар министрлігі; Ұлттық қауіпсіздік комитеті; ҰҚК; Парламент; Мәжіліс; Сенат;
Үкімет; Ақорда; Пентагон; Кремль; Қарулы Күштер; Ұлттық ұлан; Шекара қызметі;
Бас прокуратура; Жоғарғы сот; Конституциялық сот; Ұлттық банк; Қазақстан инжиниринг;
Роскосмос; Рособоронэкспорт; Aselsan; Airbus; Аманат; Нұр Отан
"""


def _parse(block: str) -> list[tuple[str, ...]]:
    return [
        tuple(stem(w) for w in name.split())
        for name in block.replace("\n", " ").split(";")
        if name.strip()
    ]


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for kind, block in (("LOC", _LOC), ("ORG", _ORG)):
        for name in _parse(block):
            out[name] = kind
    return out


_MAX_WORDS = 6


def match(tokens: list[Token]) -> list[str]:
    """Per token: "B-LOC"/"I-ORG"... when it is part of a longest listed name, else ""."""
    index = _index()
    out = [""] * len(tokens)
    i = 0
    while i < len(tokens):
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            key = tuple(t.lemma for t in tokens[i : i + n])
            kind = index.get(key)
            if kind:
                for k in range(n):
                    out[i + k] = f"{'B' if k == 0 else 'I'}-{kind}"
                i += n
                break
        else:
            i += 1
    return out
