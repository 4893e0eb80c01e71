"""A longer fuzz campaign than the test suite runs: the ingest parser and query parameter binding.

Any exception other than the typed ones (``PolicyParseError`` from the parser, ``QueryError`` from
binding) is a crash; so is a query that changes the store.  Run ``python -m explorer.fuzz --minutes N``.
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from explorer.errors import PolicyParseError, QueryError

_NOISE = ("\n", "\t", " ", "*", "**", "-", "•", "¹", "²", "PMID ", "0123", ".", ":", ";", "(", ")",
          "INVESTIGATIONAL", "MEDICALLY NECESSARY", "Policy", "References", "\u202e", "\ufeff", "\x0b",
          "\r", "𝔘", "<script>alert(1)</script>", '"> } ; DROP ALL #', "\u0301", "Ǆ")
_HOSTILE = ('"> } ; DROP ALL #', "' } ; DROP ALL #", "<urn:x> } LOAD <http://127.0.0.1:9/>", "\\u0022",
            "\x00", "\r#", "x" * 20000, "338", "inpatient", "pol:Policy", "javascript:alert(1)")


@dataclass
class Crash:
    target: str
    input: str
    error: str


@dataclass
class FuzzReport:
    """Inputs tried per target and the crashes found (an empty list is the goal)."""

    tried: dict[str, int] = field(default_factory=dict)
    typed_errors: dict[str, int] = field(default_factory=dict)
    crashes: list[Crash] = field(default_factory=list)
    seconds: float = 0.0


def mutate(text: str, rng: random.Random) -> str:
    """Delete, duplicate or swap lines, cut ranges and insert policy-like or random unicode noise."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        i = rng.randrange(len(lines)) if lines else 0
        if op == 0 and lines:
            del lines[i]
        elif op == 1 and lines:
            lines[i:i] = [lines[i]] * rng.choice((1, 2, 50))
        elif op == 2 and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3 and lines:
            k = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:k] + rng.choice(_NOISE) + lines[i][k:]
        elif op == 4 and lines:
            k = rng.randrange(len(lines[i]) + 1)
            junk = "".join(chr(rng.choice((rng.randrange(32, 0x2FF), rng.randrange(0x2000, 0x30000))))
                           for _ in range(rng.randint(1, 20)))
            lines[i] = lines[i][:k] + junk.replace("\x00", "") + lines[i][k:]
        elif op == 5 and lines:
            lines = lines[: i] + lines[i + rng.randint(1, 40):]
    return "\n".join(lines)


def _random_value(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(_HOSTILE)
    return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randint(0, 30)))


def run_campaign(minutes: float = 1.0, seed: int = 0, on_progress: Callable[[FuzzReport], None] | None = None
                 ) -> FuzzReport:
    """Fuzz until ``minutes`` have passed; returns what was tried and any crash."""
    from explorer.ingest import load_lexicon, parse_policy
    from explorer.pipeline import ingest_paths
    from explorer.query.bindings import bind_parameters
    from explorer.query.catalog import load_catalog
    from explorer.query.limits import QueryLimits
    from explorer.query.runner import run_query
    from explorer.resources import policies_dir
    from explorer.store import open_store

    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(policies_dir().glob("*.txt"))]
    lexicon = load_lexicon()
    store = open_store("oxigraph:")
    ingest_paths(store, [policies_dir()], reason=False)
    before = store.stats()
    catalog = [q for q in load_catalog().values() if q.parameters]
    limits = QueryLimits(timeout_s=5, max_rows=1000)
    report = FuzzReport()
    started = time.monotonic()
    deadline = started + minutes * 60
    last_progress = started

    def attempt(target: str, shown: str, work: Callable[[], object], typed: type[Exception]) -> None:
        report.tried[target] = report.tried.get(target, 0) + 1
        try:
            work()
        except typed:
            report.typed_errors[target] = report.typed_errors.get(target, 0) + 1
        except Exception:
            report.crashes.append(Crash(target, shown[:2000], traceback.format_exc(limit=8)))

    while time.monotonic() < deadline:
        text = mutate(rng.choice(seeds), rng)
        attempt("parse_policy", text, partial(parse_policy, text, "fuzz.txt", lexicon), PolicyParseError)
        query = rng.choice(catalog)
        values = {p.name: _random_value(rng) for p in query.parameters if rng.random() < 0.8}
        attempt("bind_parameters", f"{query.name} {values!r}", partial(bind_parameters, query, values), QueryError)
        if report.tried["bind_parameters"] % 5 == 0:
            attempt("run_query", f"{query.name} {values!r}",
                    partial(run_query, store, query, values, limits=limits), QueryError)
            if store.stats() != before:
                report.crashes.append(Crash("run_query", f"{query.name} {values!r}", "the store changed"))
                before = store.stats()
        now = time.monotonic()
        if on_progress is not None and now - last_progress >= 10:
            report.seconds = now - started
            on_progress(report)
            last_progress = now
    report.seconds = time.monotonic() - started
    store.close()
    return report


__all__ = ["Crash", "FuzzReport", "mutate", "run_campaign"]
