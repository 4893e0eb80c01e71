"""Each character's document offset, kept as runs of consecutive offsets.

A normalised text (:class:`explorer.ingest.text.NormText`) maps every character back to the
document. Between two collapsed whitespace runs, a line break or a markup marker, consecutive
characters sit at consecutive offsets, so the mapping is a few runs per line: :class:`Offsets`
stores where each run starts (in the text) and its first offset (in the document), and answers an
index or a slice by bisection. Building it costs a step per run, not per character.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from operator import index
from typing import overload


class Offsets(Sequence[int]):
    """An immutable sequence of document offsets (``offsets[i]``: where text character ``i`` came from)."""

    __slots__ = ("_bases", "_length", "_starts")

    def __init__(self, starts: Sequence[int] = (), bases: Sequence[int] = (), length: int = 0) -> None:
        self._starts = tuple(starts)  # text index where each run begins (the first is 0)
        self._bases = tuple(bases)    # the document offset of each run's first character
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> Offsets: ...

    def __getitem__(self, i: int | slice) -> int | Offsets:
        if isinstance(i, slice):
            return self._slice(i)
        i = index(i)  # an integer, as a tuple asks
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("offset index out of range")
        k = bisect_right(self._starts, i) - 1
        return self._bases[k] + i - self._starts[k]

    def _slice(self, part: slice) -> Offsets:
        start, stop, step = part.indices(self._length)
        if step != 1:
            return Offsets.of(list(self)[part])
        if stop <= start:
            return Offsets()
        first, last = bisect_right(self._starts, start) - 1, bisect_right(self._starts, stop - 1)
        starts = [0, *(s - start for s in self._starts[first + 1:last])]
        bases = [self._bases[first] + start - self._starts[first], *self._bases[first + 1:last]]
        return Offsets(starts, bases, stop - start)

    def __iter__(self) -> Iterator[int]:
        ends = (*self._starts[1:], self._length) if self._starts else ()
        for start, end, base in zip(self._starts, ends, self._bases, strict=True):
            yield from range(base, base + end - start)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Offsets | tuple):  # equal to the tuple of the same offsets, as a tuple is
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Offsets({list(self)!r})"

    @classmethod
    def of(cls, offsets: Sequence[int]) -> Offsets:
        """The runs of a plain list of offsets."""
        runs = RunsBuilder()
        for offset in offsets:
            runs.add(offset, 1)
        return runs.build()


class RunsBuilder:
    """Offsets appended a stretch at a time (``add``), the last one taken back (``pop``)."""

    __slots__ = ("bases", "length", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.bases: list[int] = []
        self.length = 0

    def add(self, offset: int, count: int) -> None:
        """Append ``count`` characters at consecutive offsets from ``offset``."""
        if count <= 0:
            return
        if not self.starts or self.bases[-1] + self.length - self.starts[-1] != offset:
            self.starts.append(self.length)
            self.bases.append(offset)
        self.length += count

    def pop(self) -> None:
        """Take back the last character."""
        self.length -= 1
        if self.starts[-1] == self.length:
            self.starts.pop()
            self.bases.pop()

    def build(self) -> Offsets:
        return Offsets(self.starts, self.bases, self.length)
