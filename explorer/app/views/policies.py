"""Policies: search the corpus, then one policy's statements, prior auth, codes, history, references
and its source document with the selected fact's sentence highlighted."""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from explorer.app import state
from explorer.corpus import load_policy_facts
from explorer.errors import ExplorerError
from explorer.ingest.facts import PolicyFacts, Span

st.title("Policies")
store = state.get_store()
summaries = state.all_policies()

state.init_state("pol_search", state.param("q", ""))
search = st.text_input("Search by number, title or payer", key="pol_search")
needle = search.strip().lower()
shown = [s for s in summaries if not needle or needle in f"{s.number} {s.title} {s.payer}".lower()]
st.dataframe(
    pd.DataFrame(
        [{"number": s.number, "title": s.title, "payer": s.payer, "statements": s.statements,
          "references": s.references} for s in shown]
    ),
    hide_index=True,
    width="stretch",
)
if not shown:
    st.info("No policy matches this search.")
    state.set_params(q=search, policy=None, fact=None)
    st.stop()

numbers = [s.number for s in shown]
titles = {s.number: f"{s.number} — {s.title}" for s in shown}
wanted = state.param("policy")
state.init_state("pol_number", wanted if wanted in numbers else numbers[0])
if st.session_state["pol_number"] not in numbers:
    st.session_state["pol_number"] = numbers[0]
number = st.selectbox("Policy", numbers, key="pol_number", format_func=lambda n: titles[n])

try:
    facts: PolicyFacts = load_policy_facts(store, number)
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()

st.header(f"{facts.number}: {facts.title}")
meta = {"Payer": facts.payer, "BCBSA reference": facts.bcbsa_reference, "NCD/LCD": facts.ncd_lcd,
        "Related policies": ", ".join(facts.related_policies), "Applies to": ", ".join(facts.applies_to)}
st.markdown("  \n".join(f"**{k}:** {state.md(v)}" for k, v in meta.items() if v))
l1, l2 = st.columns(2)
l1.page_link("views/graph.py", label="Evidence graph of this policy", icon=":material/hub:",
             query_params={"policy": facts.number})
l2.page_link("views/exports.py", label="Export this policy", icon=":material/download:",
             query_params={"policy": facts.number})

# Every fact with a source span, so any of them can be highlighted in the document.
spans: dict[str, tuple[str, Span]] = {}

st.subheader("Coverage statements")
for s in facts.statements:
    colour = state.status_colour(s.status)
    st.markdown(f":{colour}-badge[{state.md(s.status_label)}] **Statement {s.number}** — {state.md(s.text)}")
    for cond in s.conditions:
        st.caption(f"Condition: {state.md(cond.text)}")
    spans[f"statement-{s.number}"] = (f"Statement {s.number} ({s.status_label})", s.span)

st.subheader("Prior authorization")
if facts.prior_authorization:
    matrix = pd.DataFrame(
        [{"product": p.product, "setting": p.setting,
          "required": {True: "required", False: "not required", None: "see note"}[p.required]}
         for p in facts.prior_authorization]
    ).pivot_table(index="product", columns="setting", values="required", aggfunc="first")
    st.dataframe(matrix, width="stretch")
    for i, p in enumerate(facts.prior_authorization):
        spans[f"pa-{i}"] = (f"Prior authorization: {p.product}, {p.setting}", p.span)
else:
    st.caption("No prior-authorization information.")

st.subheader("Codes")
st.dataframe(pd.DataFrame([{"system": c.system, "code": c.code, "description": c.description}
                           for c in facts.codes]), hide_index=True, width="stretch")
for c in facts.codes:
    spans[f"code-{c.system}-{c.code}"] = (f"Code {c.system} {c.code}", c.span)

st.subheader("History")
if facts.history:
    history = pd.DataFrame([{"date": pd.to_datetime(h.date + ("-01" if len(h.date) == 7 else "")),
                             "action": h.action} for h in facts.history])
    chart = alt.Chart(history).mark_circle(size=120).encode(
        x=alt.X("date:T", title="date"), tooltip=["date:T", "action:N"]
    ).properties(height=120)
    st.altair_chart(chart, width="stretch")
    for i, h in enumerate(facts.history):
        spans[f"history-{i}"] = (f"History {h.date}", h.span)

st.subheader("References")
st.dataframe(
    pd.DataFrame([{"#": r.number, "title": r.title or r.text, "journal": r.journal, "year": r.year,
                   "PMID": r.pmid, "PubMed": state.pubmed(r.pmid)} for r in facts.references]),
    hide_index=True,
    width="stretch",
    column_config={"PubMed": st.column_config.LinkColumn("PubMed", display_text="open")},
)
for r in facts.references:
    spans[f"reference-{r.number}"] = (f"Reference {r.number}", r.span)

st.subheader("Source document")
keys = ["none", *spans]
state.init_state("pol_fact", state.param("fact", "none"))
if st.session_state["pol_fact"] not in keys:
    st.session_state["pol_fact"] = "none"
fact = st.selectbox("Highlight the source of", keys, key="pol_fact",
                    format_func=lambda k: "(nothing)" if k == "none" else spans[k][0])
text = facts.text
if fact != "none":
    span = spans[fact][1]
    body = (html.escape(text[: span.start]) + '<mark id="pe-highlight">' + html.escape(text[span.start: span.end])
            + "</mark>" + html.escape(text[span.end:]))
    st.markdown(f"> {state.md(span.quote)}")
else:
    body = html.escape(text)
st.html(f'<div style="max-height:480px;overflow:auto;white-space:pre-wrap;font-family:monospace;'
        f'font-size:0.85rem;border:1px solid #ddd;padding:8px">{body}</div>')

state.set_params(q=search, policy=number, fact=None if fact == "none" else fact)
