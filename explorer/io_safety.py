"""Crash-safe file writes: a reader (or a process killed with SIGKILL halfway) sees the old file or
the new one, never a partial one.

The text goes to a temporary file in the destination's own folder (so the final rename never
crosses a file system), is flushed and fsync'ed, and then ``os.replace`` swaps it in; POSIX and
Windows both make that rename atomic.  The folder is fsync'ed too where the OS allows, so the
rename itself survives a power cut.  A failure removes the temporary file and leaves the old one.

A symbolic link is followed first: the link stays a link and its target gets the content (written
atomically in the target's folder).  A target that exists and is not a regular file (a FIFO, a
device such as ``/dev/null`` or ``/dev/full``, a terminal) cannot be replaced without destroying it,
so it is written directly, as a shell's ``>`` would; every write error is raised with the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

TEMP_PREFIX = ".policy-explorer-"
TEMP_SUFFIX = ".tmp"


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (old content or new, never a mix); returns the path.

    :raises OSError: the folder does not exist or is not writable (the old file is untouched), the
        path is a folder, or writing to a FIFO or device failed (e.g. ``/dev/full``: no space).
    """
    target = Path(os.path.realpath(path))  # through symlinks: the link stays, its target is written
    if writes_in_place(target):
        _write_in_place(target, data)
        return Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(folder)
    return Path(path)


def writes_in_place(path: str | Path) -> bool:
    """Whether ``path`` (after symlinks) exists and is not a regular file or folder: a FIFO, a
    device or a socket, which a write must open and fill rather than replace."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_in_place(target: Path, data: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise OSError(exc.errno or errno.EIO, f"cannot write {target}: {exc.strerror or exc}") from exc


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`); returns the path."""
    return atomic_write_bytes(path, text.encode(encoding))


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0o666 minus the umask, as open() would."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the OS tells (Linux), else set and reset."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: folders cannot be opened for fsync
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["atomic_write_bytes", "atomic_write_text", "writes_in_place"]
