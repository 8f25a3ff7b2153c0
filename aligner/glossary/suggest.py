"""Glossary suggestions from a result: linked sentences whose English differs on a phrase.

Public surface: :func:`suggest`.

For each link, the content phrases (1-3 words, no stop word at either end)
found in one side's English and not in the other's are compared.  Two such
phrases that end in the same word ("nuclear warheads" / "atomic warheads"), or
two proper names that are each the only one missing from the other side
("Department of Defense" / "Pentagon"), are proposed as one concept rendered
two ways.  Phrases already covered by a glossary concept are skipped.
"""

from __future__ import annotations

import re

from aligner.facts import names
from aligner.model import Result

_STOP = frozenset(
    "the a an of to in on at and or but is are was were be been has have had that this it its for with as by from "
    "will would not no said says say their they them he she his her which who also than more about over into".split()
)


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


def suggest(result: Result, glossary=None) -> list[str]:
    known = set()
    if glossary is not None:
        for c in glossary.concepts():
            known.update(f.lower() for f in (c.en, *c.accepted, *c.avoid))
    seen, out = set(), []
    for link in result.links:
        sides = []
        for m in link.members:
            english = " ".join(result.articles[m.article].sentences[i].english or "" for i in m.sentences)
            sides.append((m, english))
        if len(sides) != 2 or not all(e for _, e in sides):
            continue
        (ma, ea), (mb, eb) = sides
        pa, pb = _phrases(ea), _phrases(eb)
        only_a, only_b = pa - pb, pb - pa
        candidates = []
        for x in only_a:
            for y in only_b:
                xs, ys = x.split(), y.split()
                if xs[-1] == ys[-1] and len(xs) > 1 and len(ys) > 1 and xs[-1] not in _STOP:
                    candidates.append((x, y))
        na, nb = names(ea) - names(eb), names(eb) - names(ea)
        if len(na) == 1 and len(nb) == 1:
            candidates.append((next(iter(na)), next(iter(nb))))
        for x, y in candidates:
            if x.lower() in known or y.lower() in known or (x, y) in seen:
                continue
            seen.add((x, y))
            la, lb = (result.articles[m.article].lang for m in (ma, mb))
            out.append(
                f"'{x}' ({la} #{ma.sentences[0] + 1}) vs '{y}' ({lb} #{mb.sentences[0] + 1}): "
                f"one concept? e.g. aligner glossary add \"{x}\" --avoid \"{y}\" --variant {la}=... --variant {lb}=..."
            )
    return out
