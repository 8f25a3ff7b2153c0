"""Link the sentences of comparable articles that state the same facts.

* :mod:`aligner.align.params` -- the parameters of linking and their defaults (no numpy);
* :mod:`aligner.align.score` -- whole and part margins from sentence and clause vectors, blockwise;
* :mod:`aligner.align.links` -- competitive linking, merged sentences, 1-2/2-1 merges, evidence;
* :mod:`aligner.align.groups` -- one group per fact across N articles.

The names below load their module on first use (PEP 562), so reading a result
(which needs only :func:`group_links`) does not import numpy.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "group_links": "groups",
    "DEFAULT_MERGE_GAIN": "params",
    "DEFAULT_MERGE_THRESHOLD": "params",
    "DEFAULT_NUMBER_BONUS": "params",
    "DEFAULT_THRESHOLD": "params",
    "AlignParams": "params",
    "PairLink": "links",
    "link_articles": "links",
    "link_pair": "links",
    "DEFAULT_K": "params",
    "ArticleVectors": "score",
    "Cell": "score",
    "PairScorer": "score",
    "Space": "score",
    "margin_scores": "score",
    "ratio_margin": "score",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
