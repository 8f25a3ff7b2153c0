"""One CTranslate2 backend for every supported model family.

Public surface: :class:`Ct2Translator`,
:class:`Translated`, and the ``DEFAULT_*`` options.

Built cheaply; a model and its tokenisers load on the first translation for a
language (``ctranslate2`` and ``sentencepiece`` are imported there, never at
import time).  One call translates every sentence of a language with one
``translate_batch``: sorted by length, token-bounded batches.  The family of
the model (:mod:`aligner.translate.families`) decides only how text becomes
tokens and back.

With glossary terms, sentences are protected with placeholders
(:mod:`aligner.translate.placeholders`) in that same batch; sentences whose
placeholders do not come back are translated once more without them, with the
terms' known wrong renderings suppressed, and the terms still missing are
reported -- never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from aligner.errors import TranslationError
from aligner.translate.placeholders import TermIndex, contains_term, protect, restore

DEFAULT_BEAM_SIZE = 2
DEFAULT_MAX_BATCH_TOKENS = 2048
DEFAULT_MAX_DECODING_LENGTH = 256
DEFAULT_COMPUTE_TYPE = "int8"


@dataclass(frozen=True)
class Translated:
    """One sentence's English, the glossary terms protected in it, and those that did not come through."""

    english: str
    terms: tuple[str, ...] = ()  # canonical English of the terms found in the source
    missed: tuple[str, ...] = ()  # of those, the ones absent from ``english``
    retried: bool = False  # translated a second time without placeholders


@dataclass
class _Loaded:
    translator: object  # ctranslate2.Translator
    family: object  # a families.Family


class Ct2Translator:
    """Translate into English with the model installed or registered for each language."""

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
        retry_missed_terms: bool = True,
    ):
        from aligner.translate.packages import argos_settings

        self.packages_dir = Path(packages_dir) if packages_dir else argos_settings().packages_dir
        self.device = device
        self.threads = threads
        self.beam_size = beam_size
        self.compute_type = compute_type
        self.max_batch_tokens = max_batch_tokens
        self.max_decoding_length = max_decoding_length
        self.retry_missed_terms = retry_missed_terms
        self._loaded: dict[str, _Loaded] = {}

    # -------------------------------------------------------------- lookup

    def model_for(self, lang: str):
        """The :class:`~aligner.translate.packages.InstalledModel` used for ``lang``, or None."""
        from aligner.translate.installed import find_model

        return find_model(self.packages_dir, lang)

    package = model_for  # the name callers used when only argos packages existed

    def _model(self, lang: str):
        model = self.model_for(lang)
        if model is None:
            raise TranslationError(f"no translation model for {lang}->en; run: aligner models install {lang}")
        return model

    def label(self, lang: str) -> str:
        return self._model(lang).label

    def options_key(self) -> str:
        return f"beam={self.beam_size};compute={self.compute_type};maxlen={self.max_decoding_length}"

    def _load(self, lang: str) -> _Loaded:
        if lang not in self._loaded:
            from aligner.translate.families import family
            from aligner.translate.installed import check_unchanged

            model = self._model(lang)
            check_unchanged(self.packages_dir, model)
            fam = family(model.family)(model.path, lang, model.target_prefix)
            if not (fam.model_dir / "model.bin").is_file():
                raise TranslationError(f"{model.path}: no CTranslate2 model ({fam.model_dir / 'model.bin'})")
            fam.load()
            import ctranslate2

            try:
                translator = ctranslate2.Translator(
                    str(fam.model_dir),
                    device=self.device,
                    compute_type=self.compute_type,
                    inter_threads=1,
                    intra_threads=self.threads,
                )
            except (RuntimeError, ValueError, OSError) as e:
                first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                raise TranslationError(f"{model.path}: CTranslate2 cannot load the model ({first})") from None
            self._loaded[lang] = _Loaded(translator, fam)
        return self._loaded[lang]

    # -------------------------------------------------------------- translation

    def _batch(self, loaded: _Loaded, sources: list[list[str]], suppress: list[list[str]] | None = None) -> list[list[str]]:
        """One ``translate_batch`` over all ``sources``; output tokens in input order, prefix removed."""
        if not sources:
            return []
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
        prefix = loaded.family.target_prefix()
        kwargs = {}
        if prefix:
            kwargs["target_prefix"] = [prefix] * len(sources)
        if suppress:
            kwargs["suppress_sequences"] = suppress
        try:
            results = loaded.translator.translate_batch(
                [sources[i] for i in order],
                beam_size=self.beam_size,
                max_batch_size=self.max_batch_tokens,
                batch_type="tokens",
                max_decoding_length=self.max_decoding_length,
                **kwargs,
            )
        except (RuntimeError, ValueError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise TranslationError(f"translation failed ({first})") from None
        out: list[list[str]] = [[] for _ in sources]
        for i, result in zip(order, results):
            hyp = list(result.hypotheses[0])
            if prefix and hyp[: len(prefix)] == prefix:
                hyp = hyp[len(prefix) :]
            out[i] = hyp
        return out

    def translate(self, lang: str, texts: Sequence[str]) -> list[str]:
        """Exactly one English string per input, in input order."""
        if not texts:
            return []
        loaded = self._load(lang)
        tokens = self._batch(loaded, [loaded.family.encode(t) for t in texts])
        return [loaded.family.decode(t) for t in tokens]

    def translate_terms(self, lang: str, texts: Sequence[str], terms: TermIndex | Iterable[Sequence]) -> list[Translated]:
        """Like :meth:`translate`, with glossary terms protected by placeholders (one batch), then checked."""
        if not texts:
            return []
        index = terms if isinstance(terms, TermIndex) else TermIndex(terms)
        protected = [protect(t, index) for t in texts]
        english = self.translate(lang, [p for p, _ in protected])
        out = []
        retry: dict[tuple[str, ...], list[int]] = {}  # known wrong renderings -> sentences
        for i, ((_, slots), en) in enumerate(zip(protected, english)):
            restored, missing = restore(en, slots)
            wanted = tuple(s.english for s in slots)
            out.append(Translated(restored, wanted, tuple(s.english for s in missing)))
            if missing and self.retry_missed_terms:
                avoid = tuple(sorted({a for s in slots for a in s.avoid}))
                retry.setdefault(avoid, []).append(i)
        for avoid, idxs in retry.items():
            for i, en in zip(idxs, self._translate_avoiding(lang, [texts[i] for i in idxs], avoid)):
                wanted = out[i].terms
                out[i] = Translated(en, wanted, tuple(t for t in wanted if not contains_term(en, t)), retried=True)
        return out

    def _translate_avoiding(self, lang: str, texts: list[str], avoid: tuple[str, ...]) -> list[str]:
        loaded = self._load(lang)
        suppress = []
        for a in avoid:
            for form in dict.fromkeys((a, a[:1].upper() + a[1:])):
                tokens = loaded.family.encode_target(form)
                if tokens:
                    suppress.append(tokens)
        tokens = self._batch(loaded, [loaded.family.encode(t) for t in texts], suppress or None)
        return [loaded.family.decode(t) for t in tokens]

