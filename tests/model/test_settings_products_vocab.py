"""Care settings carry CMS place-of-service codes; plan products belong to a payer of the registry
and to a line of business; laboratories are organisations (issue 16 item 9)."""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from explorer.model import POL, load_vocabulary_graph
from explorer.model.iris import SETTING, VOCAB

# The CMS Place of Service code set (cms.gov, "Place of Service Code Set"): the codes and names of
# the places the settings vocabulary maps, as CMS publishes them.
CMS_POS = {
    "11": "Office", "12": "Home", "19": "Off Campus-Outpatient Hospital", "21": "Inpatient Hospital",
    "22": "On Campus-Outpatient Hospital", "23": "Emergency Room - Hospital", "24": "Ambulatory Surgical Center",
    "51": "Inpatient Psychiatric Facility", "61": "Comprehensive Inpatient Rehabilitation Facility",
    "81": "Independent Laboratory",
}


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return load_vocabulary_graph()


def _concepts(vocab: Graph, scheme: str) -> set[URIRef]:
    return {c for c in vocab.subjects(SKOS.inScheme, VOCAB[scheme]) if isinstance(c, URIRef)}


def _pos(vocab: Graph, concept: URIRef) -> set[str]:
    return {str(code) for code in vocab.objects(concept, POL.placeOfServiceCode)}


def test_every_setting_has_well_formed_place_of_service_codes(vocab: Graph) -> None:
    settings = _concepts(vocab, "settings")
    assert len(settings) >= 10
    for setting in settings:
        codes = _pos(vocab, setting)
        assert codes, f"{setting} has no place-of-service code"
        for code in codes:
            assert re.fullmatch(r"\d{2}", code), (setting, code)
            assert code in CMS_POS, (setting, code)


def test_places_carry_their_cms_code(vocab: Graph) -> None:
    expected = {"office": "11", "home": "12", "off-campus-outpatient-hospital": "19", "inpatient-hospital": "21",
                "on-campus-outpatient-hospital": "22", "emergency-room": "23", "ambulatory-surgical-center": "24",
                "independent-laboratory": "81"}
    for slug, code in expected.items():
        assert _pos(vocab, SETTING[slug]) == {code}, slug
        definition = str(vocab.value(SETTING[slug], SKOS.definition))
        assert definition.startswith(f"CMS POS {code}, {CMS_POS[code]}"), definition


def test_a_broad_setting_lists_the_codes_of_its_places(vocab: Graph) -> None:
    for broad in (SETTING["inpatient"], SETTING["outpatient"]):
        places = set(vocab.subjects(SKOS.broader, broad))
        assert places
        assert set().union(*(_pos(vocab, p) for p in places)) <= _pos(vocab, broad)
    assert not _pos(vocab, SETTING["inpatient"]) & _pos(vocab, SETTING["outpatient"])


def test_every_product_is_offered_by_a_payer_of_the_registry(vocab: Graph) -> None:
    payers = _concepts(vocab, "payers")
    products = _concepts(vocab, "products")
    assert products
    for product in products:
        offered = list(vocab.objects(product, POL.offeredBy))
        assert len(offered) == 1, product
        assert offered[0] in payers, (product, offered[0])


def test_every_product_has_a_line_of_business_of_the_vocabulary(vocab: Graph) -> None:
    lines = _concepts(vocab, "lines-of-business")
    for product in _concepts(vocab, "products"):
        assert vocab.value(product, POL.lineOfBusiness) in lines, product


def test_laboratories_are_organisations_with_unique_names(vocab: Graph) -> None:
    labs = _concepts(vocab, "labs")
    assert len(labs) >= 20
    seen: dict[str, URIRef] = {}
    for lab in labs:
        assert (lab, RDF.type, POL.Laboratory) in vocab
        for label in [*vocab.objects(lab, SKOS.prefLabel), *vocab.objects(lab, SKOS.altLabel)]:
            key = str(label).casefold()
            assert seen.setdefault(key, lab) == lab, f"{label} names two laboratories"
