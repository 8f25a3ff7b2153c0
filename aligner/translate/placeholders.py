"""Glossary terms protected through machine translation.

Public surface: :class:`Term`, :class:`Slot`, :class:`TermIndex`,
:func:`protect`, :func:`restore`, :func:`contains_term`, :data:`PLACEHOLDER`.

Before translation, each source variant of a glossary term found in a
sentence is replaced by a numbered placeholder (``XTERM0X``, ``XTERM1X``, ...)
that a translation model copies through like an unknown name; after
translation each placeholder is replaced by the term's canonical English.
``restore`` reports the placeholders that did not come back, so the caller
can retry the sentence and flag what is still missing -- a miss is never
hidden.

Why ``XTERM0X``: it is plain ASCII letters and digits, so every SentencePiece
and BPE vocabulary of the supported model families splits it into known
pieces (no ``<unk>``), Moses tokenisation keeps it one word, and it reads as
a name no language translates.  Bracketed forms such as ``⟨T0⟩`` become
``<unk>`` in the small test vocabularies and in many real ones.  The test
suite checks the round trip through every family's tokeniser.

Matching follows the glossary's rules without importing it: variants are
literal text matched on word boundaries after NFC normalisation, case-folded
unless the term is case-sensitive; where variants overlap, the leftmost
longest wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

PLACEHOLDER = "XTERM{}X"
# what comes back from a model: case and inner spaces may change ("Xterm 0X")
# (a plural "s" a model glued to it is kept: "500 XTERM0Xs" -> "500 nuclear warheads")
_RETURNED = re.compile(r"X\s?TERM\s?(\d{1,3})\s?X(s\b)?", re.IGNORECASE)
_WORD = re.compile(r"\w+")
MAX_TERM_WORDS = 24


class Term(NamedTuple):
    """One source variant of a glossary concept for one language."""

    source: str
    english: str
    case_sensitive: bool = False
    avoid: tuple[str, ...] = ()  # English renderings known to be wrong


@dataclass(frozen=True)
class Slot:
    """One protected span of a sentence."""

    placeholder: str
    source: str  # the text it replaced
    english: str  # the canonical English it becomes
    avoid: tuple[str, ...] = ()


def _key(words: Iterable[str], case_sensitive: bool) -> str:
    joined = " ".join(words)
    return joined if case_sensitive else joined.casefold()


class TermIndex:
    """The terms of one language, indexed by word n-gram; built once, used per sentence."""

    def __init__(self, terms: Iterable[Sequence]):
        self.exact: dict[str, Term] = {}
        self.folded: dict[str, Term] = {}
        self.longest = 0
        for raw in terms:
            term = Term(*raw)
            words = _WORD.findall(unicodedata.normalize("NFC", term.source))
            if not words or len(words) > MAX_TERM_WORDS or not term.english.strip():
                continue
            table = self.exact if term.case_sensitive else self.folded
            table.setdefault(_key(words, term.case_sensitive), term)
            self.longest = max(self.longest, len(words))

    def __bool__(self) -> bool:
        return self.longest > 0

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """Leftmost-longest matches in ``text`` (NFC): (start, end, term)."""
        words = list(_WORD.finditer(text))
        tokens = [m.group(0) for m in words]
        found, i = [], 0
        while i < len(tokens):
            for n in range(min(self.longest, len(tokens) - i), 0, -1):
                gram = tokens[i : i + n]
                term = self.exact.get(_key(gram, True)) or self.folded.get(_key(gram, False))
                if term is not None:
                    found.append((words[i].start(), words[i + n - 1].end(), term))
                    i += n
                    break
            else:
                i += 1
        return found


def protect(text: str, terms: TermIndex | Iterable[Sequence]) -> tuple[str, tuple[Slot, ...]]:
    """``text`` with every term variant replaced by a placeholder, and the slots to restore.

    Text without a term comes back unchanged (not even normalised).
    """
    index = terms if isinstance(terms, TermIndex) else TermIndex(terms)
    if not index:
        return text, ()
    nfc = unicodedata.normalize("NFC", text)
    matches = index.find(nfc)
    if not matches:
        return text, ()
    parts, slots, last = [], [], 0
    by_english: dict[str, Slot] = {}
    for start, end, term in matches:
        slot = by_english.get(term.english)
        if slot is None:  # one placeholder per concept, however often it occurs
            slot = Slot(PLACEHOLDER.format(len(slots)), nfc[start:end], term.english, tuple(term.avoid))
            by_english[term.english] = slot
            slots.append(slot)
        parts += [nfc[last:start], slot.placeholder]
        last = end
    parts.append(nfc[last:])
    return "".join(parts), tuple(slots)


def restore(english: str, slots: Sequence[Slot]) -> tuple[str, tuple[Slot, ...]]:
    """Placeholders replaced by their canonical English; the slots that did not come back."""
    if not slots:
        return english, ()
    by_number = {int(_RETURNED.match(s.placeholder).group(1)): s for s in slots}
    seen: set[int] = set()

    def put_back(m: re.Match) -> str:
        number = int(m.group(1))
        slot = by_number.get(number)
        if slot is None:  # a placeholder the model made up: drop it
            return ""
        seen.add(number)
        english = slot.english + (m.group(2) or "")
        if m.start() == 0 and english[:1].islower():
            return english[:1].upper() + english[1:]
        return english

    restored = _RETURNED.sub(put_back, english)
    restored = re.sub(r" {2,}", " ", restored).strip()
    missing = tuple(s for n, s in sorted(by_number.items()) if n not in seen)
    return restored, missing


def contains_term(english: str, term_english: str) -> bool:
    """Whether ``english`` holds ``term_english`` on word boundaries (case-insensitive)."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", term_english.strip()) if w]
    if not words:
        return False
    return re.search(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)", english, re.IGNORECASE) is not None
