"""Tone lexicon: cooperative, conflict, alarm (danger framing) and threat (explicit threats of
force) stems for Russian and Kazakh.

The terms live in ``data/tone_lexicon.yaml`` so analysts can review and edit them. Entries are
stems matched as prefixes of lower-cased tokens, because both languages inflect by suffix and we
have no Kazakh lemmatiser; multi-word entries match consecutive tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from pathlib import Path

from pipeline.yamlio import load_yaml

LEXICON_PATH = Path(__file__).parent / "data" / "tone_lexicon.yaml"
CATEGORIES = ("cooperative", "conflict", "alarm", "threat", "shield")
# Framing categories: they raise alarm; a negated one ("не угрожает", "угрозы нет") is dropped,
# since a denial of danger is reassurance, not danger.
FRAMING = ("alarm", "threat")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# A negator right before a hit flips it ("не поддержал", "қолдау емес" is handled
# by looking one token after as well, since Kazakh puts the negator after the word).
_NEG_BEFORE = 1
_NEG_AFTER_KK = 1


@dataclass(frozen=True, slots=True)
class Hit:
    """One lexicon match in a text."""

    category: str  # cooperative | conflict | alarm | threat
    term: str  # the surface words matched, lower case
    weight: float  # signed: a negated hit has a negative weight
    token_index: int


@dataclass(frozen=True, slots=True)
class _Entry:
    stems: tuple[str, ...]  # one per token; "=x" means the token must equal x
    category: str
    weight: float
    # The stems after the first as (stem, exact): what the following tokens must be or start
    # with.
    rest: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class _Lang:
    by_first: dict[str, tuple[_Entry, ...]]  # first-stem (without "=") -> entries, longest first
    neg_exact: frozenset[str]  # negators written "=x"
    neg_prefix: tuple[str, ...]  # negators matched as prefixes
    blocked: tuple[str, ...]
    drill: tuple[str, ...]  # first stems of words that mark an exercise
    # Every prefix of a first stem (the stems included): a token's prefixes are looked up
    # only while they are in here.
    prefixes: frozenset[str]
    # Token -> the entries that may start at it, in the order they are tried (see ``_starting``),
    # remembered: news vocabulary repeats, so most tokens cost one dict look-up.
    memo: _Starting = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "memo", _Starting(self))


class _Starting(dict[str, tuple[_Entry, ...]]):
    """The memo of ``_starting``: a token not seen yet is worked out on look-up, so a whole
    token list is looked up in one C-level pass."""

    def __init__(self, lx: _Lang) -> None:
        super().__init__()
        self.lx = lx

    def __missing__(self, tok: str) -> tuple[_Entry, ...]:
        return _starting(self.lx, tok)


def normalise(text: str) -> str:
    return text.lower().replace("ё", "е")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters and inner hyphens), the unit every stem is matched on."""
    return _WORD.findall(normalise(text))


def _stem_matches(stem: str, token: str) -> bool:
    return token == stem[1:] if stem.startswith("=") else token.startswith(stem)


def _build(section: dict) -> _Lang:
    by_first: dict[str, list[_Entry]] = {}
    for category in CATEGORIES:
        for term, weight in (section.get(category) or {}).items():
            stems = tuple(normalise(str(term)).split())
            entry = _Entry(stems, category, float(weight),
                           tuple((x[1:], True) if x.startswith("=") else (x, False)
                                 for x in stems[1:]))
            by_first.setdefault(stems[0].lstrip("="), []).append(entry)
    ordered = {k: tuple(sorted(v, key=lambda e: -len(e.stems))) for k, v in by_first.items()}
    negators = [normalise(n) for n in section.get("negators") or ()]
    blocked = tuple(normalise(b) for b in section.get("not") or ())
    drill = tuple(normalise(d).split()[0] for d in section.get("drill") or ())
    return _Lang(ordered, frozenset(n[1:] for n in negators if n.startswith("=")),
                 tuple(n for n in negators if not n.startswith("=")), blocked, drill,
                 frozenset(k[:n] for k in ordered for n in range(1, len(k) + 1)))


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, _Lang]:
    with open(path, encoding="utf-8") as f:
        raw = load_yaml(f.read())
    return {lang: _build(section) for lang, section in raw.items()}


def _lang(lang: str, path: Path = LEXICON_PATH) -> _Lang:
    table = _load(str(path))
    return table.get(lang) or table["ru"]


_MEMO_WORDS = 200_000  # distinct tokens remembered per language before the memo is reset


def _starting(lx: _Lang, tok: str) -> tuple[_Entry, ...]:
    """The entries whose first stem accepts ``tok``, in the order they are tried: every prefix
    of the token may be the first stem of an entry, the longest first so that "партнерств"
    wins over "партнер", and within one stem the longest entry first. A blocked token starts
    no one-word entry, but still a phrase ("жауап шаралары")."""
    blocked = bool(lx.blocked) and tok.startswith(lx.blocked)
    by_cut: list[tuple[_Entry, ...]] = []  # entries of each prefix that is a first stem
    for cut in range(1, len(tok) + 1):
        prefix = tok[:cut]
        if prefix not in lx.prefixes:
            break
        entries = lx.by_first.get(prefix)
        if entries:
            by_cut.append(entries)
    found: list[_Entry] = []
    for entries in reversed(by_cut):  # the longest first stem first
        for entry in entries:
            if blocked and len(entry.stems) == 1:
                continue
            if _stem_matches(entry.stems[0], tok):
                found.append(entry)
    result = tuple(found)
    if len(lx.memo) >= _MEMO_WORDS:
        lx.memo.clear()
    lx.memo[tok] = result
    return result


def find_hits(tokens: list[str], lang: str) -> list[Hit]:
    """All lexicon hits in a token list, longest entry first at each position, no overlaps."""
    lx = _lang(lang)
    starting = list(map(lx.memo.__getitem__, tokens))
    hits: list[Hit] = []
    after = 0  # the token after the last hit: hits never overlap
    size = len(tokens)
    for i in compress(range(size), starting):
        if i < after:
            continue
        matched: _Entry | None = None
        for entry in starting[i]:
            # The first stem accepts tokens[i] already (``_starting``); the others must accept
            # the tokens that follow.
            j = i
            for stem, exact in entry.rest:
                j += 1
                if j >= size:
                    break
                tok = tokens[j]
                if (tok != stem) if exact else not tok.startswith(stem):
                    break
            else:
                matched = entry
                break
        if matched is None:
            continue
        n = len(matched.stems)
        after = i + n
        if matched.category == "shield":
            continue
        if matched.category in FRAMING:
            if (_negated(tokens, i, lx, lang, reach=_FRAMING_REACH)
                    or _denied(tokens, i, i + n, lang) or _refuted(tokens, i)):
                continue
            sign = 1.0
        else:
            sign = -1.0 if _negated(tokens, i, lx, lang) else 1.0
        hits.append(Hit(matched.category, " ".join(tokens[i : i + n]), sign * matched.weight, i))
    return hits


def _is_negator(token: str, lx: _Lang) -> bool:
    return token in lx.neg_exact or bool(lx.neg_prefix and token.startswith(lx.neg_prefix))


def _negated(tokens: list[str], i: int, lx: _Lang, lang: str, *, reach: int = _NEG_BEFORE) -> bool:
    """A negator just before the token (Russian "не поддержал"; for danger framing up to
    ``reach`` tokens before: "не представляют опасности"), or for Kazakh also just after it
    ("қолдау емес")."""
    for j in range(i - 1, max(-1, i - 1 - reach), -1):
        if tokens[j] in _STOPS or tokens[j].startswith(_AFFIRMERS):
            break  # "не исключает удара" affirms the strike
        if _is_negator(tokens[j], lx):
            return True
    return lang == "kk" and any(
        _is_negator(tokens[j], lx) for j in range(i + 1, min(len(tokens), i + 1 + _NEG_AFTER_KK)))


# Danger framing is denied by what follows it within a few words ("угрозы паводка нет",
# "размещения «Орешника» не будет", Kazakh "шабуыл жасауды жоспарламайды") or refuted by
# what precedes it ("опровергли слухи о базе НАТО").
_FRAMING_REACH = 3
_DENY_REACH = 3
_STOPS = frozenset({"|", "только", "лишь"})  # a sentence boundary; "не только угроза"
_DENIALS = frozenset({"нет", "жоқ", "емес"})
# Dismissals after the framing: "разговоры о войне — «чепуха»", Kazakh "бос сөз".
_DISMISSALS = ("чепух", "бред", "вымысел", "вымысл", "выдумк", "өтірік")
_DENIAL_PAIRS = frozenset({("не", "будет"), ("не", "планируется"), ("не", "планирует"),
                           ("не", "планируют"), ("не", "было"), ("не", "существует")})
# Kazakh negative verb forms: the negative -ма/-ме/-ба/-бе/-па/-пе before a person, tense or
# participle ending (жоспарламайды, көрмейді, тартылмайды, болмайды, қалдырмаймыз).
_KK_NEGATIVE_VERB = re.compile(r"(?:ма|ме|ба|бе|па|пе)(?:йды|йді|ймыз|йміз|йтын|йтін|ған|ген|сын|сін)"
                               r"(?:ын|ін|ы|і|на|не|да|де|ға|ге|нан|нен)?$")
# Kazakh threats that are a negated verb themselves: "жауапсыз қалдырмаймыз" (we will not leave
# it unanswered).
_KK_DOUBLE_NEGATIVE = ("жауапсыз",)
_REFUTERS = ("опроверг", "фейк", "слух", "жоққа")
_RULERS_OUT = ("исключа", "исключил", "исключено")
_DRILL = ("учебн", "жоспарлы", "оқу-жаттығу")
# Negated, these affirm what follows: "не исключает удара", "не отрицает угрозы", "не секрет,
# что угроза...", "не прекращаются обстрелы".
_AFFIRMERS = ("исключ", "отрица", "скрыва", "секрет", "прекраща", "утиха", "стиха", "снижа")


def _denied(tokens: list[str], inside: int, after: int, lang: str) -> bool:
    """Denied by a few words after the hit, or (Kazakh) by a negative verb inside the hit
    itself ("қатер төндірмейді", "шабуыл жасамайды", "қорқытпайды")."""
    for j in range(inside, min(len(tokens), after + _DENY_REACH)):
        tok = tokens[j]
        if tok in _STOPS:
            return False
        if (lang == "kk" and len(tok) > 6 and _KK_NEGATIVE_VERB.search(tok)
                and not (j < after and tokens[inside].startswith(_KK_DOUBLE_NEGATIVE))):
            return True
        if j < after:
            continue
        if tok in _DENIALS or (j + 1 < len(tokens) and (tok, tokens[j + 1]) in _DENIAL_PAIRS):
            return True
        if tok.startswith(_DISMISSALS) or (lang == "kk" and tok == "бос"):
            return True
        if tok.startswith(_DRILL):
            return True  # "тревога была учебной": a drill, not danger
    return False


def _refuted(tokens: list[str], i: int) -> bool:
    """Refuted by what precedes: "опровергли слухи о базе", or ruled out: "министры исключают
    военное вмешательство" (but "не исключают удара" affirms it)."""
    for j in range(i - 1, max(-1, i - 1 - _DENY_REACH), -1):
        if tokens[j] in _STOPS:
            return False
        if tokens[j].startswith(_REFUTERS):
            return True
        if tokens[j].startswith(_RULERS_OUT) and not (j and tokens[j - 1] in ("не", "нельзя")):
            return True
    return False


def lexicon_polarity(hits: list[Hit]) -> float:
    """Signed cooperative-minus-conflict mass of some hits; a threat counts as conflict, alarm
    as conflict at half."""
    score = 0.0
    for h in hits:
        if h.category == "cooperative":
            score += h.weight
        elif h.category in ("conflict", "threat"):
            score -= h.weight
        else:
            score -= 0.5 * h.weight
    return score


def alarm_mass(hits: list[Hit]) -> float:
    """Danger framing of some hits: alarm and threat terms alike."""
    return sum(h.weight for h in hits if h.category in FRAMING)


def is_drill(tokens: list[str], lang: str) -> bool:
    """Does a sentence speak of an exercise (its threats are a rehearsed scenario)?"""
    drill = _lang(lang).drill
    return bool(drill) and any(t.startswith(drill) for t in tokens)


def threat_mass(hits: list[Hit]) -> float:
    """Explicit threats of force among some hits."""
    return sum(h.weight for h in hits if h.category == "threat")
