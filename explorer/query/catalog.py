"""The analysts' catalog: ``queries/*.rq`` files and the header comment block that documents each.

A header is the run of ``#`` lines at the top of a file (format in ``queries/README.md``)::

    # title: Prior-authorization requirements
    # description: Plan product x care setting requirements, with the policy
    #   and the source sentence (an indented line continues the field above).
    # param: product (string, optional) - plan product label, e.g. "Medicare PPO Blue"
    # param: setting (string, optional, default=outpatient) - care setting slug
    # columns: policy, product, setting, required, source

Parsing is strict for catalog files (a typo in a key is an error naming file and line) and lenient
for ad hoc text, where only well-formed ``key: value`` lines with a known key are read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from explorer.errors import QueryError
from explorer.store.oxigraph_plans import PLANS, planned_text

PARAM_TYPES = ("string", "iri", "integer", "boolean")
HEADER_KEYS = ("title", "description", "param", "columns", "pages", "plan", "whole")

_KEY_LINE = re.compile(r"^#\s?([A-Za-z][A-Za-z0-9_-]*):(?:\s+(.*))?$")
_CONTINUATION = re.compile(r"^#(?:\s{2,}|\t)(\S.*)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Parameter:
    """One declared query parameter; it binds the variable ``?name``."""

    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A parsed ``.rq`` file (or ad hoc text): its documentation and its unchanged SPARQL text."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str
    path: str | None = None
    # a column the rows are ordered by first (``# pages: policy``): a page past the first is read
    # from the values it spans (explorer/query/windows.py); catalog files only
    pages_by: str | None = None
    # how Oxigraph should join it (``# plan: optionals-per-row``, explorer/store/oxigraph_plans.py);
    # catalog files only
    plan: str | None = None
    # ``# whole: text``: a whole read (no page asked) of this paged listing is one text even past
    # the row limit, not windows (explorer/query/listing_pages.py); catalog files only
    whole_as_text: bool = False

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def load_catalog(directory: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every ``*.rq`` directly in ``directory`` (default: the bundled ``queries/``), by name.

    ``queries/internal/`` (the library's own queries) is not part of the catalog.
    :raises QueryError: a file's header is malformed (the message names file and line).
    """
    folder = Path(directory) if directory is not None else _default_dir()
    if not folder.is_dir():
        raise QueryError(f"query catalog folder not found: {folder}")
    catalog: dict[str, NamedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        if path.is_file():
            query = load_query_file(path)
            catalog[query.name] = query
    return catalog


def get_query(name: str, directory: str | Path | None = None) -> NamedQuery:
    """The catalog query called ``name``.

    :raises QueryError: no such query (the message lists the known names).
    """
    catalog = load_catalog(directory)
    if name not in catalog:
        known = ", ".join(catalog) or "(none)"
        raise QueryError(f"unknown query {name!r}; known queries: {known}")
    return catalog[name]


def load_query_file(path: str | Path, *, strict: bool = True) -> NamedQuery:
    """One ``.rq`` file; ``strict`` requires a complete, well-formed header (catalog files)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise QueryError(f"{path}: cannot read query file: {exc}") from exc
    name = path.stem
    if strict and not _QUERY_NAME.match(name):
        raise QueryError(f"{path}: query file names are lower-case kebab case (e.g. prior-authorization.rq)")
    return parse_query_text(text, name=name, path=str(path), strict=strict)


def parse_query_text(text: str, *, name: str = "<text>", path: str | None = None,
                     strict: bool = False) -> NamedQuery:
    """A NamedQuery from SPARQL text whose leading ``#`` lines form the header.

    :raises QueryError: the header is malformed (strict: any deviation; lenient: a bad ``param``).
    """
    where = path or name
    fields: dict[str, list[tuple[int, str]]] = {key: [] for key in HEADER_KEYS}
    current: str | None = None  # the field a continuation line extends
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.startswith("#"):
            break
        if line.strip("#").strip() == "":
            current = None
            continue
        cont_match = _CONTINUATION.match(line)
        key_match = None if cont_match else _KEY_LINE.match(line)
        if key_match:
            key, value = key_match.group(1).lower(), (key_match.group(2) or "").strip()
            current = None
            if key not in HEADER_KEYS:
                if strict:
                    raise _error(where, lineno, f"unknown header key {key!r}; known: {', '.join(HEADER_KEYS)}")
                pass  # an ordinary comment in ad hoc text
            elif key != "param" and fields[key]:
                if strict:
                    raise _error(where, lineno, f"header key {key!r} given twice")
            else:
                fields[key].append((lineno, value))
                current = key
        elif cont_match and current is not None:
            first, value = fields[current][-1]
            fields[current][-1] = (first, f"{value} {cont_match.group(1).strip()}".strip())
        elif strict:
            raise _error(where, lineno, "expected '# key: value' or an indented continuation line ('#   ...')")
    title = _single(fields["title"])
    description = _single(fields["description"])
    columns_text = _single(fields["columns"])
    if strict:
        for key in ("title", "description"):
            if not fields[key] or not _single(fields[key]):
                raise _error(where, 1, f"header needs a non-empty '# {key}:' line")
    parameters = tuple(_parse_param(where, lineno, value, strict) for lineno, value in fields["param"])
    seen: set[str] = set()
    for (lineno, _), param in zip(fields["param"], parameters, strict=True):
        if param.name in seen:
            raise _error(where, lineno, f"parameter {param.name!r} declared twice")
        seen.add(param.name)
    columns = tuple(c.strip().lstrip("?") for c in columns_text.split(",") if c.strip()) if columns_text else ()
    for column in columns:
        if not _NAME.match(column):
            raise _error(where, fields["columns"][0][0], f"column {column!r} is not a SPARQL variable name")
    pages_by = _single(fields["pages"]).lstrip("?") or None
    if strict and pages_by is not None and pages_by not in columns:
        raise _error(where, fields["pages"][0][0], f"pages: {pages_by!r} is not one of the columns")
    plan = _single(fields["plan"]) or None
    if strict and plan is not None:
        if plan not in PLANS:
            raise _error(where, fields["plan"][0][0], f"plan: {plan!r} is not one of {', '.join(PLANS)}")
        try:
            planned_text(text, plan)
        except QueryError as exc:
            raise _error(where, fields["plan"][0][0], f"plan: {exc}") from None
    whole = _single(fields["whole"]) or None
    if strict and whole is not None and (whole != "text" or pages_by is None):
        raise _error(where, fields["whole"][0][0], "whole: only 'text', and only with a '# pages:' line")
    if not strict:
        pages_by = plan = whole = None  # ad hoc text is not checked against its header: it runs as written
    return NamedQuery(name=name, title=title or name, description=description, parameters=parameters,
                      columns=columns, text=text, path=path, pages_by=pages_by, plan=plan,
                      whole_as_text=whole == "text")


def _single(entries: list[tuple[int, str]]) -> str:
    return entries[0][1] if entries else ""


def _parse_param(where: str, lineno: int, value: str, strict: bool) -> Parameter:
    """``name (type[, required|optional][, default=VALUE]) - description``."""
    split = _split_param(value)
    if split is None:
        raise _error(where, lineno, "param must read 'name (type[, required|optional][, default=VALUE]) - text'")
    name, spec, description = split
    if not _NAME.match(name):
        raise _error(where, lineno, f"parameter name {name!r} is not a SPARQL variable name")
    parts = [p.strip() for p in _split_spec(spec)]
    if not parts or parts[0] not in PARAM_TYPES:
        raise _error(where, lineno, f"parameter {name!r}: type must be one of {', '.join(PARAM_TYPES)}")
    ptype, required, default = parts[0], None, None
    for part in parts[1:]:
        if part in ("required", "optional"):
            if required is not None:
                raise _error(where, lineno, f"parameter {name!r}: say required or optional once")
            required = part == "required"
        elif part.startswith("default="):
            default = _unquote(where, lineno, part[len("default="):].strip())
        else:
            raise _error(where, lineno, f"parameter {name!r}: unexpected {part!r} "
                         "(expected required, optional or default=VALUE)")
    if required and default is not None:
        raise _error(where, lineno, f"parameter {name!r}: a required parameter cannot have a default")
    if strict and not description:
        raise _error(where, lineno, f"parameter {name!r} needs a description after ' - '")
    if default is not None and ptype != "iri":  # iri defaults may use the query's prefixes
        from explorer.query.bindings import to_term

        try:
            to_term(Parameter(name, ptype), default)
        except QueryError as exc:
            raise _error(where, lineno, f"default: {exc}") from exc
    return Parameter(name=name, type=ptype, required=bool(required), default=default, description=description)


def _split_param(value: str) -> tuple[str, str, str] | None:
    """``name (spec) - description`` -> (name, spec, description); None if not of that shape."""
    open_at = value.find("(")
    if open_at <= 0:
        return None
    close_at = next((i for i, ch in _unquoted(value, open_at + 1) if ch == ")"), -1)
    if close_at < 0:
        return None
    rest = value[close_at + 1:].strip()
    if rest and not rest.startswith("-"):
        return None
    return value[:open_at].strip().lstrip("?"), value[open_at + 1:close_at], rest[1:].strip()


def _split_spec(spec: str) -> list[str]:
    """Split on commas outside double-quoted (JSON) strings."""
    cuts = [i for i, ch in _unquoted(spec) if ch == ","]
    bounds = [-1, *cuts, len(spec)]
    return [spec[a + 1:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _unquoted(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, char) of the characters outside double-quoted strings (backslash escapes honoured)."""
    quoted = escaped = False
    for i in range(start, len(text)):
        ch = text[i]
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        else:
            yield i, ch


def _unquote(where: str, lineno: int, raw: str) -> str:
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise _error(where, lineno, f"bad quoted default {raw}") from exc
        if not isinstance(value, str):
            raise _error(where, lineno, f"bad quoted default {raw}")
        return value
    if not raw:
        raise _error(where, lineno, "empty default (write default=\"\" for an empty string)")
    return raw


def _error(where: str, lineno: int, message: str) -> QueryError:
    return QueryError(f"{where}, line {lineno}: {message}")


def _default_dir() -> Path:
    from explorer.resources import queries_dir

    return queries_dir()
