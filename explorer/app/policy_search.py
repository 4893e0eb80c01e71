"""The Policies page's search: a policy matches by number, title, payer, its codes (``38242``,
``CPT 38242``, words of a code's description), the diseases it mentions by label or synonym
("CML" finds a policy about chronic myeloid leukemia), and a disease's broader diseases ("CML"
also finds a policy about hematologic malignancies, since CML is one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from explorer.app.text import disease_names
from explorer.ingest.facts import PolicyFacts


@dataclass(frozen=True)
class PolicyEntry:
    """What the search looks at for one policy."""

    iri: str
    number: str
    payer: str
    text: str  # lower-case: number, title, payer, codes, code descriptions, disease names
    diseases: frozenset[str]  # slugs


def entry(iri: str, facts: PolicyFacts) -> PolicyEntry:
    slugs = {d.disease for d in facts.diseases}
    for s in facts.statements:
        slugs.update(d.disease for d in s.diseases)
    words = [facts.number, facts.title, facts.payer, facts.identifier or ""]
    for c in facts.codes:
        words += [c.code, f"{c.system} {c.code}", c.description]
    for slug in sorted(slugs):
        words += list(disease_names(slug))
    return PolicyEntry(iri, facts.number, facts.payer, " | ".join(words).lower(), frozenset(slugs))


def _broader_and_self(slug: str) -> set[str]:
    from explorer.diagnoses.mapping import load_taxonomy

    return {slug, *load_taxonomy().ancestors(slug)}


def _disease_of(needle: str) -> str | None:
    from explorer.diagnoses import disease_for_label

    try:
        return disease_for_label(needle)
    except Exception:  # noqa: BLE001 (a search box never fails the page)
        return None


def search(entries: Iterable[PolicyEntry], query: str) -> set[str]:
    """IRIs of the policies that match ``query`` (all of them when it is blank)."""
    items = list(entries)
    needle = " ".join(query.lower().split())
    if not needle:
        return {e.iri for e in items}
    hits = {e.iri for e in items if needle in e.text}
    slug = _disease_of(query)
    if slug is not None:
        wanted = _broader_and_self(slug)
        hits |= {e.iri for e in items if e.diseases & wanted}
    return hits
