"""``aligner review --stats DIR``: the scores of accepted and rejected links over reviewed results,
and the threshold that would have kept the most accepted and dropped the most rejected.

Public surface: :class:`ReviewStats`, :func:`collect`, :func:`suggest_threshold`, :func:`stats_lines`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError, ResultError


@dataclass(frozen=True)
class ReviewStats:
    results: int  # reviewed results read
    accepted: tuple[float, ...]  # scores of accepted links (the aligner's; manual links have none)
    rejected: tuple[float, ...]
    manual: int  # links reviewers added
    skipped: tuple[str, ...] = ()  # files that are not readable results, one line each


def collect(folder: str | Path) -> ReviewStats:
    """Every ``*.json`` under ``folder`` that is a result with a review."""
    from aligner.result import read_json
    from aligner.review.decisions import review_marks

    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{folder}: not a folder")
    accepted, rejected, skipped = [], [], []
    results = manual = 0
    for path in sorted(root.rglob("*.json")):
        try:
            result = read_json(path)
        except ResultError as e:
            skipped.append(str(e))
            continue
        if result.review is None:
            continue
        results += 1
        manual += len(result.review.manual)
        for n, verdict in review_marks(result).items():
            if verdict == "accepted":
                accepted.append(result.links[n].score)
            elif verdict == "rejected":
                rejected.append(result.links[n].score)
    return ReviewStats(results, tuple(accepted), tuple(rejected), manual, tuple(skipped))


def suggest_threshold(accepted, rejected) -> tuple[float, int, int] | None:
    """The threshold with the fewest mistakes (accepted below it + rejected at or above it),
    half way between two neighbouring scores; ties go to the lower threshold.
    Returns (threshold, accepted kept, rejected dropped), or None without both kinds."""
    if not accepted or not rejected:
        return None
    scores = sorted(set(accepted) | set(rejected))
    candidates = [scores[0] - 0.01] + [(x + y) / 2 for x, y in zip(scores, scores[1:])] + [scores[-1] + 0.01]
    best = None
    for t in candidates:
        kept = sum(s >= t for s in accepted)
        dropped = sum(s < t for s in rejected)
        mistakes = len(accepted) - kept + len(rejected) - dropped
        if best is None or mistakes < best[0]:
            best = (mistakes, round(t, 4), kept, dropped)
    return best[1], best[2], best[3]


def _figures(scores) -> str:
    if not scores:
        return "none"
    return (f"{len(scores)}, scores min {min(scores):.3f}, median {statistics.median(scores):.3f}, "
            f"max {max(scores):.3f}")


def stats_lines(stats: ReviewStats, current: float | None = None) -> list[str]:
    """The summary as lines: counts and score figures, then the suggested threshold."""
    lines = [
        f"reviewed results: {stats.results}",
        f"accepted links: {_figures(stats.accepted)}",
        f"rejected links: {_figures(stats.rejected)}",
        f"manual links: {stats.manual}",
    ]
    found = suggest_threshold(stats.accepted, stats.rejected)
    if found is None:
        lines.append("suggested threshold: none (needs both accepted and rejected links)")
    else:
        t, kept, dropped = found
        lines.append(f"suggested threshold: {t:.3f} (keeps {kept} of {len(stats.accepted)} accepted, "
                     f"drops {dropped} of {len(stats.rejected)} rejected)")
        if current is not None:
            kept_now = sum(s >= current for s in stats.accepted)
            dropped_now = sum(s < current for s in stats.rejected)
            lines.append(f"at the threshold {current:.3f}: keeps {kept_now} of {len(stats.accepted)} accepted, "
                         f"drops {dropped_now} of {len(stats.rejected)} rejected")
    return lines
