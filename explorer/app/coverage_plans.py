"""The coverage form's plan choices: what the policies listing a code say they apply to."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from explorer.store import PolicyStore

PLANS_QUERY = (Path(__file__).parent / "queries" / "plans-for-code.rq").read_text(encoding="utf-8")


def plans_for_code(store: PolicyStore, code: str) -> list[str]:
    """The products or lines of business of the policies listing ``code`` (as printed, upper case):
    policy by policy in policy-number order, each policy's names sorted, each name once."""
    by_policy: dict[str, list[str]] = {}
    for row in store.query(PLANS_QUERY, bindings={"code": Literal(code)}):
        by_policy.setdefault(str(row.policy), []).append(str(row.name))  # type: ignore[union-attr]
    return list(dict.fromkeys(name for names in by_policy.values() for name in sorted(names)))
