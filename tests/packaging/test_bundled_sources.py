"""data/policies/SOURCES.json says where every bundled document came from, and nothing else is there."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from explorer.pipeline import document_paths


def test_every_bundled_document_has_its_source_line(bundled_dir: Path) -> None:
    sources = json.loads((bundled_dir / "SOURCES.json").read_text(encoding="utf-8"))
    listed = [s["file"] for s in sources]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(p.name for p in document_paths([bundled_dir]))  # what ingest reads
    real = Path(__file__).resolve().parents[1] / "fixtures" / "real"
    for source in sources:
        data = (bundled_dir / source["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["file_sha256"], source["file"]
        assert source["file_bytes"] == len(data)
        assert source["payer"] and source["terms"] and source["origin"]
        assert source["url"] or "not recorded" in source["origin"], source["file"]
        if (real / source["file"]).is_file():   # the copy of ../shared/policies/real kept for the tests
            assert (real / source["file"]).read_bytes() == data, source["file"]
