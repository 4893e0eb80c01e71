"""The Policies page as an analyst reads it (issue 14 items 12, 13, 15 and the payer filter):
document markup rendered, labels instead of ids, no "None" cells, clickable statements, search by
code/disease/synonym, dates and the evidence conclusion in the header, an unknown policy said so."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from explorer.app.text import document_html, plain, rich
from tests.app.conftest import assert_clean, open_app


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                     + [b.label for b in at.button] + [w.value for w in at.warning] + [i.value for i in at.info])


def test_quotes_render_bold_and_lose_list_marks_and_stray_spaces() -> None:
    at = open_app("policies", {"policy": "338", "fact": "pa-0"})
    assert_clean(at)
    quote = next(m.value for m in at.markdown if m.value.startswith(">"))
    assert "**IS REQUIRED**" in quote and "\\*\\*" not in quote
    assert not quote[1:].lstrip().startswith(("-", "\\-"))
    at = open_app("policies", {"policy": "338", "fact": "pa-4"})
    quote = next(m.value for m in at.markdown if m.value.startswith(">"))
    assert "not required\\." in quote and "required \\." not in quote
    # the statements keep the document's bold; no raw markup anywhere on the page
    assert "**MEDICALLY NECESSARY**" not in _texts(at).replace("**Statement", "")  # shown bold, not doubled
    assert "\\*\\*" not in _texts(at)


def test_diseases_are_labels_and_tables_have_no_none() -> None:
    at = open_app("policies", {"policy": "338"})
    assert_clean(at)
    captions = [c.value for c in at.caption]
    assert "Diseases: hematologic malignancy" in captions
    assert not any("hematologic-malignancy" in c for c in captions)
    for frame in at.dataframe:
        cells = frame.value.astype(str).to_numpy().ravel().tolist()
        assert "None" not in cells and "nan" not in cells


def test_statement_click_highlights_its_sentence() -> None:
    at = open_app("policies", {"policy": "338"})
    at.button(key="pol_stmt_3").click().run()
    assert_clean(at)
    assert at.selectbox(key="pol_fact").value == "statement-3"
    assert at.query_params["fact"] == "statement-3"
    document = at.get("html")[-1].proto.body
    assert '<mark id="pe-highlight">' in document and "scrollIntoView" in document
    assert "nonhematologic malignancies" in document.split('<mark id="pe-highlight">', 1)[1].split("</div>")[0]


@pytest.mark.parametrize("query", ["38242", "CPT 38242", "CML", "chronic myelogenous", "hematologic malignancy"])
def test_search_matches_codes_diseases_and_synonyms(query: str) -> None:
    at = open_app("policies", {"q": query})
    assert_clean(at)
    assert at.dataframe[0].value["number"].tolist() == ["338"]


def test_search_without_a_match_says_so() -> None:
    at = open_app("policies", {"q": "no such words anywhere"})
    assert [i.value for i in at.info] == ["No policy matches this search."]


def test_unknown_policy_in_the_link_is_named() -> None:
    at = open_app("policies", {"policy": "99999"})
    assert [w.value for w in at.warning] and "99999" in at.warning[0].value


def test_header_shows_history_date_and_evidence_conclusion() -> None:
    at = open_app("policies", {"policy": "338"})
    header = "\n".join(m.value for m in at.markdown)
    assert "**Evidence conclusion:** **sufficient**" in header and "**insufficient**" in header
    assert "**Last history entry:** 2" in header


def test_text_helpers() -> None:
    assert plain("- For services **IS REQUIRED** for all .") == "For services IS REQUIRED for all."
    assert plain("Commercial\tPrior authorization is not required .") == \
        "Commercial — Prior authorization is not required."
    assert rich("a **<b>x</b>** [y](#)") == "a **&lt;b&gt;x&lt;/b&gt;** y"
    assert document_html("a **b** <c>", 2, 7) == 'a <mark id="pe-highlight"><strong>b</strong></mark> &lt;c&gt;'


# -- the bundled corpus: many payers ---------------------------------------------------------------


def test_payer_filter_and_dates_of_a_real_policy(bundled_app) -> None:
    at = bundled_app("policies", {"payer": "Anthem"})
    assert_clean(at)
    assert at.multiselect(key="pol_payers").value == ["Anthem"]
    assert set(at.dataframe[0].value["payer"]) == {"Anthem"}
    at = bundled_app("policies", {"payer": "Anthem", "policy": "LAB.00015"})
    header = "\n".join(m.value for m in at.markdown)
    assert "**Last reviewed:** 2025\\-02\\-20" in header and "**Published:** 2025\\-04\\-16" in header
    at.multiselect(key="pol_payers").set_value(["Highmark", "Molina Healthcare"]).run()
    assert set(at.dataframe[0].value["payer"]) == {"Highmark", "Molina Healthcare"}
    assert at.query_params["payer"] == ["Highmark", "Molina Healthcare"]
    at = bundled_app("policies", {"policy": "051"})
    header = "\n".join(m.value for m in at.markdown)
    assert "**Next review:** 2027\\-02" in header
