"""What changed between two versions of one policy: a comparison of their asserted graphs (pure).

Fact IRIs are content-derived (``docs/model.md``, "IRI rules"), so facts are paired by the key
their IRI is made from: statements by the text key of their sentence, references by PMID, DOI or
entry text, code listings by system and code, history rows by date, header dates by kind,
prior-authorization cells by product and setting (sentences by their text key), named tests by
PLA code. A statement, reference or prior-authorization sentence found in only one version is
paired with one found only in the other when their normalised texts are at least 0.8 similar
(``explorer.versions.matching.SIMILARITY``), or one is the other with a lead-in or a tail added
(five words or more in common, ``contained``): one fact reworded, not one removed and one added.
Spans and offsets are never changes (every offset moves when a line is inserted above), nor is a
reference's number in the list, nor a listed code's description printed differently (see
``_codes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from explorer.errors import ExplorerError
from explorer.ingest.facts import Criterion, PolicyFacts, PriorAuthorization, Reference, Statement
from explorer.model import graph_to_facts, policies_in
from explorer.model.code_listing_rdf import code_role
from explorer.model.iris import normalised_text, text_key
from explorer.versions.matching import SIMILARITY, contained, match


class VersionMismatchError(ExplorerError):
    """The two graphs are not two versions of one policy."""


@dataclass(frozen=True)
class Change:
    """One fact that changed. ``kind``: added, removed, reworded, status-changed, changed,
    criterion-added, criterion-removed; ``key`` names the fact (``CPT 0614U``, ``PMID 37347242``,
    ``statement 3``, ``effective date``); ``old``/``new`` its text (or value) in each version,
    None where it is absent; ``detail`` what else the reader needs (status, role, similarity)."""

    kind: str
    key: str
    old: str | None
    new: str | None
    detail: str = ""


CATEGORIES = (
    ("statements", "Statements"),
    ("prior_authorization", "Prior authorization"),
    ("codes", "Codes"),
    ("named_tests", "Named tests"),
    ("references", "References"),
    ("history", "History"),
    ("header", "Title and dates"),
)
"""The fact types a comparison reports, in the order they are shown: (field, heading)."""


@dataclass(frozen=True)
class VersionChanges:
    """The changes from ``old_version`` to ``new_version`` of ``policy``, per fact type."""

    policy: str
    old_version: str | None
    new_version: str | None
    statements: tuple[Change, ...] = ()
    prior_authorization: tuple[Change, ...] = ()
    codes: tuple[Change, ...] = ()
    named_tests: tuple[Change, ...] = ()
    references: tuple[Change, ...] = ()
    history: tuple[Change, ...] = ()
    header: tuple[Change, ...] = ()

    def by_category(self) -> list[tuple[str, str, tuple[Change, ...]]]:
        """(field, heading, changes) for each fact type, in ``CATEGORIES`` order."""
        return [(name, heading, getattr(self, name)) for name, heading in CATEGORIES]

    @property
    def is_empty(self) -> bool:
        """True when the two versions state the same facts."""
        return not any(changes for _, _, changes in self.by_category())

    def counts(self, category: str) -> dict[str, int]:
        """How many changes of each kind one fact type has (``{"added": 50, "removed": 7}``)."""
        out: dict[str, int] = {}
        for c in getattr(self, category):
            out[c.kind] = out.get(c.kind, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: policy, versions, and one list of changes per fact type."""
        out: dict[str, Any] = {"policy": self.policy, "from": self.old_version, "to": self.new_version}
        out.update({name: [asdict(c) for c in changes] for name, _, changes in self.by_category()})
        return out


def compare_versions(old: Graph, new: Graph) -> VersionChanges:
    """The changes from the policy version in ``old`` to the one in ``new`` (two asserted graphs of
    one policy). Raises VersionMismatchError when they describe different or several policies."""
    policy = _the_policy(old, new)
    before, after = graph_to_facts(old, policy), graph_to_facts(new, policy)
    return compare_facts(before, after, str(policy), _version(old, policy), _version(new, policy))


def compare_facts(before: PolicyFacts, after: PolicyFacts, policy: str,
                  old_version: str | None = None, new_version: str | None = None) -> VersionChanges:
    """The changes between two readings of one policy (``compare_versions`` on its facts)."""
    return VersionChanges(
        policy=policy, old_version=old_version, new_version=new_version,
        statements=tuple(_statements(before.statements, after.statements)),
        prior_authorization=tuple(_prior_authorization(before.prior_authorization, after.prior_authorization)),
        codes=tuple(_codes(before, after)),
        named_tests=tuple(_named_tests(before, after)),
        references=tuple(_references(before, after)),
        history=tuple(_history(before, after)),
        header=tuple(_header(before, after)),
    )


def _the_policy(old: Graph, new: Graph) -> URIRef:
    olds, news = policies_in(old), policies_in(new)
    if len(olds) != 1 or len(news) != 1:
        raise VersionMismatchError(f"each graph must hold one policy (found {len(olds)} and {len(news)})")
    if olds[0] != news[0]:
        raise VersionMismatchError(f"not two versions of one policy: {olds[0]} and {news[0]}")
    return olds[0]


def _version(graph: Graph, policy: URIRef) -> str | None:
    version = graph.value(policy, DCTERMS.hasVersion)
    return None if version is None else str(version)


def _differs(a: str | None, b: str | None) -> bool:
    return normalised_text(a or "") != normalised_text(b or "")


def _similar(ratio: float, a: str, b: str) -> str:
    """How two texts paired as one fact reworded are alike: the ratio, and whether one is the other
    with a lead-in or a tail added or dropped."""
    return f"similarity {ratio:.2f}" + ("; a lead-in or tail added or dropped" if ratio < SIMILARITY
                                        and contained(normalised_text(a), normalised_text(b)) else "")


def _statements(old: tuple[Statement, ...], new: tuple[Statement, ...]) -> Iterable[Change]:
    m = match(old, new, key=lambda s: text_key(s.text), text=lambda s: s.text)
    for s in m.removed:
        yield Change("removed", f"statement {s.number}", s.text, None, s.status)
    for s in m.added:
        yield Change("added", f"statement {s.number}", None, s.text, s.status)
    for a, b, ratio in m.reworded:
        if a.status != b.status:
            yield Change("status-changed", f"statement {b.number}", a.text, b.text,
                         f"{a.status} -> {b.status} ({_similar(ratio, a.text, b.text)})")
        else:
            yield Change("reworded", f"statement {b.number}", a.text, b.text,
                         f"{b.status}; {_similar(ratio, a.text, b.text)}")
    for a, b in m.same:
        if a.status != b.status:
            yield Change("status-changed", f"statement {b.number}", a.text, b.text, f"{a.status} -> {b.status}")
    for a, b in (*m.same, *((x, y) for x, y, _ in m.reworded)):
        yield from _criteria(a, b)


def _criterion_texts(criteria: tuple[Criterion, ...]) -> list[str]:
    """The texts of a criteria tree, depth first; an empty one (nothing but markup) is left out."""
    out = []
    for c in criteria:
        if normalised_text(c.text):
            out.append(c.text)
        out.extend(_criterion_texts(c.items))
    return out


def _criteria(a: Statement, b: Statement) -> Iterable[Change]:
    """Criteria listed under a statement of both versions that only one of them lists."""
    m = match(_criterion_texts(a.criteria), _criterion_texts(b.criteria), key=text_key, text=lambda t: t)
    key = f"statement {b.number}"
    for t in m.removed:
        yield Change("criterion-removed", key, t, None, b.text)
    for t in m.added:
        yield Change("criterion-added", key, None, t, b.text)
    for old_text, new_text, ratio in m.reworded:
        yield Change("criterion-reworded", key, old_text, new_text,
                     f"{_similar(ratio, old_text, new_text)}; {b.text}")


def _pa_key(pa: PriorAuthorization) -> str:
    if pa.scope == "cell":
        return f"{pa.product} / {pa.setting}"
    who = pa.product or (f"line of business {pa.line_of_business}" if pa.line_of_business else "policy")
    return f"{who} / {pa.setting or 'any setting'}"


def _pa_value(pa: PriorAuthorization) -> str:
    """What a requirement says: required or not, a table cell's note, the reviewer (a sentence's
    note is the sentence itself, shown as the change's text)."""
    required = {True: "required", False: "not required", None: "not stated plainly"}[pa.required]
    note = f" ({pa.note})" if pa.note and pa.scope == "cell" else ""
    return required + note + (f"; reviewer {pa.reviewer}" if pa.reviewer else "")


def _prior_authorization(old: tuple[PriorAuthorization, ...],
                         new: tuple[PriorAuthorization, ...]) -> Iterable[Change]:
    def key(pa: PriorAuthorization) -> str:
        return _pa_key(pa) + ("" if pa.scope == "cell" else f" / {text_key(pa.span.quote)}")

    def shown(pa: PriorAuthorization) -> str:
        return pa.span.quote if pa.scope != "cell" else _pa_value(pa)

    m = match(old, new, key=key, text=lambda pa: pa.span.quote if pa.scope != "cell" else "")
    for pa in m.removed:
        yield Change("removed", _pa_key(pa), shown(pa), None, _pa_value(pa))
    for pa in m.added:
        yield Change("added", _pa_key(pa), None, shown(pa), _pa_value(pa))
    for a, b, ratio in m.reworded:
        value = _pa_value(b) if _pa_value(a) == _pa_value(b) else f"{_pa_value(a)} -> {_pa_value(b)}"
        yield Change("reworded", _pa_key(b), a.span.quote, b.span.quote,
                     f"{value}; {_similar(ratio, a.span.quote, b.span.quote)}")
    for a, b in m.same:
        if _pa_value(a) != _pa_value(b):
            yield Change("changed", _pa_key(b), shown(a), shown(b), f"{_pa_value(a)} -> {_pa_value(b)}")


def _codes(before: PolicyFacts, after: PolicyFacts) -> Iterable[Change]:
    """Listings added and removed, with their description and role. A description printed
    differently is not a change: on the real pairs nearly every such difference is extraction
    noise (a page footer or a rotated watermark's letters run into the row, a word split)."""
    m = match(before.codes, after.codes, key=lambda c: f"{c.system} {c.code}")
    seen: set[str] = set()
    for kind, codes in (("removed", m.removed), ("added", m.added)):
        for c in codes:
            key = f"{c.system} {c.code}"
            if key not in seen:  # a code listed in two tables is one listing (its IRI)
                seen.add(key)
                yield Change(kind, key, c.description if kind == "removed" else None,
                             c.description if kind == "added" else None, code_role(c.system))


def _named_tests(before: PolicyFacts, after: PolicyFacts) -> Iterable[Change]:
    def shown(t: Any) -> str:
        return t.name + (f" ({t.lab})" if t.lab else "")

    m = match(before.named_tests, after.named_tests, key=lambda t: t.code)
    for t in m.removed:
        yield Change("removed", t.code, shown(t), None)
    for t in m.added:
        yield Change("added", t.code, None, shown(t))
    for a, b in m.same:
        if shown(a) != shown(b):
            yield Change("changed", b.code, shown(a), shown(b))


_NUMBER = re.compile(r"^\s*\[?\d{1,3}[.)\]]?\s+")


def _entry(r: Reference) -> str:
    """The entry without its number in the list (a renumbered entry is not a change)."""
    return _NUMBER.sub("", r.text)


def _ref_key(r: Reference) -> str:
    return f"PMID {r.pmid}" if r.pmid else (f"DOI {r.doi}" if r.doi else f"entry {r.number}")


def _references(before: PolicyFacts, after: PolicyFacts) -> Iterable[Change]:
    def key(r: Reference) -> str:
        """The reference IRI's key (PMID, else DOI lower-cased, else the entry's text), the entry
        read without its number so that renumbering is not a change."""
        return f"pmid-{r.pmid}" if r.pmid else (f"doi-{r.doi.lower()}" if r.doi else text_key(_entry(r)))

    m = match(before.references, after.references, key=key, text=_entry)
    for r in m.removed:
        yield Change("removed", _ref_key(r), r.text, None)
    for r in m.added:
        yield Change("added", _ref_key(r), None, r.text)
    for a, b, ratio in m.reworded:
        yield Change("reworded", _ref_key(b), a.text, b.text, _similar(ratio, _entry(a), _entry(b)))


def _history(before: PolicyFacts, after: PolicyFacts) -> Iterable[Change]:
    def key(h: Any) -> str:
        return h.date + (f"--{h.end}" if h.end else "")

    m = match(before.history, after.history, key=key)
    for h in m.removed:
        yield Change("removed", key(h), h.action, None)
    for h in m.added:
        yield Change("added", key(h), None, h.action)
    for a, b in m.same:
        if _differs(a.action, b.action):
            yield Change("reworded", key(b), a.action, b.action)


def _header(before: PolicyFacts, after: PolicyFacts) -> Iterable[Change]:
    if _differs(before.title, after.title):
        yield Change("changed", "title", before.title, after.title)
    old = {d.kind: d.date for d in before.dates}
    new = {d.kind: d.date for d in after.dates}
    for kind in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(kind), new.get(kind)
        if a != b:
            yield Change("changed" if a and b else ("added" if b else "removed"), f"{kind} date", a, b)
