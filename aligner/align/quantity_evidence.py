"""A differing figure of the same quantity is evidence for a link, not against it.

Public surface: :func:`sentence_figures`, :func:`differing_evidence`, :func:`restatement`.

Two sentences that give the same counted thing different values (59 people dead
against 63 people dead) most likely report the same fact and disagree on it: the
link should be made, so that the disagreement is shown.  A shared number raises a
link's score by ``number_bonus``; so does, here, a figure of the same quantity
with another value (at most one per pair, and only when the pair shares fewer
than the evidence cap).  Light: no numpy.
"""

from __future__ import annotations

from aligner.quantities import (Quantity, link_differences, same_quantity_differs,
                                 sentence_quantities)

MAX_DIFFERING_EVIDENCE = 1


def sentence_figures(source: str, english: str | None, lang: str) -> tuple[Quantity, ...]:
    """The figures of one sentence with their roles (its English, else its source)."""
    return sentence_quantities(source, english, lang)


def differing_evidence(xs: tuple[Quantity, ...] | None, ys: tuple[Quantity, ...] | None) -> int:
    """How many figures of the same counted thing the two sentences give different values (capped)."""
    if not xs or not ys:
        return 0
    return min(same_quantity_differs(xs, ys), MAX_DIFFERING_EVIDENCE)


def restatement(quantities: tuple[list, list]):
    """A test of candidate pairs, per article the figures of each sentence: does pair ``c`` (a
    cell of :mod:`aligner.align.score`) give another value of a figure that its linked sentence
    (on ``side``) states in the part matched and that one of its ``partners`` states too?  (A
    headline's 834 dead against 832 in a clause that the article's lede, its partner, also puts
    at 832.)"""
    def restates(c, side: str, partners: list[int]) -> bool:
        xs, ys = quantities[0][c.i], quantities[1][c.j]
        found = link_differences([xs], [ys], [], [], c.part_a, c.part_b, c.space == "english")
        own, others = (xs, quantities[1]) if side == "a" else (ys, quantities[0])
        for m in found:
            if m.severity != "hard":
                continue
            span = m.a if side == "a" else m.b
            where = (span[0], span[1], span[3])
            x = next((q for q in own if (q.start, q.end, q.in_english) == where), None)
            stated = (q.readings() for k in partners for q in others[k])
            if x is not None and any(x.readings() & r for r in stated):
                return True
        return False
    return restates
