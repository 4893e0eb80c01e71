"""The bundled real policies replicated to N documents, each keyed as a policy of its own
(issue 15: the benchmark's targets hold on real documents too, 30-400 KB of text, up to 1,400
references, not only on the generated ones).

A replica is a document's text with the printed value that keys its policy changed: the digits
of its identifier (``CAM 273`` -> ``CAM 274``), or, for a document that prints none and is keyed
by its title, a tag put into the title (``Genetic Testing and Counseling`` -> ``R0007 Genetic
Testing and Counseling``). Where that value is printed is found by trying its occurrences (and,
for a title, a few places for the tag) in turn and parsing the result: the edit kept is the
first whose parse gives the policy a new key and the same numbers of statements, codes,
references and history entries as the original (an edit inside a code or a reference would
change those). The copies of one policy's dated versions get the same new key, so they stay
versions of one policy, and a ``SOURCES.json`` gives each copy its original's URL and fetch date.
Documents whose text cannot be edited so (PDFs) or for which no edit passes are left out, and
said so (:attr:`ReplicatedCorpus.skipped`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.errors import ExplorerError

if TYPE_CHECKING:
    from explorer.ingest.facts import PolicyFacts

EDITABLE = (".txt", ".md", ".html", ".htm")  # read as text: an edit of the file's text is an edit of the document
TAG_WORDS = (0, 1, 2, 3)  # a title's tag goes before one of its first words, tried in this order
MANIFEST = "SOURCES.json"


@dataclass(frozen=True)
class Edit:
    """Where one document's key is printed (``start``, ``end`` in its file's text) and how a
    replica changes it: ``digits`` (its identifier's digits replaced) or ``title`` (a tag put
    before the value's word ``word``)."""

    path: Path
    key: tuple[str, str]  # (payer, number) as the parser keys the original
    start: int
    end: int
    kind: str
    word: int = 0


@dataclass(frozen=True)
class ReplicatedCorpus:
    directory: str
    documents: int
    policies: int  # distinct (payer, number) keys among the documents written
    originals: tuple[str, ...]  # the documents replicated, by file name
    skipped: tuple[tuple[str, str], ...]  # (file name, why) of those left out
    first_number: str  # a policy number the corpus holds (the seed's when present)


def replicate_corpus(source: str | Path, out_dir: str | Path, documents: int) -> ReplicatedCorpus:
    """Write ``documents`` documents into ``out_dir``: the editable documents of ``source`` as
    they are, then round after round of their replicas (``r0001-NAME``, ...), each round a new
    key for every policy, until ``documents`` are written. When more are asked than ``source``
    holds, a document left out of the replicas (no edit passes) is left out entirely."""
    from explorer.ingest import load_lexicon
    from explorer.pipeline import document_paths

    lexicon = load_lexicon()
    skipped: list[tuple[str, str]] = []
    paths = []
    for path in document_paths([source]):
        if path.suffix.lower() in EDITABLE:
            paths.append(path)
        else:
            skipped.append((path.name, f"a {path.suffix or 'suffix-less'} file: its text cannot be edited"))
    copies_needed = documents > len(paths)  # else the originals alone make the corpus: no edit to find
    edits, originals, unread = _read(paths[:None if copies_needed else documents], copies_needed, lexicon)
    if not copies_needed and len(edits) < documents:  # some did not parse: copies are needed after all
        edits, originals, unread = _read(paths, True, lexicon)
    skipped += unread
    if not edits:
        raise ExplorerError(f"{source}: no document to replicate ({len(skipped)} left out)")
    values = _new_digits(edits, originals, -(-documents // len(edits)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = _manifest(Path(source))
    entries: list[dict[str, str]] = []
    keys: set[tuple[str, str]] = set()
    written = 0
    for round_ in count():
        for edit in edits:
            if written == documents:
                break
            name = edit.path.name if round_ == 0 else f"r{round_:04d}-{edit.path.name}"
            text = edit.path.read_text(encoding="utf-8")
            if round_:
                text = replica_text(text, edit, round_, values.get((edit.key, round_)))
            (out / name).write_text(text, encoding="utf-8")
            keys.add(_replica_key(edit, round_, values.get((edit.key, round_))))
            if edit.path.name in manifest:
                entries.append({**manifest[edit.path.name], "file": name})
            written += 1
        if written == documents:
            break
    if entries:
        (out / MANIFEST).write_text(json.dumps(entries, indent=1), encoding="utf-8")
    numbers = [facts.number for facts in originals.values()]
    return ReplicatedCorpus(str(out), written, len(keys), tuple(e.path.name for e in edits), tuple(skipped),
                            "338" if "338" in numbers else numbers[0])


def _read(paths: Sequence[Path], copies: bool, lexicon: object
          ) -> tuple[list[Edit], dict[Path, PolicyFacts], list[tuple[str, str]]]:
    """Each document parsed, and (``copies``) the edit its replicas take; those left out, and why.
    Dated versions of one policy try the place their first version's edit took first, so their
    replicas stay versions of one policy."""
    from explorer.ingest import parse_policy_bytes

    edits: list[Edit] = []
    originals: dict[Path, PolicyFacts] = {}
    skipped: list[tuple[str, str]] = []
    taken: dict[tuple[str, str], Edit] = {}
    for path in paths:
        try:
            facts = parse_policy_bytes(path.read_bytes(), path.name, lexicon)  # type: ignore[arg-type]
        except ExplorerError as exc:
            skipped.append((path.name, f"not read: {exc}"))
            continue
        key = (facts.payer, facts.number)
        edit = find_edit(path, facts, lexicon, taken.get(key)) if copies else Edit(path, key, 0, 0, "none")
        if edit is None:
            skipped.append((path.name, "no printed key whose edit leaves the facts as they were"))
            continue
        taken.setdefault(key, edit)
        originals[path] = facts
        edits.append(edit)
    return edits, originals, skipped


def find_edit(path: Path, facts: PolicyFacts, lexicon: object = None, like: Edit | None = None) -> Edit | None:
    """The first edit of ``path``'s text, among the places its key is printed, whose parse is
    the same policy under a new key (:func:`same_policy_elsewhere`); None when none is."""
    from explorer.ingest import parse_policy_bytes

    text = path.read_text(encoding="utf-8")
    key = (facts.payer, facts.number)
    if facts.identifier:
        candidates: Iterator[Edit] = (Edit(path, key, m.start(), m.end(), "digits")
                                      for m in _printed(text, facts.identifier) if _digits(m.group()))
    else:  # the word another version of the policy took first, then the others
        words = sorted(TAG_WORDS, key=lambda word: like is None or word != like.word)
        candidates = (Edit(path, key, m.start(), m.end(), "title", word)
                      for m in _printed(text, facts.title) for word in words)
    for edit in candidates:
        try:
            replica = parse_policy_bytes(replica_text(text, edit, 1, _first_value(text, edit)).encode("utf-8"),
                                         path.name, lexicon)  # type: ignore[arg-type]
        except ExplorerError:
            continue
        if same_policy_elsewhere(facts, replica, "" if edit.kind == "digits" else f"{_tag(1)} "):
            return edit
    return None


def same_policy_elsewhere(original: PolicyFacts, replica: PolicyFacts, tag: str = "") -> bool:
    """The replica is the original policy under another key: a new number, the same payer,
    family, title (with ``tag`` taken out: the one a title edit puts in), statements (status and
    service), codes, references (number and PMID) and history."""
    return replica.number != original.number and _shape(replica, tag) == _shape(original, "")


def _shape(facts: PolicyFacts, tag: str) -> tuple[object, ...]:
    def plain(text: str) -> str:
        return text.replace(tag, "", 1) if tag else text

    return (facts.payer, facts.family, plain(facts.title), [(s.status, plain(s.service)) for s in facts.statements],
            [(c.system, c.code) for c in facts.codes], [(r.number, r.pmid) for r in facts.references],
            [(h.date, h.end) for h in facts.history])


def replica_text(text: str, edit: Edit, round_: int, digits: str | None) -> str:
    """``text`` with its key changed for replica round ``round_``: the printed identifier's
    digits replaced by ``digits`` (as many), or the title's tag ``R{round:04d}`` put in."""
    printed = text[edit.start:edit.end]
    if edit.kind == "digits":
        assert digits is not None and len(digits) == len(_digits(printed))
        changed = _with_digits(printed, digits)
    else:
        words = list(re.finditer(r"\S+", printed))
        at = words[min(edit.word, len(words) - 1)].start()
        changed = f"{printed[:at]}{_tag(round_)} {printed[at:]}"
    return text[:edit.start] + changed + text[edit.end:]


def _tag(round_: int) -> str:
    return f"R{round_:04d}"


def _printed(text: str, value: str) -> Iterator[re.Match[str]]:
    """Where ``value`` is printed in ``text``, its words apart by any white space, not inside a
    longer word."""
    words = value.split()
    if not words:
        return iter(())
    return re.finditer(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", text)


def _digits(printed: str) -> str:
    return "".join(c for c in printed if c.isdigit())


def _first_value(text: str, edit: Edit) -> str | None:
    """The digits the first replica would print (for trying an edit): the next value up."""
    if edit.kind != "digits":
        return None
    digits = _digits(text[edit.start:edit.end])
    return f"{(int(digits) + 1) % 10 ** len(digits):0{len(digits)}d}"


def _new_digits(edits: Sequence[Edit], originals: dict[Path, PolicyFacts],
                rounds: int) -> dict[tuple[tuple[str, str], int], str]:
    """For each identifier-keyed policy and round, its replica's digits: the next values up from
    the original's (as many digits, wrapping), skipping any that would print another policy's
    key of the same payer; the dated versions of one policy share theirs."""
    from explorer.vocab.lexicon import slug

    # keyed as the store keys a policy (explorer.model.iris.policy_iri: slugs), so "CAM-274"
    # and "CAM 274" are one key
    used = {(slug(facts.payer), slug(facts.number)) for facts in originals.values()}
    out: dict[tuple[tuple[str, str], int], str] = {}
    for edit in edits:
        if edit.kind != "digits" or (edit.key, 1) in out:
            continue
        digits = _digits(edit.key[1])
        size, value = len(digits), int(digits)
        if rounds >= 10 ** size:
            raise ExplorerError(f"{edit.path.name}: {edit.key[1]!r} has {size} digits, too few for {rounds} copies")
        for round_ in range(1, rounds + 1):
            for _ in range(10 ** size):
                value = (value + 1) % 10 ** size
                candidate = f"{value:0{size}d}"
                key = (slug(edit.key[0]), slug(_with_digits(edit.key[1], candidate)))
                if key not in used:
                    break
            else:  # every value of as many digits is another policy's
                raise ExplorerError(f"{edit.path.name}: no free identifier like {edit.key[1]!r} for copy {round_}")
            used.add(key)
            out[(edit.key, round_)] = candidate
    return out


def _with_digits(number: str, digits: str) -> str:
    spare = iter(digits)
    return "".join(next(spare) if c.isdigit() else c for c in number)


def _replica_key(edit: Edit, round_: int, digits: str | None) -> tuple[str, str]:
    """The key the replica is expected to have (a title's: the tag and round, enough to count)."""
    if round_ == 0:
        return edit.key
    if edit.kind == "digits":
        assert digits is not None
        return edit.key[0], _with_digits(edit.key[1], digits)
    return edit.key[0], f"{_tag(round_)} {edit.key[1]}"


def _manifest(source: Path) -> dict[str, dict[str, str]]:
    """The URL and fetch date of each document, by file name, from ``source``'s SOURCES.json."""
    try:
        entries = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, list):
        return {}
    return {e["file"]: {k: e[k] for k in ("url", "fetched") if isinstance(e.get(k), str)}
            for e in entries if isinstance(e, dict) and isinstance(e.get("file"), str)}


__all__ = ["ReplicatedCorpus", "find_edit", "replica_text", "replicate_corpus", "same_policy_elsewhere"]
