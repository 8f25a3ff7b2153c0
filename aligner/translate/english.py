"""The translation stage: one English rendering per source sentence.

Public surface: :class:`EnglishText`, :func:`translate_articles`,
:func:`is_machine_translation`, :data:`TRANSLATOR_MODES`.

Every source sentence gets exactly one :class:`EnglishText` that says where its
English came from: ``original`` (the article is English), ``memory`` (the
hand-made translation memory), ``argos:<package>@<version>`` or
``ct2:<model>@<version>`` (machine translation), or ``none``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Sequence

from aligner.cache import Cache, key
from aligner.errors import InputError, TranslationError
from aligner.translate.memory import TranslationMemory
from aligner.translate.placeholders import TermIndex, protect

TRANSLATOR_MODES = ("auto", "memory", "argos", "none")
MACHINE_PREFIXES = ("argos:", "ct2:")

TermsFor = Callable[[str], Sequence[Sequence]]  # lang -> terms (source, english, case_sensitive[, avoid])


@dataclass(frozen=True)
class EnglishText:
    english: str | None
    source: str  # "original" | "memory" | "argos:<package>@<version>" | "ct2:<model>@<version>" | "none"
    missed_terms: tuple[str, ...] = ()  # glossary terms protected through MT that did not come through


def is_machine_translation(source: str) -> bool:
    """Whether a :attr:`EnglishText.source` names a machine translation model."""
    return source.startswith(MACHINE_PREFIXES)


def translate_articles(
    articles: Sequence[tuple[str, Sequence[str]]],
    *,
    mode: str = "auto",
    memory: TranslationMemory | None = None,
    translator=None,
    cache: Cache | None = None,
    progress: Callable[[str], None] | None = None,
    terms: TermsFor | None = None,
) -> list[list[EnglishText]]:
    """One :class:`EnglishText` per sentence of each ``(lang, sentences)`` article.

    ``mode``: ``memory`` and ``argos`` use only that backend (a sentence it cannot
    render is an error); ``none`` renders nothing; ``auto`` tries memory, then
    the machine ``translator`` (a :class:`~aligner.translate.ct2.Ct2Translator`;
    used when a model for the language is installed), then none.

    ``terms``: for a language, the glossary terms to protect through machine
    translation (see :mod:`aligner.translate.placeholders`).
    """
    if mode not in TRANSLATOR_MODES:
        raise InputError(f"unknown translator '{mode}' (choose from {', '.join(TRANSLATOR_MODES)})")
    if mode == "memory" and memory is None:
        raise InputError("the memory translator needs a translation memory; none was given")
    out: list[list[EnglishText | None]] = [[None] * len(sents) for _, sents in articles]
    todo: dict[str, list[tuple[int, int, str]]] = {}  # lang -> (article, sentence, text)
    for a, (lang, sents) in enumerate(articles):
        for s, text in enumerate(sents):
            if lang == "en":
                out[a][s] = EnglishText(text, "original")
            elif mode == "none":
                out[a][s] = EnglishText(None, "none")
            elif mode in ("auto", "memory") and memory is not None and (hit := memory.lookup(lang, text)):
                out[a][s] = EnglishText(hit, "memory")
            elif mode == "memory":
                raise TranslationError(f"{memory.path}: no entry for {lang} sentence {s + 1} of article {a + 1}: {text[:60]!r}")
            else:
                todo.setdefault(lang, []).append((a, s, text))
    for lang, items in todo.items():
        if mode == "auto" and (translator is None or translator.model_for(lang) is None):
            for a, s, _ in items:
                out[a][s] = EnglishText(None, "none")
            continue
        if translator is None:
            raise TranslationError("the argos translator needs a machine translator; none was given")
        label = translator.label(lang)
        index = TermIndex(terms(lang)) if terms is not None else TermIndex(())
        texts = [t for _, _, t in items]
        for (a, s, _), rendering in zip(items, _cached_translate(translator, lang, label, texts, cache, progress, index)):
            out[a][s] = rendering
    return [list(r) for r in out]  # type: ignore[arg-type]


def _cached_translate(translator, lang, label, texts, cache, progress, index: TermIndex) -> list[EnglishText]:
    """Translations from the cache where present; the rest in one call to the translator.

    A sentence without glossary terms is cached under its text alone (as
    without a glossary); one with terms under its protected text and terms,
    with the terms that did not come through.
    """
    cache = cache or Cache(None)
    options = translator.options_key()
    keys, namespaces = [], []
    for text in texts:
        protected, slots = protect(text, index)
        if slots:
            terms = json.dumps([[s.source, s.english, list(s.avoid)] for s in slots], ensure_ascii=False)
            keys.append(key(label, options, lang, "en", protected, terms))
            namespaces.append("translation-terms")
        else:
            keys.append(key(label, options, lang, "en", text))
            namespaces.append("translation")
    found: dict[int, EnglishText] = {}
    for namespace in ("translation", "translation-terms"):
        wanted = [k for k, ns in zip(keys, namespaces) if ns == namespace]
        hits = cache.get_many(namespace, wanted) if wanted else {}
        for i, (k, ns) in enumerate(zip(keys, namespaces)):
            if ns == namespace and k in hits and (r := _decode(hits[k], namespace, label)) is not None:
                found[i] = r
    missing = [i for i in range(len(texts)) if i not in found]
    if missing:
        if progress:
            progress(f"translating {len(missing)} {lang} sentences with {label}")
        results = translator.translate_terms(lang, [texts[i] for i in missing], index)
        new: dict[str, dict[str, bytes]] = {"translation": {}, "translation-terms": {}}
        for i, r in zip(missing, results):
            found[i] = EnglishText(r.english, label, r.missed)
            if namespaces[i] == "translation":
                new["translation"][keys[i]] = r.english.encode("utf-8")
            else:
                value = {"english": r.english, "missed": list(r.missed)}
                new["translation-terms"][keys[i]] = json.dumps(value, ensure_ascii=False).encode("utf-8")
        for namespace, items in new.items():
            if items:
                cache.put_many(namespace, items)
    return [found[i] for i in range(len(texts))]


def _decode(value: bytes, namespace: str, label: str) -> EnglishText | None:
    """A cached rendering; None for a value this version cannot read (it is translated again)."""
    try:
        if namespace == "translation":
            return EnglishText(value.decode("utf-8"), label)
        data = json.loads(value.decode("utf-8"))
        return EnglishText(str(data["english"]), label, tuple(str(t) for t in data["missed"]))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
