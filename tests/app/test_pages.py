"""Every page renders on the bundled policies without an exception or an error box."""

from __future__ import annotations

import pytest

from tests.app.conftest import PAGES, assert_clean, open_app, url_params

TITLES = {
    "policies": "Policies",
    "coverage": "Coverage check",
    "graph": "Evidence graph",
    "workbench": "SPARQL workbench",
    "ontology": "Ontology",
    "exports": "Exports",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders(page: str) -> None:
    at = open_app(page)
    assert_clean(at)
    assert at.title[0].value == TITLES[page]


def test_policies_page_shows_the_seed_policy() -> None:
    at = open_app("policies")
    assert_clean(at)
    assert at.selectbox(key="pol_number").value == "338"
    table = at.dataframe[0].value
    assert list(table["number"]) == ["338"]
    assert any("Donor Lymphocyte Infusion" in h.value for h in at.header)
    # statements coloured by status: one medically necessary, three investigational
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert sum(":green-badge[" in b for b in badges) == 1
    assert sum(":orange-badge[" in b for b in badges) == 3


def test_policies_search_that_matches_nothing_says_so() -> None:
    at = open_app("policies", {"q": "no such policy zzz"})
    assert_clean(at)
    assert any("No policy matches" in i.value for i in at.info)


def test_policy_permalink_highlights_the_selected_fact() -> None:
    at = open_app("policies", {"policy": "338", "fact": "statement-1"})
    assert_clean(at)
    body = at.get("html")[0].proto.body
    start = body.index('<mark id="pe-highlight">') + len('<mark id="pe-highlight">')
    # the document's bold is shown bold inside the highlight, not as raw asterisks (issue 14 item 12)
    assert body[start:].startswith("Donor lymphocyte infusion may be </mark><mark><strong>MEDICALLY NECESSARY</strong>")
    assert url_params(at)["fact"] == ["statement-1"]


def test_choosing_a_fact_writes_it_into_the_url() -> None:
    at = open_app("policies")
    at.selectbox(key="pol_fact").select("reference-1").run()
    assert_clean(at)
    assert url_params(at)["fact"] == ["reference-1"]
    assert url_params(at)["policy"] == ["338"]
    again = open_app("policies", url_params(at))
    assert again.selectbox(key="pol_fact").value == "reference-1"


def test_document_text_is_escaped() -> None:
    from explorer.app.state import md

    assert md("<script>alert(1)</script> **bold** :red[x]") == (
        "&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*\\*bold\\*\\* \\:red\\[x\\]"
    )
