"""The rows of the review screen, decided without Textual: shared facts, one-sided sentences, disagreements.

Public surface: :class:`Row`, :func:`build_rows`, :func:`row_status`, :func:`counts`.

The rows are built from the result as the reviewer sees it (manual links
added, rejected links kept so that they can be seen and undone):
``apply_review(result, keep_rejected=True)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.model import Result
from aligner.summary import Summary, summarise

SHARED, ONE_SIDED, DISAGREEMENT = "shared", "one-sided", "disagreement"


@dataclass(frozen=True)
class Row:
    kind: str  # SHARED, ONE_SIDED or DISAGREEMENT
    links: tuple[int, ...]  # indices into the shown result's links (none for a one-sided sentence)
    cells: tuple[tuple[int, ...], ...]  # per article, the sentences shown
    parts: tuple[tuple[int, int, tuple[int, int]], ...] = ()  # (article, sentence, span) matched parts
    parts_in: str = "english"
    score: float | None = None
    note: str = ""  # a disagreement: what differs


def _shared_row(summary: Summary, fact, kind: str = SHARED, note: str = "") -> Row:
    n = len(summary.result.articles)
    cells = [()] * n
    parts = []
    for side in fact.sides:
        cells[side.article] = tuple(s.index for s in side.sentences)
        parts += [(side.article, s.index, p) for s, p in zip(side.sentences, side.parts) if p is not None]
    return Row(kind, fact.group.links, tuple(cells), tuple(parts), fact.parts_in, fact.score, note)


def build_rows(shown: Result) -> tuple[Summary, list[Row]]:
    """The summary of ``shown`` and its rows: shared facts (best first), one-sided sentences
    (per article, in order), then the facts whose articles disagree."""
    from aligner.render.content import disagreements

    summary = summarise(shown)
    n = len(shown.articles)
    rows = [_shared_row(summary, fact) for fact in summary.shared]
    for a, only in enumerate(summary.only):
        for s in only:
            rows.append(Row(ONE_SIDED, (), tuple((s.index,) if k == a else () for k in range(n))))
    for d in disagreements(summary):
        note = "; ".join(f"{kind}: " + " | ".join(", ".join(v) or "(none)" for v in values) for kind, values in d.kinds)
        rows.append(_shared_row(summary, d.fact, DISAGREEMENT, note))
    return summary, rows


def row_status(marks: dict[int, str], row: Row) -> str | None:
    """The verdict on a row's links (``marks``: :func:`~aligner.review.decisions.review_marks` of the
    shown result): one verdict when they agree, ``"mixed"`` when not, None when none."""
    found = {marks.get(n) for n in row.links}
    if not found or found == {None}:
        return None
    if len(found) == 1:
        return found.pop()
    return "mixed"


def counts(shown: Result) -> dict[str, int]:
    review = shown.review
    return {v: len(getattr(review, v)) if review else 0 for v in ("accepted", "rejected", "manual")}
