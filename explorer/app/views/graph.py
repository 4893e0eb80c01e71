"""Evidence graph: diseases/indications <-> statements <-> references, filtered before drawing."""

from __future__ import annotations

import streamlit as st

from explorer.app import state
from explorer.errors import ExplorerError
from explorer.exporting import evidence_graph_of
from explorer.render.evidence import EvidenceGraph
from explorer.render.graph_html import evidence_graph_html
from explorer.render.palette import KIND_STYLES, status_style

MAX_NODES = 400


@st.cache_resource(show_spinner=False, max_entries=32)
def _graph(url: str, policies: tuple[str, ...] | None) -> EvidenceGraph:
    return evidence_graph_of(state.cached_store(url), list(policies) if policies is not None else None)


@st.cache_data(show_spinner=False, max_entries=32)
def _html(url: str, policies: tuple[str, ...] | None, diseases: tuple[str, ...] | None,
          statuses: tuple[str, ...] | None, kinds: tuple[str, ...], max_nodes: int, physics: bool) -> str:
    graph = _graph(url, policies).filter(diseases=diseases, statuses=statuses, kinds=kinds, max_nodes=max_nodes)
    return evidence_graph_html(graph, height="640px", physics=physics)


st.title("Evidence graph")
summaries = state.all_policies()
numbers = {s.number: s.iri for s in summaries}

state.init_state("g_policies", [p for p in state.param_list("policy") if p in numbers]
                 or list(numbers)[:1])
chosen = st.multiselect("Policies", list(numbers), key="g_policies",
                        format_func=lambda n: next(f"{s.number} {s.title}" for s in summaries if s.number == n))
policy_iris = tuple(numbers[n] for n in chosen) if chosen else None
if policy_iris is None and len(numbers) > 50:
    st.info("Pick at least one policy: the whole corpus is too large to draw.")
    state.set_params(policy=None)
    st.stop()

try:
    full = _graph(state.store_url(), policy_iris)
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()
disease_options = {n.id.rsplit("/", 1)[-1]: n.label for n in full.nodes if n.kind == "disease"}
status_options = sorted({n.status for n in full.nodes if n.status})
kind_options = [k for k in KIND_STYLES if any(n.kind == k for n in full.nodes)]

state.init_state("g_diseases", [d for d in state.param_list("disease") if d in disease_options])
state.init_state("g_statuses", [s for s in state.param_list("status") if s in status_options])
state.init_state("g_kinds", [k for k in state.param_list("kind") if k in kind_options] or kind_options)
state.init_state("g_max", int(state.number_param("max", 200, 10, MAX_NODES, integer=True)))
c1, c2, c3 = st.columns(3)
diseases = c1.multiselect("Diseases (with the statements and references about them)", list(disease_options),
                          key="g_diseases", format_func=lambda d: disease_options[d])
statuses = c2.multiselect("Statement status (empty: all)", status_options, key="g_statuses",
                          format_func=lambda s: status_style(s).label)
kinds = c3.multiselect("Node types", kind_options, key="g_kinds", format_func=lambda k: KIND_STYLES[k].label)
max_nodes = st.slider("At most this many nodes (the most connected first)", 10, MAX_NODES, key="g_max")
state.set_params(policy=chosen, disease=diseases, status=statuses,
                 kind=None if set(kinds) == set(kind_options) else kinds, max=str(max_nodes))

if not full.nodes:
    st.info("Nothing to draw: the chosen policies have no statements, references or diseases in the store.")
    st.stop()
page = _html(state.store_url(), policy_iris, tuple(diseases) or None, tuple(statuses) or None,
             tuple(kinds), max_nodes, True)
st.iframe(page, height=820)
st.download_button("Download this graph (self-contained HTML)", page, file_name="evidence-graph.html",
                   mime="text/html")
