"""What the viewer and the report show, decided once for both renderers.

Public surface: :func:`shown`, :class:`Disagreement`, :func:`disagreements`,
:func:`dropped_lines`, :func:`evidence_line`, :func:`fact_text`, :func:`number_forms`,
:func:`written`, :func:`short_path`, :func:`without_english`, :class:`ReviewMark`,
:func:`review_marks`, :func:`review_line`.

The terminal viewer and the markdown report differ in how they draw, not in
what they say: a sentence without English shows its own text, marked with its
language; the facts of one pair of sentences that disagree are one entry with
every way they differ; a link's evidence reads the same in both; a reviewed
link carries the same mark (``✓ reviewed``, ``+ added by ann``) in all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.model import Evidence, Sentence
from aligner.summary import SharedFact, Summary

EVIDENCE_WORDS = 4  # the rarest shared words listed (all of them are marked in the viewer)


def shown(sentence: Sentence) -> tuple[str, bool]:
    """The text that stands for ``sentence``, and whether it is the source text.

    A sentence without English is shown as written (``True``): a reader without
    a translation model still sees every sentence, marked with its language,
    instead of an empty cell.
    """
    if sentence.english is None:
        return sentence.text, True
    return sentence.english, False


def without_english(summary: Summary) -> str:
    """A note on the sentences without English, which are shown as written; empty when all have English."""
    articles = summary.result.articles
    missing = sum(s.english is None for a in articles for s in a.sentences)
    if not missing:
        return ""
    tags = " ".join(f"[{a.lang}]" for a in articles if any(s.english is None for s in a.sentences))
    total = sum(len(a.sentences) for a in articles)
    return f"{missing} of {total} sentences have no English: shown as written, marked {tags}"


def dropped_lines(summary: Summary) -> list[str]:
    """What was removed from each article as boilerplate, one line per span (for the provenance)."""
    return [f"[{i + 1}] dropped {d.end - d.start} characters: {d.reason}"
            for i, a in enumerate(summary.result.articles) for d in a.dropped]


def fact_text(fact: SharedFact) -> str:
    """What the sentences of ``fact`` show, as one string (to find its numbers in)."""
    return " ".join(shown(s)[0] for side in fact.sides for s in side.sentences)


@dataclass(frozen=True)
class Disagreement:
    """One pair of sentences (a shared fact) and every way its articles differ.

    ``kinds`` holds, per kind of difference, the values of each side of the
    fact (``fact.sides`` order).  The renderers read only this class, so a
    richer conflict model changes :func:`disagreements` and nothing else.
    """

    fact: SharedFact
    kinds: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]

    def lines(self, side: int) -> list[tuple[str, str]]:
        """(kind, values) of side ``side``, one per kind: ``("quantity", "about 500")``."""
        return [(kind, ", ".join(values[side]) or "(none)") for kind, values in self.kinds]

    def values(self, side: int) -> list[str]:
        """Every value side ``side`` states, to mark in its sentences."""
        return [v for _, values in self.kinds for v in values[side]]


def disagreements(summary: Summary) -> tuple[Disagreement, ...]:
    """The summary's conflicts, one entry per shared fact, in the order of the facts."""
    by_fact: dict[int, list] = {}
    facts: dict[int, SharedFact] = {}
    for c in summary.conflicts:  # hard pairs first (the summary's order); a soft difference says so
        kind = c.kind if getattr(c, "severity", "hard") == "hard" else f"{c.kind} (soft)"
        by_fact.setdefault(id(c.fact), []).append((kind, c.values))
        facts[id(c.fact)] = c.fact
    return tuple(Disagreement(facts[key], tuple(kinds)) for key, kinds in by_fact.items())


def number_forms(value: str) -> list[str]:
    """How a canonical number may be written: 1000 -> 1000, 1,000, 1.000."""
    if not (value.isdigit() and len(value) > 3):
        return [value]
    grouped = f"{int(value):,}"
    return [value, grouped, grouped.replace(",", ".")]


def written(value: str, text: str) -> str:
    """The canonical number ``value`` as ``text`` writes it (``1,000``, but ``2030``)."""
    for form in number_forms(value)[::-1]:
        if form in text and re.search(rf"(?<![\w.,]){re.escape(form)}(?!\w)", text):
            return form
    return value


def evidence_line(evidence: Evidence, text: str) -> str:
    """A link's evidence in words: ``shared: numbers 500, 1,000; terms Pentagon; words warhead``.

    Numbers are written as ``text`` (the link's sentences) writes them.  Empty
    when the link has no evidence but its score.
    """
    items = []
    if evidence.numbers:
        items.append("numbers " + ", ".join(written(v, text) for v in evidence.numbers))
    if evidence.terms:
        items.append("terms " + ", ".join(evidence.terms))
    if evidence.words:
        items.append("words " + ", ".join(evidence.words[:EVIDENCE_WORDS]))
    return "shared: " + "; ".join(items) if items else ""


def short_path(path: str, room: int) -> str:
    """``path`` in at most ``room`` characters, shortened from the left at a folder: ``…/id-arms-talks.txt``.

    The file name is what tells articles apart, so it is kept whole when it fits.
    """
    if len(path) <= room:
        return path
    parts = path.replace("\\", "/").split("/")
    for k in range(1, len(parts)):
        tail = "…/" + "/".join(parts[k:])
        if len(tail) <= room:
            return tail
    return "…" + path[-(room - 1):] if room > 1 else "…"


# -- review marks (the result a renderer gets is the reviewed one: rejected links already left out)

ACCEPTED_MARK = "✓ reviewed"
ADDED_MARK = "+ added by {by}"
ADDED_ANONYMOUS = "+ added in review"


@dataclass(frozen=True)
class ReviewMark:
    """What a shared fact shows of its review: ``verdict`` ("accepted" or "manual") for the style, ``text`` to print."""

    verdict: str
    text: str


def review_marks(summary: Summary) -> tuple[tuple[ReviewMark, ...], ...]:
    """Per shared fact (``summary.shared`` order), its review marks; empty for a fact nobody reviewed.

    A fact whose links were all accepted shows ``✓ reviewed``; when only some
    were, ``✓ reviewed (1 of 2 links)``.  A link a reviewer added shows
    ``+ added by <who>`` (``+ added in review`` when the decision names nobody).
    """
    result = summary.result
    if result.review is None:
        return tuple(() for _ in summary.shared)
    from aligner.review.decisions import refs_of, review_marks as verdicts_of

    verdicts = verdicts_of(result)
    added_by = {d.key(): d.by for d in result.review.manual}
    out = []
    for fact in summary.shared:
        made = [n for n in fact.group.links if verdicts.get(n) != "manual"]
        accepted = sum(verdicts.get(n) == "accepted" for n in made)
        marks = []
        if accepted:
            whole = accepted == len(made)
            marks.append(ReviewMark("accepted", ACCEPTED_MARK + ("" if whole else f" ({accepted} of {len(made)} links)")))
        names = dict.fromkeys(added_by.get(frozenset(refs_of(result, result.links[n])), "")
                              for n in fact.group.links if verdicts.get(n) == "manual")
        if names:
            named = ", ".join(n for n in names if n)
            marks.append(ReviewMark("manual", ADDED_MARK.format(by=named) if named else ADDED_ANONYMOUS))
        out.append(tuple(marks))
    return tuple(out)


def review_line(summary: Summary) -> str:
    """The review in one line for the provenance: ``Review: 3 accepted, 1 rejected, 1 added by ann``;
    empty for a result nobody reviewed."""
    review = summary.result.review
    if review is None:
        return ""
    added: dict[str, int] = {}
    for d in review.manual:
        added[d.by] = added.get(d.by, 0) + 1
    manual = ", ".join(f"{n} added" + (f" by {by}" if by else "") for by, n in added.items()) or "0 added"
    return f"Review: {len(review.accepted)} accepted, {len(review.rejected)} rejected, {manual}"
