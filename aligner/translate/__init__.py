"""Source sentences -> English: translation memory, or a CTranslate2 model, or none.

Public surface (re-exported here; importing this package imports no model
library): :class:`EnglishText`, :func:`translate_articles`,
:func:`is_machine_translation`, :data:`TRANSLATOR_MODES`,
:class:`TranslationMemory`, :func:`normalise`, :class:`Ct2Translator` (the machine
translator behind ``--translator argos``), :data:`DEFAULT_BEAM_SIZE`, :data:`DEFAULT_COMPUTE_TYPE`.

Modules, in the order a sentence meets them:

* :mod:`~aligner.translate.english` -- the stage: memory first, then a model, cached, one batch per language;
* :mod:`~aligner.translate.memory` -- the hand-made translation memory;
* :mod:`~aligner.translate.placeholders` -- glossary terms protected through MT;
* :mod:`~aligner.translate.ct2` -- the one CTranslate2 backend;
* :mod:`~aligner.translate.families` -- per model family: files, tokens in, tokens out;
* :mod:`~aligner.translate.installed` -- argos packages and registered models, per language;
* :mod:`~aligner.translate.packages` -- verify, unpack with limits, install atomically;
* :mod:`~aligner.translate.download` -- http(s) only, with a byte limit;
* :mod:`~aligner.translate.modelfile` -- a CTranslate2 model checked without loading CTranslate2;
* :mod:`~aligner.translate.bpe` -- Moses + BPE tokenisation of argos BPE packages;
* :mod:`~aligner.translate.catalog` -- the pinned models shipped with aligner (``catalog.json``).
"""

from aligner.translate.ct2 import (
    DEFAULT_BEAM_SIZE,
    DEFAULT_COMPUTE_TYPE,
    DEFAULT_MAX_BATCH_TOKENS,
    DEFAULT_MAX_DECODING_LENGTH,
    Ct2Translator,
    Translated,
)
from aligner.translate.english import TRANSLATOR_MODES, EnglishText, is_machine_translation, translate_articles
from aligner.translate.memory import MEMORY_HEADER, TranslationMemory, normalise

__all__ = [
    "DEFAULT_BEAM_SIZE",
    "DEFAULT_COMPUTE_TYPE",
    "DEFAULT_MAX_BATCH_TOKENS",
    "DEFAULT_MAX_DECODING_LENGTH",
    "MEMORY_HEADER",
    "TRANSLATOR_MODES",
    "Ct2Translator",
    "EnglishText",
    "TranslationMemory",
    "Translated",
    "is_machine_translation",
    "normalise",
    "translate_articles",
]
