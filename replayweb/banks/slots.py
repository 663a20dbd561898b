"""Values for the slots of the sentence banks, drawn per piece.

All people are fictional; places and organisations are real so that the texts read like
news. Each piece draws its own values, which keeps unrelated pieces built from the same
sentences apart for near-duplicate detection.
"""

from __future__ import annotations

import random
from datetime import datetime

KZ_CITIES = ["Астане", "Алматы", "Караганде", "Шымкенте", "Актау", "Актобе", "Уральске",
             "Семее", "Талдыкоргане", "Кокшетау", "Петропавловске", "Таразе"]
KZ_CITIES_KK = ["Астана", "Алматы", "Қарағанды", "Шымкент", "Ақтау", "Ақтөбе", "Орал",
                "Семей", "Талдықорған", "Көкшетау", "Петропавл", "Тараз"]
RANGES = ["полигоне «Матыбулак»", "полигоне «Сары-Шаган»", "полигоне «Отар»",
          "полигоне «Илийский»", "полигоне «Айшырак»", "полигоне «Коскудук»"]
RANGES_KK = ["«Матыбұлақ»", "«Сарышаған»", "«Отар»", "«Іле»", "«Айшырақ»", "«Қосқұдық»"]

# Genitive month names ("в июне" would need the prepositional: we write "в {month}").
MONTHS_PREP = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
               "сентябре", "октябре", "ноябре", "декабре"]
MONTHS_KK = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан"]
MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]
WEEKDAYS_RU = ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу",
               "в субботу", "в воскресенье"]
WEEKDAYS_KK = ["дүйсенбі күні", "сейсенбі күні", "сәрсенбі күні", "бейсенбі күні",
               "жұма күні", "сенбі күні", "жексенбі күні"]

KZ_OFFICIALS = [
    "заместитель министра обороны Республики Казахстан Ерлан Мукашев",
    "начальник департамента международного сотрудничества Минобороны РК Асхат Нургалиев",
    "официальный представитель Минобороны Казахстана полковник Дархан Есенов",
    "командующий Силами воздушной обороны РК генерал-майор Серик Балтабаев",
    "первый заместитель начальника Генштаба ВС РК генерал-майор Нурлан Кадыров",
    "пресс-секретарь Министерства обороны Казахстана Айжан Сагинтаева",
]
KZ_EXPERTS = [
    "эксперт Казахстанского института стратегических исследований Данияр Абенов",
    "политолог Марат Жумабеков",
    "военный эксперт из Алматы Бауыржан Ахметов",
    "директор аналитического центра «Евразийский горизонт» Гульнара Исмаилова",
]
FOREIGN = {
    "tr_off": ["представитель TUSAŞ Мехмет Йылмаз", "военный атташе Турции в Астане полковник Эмре Кая",
               "директор по экспорту компании Aselsan Бурак Озтюрк"],
    "ru_off": ["представитель пресс-службы ОДКБ Виктор Лебедев",
               "заместитель начальника Объединённого штаба ОДКБ генерал-майор Олег Зуев"],
    "ru_exp": ["военный эксперт Игорь Карпенко", "политолог Сергей Дронов",
               "член экспертного совета при Госдуме Андрей Валуев"],
    "gb_off": ["британский военный атташе в Астане полковник Дэвид Эшфорд",
               "представитель Минобороны Великобритании Джеймс Холлоуэй"],
    "cn_off": ["представитель Минобороны КНР полковник Чжан Вэй",
               "военный атташе Китая в Астане Лю Цзяньго"],
    "us_off": ["представитель Центрального командования США майор Дэниел Брукс",
               "советник Нацгвардии Аризоны подполковник Марк Эллисон"],
}
KZ_OFFICIALS_KK = [
    "ҚР Қорғаныс министрінің орынбасары Ерлан Мұқашев",
    "Қорғаныс министрлігі халықаралық ынтымақтастық департаментінің бастығы Асхат Нұрғалиев",
    "Қорғаныс министрлігінің ресми өкілі полковник Дархан Есенов",
]
KZ_EXPERTS_KK = ["саясаттанушы Марат Жұмабеков", "әскери сарапшы Бауыржан Ахметов"]
FOREIGN_KK = {
    "tr_off_kk": ["TUSAŞ компаниясының өкілі Мехмет Йылмаз"],
    "ru_off_kk": ["ҰҚШҰ баспасөз қызметінің өкілі Виктор Лебедев"],
    "gb_off_kk": ["Ұлыбританияның Астанадағы әскери атташесі полковник Дэвид Эшфорд"],
    "cn_off_kk": ["ҚХР Қорғаныс министрлігінің өкілі полковник Чжан Вэй"],
    "us_off_kk": ["АҚШ Орталық қолбасшылығының өкілі майор Дэниел Брукс"],
}


def draw(rng: random.Random, when: datetime) -> dict[str, str]:
    """One piece's slot values; ``when`` gives the weekday the lede refers to."""
    values: dict[str, str] = {
        "day": WEEKDAYS_RU[when.weekday()],
        "day_kk": WEEKDAYS_KK[when.weekday()],
        "kz_city": rng.choice(KZ_CITIES),
        "kz_city_kk": rng.choice(KZ_CITIES_KK),
        "range": rng.choice(RANGES),
        "range_kk": rng.choice(RANGES_KK),
        "month": rng.choice(MONTHS_PREP[6:11]),
        "month_kk": rng.choice(MONTHS_KK[6:11]),
        "year": str(rng.choice([2026, 2027, 2028])),
        "yy": str(rng.choice([2025, 2026])),
        "n1": str(rng.randint(12, 64)),
        "n2": str(rng.randint(3, 24)),
        "n3": str(rng.randint(18, 140)),
        "n4": str(rng.randint(2, 48) * 100),
        "n5": str(rng.randint(3, 9)),
        "n6": str(rng.randint(8, 60) * 50),
        "pct": str(rng.randint(6, 45)),
        "pct2": f"{rng.randint(1, 9)},{rng.randint(1, 9)}",
        "sum": str(rng.randint(12, 480)),
        "price": f"{rng.randint(505, 530)},{rng.randint(10, 99)}",
        "temp": str(rng.randint(34, 44)),
        "kz_off": rng.choice(KZ_OFFICIALS),
        "kz_exp": rng.choice(KZ_EXPERTS),
        "kz_off_kk": rng.choice(KZ_OFFICIALS_KK),
        "kz_exp_kk": rng.choice(KZ_EXPERTS_KK),
    }
    for key, pool in (FOREIGN | FOREIGN_KK).items():
        values[key] = rng.choice(pool)
    return values


def fill(template: str, values: dict[str, str]) -> str:
    text = template.format_map(values)
    # A sentence may start with a slot ("{kz_off} said"), so capitalise after filling.
    return text[:1].upper() + text[1:]
