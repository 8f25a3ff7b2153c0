"""Link the sentences of comparable articles that state the same facts.

* :mod:`aligner.align.score` -- whole and part margins from sentence and clause vectors, blockwise;
* :mod:`aligner.align.links` -- competitive linking, merged sentences, 1-2/2-1 merges, evidence;
* :mod:`aligner.align.groups` -- one group per fact across N articles.
"""

from aligner.align.groups import group_links
from aligner.align.links import (
    DEFAULT_MERGE_GAIN,
    DEFAULT_MERGE_THRESHOLD,
    DEFAULT_NUMBER_BONUS,
    DEFAULT_THRESHOLD,
    AlignParams,
    PairLink,
    link_articles,
    link_pair,
)
from aligner.align.score import DEFAULT_K, ArticleVectors, Cell, PairScorer, Space, margin_scores, ratio_margin

__all__ = [
    "DEFAULT_K", "DEFAULT_MERGE_GAIN", "DEFAULT_MERGE_THRESHOLD", "DEFAULT_NUMBER_BONUS", "DEFAULT_THRESHOLD",
    "AlignParams", "ArticleVectors", "Cell", "PairLink", "PairScorer", "Space", "group_links", "link_articles",
    "link_pair", "margin_scores", "ratio_margin",
]
