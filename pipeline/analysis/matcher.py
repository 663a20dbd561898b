"""Fast matching of the profile's aliases and terms in running Russian and Kazakh text.

This is the cheap first stage: it must look at every crawled article long before natasha
runs, so it works on plain word tokens with dictionary look-ups instead of morphology.
A pattern word is one of (see the header of seeds/profile.yaml):

* ``stem*``       a prefix: any ending;
* ``stem(a|b|)``  one of the listed endings, exactly;
* ``ABBR``        all capitals: exact and case-sensitive (РК is not рк);
* ``Word``        a name or plain word: inflected forms accepted. A final vowel, й or ь may
  change (Турция -> Турцией) and a few letters may follow: 4 in Russian, 6 in Kazakh where
  suffixes stack (Қазақстан -> Қазақстандағы). Words under 4 letters are exact.

Text and patterns are lower-cased with ё -> е, and split into letter/digit tokens the same
way, so a hyphenated or multi-word pattern matches token by token with only spaces, hyphens
or quotes between the tokens.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate, compress

from pipeline.profile import Profile, Terms, load_profile

TOKEN = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")
_VOWEL_END = set("аеёиоуыэюяйьәіөұүaeiouy")
_AUTO_SUFFIX = {"ru": 4, "en": 4, "kk": 6}
_GAP_CHARS = set(" \t-–—\"'«»“”„\u00a0")
_MAX_GAP = 3
_CACHE_WORDS = 200_000  # distinct words remembered before the memo is reset

KINDS = ("partner", "entity", "topic", "defence", "defence_intl", "relation", "domestic",
         "war", "foreign", "civil", "framing")


# Not frozen: a frozen dataclass pays a setattr call per field, and hits are made by the
# thousand per second. Treat them as read-only.
@dataclass(slots=True, kw_only=True)
class Hit:
    start: int
    end: int
    kind: str  # one of KINDS
    id: str  # partner/entity/topic id, or the list name ("defence", "alarm", ...)
    term: str  # the profile pattern that matched
    text: str  # the surface form in the text


@dataclass(frozen=True, slots=True)
class _Word:
    mode: str  # exact | prefix | auto | caps
    stem: str  # normalised stem (exact word for exact/caps)
    max_suffix: int = 0  # for auto
    original: str = ""  # for caps: the case-sensitive form

    def accepts(self, word: str, original: str) -> bool:
        if self.mode == "exact":
            return word == self.stem
        if self.mode == "caps":
            return original == self.original
        if not word.startswith(self.stem):
            return False
        return self.mode == "prefix" or len(word) - len(self.stem) <= self.max_suffix


@dataclass(frozen=True, slots=True)
class _Pattern:
    words: tuple[_Word, ...]
    owners: tuple[tuple[str, str, str], ...]  # (kind, id, term)


def normalise(text: str) -> str:
    """Lower case with ё -> е, keeping every offset (one output char per input char)."""
    low = text.lower()
    if len(low) != len(text):  # e.g. Turkish İ lowers to two code points
        low = "".join(ch.lower()[:1] for ch in text)
    return low.replace("ё", "е")


def _compile_word(raw: str, lang: str) -> list[_Word]:
    """One token of a pattern -> the accepted word specs (several for `(a|b)` endings)."""
    if raw.endswith("*"):
        return [_Word("prefix", normalise(raw[:-1]))]
    if raw.endswith(")") and "(" in raw:
        stem, _, alts = raw[:-1].partition("(")
        return [_Word("exact", normalise(stem + alt)) for alt in alts.split("|")]
    letters = [c for c in raw if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return [_Word("caps", normalise(raw), original=raw)]
    low = normalise(raw)
    if len(low) < 4:
        return [_Word("exact", low)]
    stem = low[:-1] if low[-1] in _VOWEL_END and len(low) >= 5 else low
    return [_Word("auto", stem, max_suffix=_AUTO_SUFFIX[lang] + (len(low) - len(stem)))]


def _compile_term(term: str, lang: str) -> list[tuple[_Word, ...]]:
    """A pattern string -> one or more word sequences (alternatives multiply out)."""
    sequences: list[list[_Word]] = [[]]
    for chunk in term.split():
        marker = ""
        body = chunk
        if chunk.endswith("*"):
            marker, body = "*", chunk[:-1]
        elif chunk.endswith(")") and "(" in chunk:
            cut = chunk.index("(")
            marker, body = chunk[cut:], chunk[:cut]
        parts = TOKEN.findall(body)
        if not parts:  # a pure ending like "(|а)" glued to nothing: ignore
            continue
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            raw = part + marker if last else part
            if not last and marker:
                options = [_Word("exact", normalise(part))]
            else:
                options = _compile_word(raw, lang)
            sequences = [[*seq, opt] for seq in sequences for opt in options]
    return [tuple(seq) for seq in sequences if seq]


_Candidate = _Pattern | tuple[tuple[str, str, str], ...]


class _Candidates(dict[str, tuple[_Candidate, ...]]):
    """Word -> its candidate patterns (``Matcher._lookup``): a word not seen yet is worked out
    on look-up, so a whole text's words are looked up in one C-level pass."""

    def __init__(self, matcher: Matcher) -> None:
        super().__init__()
        self.matcher = matcher

    def __missing__(self, word: str) -> tuple[_Candidate, ...]:
        return self.matcher._lookup(word)


class Matcher:
    """All the profile's patterns, indexed by their first word for one pass over the tokens."""

    def __init__(self, profile: Profile) -> None:
        self.version = profile.version
        owners: dict[tuple[_Word, ...], list[tuple[str, str, str]]] = defaultdict(list)

        def add(terms: Terms, kind: str, owner_id: str) -> None:
            for lang, items in terms.by_lang().items():
                for term in items:
                    for seq in _compile_term(term, lang):
                        owner = (kind, owner_id, term)
                        if owner not in owners[seq]:
                            owners[seq].append(owner)

        for partner in profile.partners:
            add(partner.aliases, "partner", partner.id)
        for entity in profile.entities:
            add(entity.aliases, "entity", entity.id)
        for topic in profile.topics:
            add(topic.terms, "topic", topic.id)
        add(profile.defence_terms, "defence", "defence")
        add(profile.international_defence_terms, "defence_intl", "defence_intl")
        add(profile.relation_terms, "relation", "relation")
        add(profile.domestic_military_terms, "domestic", "domestic")
        add(profile.foreign_war_terms, "war", "war")
        add(profile.foreign_terms, "foreign", "foreign")
        add(profile.civil_terms, "civil", "civil")
        for name, terms in profile.framing.items():
            add(terms, "framing", name)

        self._exact: dict[str, list[_Pattern]] = defaultdict(list)
        self._prefix: dict[str, list[_Pattern]] = defaultdict(list)
        for seq, own in owners.items():
            pattern = _Pattern(seq, tuple(own))
            first = seq[0]
            if first.mode in ("exact", "caps"):
                self._exact[first.stem].append(pattern)
            else:
                self._prefix[first.stem].append(pattern)
        # Stems grouped by their first three letters: one dict look-up per token rules out
        # most words, and the few candidates left are checked with startswith.
        self._by_lead: dict[str, list[tuple[str, list[_Pattern]]]] = defaultdict(list)
        for stem, patterns in self._prefix.items():
            self._by_lead[stem[:3]].append((stem, patterns))
        self.pattern_count = len(owners)
        self._candidates = _Candidates(self)
        # Kazakhstan's own institutions written without the country ("Қорғаныс министрлігі"):
        # right after a foreign state's name they are that state's ("Өзбекстан Қорғаныс
        # министрлігі", "Ресей Федерациясы Қорғаныс министрлігі").
        self._home_orgs = frozenset(e.id for e in profile.entities
                                    if getattr(e, "home", False) and e.type == "ORG")

    def match(self, text: str) -> list[Hit]:
        """Every hit in ``text``; within one kind a hit inside a longer one is dropped
        (Минобороны Казахстана is one entity, not also Казахстан)."""
        low = normalise(text)
        # [sep, word, sep, word, ..., sep]: all of it done in C; offsets by running sums.
        parts = _SPLIT.split(low)
        ends = list(accumulate(map(len, parts)))
        words = parts[1::2]
        found = list(map(self._candidates.__getitem__, words))
        raw: list[Hit] = []
        size = len(words)
        # The pattern's other words must follow with only a short gap between (checked here,
        # not in a helper: this runs for every candidate pattern of every word).
        for i in compress(range(size), found):
            for pattern in found[i]:
                if isinstance(pattern, tuple):  # the owners of a one-word pattern: a hit
                    start, end = ends[2 * i], ends[2 * i + 1]
                    surface = text[start:end]
                    for kind, owner_id, term in pattern:
                        raw.append(Hit(start=start, end=end, kind=kind, id=owner_id, term=term,
                                       text=surface))
                    continue
                specs = pattern.words
                first = specs[0]
                if first.mode == "caps" and text[ends[2 * i]:ends[2 * i + 1]] != first.original:
                    continue
                last = i + len(specs) - 1
                if last >= size:
                    continue
                for j in range(i + 1, last + 1):
                    gap = parts[2 * j]  # the separator before word j
                    if gap != " " and not _gap_allowed(gap):
                        break
                    spec = specs[j - i]
                    if spec.mode == "caps":
                        if text[ends[2 * j]:ends[2 * j + 1]] != spec.original:
                            break
                    elif not spec.accepts(words[j], ""):
                        break
                else:
                    start, end = ends[2 * i], ends[2 * last + 1]
                    surface = text[start:end]
                    for kind, owner_id, term in pattern.owners:
                        raw.append(Hit(start=start, end=end, kind=kind, id=owner_id, term=term,
                                       text=surface))
        return self._drop_foreign_owned(_drop_nested(raw), text)

    def _drop_foreign_owned(self, hits: list[Hit], text: str) -> list[Hit]:
        """Drop home institutions that a foreign state's name right before them owns."""
        partner_ends = {h.end for h in hits if h.kind == "partner"}
        if not partner_ends:
            return hits

        def owned(h: Hit) -> bool:
            if h.kind != "entity" or h.id not in self._home_orgs:
                return False
            gap = len(text[:h.start]) - len(text[:h.start].rstrip())
            return 0 < gap <= 2 and h.start - gap in partner_ends

        return [h for h in hits if not owned(h)]

    def _lookup(self, word: str) -> tuple[_Candidate, ...]:
        """Patterns whose first word accepts ``word`` (case-sensitive ones still to be checked
        on the original text), remembered: news vocabulary repeats, so most tokens are
        answered by one dict look-up."""
        found = list(self._exact.get(word, ()))
        for stem, patterns in self._by_lead.get(word[:3], ()):
            if word.startswith(stem):
                found.extend(p for p in patterns if p.words[0].accepts(word, ""))
        # A one-word pattern that is not case-sensitive matches wherever its word is: it is
        # remembered as its owners alone, in its place among the others.
        result = tuple(p.owners if len(p.words) == 1 and p.words[0].mode != "caps" else p
                       for p in found)
        if len(self._candidates) >= _CACHE_WORDS:
            self._candidates.clear()
        self._candidates[word] = result
        return result


def _gap_allowed(gap: str) -> bool:
    """May ``gap`` stand between two words of one pattern: spaces, hyphens or quotes only,
    at most _MAX_GAP of them."""
    return len(gap) <= _MAX_GAP and all(c in _GAP_CHARS for c in gap)


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.kind, h.start, -h.end))
    kept: list[Hit] = []
    reach: dict[str, tuple[int, int]] = {}  # kind -> (start, end) of the widest span so far
    seen: set[tuple[str, str, int, int]] = set()
    for hit in hits:
        key = (hit.kind, hit.id, hit.start, hit.end)
        if key in seen:  # one span found by two patterns of the same owner
            continue
        seen.add(key)
        widest = reach.get(hit.kind)
        if widest and hit.end <= widest[1] and (hit.start, hit.end) != widest:
            continue
        if not widest or hit.end > widest[1]:
            reach[hit.kind] = (hit.start, hit.end)
        kept.append(hit)
    kept.sort(key=lambda h: (h.start, -h.end, h.kind))
    return kept


_COMPILED: dict[str, Matcher] = {}  # profile version -> matcher


def get_matcher(profile: Profile | None = None) -> Matcher:
    """The compiled matcher for ``profile`` (default: the seed profile), built once."""
    profile = profile or load_profile()
    if profile.version not in _COMPILED:
        _COMPILED[profile.version] = Matcher(profile)
    return _COMPILED[profile.version]
