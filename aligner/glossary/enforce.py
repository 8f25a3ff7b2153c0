"""Glossary enforcement: find concepts in source sentences, post-edit and audit the English.

Public surface: :class:`Matcher`, :func:`apply`, :func:`audit`, :func:`norm_key`.

Variants are literal text, never patterns.  They match on word boundaries after
NFC normalisation; where two variants overlap, the longest wins.  English forms
(canonical, accepted, avoid) also match their plural (``warheads``).
"""

from __future__ import annotations

import re
import unicodedata

from aligner.glossary.file import Concept, Glossary, norm_key
from aligner.model import GlossaryHit

_WORD = re.compile(r"\w+")
MAX_VARIANT_WORDS = 24
PLURAL_SUFFIX = r"(?P<suffix>s|es|'s|’s)?"


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


class Matcher:
    """Finds concepts in source sentences: word n-gram lookup, leftmost-longest.

    Cost is O(words x longest variant) dictionary lookups per sentence,
    independent of the glossary's size.
    """

    def __init__(self, concepts: list[Concept]):
        self.concepts = concepts
        self.by_lang: dict[str, tuple[dict, dict, int]] = {}
        self.first_words: dict[str, set[str]] = {}  # per language: first words of variants (exact and folded)
        for c in concepts:
            for lang, variants in c.variants.items():
                exact, folded, longest = self.by_lang.setdefault(lang, ({}, {}, 0))
                for v in variants:
                    n = len(_words(v))
                    if n == 0 or n > MAX_VARIANT_WORDS:
                        continue
                    key = norm_key(v, c.case)
                    (exact if c.case else folded).setdefault(key, c)
                    self.first_words.setdefault(lang, set()).add(key.split(" ", 1)[0])
                    longest = max(longest, n)
                self.by_lang[lang] = (exact, folded, longest)
        self._english: dict[str, re.Pattern] = {}
        self._avoid: dict[str, re.Pattern] = {}

    @classmethod
    def from_glossary(cls, glossary: Glossary) -> "Matcher":
        """The matcher of every concept of ``glossary``."""
        return cls(glossary.concepts())

    def find(self, text: str, lang: str) -> list[tuple[Concept, str]]:
        """Concepts whose variants occur in ``text``, with the matched text."""
        if lang not in self.by_lang or lang not in self.first_words:
            return []  # no concept, or none with a variant that can be matched (all over the word limit or wordless)
        exact, folded, longest = self.by_lang[lang]
        first = self.first_words[lang]
        text = unicodedata.normalize("NFC", text)
        words = _words(text)
        tokens = [m.group(0) for m in words]
        lowered = [t.casefold() for t in tokens]
        found, i = [], 0
        while i < len(tokens):
            if tokens[i] not in first and lowered[i] not in first:
                i += 1
                continue
            hit = None
            for n in range(min(longest, len(tokens) - i), 0, -1):
                c = exact.get(" ".join(tokens[i : i + n])) if exact else None
                if c is None:
                    c = folded.get(" ".join(lowered[i : i + n]))
                if c is not None:
                    hit = (c, n)
                    break
            if hit:
                c, n = hit
                found.append((c, text[words[i].start() : words[i + n - 1].end()]))
                i += n
            else:
                i += 1
        return found

    def english_pattern(self, c: Concept) -> re.Pattern:
        if c.en not in self._english:
            self._english[c.en] = phrase_pattern((c.en, *c.accepted), c.case)
        return self._english[c.en]

    def avoid_pattern(self, c: Concept) -> re.Pattern | None:
        if not c.avoid:
            return None
        if c.en not in self._avoid:
            self._avoid[c.en] = phrase_pattern(c.avoid, c.case)
        return self._avoid[c.en]


def phrase_pattern(forms, case: bool) -> re.Pattern:
    """Any of ``forms`` (longest first), with any white space or hyphen between words, plural allowed."""
    alts = []
    for f in sorted(forms, key=len, reverse=True):
        parts = [re.escape(w) for w in re.split(r"[\s-]+", f.strip()) if w]
        alts.append(r"[\s-]+".join(parts))
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")" + PLURAL_SUFFIX + r"(?!\w)", 0 if case else re.IGNORECASE)


def apply(
    matcher: Matcher, lang: str, source: str, english: str | None, rewrite: bool
) -> tuple[str | None, tuple[GlossaryHit, ...]]:
    """Check one sentence's English against the glossary.

    ``rewrite`` (machine translation): replace ``avoid`` renderings, singular or
    plural, with the canonical term in the same number.  Otherwise (memory,
    original English) only audit.  Returns the (possibly edited) English and one
    hit per concept found.
    """
    hits = []
    seen = set()
    for concept, variant in matcher.find(source, lang):
        if concept.en in seen:
            continue
        seen.add(concept.en)
        if english is None:
            hits.append(GlossaryHit(concept.en, variant, "untranslated"))
            continue
        if matcher.english_pattern(concept).search(english):
            hits.append(GlossaryHit(concept.en, variant, "ok"))
            continue
        changed = []
        avoid = matcher.avoid_pattern(concept) if rewrite else None
        if avoid is not None:

            def canonical(m: re.Match) -> str:
                new = concept.en + (m.group("suffix") or "")
                changed.append(f"{m.group(0)} -> {new}")
                return new

            english = avoid.sub(canonical, english)
        if changed and matcher.english_pattern(concept).search(english):
            hits.append(GlossaryHit(concept.en, variant, "post-edited", tuple(changed)))
        else:
            hits.append(GlossaryHit(concept.en, variant, "violation", tuple(changed)))
    return english, tuple(hits)


def audit(matcher: Matcher, sentences: list[tuple[int, int, str | None, tuple[GlossaryHit, ...]]]) -> list[dict]:
    """Concepts rendered in more than one way across all sentences.

    ``sentences`` holds (article, sentence, english, hits).  A concept's
    rendering in a sentence is the canonical term when present, else the
    ``avoid`` form found, else ``(missing)``.
    """
    by_concept = {c.en: c for c in matcher.concepts}
    renderings: dict[str, dict[str, list]] = {}
    for a, s, english, hits in sentences:
        for hit in hits:
            if english is None:
                continue
            c = by_concept[hit.concept]
            if matcher.english_pattern(c).search(english):
                form = "canonical"
            else:
                avoid = matcher.avoid_pattern(c)
                found = avoid.search(english) if avoid else None
                form = found.group(0) if found else "(missing)"
            renderings.setdefault(hit.concept, {}).setdefault(form, []).append([a, s])
    return [{"concept": concept, "renderings": forms} for concept, forms in sorted(renderings.items()) if len(forms) > 1]
