"""Payer-family layout profiles: heading synonyms, identity patterns and detection rules, as data.

A profile is one TOML file in ``data/formats/`` (see ``generic.toml`` for every key).  The generic
profile holds what all families share; a family profile adds its own headings and patterns, so a
new payer's layout is a new file, not a code branch.  :func:`detect_profile` picks the family whose
``detect`` patterns match the document most often (the generic profile when none does).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from explorer.errors import VocabularyError
from explorer.ingest.literal_prefilter import Haystack

SECTION_KINDS = ("policy", "coding", "references", "history", "other")
_DETECT_WINDOW = 60_000  # characters read for detection: the header and first pages


@dataclass(frozen=True)
class Profile:
    """One payer family's layout, merged over the generic profile."""

    name: str
    payer: str | None
    parser: str = "generic"
    description: str = ""
    detect: tuple[re.Pattern[str], ...] = ()
    identifier: tuple[re.Pattern[str], ...] = ()
    title: tuple[re.Pattern[str], ...] = ()
    headings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    inline: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    dates: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    heading_patterns: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    codes_in_policy_sections: bool = False
    """The family's criteria grids list codes (rows that start with a code, cells labelled "CPT")."""

    def heading_kind(self, text: str) -> str | None:
        """The section kind a heading text names (case-insensitive), or ``None``."""
        kind = self._heading_index().get(_heading_key(text))
        if kind is None:
            for name in SECTION_KINDS:
                if any(p.fullmatch(text.strip()) for p in self.heading_patterns.get(name, ())):
                    return name
        return kind

    @cache  # noqa: B019 - profiles are few and live for the process
    def _heading_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for kind in SECTION_KINDS:  # earlier kinds win: a phrase listed as policy and other is policy
            for phrase in self.headings.get(kind, ()):
                index.setdefault(_heading_key(phrase), kind)
        return index

    def __hash__(self) -> int:
        return hash(self.name)


def _heading_key(text: str) -> str:
    return " ".join(text.replace("&", "and").strip().rstrip(":").strip().lower().split())


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise VocabularyError(f"{where}: bad pattern {p!r}: {exc}") from exc
    return tuple(out)


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{path}: cannot read format profile: {exc}") from exc


def _profile(data: dict, base: dict | None, where: str) -> Profile:
    base = base or {}
    ident = {**base.get("identity", {})}
    own_ident = data.get("identity", {})
    headings: dict[str, tuple[str, ...]] = {}
    for kind in SECTION_KINDS:
        own = data.get("headings", {}).get(kind, [])
        headings[kind] = tuple(own) + tuple(base.get("headings", {}).get(kind, []))
    inline = {kind: _compile(data.get("inline", {}).get(kind, []), where) for kind in SECTION_KINDS}
    date_labels = {**base.get("dates", {})}
    for kind, labels in data.get("dates", {}).items():
        date_labels[kind] = labels + date_labels.get(kind, [])
    dates = {kind: _compile(labels, where) for kind, labels in date_labels.items()}
    patterns = {
        kind: _compile(
            data.get("heading_patterns", {}).get(kind, []) + base.get("heading_patterns", {}).get(kind, []), where
        )
        for kind in SECTION_KINDS
    }
    return Profile(
        name=data.get("name", "generic"),
        payer=data.get("payer"),
        parser=data.get("parser", "generic"),
        description=data.get("description", ""),
        detect=_compile(data.get("detect", []), where),
        identifier=_compile(own_ident.get("identifier", []) + ident.get("identifier", []), where),
        title=_compile(own_ident.get("title", []) + ident.get("title", []), where),
        headings=headings,
        inline=inline,
        dates=dates,
        heading_patterns=patterns,
        codes_in_policy_sections=bool(data.get("codes", {}).get("in_policy_sections", False)),
    )


@cache
def load_profiles(folder: Path | None = None) -> tuple[Profile, ...]:
    """Every profile in ``folder`` (default ``data/formats``); the generic one last."""
    from explorer.resources import formats_dir

    folder = Path(folder or formats_dir())
    generic_path = folder / "generic.toml"
    if not generic_path.is_file():
        raise VocabularyError(f"format profile missing: {generic_path}")
    generic = _read(generic_path)
    profiles = [
        _profile(_read(path), generic, str(path))
        for path in sorted(folder.glob("*.toml"))
        if path.name != "generic.toml" and not path.name.startswith("_")
    ]
    profiles.append(_profile(generic, None, str(generic_path)))
    return tuple(profiles)


def detect_profile(text: str, profiles: tuple[Profile, ...] | None = None) -> Profile:
    """The family whose detection patterns match the document's first pages most often.

    Ties go to the family named earliest in the text (a policy names its own payer in its header;
    other payers appear later, in references and guidance).
    """
    profiles = profiles or load_profiles()
    window = Haystack(text[:_DETECT_WINDOW])  # a pattern whose literal is absent is not searched
    best, best_score = profiles[-1], (0, 0)
    for profile in profiles[:-1]:
        hits = [m.start() for p in profile.detect if window.may_match(p) and (m := p.search(window.text))]
        score = (len(hits), -min(hits, default=0))
        if hits and score > best_score:
            best, best_score = profile, score
    return best
