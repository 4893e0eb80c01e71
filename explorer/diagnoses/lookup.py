"""A diagnosis: an ICD-10-CM code checked against the official release and mapped to diseases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.diagnoses.icd10cm import DiagnosisError, check_code
from explorer.diagnoses.mapping import load_taxonomy


@dataclass(frozen=True)
class Diagnosis:
    """An ICD-10-CM diagnosis placed in the official hierarchy and in the disease taxonomy."""

    code: str  # normalised with dot, e.g. "C92.10"
    description: str  # official description
    billable: bool  # a leaf of the official hierarchy
    chapter_path: tuple[str, ...]  # official ancestors, outermost first: ("2", "C81-C96", "C92", "C92.1")
    diseases: tuple[str, ...]  # most specific disease slugs; empty if no disease covers the code
    disease_ancestors: tuple[str, ...]  # every broader disease slug, nearest first


def lookup_diagnosis(code: str, *, vocab_dir: Path | None = None) -> Diagnosis:
    """Check ``code`` (any case, dot optional) and map it to the disease taxonomy.

    :raises DiagnosisError: ``code`` is not a valid ICD-10-CM code (the message says so, and
        whether it looks like a CPT code instead).
    """
    official = check_code(code)
    taxonomy = load_taxonomy(vocab_dir)
    diseases = taxonomy.most_specific(official.code)
    return Diagnosis(
        code=official.code,
        description=official.description,
        billable=official.billable,
        chapter_path=official.chapter_path,
        diseases=diseases,
        disease_ancestors=taxonomy.ancestors_of(diseases),
    )


def disease_for_label(label: str, *, vocab_dir: Path | None = None) -> str | None:
    """The disease slug for a label, synonym or ICD-10-CM code, or None if nothing matches.

    Labels and synonyms are looked up in the lexicon (case and punctuation ignored). A code maps
    to its most specific disease; when it maps to several, to their nearest common broader
    disease (the one disease it certainly is). A valid code no disease covers gives None.
    """
    from explorer.vocab.lexicon import load_lexicon

    text = label.strip()
    if not text:
        return None
    term = load_lexicon(vocab_dir).diseases.lookup(text)
    if term is not None:
        return term.slug
    try:
        diagnosis = lookup_diagnosis(text, vocab_dir=vocab_dir)
    except DiagnosisError:
        return None
    if len(diagnosis.diseases) <= 1:
        return diagnosis.diseases[0] if diagnosis.diseases else None
    taxonomy = load_taxonomy(vocab_dir)
    shared = set.intersection(*(set(taxonomy.ancestors(d)) for d in diagnosis.diseases))
    return next((a for a in diagnosis.disease_ancestors if a in shared), None)
