"""Moved to :mod:`explorer.vocab` (the vocabulary room); kept for the imports not yet moved."""

from explorer.vocab.lexicon import Lexicon, Match, Term, TermIndex, label_key, load_lexicon

__all__ = ["Lexicon", "Match", "Term", "TermIndex", "label_key", "load_lexicon"]
