"""Named tests read from code tables (issue 16 item 9): name, PLA code and laboratory as the real
documents print them (tests/fixtures/real), in four families' layouts.

Expected values were read from the documents (the line each comes from is quoted beside it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.ingest import parse_policy_file
from explorer.ingest.facts import Code, NamedTest, PolicyFacts, Span
from explorer.ingest.named_tests import clean, named_in, named_tests, parse_description

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"


def _parse(name: str) -> PolicyFacts:
    return parse_policy_file(REAL / name)


@pytest.fixture(scope="module")
def geisinger() -> PolicyFacts:
    return _parse("geisinger-MP360-minimal-residual-disease.2026-03-22.txt")


@pytest.fixture(scope="module")
def kaiser() -> PolicyFacts:
    return _parse("kaiser-wa-genetic-screening-testing.txt")


def _by_code(facts: PolicyFacts) -> dict[str, NamedTest]:
    return {t.code: t for t in facts.named_tests}


def test_every_named_test_quotes_its_name_and_has_a_pla_code(geisinger: PolicyFacts, kaiser: PolicyFacts) -> None:
    for facts in (geisinger, kaiser):
        assert facts.named_tests
        for test in facts.named_tests:
            assert facts.text[test.span.start:test.span.end] == test.span.quote
            assert clean(test.span.quote) == test.name
            assert len(test.code) == 5 and test.code[:4].isdigit() and test.code.endswith("U")
            assert test.code in {c.code for c in facts.codes}


def test_geisinger_braces_name_the_test(geisinger: PolicyFacts) -> None:
    tests = _by_code(geisinger)
    # "... with quantitation of disease burden, when appropriate {clonoSeq}"
    assert tests["0364U"].name == "clonoSeq" and tests["0364U"].lab is None
    # "... presence or absence of ctDNA with tumor fraction, if appropriate {Guardant Reveal}"
    assert tests["0569U"].name == "Guardant Reveal"
    # "{TruSightTM Oncology}": the glued TM is a trademark sign, not part of the name
    assert tests["0543U"].name == "TruSight Oncology"
    # "... if appropriate {Signatera™}" and the row "Signatera (Natera) 0340U" gives its laboratory
    assert tests["0340U"].name == "Signatera" and tests["0340U"].lab == "Natera"
    # the code-table row, not the heading above the indications
    line = geisinger.text[:tests["0364U"].span.start].count("\n") + 1
    assert geisinger.text.splitlines()[line - 1].rstrip().endswith("{clonoSeq}")


def test_kaiser_brackets_give_name_and_laboratory(kaiser: PolicyFacts) -> None:
    tests = _by_code(kaiser)
    # "... and gene rearrangements [Guardant360® CDx, Guardant Health Inc]"
    assert (tests["0242U"].name, tests["0242U"].lab) == ("Guardant360 CDx", "Guardant Health")
    # "[Praxis™ Extended RAS Panel, Illumina]"
    assert (tests["0111U"].name, tests["0111U"].lab) == ("Praxis Extended RAS Panel", "Illumina")
    # "0037U 4/1/2018 FoundationOne CDx™ (F1CDx), Foundation Medicine, Inc, Foundation"
    assert tests["0037U"].name == "FoundationOne CDx (F1CDx)" and tests["0037U"].lab == "Foundation Medicine"
    # "[xT CDx, Tempus AI, Inc": the company suffix stays with its name
    assert tests["0473U"].lab == "Tempus AI"


def test_bcbssc_labelled_proprietary_test_and_manufacturer() -> None:
    tests = _by_code(_parse("bcbssc-liquid-biopsy.2026-03-22.txt"))
    # "Proprietary test: Colvera ® Lab/Manufacturer: Clinical Genomics Pathology Inc"
    assert (tests["0229U"].name, tests["0229U"].lab) == ("Colvera", "Clinical Genomics Pathology Inc")
    # "Protietary test: miR Sentinel™ Prostate Cancer Test Lab/Manufacturer: miR Scientific LLC" (sic)
    assert (tests["0343U"].name, tests["0343U"].lab) == ("miR Sentinel Prostate Cancer Test", "miR Scientific LLC")


def test_wellcare_rows_name_the_test_before_its_code() -> None:
    tests = _by_code(_parse("wellcare-concert-ctdna-liquid-biopsy.txt"))
    # "Guardant360 CDx (Guardant Health) 0242U" / "Guardant360 83+ genes (Guardant Health) 0326U"
    assert (tests["0242U"].name, tests["0242U"].lab) == ("Guardant360 CDx", "Guardant Health")
    assert (tests["0326U"].name, tests["0326U"].lab) == ("Guardant360 83+ genes", "Guardant Health")
    # "Northstar Select (BillionToOne) 0487U"; "LiquidHALLMARK (Lucence Health)" then "0409U"
    assert tests["0487U"].name == "Northstar Select" and tests["0487U"].lab == "BillionToOne"
    assert (tests["0409U"].name, tests["0409U"].lab) == ("LiquidHALLMARK", "Lucence Health")


def test_anthem_and_carelon_name_after_the_description() -> None:
    anthem = _by_code(_parse("anthem-CG-GENE-13-genetic-testing-inherited-disease.txt"))
    # "... mobile element insertions Genomic Unity ® SMN1/2 Analysis, Variantyx Inc, Variantyx Inc"
    assert (anthem["0236U"].name, anthem["0236U"].lab) == ("Genomic Unity SMN1/2 Analysis", "Variantyx")
    carelon = _by_code(_parse("carelon-somatic-tumor-testing-2025.txt"))
    # "clonoSEQ® Assay, Adaptive Biotechnologies: Oncology (hematolymphoid neoplasm), ..."
    assert (carelon["0364U"].name, carelon["0364U"].lab) == ("clonoSEQ Assay", "Adaptive Biotechnologies")


def test_gene_symbols_and_plain_descriptions_are_not_tests() -> None:
    molina = _parse("molina-MCP-051-genetic-testing.2026-03-22.txt")
    assert len([c for c in molina.codes if c.code.endswith("U")]) > 300
    assert molina.named_tests == ()  # its PLA descriptions name genes (JAK2, CYP2D6), never a product
    assert parse_description("NPM1 (nucleophosmin) (e.g., acute myeloid leukemia) gene analysis, quantitative") is None
    assert parse_description("Oncology (ovarian) assays of five proteins [Effective until 12/31/2025]") is None


def test_statements_name_tests_by_name_or_coined_first_word(geisinger: PolicyFacts) -> None:
    tests = geisinger.named_tests
    named = {s.number: {t.code for t in named_in(s.text, tests)} for s in geisinger.statements}
    clonoseq = next(s for s in geisinger.statements if "(e.g., clonoSEQ)" in s.text)
    reveal = next(s for s in geisinger.statements if "Guardant Reveal" in s.text)
    assert named[clonoseq.number] == {"0364U"}  # clonoSEQ matches clonoSeq whatever the case
    assert named[reveal.number] == {"0569U"}
    unspecified = next(s for s in geisinger.statements if "not specified in this policy" in s.text)
    assert named[unspecified.number] == set()


def test_a_code_without_a_name_gives_no_test() -> None:
    text = "0306U Oncology (minimal residual disease [MRD]), next-generation targeted sequencing analysis"
    code = Code("CPT", "0306U", text[6:], Span(0, 5, "0306U"))
    assert named_tests(text, [code]) == ()


def test_blue_shield_rows_name_test_and_laboratory_before_the_code() -> None:
    tests = _by_code(_parse("blueshieldca-BSC_CON_2.04-molecular-analysis-tumors.txt"))
    # "ClonoSEQ Assay (Adaptive Biotechnologies) 0364U"
    assert (tests["0364U"].name, tests["0364U"].lab) == ("ClonoSEQ Assay", "Adaptive Biotechnologies")
    # "NavDx (Naveris)  0356U"
    assert (tests["0356U"].name, tests["0356U"].lab) == ("NavDx", "Naveris")
    # "JAK2 Exon 12 to 15 Sequencing, Polycythemia Vera" / "Reflex, Varies (Mayo Clinic Laboratories)" /
    # "0027U": the end of a wrapped name is not a test's name
    assert "0027U" not in tests or "Reflex" not in tests["0027U"].name
