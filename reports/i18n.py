"""Interface text of the digest in English (default) and Russian (``digest.language = "ru"``).

Only the product's own words are translated; titles, quotes and outlet names stay as written.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "steppewatch weekly brief {week}: {shifts} shift(s), {pieces} pieces",
        "title": "Kazakhstan defence ties: weekly brief",
        "period": "{week}: {first} to {last} ({tz})",
        "headline": "{pieces} relevant pieces this week ({copies} further copies) against "
                    "{baseline} a week in the baseline ({change}).",
        "no_change": "no baseline",
        "shifts": "Shifts that pass the tests",
        "no_shifts": "No shift passed the tests this week.",
        "volume_up": "coverage rose", "volume_down": "coverage fell",
        "tone_up": "tone became more positive", "tone_down": "tone became more negative",
        "alarm_up": "threat framing rose", "alarm_down": "threat framing eased",
        "rate_ratio": "rate ratio {est} (95% CI {lo} to {hi}); {week} pieces vs {base} a week",
        "tone_diff": "mean polarity {week} vs {base}: difference {est} (95% CI {lo} to {hi})",
        "alarm_diff": "mean alarm (threat framing, 0-1) {week} vs {base}: difference {est} "
                      "(95% CI {lo} to {hi})",
        "test_line": "p {p}, q {q}, {model}",
        "driving": "Articles that drove it",
        "also": "The same shift, seen as",
        "carried": "Outlets",
        "copies_line": "copied {n}x by {outlets}",
        "outlet_baseline": "{week} this week, {base} a week before",
        "outlet_tone": "{n} pieces, mean tone {tone}",
        "outlet_alarm": "{n} pieces, mean alarm {alarm}",
        "volume": "Volume by series", "tone": "Tone",
        "topic": "Topic", "partner": "Partner", "lang": "Language", "group": "Outlet group",
        "outlet": "Outlet", "all": "All",
        "col_series": "Series", "col_week": "This week", "col_copies": "Copies",
        "col_base": "Baseline / week", "col_change": "Change", "col_n": "Pieces",
        "col_adjusted": "Adjusted",
        "raw_line": "adjusted for what the outlets collected: {expected} pieces expected "
                    "this week; raw ratio {raw}",
        "collection_note": "Collection changed this week: collected volume x{factor} of the "
                           "baseline weeks{silent}{new}. Volume tests are adjusted for it.",
        "collection_silent": "; {n} outlets silent ({names})",
        "collection_new": "; {n} outlets new ({names})",
        "col_pol": "Polarity", "col_pol_base": "Baseline", "col_pol_change": "Change",
        "col_alarm": "Alarm", "col_alarm_change": "Alarm change",
        "flag": "shift",
        "new": "What is new", "no_new": "Nothing that the baseline had not seen.",
        "new_partner": "New partner", "new_entity": "New name", "new_term": "New term",
        "new_pieces": "{n} piece(s)",
        "languages": "Kazakh- and Russian-language coverage",
        "col_kk": "Kazakh", "col_ru": "Russian", "col_kk_tone": "Tone (kk)",
        "col_ru_tone": "Tone (ru)",
        "groups": "By outlet group",
        "health": "Source health",
        "health_ok": "All active sources were crawled and publishing.",
        "health_runs": "{runs} crawl runs this week, {failed} failed.",
        "health_outcomes": "Outcomes",
        "failed": "failed", "not_crawled": "not crawled", "silent": "silent",
        "imported": "imported",
        "stale": "stale", "undated": "undated articles", "garbled": "unreadable encoding",
        "charts": "Charts", "chart_volume": "Relevant pieces per week",
        "chart_tone": "Mean tone per partner (polarity, -1 to 1)",
        "pieces": "pieces", "copies_legend": "further copies", "polarity": "polarity",
        "method": "How to read this",
        "method_text": "Pieces count each story once, however many outlets copied it; copies "
                       "are shown apart as reach. Weeks run Monday to Sunday in {tz}; the "
                       "baseline is the {n} weeks before. A volume shift is flagged only when "
                       "a Poisson test (negative binomial when weekly counts are bursty) of the "
                       "rate ratio passes, a tone shift only when Welch's test of the difference "
                       "in mean polarity passes; series with fewer than {min} pieces are not "
                       "tested, and the false discovery rate across all {tests} tests is held "
                       "at {fdr} (Benjamini-Hochberg). Articles with no publication date are "
                       "never counted in trends. Profile {version}.",
        "footer": "steppewatch, an open-source monitor of news about Kazakhstan's defence ties.",
    },
    "ru": {
        "subject": "steppewatch: недельная сводка {week}: сдвигов {shifts}, материалов {pieces}",
        "title": "Оборонные связи Казахстана: недельная сводка",
        "period": "{week}: с {first} по {last} ({tz})",
        "headline": "{pieces} релевантных материалов за неделю (ещё {copies} перепечаток) "
                    "при {baseline} в неделю в базовом периоде ({change}).",
        "no_change": "нет базы",
        "shifts": "Сдвиги, прошедшие проверку",
        "no_shifts": "На этой неделе ни один сдвиг не прошёл проверку.",
        "volume_up": "освещение выросло", "volume_down": "освещение сократилось",
        "tone_up": "тон стал позитивнее", "tone_down": "тон стал негативнее",
        "alarm_up": "тревожность выросла", "alarm_down": "тревожность снизилась",
        "rate_ratio": "отношение частот {est} (95% ДИ от {lo} до {hi}); {week} материалов "
                      "против {base} в неделю",
        "tone_diff": "средняя полярность {week} против {base}: разница {est} "
                     "(95% ДИ от {lo} до {hi})",
        "alarm_diff": "средняя тревожность (0-1) {week} против {base}: разница {est} "
                      "(95% ДИ от {lo} до {hi})",
        "test_line": "p {p}, q {q}, {model}",
        "driving": "Материалы, определившие сдвиг",
        "also": "Тот же сдвиг в разрезе",
        "carried": "Издания",
        "copies_line": "перепечаток: {n} ({outlets})",
        "outlet_baseline": "{week} за неделю, {base} в неделю ранее",
        "outlet_tone": "материалов: {n}, средний тон {tone}",
        "outlet_alarm": "материалов: {n}, средняя тревожность {alarm}",
        "volume": "Объём по рядам", "tone": "Тон",
        "topic": "Тема", "partner": "Партнёр", "lang": "Язык", "group": "Группа изданий",
        "outlet": "Издание", "all": "Всё",
        "col_series": "Ряд", "col_week": "За неделю", "col_copies": "Перепечатки",
        "col_base": "База / неделя", "col_change": "Изменение", "col_n": "Материалы",
        "col_adjusted": "С поправкой",
        "raw_line": "с поправкой на собранный объём: ожидалось {expected} материалов; "
                    "без поправки {raw}",
        "collection_note": "Сбор изменился на этой неделе: собрано x{factor} от базовых "
                           "недель{silent}{new}. Тесты объёма учитывают это.",
        "collection_silent": "; молчат источников: {n} ({names})",
        "collection_new": "; новых источников: {n} ({names})",
        "col_pol": "Полярность", "col_pol_base": "База", "col_pol_change": "Изменение",
        "col_alarm": "Тревожность", "col_alarm_change": "Изм. тревожности",
        "flag": "сдвиг",
        "new": "Что нового", "no_new": "Ничего, чего не было в базовом периоде.",
        "new_partner": "Новый партнёр", "new_entity": "Новое имя", "new_term": "Новый термин",
        "new_pieces": "материалов: {n}",
        "languages": "Казахско- и русскоязычное освещение",
        "col_kk": "Казахский", "col_ru": "Русский", "col_kk_tone": "Тон (kk)",
        "col_ru_tone": "Тон (ru)",
        "groups": "По группам изданий",
        "health": "Состояние источников",
        "health_ok": "Все активные источники обходились и публиковали материалы.",
        "health_runs": "Запусков сбора за неделю: {runs}, из них с ошибкой: {failed}.",
        "health_outcomes": "Итоги",
        "failed": "ошибки сбора", "not_crawled": "не обходился", "silent": "молчит",
        "imported": "из архива",
        "stale": "устарел", "undated": "материалы без даты",
        "garbled": "нечитаемая кодировка",
        "charts": "Графики", "chart_volume": "Релевантные материалы по неделям",
        "chart_tone": "Средний тон по партнёрам (полярность от -1 до 1)",
        "pieces": "материалы", "copies_legend": "перепечатки", "polarity": "полярность",
        "method": "Как читать сводку",
        "method_text": "Каждый сюжет считается один раз, сколько бы изданий его ни перепечатали; "
                       "перепечатки показаны отдельно как охват. Неделя: с понедельника по "
                       "воскресенье, {tz}; база: {n} предыдущих недель. Сдвиг объёма отмечается, "
                       "только если его подтверждает тест Пуассона (отрицательное биномиальное "
                       "распределение при всплесках) для отношения частот, сдвиг тона: тест "
                       "Уэлча для разницы средней полярности; ряды с менее чем {min} материалами "
                       "не проверяются, доля ложных открытий среди всех {tests} тестов не выше "
                       "{fdr} (Бенджамини-Хохберг). Материалы без даты публикации в динамике не "
                       "учитываются. Профиль {version}.",
        "footer": "steppewatch: открытый мониторинг новостей об оборонных связях Казахстана.",
    },
}


def strings(language: str) -> dict[str, str]:
    return STRINGS.get(language, STRINGS["en"])
