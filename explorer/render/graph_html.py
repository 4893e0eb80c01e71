"""The evidence graph as one self-contained HTML page (pyvis / vis-network, everything inlined).

The page makes no network request: vis-network's JavaScript and CSS are inlined
(``cdn_resources="in_line"``) and the remote Bootstrap links that pyvis 0.3.2's template adds
anyway (pyvis issues 228/229) are stripped; a Content-Security-Policy forbids any fetch that could
remain. It works from a ``file://`` URL and inside an ``<iframe>`` (``srcdoc`` too).

Document text is inert wherever it lands: labels are drawn on a canvas, tooltips and the details
panel are filled through ``textContent`` (never ``innerHTML``), node data is embedded as JSON with
``<``, ``>``, ``&`` and ``'`` escaped, and the page's own text (title, legend) is HTML-escaped. Only
``https://pubmed.ncbi.nlm.nih.gov/<pmid>/`` links are ever made clickable.

With physics on, the layout stabilises for a bounded number of iterations and physics is then
switched off (a large graph would otherwise keep moving for minutes, pyvis issue 204). The vis
``network`` object is ``window.network``; ``window.graphReady`` turns true once the layout is done.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from pyvis.network import Network

from explorer.errors import ExplorerError
from explorer.render.evidence import EvidenceGraph, GraphNode
from explorer.render.palette import KIND_STYLES, kind_style, node_colour, status_style

PUBMED_URL = re.compile(r"https://pubmed\.ncbi\.nlm\.nih\.gov/[0-9]{1,9}/?")
_PMID = re.compile(r"[0-9]{1,9}")
_CSS_LENGTH = re.compile(r"[0-9]{1,5}(\.[0-9]{1,3})?(px|%|vh|em|rem)")
_LABEL_MAX = 40

#: Columns of the layout used when physics is off (left to right).
_LEVELS = {"disease": 0, "indication": 1, "statement": 2, "reference": 3, "code": 4, "policy": 4, "topic": 4}

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'"
)

# Tags outside <script>/<style> that point at another host.
_REMOTE_TAG = re.compile(
    r"<(?:link|script)\b[^>]*?\b(?:href|src)\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>(?:\s*</script\s*>)?",
    re.IGNORECASE | re.DOTALL,
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
_REMOTE_REF = re.compile(
    r"(?:\b(?:src|href|action|poster|data)\s*=\s*[\"']?\s*|url\(\s*[\"']?\s*|@import\s+[\"']?\s*)"
    r"((?:https?:)?//[^\s\"'<>)]*)",
    re.IGNORECASE,
)


def pubmed_url(node: GraphNode) -> str | None:
    """The node's PubMed link: its ``url`` if that is a PubMed article URL, else one made from a
    numeric ``pmid``, else None. Any other URL (``javascript:``, other hosts) is never linked."""
    if node.url and PUBMED_URL.fullmatch(node.url):
        return node.url
    if node.pmid and _PMID.fullmatch(node.pmid):
        return f"https://pubmed.ncbi.nlm.nih.gov/{node.pmid}/"
    return None


def evidence_graph_html(
    graph: EvidenceGraph,
    *,
    height: str = "700px",
    title: str = "Evidence graph",
    physics: bool = True,
) -> str:
    """A self-contained HTML page drawing ``graph`` (filter it first: every node is drawn).

    ``height`` is a CSS length (``700px``, ``80vh``...). With ``physics`` off, nodes are laid out
    in columns by kind (diseases, indications, statements, references, policy and codes), which is
    instant at any size.

    :raises ValueError: if ``height`` is not a plain CSS length.
    """
    if not _CSS_LENGTH.fullmatch(height):
        raise ValueError(f"height must be a CSS length such as '700px', got {height!r}")
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading="")
    for node in graph.nodes:
        net.add_node(node.id, **_vis_node(node))
    for edge in graph.edges:
        net.add_edge(edge.source, edge.target, title=edge.relation, relation=edge.relation)
    net.options = _vis_options(len(graph.nodes), physics)
    page = _offline(net.generate_html())
    page = _decorate(page, graph, title=title, physics=physics)
    _check_offline(page)
    return page


def _vis_node(node: GraphNode) -> dict[str, Any]:
    style = kind_style(node.kind)
    label = node.label if len(node.label) <= _LABEL_MAX else node.label[: _LABEL_MAX - 1] + "\u2026"
    boxed = style.shape == "box"
    return {
        "label": label or node.id,
        "shape": style.shape,
        "color": node_colour(node),
        "font": {"color": "#ffffff" if boxed else "#222222", "size": 14},
        "size": 14 if node.kind == "reference" else 20,
        "level": _LEVELS.get(node.kind, 5),
        # Custom fields read by the page's script; never interpreted as HTML.
        "fullLabel": node.label,
        "tooltip": node.tooltip or node.label,
        "kind": node.kind,
        "kindLabel": style.label,
        "status": node.status or "",
        "statusLabel": status_style(node.status).label if node.status else "",
        "pmid": node.pmid or "",
        "url": pubmed_url(node) or "",
    }


def _vis_options(node_count: int, physics: bool) -> dict[str, Any]:
    iterations = 1000 if node_count <= 200 else 400 if node_count <= 1000 else 200
    options: dict[str, Any] = {
        "nodes": {"borderWidth": 1},
        "edges": {
            "color": {"color": "#a8a8a8", "highlight": "#333333"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
        },
        "interaction": {"hover": True, "tooltipDelay": 120},
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= 100},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
        options["layout"]["hierarchical"] = {
            "enabled": True,
            "direction": "LR",
            "levelSeparation": 260,
            "nodeSpacing": 46,
            "sortMethod": "directed",
        }
    return options


_NEXT_TOKEN = re.compile(r"<!--|<(script|style)\b", re.IGNORECASE)


def _strip_comments(page: str) -> str:
    """Remove HTML comments from the markup, never from inside <script> or <style> elements."""
    out = []
    pos = 0
    while (m := _NEXT_TOKEN.search(page, pos)) is not None:
        out.append(page[pos : m.start()])
        if m.group(1):  # a script or style element: copy it whole
            close = re.compile(rf"</{m.group(1)}\s*>", re.IGNORECASE).search(page, m.end())
            end = close.end() if close else len(page)
            out.append(page[m.start() : end])
        else:  # a comment: drop it
            close_at = page.find("-->", m.end())
            end = close_at + 3 if close_at >= 0 else len(page)
        pos = end
    out.append(page[pos:])
    return "".join(out)


def _offline(page: str) -> str:
    """Remove pyvis's remote Bootstrap links, its HTML comments and its empty headings."""
    page = _strip_comments(page)
    page = _REMOTE_TAG.sub("", page)
    return _EMPTY_HEADING.sub("", page)


def _check_offline(page: str) -> None:
    """Refuse to return a page that still references another host (a pyvis template change)."""
    for match in _REMOTE_REF.finditer(page):
        url = match.group(1)
        if not PUBMED_URL.fullmatch(url):
            raise ExplorerError(f"the graph page would load {url!r}; refusing to produce it")


def _script_json(value: Any) -> str:
    """JSON safe to embed in a <script> element."""
    text = json.dumps(value)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(raw, escaped)
    return text


def _decorate(page: str, graph: EvidenceGraph, *, title: str, physics: bool) -> str:
    """Add the doctype, CSP, page styles, header, legend, details panel and the page's script."""
    head_extra = (
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_PAGE_CSS}</style>\n"
    )
    page = _replace_once(page, "<head>", "<head>\n" + head_extra)
    page = "<!DOCTYPE html>\n" + _replace_once(page, "<html>", '<html lang="en">')
    page = _replace_once(page, "<body>", "<body>\n" + _header(graph, title) + _legend(graph))
    details = '<section id="pe-details" class="pe-details" aria-live="polite"></section>\n'
    page = _replace_last(page, "</body>", details + "</body>")
    script = _PAGE_JS.replace("__CONFIG__", _script_json({"physics": physics}))
    # Run in the same <script> as pyvis's drawGraph(), before the first frame is drawn.
    return _replace_last(page, "drawGraph();", "drawGraph();\n" + script)


def _header(graph: EvidenceGraph, title: str) -> str:
    counts = f"{len(graph.nodes):,} nodes, {len(graph.edges):,} edges"
    if graph.dropped:
        counts += (
            f"; {graph.dropped:,} more nodes left out by the size limit (narrow the filters to see them)"
        )
    if not graph.nodes:
        counts = "No nodes match these filters."
    return (
        f'<header class="pe-header"><h1>{html.escape(title)}</h1>'
        f'<p id="pe-counts" class="pe-counts">{html.escape(counts)}</p></header>\n'
    )


def _legend(graph: EvidenceGraph) -> str:
    kinds = {n.kind for n in graph.nodes}
    statuses = sorted({n.status for n in graph.nodes if n.status})
    kind_swatches = [KIND_STYLES[k] for k in KIND_STYLES if k in kinds]
    kind_swatches += [kind_style(k) for k in sorted(kinds - set(KIND_STYLES))][:1]
    items = ['<span class="pe-group">Nodes:</span>']
    for sw in kind_swatches:
        items.append(_swatch(sw.colour, sw.shape, sw.label))
    if statuses:
        items.append('<span class="pe-group">Statement status:</span>')
        for slug in statuses:
            sw = status_style(slug)
            items.append(_swatch(sw.colour, "box", sw.label))
    items.append('<span class="pe-hint">Hover for text; click for details; double-click a reference '
                 "to open PubMed.</span>")
    return '<div id="pe-legend" class="pe-legend" aria-label="Legend">' + "".join(items) + "</div>\n"


def _swatch(colour: str, shape: str, label: str) -> str:
    return (
        f'<span class="pe-item"><span class="pe-swatch pe-shape-{html.escape(shape)}" '
        f'style="background:{html.escape(colour)}"></span>{html.escape(label)}</span>'
    )


def _replace_once(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ExplorerError(f"unexpected pyvis template: {old!r} not found")
    return text.replace(old, new, 1)


def _replace_last(text: str, old: str, new: str) -> str:
    head, sep, tail = text.rpartition(old)
    if not sep:
        raise ExplorerError(f"unexpected pyvis template: {old!r} not found")
    return head + new + tail


_PAGE_CSS = """
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #222; background: #fff; }
.pe-header { padding: 8px 12px 0; }
.pe-header h1 { font-size: 1.2rem; margin: 0 0 2px; }
.pe-counts { margin: 0; font-size: 0.85rem; color: #555; }
.pe-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px; padding: 6px 12px 8px;
             font-size: 0.85rem; }
.pe-group { font-weight: 600; }
.pe-hint { color: #666; font-style: italic; }
.pe-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; }
.pe-shape-dot { border-radius: 50%; }
.pe-shape-box { border-radius: 2px; }
.pe-shape-diamond { transform: rotate(45deg) scale(0.85); }
.pe-shape-triangle { clip-path: polygon(50% 0, 100% 100%, 0 100%); }
.pe-shape-hexagon { clip-path: polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%); }
.pe-shape-star { clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%,
                 2% 35%, 39% 35%); }
#mynetwork { float: none !important; box-sizing: border-box; }
.pe-details { clear: both; padding: 6px 12px 12px; font-size: 0.9rem; }
.pe-details h2 { font-size: 1rem; margin: 4px 0; }
.pe-details p { margin: 2px 0; white-space: pre-wrap; }
.pe-tip { white-space: pre-wrap; max-width: 28em; font-family: inherit; font-size: 13px; }
"""

_PAGE_JS = """
(function () {
  "use strict";
  var CONFIG = __CONFIG__;
  var PUBMED = /^https:\\/\\/pubmed\\.ncbi\\.nlm\\.nih\\.gov\\/[0-9]{1,9}\\/?$/;
  window.network = network;
  window.graphReady = false;
  function safeUrl(u) { return (typeof u === "string" && PUBMED.test(u)) ? u : null; }
  function textBlock(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    el.textContent = text;
    return el;
  }
  // Tooltips as elements filled with textContent: vis shows an element as is, and text stays text.
  var tips = [];
  nodes.forEach(function (n) {
    if (n.tooltip) { tips.push({id: n.id, title: textBlock("div", "pe-tip", n.tooltip)}); }
  });
  if (tips.length) { nodes.update(tips); }
  function showDetails(n) {
    var panel = document.getElementById("pe-details");
    panel.replaceChildren();
    panel.appendChild(textBlock("h2", "", n.fullLabel || n.label || n.id));
    var facts = n.kindLabel + (n.statusLabel ? " \\u2014 " + n.statusLabel : "")
      + (n.pmid ? " \\u2014 PMID " + n.pmid : "");
    panel.appendChild(textBlock("p", "pe-kind", facts));
    if (n.tooltip && n.tooltip !== n.fullLabel) { panel.appendChild(textBlock("p", "pe-text", n.tooltip)); }
    var url = safeUrl(n.url);
    if (url) {
      var a = textBlock("a", "pe-pubmed", "Open in PubMed" + (n.pmid ? " (PMID " + n.pmid + ")" : ""));
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      panel.appendChild(a);
    }
  }
  network.on("click", function (p) { if (p.nodes.length === 1) { showDetails(nodes.get(p.nodes[0])); } });
  network.on("doubleClick", function (p) {
    if (p.nodes.length !== 1) { return; }
    var url = safeUrl(nodes.get(p.nodes[0]).url);
    if (url) { window.open(url, "_blank", "noopener,noreferrer"); }
  });
  function ready() {
    if (window.graphReady) { return; }
    window.graphReady = true;
    document.body.setAttribute("data-graph-ready", "true");
  }
  if (CONFIG.physics && nodes.length > 0) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }
})();
"""
