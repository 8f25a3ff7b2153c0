"""The glossary: one concept per row, its canonical English, its source variants.

* :mod:`aligner.glossary.file` -- the CSV format: parse, check, write byte-preserving, lock;
* :mod:`aligner.glossary.enforce` -- match concepts, post-edit machine English, audit;
* :mod:`aligner.glossary.edit` -- add, remove, edit, import and export pairs;
* :mod:`aligner.glossary.suggest` -- new concepts proposed from a result.

The names below are the public surface; importing this package imports no model.
"""

from aligner.glossary.edit import add, edit, export_pairs, import_pairs, pairs_text, remove, show
from aligner.glossary.enforce import Matcher, apply, audit
from aligner.glossary.file import (
    DEFAULT_GLOSSARY,
    FALSE_WORDS,
    HEADER,
    TRUE_WORDS,
    Concept,
    Glossary,
    Problem,
    check,
    find,
    init,
    load,
    locked,
    norm_key,
    parse,
    user_glossary,
    write,
)

__all__ = [
    "DEFAULT_GLOSSARY", "FALSE_WORDS", "HEADER", "TRUE_WORDS", "Concept", "Glossary", "Matcher", "Problem",
    "add", "apply", "audit", "check", "edit", "export_pairs", "find", "import_pairs", "init", "load", "locked",
    "norm_key", "pairs_text", "parse", "remove", "show", "user_glossary", "write",
]
