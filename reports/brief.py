"""The flagged shifts as a reader meets them: one entry per thing that happened.

A week's tests flag series, not events: one wave of stories about a drone contract raises the
topic Turkey, the partner Türkiye, the topic of procurement, Kazakh-language coverage and the
outlet that ran most of it. Each is a real test result (all stay in ``DigestData.shifts`` and
in the false-discovery control), but a reader needs them as one entry that names every facet.

Shifts are read in order of strength (q-value). A subject shift (topic or partner) joins an
entry when it rests on mostly the same stories as the entry's core (``SAME_STORIES`` of the
smaller set: Turkey the topic and Türkiye the partner, the CSTO and Russia); any shift joins
the entry holding most of its stories when it would not have passed without the stories
already claimed (``rests_on``); the others open entries of their own. Sources (language,
outlet group, outlet) are read after subjects, so that the events they carry exist first.
Shifts of all relevant coverage make one line of their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from reports import drivers, fmt, i18n
from reports.evidence import norm
from reports.model import ArticleRef, Entry, Shift

SAME_STORIES = 0.8
SUBJECTS = ("topic", "partner")
MAX_STORIES = 5  # stories listed per entry
MAX_SUBJECTS = 3  # names in an entry's title
MAX_PHRASES = 3  # what moved, in an entry's sentence
MAX_SENTENCES = 4  # entry sentences in the summary (the headline comes first)


@dataclass(kw_only=True)
class _Group:
    facets: list[Shift]
    core: set[int]  # stories of the lead and of the shifts that rest on the same stories
    same: list[Shift] = field(default_factory=list)  # the lead and those shifts


def build_entries(ctx: drivers.Context, shifts: list[Shift], language: str) -> list[Entry]:
    """Entries, events first (strongest first), then the line on all relevant coverage."""
    stories = {(s.metric, s.kind, s.key): _stories(ctx, s) for s in shifts}
    groups: list[_Group] = []
    overall: list[Shift] = []
    ordered = ([s for s in shifts if s.kind in SUBJECTS]
               + [s for s in shifts if s.kind not in SUBJECTS and s.kind != "all"])
    for s in shifts:
        if s.kind == "all":
            overall.append(s)
    for s in ordered:
        mine = stories[(s.metric, s.kind, s.key)]
        home = next((g for g in groups if s.kind in SUBJECTS and _same(mine, g.core)), None)
        if home is not None:
            home.facets.append(s)
            if _mutual(mine, home.core):  # the same stories: one more name for the event
                home.same.append(s)
                home.core |= mine
            continue
        claimed = set().union(*(g.core for g in groups)) if groups else set()
        if groups and rests_on(ctx, s, mine, claimed):
            best = max(groups, key=lambda g: len(mine & g.core))
            best.facets.append(s)
            continue
        groups.append(_Group(facets=[s], core=set(mine), same=[s]))

    groups.sort(key=lambda g: (g.facets[0].q_value, g.facets[0].p_value))
    s_ = i18n.strings(language)
    entries = [_event(ctx, g, i + 1, language, s_) for i, g in enumerate(groups)]
    if overall:
        claimed = set().union(*(g.core for g in groups)) if groups else set()
        entries.append(_overall(ctx, overall, len(entries) + 1, claimed, language, s_))
    return entries


def summary(entries: list[Entry]) -> list[Entry]:
    """The entries whose sentences open the brief: events first, the overall line kept."""
    events = [e for e in entries if e.kind == "event"]
    overall = [e for e in entries if e.kind == "all"]
    room = MAX_SENTENCES - len(overall)
    return events[:room] + overall


def rests_on(ctx: drivers.Context, s: Shift, mine: set[int], claimed: set[int]) -> bool:
    """Whether the shift would not have passed without the stories already claimed."""
    shared = len(mine & claimed)
    if not shared:
        return False
    if s.metric == "volume":
        if s.direction != "up":
            return False  # a drop rests on what is missing, not on stories
        expected = s.expected if s.expected is not None else s.baseline_value
        return s.week_value - shared <= expected + 2 * math.sqrt(max(expected, 0.0)) + 1
    sign = 1 if s.direction == "up" else -1
    driving = {a.story for a in ctx.articles
               if drivers.in_series(a, s.kind, s.key, ctx.table.groups)
               and sign * (drivers.value_of(a, s.metric, s.kind, s.key) - s.baseline_value) > 0}
    return bool(driving) and len(driving & claimed) >= SAME_STORIES * len(driving)


def _same(mine: set[int], theirs: set[int]) -> bool:
    return bool(mine and theirs) and (
        len(mine & theirs) >= SAME_STORIES * min(len(mine), len(theirs)))


def _mutual(mine: set[int], theirs: set[int]) -> bool:
    shared = len(mine & theirs)
    return shared >= SAME_STORIES * len(mine) and shared >= SAME_STORIES * len(theirs)


def _stories(ctx: drivers.Context, s: Shift) -> set[int]:
    return {a.story for a in ctx.articles if drivers.in_series(a, s.kind, s.key, ctx.table.groups)}


def _outlets(ctx: drivers.Context, stories: set[int]) -> int:
    return len({a.outlet_id for a in ctx.articles if a.story in stories})


def fold(refs: list[ArticleRef]) -> list[ArticleRef]:
    """Each story once: copies and same-headline pieces of other outlets folded into the
    first, whose ``carried_by`` then names every other outlet."""
    return _fold(refs)[0]


def _fold(refs: list[ArticleRef]) -> tuple[list[ArticleRef], list[set[int]]]:
    """The folded list and, per item, the stories it stands for."""
    out: list[ArticleRef] = []
    covers: list[set[int]] = []
    index: dict[object, int] = {}
    for r in refs:
        keys: list[tuple[str, object]] = [("story", r.story)] if r.story else []
        keys.append(("title", norm(r.title)))
        at = next((index[k] for k in keys if k in index), None)
        if at is None:
            index.update({k: len(out) for k in keys})
            out.append(r)
            covers.append({r.story})
            continue
        head = out[at]
        if r.story in covers[at]:  # the same story, listed by another facet
            continue
        covers[at].add(r.story)
        others = [o for o in [*head.carried_by, r.outlet, *r.carried_by] if o != head.outlet]
        out[at] = replace(head, carried_by=list(dict.fromkeys(others)),
                          copies=head.copies + 1 + r.copies,
                          sentence=head.sentence or r.sentence)
        index.update({k: at for k in keys})
    return out, covers


def _bare(s: Shift) -> Shift:
    return replace(s, articles=[], outlets=[])


def _event(ctx: drivers.Context, g: _Group, number: int, language: str,
           s_: dict[str, str]) -> Entry:
    lead = g.facets[0]
    # The core's stories only: a facet that rests on this event may also hold other stories.
    refs, covers = _fold([a for f in g.facets for a in f.articles if a.story in g.core])
    listed = set().union(*covers[:MAX_STORIES]) if covers else set()
    subjects = list(dict.fromkeys(f.label for f in g.same))[:MAX_SUBJECTS]
    n_stories, n_outlets = len(g.core), _outlets(ctx, g.core)
    stories = i18n.plural(language, n_stories, "story", fmt.num(n_stories, 0, language))
    outlets = i18n.plural(language, n_outlets, "outlet", fmt.num(n_outlets, 0, language))
    phrases = _phrases(g.same, language, s_)
    subject_text = " / ".join(subjects)
    if refs and (lead.direction == "up" or lead.metric != "volume"):
        sentence = s_["sent_event"].format(subjects=subject_text, phrases=phrases,
                                           title=max(refs, key=lambda r: len(r.carried_by)).title,
                                           stories=stories,
                                           outlets=outlets)
    else:
        sentence = s_["sent_event_plain"].format(subjects=subject_text, phrases=phrases,
                                                 stories=stories, outlets=outlets)
    title = f"{subject_text}: " + ", ".join(dict.fromkeys(
        s_[f"{f.metric}_{f.direction}"] for f in g.same))
    return Entry(number=number, kind="event", title=title, sentence=sentence,
                 facets=[_bare(f) for f in g.facets], stories=refs[:MAX_STORIES],
                 story_count=n_stories, outlet_count=n_outlets, outlets=lead.outlets,
                 unlisted=len(g.core - listed))


def _overall(ctx: drivers.Context, facets: list[Shift], number: int, claimed: set[int],
             language: str, s_: dict[str, str]) -> Entry:
    lead = facets[0]
    mine = _stories(ctx, lead)
    phrases = _phrases(facets, language, s_)
    total = i18n.plural(language, len(mine), "story", fmt.num(len(mine), 0, language))
    if claimed and mine <= claimed:
        sentence = s_["sent_all_within"].format(phrases=phrases, total=total)
    elif claimed:
        sentence = s_["sent_all_shared"].format(phrases=phrases, total=total,
                                                shared=len(mine & claimed))
    else:
        sentence = s_["sent_all"].format(phrases=phrases)
    # The stories the events above do not already list: what else moved the total.
    refs = fold([a for f in facets for a in f.articles if a.story not in claimed])
    label = lead.label[:1].upper() + lead.label[1:]
    return Entry(number=number, kind="all", title=f"{label}: " + ", ".join(
        dict.fromkeys(s_[f"{f.metric}_{f.direction}"] for f in facets)),
        sentence=sentence, facets=[_bare(f) for f in facets], stories=refs[:MAX_STORIES],
        story_count=len(mine), outlet_count=_outlets(ctx, mine), outlets=lead.outlets)


def _phrases(facets: list[Shift], language: str, s_: dict[str, str]) -> str:
    """What moved, once per metric and direction, with the strongest facet's figures."""
    chosen: dict[tuple[str, str], Shift] = {}
    for f in facets:
        chosen.setdefault((f.metric, f.direction), f)
    parts = [_phrase(f, language, s_) for f in list(chosen.values())[:MAX_PHRASES]]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + s_["and"] + parts[-1]
    return parts[0] if parts else ""


def _phrase(f: Shift, language: str, s_: dict[str, str]) -> str:
    key = f"ph_{f.metric}_{f.direction}"
    if f.metric == "volume":
        week = round(f.week_value)
        return s_[key].format(est=fmt.num(f.estimate, 1, language),
                              week=i18n.plural(language, week, "story",
                                               fmt.num(week, 0, language)),
                              base=fmt.num(f.baseline_value, 1, language))
    if f.metric == "alarm":
        return s_[key].format(base=fmt.num(f.baseline_value, 2, language),
                              week=fmt.num(f.week_value, 2, language))
    return s_[key].format(base=fmt.signed(f.baseline_value, 2, language),
                          week=fmt.signed(f.week_value, 2, language))
