"""A synthetic corpus: N policy documents in the publisher's web text format, deterministic by seed.

Each document has the seed policy's layout (``data/policies/bcbsma-338-...txt``) with varied
numbers, titles, services, statuses, diseases (vocabulary labels), products, prior-authorization
cells, codes, figures, evidence summaries, history rows and references, so a benchmark exercises
the real parser.  :func:`generate_corpus` returns what each document was written to say
(:class:`IntendedPolicy`), so a test can check the parser reads it back.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     corpus = generate_corpus(d, 2, seed=1)
...     [p.path.endswith(".txt") for p in corpus.policies]
[True, True]
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from explorer.bench import words as w
from explorer.ingest import load_lexicon


@dataclass(frozen=True)
class IntendedStatement:
    number: int
    status: str
    service: str
    indications: tuple[str, ...]
    diseases: tuple[str, ...]  # disease slugs, sorted


@dataclass(frozen=True)
class IntendedPolicy:
    """What a generated document says, in the facts contract's terms (slugs, labels, ISO dates)."""

    path: str
    number: str
    title: str
    applies_to: tuple[str, ...]
    statements: tuple[IntendedStatement, ...]
    prior_authorization: tuple[tuple[str, str, bool], ...]  # (product, setting, required), sorted
    codes: tuple[tuple[str, str], ...]  # (system, code) in document order
    references: tuple[tuple[int, str | None], ...]  # (number, PMID)
    history: tuple[tuple[str, str | None], ...]  # (date, end) in document order
    figures: tuple[tuple[float, float], ...]  # (low, high) percent
    conclusions: tuple[str, ...]  # evidence conclusions: sufficient | insufficient


@dataclass(frozen=True)
class GeneratedCorpus:
    directory: str
    seed: int
    policies: tuple[IntendedPolicy, ...]


def generate_corpus(out_dir: str | Path, policies: int, *, seed: int = 0) -> GeneratedCorpus:
    """Write ``policies`` documents into ``out_dir`` (created) and return what each one says."""
    if policies < 0:
        raise ValueError("policies must be >= 0")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    diseases = [(t.slug, t.label) for t in load_lexicon().diseases if t.slug != "graft-versus-host-disease"]
    numbers = rng.sample(range(1000, 1000 + 20 * max(policies, 1)), policies)
    intended = []
    for index, number in enumerate(numbers):
        text, policy = _policy(rng, str(number), diseases)
        path = folder / f"synthetic-{index:05d}-policy-{number}.txt"
        path.write_text(text, encoding="utf-8")
        intended.append(_with_path(policy, str(path)))
    return GeneratedCorpus(str(folder), seed, tuple(intended))


def _with_path(p: IntendedPolicy, path: str) -> IntendedPolicy:
    return IntendedPolicy(path, p.number, p.title, p.applies_to, p.statements, p.prior_authorization, p.codes,
                          p.references, p.history, p.figures, p.conclusions)


def _policy(rng: random.Random, number: str, diseases: list[tuple[str, str]]) -> tuple[str, IntendedPolicy]:
    service = rng.choice(w.SERVICES)
    focus = rng.choice(diseases)
    title = f"{service} for {_title_case(focus[1])}"
    products = [p for p in w.PRODUCTS if rng.random() < 0.75] or [rng.choice(w.PRODUCTS)]
    references, ref_lines = _references(rng, diseases, service)
    statements, statement_lines = _statements(rng, service, diseases, focus)
    pa, pa_lines = _prior_authorization(rng, products)
    codes, code_lines = _codes(rng)
    history, history_lines = _history(rng)
    figures, conclusions, prose = _prose(rng, service, len(references))
    bcbsa = f"{rng.randint(1, 9)}.{rng.randint(1, 4):02d}.{rng.randint(1, 40):02d}"
    related = [f"[{rng.choice(w.SERVICES)} for {_title_case(rng.choice(diseases)[1])}](#)"
               for _ in range(rng.choice((0, 0, 1, 2)))] or ["None"]
    text = "\n".join([
        "", "", "", "MASSACHUSETTS", "",
        "Blue Cross Blue Shield of Massachusetts is an Independent Licensee of the Blue Cross and "
        "Blue Shield Association",
        "", "Medical Policy", "", title, "", "Table of Contents", "",
        "- [Policy: Commercial](#)", "- [Policy: Medicare](#)", "- [Authorization Information](#)",
        "- [Coding Information](#)", "- [Description](#)", "- [Policy History](#)",
        "- [Information Pertaining to All Policies](#)", "- [References](#)", "",
        f"Policy Number: {number}", "", f"BCBSA Reference Number: {bcbsa} (For Plans internal use only)",
        "NCD/LCD: N/A", "", "Related Policies", "", *related, "", "Policy", "",
        _member_line(products), "", *statement_lines,
        "Prior Authorization Information", "", *pa_lines,
        "CPT Codes / HCPCS Codes / ICD Codes", "",
        "Inclusion or exclusion of a code does not constitute or imply member coverage or provider reimbursement.",
        "", *code_lines, "Description", "", *prose, "Policy History", "", "Date\tAction", *history_lines, "",
        "Information Pertaining to All Blue Cross Blue Shield Medical Policies", "",
        "Click on any of the following terms to access the relevant information:", "",
        "[Medical Policy Terms of Use](#)", "", "[Managed Care Guidelines](#)", "",
        "References", "", *ref_lines,
    ]) + "\n"
    return text, IntendedPolicy(
        path="", number=number, title=title, applies_to=tuple(p[0] for p in products),
        statements=statements, prior_authorization=pa, codes=codes, references=references,
        history=history, figures=figures, conclusions=conclusions,
    )


def _title_case(label: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in label.split())


def _member_line(products: list[tuple[str, str, str, str]]) -> str:
    commercial = [p[1] for p in products if p[3] == "commercial"]
    medicare = [p[1] for p in products if p[3] == "medicare"]
    parts = []
    if commercial:
        parts.append("Commercial Members: " + ", ".join(commercial))
    if medicare:
        parts.append(" and ".join(medicare) + " Members")
    return " ".join(parts)


def _statements(
    rng: random.Random, service: str, diseases: list[tuple[str, str]], focus: tuple[str, str]
) -> tuple[tuple[IntendedStatement, ...], list[str]]:
    out: list[IntendedStatement] = []
    lines: list[str] = []
    for number in range(1, rng.randint(1, 6) + 1):
        status, printed = rng.choices(w.STATUSES, weights=w.STATUS_WEIGHTS)[0]
        subject = service if number == 1 or rng.random() < 0.7 else rng.choice(w.SERVICES)
        lead = f"{subject} {rng.choice(w.VERBS)} **{printed}**"
        shape = rng.random()
        if shape < 0.15:  # no indication: the service itself is the indication
            indications, named = [subject], []
            sentence = f"{lead}."
        else:
            indications, named = [], []
            for k in range(rng.randint(1, 3)):
                if k == 0 or rng.random() < 0.6:
                    slug, label = focus if k == 0 and number == 1 else rng.choice(diseases)
                    indications.append(rng.choice(w.DISEASE_INDICATIONS).format(d=label))
                    named.append(slug)
                else:
                    indications.append(rng.choice(w.PLAIN_INDICATIONS))
            indications = list(dict.fromkeys(indications))
            body = indications[0] if len(indications) == 1 else ", ".join(indications[:-1]) + ", or " + indications[-1]
            if shape < 0.45:
                prior = rng.choice(("medically necessary", "investigational"))
                sentence = f"{lead} {w.PRIOR_STATUS_CLAUSE.format(s=prior)} {body}."
            elif shape < 0.6:
                sentence = f"{lead} {body} following a prior {rng.choice(w.PRIOR_SUBJECTS)}."
            else:
                sentence = f"{lead} {body}."
        out.append(IntendedStatement(number, status, subject, tuple(indications), tuple(sorted(set(named)))))
        lines += [sentence, ""]
    return tuple(out), lines


def _prior_authorization(
    rng: random.Random, products: list[tuple[str, str, str, str]]
) -> tuple[tuple[tuple[str, str, bool], ...], list[str]]:
    cells: dict[tuple[str, str], bool] = {}
    lines: list[str] = []
    style = rng.choice(("rule+table", "table", "rules"))
    if style in ("rule+table", "rules"):
        required = rng.random() < 0.8
        word = "**IS REQUIRED**" if required else "is not required"
        lines += ["Inpatient", "", f"- For services described in this policy, precertification/preauthorization {word} "
                  "for all products if the procedure is performed **inpatient**.", ""]
        cells.update({(p[0], "inpatient"): required for p in products})
    if style == "rules":
        required = rng.random() < 0.3
        word = "**IS REQUIRED**" if required else "is not required"
        lines += ["Outpatient", "", f"- For services described in this policy, prior authorization {word} "
                  "for all products if the procedure is performed **outpatient**.", ""]
        cells.update({(p[0], "outpatient"): required for p in products})
        return _cells(cells), lines
    settings = ["outpatient"] if style == "rule+table" else ["inpatient", "outpatient"]
    lines += ["Outpatient", "", "- For services described in this policy, see below for products where prior "
              "authorization **might be required** if the procedure is performed **outpatient**.", ""]
    lines.append("\t" + "\t".join(s.capitalize() for s in settings))
    for product in products:
        row = [product[2]]
        for setting in settings:
            text, required = rng.choice(w.PRIOR_AUTH_CELLS)
            row.append(text)
            cells[(product[0], setting)] = required
        lines.append("\t".join(row))
    lines.append("")
    return _cells(cells), lines


def _cells(cells: dict[tuple[str, str], bool]) -> tuple[tuple[str, str, bool], ...]:
    return tuple(sorted((product, setting, required) for (product, setting), required in cells.items()))


def _codes(rng: random.Random) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    codes: list[tuple[str, str]] = []
    lines: list[str] = []
    tables = (("CPT", "CPT Codes", "CPT codes:", w.CPT_CODES, 1),
              ("HCPCS", "HCPCS Codes", "HCPCS codes:", w.HCPCS_CODES, 0),
              ("ICD-10-CM", "ICD-10 Diagnosis Codes", "ICD-10-CM Diagnosis codes:", w.ICD10CM_CODES, 0))
    for system, heading, header, pool, least in tables:
        count = rng.randint(least, min(4, len(pool)))
        if count == 0:
            continue
        rows = sorted(rng.sample(pool, count))
        lines += [heading, "", f"{header}\tCode Description", *(f"{c}\t{d}" for c, d in rows), ""]
        codes += [(system, c) for c, _ in rows]
    return tuple(codes), lines


def _history(rng: random.Random) -> tuple[tuple[tuple[str, str | None], ...], list[str]]:
    year, month = rng.randint(2019, 2024), rng.randint(1, 12)
    rows: list[tuple[str, str | None]] = []
    lines: list[str] = []
    for k in range(rng.randint(1, 8)):
        kind = rng.random()
        if kind < 0.15 and k > 0:  # a range ending where the previous (later) row starts
            start_year, start_month = year - 1, month
            lines.append(f"{start_month}/{start_year}-{month}/{year}\t{rng.choice(w.HISTORY_ACTIONS)}")
            rows.append((f"{start_year:04d}-{start_month:02d}", f"{year:04d}-{month:02d}"))
            year -= 1
        elif kind < 0.3:
            day = rng.randint(1, 28)
            lines.append(f"{month}/{day}/{year}\t{rng.choice(w.HISTORY_ACTIONS)}")
            rows.append((f"{year:04d}-{month:02d}-{day:02d}", None))
        else:
            lines.append(f"{month}/{year}\t{rng.choice(w.HISTORY_ACTIONS)}")
            rows.append((f"{year:04d}-{month:02d}", None))
        month -= rng.randint(3, 11)
        while month < 1:
            month += 12
            year -= 1
    return tuple(rows), lines


def _references(
    rng: random.Random, diseases: list[tuple[str, str]], service: str
) -> tuple[tuple[tuple[int, str | None], ...], list[str]]:
    refs: list[tuple[int, str | None]] = []
    lines: list[str] = []
    for number in range(1, rng.randint(2, 30) + 1):
        kind = rng.random()
        year = rng.randint(1995, 2023)
        if kind < 0.12:
            org, url = rng.choice(w.ORGANISATIONS)
            slug = rng.choice(diseases)[0]
            guideline = _title_case(slug.replace('-', ' '))
            lines.append(f"{number}. {org}. Clinical Practice Guidelines in Oncology: {guideline}. "
                         f"Version {rng.randint(1, 5)}.{year}. {url.format(slug=slug)}. Accessed March, {year}.")
            refs.append((number, None))
            continue
        authors = ", ".join(f"{rng.choice(w.SURNAMES)} {rng.choice('ABCDEFGHJKLMNPRST')}"
                            f"{rng.choice(('', 'M', 'R', 'L'))}"
                            for _ in range(rng.randint(1, 3))) + (", et al" if rng.random() < 0.6 else "")
        title = (f"{rng.choice(('Outcomes of', 'Long-term results of', 'Response to', 'Safety of'))} "
                 f"{service.lower()} in {rng.choice(diseases)[1]}: {rng.choice(w.STUDY_DESIGNS)}")
        volume, issue, first = rng.randint(1, 140), rng.randint(1, 24), rng.randint(1, 4000)
        cite = (f"{number}. {authors}. {title}. *{rng.choice(w.JOURNALS)}.* {rng.choice(w.MONTHS)} {year};"
                f"{volume}({issue}):{first}-{first + rng.randint(2, 15)}.")
        pmid = str(rng.randint(1_000_000, 39_999_999)) if kind < 0.9 else None
        lines.append(cite + (f" PMID {pmid}" if pmid else ""))
        refs.append((number, pmid))
    return tuple(refs), lines


def _marker(numbers: list[int]) -> str:
    return "".join(w.SUPERSCRIPTS[int(d)] for d in str(numbers[0])) if len(numbers) == 1 else (
        "".join(w.SUPERSCRIPTS[int(d)] for d in str(numbers[0])) + "⁻"
        + "".join(w.SUPERSCRIPTS[int(d)] for d in str(numbers[-1])))


def _prose(
    rng: random.Random, service: str, references: int
) -> tuple[tuple[tuple[float, float], ...], tuple[str, ...], list[str]]:
    low = rng.randint(5, 50)
    high = low + rng.randint(5, 40)
    mortality = rng.randint(2, 25)
    cite = rng.randint(1, references)
    span = sorted(rng.sample(range(1, references + 1), min(2, references)))
    description = [
        f"Approximately {low}% to {high}% of patients who receive {service.lower()} develop graft-versus-host disease "
        f"(GVHD), and the development of GVHD predicts a response.{_marker([cite])} Treatment-related mortality is "
        f"{mortality}%. The risk of developing GVHD is related, in part, to the dose.{_marker(span)}", "",
    ]
    summary = ["Summary", ""]
    conclusions = []
    for _ in range(rng.randint(1, 3)):
        conclusion = rng.choice(("sufficient", "insufficient"))
        effect = ("that the technology results in a meaningful improvement in the net health outcome"
                  if conclusion == "sufficient" else "the effects of the technology on health outcomes")
        summary += [f"For individuals who have had an allogeneic HCT who receive {service.lower()}, the evidence "
                    f"includes {rng.choice(w.EVIDENCE_TYPES)}. Relevant outcomes are {rng.choice(w.OUTCOMES)}. "
                    f"The evidence is {conclusion} to determine {effect}.", ""]
        conclusions.append(conclusion)
    return ((float(low), float(high)), (float(mortality), float(mortality))), tuple(conclusions), description + summary
