"""User values -> rdflib terms for ``initBindings``, by the parameter types a query declares.

Values arrive as text (CLI ``--param k=v``, app fields, HTTP parameters) or as Python values
(``int``, ``bool``, rdflib terms).  They become single RDF terms handed to the store as bindings;
they are never pasted into query text, so ``"> } ; DROP ALL #`` is just a string literal.
An ``iri`` value is checked against the IRIREF grammar (no ``<>"{}|^`\\`` or spaces), because
some stores write bound IRIs as ``<...>`` in a VALUES clause.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from explorer.errors import QueryError
from explorer.query.catalog import NamedQuery, Parameter

MAX_VALUE_CHARS = 10_000

_INTEGER = re.compile(r"^[+-]?[0-9]{1,40}$")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PREFIXED = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*)?:(.*)$", re.S)
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')


def bind_parameters(query: NamedQuery, values: Mapping[str, object],
                    prefixes: Mapping[str, str] | None = None) -> dict[str, Node]:
    """Bindings for ``query``: given values converted by type, plus declared defaults.

    Optional parameters without a value or default stay unbound.
    :raises QueryError: unknown names, a missing required parameter, or a value of the wrong type.
    """
    given = {str(k).lstrip("?$"): v for k, v in values.items()}
    valid = [p.name for p in query.parameters]
    unknown = sorted(set(given) - set(valid))
    if unknown:
        names = ", ".join(repr(n) for n in unknown)
        accepted = f"valid: {', '.join(valid)}" if valid else "it takes no parameters"
        raise QueryError(f"unknown parameter {names} for query {query.name!r}; {accepted}")
    missing = [p.name for p in query.parameters if p.required and given.get(p.name) is None]
    if missing:
        raise QueryError(f"query {query.name!r} needs parameter {', '.join(repr(n) for n in missing)}; "
                         f"parameters: {describe_parameters(query)}")
    bindings: dict[str, Node] = {}
    for param in query.parameters:
        value = given.get(param.name)
        if value is None:
            value = param.default
        if value is not None:
            bindings[param.name] = to_term(param, value, prefixes)
    return bindings


def to_term(param: Parameter, value: object, prefixes: Mapping[str, str] | None = None) -> Node:
    """One value as the RDF term its parameter type asks for.

    :raises QueryError: the value does not fit the type (the message names the parameter).
    """
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        raise QueryError(f"parameter {param.name!r}: value longer than {MAX_VALUE_CHARS} characters")
    convert = _CONVERTERS.get(param.type)
    if convert is None:
        raise QueryError(f"parameter {param.name!r}: unknown type {param.type!r}")
    term = convert(value, prefixes or {})
    if term is None:
        raise QueryError(f"parameter {param.name!r} expects {_EXPECTS[param.type]}, got {_show(value)}")
    return term


def describe_parameters(query: NamedQuery) -> str:
    """``name (type, required), ...`` for messages and listings."""
    if not query.parameters:
        return "(none)"
    return ", ".join(f"{p.name} ({p.type}{', required' if p.required else ''})" for p in query.parameters)


def _string(value: object, _: Mapping[str, str]) -> Node | None:
    if isinstance(value, Literal) and value.datatype in (None, XSD.string):
        return value
    if isinstance(value, str) and not isinstance(value, Node):
        return Literal(value)
    return None


def _integer(value: object, _: Mapping[str, str]) -> Node | None:
    if isinstance(value, Literal) and value.datatype == XSD.integer and _INTEGER.match(str(value)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, str) and not isinstance(value, Node) and _INTEGER.match(value.strip()):
        return Literal(int(value.strip()), datatype=XSD.integer)
    return None


def _boolean(value: object, _: Mapping[str, str]) -> Node | None:
    if isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) in ("true", "false"):
        return value
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, str) and not isinstance(value, Node):
        word = value.strip().lower()
        if word in _TRUE or word in _FALSE:
            return Literal(word in _TRUE)
    return None


def _iri(value: object, prefixes: Mapping[str, str]) -> Node | None:
    if not isinstance(value, str) or isinstance(value, (Literal,)):
        return None
    text = str(value).strip()
    if not isinstance(value, URIRef):
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        else:
            match = _PREFIXED.match(text)
            if match and (match.group(1) or "") in prefixes:
                text = prefixes[match.group(1) or ""] + match.group(2)
    if not _SCHEME.match(text) or _IRI_FORBIDDEN.search(text):
        return None
    return URIRef(text)


_CONVERTERS = {"string": _string, "integer": _integer, "boolean": _boolean, "iri": _iri}
_EXPECTS = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "iri": "an absolute IRI (or prefix:name with a prefix the query declares) without spaces or <>\"{}|^`\\",
}


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
