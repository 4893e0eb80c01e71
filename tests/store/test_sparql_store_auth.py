"""sparql: store credentials come from the environment and work with Virtuoso's Digest-protected
``/sparql-auth``; refused credentials are a StoreError that names the user, never the password."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.compare import isomorphic

from explorer.errors import StoreError
from explorer.ingest import load_lexicon, parse_policy_file
from explorer.model import facts_to_graph
from explorer.store import open_store
from explorer.store.sparql_http import PASSWORD_ENV, USER_ENV
from tests.store.virtuoso import VirtuosoServer

pytestmark = pytest.mark.virtuoso

SEED = Path(__file__).resolve().parents[2] / "data" / "policies" / "bcbsma-338-donor-lymphocyte-infusion.txt"
EX = Namespace("http://example.org/")
G = "https://w3id.org/policy-explorer/test/graph/auth"


def small() -> Graph:
    graph = Graph()
    graph.add((EX.a, EX.n, Literal(1)))
    return graph


def test_digest_credentials_from_environment(virtuoso: VirtuosoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, virtuoso.user)
    monkeypatch.setenv(PASSWORD_ENV, virtuoso.password)
    seed = facts_to_graph(parse_policy_file(SEED, load_lexicon()))
    with open_store("sparql:" + virtuoso.auth_url) as store:
        assert virtuoso.password not in store.url
        store.replace_graph(G, seed)
        assert isomorphic(store.get_graph(G), seed)
        assert G in store.graph_iris()
        store.remove_graph(G)
        assert G not in store.graph_iris()


def test_missing_credentials_are_refused_and_change_nothing(
    virtuoso: VirtuosoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with open_store("sparql:" + virtuoso.sparql_url) as anonymous:
        anonymous.replace_graph(G, small())
    with open_store("sparql:" + virtuoso.auth_url) as store, pytest.raises(StoreError) as caught:
        store.replace_graph(G, Graph())
    assert "401" in str(caught.value) and virtuoso.auth_url in str(caught.value) and USER_ENV in str(caught.value)
    with open_store("sparql:" + virtuoso.sparql_url) as anonymous:
        assert isomorphic(anonymous.get_graph(G), small())
        anonymous.remove_graph(G)


def test_wrong_password_names_user_not_password(virtuoso: VirtuosoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, virtuoso.user)
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password-4711")
    with open_store("sparql:" + virtuoso.auth_url) as store, pytest.raises(StoreError) as caught:
        store.graph_iris()
    message = str(caught.value)
    assert "401" in message and repr(virtuoso.user) in message
    assert "not-the-password-4711" not in message


def test_user_without_password_is_an_error(virtuoso: VirtuosoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, virtuoso.user)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(StoreError, match=PASSWORD_ENV):
        open_store("sparql:" + virtuoso.auth_url)
