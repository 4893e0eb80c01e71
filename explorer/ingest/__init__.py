"""Text of a medical policy -> :class:`~explorer.ingest.facts.PolicyFacts`."""
