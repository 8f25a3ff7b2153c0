"""What a run depends on: :class:`AlignConfig`.  A light module (no numpy, no models).

The CLI builds its options from these fields (``aligner.cli.options``): their
defaults and ``metadata["help"]`` are what ``--help`` shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aligner.align.params import AlignParams
from aligner.embed import DEFAULT_EMBEDDER
from aligner.errors import InputError
from aligner.translate import DEFAULT_BEAM_SIZE, DEFAULT_COMPUTE_TYPE

DEFAULT_CROSS_LINGUAL_WEIGHT = 0.5
TRANSLATORS = ("auto", "memory", "argos", "none")


def _help(text: str) -> dict:
    """Field metadata: the help text the CLI shows for the option of this field (``aligner.cli.options``)."""
    return {"help": text}


@dataclass(frozen=True)
class AlignConfig:
    """Everything a run depends on.  Paths are strings; ``None`` means "not used".

    The CLI builds its options from these fields: their defaults and ``help`` metadata
    are what ``--help`` shows (``aligner.cli.options``)."""

    paths: tuple[str, ...]
    langs: tuple[str | None, ...] = ()
    translator: str = field(default="auto", metadata=_help(
        "Where English comes from: auto takes the translation memory, then an installed model, else none."))
    memory: str | None = field(default=None, metadata=_help("Translation memory CSV (header lang,source,english)."))
    packages_dir: str | None = field(default=None, metadata=_help(
        "Models directory: argos packages and registered models (default: argostranslate's)."))
    device: str = field(default="cpu", metadata=_help("Translation models: CTranslate2 device."))
    threads: int = field(default=0, metadata=_help("Translation models: CPU threads (0: CTranslate2 decides)."))
    beam_size: int = field(default=DEFAULT_BEAM_SIZE, metadata=_help("Translation models: beam size."))
    compute_type: str = field(default=DEFAULT_COMPUTE_TYPE, metadata=_help(
        "Translation models: CTranslate2 compute type (int8, float32, ...)."))
    embedder: str = field(default=DEFAULT_EMBEDDER, metadata=_help(
        "English embedder: minilm (packaged), multilingual (e5 on source text only), or a sentence-transformers name/path."))
    cross_lingual_weight: float = field(default=DEFAULT_CROSS_LINGUAL_WEIGHT, metadata=_help(
        "Weight of the multilingual (source-text) margin averaged with the English one, 0-1."))
    glossary: str | None = field(default=None, metadata=_help("Glossary CSV."))
    glossary_found_in: str | None = None  # given, current folder or user config folder (aligner.glossary.find)
    cache_dir: str | None = field(default=None, metadata=_help(
        "Cache directory (default: $ALIGNER_CACHE_DIR or the user cache dir)."))
    use_cache: bool = True
    params: AlignParams = field(default_factory=AlignParams)
    progress: bool = False
    protect_terms: bool = True  # glossary terms go through machine translation as placeholders

    def __post_init__(self):
        if not 0.0 <= self.cross_lingual_weight <= 1.0:
            raise InputError(f"cross-lingual weight {self.cross_lingual_weight} is outside 0..1")
        if self.beam_size < 1 or self.threads < 0:
            raise InputError(f"beam size {self.beam_size} / threads {self.threads}: beam size must be >= 1, threads >= 0")
