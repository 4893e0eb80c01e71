"""ICD-10-CM from a precomputed table: ``simple_icd_10_cm``'s answers without its start-up cost.

Importing ``simple_icd_10_cm`` parses the whole release (98,505 codes) and takes 2.6 s on an idle
core (8 s on a loaded one): most of a fresh ``policy-explorer coverage`` process. The first use on a
machine reads the release once through the package and writes it as an SQLite table in the user
cache folder (``~/.cache/policy-explorer/icd10cm/``, keyed by the package's version and this
table's layout); every later process opens that file read-only and answers each question with one
indexed lookup. A missing, damaged or foreign file is rebuilt (written beside, then renamed in, so
concurrent builders never see half a table); an unwritable cache folder means a private table in a
temporary folder for this process.

:class:`IcdTable` offers the subset of the package's API the explorer uses, with its semantics:
codes with or without the dot, codes in tabular (pre-order) order, descendants contiguous after
their ancestor, ``ValueError`` for a code that is not in the release. 39 names are both a block and
the one category in it (``B10``, ``C50``): as in the package, such a name's index is the block's,
its kind flags are both, and everything else (description, parent, children...) is the category's.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

#: bump when the table's columns or their meaning change (old files are then rebuilt)
LAYOUT = 4
_FLAGS = ("chapter", "block", "category", "subcategory", "extended", "leaf")
_COLUMNS = "ord, code, description, parent, parent_ord, end_ord, " + ", ".join(_FLAGS)


@dataclass(frozen=True)
class _Entry:
    """What a code name denotes (see the module docs for names that are a block and a category)."""

    index: int
    ord: int
    description: str
    parent: str
    parent_ord: int
    end_ord: int
    flags: frozenset[str]


def table_name() -> str:
    """The cache file's name: the package's version and the table's layout."""
    return f"simple-icd-10-cm-{version('simple-icd-10-cm')}-layout{LAYOUT}.sqlite"


def default_table_dir() -> Path:
    """The user cache folder for the table (honours ``XDG_CACHE_HOME``)."""
    from platformdirs import user_cache_path

    return user_cache_path("policy-explorer") / "icd10cm"


def build_table(path: Path) -> None:
    """Read the release through ``simple_icd_10_cm`` and write it to ``path`` (atomically)."""
    with warnings.catch_warnings():  # its data loading uses deprecated importlib.resources calls
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as lib

    codes = lib.get_all_codes(True)
    rows: list[list[object]] = []
    last_seen: dict[str, int] = {}
    for ordinal, code in enumerate(codes):
        flags = (lib.is_chapter(code), lib.is_block(code), lib.is_category(code), lib.is_subcategory(code),
                 lib.is_extended_subcategory(code), lib.is_leaf(code))
        parent = lib.get_parent(code)
        if parent == code and code not in last_seen:
            # the block of a block-and-category name (the package answers for the category, whose
            # parent is this block): the block's own parent is the category's grandparent
            parent = lib.get_ancestors(code)[1]
        parent_ord = last_seen.get(parent, -1) if parent else -1  # the nearest row of that name before
        rows.append([ordinal, code, lib.get_description(code), parent, parent_ord, ordinal, *map(int, flags)])
        last_seen[code] = ordinal
    _set_subtree_ends(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=".building-", suffix=".sqlite", dir=path.parent)
    os.close(handle)
    try:
        db = sqlite3.connect(scratch)
        with db:
            db.execute(f"CREATE TABLE icd ({_COLUMNS.replace('ord,', 'ord INTEGER PRIMARY KEY,', 1)})")
            db.execute("CREATE INDEX icd_code ON icd (code)")
            db.execute("CREATE INDEX icd_parent ON icd (parent_ord)")
            db.executemany(f"INSERT INTO icd ({_COLUMNS}) VALUES ({', '.join('?' * (6 + len(_FLAGS)))})", rows)
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("INSERT INTO meta VALUES ('name', ?), ('codes', ?)", (path.name, str(len(rows))))
        db.close()
        os.replace(scratch, path)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)


def _set_subtree_ends(rows: list[list[object]]) -> None:
    """Each row's ``end_ord``: the ordinal of its last descendant (itself for a leaf). In tabular
    order a code's descendants follow it without a gap; rows are visited last to first, so a row's
    end is final before it is passed to its parent."""
    for row in reversed(rows):
        parent_ord = int(str(row[4]))
        if parent_ord >= 0:
            above = rows[parent_ord]
            above[5] = max(int(str(above[5])), int(str(row[5])))


class IcdTable:
    """Read-only answers from the table at ``path`` (one connection per process and thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        count = self._one("SELECT value FROM meta WHERE key = 'codes'")
        name = self._one("SELECT value FROM meta WHERE key = 'name'")
        total = self._one("SELECT COUNT(*) FROM icd")
        if count is None or name is None or total is None or name[0] != path.name or str(count[0]) != str(total[0]):
            raise sqlite3.DatabaseError(f"{path} is not a complete ICD-10-CM table")

    # -- the package's API ------------------------------------------------------------------------

    def is_valid_item(self, code: str) -> bool:
        return self._find(code) is not None

    def get_description(self, code: str) -> str:
        return self._entry(code).description

    def get_parent(self, code: str) -> str:
        return self._entry(code).parent

    def get_index(self, code: str) -> int:
        return self._entry(code).index

    def get_children(self, code: str) -> list[str]:
        entry = self._entry(code)
        return [str(r[0]) for r in self._all("SELECT code FROM icd WHERE parent_ord = ? ORDER BY ord", (entry.ord,))]

    def get_descendants(self, code: str) -> list[str]:
        entry = self._entry(code)
        return [str(r[0]) for r in self._all("SELECT code FROM icd WHERE ord > ? AND ord <= ? ORDER BY ord",
                                             (entry.ord, entry.end_ord))]

    def get_ancestors(self, code: str) -> list[str]:
        out, ordinal = [], self._entry(code).parent_ord
        while ordinal >= 0:
            row = self._one("SELECT code, parent_ord FROM icd WHERE ord = ?", (ordinal,))
            assert row is not None  # parent ordinals point at rows of the same table
            out.append(str(row[0]))
            ordinal = int(str(row[1]))
        return out

    def get_all_codes(self, with_dots: bool = True) -> list[str]:
        codes = [str(r[0]) for r in self._all("SELECT code FROM icd ORDER BY ord")]
        return codes if with_dots else [c.replace(".", "") for c in codes]

    def codes_between(self, first_ord: int, last_ord: int) -> list[str]:
        """The codes of rows ``first_ord`` .. ``last_ord`` in tabular order but the names that are
        a chapter or a block (in any of their rows): ``get_all_codes()[first_ord:last_ord + 1]``
        filtered with ``is_chapter_or_block``, in one query (the ordinals count from 0, no gaps)."""
        sql = ("SELECT a.code FROM icd a WHERE a.ord BETWEEN ? AND ? AND NOT EXISTS "
               "(SELECT 1 FROM icd b WHERE b.code = a.code AND (b.chapter OR b.block)) ORDER BY a.ord")
        return [str(row[0]) for row in self._all(sql, (first_ord, last_ord))]

    def is_chapter(self, code: str) -> bool:
        return self._flag(code, "chapter")

    def is_block(self, code: str) -> bool:
        return self._flag(code, "block")

    def is_chapter_or_block(self, code: str) -> bool:
        return self._flag(code, "chapter") or self._flag(code, "block")

    def is_category(self, code: str) -> bool:
        return self._flag(code, "category")

    def is_subcategory(self, code: str) -> bool:
        return self._flag(code, "subcategory")

    def is_category_or_subcategory(self, code: str) -> bool:
        return self._flag(code, "category") or self._flag(code, "subcategory")

    def is_extended_subcategory(self, code: str) -> bool:
        return self._flag(code, "extended")

    def is_leaf(self, code: str) -> bool:
        return self._flag(code, "leaf")

    def diagnosis_codes(self, prefix: str = "") -> Iterator[tuple[str, str]]:
        """``(code, description)`` of every category, subcategory and extended code whose name starts
        with ``prefix`` (dotted, upper case; one indexed range), in tabular order, read lazily. As in
        the package's ``get_all_codes``, a name that is a block and a category comes twice, each time
        with the category's description."""
        where = "(a.category OR a.subcategory OR a.extended)"
        args: tuple[object, ...] = ()
        if prefix:
            where += " AND a.code >= ? AND a.code < ?"
            args = (prefix, prefix + "\uffff")  # above every ASCII character of a code
        sql = ("SELECT a.code, (SELECT b.description FROM icd b WHERE b.code = a.code ORDER BY b.ord DESC LIMIT 1)"
               f" FROM icd a WHERE {where} ORDER BY a.ord")
        for code, description in self._connection().execute(sql, args):
            yield str(code), str(description)

    # -- lookups ------------------------------------------------------------------------------------

    def _flag(self, code: str, name: str) -> bool:
        return name in self._entry(code).flags

    def _entry(self, code: str) -> _Entry:
        entry = self._find(code)
        if entry is None:
            raise ValueError(f"{code!r} is not a valid ICD-10-CM code")
        return entry

    def _find(self, code: str) -> _Entry | None:
        text = str(code).strip()
        rows = self._rows_named(text)
        if not rows and "." not in text and "-" not in text and len(text) > 3:
            rows = self._rows_named(f"{text[:3]}.{text[3:]}")
        if not rows:
            return None
        main = rows[-1]
        flags = frozenset(name for row in rows for name, on in zip(_FLAGS, row[6:], strict=True) if on)
        return _Entry(index=int(str(rows[0][0])), ord=int(str(main[0])), description=str(main[2]),
                      parent=str(main[3] or ""), parent_ord=int(str(main[4])), end_ord=int(str(main[5])),
                      flags=flags)

    def _rows_named(self, code: str) -> list[tuple[object, ...]]:
        return list(self._all(f"SELECT {_COLUMNS} FROM icd WHERE code = ? ORDER BY ord", (code,)))

    def _one(self, sql: str, args: tuple[object, ...] = ()) -> tuple[object, ...] | None:
        row = self._connection().execute(sql, args).fetchone()
        return None if row is None else tuple(row)

    def _all(self, sql: str, args: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
        return iter(self._connection().execute(sql, args).fetchall())

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened again in a forked child (a connection must not cross a fork)."""
        held = getattr(self._local, "held", None)
        if held is None or held[0] != os.getpid():
            held = (os.getpid(), sqlite3.connect(f"file:{self.path}?mode=ro", uri=True))
            self._local.held = held
        return held[1]


@cache
def icd_table() -> IcdTable:
    """The table for this machine's ``simple-icd-10-cm``, built on first use (see module docs)."""
    return open_table(default_table_dir())


def open_table(folder: Path) -> IcdTable:
    """The table in ``folder``, built there if missing or damaged; in a private temporary folder
    if ``folder`` cannot be written (removed when the process exits)."""
    path = folder / table_name()
    try:
        return IcdTable(path)
    except (sqlite3.Error, ValueError, OSError):
        pass
    try:
        build_table(path)
    except OSError:
        private = tempfile.mkdtemp(prefix="policy-explorer-icd-")
        atexit.register(shutil.rmtree, private, ignore_errors=True)
        path = Path(private) / table_name()
        build_table(path)
    return IcdTable(path)
