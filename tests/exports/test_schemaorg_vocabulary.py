"""The schema.org block checked against the schema.org vocabulary itself (issue 14 item 11): every
``@type`` is a schema.org class, every property is one whose ``domainIncludes`` covers the object's
type (or a supertype), and every nested typed value fits the property's ``rangeIncludes``.

The vocabulary is a bundled subset of release 12.0 (``fixtures/schemaorg-12.0-subset.ttl``, where it
came from is in its header); nothing is fetched."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph, Namespace

from explorer.exporting import export
from explorer.pipeline import load_policy_facts
from explorer.render.embed import schemaorg_document

S = Namespace("https://schema.org/")
FIXTURE = Path(__file__).with_name("fixtures") / "schemaorg-12.0-subset.ttl"
# JSON-LD keywords and the values schema.org allows for any property written as text or a URL
TEXTUAL = {"Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean"}


@cache
def vocabulary() -> Graph:
    return Graph().parse(FIXTURE)


def supertypes(name: str) -> set[str]:
    g = vocabulary()
    out: set[str] = set()
    stack = [S[name]]
    while stack:
        c = stack.pop()
        if str(c) not in out:
            out.add(str(c))
            stack.extend(g.objects(c, RDFS.subClassOf))
    return {c.removeprefix(str(S)) for c in out}


def problems(node: Any, path: str = "$") -> list[str]:
    """Everything in ``node`` that the vocabulary does not allow."""
    g = vocabulary()
    found: list[str] = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += problems(item, f"{path}[{i}]")
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if kind is None:
        return found if set(node) <= {"@id"} else [f"{path}: an object without @type"]
    if (S[kind], RDF.type, RDFS.Class) not in g:
        return [f"{path}: {kind} is not a schema.org type"]
    types = supertypes(kind)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        prop = S[key]
        if (prop, RDF.type, RDF.Property) not in g:
            found.append(f"{path}.{key}: not a property of {kind} (or not in the vocabulary)")
            continue
        domains = {str(d).removeprefix(str(S)) for d in g.objects(prop, S.domainIncludes)}
        if not domains & types:
            found.append(f"{path}.{key}: a property of {sorted(domains)}, not of {kind}")
        ranges = {str(r).removeprefix(str(S)) for r in g.objects(prop, S.rangeIncludes)}
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            where = f"{path}.{key}" + (f"[{i}]" if isinstance(value, list) else "")
            if isinstance(item, dict) and "@type" in item:
                if not supertypes(item["@type"]) & ranges:
                    found.append(f"{where}: a {item['@type']} where {sorted(ranges)} is expected")
                found += problems(item, where)
            elif isinstance(item, str) and not ranges & TEXTUAL and not ranges & {"Thing", "Enumeration"}:
                # schema.org lets text stand for an entity; but a free word must not fill an enumeration
                pass
    return found


def test_checker_catches_the_old_mistakes() -> None:
    old = {"@type": "MedicalGuidelineContraindication", "recommendationStrength": "INVESTIGATIONAL",
           "guidelineSubject": {"@type": "MedicalTherapy", "name": "x"}}
    assert problems(old) == ["$.recommendationStrength: a property of ['MedicalGuidelineRecommendation'], "
                             "not of MedicalGuidelineContraindication"]
    assert problems({"@type": "MedicalGuidelineX"}) == ["$: MedicalGuidelineX is not a schema.org type"]
    assert problems({"@type": "MedicalWebPage", "guidelineSubject": {"@type": "Person", "name": "y"}})


def test_block_of_the_seed_policy_fits_the_vocabulary(export_store: Any) -> None:
    text = export(export_store, "schemaorg", policy="338").files[0].text
    block = json.loads(re.fullmatch(r'<script type="application/ld\+json">\n(.*)\n</script>\n', text, re.S).group(1))
    assert problems(block) == []
    assert block["@type"] == "MedicalWebPage"
    assert block["url"] == "https://w3id.org/policy-explorer/id/policy/bcbsma/338"
    guidelines = block["mainEntity"]
    assert {g["@type"] for g in guidelines} == {"MedicalGuideline"}
    assert [g["name"] for g in guidelines] == [
        "Donor lymphocyte infusion: medically necessary", "Donor lymphocyte infusion: investigational",
        "Donor lymphocyte infusion: investigational", "Genetic modification of donor lymphocytes: investigational"]
    assert "INVESTIGATIONAL" in guidelines[1]["description"]


def test_blocks_of_real_policies_fit_the_vocabulary(export_store: Any, tmp_path: Path) -> None:
    from explorer.pipeline import ingest_paths
    from explorer.store import open_store

    real = Path(__file__).resolve().parents[1] / "fixtures" / "real"
    with open_store("memory:") as store:
        ingest_paths(store, [real / "anthem-LAB.00015-circulating-tumor-cells.txt",
                             real / "highmark-L-267-navdx.txt"], reason=False)
        for number, url in (("LAB.00015", "https://example.org/p"), ("L-267-001", None)):
            block = schemaorg_document(load_policy_facts(store, number), url=url)
            assert problems(block) == [], number
            assert block["url"] == url or block["url"] == block["@id"]
            assert block["lastReviewed"]


def test_page_url_from_the_cli(export_store: Any) -> None:
    text = export(export_store, "schemaorg", policy="338", page_url="https://payer.example/policies/338").files[0].text
    assert '"url": "https://payer.example/policies/338"' in text
