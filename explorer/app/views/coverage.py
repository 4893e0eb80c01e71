"""Coverage check: code + diagnosis + product + setting (+ prior-HCT context) -> the determination."""

from __future__ import annotations

import streamlit as st

from explorer.app import state
from explorer.app.coverage_plans import plans_for_code
from explorer.app.text import disease_label
from explorer.determination.model import logic_words
from explorer.diagnoses import search_diagnoses
from explorer.errors import ExplorerError
from explorer.vocab.lexicon import load_lexicon

st.title("Coverage check")
store = state.get_store()
lexicon = load_lexicon()
ANY = "(any)"
settings = [ANY, *(t.slug for t in lexicon.settings)]
lines_of_business = {t.label for t in lexicon.lines_of_business}


@st.cache_data(show_spinner=False, max_entries=256)
def _plans_for_code(code: str, _store_id: int) -> list[str]:
    """The products or lines of business the policies listing ``code`` say they apply to."""
    return plans_for_code(store, code)


PRIOR = ["", "medically-necessary", "investigational"]

state.init_state("cov_code", state.param("code", "38242"))
state.init_state("cov_dx_search", state.param("dx", "C92.10"))
state.init_state("cov_setting", state.param("setting") if state.param("setting") in settings else settings[-1])
state.init_state("cov_prior", state.param("prior_hct") if state.param("prior_hct") in PRIOR else "")

code = st.text_input("CPT/HCPCS code", key="cov_code")
products = [ANY, *_plans_for_code(code.strip().upper(), id(store))]
if st.session_state.get("cov_product") not in products:
    wanted = state.param("product")
    st.session_state["cov_product"] = wanted if wanted in products else products[-1]
dx_search = st.text_input("Diagnosis: search ICD-10-CM by code or name", key="cov_dx_search")
try:
    matches = search_diagnoses(dx_search, limit=30) if dx_search.strip() else []
except ExplorerError as exc:
    st.error(str(exc))
    matches = []
choices = [c for c, _ in matches]
names = dict(matches)
wanted_dx = state.param("dx")
exact = next((c for c in choices if c.upper() == dx_search.strip().upper()), None)
diagnosis: str | None = None
if choices:
    if st.session_state.get("cov_dx") not in choices:
        st.session_state["cov_dx"] = exact or (wanted_dx if wanted_dx in choices else choices[0])
    diagnosis = st.selectbox("Diagnosis", choices, key="cov_dx", format_func=lambda c: f"{c} — {names.get(c, '')}")
elif dx_search.strip():
    st.warning("No ICD-10-CM diagnosis matches this search; without a diagnosis the check lists what the "
               "policy says per indication.")
c1, c2, c3 = st.columns(3)
plan = c1.selectbox("Plan product or line of business", products, key="cov_product",
                    help="The products or lines of business the policies listing this code apply to.")
setting = c2.selectbox("Care setting", settings, key="cov_setting")
line_of_business = plan if plan in lines_of_business else None
product = None if plan == ANY or line_of_business else plan
prior = c3.selectbox("Prior allogeneic HCT was", PRIOR, key="cov_prior",
                     format_func=lambda s: "(not stated)" if not s else s.replace("-", " "))

asked = st.button("Check coverage", type="primary")
from_link = bool(state.param("code")) and "cov_done" not in st.session_state
if not (asked or from_link or st.session_state.get("cov_done")):
    st.stop()
st.session_state["cov_done"] = True
state.set_params(code=code, dx=diagnosis, product=plan, setting=setting, prior_hct=prior or None)

try:
    from explorer.determination import determine

    answer = determine(store, code=code, diagnosis=diagnosis, product=product,
                       setting=None if setting == ANY else setting, prior_hct=prior or None,
                       line_of_business=line_of_business).to_json()
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()

def _criteria_tree(items: list[dict], depth: int = 0) -> str:
    """Markdown: the criteria tree, nested lists with each group's logic."""
    lines = []
    for item in items:
        words = logic_words(item["logic"])
        logic = f" *({words})*" if words else ""
        lines.append(f"{'    ' * depth}- {state.md(item['text'])}{logic}")
        if item["items"]:
            lines.append(_criteria_tree(item["items"], depth + 1))
    return "\n".join(lines)


LOGIC = {"any-of": "any one of these indications", "all-of": "all of these indications"}


def _criteria(conditions: list[str], indications: list[str], logic: str | None) -> str:
    """Markdown: each condition (all required), then the indications with the policy's logic, in its order."""
    lines = [f"- {state.md(c)}" for c in conditions]
    if len(indications) == 1:
        lines.append(f"- {'and ' if conditions else ''}indication: {state.md(indications[0])}")
    elif indications:
        words = LOGIC.get(logic or "", "the indications (the policy does not say whether any or all)")
        lines.append(f"- {'and ' if conditions else ''}**{words}:**")
        lines.extend(f"    - {state.md(i)}" for i in indications)
    return "\n".join(lines)


result = answer["determination"]
colour = state.status_colour(result)
with st.container(border=True):
    st.markdown(f"### :{colour}[{state.md(result.replace('-', ' ').capitalize())}]"
                + (" (conditional)" if answer.get("conditional") else ""))
    policy = answer.get("policy")
    if policy:
        st.markdown(f"**Policy {state.md(policy['number'])}:** {state.md(policy['title'] or '')}")
    dx = answer.get("diagnosis")
    if dx:
        st.markdown(f"**Diagnosis:** {state.md(dx.get('code') or '')} — {state.md(dx.get('description') or '')}"
                    + (f" ({state.md(', '.join(disease_label(d) for d in dx.get('diseases') or []))})"
                       if dx.get("diseases") else ""))
    if answer["conditions"] or answer.get("indications"):
        st.markdown("**Conditions**")
        st.markdown(_criteria(answer["conditions"], answer.get("indications") or [], answer.get("criteria_logic")))
    if answer.get("per_indication"):
        st.markdown("**What the policy says per indication** (a diagnosis decides which applies)")
        for s in answer["per_indication"]:
            badge = state.md(s["status"].replace("-", " "))
            scope = ", ".join(disease_label(d) for d in s["diseases"]) or "any diagnosis"
            st.markdown(f":{state.status_colour(s['status'])}-badge[{badge}] for {state.md(scope)}")
            if s["conditions"] or s["indications"]:
                st.markdown(_criteria(s["conditions"], s["indications"], s["criteria_logic"]))
    if answer.get("criteria") and answer["criteria"]["items"]:
        st.markdown("**Criteria** (" + (logic_words(answer["criteria"]["logic"]) or "as the policy lists them") + ")")
        st.markdown(_criteria_tree(answer["criteria"]["items"]))
    pa = answer["prior_authorization"]
    required = {True: ":red[required]", False: ":green[not required]", None: "not stated"}[pa["required"]]
    st.markdown(f"**Prior authorization ({state.md(plan)}, {setting}):** {required}")
    if pa.get("source"):
        st.caption(f"“{state.md(pa['source'].get('quote', ''))}”")
    if answer["statements"]:
        st.markdown("**The policy says**")
        for s in answer["statements"]:
            quote = (s.get("source") or {}).get("quote") or s["text"]
            badge = state.md(s["status"].replace("-", " "))
            st.markdown(f":{state.status_colour(s['status'])}-badge[{badge}] “{state.md(quote)}”")
    if answer["evidence"]:
        st.markdown("**Supporting evidence**")
        for e in answer["evidence"]:
            url = state.pubmed(e.get("pmid"))
            label = f"PMID {e['pmid']}" if e.get("pmid") else "no PMID"
            link = f"[{label}]({url})" if url else label
            st.markdown(f"- {link}: {state.md(e.get('title') or '')} ({e.get('year') or 'n.d.'})")
    for note in answer.get("notes", []) or []:
        st.caption(state.md(note))
    if policy:
        links: dict[str, str | list[str]] = {"policy": policy["number"]}
        diseases = [d for d in ((dx or {}).get("diseases") or []) if d]
        if diseases:
            links["disease"] = diseases
        st.page_link("views/graph.py", label="See these statements and their evidence in the graph",
                     icon=":material/hub:", query_params=links)
    crd = answer.get("crd")
    if crd:
        st.caption(f"CRD: covered = {crd.get('covered')}, pa-needed = {crd.get('pa-needed')}")
