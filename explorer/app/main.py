"""Entry point of the Streamlit explorer (``policy-explorer serve`` runs ``streamlit run`` on it)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
TOOLBAR_MODE = "viewer"

st.set_page_config(page_title="Policy Explorer", layout="wide")

PAGES = [
    st.Page(HERE / "views" / "policies.py", title="Policies", url_path="policies", default=True),
    st.Page(HERE / "views" / "coverage.py", title="Coverage check", url_path="coverage"),
    st.Page(HERE / "views" / "graph.py", title="Evidence graph", url_path="graph"),
    st.Page(HERE / "views" / "sparql.py", title="SPARQL workbench", url_path="sparql"),
    st.Page(HERE / "views" / "ontology.py", title="Ontology", url_path="ontology"),
    st.Page(HERE / "views" / "exports.py", title="Exports", url_path="exports"),
]

# Each url_path equals its file's stem: AppTest.switch_page finds a page by that.
page = st.navigation(PAGES)

# Analysts get the viewer's menu: no "Deploy", no developer options. The option reaches the browser
# with the next script run, so the first run in a process that still has another mode runs again
# (after st.navigation has chosen the page, so the rerun stays on the page the link asked for).
if st.get_option("client.toolbarMode") != TOOLBAR_MODE:
    st.set_option("client.toolbarMode", TOOLBAR_MODE)
    st.rerun()
page.run()
