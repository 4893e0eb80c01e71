"""Text -> facts: parse a policy document into :class:`~explorer.ingest.facts.PolicyFacts`."""

from explorer.ingest.facts import PolicyFacts
from explorer.ingest.parser import parse_policy, parse_policy_bytes, parse_policy_file
from explorer.vocab.lexicon import Lexicon, load_lexicon

__all__ = ["Lexicon", "PolicyFacts", "load_lexicon", "parse_policy", "parse_policy_bytes", "parse_policy_file"]
