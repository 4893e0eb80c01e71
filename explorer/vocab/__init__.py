"""The controlled vocabularies (``data/vocab/*.ttl``): SKOS terms with their labels and synonyms,
indexed for matching in text (:func:`load_lexicon`), and the one Turtle reader every loader of the
package's own RDF uses (:func:`read_turtle`).  Below ingest, model, diagnoses and the faces."""

from explorer.vocab.lexicon import Lexicon, Match, Term, TermIndex, label_key, load_lexicon, slug
from explorer.vocab.turtle import read_turtle

__all__ = ["Lexicon", "Match", "Term", "TermIndex", "label_key", "load_lexicon", "read_turtle", "slug"]
