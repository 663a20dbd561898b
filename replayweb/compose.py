"""Compose one piece's title and paragraphs from the sentence banks.

Paragraphs are drawn sentence by sentence (not as fixed blocks) and every piece has its own
slot values, so that two unrelated pieces on the same partner share only a few sentences:
the crawler's near-duplicate detection must keep them apart, and only real syndicated
copies together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from replayweb.banks import kk, ru_other, ru_relevant
from replayweb.banks.slots import draw, fill


@dataclass(frozen=True, kw_only=True)
class Text:
    title: str
    paragraphs: tuple[str, ...]


def _take(rng: random.Random, pool: list[str], k: int) -> list[str]:
    return rng.sample(pool, min(k, len(pool)))


def _paragraphs(rng: random.Random, sentences: list[str], sizes: list[int]) -> list[str]:
    out, i = [], 0
    for n in sizes:
        chunk = sentences[i:i + n]
        i += n
        if chunk:
            out.append(" ".join(chunk))
    return out


def relevant_ru(rng: random.Random, when: datetime, bank: str, tone: str, *, short: bool) -> Text:
    spec = ru_relevant.PARTNERS[bank]
    v = draw(rng, when)
    lede_tone = tone if tone in spec["ledes"] else "neutral"
    title = fill(rng.choice(spec["titles"].get(lede_tone, spec["titles"]["neutral"])), v)
    lede = fill(rng.choice(spec["ledes"][lede_tone]), v)
    n_body = 3 if short else min(len(spec["body"]) - 1, rng.randint(5, 7))
    body = [fill(s, v) for s in _take(rng, spec["body"], n_body)]
    generic = [fill(s, v) for s in _take(rng, ru_relevant.GENERIC, 2 if short else rng.randint(6, 9))]
    toned = [fill(s, v) for s in _take(rng, ru_relevant.TONE[tone], 2 if short else 3)]
    quotes = [fill(s, v) for s in _take(rng, spec["quotes"], 1 if short else 2)]
    if short:
        return Text(title=title, paragraphs=(lede, quotes[0], " ".join(body + generic[:1]),
                                             " ".join(toned + generic[1:])))
    context = [fill(s, v) for s in _take(rng, ru_relevant.CONTEXT, 2)]
    background = fill(rng.choice(spec["background"]), v)
    mixed = body[1:] + generic
    rng.shuffle(mixed)
    third = len(mixed) // 3
    paras = [lede + " " + body[0], quotes[0], " ".join(mixed[:third]), " ".join(toned[:2]),
             " ".join(mixed[third:2 * third]), quotes[1] + " " + toned[2],
             " ".join(mixed[2 * third:]), " ".join(context) + " " + background]
    if tone == "alarm":
        # Alarm pieces put the threat framing right after the lede, as such coverage does.
        paras.insert(1, paras.pop(3))
    return Text(title=title, paragraphs=tuple(p for p in paras if p.strip()))


def relevant_kk(rng: random.Random, when: datetime, bank: str, tone: str, *, short: bool) -> Text:
    spec = kk.PARTNERS[bank]
    v = draw(rng, when)
    alarm = tone == "alarm" and "ledes_alarm" in spec
    title = fill(rng.choice(spec["titles_alarm" if alarm else "titles"]), v)
    lede = fill(rng.choice(spec["ledes_alarm" if alarm else "ledes"]), v)
    body = [fill(s, v) for s in _take(rng, spec["body"], 2 if short else len(spec["body"]) - 1)]
    generic = [fill(s, v) for s in _take(rng, kk.GENERIC, 1 if short else rng.randint(6, 8))]
    toned = [fill(s, v) for s in _take(rng, kk.TONE[tone], 2)]
    quotes = [fill(s, v) for s in spec["quotes"]]
    rng.shuffle(quotes)
    if short:
        return Text(title=title, paragraphs=(lede, quotes[0], " ".join(body + generic),
                                             " ".join(toned)))
    context = [fill(s, v) for s in _take(rng, kk.CONTEXT, 3)]
    mixed = body + generic
    rng.shuffle(mixed)
    half = len(mixed) // 2
    paras = [lede, quotes[0], " ".join(mixed[:half]), " ".join(toned), quotes[1],
             " ".join(mixed[half:]), " ".join(context)]
    if alarm:
        paras.insert(1, paras.pop(3))
    return Text(title=title, paragraphs=tuple(p for p in paras if p.strip()))


def negative(rng: random.Random, when: datetime, lang: str, category: str, *,
             short: bool) -> Text:
    bank = kk if lang == "kk" else ru_other
    spec = bank.CATEGORIES[category]
    v = draw(rng, when)
    title = fill(rng.choice(spec["titles"]), v)
    lede = fill(rng.choice(bank.LEDES[category]), v)
    total = len(spec["sentences"])
    n = rng.randint(1, 2) if short else rng.randint(total // 2, total // 2 + 2)
    sentences = [fill(s, v) for s in _take(rng, spec["sentences"], n)]
    if short:
        return Text(title=title, paragraphs=(lede, " ".join(sentences)))
    sizes = [rng.randint(1, 2) for _ in range(n)]
    return Text(title=title, paragraphs=(lede, *_paragraphs(rng, sentences, sizes)))


def syndicated_copy(rng: random.Random, original: Text, *, source_name: str, lang: str) -> Text:
    """A republished wire story: credited lede, a retouched title, sometimes the last
    paragraph dropped, as outlets do when they take an agency story."""
    credit = f"Как сообщает {source_name}, " if lang == "ru" else f"{source_name} хабарлауынша, "
    paras = list(original.paragraphs)
    paras[0] = credit + paras[0]
    if len(paras) > 6 and rng.random() < 0.5:
        paras.pop()
    title = original.title
    title = f"{title} — {source_name}" if rng.random() < 0.5 else title.rstrip(".") + "."
    return Text(title=title, paragraphs=tuple(paras))
