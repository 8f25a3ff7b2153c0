"""Glossary suggestions from a result: linked sentences whose English differs on a phrase.

Public surface: :class:`Suggestion`, :func:`suggest`.

For each link, the content phrases (1-3 words, no stop word at either end)
found in one side's English and not in the other's are compared.  Two such
phrases that end in the same word ("nuclear warheads" / "atomic warheads"), or
two proper names that are each the only one missing from the other side
("Department of Defense" / "Pentagon"), are candidates for one concept rendered
two ways.  A candidate is proposed only when each side's phrase is real text
of that side's article (its source sentence, as written; an English article's
own text): those are the variants, so the proposal is a glossary row that
matches what the articles say.  Phrases already covered by a concept are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.facts import names
from aligner.model import Result

_STOP = frozenset(
    "the a an of to in on at and or but is are was were be been has have had that this it its for with as by from "
    "will would not no said says say their they them he she his her which who also than more about over into "
    "us we our you i since then".split()
)


@dataclass(frozen=True)
class Suggestion:
    """One proposed concept: ``en`` canonical, ``avoid`` the other side's English, ``variants`` per language."""

    en: str
    avoid: str
    variants: tuple[tuple[str, str], ...]  # (lang, text as written in the article)
    where: tuple[tuple[str, int], ...]  # (lang, 1-based sentence number) of each side


def _phrases(text: str) -> set[str]:
    words = re.findall(r"[\w-]+", text.lower())
    out = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if gram[0] in _STOP or gram[-1] in _STOP or any(w.isdigit() for w in gram):
                continue
            out.add(" ".join(gram))
    return out


def _written(text: str, phrase: str) -> str | None:
    """``phrase`` as ``text`` writes it (same words, any case), or None when it is not there."""
    words = [re.escape(w) for w in phrase.split()]
    m = re.search(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", text, re.IGNORECASE)
    return m.group(0) if m else None


def _name_in(text: str, name: str) -> str:
    """The longest tail of ``name`` that ``text`` writes ("Joko Widodo" of "President Joko Widodo"), else ``name``."""
    words = name.split()
    for start in range(len(words)):
        if _written(text, " ".join(words[start:])):
            return " ".join(words[start:])
    return name


def suggest(result: Result, glossary=None) -> list[Suggestion]:
    known = set()
    if glossary is not None:
        for c in glossary.concepts():
            known.update(f.lower() for f in (c.en, *c.accepted, *c.avoid))
    seen, out = set(), []
    for link in result.links:
        sides = []
        for m in link.members:
            article = result.articles[m.article]
            english = " ".join(article.sentences[i].english or "" for i in m.sentences)
            source = " ".join(article.sentences[i].text for i in m.sentences)
            sides.append((m, article.lang, english, source))
        if len(sides) != 2 or not all(e for _, _, e, _ in sides):
            continue
        (ma, la, ea, sa), (mb, lb, eb, sb) = sides
        pa, pb = _phrases(ea), _phrases(eb)
        only_a, only_b = pa - pb, pb - pa
        candidates = []
        for x in sorted(only_a):
            for y in sorted(only_b):
                xs, ys = x.split(), y.split()
                if xs[-1] == ys[-1] and len(xs) > 1 and len(ys) > 1:
                    candidates.append((x, y))
        only_a, only_b = names(ea) - names(eb), names(eb) - names(ea)
        if len(only_a) == 1 and len(only_b) == 1:
            # a title before a name ("President Joko Widodo") is rarely written the same way: the name is
            candidates.append((_name_in(sa, next(iter(only_a))), _name_in(sb, next(iter(only_b)))))
        for x, y in candidates:
            if x.lower() in known or y.lower() in known or (x.lower(), y.lower()) in seen:
                continue
            written_a, written_b = _written(sa, x), _written(sb, y)
            if written_a is None or written_b is None:
                continue  # not what the articles write: no variant to give
            seen.add((x.lower(), y.lower()))
            variants = tuple((lang, w) for lang, w in ((la, written_a), (lb, written_b)) if lang != "en")
            if not variants:
                continue
            en = _written(ea, x) or x
            out.append(Suggestion(en, _written(eb, y) or y, variants, ((la, ma.sentences[0] + 1), (lb, mb.sentences[0] + 1))))
    return out
