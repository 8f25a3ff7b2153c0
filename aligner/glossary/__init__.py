"""The glossary: one concept per row, its canonical English, its source variants.

* :mod:`aligner.glossary.file` -- the CSV format: parse, check, write byte-preserving, lock;
* :mod:`aligner.glossary.enforce` -- match concepts, post-edit machine English, audit;
* :mod:`aligner.glossary.edit` -- add, remove, edit, import and export pairs;
* :mod:`aligner.glossary.suggest` -- new concepts proposed from a result.

The names below are the public surface; importing this package imports no model.
"""

from aligner.glossary.edit import add, edit, export_pairs, import_pairs, remove, show
from aligner.glossary.enforce import Matcher, apply, audit
from aligner.glossary.file import (
    DEFAULT_GLOSSARY,
    FALSE_WORDS,
    TRUE_WORDS,
    Concept,
    Glossary,
    Problem,
    check,
    load,
    locked,
    parse,
    write,
)

__all__ = [
    "DEFAULT_GLOSSARY", "FALSE_WORDS", "TRUE_WORDS", "Concept", "Glossary", "Matcher", "Problem",
    "add", "apply", "audit", "check", "edit", "export_pairs", "import_pairs", "load", "locked",
    "parse", "remove", "show", "write",
]
