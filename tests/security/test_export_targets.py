"""``export --out`` onto what is not a plain file: a FIFO, a device, a symbolic link, a full disk.

Each export runs in a real process. Before the fix the atomic rename replaced a FIFO, a device or a
link with a regular file (as root, ``--out /dev/null`` would have replaced the device node itself)
and ``--out /dev/full`` said "wrote /dev/full" with exit 0. The cases that name a device directly
first check in-process that ``explorer.io_safety`` writes it in place, so a regression fails the
test instead of replacing a device of the machine running it.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.io_safety import writes_in_place

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(seed_store: Path, tmp_path: Path) -> Path:
    shutil.copytree(seed_store, tmp_path / "store")
    return tmp_path / "store"


def export(store: Path, out: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explorer.cli.main", "export", "338", "--format", "nt",
                           "--out", str(out), "--store", str(store)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def expected_nt(store: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "explorer.cli.main", "export", "338", "--format", "nt",
                             "--store", str(store)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def same_triples(text: str, expected: str) -> bool:
    """N-Triples compared line by line (each run writes the triples in its own order)."""
    return sorted(text.splitlines()) == sorted(expected.splitlines()) and bool(expected)


def test_fifo_gets_the_export_and_stays_a_fifo(store: Path, tmp_path: Path) -> None:
    expected = expected_nt(store)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = tmp_path / "received.nt"
    with received.open("wb") as sink:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)  # what reads the pipe, as `cat pipe`
    try:
        result = export(store, fifo)
        reader.wait(timeout=20)  # before the fix: no writer ever opened the FIFO, cat waits forever
    finally:
        reader.kill()
        reader.wait()
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert same_triples(received.read_text(), expected)


def test_symlink_stays_a_link_and_its_target_gets_the_export(store: Path, tmp_path: Path) -> None:
    expected = expected_nt(store)
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "policy-338.nt"
    target.write_text("old\n")
    link = tmp_path / "latest.nt"
    link.symlink_to(Path("exports") / "policy-338.nt")  # relative, as links usually are
    dangling = tmp_path / "next.nt"
    dangling.symlink_to(tmp_path / "exports" / "new.nt")
    for out, real in ((link, target), (dangling, tmp_path / "exports" / "new.nt")):
        result = export(store, out)
        assert result.returncode == 0, result.stderr
        assert out.is_symlink()
        assert same_triples(real.read_text(), expected)
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["new.nt", "policy-338.nt"]  # no temp


def test_full_device_behind_a_link_is_exit_2_with_one_line(store: Path, tmp_path: Path) -> None:
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    result = export(store, link)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "No space left on device" in result.stderr, result.stderr
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


@pytest.mark.parametrize(("device", "code"), [("/dev/full", 2), ("/dev/null", 0)])
def test_device_named_directly_is_written_not_replaced(store: Path, device: str, code: int) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    assert writes_in_place(device)  # else the export below would replace the device of this machine
    before = os.stat(device)
    result = export(store, device)
    assert result.returncode == code, result.stderr
    if code:
        assert result.stderr.count("\n") == 1 and device in result.stderr and "Traceback" not in result.stderr
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
