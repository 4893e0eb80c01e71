"""The "What changed" section of the Policies page: the changes of a policy since an earlier
version the store keeps (``explorer.versions``), one table per fact type. Shown only when the
store keeps an earlier version of the policy."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.app import state
from explorer.app.text import plain
from explorer.ingest.facts import PolicyFacts
from explorer.model import policy_iri_of
from explorer.versions.changes import stored_changes, version_name
from explorer.versions.diff import Change, VersionChanges
from explorer.versions.store import StoredVersion, stored_versions

KINDS = {"added": "added", "removed": "removed", "reworded": "reworded", "changed": "changed",
         "status-changed": "status changed", "criterion-added": "criterion added",
         "criterion-removed": "criterion removed", "criterion-reworded": "criterion reworded"}
"""How each kind of change reads in the tables."""


@st.cache_data(show_spinner=False)
def versions(url: str, policy: str) -> list[StoredVersion]:
    """The stored versions of ``policy``, oldest first (cached per store and policy)."""
    return stored_versions(state.cached_store(url), policy)


@st.cache_data(show_spinner="Comparing the versions…", max_entries=32)
def changes(url: str, policy: str, old: str, new: str) -> VersionChanges:
    """The changes from stored version ``old`` to ``new`` (version IRIs), cached."""
    return stored_changes(state.cached_store(url), policy, old, new)


def _table(rows: tuple[Change, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"change": KINDS.get(c.kind, c.kind), "fact": c.key, "before": plain(c.old), "after": plain(c.new),
          "note": c.detail} for c in rows],
        columns=["change", "fact", "before", "after", "note"])


def show(facts: PolicyFacts) -> None:
    """Render the section for the policy of ``facts``; nothing when the store keeps one version of it."""
    url, policy = state.store_url(), str(policy_iri_of(facts))
    stored = versions(url, policy)
    if len(stored) < 2 or not stored[-1].current:
        return
    current, earlier = stored[-1], stored[:-1]
    st.subheader("What changed")
    old = earlier[-1]
    if len(earlier) > 1:
        names = [v.iri for v in reversed(earlier)]
        old_iri = st.selectbox("Compared with the version of", names, key="pol_changes_from",
                               format_func=version_name)
        old = next(v for v in earlier if v.iri == old_iri)
    result = changes(url, policy, old.iri, current.iri)
    st.caption(f"From version {version_name(old)} to version {version_name(current)} (the current one). "
               "A statement, criterion or reference found in one version only is shown as reworded when "
               "its text is at least 80% like one found only in the other, or is that one with a lead-in "
               "or a tail added; spans and reference numbers are not changes.")
    if result.is_empty:
        st.info("The two versions state the same facts.")
        return
    shown = [(heading, rows) for _, heading, rows in result.by_category() if rows]
    for tab, (_, rows) in zip(st.tabs([f"{heading} ({len(rows)})" for heading, rows in shown]), shown, strict=True):
        tab.dataframe(_table(rows), hide_index=True, width="stretch")
