"""Near-duplicate detection: SimHash to find candidates, word-shingle Jaccard to confirm.

A 64-bit SimHash over word 3-shingles is stored per article (``Article.simhash``). Copies of
one story lightly edited by another outlet differ in a few to a dozen bits, unrelated texts
in about 32, so candidates within ``CANDIDATE_BITS`` (at most ``MAX_CANDIDATES``, closest
first) are cheap to find with a vectorised scan; each candidate is then confirmed on the exact Jaccard similarity of the two shingle
sets, which is what "the same story" means here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

SHINGLE = 3
CANDIDATE_BITS = 20        # short edited copies reach ~20 bits; random pairs sit at 32 +- 4
MAX_CANDIDATES = 25
JACCARD_MIN = 0.5
MIN_SHINGLES = 12          # shorter texts (captions, one-line posts) are matched exactly only
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def simhash(text: str) -> int | None:
    """Signed 64-bit SimHash (it fits a BIGINT column); None for texts too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    hashes = np.frombuffer(b"".join(hashlib.blake2b(g.encode(), digest_size=8).digest()
                                    for g in grams), dtype=">u8")
    bits = ((hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)).astype(np.int32)
    weights = (2 * bits - 1).sum(axis=0)
    value = int(sum(1 << i for i in range(64) if weights[i] > 0))
    return value - (1 << 64) if value >= 1 << 63 else value


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(kw_only=True)
class SimhashIndex:
    """The simhashes of stored articles with their ids, scanned for close candidates."""

    ids: list[int] = field(default_factory=list)
    _values: list[int] = field(default_factory=list)
    _array: np.ndarray | None = None

    def add(self, article_id: int, value: int) -> None:
        self.ids.append(article_id)
        self._values.append(value)
        self._array = None

    def candidates(self, value: int) -> list[int]:
        """Ids within ``CANDIDATE_BITS`` bits, closest first."""
        if not self.ids:
            return []
        if self._array is None:
            self._array = np.array(self._values, dtype=np.int64).view(np.uint64)
        probe = np.array([value], dtype=np.int64).view(np.uint64)[0]
        distance = np.bitwise_count(self._array ^ probe)
        close = np.nonzero(distance <= CANDIDATE_BITS)[0]
        order = close[np.argsort(distance[close], kind="stable")][:MAX_CANDIDATES]
        return [self.ids[i] for i in order]
