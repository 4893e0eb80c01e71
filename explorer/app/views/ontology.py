"""Ontology browser: the class hierarchy with labels, comments and instance counts; the properties."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from rdflib.query import ResultRow

from explorer.app import state
from explorer.app.labels import prefix_block, prefixed
from explorer.app.ontology_view import ClassRow, PropertyRow, class_tree, properties
from explorer.errors import ExplorerError
from explorer.internal_queries import internal_query
from explorer.model import load_vocabulary_graph
from explorer.query.runner import asserted_graphs


@st.cache_data(show_spinner=False)
def _rows(url: str, inferred: bool) -> tuple[list[ClassRow], list[PropertyRow]]:
    store = state.cached_store(url)
    graphs = None if inferred else asserted_graphs(store)
    counts: dict[str, int] = {}
    for row in store.query(internal_query("app-class-counts"), graphs=graphs):
        assert isinstance(row, ResultRow)
        counts[str(row[0])] = int(str(row[1]))
    vocabulary = load_vocabulary_graph()
    return class_tree(vocabulary, counts), properties(vocabulary)


st.title("Ontology")
state.init_state("onto_inferred", state.param("inferred", "1") == "1")
inferred = st.toggle("Count inferred instances too (OWL RL)", key="onto_inferred")
try:
    classes, props = _rows(state.store_url(), inferred)
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()

st.subheader(f"Classes ({len({c.iri for c in classes})})")
st.dataframe(
    pd.DataFrame([{"class": "\u2003" * c.depth + c.label, "name": prefixed(c.iri), "instances": c.instances,
                   "comment": c.comment, "IRI": c.iri} for c in classes]),
    hide_index=True, width="stretch", height=420,
)
iris = sorted({c.iri for c in classes})
labels = {c.iri: c.label for c in classes}
state.init_state("onto_class", state.param("class") if state.param("class") in iris else "")
chosen = st.selectbox("Class details", ["", *iris], key="onto_class",
                      format_func=lambda i: f"{labels[i]} ({prefixed(i)})" if i else "(pick a class)")
if chosen:
    row = next(c for c in classes if c.iri == chosen)
    st.markdown(f"**{state.md(row.label)}** — `{prefixed(row.iri)}` (`{row.iri}`)")
    st.markdown(state.md(row.comment) or "_no comment_")
    st.markdown(f"Instances: **{row.instances}**; subclass of: "
                + (", ".join(state.md(labels.get(p, p)) for p in row.parents) or "(top)"))
st.subheader(f"Properties ({len(props)})")
st.dataframe(pd.DataFrame([{"property": p.label, "name": prefixed(p.iri), "kind": p.kind, "domain": p.domain,
                            "range": p.range, "comment": p.comment, "IRI": p.iri} for p in props]),
             hide_index=True, width="stretch")
with st.expander("Prefixes for your queries"):
    st.code(prefix_block(), language="sparql")
state.set_params(inferred="1" if inferred else "0", **{"class": chosen or None})
