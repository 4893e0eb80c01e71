"""SPARQL workbench: a catalog query with a form for its parameters, or your own read-only query."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from explorer.app import state
from explorer.app.labels import label_map, shown
from explorer.errors import ExplorerError
from explorer.query import limits as query_limits
from explorer.query.catalog import load_catalog
from explorer.query.formats import to_delimited, to_json
from explorer.query.limits import QueryLimits
from explorer.query.runner import QueryResult, asserted_graphs, run_query, untrusted_query

EXAMPLE = """PREFIX pol: <https://w3id.org/policy-explorer/ontology#>
SELECT ?statement ?status ?text
WHERE { ?statement a pol:CoverageStatement ; pol:hasStatus ?status ; pol:text ?text }
LIMIT 20
"""
OWN = "(write your own)"
PAGE_ROWS = 100  # rows drawn at a time; the downloads hold them all (up to the row limit)
# a page's answer is kept this long for reruns (a widget changed, the same page opened again); Run
# and any change of the question ask the store again
ANSWER_TTL_S = 60
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"


@st.cache_data(show_spinner=False, max_entries=4)
def _labels(url: str) -> dict[str, str]:
    return label_map(state.cached_store(url))


@st.cache_resource(show_spinner=False, ttl=ANSWER_TTL_S, max_entries=32)
def _answer(url: str, _query: Any, question: str, _params: dict[str, str], timeout: float, max_rows: int,
            inferred: bool, offset: int, limit: int) -> QueryResult:
    """One page of ``_query``'s answer (``question``: its text and parameters, part of the cache key)."""
    store = state.cached_store(url)
    return run_query(store, _query, _params, limits=QueryLimits(timeout_s=timeout, max_rows=max_rows),
                     graphs=None if inferred else asserted_graphs(store), offset=offset, limit=limit)


def _is_pmid_column(name: str, values: list[str]) -> bool:
    return "pmid" in name.lower() and any(values) and all(not v or v.isdigit() for v in values)

st.title("SPARQL workbench")
store = state.get_store()
catalog = load_catalog()
names = [OWN, *sorted(catalog)]

linked = OWN if state.param("query") == "own" else state.param("query")
state.init_state("wb_query", linked if linked in names else names[1])
state.init_state("wb_text", state.param("sparql", EXAMPLE))
state.init_state("wb_inferred", state.param("inferred", "1") == "1")
state.init_state("wb_timeout", float(state.number_param("timeout", 10.0, 0.5, 60.0)))
state.init_state("wb_rows", int(state.number_param("rows", 1000, 1, 100_000, integer=True)))
state.init_state("wb_labels", state.param("labels") == "1")

name = st.selectbox("Query", names, key="wb_query",
                    format_func=lambda n: n if n == OWN else f"{catalog[n].title} ({n})")
params: dict[str, str] = {}
if name == OWN:
    text = st.text_area("SPARQL (read-only: SELECT, ASK, CONSTRUCT, DESCRIBE)", key="wb_text", height=200)
    # text from a link is someone else's: it runs as written (no '# param:' defaults bound), and
    # only once the user has read it and pressed Run (issue 11)
    query: object = untrusted_query(text)
else:
    named = catalog[name]
    st.caption(state.md(named.description))
    for p in named.parameters:
        key = f"wb_p_{name}_{p.name}"
        state.init_state(key, state.param(f"p.{p.name}", p.default or "") or "")
        value = st.text_input(f"{p.name} ({p.type}{', required' if p.required else ''})", key=key,
                              help=p.description)
        if value.strip():
            params[p.name] = value.strip()
    query = named
    with st.expander("Query text"):
        st.code(named.text, language="sparql")

c1, c2, c3 = st.columns(3)
inferred = c1.toggle("Include inferred triples (OWL RL)", key="wb_inferred")
with_labels = c1.toggle("Show labels instead of IRIs", key="wb_labels",
                        help="An IRI's rdfs:label / skos:prefLabel / dcterms:title, else its prefixed name "
                             "(pol:hasStatus); downloads keep the IRIs")
timeout = c2.number_input("Time limit (s)", min_value=0.5, max_value=60.0, step=0.5, key="wb_timeout")
max_rows = c3.number_input("Row limit", min_value=1, max_value=100_000, step=100, key="wb_rows")

state.set_params(query=name if name != OWN else "own", sparql=text if name == OWN else None,
                 inferred="1" if inferred else "0", labels="1" if with_labels else None,
                 timeout=f"{timeout:g}", rows=str(int(max_rows)),
                 **{f"p.{k}": v for k, v in params.items()})

run = st.button("Run", type="primary", key="wb_run")
if run and name == OWN:
    st.session_state["wb_approved"] = text  # this session's user ran this text: reruns may repeat it
if name == OWN:
    ready = st.session_state.get("wb_approved") == text
    if not ready and state.param("sparql"):
        st.info("This link holds a query: read it above, then press Run to run it.")
else:
    ready = all(p.name in params for p in catalog[name].parameters if p.required)
if not (run or ready):
    st.stop()

if query_limits.stray_queries() >= state.MAX_STRAY_QUERIES:
    st.error("Earlier queries that hit the time limit are still being stopped by the store; "
             "try again in a moment, or narrow the query.")
    st.stop()

asked_for = repr((name, text if name == OWN else None, params, inferred, int(max_rows)))
if st.session_state.get("wb_asked") != asked_for:  # another question starts at its first page
    st.session_state["wb_asked"] = asked_for
    st.session_state["wb_page"] = 1
page = int(st.session_state.get("wb_page", 1))
first = (page - 1) * PAGE_ROWS
if run:
    _answer.clear()  # Run asks the store again; a rerun for a widget (labels, page) reuses the answer
try:
    # one page of a SELECT's rows is converted and drawn; the others are only counted (issue 15 item 3)
    result: QueryResult = _answer(state.store_url(), query, repr((query.text, params)),  # type: ignore[attr-defined]
                                  params, float(timeout), int(max_rows), inferred, first,
                                  max(0, min(PAGE_ROWS, int(max_rows) - first)))
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()


def _everything() -> QueryResult:
    """The whole answer (up to the row limit), computed when a download is asked for."""
    return run_query(store, query, params,  # type: ignore[arg-type]
                     limits=QueryLimits(timeout_s=float(timeout), max_rows=int(max_rows)),
                     graphs=None if inferred else asserted_graphs(store))


# a long listing's total is known once its pages have counted every policy; until then, a lower
# bound that reaches past this page (explorer/query/windows.py), so the next page can be asked
shown_rows = min(result.rows_known, int(max_rows))
st.caption(f"{result.kind.upper()} in {result.elapsed_ms:.0f} ms"
           + (f", rows {first + 1 if result.rows else 0}-{first + len(result.rows)} of {result.total_text}"
              if result.kind == "select" else ""))
if result.truncated or result.rows_known > int(max_rows):
    st.warning(f"Only the first {int(max_rows)} results are shown: raise the row limit to see more.")
if result.kind == "select" and shown_rows > PAGE_ROWS:
    st.number_input(f"Page ({PAGE_ROWS} rows each)", min_value=1, max_value=-(-shown_rows // PAGE_ROWS), key="wb_page")
if result.kind == "ask":
    st.markdown(f"**Answer:** {result.boolean}")
elif result.kind == "graph":
    assert result.graph is not None
    st.code(result.graph.serialize(format="turtle"), language="turtle")
else:
    labels = _labels(state.store_url()) if with_labels else None
    frame = pd.DataFrame([[shown(v, labels) for v in row] for row in result.rows], columns=list(result.columns))
    links: dict[str, Any] = {}
    for column in frame.columns:
        values = [str(v) for v in frame[column]]
        if _is_pmid_column(str(column), values):  # PMIDs open PubMed, the number still shown
            frame[column] = [f"{PUBMED}{v}/" if v else "" for v in values]
            links[str(column)] = st.column_config.LinkColumn(str(column), display_text=re.escape(PUBMED) + r"(\d+)/")
    st.dataframe(frame, hide_index=True, width="stretch", column_config=links)
d1, d2 = st.columns(2)
d1.download_button("Download CSV", lambda: to_delimited(_everything()), file_name="results.csv", mime="text/csv")
d2.download_button("Download JSON", lambda: to_json(_everything()), file_name="results.json", mime="application/json")
