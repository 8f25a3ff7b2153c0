"""A differing figure of the same quantity is evidence for a link, not against it.

Public surface: :func:`sentence_figures`, :func:`differing_evidence`.

Two sentences that give the same counted thing different values (59 people dead
against 63 people dead) most likely report the same fact and disagree on it: the
link should be made, so that the disagreement is shown.  A shared number raises a
link's score by ``number_bonus``; so does, here, a figure of the same quantity
with another value (at most one per pair, and only when the pair shares fewer
than the evidence cap).  Light: no numpy.
"""

from __future__ import annotations

from aligner.quantities import Quantity, same_quantity_differs, sentence_quantities

MAX_DIFFERING_EVIDENCE = 1


def sentence_figures(source: str, english: str | None, lang: str) -> tuple[Quantity, ...]:
    """The figures of one sentence with their roles (its English, else its source)."""
    return sentence_quantities(source, english, lang)


def differing_evidence(xs: tuple[Quantity, ...] | None, ys: tuple[Quantity, ...] | None) -> int:
    """How many figures of the same counted thing the two sentences give different values (capped)."""
    if not xs or not ys:
        return 0
    return min(same_quantity_differs(xs, ys), MAX_DIFFERING_EVIDENCE)
