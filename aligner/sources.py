"""Who a sentence says a claim comes from, and whether two linked sentences name different sources.

Public surface: :class:`Attribution`, :func:`attributions`, :func:`source_differences`.

News attributes: "..., police spokesman Sutopo Purwo Nugroho said", "according to the
Pentagon", "Reuters reported".  Two sentences that state the same fact and name different
sources ("Governor Anies Baswedan said" / "the Red Cross said") are a disagreement a reader
should see; it is soft (both may be right: the figure may come from both).

Read only in English, and only when both sentences have English: an organisation's name is
translated ("Badan Nasional Penanggulangan Bencana" is "the National Disaster Mitigation
Agency"), so names read in two source languages would differ for no reason.  A name is a run
of capitalised words next to an attribution verb; two names are the same source when they
share a word ("Sutopo Purwo Nugroho" / "Sutopo Purwo", "the Pentagon" / "Pentagon").
Light: no numpy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = r"[A-Z][\w'’.&-]*"
_LINK = r"(?:of|the|for|de|al|bin|van|von|and)"
_NAME = rf"{_WORD}(?:\s+(?:{_LINK}\s+)?{_WORD}){{0,7}}"
_VERB = r"(?:said|says|told|added|announced|reported|stated|confirmed|estimated)"
_PATTERNS = (
    re.compile(rf"\b[Aa]ccording to (?:the )?(?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME}),? (?:has |had |also )?{_VERB}\b"),
    re.compile(rf"\b{_VERB} (?:the )?(?P<name>{_NAME})"),
)
# capitalised words that name no source (pronouns, determiners, days) or no one source (titles)
_NOT_NAMES = frozenset("""
he she they it we i you this that these those there the a an his her their its our my
officials authorities police experts analysts sources residents witnesses
monday tuesday wednesday thursday friday saturday sunday
mr mrs ms dr president governor minister prime secretary spokesman spokeswoman spokesperson chief
general director head mayor senator
""".split())


@dataclass(frozen=True)
class Attribution:
    """A named source in a sentence's English: the name as written and where."""

    name: str
    start: int
    end: int

    def words(self) -> frozenset[str]:
        return frozenset(w for w in (_fold(x) for x in re.findall(r"\w+", self.name))
                         if len(w) > 2 and w not in _NOT_NAMES and w not in _LINKS)


_LINKS = frozenset(_LINK.strip("(?:)").split("|"))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def attributions(english: str | None) -> tuple[Attribution, ...]:
    """The named sources of a sentence's English, in order (none without English)."""
    if not english:
        return ()
    found: dict[tuple[int, int], Attribution] = {}
    for pattern in _PATTERNS:
        for m in pattern.finditer(english):
            a = Attribution(m.group("name"), m.start("name"), m.end("name"))
            if a.words() and not any(s <= a.start and a.end <= e for s, e in found):
                found[(a.start, a.end)] = a
    return tuple(sorted(found.values(), key=lambda a: a.start))


def source_differences(english_a: list[str | None], english_b: list[str | None]
                       ) -> list[tuple[int, Attribution, int, Attribution]]:
    """Where two linked sides (each: the English of its sentences, in order) name different
    sources: both name at least one and no name of one shares a word with a name of the other.
    At most one entry: (text of A, its first source, text of B, its first source)."""
    if not all(english_a) or not all(english_b):
        return []
    side_a = [(k, a) for k, t in enumerate(english_a) for a in attributions(t)]
    side_b = [(k, b) for k, t in enumerate(english_b) for b in attributions(t)]
    if not side_a or not side_b:
        return []
    if any(a.words() & b.words() for _, a in side_a for _, b in side_b):
        return []
    (ka, a), (kb, b) = side_a[0], side_b[0]
    return [(ka, a, kb, b)]
