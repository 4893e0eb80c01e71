"""Naming a stored policy: its number as printed or typed loosely, ``payer/number`` when two payers
print the same number (the bundled documents, one edited to print the seed's number)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.errors import UnknownPolicyError
from explorer.pipeline import ingest_paths, resolve_policy
from explorer.store import open_store
from tests.cliutil import run

DATA = Path(__file__).resolve().parents[2] / "data" / "policies"


@pytest.fixture(scope="module")
def two_payers_one_number(tmp_path_factory) -> str:
    """The seed (BCBS MA 338) and Molina MCP-051 edited to print 'No. 338', plus BCBS SC CAM 273."""
    folder = tmp_path_factory.mktemp("names")
    molina = (DATA / "molina-MCP-051-genetic-testing.2026-03-22.txt").read_text(encoding="utf-8")
    assert "\nNo. 051 \n" in molina
    (folder / "molina-338.txt").write_text(molina.replace("\nNo. 051 \n", "\nNo. 338 \n", 1), encoding="utf-8")
    url = f"oxigraph:{folder / 'store'}"
    with open_store(url) as store:
        report = ingest_paths(store, [DATA / "bcbsma-338-donor-lymphocyte-infusion.txt", folder / "molina-338.txt",
                                      DATA / "bcbssc-liquid-biopsy.2026-03-22.txt"], reason=False)
        assert not report.failed and len(report.ingested) == 3
    return url


def test_a_number_two_payers_print_is_ambiguous_and_payer_slash_number_picks_one(two_payers_one_number):
    with open_store(two_payers_one_number) as store:
        with pytest.raises(UnknownPolicyError) as err:
            resolve_policy(store, "338")
        assert "ambiguous" in str(err.value) and "bcbsma/338" in str(err.value) and "molina/338" in str(err.value)
        assert resolve_policy(store, "bcbsma/338").endswith("/bcbsma/338")
        assert resolve_policy(store, "molina/338").endswith("/molina/338")
        assert resolve_policy(store, "Molina Healthcare/338").endswith("/molina/338")


def test_a_number_typed_without_its_case_or_separators(two_payers_one_number):
    with open_store(two_payers_one_number) as store:
        # BCBS SC prints "CAM 273"
        for typed in ("CAM 273", "cam-273", "cam273", "bcbssc/CAM 273"):
            assert resolve_policy(store, typed).endswith("/bcbssc/cam-273"), typed
        with pytest.raises(UnknownPolicyError, match="no policy 'geisinger/273'"):
            resolve_policy(store, "geisinger/273")


def test_the_cli_says_ambiguous_in_one_line(two_payers_one_number):
    result = run("show", "338", store=two_payers_one_number)
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr and "Traceback" not in result.stderr
    assert run("show", "molina/338", "--format", "json", store=two_payers_one_number).exit_code == 0
