"""Fixtures shared by every test folder: the seed policy in both renderings."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_WEB = ROOT / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
SEED_PDF = ROOT / "tests" / "fixtures" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.pdf-text.txt"


@pytest.fixture(scope="session")
def seed_web_path() -> Path:
    return SEED_WEB


@pytest.fixture(scope="session")
def seed_pdf_path() -> Path:
    return SEED_PDF
