"""RDF input: the CLI offers no import of user RDF (ingest reads policy text only), so what is
parsed is our own JSON-LD export and, with a ``sparql:`` store, a SPARQL server's answers. Neither
may fetch anything or read local files."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from rdflib import Dataset, Graph

import explorer
from explorer.store import open_store


def test_own_jsonld_export_parses_without_fetching(seed_store, recorder, monkeypatch):
    """The context is inline (not a URL), so parsing the export needs no network at all."""
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access while parsing: {args!r}")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    with open_store(f"oxigraph:{seed_store}") as store:
        text = explorer.export(store, "jsonld", "338")
    document = json.loads(text)
    assert isinstance(document["@context"], dict)
    graph = Graph().parse(data=text, format="json-ld")
    assert len(graph) > 100


def test_rdf_xml_external_entity_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>"""
    graph = Graph().parse(data=xml, format="xml")
    assert "TOP-SECRET-VALUE" not in graph.serialize(format="nt")


def _fake_sparql_server(answer: bytes, content_type: str, hits: list[str]) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits.append(f"GET {self.path}")
            self.send_response(404)
            self.end_headers()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def test_sparql_store_answer_with_external_entity_reads_no_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
           '<rdf:Description rdf:about="http://example.org/s"><ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>')
    hits: list[str] = []
    server = _fake_sparql_server(xml.encode(), "application/rdf+xml", hits)
    try:
        store = open_store(f"sparql:http://127.0.0.1:{server.server_port}/sparql")
        try:
            result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=["urn:x:g"])
            text = result.graph.serialize(format="nt")
        except explorer.errors.ExplorerError:
            text = ""
    finally:
        server.shutdown()
        server.server_close()
    assert "TOP-SECRET-VALUE" not in text


def test_sparql_store_answer_with_remote_jsonld_context_fetches_nothing():
    hits: list[str] = []
    probe = _fake_sparql_server(b"{}", "application/ld+json", hits)
    answer = json.dumps({"@context": f"http://127.0.0.1:{probe.server_port}/context.jsonld",
                         "@id": "http://example.org/s", "x": "v"}).encode()
    server = _fake_sparql_server(answer, "application/ld+json", hits)
    try:
        store = open_store(f"sparql:http://127.0.0.1:{server.server_port}/sparql")
        with pytest.raises(explorer.errors.StoreError, match="expected Turtle or N-Triples"):
            store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graphs=["urn:x:g"])
    finally:
        for srv in (server, probe):
            srv.shutdown()
            srv.server_close()
    assert hits == []


def test_dataset_parse_of_export_round_trips(seed_store):
    with open_store(f"oxigraph:{seed_store}") as store:
        text = explorer.export(store, "nq")
    assert len(Dataset().parse(data=text, format="nquads")) > 0
