"""Reviewing a result: link decisions kept in the result, and the terminal app that makes them.

* :mod:`aligner.review.decisions` -- accept, reject, add links; apply them; carry them into a re-run;
* :mod:`aligner.review.keys` -- the app's keys, one table for the footer, ``--help`` and the README;
* :mod:`aligner.review.stats` -- accepted and rejected scores over many results, a suggested threshold;
* :mod:`aligner.review.app` -- the Textual app, with its screens (``screens``) and rows (``rows_view``): the only modules that import Textual.

Importing this package imports neither Textual nor a model.
"""

from aligner.review.decisions import (
    MANUAL_SPACE,
    add_manual,
    apply_review,
    carry_decisions,
    decide,
    decide_refs,
    reapply_glossary,
    refs_of,
    review_marks,
    save,
    status,
    undo,
)

__all__ = [
    "MANUAL_SPACE", "add_manual", "apply_review", "carry_decisions", "decide", "decide_refs", "reapply_glossary",
    "refs_of", "review_marks", "save", "status", "undo",
]
