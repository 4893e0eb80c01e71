"""What every page shares: the store (opened once per process), cached lookups, permalinks, escaping."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

import streamlit as st

from explorer.app.policy_search import PolicyEntry, entry
from explorer.app.policy_topics import Topic, policy_topics
from explorer.app.text import md as md  # re-exported: every page escapes through state.md
from explorer.corpus_cache import corpus_store
from explorer.pipeline import PolicySummary, ingest_paths, list_policies, load_policy_facts
from explorer.resources import policies_dir
from explorer.store import PolicyStore

STORE_ENV = "POLICY_EXPLORER_STORE"
DEFAULT_APP_STORE = "oxigraph:"  # Oxigraph in memory
# Queries stopped at their time limit that Oxigraph is still evaluating (it cannot interrupt them
# before their next row): past this many, the workbench refuses new ones instead of piling them up.
MAX_STRAY_QUERIES = 2


def store_url() -> str:
    """The store the app uses: ``POLICY_EXPLORER_STORE``, else an in-memory store."""
    return os.environ.get(STORE_ENV) or DEFAULT_APP_STORE


@st.cache_resource(show_spinner="Loading and reasoning over the bundled policies…")
def cached_store(url: str) -> PolicyStore:
    """Open the store once per process (Oxigraph locks its directory); ingest the bundled policies
    if it holds none."""
    store = corpus_store(url)  # the bundled corpus from its on-disk cache (explorer.corpus_cache)
    if not list_policies(store):
        ingest_paths(store, [policies_dir()])
    return store


def get_store() -> PolicyStore:
    return cached_store(store_url())


@st.cache_data(show_spinner=False)
def policies(url: str) -> list[PolicySummary]:
    """The policies in the store (cached per store URL)."""
    return list_policies(cached_store(url))


def all_policies() -> list[PolicySummary]:
    return policies(store_url())


@st.cache_data(show_spinner=False)
def topics(url: str) -> dict[str, frozenset[Topic]]:
    """Each policy's topics: the diseases (and broader diseases) and services its statements name."""
    return policy_topics(cached_store(url))


@st.cache_resource(show_spinner="Indexing the policies for search…", max_entries=4)
def search_index(url: str) -> dict[str, PolicyEntry]:
    """Every policy's searchable words (codes, diseases and their synonyms), by IRI."""
    store = cached_store(url)
    return {s.iri: entry(s.iri, load_policy_facts(store, s.iri)) for s in policies(url)}


# -- permalinks ------------------------------------------------------------------------------------


def param(name: str, default: str | None = None) -> str | None:
    """A single query-parameter value."""
    value = st.query_params.get(name)
    return default if value in (None, "") else value


def number_param(name: str, default: float, low: float, high: float, *, integer: bool = False) -> float:
    """A numeric permalink value within [low, high]; a value that is not a plain decimal number
    (``abc``, ``²``, ``nan``, ``1e999``) gives ``default`` and a one-line warning on the page,
    never an exception."""
    raw = param(name)
    if raw is None:
        return default
    text = raw.strip()
    pattern = _INTEGER if integer else _DECIMAL
    if not pattern.fullmatch(text) or len(text) > 20:
        st.warning(f"The link's {name}={raw[:40]!r} is not {'a whole number' if integer else 'a number'}; "
                   f"using {default:g}.")
        return default
    value = int(text) if integer else float(text)
    return min(max(value, low), high)


_INTEGER = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)


def param_list(name: str) -> list[str]:
    """All values of a repeated query parameter."""
    return [v for v in st.query_params.get_all(name) if v]


def set_params(**values: str | Iterable[str] | None) -> None:
    """Write a view's state into the URL; None or empty removes the parameter."""
    for key, value in values.items():
        if value is None or value == "" or (not isinstance(value, str) and not list(value)):
            if key in st.query_params:
                del st.query_params[key]
            continue
        wanted: str | list[str] = value if isinstance(value, str) else [str(v) for v in value]
        current = st.query_params.get_all(key)
        if current != ([wanted] if isinstance(wanted, str) else wanted):
            st.query_params[key] = wanted


def init_state(key: str, value: Any) -> None:
    """Seed a widget's session state (from a permalink) the first time the page runs."""
    if key not in st.session_state:
        st.session_state[key] = value


def pubmed(pmid: str | None) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid and pmid.isdigit() else None


STATUS_COLOURS = {"medically-necessary": "green", "investigational": "orange", "not-medically-necessary": "red"}


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "gray")
