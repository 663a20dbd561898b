"""Interface text of the digest in English (default) and Russian (``digest.language = "ru"``).

Only the product's own words are translated; titles, quotes and outlet names stay as written.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "steppewatch weekly brief {week}: {shifts}, {pieces}",
        "title": "Kazakhstan defence ties: weekly brief",
        "period": "{week}: {first} to {last} ({tz})",
        "headline": "{pieces} this week ({copies}) against {baseline} a week in the baseline "
                    "({change}).",
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
        "outlet_tone": "{n}, mean tone {tone}",
        "outlet_alarm": "{n}, mean alarm {alarm}",
        "summary": "This week in one minute",
        "ph_volume_up": "coverage rose ×{est} ({week} against {base} a week)",
        "ph_volume_down": "coverage fell to ×{est} ({week} against {base} a week)",
        "ph_tone_up": "tone turned more positive ({base} → {week})",
        "ph_tone_down": "tone turned more negative ({base} → {week})",
        "ph_alarm_up": "threat framing rose ({base} → {week})",
        "ph_alarm_down": "threat framing eased ({base} → {week})",
        "and": " and ",
        "sent_event": "{subjects}: {phrases}; led by «{title}» ({stories}, {outlets}).",
        "sent_event_plain": "{subjects}: {phrases} ({stories}, {outlets}).",
        "sent_all": "All relevant coverage: {phrases}.",
        "sent_all_shared": "All relevant coverage: {phrases}; {shared} of its {total} are in "
                           "the entries above.",
        "sent_all_within": "All relevant coverage: {phrases}; all its {total} are in the "
                           "entries above.",
        "sent_more": "And {n} more below.",
        "facets": "Tests it passed",
        "stories_head": "Stories ({stories} in {outlets}; each listed once)",
        "stories_other": "Stories outside the entries above",
        "more_stories": "plus {n} not listed",
        "also_in": "also in {outlets}: {names}",
        "compact": "Further shifts",
        "col_shift": "Shift", "col_figure": "Figure", "col_q": "q", "col_stories": "Stories",
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
        "collection_silent": "; {n} silent ({names})",
        "collection_new": "; {n} new ({names})",
        "col_pol": "Polarity", "col_pol_base": "Baseline", "col_pol_change": "Change",
        "col_alarm": "Alarm", "col_alarm_change": "Alarm change",
        "flag": "shift",
        "new": "What is new", "no_new": "Nothing that the baseline had not seen.",
        "new_partner": "New partner", "new_entity": "New name", "new_term": "New term",
        "new_pieces": "{n}",
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
        "subject": "steppewatch: недельная сводка {week}: {shifts}, {pieces}",
        "title": "Оборонные связи Казахстана: недельная сводка",
        "period": "{week}: с {first} по {last} ({tz})",
        "headline": "{pieces} за неделю (ещё {copies}) при {baseline} в неделю в базовом "
                    "периоде ({change}).",
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
        "outlet_tone": "{n}, средний тон {tone}",
        "outlet_alarm": "{n}, средняя тревожность {alarm}",
        "summary": "Неделя за минуту",
        "ph_volume_up": "освещение выросло в {est} раза ({week} при {base} в неделю)",
        "ph_volume_down": "освещение сократилось до ×{est} ({week} при {base} в неделю)",
        "ph_tone_up": "тон стал позитивнее ({base} → {week})",
        "ph_tone_down": "тон стал негативнее ({base} → {week})",
        "ph_alarm_up": "тревожность выросла ({base} → {week})",
        "ph_alarm_down": "тревожность снизилась ({base} → {week})",
        "and": " и ",
        "sent_event": "{subjects}: {phrases}; главный сюжет: «{title}» ({stories}, {outlets}).",
        "sent_event_plain": "{subjects}: {phrases} ({stories}, {outlets}).",
        "sent_all": "Всё релевантное освещение: {phrases}.",
        "sent_all_shared": "Всё релевантное освещение: {phrases}; {total} за неделю, из них "
                           "в пунктах выше: {shared}.",
        "sent_all_within": "Всё релевантное освещение: {phrases}; все {total} за неделю — в "
                           "пунктах выше.",
        "sent_more": "И ещё ниже: {n}.",
        "facets": "Пройденные тесты",
        "stories_head": "Сюжеты ({stories}, {outlets}; каждый один раз)",
        "stories_other": "Сюжеты вне пунктов выше",
        "more_stories": "и ещё {n}",
        "also_in": "также в {outlets}: {names}",
        "compact": "Прочие сдвиги",
        "col_shift": "Сдвиг", "col_figure": "Показатель", "col_q": "q",
        "col_stories": "Сюжеты",
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
        "collection_silent": "; молчат: {n} ({names})",
        "collection_new": "; новые: {n} ({names})",
        "col_pol": "Полярность", "col_pol_base": "База", "col_pol_change": "Изменение",
        "col_alarm": "Тревожность", "col_alarm_change": "Изм. тревожности",
        "flag": "сдвиг",
        "new": "Что нового", "no_new": "Ничего, чего не было в базовом периоде.",
        "new_partner": "Новый партнёр", "new_entity": "Новое имя", "new_term": "Новый термин",
        "new_pieces": "{n}",
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


# Counted nouns: English singular and plural; Russian one, few (2-4) and many.
PLURALS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"story": ("story", "stories"), "outlet": ("outlet", "outlets"),
           "piece": ("piece", "pieces"), "relevant": ("relevant piece", "relevant pieces"),
           "copy": ("further copy", "further copies"), "shift": ("shift", "shifts")},
    "ru": {"story": ("сюжет", "сюжета", "сюжетов"), "outlet": ("издание", "издания", "изданий"),
           "piece": ("материал", "материала", "материалов"),
           "relevant": ("релевантный материал", "релевантных материала",
                        "релевантных материалов"),
           "copy": ("перепечатка", "перепечатки", "перепечаток"),
           "shift": ("сдвиг", "сдвига", "сдвигов")},
}


def strings(language: str) -> dict[str, str]:
    return STRINGS.get(language, STRINGS["en"])


def plural(language: str, n: int, noun: str, number: str | None = None) -> str:
    """``n`` and the noun in the form the number asks for ("1 piece", "21 сюжет");
    ``number`` is ``n`` as the brief formats it (digit grouping)."""
    forms = PLURALS.get(language, PLURALS["en"])[noun]
    shown = str(n) if number is None else number
    if len(forms) == 2:
        return f"{shown} {forms[0] if n == 1 else forms[1]}"
    last, tens = n % 10, n % 100
    if last == 1 and tens != 11:
        form = forms[0]
    elif 2 <= last <= 4 and not 12 <= tens <= 14:
        form = forms[1]
    else:
        form = forms[2]
    return f"{shown} {form}"
