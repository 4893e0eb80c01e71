"""Named (proprietary) tests a policy lists with their PLA codes: text -> :class:`NamedTest` facts.

A PLA code (CPT Proprietary Laboratory Analyses, ``0364U``) identifies one laboratory's test, and
code tables print the test's name with the code's description, in one of a few forms:

- ``... when appropriate {clonoSeq}`` (the name in braces at the end; Geisinger),
- ``... [Guardant360® CDx, Guardant Health Inc]`` (name, laboratory, manufacturer in brackets; Kaiser),
- ``... Proprietary test: Colvera® Lab/Manufacturer: Clinical Genomics Pathology Inc`` (BCBS SC),
- ``... insertions Genomic Unity® SMN1/2 Analysis, Variantyx Inc, Variantyx Inc`` (AMA's
  "name, laboratory, manufacturer" after the description, marked ® or ™; Anthem, Carelon),
- ``LiquidHALLMARK (oncology (pan-solid tumor), ...`` (the name before the description; eviCore).

A table row ``Name (Lab) CODE`` (``Signatera (Natera) 0340U``; the code may be on the next line)
names a test and its laboratory where the code table names none (WellCare, Blue Shield of
California), and gives the laboratory of a test the code table names without one (Geisinger).
A parenthesised laboratory counts only when the laboratory registry (``data/vocab/labs.ttl``)
knows it or it ends like a company name; no test names are kept in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from explorer.ingest.facts import Code, NamedTest, Span
from explorer.vocab.lexicon import label_key

PLA = re.compile(r"\d{4}U")
_MARKS = re.compile(r"\s*(?:[®™℠]|(?<=[a-z])TM\b)")
_COMPANY = re.compile(r"\b(?:Inc|LLC|Ltd|Corp|Corporation|GmbH|Laboratories|Laboratory|Diagnostics|Genomics|"
                      r"Biosciences|Bioscience|Sciences|Health|Medicine)\.?$")
_SUFFIX = re.compile(r"^(?:Inc|LLC|Ltd|Corp|Co)\.?$")
_LABELLED = re.compile(r"Pro\w{2,8}ary\s+test:\s*(?P<name>.+?)\s*(?:Lab/Manufacturer:\s*(?P<lab>.+))?$")
_BRACES = re.compile(r"\{(?P<body>[^{}]+)\}\s*\.?$")
_BRACKETS = re.compile(r"\[(?P<body>[^\[\]]+)\]?\s*$")
_LEADING = re.compile(r"^(?P<name>[^()\[\],]{2,60}?)\s*[\[(](?P<rest>.{60,})")
_CAMEL = re.compile(r"[a-z][A-Z]|[®™]")
_ROW = re.compile(r"^[ \t]*(?P<name>[A-Za-z][^\n(),]{1,60}?)[ \t]*\((?P<lab>[^()]{2,60})\)"
                  r"\s+(?P<code>\d{4}U)\b", re.MULTILINE)
_CODE_ROW = re.compile(r"^[ \t]*(?P<code>\d{4}U)[ \t]+(?:\d{1,2}/\d{1,2}/\d{4}[ \t]+)?"
                       r"(?P<rest>[^\n]*[®™][^\n]*,[^\n]*)$", re.MULTILINE)


@cache
def lab_registry() -> dict[str, tuple[str, str]]:
    """Label key (``label_key``) of every name of a laboratory in ``data/vocab/labs.ttl`` -> its slug
    and preferred label."""
    from rdflib import URIRef
    from rdflib.namespace import RDF, SKOS

    from explorer.resources import vocab_dir
    from explorer.vocab import read_turtle

    graph = read_turtle(vocab_dir() / "labs.ttl")
    pol_lab = URIRef("https://w3id.org/policy-explorer/ontology#Laboratory")
    out: dict[str, tuple[str, str]] = {}
    for concept in sorted(str(c) for c in graph.subjects(RDF.type, pol_lab)):
        slug, pref = concept.rsplit("/", 1)[-1], str(graph.value(URIRef(concept), SKOS.prefLabel))
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(URIRef(concept), prop):
                out.setdefault(label_key(str(label)), (slug, pref))
    return out


def known_lab(name: str) -> tuple[str, str] | None:
    """The registry's (slug, preferred label) for a laboratory name as printed, if it knows it."""
    return lab_registry().get(label_key(clean(name)))


def clean(name: str) -> str:
    """The name without trademark signs (``®``, ``™``, a ``TM`` glued on) and with single spaces."""
    text = " ".join(_MARKS.sub("", name).split()).strip(" ,;:-")
    return text[:-1].rstrip() if text.endswith(")") and text.count("(") < text.count(")") else text


def _lab(name: str) -> str | None:
    """A laboratory's name: the registry's label when it knows the name, else the name as printed,
    cleaned (what follows a colon is the description again)."""
    text = clean(name.split(":")[0])
    known = known_lab(text)
    return known[1] if known else text if len(text) >= 3 else None


def is_lab(name: str) -> bool:
    """Whether a parenthesised or listed name is a laboratory: known to the registry or company-like."""
    text = clean(name)
    return bool(text) and (known_lab(text) is not None or bool(_COMPANY.search(text)))


def _pieces(body: str) -> list[str]:
    """``"xT CDx, Tempus AI, Inc"`` -> ``["xT CDx", "Tempus AI, Inc"]``: commas split, a company
    suffix stays with the name before it."""
    out: list[str] = []
    for piece in (p.strip() for p in re.split(r"[,;]", body)):
        if out and _SUFFIX.match(clean(piece)):
            out[-1] = f"{out[-1]}, {piece}"
        elif piece:
            out.append(piece)
    return out


def _name_and_lab(body: str) -> tuple[str, str | None]:
    """``"Name, Lab, Manufacturer"`` -> (raw name, first laboratory named)."""
    pieces = _pieces(body)
    labs = [p for p in pieces[1:] if clean(p)]
    return pieces[0] if pieces else body, _lab(labs[0]) if labs else None


def _marked_tail(description: str) -> str | None:
    """The name-and-laboratory tail AMA appends after a description: the capitalised words before the
    first ® or ™ back to the description's last lower-case word, then the rest."""
    mark = re.search(r"(?<!CPT)(?<!CPT )[®™]", description)
    if mark is None:
        return None
    words = list(re.finditer(r"\S+", description[: mark.start()]))
    start = mark.start()
    for word in reversed(words):
        text = word.group()
        letters = re.sub(r"[^A-Za-z]", "", text)
        if not letters or text.endswith((".", ";", ":")) or (letters.islower() and word.end() < mark.start() - 1
                                                             and not re.search(r"[®™]", text)):
            break
        start = word.start()
    tail = description[start:].strip()
    tail = re.sub(r"^\([^()]*\)\s*", "", tail)  # a parenthesis the description opened: "(G1, G2) Name"
    tail = re.sub(r"^\S*\)\s*", "", tail)
    return tail or None


def parse_description(description: str) -> tuple[str, str | None] | None:
    """The raw name (as printed, marks kept) and the laboratory a code's description gives, if any."""
    text = " ".join(description.split())
    labelled = _LABELLED.search(text)
    if labelled:
        lab = labelled.group("lab")
        return labelled.group("name"), _lab(_name_and_lab(lab)[0]) if lab else None
    for form in (_BRACES, _BRACKETS):
        found = form.search(text)
        if found:
            body = found.group("body")
            if re.match(r"[A-Za-z]", body) and (re.search(r"[®™]", body) or form is _BRACES
                                                or any(is_lab(p) for p in _pieces(body)[1:])):
                return _name_and_lab(body)
    tail = _marked_tail(text)
    if tail:
        return _name_and_lab(tail)
    leading = _LEADING.match(text)
    if leading and _CAMEL.search(leading.group("name")):
        return leading.group("name"), None
    return None


def _find(text: str, raw: str, start: int, end: int) -> Span | None:
    """The characters of ``raw`` in ``text[start:end]``, however the document breaks its lines."""
    words = raw.split()
    if not words:
        return None
    found = re.compile(r"\s*".join(re.escape(w) for w in words)).search(text, start, min(end, len(text)))
    return None if found is None else Span(found.start(), found.end(), found.group())


def _usable(name: str) -> bool:
    cleaned = clean(name)
    return bool(re.search(r"[A-Z0-9]", cleaned)) and len(cleaned) >= 3 and not PLA.fullmatch(cleaned)


def named_tests(text: str, codes: Sequence[Code]) -> tuple[NamedTest, ...]:
    """The named tests of a policy, one per PLA code, in document order: the name the code's
    description prints, the laboratory from the description or from a table row naming the test."""
    rows = _rows(text)
    out: dict[str, NamedTest] = {}
    for code in codes:
        if not PLA.fullmatch(code.code) or code.code in out:
            continue
        parsed = parse_description(code.description)
        row = rows.get(code.code)
        if parsed and _usable(parsed[0]):
            raw, lab = parsed
            span = _find(text, raw, code.span.end, code.span.end + 4 * len(code.description) + 400)
            if span is not None:
                if lab is None and row is not None and label_key(row.name) == label_key(clean(raw)):
                    lab = row.lab
                out[code.code] = NamedTest(clean(raw), code.code, span, lab)
                continue
        if row is not None:
            out[code.code] = row
    listed = {c.code for c in codes}
    for pla, row in rows.items():  # a row naming a PLA code the code table does not list
        if pla not in out and pla not in listed:
            out[pla] = row
    return tuple(sorted(out.values(), key=lambda t: (t.span.start, t.code)))


def _rows(text: str) -> dict[str, NamedTest]:
    """Tests that table rows name with their code: ``Name (Lab) CODE`` (the code may be on the
    next line) and ``CODE [date] Name®, Lab, Manufacturer``; the first row of each code."""
    out: dict[str, NamedTest] = {}
    for m in _ROW.finditer(text):
        if is_lab(m.group("lab")) and _usable(m.group("name")):
            out.setdefault(m.group("code"), _at(text, m.group("name"), m.start("name"), m.group("code"),
                                                _lab(m.group("lab"))))
    for m in _CODE_ROW.finditer(text):
        raw, lab = _name_and_lab(m.group("rest"))
        if lab and _usable(raw):
            start = m.start("rest") + m.group("rest").index(raw)
            out.setdefault(m.group("code"), _at(text, raw, start, m.group("code"), lab))
    return out


def _at(text: str, raw: str, start: int, code: str, lab: str | None) -> NamedTest:
    """A test whose name is printed as ``raw`` at ``start`` (surrounding blanks left out)."""
    start += len(raw) - len(raw.lstrip())
    end = start + len(raw.strip())
    return NamedTest(clean(text[start:end]), code, Span(start, end, text[start:end]), lab)


def named_in(sentence: str, tests: Iterable[NamedTest]) -> list[NamedTest]:
    """The tests a sentence names: by the whole name, or by its first word when that word is a
    coined one (``clonoSEQ``, ``Guardant360``: a capital or digit inside the word)."""
    out = []
    for test in tests:
        words = test.name.split()
        keys = [test.name]
        if len(words) > 1 and len(words[0]) >= 5 and re.search(r"[a-z][A-Z0-9]", words[0]):
            keys.append(words[0])
        for key in keys:
            pattern = r"(?<!\w)" + r"\s*".join(re.escape(w) for w in key.split()) + r"(?!\w)"
            if re.search(pattern, _MARKS.sub("", sentence), re.IGNORECASE):
                out.append(test)
                break
    return out
