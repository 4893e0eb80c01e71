"""Exports: the current policy or the whole corpus as RDF, or the self-contained HTML graph."""

from __future__ import annotations

import streamlit as st

from explorer.app import state
from explorer.errors import ExplorerError
from explorer.pipeline import export_graphs
from explorer.render.evidence_build import build_evidence_graph
from explorer.render.graph_html import evidence_graph_html
from explorer.render.rdf_export import serialize_graphs

FORMATS = {
    "ttl": ("Turtle", "text/turtle"),
    "jsonld": ("JSON-LD", "application/ld+json"),
    "nt": ("N-Triples", "application/n-triples"),
    "nq": ("N-Quads (with graph names)", "application/n-quads"),
    "trig": ("TriG (with graph names)", "application/trig"),
    "html": ("Evidence graph (self-contained HTML)", "text/html"),
}
ALL = "(all policies)"


@st.cache_data(show_spinner="Preparing the export…", max_entries=16)
def _export(url: str, policy: str | None, fmt: str, inferred: bool, vocabulary: bool) -> str:
    store = state.cached_store(url)
    if fmt == "html":
        iris = None if policy is None else [s.iri for s in state.policies(url) if s.number == policy]
        title = "Evidence graph" + (f": policy {policy}" if policy else "")
        return evidence_graph_html(build_evidence_graph(store, iris).filter(max_nodes=1500), title=title)
    return serialize_graphs(export_graphs(store, policy, inferred=inferred, vocabulary=vocabulary), fmt)


st.title("Exports")
summaries = state.all_policies()
scopes = [ALL, *(s.number for s in summaries)]
titles = {s.number: f"{s.number} — {s.title}" for s in summaries}
state.init_state("ex_policy", state.param("policy") if state.param("policy") in scopes else scopes[-1])
state.init_state("ex_format", state.param("format") if state.param("format") in FORMATS else "ttl")
state.init_state("ex_inferred", state.param("inferred") == "1")
state.init_state("ex_vocab", state.param("vocabulary") == "1")

scope = st.selectbox("What", scopes, key="ex_policy", format_func=lambda n: titles.get(n, n))
fmt = st.radio("Format", list(FORMATS), key="ex_format", format_func=lambda f: FORMATS[f][0], horizontal=True)
c1, c2 = st.columns(2)
inferred = c1.checkbox("Include inferred triples", key="ex_inferred", disabled=fmt == "html")
vocabulary = c2.checkbox("Include ontology and vocabularies", key="ex_vocab", disabled=fmt == "html")
state.set_params(policy=scope, format=fmt, inferred="1" if inferred else None, vocabulary="1" if vocabulary else None)

policy = None if scope == ALL else scope
try:
    data = _export(state.store_url(), policy, fmt, inferred, vocabulary)
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()
name = f"policy-{policy}" if policy else "policies"
st.download_button(f"Download {FORMATS[fmt][0]}", data, file_name=f"{name}.{fmt}", mime=FORMATS[fmt][1],
                   type="primary")
st.caption(f"{len(data.encode()):,} bytes")
if fmt != "html":
    with st.expander("Preview (first 3,000 characters)"):
        st.code(data[:3000], language="json" if fmt == "jsonld" else None)
