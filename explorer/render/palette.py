"""Colours and shapes of the evidence graph, shared by the HTML graph, its legend and the app."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.render.evidence import GraphNode


@dataclass(frozen=True)
class Swatch:
    """A legend entry: what it names and how it is drawn."""

    key: str
    label: str
    colour: str
    shape: str


#: Node kinds: colour and vis-network shape.
KIND_STYLES: dict[str, Swatch] = {
    "disease": Swatch("disease", "Disease", "#7b4fbf", "diamond"),
    "indication": Swatch("indication", "Indication", "#1b9aaa", "triangle"),
    "statement": Swatch("statement", "Coverage statement", "#8c8c8c", "box"),
    "reference": Swatch("reference", "Reference (PubMed)", "#4e79a7", "dot"),
    "policy": Swatch("policy", "Policy", "#2f3b4c", "star"),
    "topic": Swatch("topic", "Topic", "#b0a18f", "hexagon"),
    "code": Swatch("code", "Code", "#9c6b4e", "square"),
}
OTHER_KIND = Swatch("other", "Other", "#b8b8b8", "dot")

#: Statement statuses: colour of the statement box.
STATUS_STYLES: dict[str, Swatch] = {
    "medically-necessary": Swatch("medically-necessary", "Medically necessary", "#2e9e44", "box"),
    "investigational": Swatch("investigational", "Investigational", "#f08c00", "box"),
    "not-medically-necessary": Swatch("not-medically-necessary", "Not medically necessary", "#d6322c", "box"),
}
OTHER_STATUS_COLOUR = "#8c8c8c"


def kind_style(kind: str) -> Swatch:
    """The swatch of a node kind (a neutral one for kinds not in :data:`KIND_STYLES`)."""
    return KIND_STYLES.get(kind, OTHER_KIND)


def status_style(status: str) -> Swatch:
    """The swatch of a status slug; unknown statuses get grey and a label made from the slug."""
    known = STATUS_STYLES.get(status)
    if known:
        return known
    return Swatch(status, status.replace("-", " ").capitalize(), OTHER_STATUS_COLOUR, "box")


def node_colour(node: GraphNode) -> str:
    """Statements (and any node with a status) by status, everything else by kind."""
    if node.status:
        return status_style(node.status).colour
    return kind_style(node.kind).colour
