"""Policies: filter the corpus by payer and topic and search it (numbers, titles, codes, diseases and their
synonyms), then one policy's statements, prior auth, codes, history, references and its source
document with the selected fact's sentence highlighted and scrolled into view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.app import state, version_changes
from explorer.app.policy_search import search as search_policies
from explorer.app.policy_topics import matching, topic_options
from explorer.app.text import blank, disease_label, document_html, pa_where, plain, rich
from explorer.errors import ExplorerError
from explorer.ingest.facts import PolicyFacts, Span
from explorer.pipeline import load_policy_facts

DATE_KINDS = {"effective": "Effective", "reviewed": "Last reviewed", "revised": "Last revised",
              "published": "Published", "next-review": "Next review", "original": "Original"}

# The page is still laying out when this runs: bring the highlight into view until it stays there
# (at most 3 s, so a reader's own scrolling is not fought). The document itself is escaped text.
SCROLL_JS = """(function () {
  let tries = 0, steady = 0;
  const tick = () => {
    const m = document.getElementById('pe-highlight');
    if (!m) { return; }
    const r = m.getBoundingClientRect();
    if (r.top >= 0 && r.bottom <= window.innerHeight) { steady += 1; }
    else { m.scrollIntoView({block: 'center', behavior: 'instant'}); steady = 0; }
    if (++tries < 20 && steady < 3) { setTimeout(tick, 150); }
  };
  tick();
})();"""

st.title("Policies")
store = state.get_store()
summaries = state.all_policies()
known = {s.number for s in summaries}

payers = sorted({s.payer for s in summaries})
about = state.topics(state.store_url())
topics = topic_options(about)
state.init_state("pol_payers", [p for p in state.param_list("payer") if p in payers])
state.init_state("pol_topics", [t for t in state.param_list("topic") if t in topics])
state.init_state("pol_search", state.param("q", ""))
f1, f2, f3 = st.columns([1, 1, 2])
chosen_payers = f1.multiselect("Payer (empty: all)", payers, key="pol_payers")
chosen_topics = f2.multiselect("Topic: disease or service (empty: all)", topics, key="pol_topics")
search = f3.text_input("Search by number, title, payer, code or disease (synonyms too: CML)", key="pol_search")
# the search index reads every policy's facts: built at the first search, not at the first page
hits = ({s.iri for s in summaries} if not search.strip()
        else search_policies(state.search_index(state.store_url()).values(), search))
if chosen_topics:
    hits &= matching(about, chosen_topics)
shown = [s for s in summaries if s.iri in hits and (not chosen_payers or s.payer in chosen_payers)]
st.dataframe(
    pd.DataFrame(
        [{"number": s.number, "title": s.title, "payer": s.payer, "statements": s.statements,
          "references": s.references} for s in shown],
        columns=["number", "title", "payer", "statements", "references"],
    ),
    hide_index=True,
    width="stretch",
)
wanted = state.param("policy")
if wanted and wanted not in known:
    st.warning(f"There is no policy {wanted[:80]!r} in this store ({len(known)} policies): pick one below.")
if not shown:
    st.info("No policy matches this search.")
    state.set_params(q=search, payer=chosen_payers, topic=chosen_topics, policy=None, fact=None)
    st.stop()

numbers = [s.number for s in shown]
titles = {s.number: f"{s.number} — {s.title} ({s.payer})" for s in shown}
if wanted in known and wanted not in numbers:
    st.info(f"Policy {wanted} does not match the search, payer or topic filter.")
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
for d in sorted(facts.dates, key=lambda d: list(DATE_KINDS).index(d.kind) if d.kind in DATE_KINDS else 99):
    meta[DATE_KINDS.get(d.kind, d.kind.replace("-", " ").capitalize())] = d.date
if facts.history and not any(d.kind in ("reviewed", "revised") for d in facts.dates):
    last = max(facts.history, key=lambda h: h.date)
    meta["Last history entry"] = f"{last.date}: {plain(last.action)}"
if facts.source_url or facts.retrieved:  # from the SOURCES.json beside the document, if any
    retrieved = facts.retrieved and f"(retrieved {facts.retrieved[:10]})"
    meta["Source"] = " ".join(filter(None, [facts.source_url, retrieved]))
st.markdown("  \n".join(f"**{k}:** {state.md(v)}" for k, v in meta.items() if v))
if facts.evidence:
    def _gist(words: str, limit: int = 140) -> str:
        return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + "…"

    st.markdown("**Evidence conclusion:** " + "; ".join(
        f"**{state.md(e.conclusion)}** ({state.md(_gist(plain(e.text)))})" for e in facts.evidence))
l1, l2 = st.columns(2)
l1.page_link("views/graph.py", label="Evidence graph of this policy", icon=":material/hub:",
             query_params={"policy": facts.number})
l2.page_link("views/exports.py", label="Export this policy", icon=":material/download:",
             query_params={"policy": facts.number})

# Every fact with a source span, so any of them can be highlighted in the document.
spans: dict[str, tuple[str, Span]] = {}
for s in facts.statements:
    spans[f"statement-{s.number}"] = (f"Statement {s.number} ({plain(s.status_label)})", s.span)
for i, p in enumerate(facts.prior_authorization):
    spans[f"pa-{i}"] = (f"Prior authorization: {pa_where(p)}", p.span)
for c in facts.codes:
    spans[f"code-{c.system}-{c.code}"] = (f"Code {c.system} {c.code}", c.span)
for i, h in enumerate(facts.history):
    spans[f"history-{i}"] = (f"History {h.date}", h.span)
for r in facts.references:
    spans[f"reference-{r.number}"] = (f"Reference {r.number}", r.span)

keys = ["none", *spans]
state.init_state("pol_fact", state.param("fact", "none"))
if st.session_state["pol_fact"] not in keys:
    st.session_state["pol_fact"] = "none"


def _select(key: str) -> None:
    st.session_state["pol_fact"] = key


st.subheader("Coverage statements")
st.caption("Click a statement to see it in the source document.")
for s in facts.statements:
    colour = state.status_colour(s.status)
    b1, b2 = st.columns([1, 9], vertical_alignment="center")
    b1.markdown(f":{colour}-badge[{state.md(plain(s.status_label))}]")
    b2.button(f"**Statement {s.number}** — {rich(s.text)}", key=f"pol_stmt_{s.number}", type="tertiary",
              on_click=_select, args=(f"statement-{s.number}",), help="Show this statement in the source document")
    for cond in s.conditions:
        st.caption(f"Condition: {rich(cond.text)}")
    mentioned = sorted({d.disease for d in s.diseases})
    if mentioned:
        st.caption("Diseases: " + ", ".join(state.md(disease_label(d)) for d in mentioned))

st.subheader("Prior authorization")
REQUIRED = {True: "required", False: "not required", None: "see note"}
cells = [p for p in facts.prior_authorization if p.product and p.setting]
if cells:  # a product x setting table
    matrix = pd.DataFrame(
        [{"product": p.product, "setting": p.setting, "required": REQUIRED[p.required]} for p in cells]
    ).pivot_table(index="product", columns="setting", values="required", aggfunc="first").fillna("")
    st.dataframe(matrix, width="stretch")
for p in facts.prior_authorization:
    if p not in cells:  # a sentence's requirement: for products, a line of business or the policy
        reviewer = getattr(p, "reviewer", None)
        st.markdown(f"**{state.md(pa_where(p))}:** {REQUIRED[p.required]}"
                    + (f" (through {state.md(reviewer)})" if reviewer else ""))
    if p.note:
        st.caption(f"{state.md(pa_where(p))}: {rich(p.note)}")
if not facts.prior_authorization:
    st.caption("No prior-authorization information.")

st.subheader("Codes")
st.dataframe(pd.DataFrame([{"system": c.system, "code": c.code, "description": blank(plain(c.description))}
                           for c in facts.codes], columns=["system", "code", "description"]),
             hide_index=True, width="stretch")

st.subheader("History")
if facts.history:
    import altair as alt  # here, not at the top: 0.3 s of a fresh process, after the table is drawn

    history = pd.DataFrame([{"date": pd.to_datetime(h.date + ("-01" if len(h.date) == 7 else "")),
                             "action": plain(h.action)} for h in facts.history])
    chart = alt.Chart(history).mark_circle(size=120).encode(
        x=alt.X("date:T", title="date"), tooltip=["date:T", "action:N"]
    ).properties(height=120)
    st.altair_chart(chart, width="stretch")

st.subheader("References")
st.dataframe(
    pd.DataFrame([{"#": r.number, "title": plain(r.title or r.text), "journal": blank(r.journal),
                   "year": "" if r.year is None else str(r.year), "PMID": blank(r.pmid), "PubMed": state.pubmed(r.pmid)}
                  for r in facts.references], columns=["#", "title", "journal", "year", "PMID", "PubMed"]),
    hide_index=True,
    width="stretch",
    column_config={"PubMed": st.column_config.LinkColumn("PubMed", display_text="open"),
                   "year": st.column_config.TextColumn("year")},
)

version_changes.show(facts)

st.subheader("Source document")
fact = st.selectbox("Highlight the source of", keys, key="pol_fact",
                    format_func=lambda k: "(nothing)" if k == "none" else spans[k][0])
text = facts.text
scroll = ""
if fact != "none":
    span = spans[fact][1]
    body = document_html(text, span.start, span.end)
    st.markdown(f"> {rich(span.quote)}")
    scroll = f"<script>/* fact {keys.index(fact)} */ {SCROLL_JS}</script>"
else:
    body = document_html(text)
st.html(f'<div id="pe-document" style="max-height:480px;overflow:auto;white-space:pre-wrap;font-family:monospace;'
        f'font-size:0.85rem;border:1px solid #ddd;padding:8px">{body}</div>{scroll}',
        unsafe_allow_javascript=bool(scroll))

state.set_params(q=search, payer=chosen_payers, topic=chosen_topics, policy=number,
                 fact=None if fact == "none" else fact)
