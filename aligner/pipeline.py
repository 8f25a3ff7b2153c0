"""The whole run: articles in, :class:`~aligner.model.Result` out.

Public surface: :class:`AlignConfig`, :class:`Components`, :class:`Embedder`,
:func:`build_components`, :func:`run`, :func:`run_articles`, and the stages it
calls in order (used by the evaluation and batch runs): :func:`segment`,
:func:`prepare`, :func:`units`, :func:`embed`, :func:`signature` (from :mod:`aligner.signature`).

The only module that knows the order of the stages::

    ingest -> segment -> translate -> glossary -> embed -> align

Models are not built here but passed in as :class:`Components` (small
protocols), so a test can run the whole pipeline with a deterministic fake
embedder; :func:`build_components` makes the real ones from a config.  Nothing
heavy is imported until a model meets its first cache miss.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import numpy as np

from aligner.align import ArticleVectors, Space, group_links, link_articles
from aligner.cache import Cache, default_cache_dir
from aligner.config import DEFAULT_CROSS_LINGUAL_WEIGHT, TRANSLATORS, AlignConfig  # noqa: F401  (re-exported)
from aligner.embed import MULTILINGUAL
from aligner.errors import InputError
from aligner.facts import numbers
from aligner.ingest import read_article
from aligner.model import Article, ArticleResult, AuditEntry, Result, Sentence
from aligner.no_english import _default_warn, no_english_warning  # noqa: F401  (re-exported)
from aligner.segment import attribution_clauses, split_clauses, split_sentences
from aligner.signature import signature  # noqa: F401  (re-exported: split out of this module)
from aligner.translate import EnglishText, is_machine_translation

class Embedder(Protocol):
    """What the pipeline needs of a sentence embedder: unit vectors, and what moves them."""

    id: str
    version: str

    def encode(self, texts: Sequence[str]): ...  # (len(texts), dim) float32, rows of norm 1


# (lang, sentences) per article -> one EnglishText per sentence
ToEnglish = Callable[[Sequence[tuple[str, Sequence[str]]]], "list[list[EnglishText]]"]


@dataclass(frozen=True)
class Components:
    """The models a run uses.  ``english``: embeds the English of sentences (None: only the
    cross-lingual space); ``cross_lingual``: embeds source text (None: English only,
    then every sentence needs English); ``to_english``: source sentences to English."""

    english: Embedder | None
    cross_lingual: Embedder | None
    to_english: ToEnglish
    inputs: dict = field(default_factory=dict)  # what was read to build them, for the signature: {"memory": ...}
    glossary: tuple | None = None  # (path, parsed glossary, sha256 of its bytes): read once, used by every run


def build_components(config: AlignConfig, cache: Cache, say: Callable[[str], None] = lambda _m: None) -> Components:
    """The real models named by ``config``, cached, loaded on first use."""
    from aligner.embed import CachedEmbedder, E5Embedder, get_embedder
    from aligner.translate import Ct2Translator, TranslationMemory, translate_articles

    english_only = config.translator != "none" and config.embedder != MULTILINGUAL
    english = CachedEmbedder(get_embedder(config.embedder), cache, progress=config.progress) if english_only else None
    cross = CachedEmbedder(E5Embedder(), cache, progress=config.progress)
    memory = TranslationMemory.load(config.memory) if config.memory else None
    argos = None
    if config.translator in ("auto", "argos"):
        argos = Ct2Translator(
            config.packages_dir,
            device=config.device,
            threads=config.threads,
            beam_size=config.beam_size,
            compute_type=config.compute_type,
        )

    terms_for = None
    glossary = None
    if config.glossary:
        glossary_file, digest = _read_glossary(config.glossary)
        glossary = (config.glossary, glossary_file, digest)
    if glossary and config.protect_terms and argos is not None:
        concepts = glossary[1].concepts()

        def terms_for(lang):
            return [(v, c.en, c.case, c.avoid) for c in concepts for v in c.variants.get(lang, ())]

    def to_english(articles):
        return translate_articles(
            articles, mode=config.translator, memory=memory, translator=argos, cache=cache, progress=say, terms=terms_for
        )

    inputs = {"memory": memory.signature()} if memory is not None else {}
    return Components(english=english, cross_lingual=cross, to_english=to_english, inputs=inputs, glossary=glossary)


def run(
    config: AlignConfig,
    status: Callable[[str], None] | None = None,
    components: Components | None = None,
    warn: Callable[[str], None] | None = None,
) -> Result:
    """Read the articles named in ``config`` and align them.

    ``status`` receives progress lines; ``warn`` receives one line per problem the
    run works around (a damaged cache, sentences without English); by default an
    :class:`~aligner.errors.AlignerWarning`.
    """
    if len(config.paths) < 2:
        raise InputError("give at least two article files")
    langs = list(config.langs) or [None] * len(config.paths)
    if len(langs) != len(config.paths):
        raise InputError(f"--lang has {len(langs)} code{'' if len(langs) == 1 else 's'} for {len(config.paths)} files")
    seen: dict[str, str] = {}
    from aligner.files import resolve

    for p in config.paths:
        resolved = str(resolve(p, InputError))
        if resolved in seen:
            raise InputError(f"{p}: the same file is given twice")
        seen[resolved] = p
    cache_dir = config.cache_dir or default_cache_dir() if config.use_cache else None  # holds the language model too
    cache = Cache(cache_dir, warn=warn or _default_warn)  # opens on first use: the language check
    try:
        docs = [read_article(p, lang, cache_dir, cache) for p, lang in zip(config.paths, langs)]
        by_hash: dict[str, str] = {}
        for d in docs:
            if d.sha256 in by_hash:
                raise InputError(f"{d.path}: same content as {by_hash[d.sha256]} "
                                 "(the same article twice)")
            by_hash[d.sha256] = d.path
    except BaseException:
        cache.close()
        raise
    return run_articles(docs, config, status, components, warn, cache)


def run_articles(
    docs: Sequence[Article],
    config: AlignConfig,
    status: Callable[[str], None] | None = None,
    components: Components | None = None,
    warn: Callable[[str], None] | None = None,
    cache: Cache | None = None,
) -> Result:
    """The pipeline after ingest: segment, translate, glossary, embed, align.

    ``cache``: the run's cache when the caller opened it (it is closed here), else the one the
    config names."""
    say = status or (lambda _msg: None)
    warn = warn or _default_warn
    if cache is None:
        folder = config.cache_dir or default_cache_dir() if config.use_cache else None
        cache = Cache(folder, warn=warn)
    try:
        components = components or build_components(config, cache, say)
        used = dict(components.inputs)
        sentences, audit = prepare(docs, config, components, say, used)
        # before the embedding, which can take minutes; without a cross-lingual embedder such
        # sentences cannot be aligned at all: embed() says so, with no warning first
        if (config.translator == "auto" and components.cross_lingual is not None
                and (message := no_english_warning(docs, sentences, config))):
            warn(message)
        vectors, embed_info = embed(
            sentences, components, config.cross_lingual_weight, say, [d.lang for d in docs], config.params.max_clause_run
        )
        nums = [[numbers(s.text, d.lang) for s in ss] for d, ss in zip(docs, sentences)]
        say(f"linking the sentences of {len(docs)} articles ({' x '.join(str(len(ss)) for ss in sentences)})")
        links = _single_threaded_blas(link_articles, sentences, nums, vectors, config.params, config.cross_lingual_weight,
                                      [d.lang for d in docs])
    finally:
        cache.close()
    return _result(config, docs, sentences, audit, links, embed_info, used)


def _single_threaded_blas(function, *args):
    """Call ``function`` with BLAS on one thread: its blocks are too small for threads to pay,
    and idle BLAS threads spin (measured on 2 cores: 956 x 956 sentences warm, 1.8 s CPU with
    two BLAS threads, 1.35 s with one, about the same wall time).  Scoped to the call; nothing global changes."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return function(*args)


def units(text: str, lang: str, max_run: int) -> list[tuple[int, int]]:
    """Spans of what is embedded for one sentence: the whole, then every run of up
    to ``max_run`` consecutive clauses (when it has two clauses or more).  A clause
    that only attributes ("officials said") is never a unit on its own."""
    spans = [(0, len(text))]
    clauses = split_clauses(text, lang) if max_run > 0 else []
    frames = attribution_clauses(text, lang, clauses)
    for length in range(1, min(max_run, len(clauses) - 1) + 1):
        spans += [
            (clauses[a][0], clauses[a + length - 1][1])
            for a in range(len(clauses) - length + 1)
            if not (length == 1 and a in frames)
        ]
    return spans


def _space(texts: list[str | None], lang: str, max_run: int) -> tuple[Space, list[str]]:
    """One article's :class:`Space`: the sentences that have a text, with their units; and the unit texts."""
    ids, owner, spans, unit_texts = [], [], [], []
    for index, text in enumerate(texts):
        if text is None:
            continue
        for span in units(text, lang, max_run):
            owner.append(len(ids))
            spans.append(span)
            unit_texts.append(text[span[0] : span[1]])
        ids.append(index)
    return Space(None, np.asarray(owner, dtype=np.int64), tuple(spans), np.asarray(ids, dtype=np.int64)), unit_texts


# The most sentences an article may have.  Linking holds a few scores per sentence pair
# (measured: about 40 bytes a pair, benchmarks/limits.py --linking), so two articles at
# this limit need about 1 GB; a news article has 20-1,500 sentences.
MAX_SENTENCES = 5000


def segment(docs: Sequence[Article]) -> list[list[tuple[int, int]]]:
    """Sentence spans (in each article's NFC text) of every article; more than
    :data:`MAX_SENTENCES` in one article is refused before anything is embedded."""
    spans = []
    for d in docs:
        s = split_sentences(d.text, d.lang, d.kept_ranges())
        if not s:
            raise InputError(f"{d.path}: no sentences left after removing boilerplate")
        if len(s) > MAX_SENTENCES:
            raise InputError(f"{d.path}: {len(s):,} sentences, over the limit of {MAX_SENTENCES:,} sentences an article may have")
        spans.append(s)
    return spans


def prepare(docs: Sequence[Article], config: AlignConfig, components: Components, say=lambda _m: None,
            used: dict | None = None):
    """Segment, translate and apply the glossary: per article, its :class:`Sentence` tuple.

    ``used`` receives the glossary's signature, hashed from the bytes that were parsed.
    """
    spans = segment(docs)
    texts = [[d.text[s:e] for s, e in sp] for d, sp in zip(docs, spans)]
    renderings = components.to_english([(d.lang, t) for d, t in zip(docs, texts)])

    matcher = None
    if config.glossary:
        from aligner import glossary as gl

        if components.glossary is not None and components.glossary[0] == config.glossary:
            _, glossary_file, digest = components.glossary  # the one read the terms were protected with
        else:
            glossary_file, digest = _read_glossary(config.glossary)
        if used is not None:
            used["glossary"] = {"path": config.glossary, "sha256": digest}
        problems = gl.check(glossary_file)
        if problems:
            raise InputError(problems[0].message)
        matcher = gl.Matcher.from_glossary(glossary_file)
    sentences: list[tuple[Sentence, ...]] = []
    for d, sp, ts, rs in zip(docs, spans, texts, renderings):
        out = []
        for i, ((s, e), text, r) in enumerate(zip(sp, ts, rs)):
            english, hits = r.english, ()
            if matcher is not None:
                from aligner.glossary import apply

                english, hits = apply(matcher, d.lang, text, english, rewrite=is_machine_translation(r.source))
            out.append(Sentence(i, d.original_offset(s), d.original_offset(e), text, english, r.source, hits))
        sentences.append(tuple(out))
    audit = []
    if matcher is not None:
        from aligner.glossary import audit as glossary_audit

        audit = glossary_audit(matcher, [(a, s.index, s.english, s.glossary) for a, ss in enumerate(sentences) for s in ss])
    return sentences, audit


def _read_glossary(path: str):
    """The glossary parsed from one read of the file, and the SHA-256 of those bytes."""
    from aligner import glossary as gl
    from aligner.errors import GlossaryError
    from aligner.files import read_utf8

    raw: list[bytes] = []
    text = read_utf8(path, GlossaryError, "glossary file", keep_bom=True, keep_bytes=raw)
    return gl.parse(text, str(path)), hashlib.sha256(raw[0]).hexdigest()


def _embed_spaces(embedder: Embedder, per_article: list[tuple[list[str | None], str]], max_run: int,
                  say=lambda _m: None, message: str = "") -> list[Space]:
    """Embed every article's units with one call (one batch, sorted by the embedder).

    ``message`` is said before the work, and "loading <model>…" before a model loads;
    a cached embedder that has every vector says nothing."""
    from dataclasses import replace

    def announce(_missing: int = 0) -> None:
        say(message)
        if not getattr(embedder, "loaded", True):
            loading = f"loading {embedder.id.split('/')[-1].split(' (')[0]}…"
            waiting = getattr(say, "waiting", None)  # a status that can show a spinner while the model loads
            if waiting is None:
                say(loading)
                embedder.load()
            else:
                with waiting(loading):
                    embedder.load()

    built = [_space(texts, lang, max_run) for texts, lang in per_article]
    flat = [t for _, unit_texts in built for t in unit_texts]
    if hasattr(embedder, "on_miss"):
        embedder.on_miss = announce
    else:
        announce()
    try:
        vecs = np.asarray(embedder.encode(flat), dtype=np.float32) if flat else np.zeros((0, 0), np.float32)
    finally:
        if hasattr(embedder, "on_miss"):
            embedder.on_miss = None
    out, pos = [], 0
    for space, unit_texts in built:
        out.append(replace(space, vectors=vecs[pos : pos + len(unit_texts)]))
        pos += len(unit_texts)
    return out


def embed(sentences, components: Components, cross_lingual_weight: float, say=lambda _m: None, langs=None, max_run: int = 0):
    """Per article, its :class:`ArticleVectors`; and the embedders' names for the signature.

    ``langs``: each article's language (for splitting source sentences into
    clauses); ``max_run``: parts are runs of up to this many clauses (0: whole
    sentences only).
    """
    langs = langs or ["en"] * len(sentences)
    has = [np.array([s.english is not None for s in ss], dtype=bool) for ss in sentences]
    all_english = all(h.all() for h in has)
    use_english = components.english is not None and any(h.any() for h in has)
    use_cross = components.cross_lingual is not None and (not all_english or cross_lingual_weight > 0 or not use_english)
    if not use_english and not use_cross:
        raise InputError("no embedder for these sentences: they have no English and no cross-lingual embedder is set")
    if not all_english and not use_cross:
        raise InputError("some sentences have no English; a cross-lingual embedder is needed to align them")
    info: dict = {"embedder": None, "cross_lingual": None}

    english = [None] * len(sentences)
    if use_english:
        e = components.english
        info["embedder"] = {"name": getattr(e, "name", e.id), "id": e.id, "version": e.version}
        english = _embed_spaces(e, [([s.english for s in ss], "en") for ss in sentences], max_run, say,
                                f"embedding {int(sum(h.sum() for h in has))} English sentences and their clauses with {e.id}")
    cross = [None] * len(sentences)
    if use_cross:
        x = components.cross_lingual
        info["cross_lingual"] = {"name": getattr(x, "name", x.id), "id": x.id, "version": x.version}
        cross = _embed_spaces(x, [([s.text for s in ss], lang) for ss, lang in zip(sentences, langs)], max_run, say,
                              f"embedding {sum(len(ss) for ss in sentences)} source sentences and their clauses with {x.id}")
    vectors = [ArticleVectors(en, h, xl) for en, h, xl in zip(english, has, cross)]
    return vectors, info


def _result(config, docs, sentences, audit, links, embed_info, used=None) -> Result:
    articles = tuple(
        ArticleResult(path=d.path, lang=d.lang, lang_detected=d.lang_detected, sha256=d.sha256, dropped=d.dropped, sentences=ss)
        for d, ss in zip(docs, sentences)
    )
    from dataclasses import replace

    from aligner.summary import summary_record

    result = Result(
        articles=articles,
        links=tuple(links),
        signature=signature(config, sentences, embed_info, used),
        glossary_audit=tuple(AuditEntry.from_dict(entry) for entry in audit),
        groups=group_links(links),
    )
    return replace(result, summary=summary_record(result))
