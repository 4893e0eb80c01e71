"""Text -> facts: parse a policy document into :class:`~explorer.ingest.facts.PolicyFacts`.

Names are imported on first use: ``explorer.ingest.code_ranges`` (the coverage check) does not
load the parser.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.ingest.facts import PolicyFacts
    from explorer.ingest.parser import parse_policy, parse_policy_bytes, parse_policy_file
    from explorer.vocab.lexicon import Lexicon, load_lexicon

_WHERE = {
    "PolicyFacts": "explorer.ingest.facts",
    "parse_policy": "explorer.ingest.parser",
    "parse_policy_bytes": "explorer.ingest.parser",
    "parse_policy_file": "explorer.ingest.parser",
    "Lexicon": "explorer.vocab.lexicon",
    "load_lexicon": "explorer.vocab.lexicon",
}


def __getattr__(name: str) -> Any:
    """Import the module exporting ``name`` on first use (or the submodule ``name``)."""
    where = _WHERE.get(name)
    if where is None:
        try:
            return import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(where), name)
    globals()[name] = value
    return value


__all__ = ["Lexicon", "PolicyFacts", "load_lexicon", "parse_policy", "parse_policy_bytes", "parse_policy_file"]
