"""The editorial plan of the replay web: the period, the weekly quotas of relevant stories per
partner and tone, and the planted shifts. Everything else in the corpus follows from this
table and the fixed seed, so the ground truth is known exactly.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from replayweb.outlets import ALMATY

SEED = 20250629
FIRST_DAY = date(2025, 4, 7)            # Monday of ISO week 2025-W15
LAST_DAY = date(2025, 6, 29)            # Sunday of ISO week 2025-W26
WEEKS = [f"2025-W{n:02d}" for n in range(15, 27)]
PERIOD_END = datetime.combine(LAST_DAY, time(23, 59, 59), ALMATY)

PLANTED_WEEK = "2025-W24"               # June 9-15, 2025
PLANTED_VOLUME_PARTNER = "TUR"
PLANTED_TONE_PARTNER = "RUS"            # with the CSTO: the bank "RUS" names both

# Relevant stories (not copies) per ISO week W15..W26, by bank. W24 is index 9.
QUOTA: dict[str, list[int]] = {
    "RUS": [3, 3, 3, 3, 3, 3, 3, 3, 3, 8, 3, 3],
    "TUR": [2, 2, 2, 3, 2, 2, 2, 1, 2, 11, 2, 2],
    "GBR": [1] * 12,
    "CHN": [1] * 12,
    "USA": [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    "OTS": [1] * 12,
    "PKO": [1, 0] * 6,
}
# How many of the week's RUS stories are alarmist, and how many critical without alarm.
RUS_ALARM = [0, 0, 0, 1, 0, 0, 0, 0, 0, 7, 0, 0]
RUS_NEGATIVE = [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]

# How many pieces of each kind carry the collection problems the crawler must handle.
SYNDICATED = {"sim_kazwire:ru": 22, "sim_kazwire:kk": 6, "sim_rosvestnik:ru": 4}
SYNDICATED_TO = {"sim_kazwire:ru": ("sim_dalanews", "sim_aziaregion"),
                 "sim_kazwire:kk": ("sim_anasozi",), "sim_rosvestnik:ru": ("sim_rubezh",)}
EXACT_DUPLICATES = {"sim_kazwire": 4, "sim_dalanews": 6, "sim_rosvestnik": 6,
                    "sim_aziaregion": 3}
UNDATED = {"sim_aziaregion": 6}
FUTURE_DATED = {"sim_rosvestnik": 2, "sim_dalanews": 1}
FUTURE_YEAR = 2052                      # a CMS typo: 2052 for 2025
ROBOTS_BLOCKED = 3                      # subscriber pages of sim_rubezh under a Disallow


def week_of(moment: datetime) -> str:
    y, w, _ = moment.astimezone(ALMATY).isocalendar()
    return f"{y}-W{w:02d}"


def week_start(index: int) -> date:
    return FIRST_DAY + timedelta(days=7 * index)


def weekly_items(index: int) -> list[tuple[str, str]]:
    """The (bank, tone) of every relevant story planned for week ``index`` (0 = W15)."""
    items: list[tuple[str, str]] = []
    for bank, counts in QUOTA.items():
        n = counts[index]
        if bank == "RUS":
            alarm, negative = RUS_ALARM[index], RUS_NEGATIVE[index]
            rest = n - alarm - negative
            items += [("RUS", "alarm")] * alarm + [("RUS", "negative")] * negative
            items += [("RUS", "neutral" if k % 2 else "positive") for k in range(rest)]
        else:
            items += [(bank, "positive" if (k + index) % 2 else "neutral") for k in range(n)]
    return items
