"""SHACL validation of policy graphs against ``ontology/shapes.ttl`` (pySHACL)."""

from explorer.validate.report import ValidationResult, Violation
from explorer.validate.shapes import load_shapes, shape_target_classes
from explorer.validate.validator import validate_graph

__all__ = ["ValidationResult", "Violation", "load_shapes", "shape_target_classes", "validate_graph"]
