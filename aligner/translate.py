"""English renderings of source sentences: translation memory, argostranslate, or none.

Public surface: :class:`Rendering`, :class:`TranslationMemory`,
:class:`ArgosTranslator`, :func:`render_english`, :data:`TRANSLATOR_MODES`.

Every source sentence gets exactly one :class:`Rendering` that says where its
English came from: ``original`` (the article is English), ``memory`` (the
hand-made translation memory), ``argos:<package>@<version>`` (machine
translation), or ``none``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from aligner.cache import Cache, key
from aligner.errors import InputError, TranslationError
from aligner.files import read_utf8

TRANSLATOR_MODES = ("auto", "memory", "argos", "none")
MEMORY_HEADER = ["lang", "source", "english"]

DEFAULT_BEAM_SIZE = 2
DEFAULT_MAX_BATCH_TOKENS = 2048
DEFAULT_MAX_DECODING_LENGTH = 256
DEFAULT_COMPUTE_TYPE = "int8"


@dataclass(frozen=True)
class Rendering:
    english: str | None
    source: str  # "original" | "memory" | "argos:<package>@<version>" | "none"


def normalise(text: str) -> str:
    """The form translation-memory lookups compare: NFC, white space collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


class TranslationMemory:
    """Exact-match translation memory read from a CSV with header ``lang,source,english``."""

    def __init__(self, entries: dict[tuple[str, str], str], path: str):
        self.entries = entries
        self.path = path

    @classmethod
    def load(cls, path: str | Path) -> "TranslationMemory":
        name = str(path)
        text = read_utf8(path, InputError, "translation memory file")
        rows = csv.reader(text.splitlines())
        header = next(rows, None)
        if header != MEMORY_HEADER:
            raise InputError(f"{name}: header must be {','.join(MEMORY_HEADER)}, found {','.join(header or [])!r}")
        entries = {}
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) != 3 or not all(cell.strip() for cell in row):
                raise InputError(f"{name}:{line}: expected 3 non-empty cells (lang,source,english)")
            lang, source, english = row
            entries[(lang.strip().lower(), normalise(source))] = english.strip()
        return cls(entries, name)

    def lookup(self, lang: str, source: str) -> str | None:
        return self.entries.get((lang, normalise(source)))


class ArgosTranslator:
    """Translate with an installed argos package by calling CTranslate2 directly.

    Built cheaply; the CTranslate2 model and SentencePiece tokenizer load on the
    first :meth:`translate` for a language.  One call translates every sentence
    of a language at once, sorted by length, in token-bounded batches.
    """

    def __init__(
        self,
        packages_dir: str | Path | None = None,
        *,
        device: str = "cpu",
        threads: int = 0,
        beam_size: int = DEFAULT_BEAM_SIZE,
        compute_type: str = DEFAULT_COMPUTE_TYPE,
        max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS,
        max_decoding_length: int = DEFAULT_MAX_DECODING_LENGTH,
    ):
        from aligner import packages

        self.packages_dir = Path(packages_dir) if packages_dir else packages.argos_settings().packages_dir
        self.device = device
        self.threads = threads
        self.beam_size = beam_size
        self.compute_type = compute_type
        self.max_batch_tokens = max_batch_tokens
        self.max_decoding_length = max_decoding_length
        self._loaded: dict[str, tuple] = {}

    def package(self, lang: str):
        from aligner import packages

        return packages.find_package(self.packages_dir, lang, "en")

    def label(self, lang: str) -> str:
        pkg = self.package(lang)
        if pkg is None:
            raise TranslationError(f"no argos package installed for {lang}->en; run: aligner models install {lang}")
        return f"argos:{pkg.name}@{pkg.version}"

    def options_key(self) -> str:
        return f"beam={self.beam_size};compute={self.compute_type};maxlen={self.max_decoding_length}"

    def _load(self, lang: str):
        if lang not in self._loaded:
            pkg = self.package(lang)
            if pkg is None:
                raise TranslationError(f"no argos package installed for {lang}->en; run: aligner models install {lang}")
            import ctranslate2
            import sentencepiece

            model_dir = pkg.path / "model"
            sp_path = pkg.path / "sentencepiece.model"
            if not model_dir.is_dir() or not sp_path.is_file():
                raise TranslationError(f"{pkg.path}: package is missing model/ or sentencepiece.model")
            translator = ctranslate2.Translator(
                str(model_dir),
                device=self.device,
                compute_type=self.compute_type,
                inter_threads=1,
                intra_threads=self.threads,
            )
            sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
            self._loaded[lang] = (translator, sp, pkg.target_prefix)
        return self._loaded[lang]

    def translate(self, lang: str, texts: Sequence[str]) -> list[str]:
        """Exactly one English string per input, in input order."""
        if not texts:
            return []
        translator, sp, prefix = self._load(lang)
        tokens = [sp.encode(t, out_type=str) for t in texts]
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        sorted_tokens = [tokens[i] for i in order]
        kwargs = {}
        if prefix:
            kwargs["target_prefix"] = [[prefix]] * len(sorted_tokens)
        results = translator.translate_batch(
            sorted_tokens,
            beam_size=self.beam_size,
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
            max_decoding_length=self.max_decoding_length,
            **kwargs,
        )
        out = [""] * len(texts)
        for i, result in zip(order, results):
            hyp = result.hypotheses[0]
            if prefix and hyp and hyp[0] == prefix:
                hyp = hyp[1:]
            out[i] = sp.decode(hyp).strip()
        return out


def render_english(
    articles: Sequence[tuple[str, Sequence[str]]],
    *,
    mode: str = "auto",
    memory: TranslationMemory | None = None,
    argos: ArgosTranslator | None = None,
    cache: Cache | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[list[Rendering]]:
    """One :class:`Rendering` per sentence of each ``(lang, sentences)`` article.

    ``mode``: ``memory`` and ``argos`` use only that backend (a sentence it cannot
    render is an error); ``none`` renders nothing; ``auto`` tries memory, then
    argos (if a package for the language is installed), then none.
    """
    if mode not in TRANSLATOR_MODES:
        raise InputError(f"unknown translator '{mode}' (choose from {', '.join(TRANSLATOR_MODES)})")
    if mode == "memory" and memory is None:
        raise InputError("--translator memory needs --memory PATH")
    out: list[list[Rendering | None]] = [[None] * len(sents) for _, sents in articles]
    todo: dict[str, list[tuple[int, int, str]]] = {}  # lang -> (article, sentence, text)
    for a, (lang, sents) in enumerate(articles):
        for s, text in enumerate(sents):
            if lang == "en":
                out[a][s] = Rendering(text, "original")
            elif mode == "none":
                out[a][s] = Rendering(None, "none")
            elif mode in ("auto", "memory") and memory is not None and (hit := memory.lookup(lang, text)):
                out[a][s] = Rendering(hit, "memory")
            elif mode == "memory":
                raise TranslationError(f"{memory.path}: no entry for {lang} sentence {s + 1} of article {a + 1}: {text[:60]!r}")
            else:
                todo.setdefault(lang, []).append((a, s, text))
    for lang, items in todo.items():
        if mode == "auto" and (argos is None or argos.package(lang) is None):
            for a, s, _ in items:
                out[a][s] = Rendering(None, "none")
            continue
        if argos is None:
            raise TranslationError("--translator argos needs an argos translator")
        label = argos.label(lang)
        texts = [t for _, _, t in items]
        english = _cached_translate(argos, lang, label, texts, cache, progress)
        for (a, s, _), en in zip(items, english):
            out[a][s] = Rendering(en, label)
    return [list(r) for r in out]  # type: ignore[arg-type]


def _cached_translate(argos, lang, label, texts, cache, progress) -> list[str]:
    cache = cache or Cache(None)
    namespace = "translation"
    keys = [key(label, argos.options_key(), lang, "en", t) for t in texts]
    found = cache.get_many(namespace, keys)
    missing = [i for i, k in enumerate(keys) if k not in found]
    if missing:
        if progress:
            progress(f"translating {len(missing)} {lang} sentences with {label}")
        new = argos.translate(lang, [texts[i] for i in missing])
        cache.put_many(namespace, {keys[i]: en.encode("utf-8") for i, en in zip(missing, new)})
        for i, en in zip(missing, new):
            found[keys[i]] = en.encode("utf-8")
    return [found[k].decode("utf-8") for k in keys]
