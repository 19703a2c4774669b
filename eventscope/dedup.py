"""Stories: near-duplicate articles (wire copies, republished reports) grouped by MinHash LSH over word shingles.

Runs in the main process, in input order, before coding, so that story assignment does not depend on how many
workers code the articles. Exact duplicates (the same article id) never get this far. An article that is a
near-duplicate of earlier ones joins the story of the first of them (the earliest in input order, across runs);
an article alone is its own story (``story_id`` = its id). Near-duplicates are still coded: their sentences are
further mentions of the story's events, which is what makes GDELT-style NumMentions/NumArticles counts.

The index survives runs: each stored article keeps its MinHash signature (the store's ``article_signatures``
table), and ``StoryIndex.load`` rebuilds the LSH index from them; articles stored without one (a store migrated
from an older schema) are signed again from their stored text.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from eventscope.model import Article

NUM_PERM = 128  # signature length; stored signatures are only comparable with the same length, seed and scheme
SEED = 1
SCHEME = "affine32"  # datasketch's permutation scheme: 32-bit hash values, 512 bytes a signature
DEFAULT_THRESHOLD = 0.8  # estimated Jaccard similarity of word shingles above which two articles are one story
SHINGLE_WORDS = 5

_WORD = re.compile(r"\w+", re.UNICODE)


def _hash(data: bytes) -> int:
    return zlib.crc32(data)  # deterministic across processes and runs (Python's hash() is not), and fast


@dataclass(frozen=True)
class StoryMatch:
    story_id: str
    signature: bytes | None  # None: the article has no words to sign
    duplicate_of: str | None = None  # the earlier article it was found to repeat, if any


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The article's word ``size``-grams, lower case (the whole text when it is shorter)."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash | None:
    grams = shingles(text)
    if not grams:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_hash, scheme=SCHEME)
    m.update_batch(grams)
    return m


def _from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_hash, scheme=SCHEME,
                   hashvalues=np.frombuffer(data, dtype=np.uint32))


class StoryIndex:
    """Articles seen so far (stored ones first), in order, with their stories."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"the near-duplicate threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._order: dict[str, int] = {}  # article id -> position (input order across runs)
        self._story: dict[str, str] = {}  # article id -> story id
        self._signatures: dict[str, np.ndarray] = {}  # hash values only: a MinHash object holds its permutations

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._order

    def story_of(self, article_id: str) -> str:
        return self._story[article_id]

    def add(self, article_id: str, story_id: str, sig: MinHash | bytes | None) -> None:
        """Record an article with its story (stored articles, in their order, then each new one)."""
        if article_id in self._order:
            return
        self._order[article_id] = len(self._order)
        self._story[article_id] = story_id
        if sig is None:
            return
        m = _from_bytes(sig) if isinstance(sig, bytes | bytearray | memoryview) else sig
        self._signatures[article_id] = np.asarray(m.hashvalues, dtype=np.uint32)
        self._lsh.insert(article_id, m)

    def load(self, rows: Iterable[tuple[str, str | None, bytes | None, str | None]]) -> int:
        """Stored articles in their order: (id, story id, signature or None, text to sign when there is no
        signature). Returns how many had to be signed again from their text."""
        resigned = 0
        for article_id, story_id, sig, text in rows:
            if sig is None and text:
                m = signature(text)
                resigned += 1
                self.add(article_id, story_id or article_id, m)
            else:
                self.add(article_id, story_id or article_id, sig)
        return resigned

    def assign(self, article: Article) -> StoryMatch:
        """The story of a new article (added to the index), and its signature for the store."""
        return self.assign_signature(article.id, signature(article.text))

    def assign_signature(self, article_id: str, sig: MinHash | bytes | None) -> StoryMatch:
        """``assign`` for an article signed elsewhere (``signature``, or its ``signature_bytes``; None: no words),
        as Spark executors do."""
        if sig is None:
            self.add(article_id, article_id, None)
            return StoryMatch(article_id, None)
        m = _from_bytes(sig) if isinstance(sig, bytes | bytearray | memoryview) else sig
        first: str | None = None
        values = np.asarray(m.hashvalues, dtype=np.uint32)
        for other in self._lsh.query(m):
            # LSH candidates are only likely matches: check the estimate (MinHash.jaccard's formula)
            if other == article_id or np.count_nonzero(values == self._signatures[other]) / NUM_PERM < self.threshold:
                continue
            if first is None or self._order[other] < self._order[first]:
                first = other
        story = self._story[first] if first is not None else article_id
        self.add(article_id, story, m)
        return StoryMatch(story, signature_bytes(m), first)


def signature_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()
