"""Link the sentences of comparable articles that state the same facts.

* :mod:`aligner.align.score` -- similarity and margin matrices from sentence vectors;
* :mod:`aligner.align.links` -- competitive linking, merges, evidence.
"""

from aligner.align.links import (
    DEFAULT_MERGE_GAIN,
    DEFAULT_MERGE_THRESHOLD,
    DEFAULT_NUMBER_BONUS,
    DEFAULT_THRESHOLD,
    AlignParams,
    PairLink,
    align_pair,
    link_articles,
)
from aligner.align.score import DEFAULT_K, ArticleVectors, PairScores, margin_scores, pair_scores, ratio_margin

__all__ = [
    "DEFAULT_K", "DEFAULT_MERGE_GAIN", "DEFAULT_MERGE_THRESHOLD", "DEFAULT_NUMBER_BONUS", "DEFAULT_THRESHOLD",
    "AlignParams", "ArticleVectors", "PairLink", "PairScores", "align_pair", "link_articles", "margin_scores",
    "pair_scores", "ratio_margin",
]
