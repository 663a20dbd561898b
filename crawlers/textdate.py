"""Publication dates written only in a page's visible text, in Russian or Kazakh.

htmldate's extensive search reads Russian month names («15 августа 2016, 13:43») but not
Kazakh ones («2024 жылғы 15 тамыз», «15 тамыз 2024, 13:43»). This reads both, in the body
text nearest the headline, where news pages print their date; a date found anywhere else
on the page (a sidebar, a footer's copyright) is not taken.
"""

from __future__ import annotations

import re
from datetime import datetime

RU_MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
             "октябр", "ноябр", "декабр")
KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан")
_RU = r"(?:январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|" \
      r"сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])"
_KK = r"(?:" + "|".join(KK_MONTHS) + r")\w*"
_TIME = r"(?:[,\s]+(?:в\s+|сағат\s+)?(?P<h>\d{1,2})[:.](?P<m>\d{2}))?"
_PATTERNS = (
    # 15 августа 2016, 13:43 | 15 тамыз 2024 ж., 13:43
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<mon>{_RU}|{_KK})\s+(?P<y>(?:19|20)\d\d)"
               rf"(?:\s*(?:г\.|года|жылы|жылғы|ж\.))?{_TIME}", re.IGNORECASE),
    # 2024 жылғы 15 тамыз, 13:43
    re.compile(rf"(?P<y>(?:19|20)\d\d)\s*(?:жылғы|жылы|ж\.)\s+(?P<d>\d{{1,2}})\s+(?P<mon>{_KK})"
               rf"{_TIME}", re.IGNORECASE),
    # 15.08.2016 13:43
    re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\.(?P<mon>\d{{1,2}})\.(?P<y>(?:19|20)\d\d)(?![\d.])"
               rf"{_TIME}"),
)
NEAR_CHARS = 1500   # how far from the headline a date may stand


def month_number(name: str) -> int | None:
    low = name.lower()
    if low.isdigit():
        return int(low) if 1 <= int(low) <= 12 else None
    for i, stem in enumerate(KK_MONTHS):
        if low.startswith(stem):
            return i + 1
    if low.startswith("ма") and not low.startswith("мар"):
        return 5
    for i, stem in enumerate(RU_MONTHS):
        if stem != "ма" and low.startswith(stem):
            return i + 1
    return None


def find_text_date(text: str, headline: str = "") -> datetime | None:
    """The date written nearest the headline (a naive datetime: the page gives no zone)."""
    anchor = text.find(headline) if headline else -1
    if anchor < 0:
        return None  # without the headline to anchor on, a date could be any sidebar's
    start = max(anchor - 300, 0)
    window = text[start:start + NEAR_CHARS + 300]
    best: tuple[int, datetime] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(window):
            when = _build(m)
            if when is None:
                continue
            distance = abs(m.start() - (anchor - start))
            if best is None or distance < best[0]:
                best = (distance, when)
    return best[1] if best else None


def _build(m: re.Match[str]) -> datetime | None:
    month = month_number(m["mon"])
    if month is None:
        return None
    hour = int(m["h"]) if m["h"] else 0
    minute = int(m["m"]) if m["m"] else 0
    try:
        return datetime(int(m["y"]), month, int(m["d"]), hour, minute)
    except ValueError:
        return None
