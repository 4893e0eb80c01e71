"""Pair the facts of two versions: first by key (the fact's content-derived IRI), then the
leftovers by text similarity (difflib ratio at least 0.8, or one text the other with a lead-in or a
tail added), so a reworded sentence is one change rather than a removal and an addition."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from explorer.model.iris import normalised_text
from explorer.model.keys import unique_keys

T = TypeVar("T")

SIMILARITY = 0.8
"""Two unmatched texts are one fact reworded when difflib's ratio of their normalised forms is at
least this (``difflib.SequenceMatcher.ratio``: 1.0 identical, 0.8 = four characters in five kept)."""

CONTAINED_WORDS = 5
"""Below this many words, a text found inside another is not taken for the same fact reworded."""


def similarity(a: str, b: str) -> float:
    """difflib's ratio of the normalised texts (0..1)."""
    return difflib.SequenceMatcher(None, normalised_text(a), normalised_text(b), autojunk=False).ratio()


@dataclass(frozen=True)
class Matched(Generic[T]):
    """The facts of two versions paired: ``same`` by key, ``reworded`` by similarity (with the
    ratio), the rest ``removed`` (only in the old version) or ``added`` (only in the new one)."""

    same: tuple[tuple[T, T], ...]
    reworded: tuple[tuple[T, T, float], ...]
    removed: tuple[T, ...]
    added: tuple[T, ...]


def occurrence_keys(items: Iterable[T], key: Callable[[T], str]) -> list[str]:
    """Each item's key, with ``-2``, ``-3`` ... for a key seen before, as fact IRIs are made
    (:func:`explorer.model.keys.unique_keys`)."""
    return unique_keys(key(item) for item in items)


def match(old: Sequence[T], new: Sequence[T], key: Callable[[T], str],
          text: Callable[[T], str] | None = None, threshold: float = SIMILARITY) -> Matched[T]:
    """Pair ``old`` and ``new`` by ``key``; when ``text`` is given, pair the leftovers whose texts
    are at least ``threshold`` similar, the most similar pairs first."""
    old_keys = dict(zip(occurrence_keys(old, key), old, strict=True))
    new_keys = dict(zip(occurrence_keys(new, key), new, strict=True))
    same = tuple((old_keys[k], new_keys[k]) for k in old_keys if k in new_keys)
    removed = [old_keys[k] for k in old_keys if k not in new_keys]
    added = [new_keys[k] for k in new_keys if k not in old_keys]
    reworded: list[tuple[T, T, float]] = []
    if text is not None and removed and added:
        reworded = _pair_similar(removed, added, text, threshold)
        paired_old = {id(a) for a, _, _ in reworded}
        paired_new = {id(b) for _, b, _ in reworded}
        removed = [a for a in removed if id(a) not in paired_old]
        added = [b for b in added if id(b) not in paired_new]
    return Matched(same, tuple(reworded), tuple(removed), tuple(added))


def contained(a: str, b: str, words: int = CONTAINED_WORDS) -> bool:
    """Whether the shorter of two normalised texts, of at least ``words`` words, is the longer one's
    words in a row: a lead-in or a tail added or dropped ("For all situations not addressed above,
    analysis of PD-L1 ..." -> "Analysis of PD-L1 ...")."""
    short, long = sorted((a, b), key=len)
    return len(short.split()) >= words and f" {short} " in f" {long} "


def _pair_similar(removed: list[T], added: list[T], text: Callable[[T], str],
                  threshold: float) -> list[tuple[T, T, float]]:
    """Greedy best-first pairing of removed and added items whose similarity is at least
    ``threshold`` or of which one is ``contained`` in the other."""
    old_norm = [normalised_text(text(a)) for a in removed]
    new_norm = [normalised_text(text(b)) for b in added]
    candidates = []
    for i, a in enumerate(old_norm):
        for j, b in enumerate(new_norm):
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            if contained(a, b):
                candidates.append((matcher.ratio(), i, j))
            elif matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    candidates.append((ratio, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for ratio, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, ratio))
    # cut, not rounded, to two decimals: a one-character edit in a long entry reads 0.99, never 1.00
    return [(removed[i], added[j], math.floor(ratio * 100) / 100) for i, j, ratio in sorted(pairs)]
