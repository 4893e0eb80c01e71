"""Text -> facts: parse a policy document into :class:`~explorer.ingest.facts.PolicyFacts`.

Names are imported on first use: ``explorer.ingest.code_ranges`` (the coverage check) does not
load the parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.lazy_names import lazy_getattr

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


__getattr__ = lazy_getattr(__name__, _WHERE, globals())


__all__ = ["Lexicon", "PolicyFacts", "load_lexicon", "parse_policy", "parse_policy_bytes", "parse_policy_file"]
