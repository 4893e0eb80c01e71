"""``normalise`` (explorer/ingest/text.py) against its rule spelled out character by character.

The parser's normalised text is taken a stretch of a line at a time, its whitespace collapsed by a
regular expression and its offsets kept as runs (explorer/ingest/offset_runs.py). The reference
below is the rule as the parser applied it before, one character at a time; both must give the
same clean text and the same offset for every character, on real documents' every range the
parser asks for, and on generated text full of the awkward cases (markup, runs of whitespace of
every kind, hyphens at line ends, skipped ranges, page furniture).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import explorer.ingest.text as text_module
from explorer.ingest.offset_runs import Offsets
from explorer.ingest.text import Document, normalise

_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")


def reference(doc: Document, start: int, end: int, *, keep_markup: bool = False,
              skip: tuple[tuple[int, int], ...] = ()) -> tuple[str, tuple[int, ...]]:
    """The normalising rule, one character at a time."""
    chars: list[str] = []
    offsets: list[int] = []
    for line in doc.lines[doc.line_at(start) - 1:]:
        if line.start >= end:
            break
        if line.number in doc.noise:
            continue
        a, b = max(line.start, start), min(line.end, end)
        body = doc.text[a:b]
        keep = [True] * len(body)
        if not keep_markup:
            for m in _LINK.finditer(body):
                keep[m.start()] = False
                for k in range(m.end(1), m.end()):
                    keep[k] = False
            for k, c in enumerate(body):
                if c == "*":
                    keep[k] = False
        for k, c in enumerate(body):
            off = a + k
            if not keep[k] or any(x <= off < y for x, y in skip):
                continue
            if c.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offsets.append(off)
            else:
                chars.append(c)
                offsets.append(off)
        if chars and chars[-1] == " ":
            chars.pop()
            offsets.pop()
        if chars and chars[-1] == "-" and len(chars) > 1 and chars[-2].isalpha():
            continue
        if chars:
            chars.append(" ")
            offsets.append(b)
    while chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), tuple(offsets)


def _same(doc: Document, start: int, end: int, **options: object) -> None:
    got = normalise(doc, start, end, **options)  # type: ignore[arg-type]
    want_text, want_offsets = reference(doc, start, end, **options)  # type: ignore[arg-type]
    assert got.text == want_text, (doc.path, start, end, options)
    assert tuple(got.offsets) == want_offsets, (doc.path, start, end, options)
    assert len(got.offsets) == len(got.text)


_PIECES = ["word", "Hyphen-", "ated", " ", "  ", "\t", "\u00a0", "\u2003 ", "**bold**", "*", "[label](http://x.org/a)",
           "[not a link]", "(x)", "-", "é", "\n", "\n", "\n\n", "\r\n", " -\n", "a-\n", "9-\n", "9\n", "\n  12  \n",
           "ſ", ","]


def _generated(seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 120)))


@pytest.mark.parametrize("seed", range(300))
def test_generated_text_is_normalised_as_the_rule_says(seed: int) -> None:
    rng = random.Random(seed)
    doc = Document(_generated(seed))
    n = len(doc.text)
    start = rng.randint(0, n)
    end = rng.randint(start, n)
    skip = tuple(sorted((x, x + rng.randint(-2, 4)) for x in (rng.randint(0, n) for _ in range(rng.randint(0, 3)))))
    _same(doc, start, end, keep_markup=bool(seed % 2), skip=skip)
    _same(doc, 0, n)


def test_every_range_the_parser_asks_of_real_documents_is_normalised_as_the_rule_says(
        monkeypatch: pytest.MonkeyPatch, bundled_dir: Path) -> None:
    from explorer.ingest import load_lexicon, parse_policy_file

    asked: list[tuple[Document, int, int, dict[str, object]]] = []
    original = text_module.normalise

    def recording(doc: Document, start: int, end: int, **options: object):  # type: ignore[no-untyped-def]
        asked.append((doc, start, end, options))
        return original(doc, start, end, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(text_module, "normalise", recording)
    lexicon = load_lexicon()
    for name in ("molina-MCP-051-genetic-testing.2026-03-22.txt", "evicore-MOL.TS.194-liquid-biopsy.2026.txt",
                 "anthem-CG-GENE-13-genetic-testing-inherited-disease.txt"):
        parse_policy_file(bundled_dir / name, lexicon)
    assert len(asked) > 500
    assert any(options.get("skip") for *_, options in asked) or any(doc.noise for doc, *_ in asked)
    for doc, start, end, options in asked[::7]:
        _same(doc, start, end, **options)


def test_offsets_answer_an_index_and_a_slice_as_the_list_of_offsets() -> None:
    plain = [3, 4, 5, 9, 10, 20, 21, 22, 23, 40]
    runs = Offsets.of(plain)
    assert list(runs) == plain and len(runs) == len(plain)
    for i in range(-len(plain), len(plain)):
        assert runs[i] == plain[i]
    for i in range(len(plain) + 1):
        for j in range(len(plain) + 1):
            assert list(runs[i:j]) == plain[i:j]
    assert list(runs[::2]) == plain[::2]
    with pytest.raises(IndexError):
        runs[len(plain)]
    assert runs == tuple(plain) and runs != tuple(plain[:-1]) and runs != plain  # as a tuple: not a list
    with pytest.raises(TypeError):
        runs[1.5]  # type: ignore[call-overload]
