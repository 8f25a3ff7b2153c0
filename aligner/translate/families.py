"""Model families: how each kind of CTranslate2 model turns text into tokens and back.

Public surface: :func:`register_family`, :func:`family`, :func:`family_names`,
:func:`detect_families`, :class:`Family`, :func:`nllb_code`.

One small class per family, registered by name with :func:`register_family`
(the shape of CTranslate2's own ``register_loader``).  A family knows which
files its directory holds (``detect``/``check``, no heavy import), how to
tokenise a source sentence, which target prefix to force, and how to turn the
output tokens back into text.  ``sentencepiece`` and ``sacremoses`` are
imported only in :meth:`Family.load`.

=====================  ==========================================  ============================
family                 files beside the CTranslate2 model          source / target tokens
=====================  ==========================================  ============================
argos-sentencepiece    argos package: sentencepiece.model, model/  pieces / argos target_prefix
argos-bpe              argos package: bpe.model, model/            Moses + BPE ``@@`` pieces
marian                 source.spm, target.spm (OPUS-MT)            pieces + ``</s>``
m2m100                 sentencepiece.bpe.model                     ``__vi__`` pieces ``</s>`` / ``__en__``
nllb                   sentencepiece.bpe.model                     ``vie_Latn`` pieces ``</s>`` / ``eng_Latn``
t5                     spiece.model (MADLAD-400)                   ``<2en>`` pieces ``</s>``
=====================  ==========================================  ============================
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from aligner.errors import PackageError, TranslationError
from aligner.translate.modelfile import VOCABULARY_FILES, check_model_dir, read_vocabulary

_FAMILIES: dict[str, type["Family"]] = {}

# ISO 639-1 -> NLLB-200 (FLORES-200) codes, for the languages this tool meets
NLLB_CODES = {
    "en": "eng_Latn", "vi": "vie_Latn", "id": "ind_Latn", "ms": "zsm_Latn", "tl": "tgl_Latn",
    "th": "tha_Thai", "km": "khm_Khmr", "lo": "lao_Laoo", "my": "mya_Mymr", "zh": "zho_Hans",
    "ja": "jpn_Jpan", "ko": "kor_Hang", "fr": "fra_Latn", "de": "deu_Latn", "es": "spa_Latn",
    "pt": "por_Latn", "ru": "rus_Cyrl", "ar": "arb_Arab", "hi": "hin_Deva",
}


def register_family(name: str):
    """Register a :class:`Family` subclass under ``name``."""

    def decorator(cls):
        cls.name = name
        _FAMILIES[name] = cls
        return cls

    return decorator


def family_names() -> tuple[str, ...]:
    return tuple(_FAMILIES)


def family(name: str) -> type["Family"]:
    if name not in _FAMILIES:
        raise PackageError(f"unknown model family '{name}' (known: {', '.join(_FAMILIES)})")
    return _FAMILIES[name]


def detect_families(root: Path) -> list[str]:
    """Names of the families whose files are in ``root``."""
    return [name for name, cls in _FAMILIES.items() if cls.detect(Path(root))]


def nllb_code(lang: str) -> str:
    if lang not in NLLB_CODES:
        raise TranslationError(f"no NLLB language code known for '{lang}' (known: {', '.join(sorted(NLLB_CODES))})")
    return NLLB_CODES[lang]


def _vocabulary(model_dir: Path) -> set[str]:
    """The model's target vocabulary; empty when missing or unreadable (``check`` says why)."""
    for name in VOCABULARY_FILES:
        if (model_dir / name).is_file():
            try:
                return set(read_vocabulary(model_dir / name))
            except (OSError, ValueError):
                return set()
    return set()


def _config(model_dir: Path) -> dict:
    """The model's ``config.json`` ({} when there is none); a malformed one is one TranslationError line."""
    from aligner.files import read_json

    path = model_dir / "config.json"
    if not path.is_file():
        return {}
    loaded = read_json(path, TranslationError, "model config", max_bytes=16 << 20)
    return loaded if isinstance(loaded, dict) else {}


def _sentencepiece(path: Path):
    import sentencepiece

    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as e:
        raise TranslationError(f"{path}: not a SentencePiece model ({str(e).splitlines()[0] if str(e) else e})") from None


class Family:
    """Tokenisation around one CTranslate2 model; subclasses describe one family."""

    name: ClassVar[str] = ""
    model_subdir: ClassVar[str] = ""  # where model.bin is, relative to the root
    tokenizer_files: ClassVar[tuple[str, ...]] = ()  # all must exist
    target_tokens: ClassVar[tuple[str, ...]] = ()  # must be in the model's vocabulary

    def __init__(self, root: Path, source_lang: str, target_prefix: str = ""):
        self.root = Path(root)
        self.source_lang = source_lang
        self.argos_prefix = target_prefix

    @property
    def model_dir(self) -> Path:
        return self.root / self.model_subdir if self.model_subdir else self.root

    @classmethod
    def detect(cls, root: Path) -> bool:
        model = root / cls.model_subdir if cls.model_subdir else root
        return (model / "model.bin").is_file() and all((root / f).is_file() for f in cls.tokenizer_files)

    @classmethod
    def check(cls, root: Path, langs: tuple[str, ...], label: str) -> None:
        """Refuse (PackageError) a directory this family cannot translate from ``langs``."""
        model_dir = root / cls.model_subdir if cls.model_subdir else root
        for f in cls.tokenizer_files:
            if not (root / f).is_file():
                raise PackageError(f"{label}: no {f} (needed by a {cls.name} model)")
        info = check_model_dir(model_dir, label)
        vocabulary = set(info.target_vocabulary)
        for token in cls.required_tokens(langs):
            if token not in vocabulary:
                raise PackageError(f"{label}: the model's vocabulary has no '{token}' token (is it a {cls.name} model?)")

    @classmethod
    def required_tokens(cls, langs: tuple[str, ...]) -> list[str]:
        return list(cls.target_tokens)

    def load(self) -> None:
        """Build the tokenisers (imports sentencepiece / sacremoses)."""

    def encode(self, text: str) -> list[str]:
        raise NotImplementedError

    def encode_target(self, text: str) -> list[str]:
        """English text as target tokens (for ``suppress_sequences``)."""
        raise NotImplementedError

    def decode(self, tokens: list[str]) -> str:
        raise NotImplementedError

    def target_prefix(self) -> list[str]:
        return []


class _SentencePieceFamily(Family):
    source_spm: ClassVar[str] = ""
    target_spm: ClassVar[str] = ""
    append_eos: ClassVar[bool] = True  # Hugging Face tokenisers end the source with </s>

    def load(self) -> None:
        self.source = _sentencepiece(self.root / self.source_spm)
        self.target = self.source if self.target_spm == self.source_spm else _sentencepiece(self.root / self.target_spm)
        # a model converted from Marian's own format adds </s> itself (add_source_eos)
        self.eos = ["</s>"] if self.append_eos and not _config(self.model_dir).get("add_source_eos") else []

    def encode(self, text: str) -> list[str]:
        return self.source.encode(text, out_type=str) + self.eos

    def encode_target(self, text: str) -> list[str]:
        return self.target.encode(text, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self.target.decode_pieces(tokens).strip()


@register_family("argos-sentencepiece")
class ArgosSentencePiece(_SentencePieceFamily):
    """An argos package with ``sentencepiece.model``: tokens exactly as argostranslate makes them."""

    model_subdir = "model"
    tokenizer_files = ("metadata.json", "sentencepiece.model")
    source_spm = target_spm = "sentencepiece.model"
    append_eos = False

    def target_prefix(self) -> list[str]:
        return [self.argos_prefix] if self.argos_prefix else []


@register_family("argos-bpe")
class ArgosBpe(Family):
    """An argos package with ``bpe.model`` (OPUS-MT ports): Moses tokenisation and BPE merges."""

    model_subdir = "model"
    tokenizer_files = ("metadata.json", "bpe.model")

    def load(self) -> None:
        from aligner.translate.bpe import MosesBpe

        self.source = MosesBpe(self.root / "bpe.model", self.source_lang, "en")
        self.target = MosesBpe(self.root / "bpe.model", "en", "en")

    def encode(self, text: str) -> list[str]:
        return self.source.encode(text)

    def encode_target(self, text: str) -> list[str]:
        return self.target.encode(text)

    def decode(self, tokens: list[str]) -> str:
        return self.source.decode(tokens)

    def target_prefix(self) -> list[str]:
        return [self.argos_prefix] if self.argos_prefix else []


@register_family("marian")
class Marian(_SentencePieceFamily):
    """OPUS-MT / Marian converted to CTranslate2, with ``source.spm`` and ``target.spm`` beside it."""

    tokenizer_files = ("source.spm", "target.spm")
    source_spm, target_spm = "source.spm", "target.spm"


class _LanguageTokenFamily(_SentencePieceFamily):
    """Multilingual models: a source language token in, a target language token forced out."""

    tokenizer_files = ("sentencepiece.bpe.model",)
    source_spm = target_spm = "sentencepiece.bpe.model"

    @classmethod
    def token(cls, lang: str) -> str:
        raise NotImplementedError

    @classmethod
    def detect(cls, root: Path) -> bool:
        return super().detect(root) and cls.token("en") in _vocabulary(root)

    @classmethod
    def required_tokens(cls, langs: tuple[str, ...]) -> list[str]:
        try:
            return [cls.token("en"), *(cls.token(lang) for lang in langs)]
        except TranslationError as e:
            raise PackageError(str(e)) from None

    def encode(self, text: str) -> list[str]:
        return [self.token(self.source_lang), *self.source.encode(text, out_type=str), *self.eos]

    def target_prefix(self) -> list[str]:
        return [self.token("en")]


@register_family("m2m100")
class M2M100(_LanguageTokenFamily):
    @classmethod
    def token(cls, lang: str) -> str:
        return f"__{lang}__"


@register_family("nllb")
class Nllb(_LanguageTokenFamily):
    @classmethod
    def token(cls, lang: str) -> str:
        return nllb_code(lang)


@register_family("t5")
class T5(_SentencePieceFamily):
    """T5-style multilingual models such as MADLAD-400: the source starts with ``<2en>``."""

    tokenizer_files = ("spiece.model",)
    source_spm = target_spm = "spiece.model"
    target_tokens = ("<2en>",)

    @classmethod
    def detect(cls, root: Path) -> bool:
        return super().detect(root) and "<2en>" in _vocabulary(root)

    def encode(self, text: str) -> list[str]:
        # as Hugging Face's tokenizer splits "<2en> text": the special token, then the text's pieces
        return ["<2en>", *self.source.encode(text, out_type=str), *self.eos]
