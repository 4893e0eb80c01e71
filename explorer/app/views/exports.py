"""Exports: the current policy or the whole corpus as RDF, or the self-contained HTML graph."""

from __future__ import annotations

import streamlit as st

from explorer.app import state
from explorer.errors import ExplorerError
from explorer.exporting import export
from explorer.render.exports import FORMAT_LABELS, ExportFile

ALL = "(all policies)"
GRAPH_MAX_NODES = 1500  # the HTML graph stays usable on a large corpus


@st.cache_data(show_spinner="Preparing the export…", max_entries=16)
def _export(url: str, policy: str | None, fmt: str, inferred: bool, vocabulary: bool) -> list[ExportFile]:
    """The same export the CLI writes (``explorer.exporting.export``), as its files."""
    result = export(state.cached_store(url), fmt, policy=policy, inferred=inferred, vocabulary=vocabulary,
                    max_nodes=GRAPH_MAX_NODES if fmt in ("html", "graphml", "csv") else None)
    return list(result.files)


st.title("Exports")
summaries = state.all_policies()
scopes = [ALL, *(s.number for s in summaries)]
titles = {s.number: f"{s.number} — {s.title}" for s in summaries}
state.init_state("ex_policy", state.param("policy") if state.param("policy") in scopes else scopes[-1])
state.init_state("ex_format", state.param("format") if state.param("format") in FORMAT_LABELS else "ttl")
state.init_state("ex_inferred", state.param("inferred") == "1")
state.init_state("ex_vocab", state.param("vocabulary") == "1")

scope = st.selectbox("What", scopes, key="ex_policy", format_func=lambda n: titles.get(n, n))
fmt = st.radio("Format", list(FORMAT_LABELS), key="ex_format", format_func=lambda f: FORMAT_LABELS[f],
               horizontal=True)
c1, c2 = st.columns(2)
rdf = fmt in ("ttl", "jsonld", "nt", "nq", "trig", "rdfxml")
inferred = c1.checkbox("Include inferred triples", key="ex_inferred", disabled=not rdf)
vocabulary = c2.checkbox("Include ontology and vocabularies", key="ex_vocab", disabled=not rdf)
state.set_params(policy=scope, format=fmt, inferred="1" if inferred else None, vocabulary="1" if vocabulary else None)

policy = None if scope == ALL else scope
try:
    files = _export(state.store_url(), policy, fmt, inferred, vocabulary)
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()
name = f"policy-{policy}" if policy else "policies"
for file in files:
    part = f"-{file.part}" if file.part else ""
    st.download_button(f"Download {FORMAT_LABELS[fmt]}{' ' + file.part if file.part else ''}", file.text,
                       file_name=f"{name}{part}{file.suffix}", mime=file.media_type, type="primary",
                       key=f"ex_download_{file.part or 'main'}")
st.caption(f"{sum(len(f.text.encode()) for f in files):,} bytes")
if fmt != "html":
    with st.expander("Preview (first 3,000 characters)"):
        st.code(files[0].text[:3000], language="json" if fmt == "jsonld" else None)
