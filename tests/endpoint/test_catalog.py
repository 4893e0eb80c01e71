"""The query catalog over HTTP: /queries, /queries/NAME?param=..., /queries/NAME.rq."""

from __future__ import annotations

import csv
import io
import json

from explorer.query.catalog import load_catalog
from tests.endpoint.http import request


def test_catalog_lists_every_query_with_its_parameters(endpoint):
    reply = request(endpoint.base + "/queries")
    assert reply.status == 200 and reply.content_type == "application/json"
    listed = {q["name"]: q for q in json.loads(reply.body)["queries"]}
    assert set(listed) == set(load_catalog())
    prior = listed["prior-authorization"]
    assert [p["name"] for p in prior["parameters"]] == ["product", "setting"]
    assert prior["columns"][:3] == ["policy", "planProduct", "careSetting"]


def test_catalog_query_runs_with_parameters(endpoint):
    reply = request(endpoint.base + "/queries/prior-authorization",
                    params={"product": "Medicare PPO Blue", "setting": "outpatient"},
                    headers={"Accept": "text/csv"})
    assert reply.status == 200, reply.text
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert rows, "expected at least one prior-authorization row"
    assert {r["careSetting"].lower() for r in rows} == {"outpatient"}
    assert {r["policy"] for r in rows} == {"338"}


def test_catalog_query_without_parameters(endpoint):
    reply = request(endpoint.base + "/queries/policies")
    rows = json.loads(reply.body)["results"]["bindings"]
    assert [r["policy"]["value"] for r in rows] == ["338"]


def test_catalog_query_text(endpoint):
    reply = request(endpoint.base + "/queries/policies.rq")
    assert reply.status == 200 and reply.content_type == "application/sparql-query"
    assert reply.text == load_catalog()["policies"].text


def test_unknown_query_is_404_listing_the_known(endpoint):
    reply = request(endpoint.base + "/queries/no-such-query")
    assert reply.status == 404 and "policies" in reply.text


def test_unknown_or_bad_parameter_is_400(endpoint):
    unknown = request(endpoint.base + "/queries/policies", params={"colour": "blue"})
    assert unknown.status == 400 and "colour" in unknown.text
    injected = request(endpoint.base + "/queries/prior-authorization",
                       params={"product": '" } ; DROP ALL #'})
    assert injected.status == 200   # a value is a literal, never query text
    assert json.loads(injected.body)["results"]["bindings"] == []
