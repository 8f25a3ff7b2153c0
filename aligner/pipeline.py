"""The whole run: articles in, :class:`~aligner.result.Result` out.

Public surface: :class:`AlignConfig`, :func:`run`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Callable

from aligner import __version__
from aligner.align import AlignParams, align_pair, margin_scores
from aligner.cache import Cache, default_cache_dir
from aligner.embed import MULTILINGUAL, CachedEmbedder, E5Embedder, get_embedder
from aligner.errors import InputError
from aligner.facts import names, numbers
from aligner.ingest import read_article
from aligner.result import ArticleResult, Evidence, Link, Member, Result, Sentence
from aligner.segment import split_sentences
from aligner.translate import (
    DEFAULT_BEAM_SIZE,
    DEFAULT_COMPUTE_TYPE,
    ArgosTranslator,
    TranslationMemory,
    render_english,
)

DEFAULT_CROSS_LINGUAL_WEIGHT = 0.5


@dataclass(frozen=True)
class AlignConfig:
    """Everything a run depends on.  Paths are strings; ``None`` means "not used"."""

    paths: tuple[str, ...]
    langs: tuple[str | None, ...] = ()
    translator: str = "auto"
    memory: str | None = None
    packages_dir: str | None = None
    device: str = "cpu"  # argos/CTranslate2 options
    threads: int = 0  # 0: CTranslate2 decides
    beam_size: int = DEFAULT_BEAM_SIZE
    compute_type: str = DEFAULT_COMPUTE_TYPE
    embedder: str = "minilm"
    cross_lingual_weight: float = DEFAULT_CROSS_LINGUAL_WEIGHT
    glossary: str | None = None
    cache_dir: str | None = None  # None: $ALIGNER_CACHE_DIR or the user cache dir
    use_cache: bool = True
    params: AlignParams = field(default_factory=AlignParams)
    progress: bool = False


def _file_sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run(config: AlignConfig, status: Callable[[str], None] | None = None) -> Result:
    if len(config.paths) < 2:
        raise InputError("give at least two article files")
    langs = list(config.langs) or [None] * len(config.paths)
    if len(langs) != len(config.paths):
        raise InputError(f"--lang has {len(langs)} codes for {len(config.paths)} files")
    seen: dict[str, str] = {}
    for p in config.paths:
        resolved = str(Path(p).resolve())
        if resolved in seen:
            raise InputError(f"{p}: the same file is given twice")
        seen[resolved] = p

    docs = [read_article(p, lang) for p, lang in zip(config.paths, langs)]
    by_hash: dict[str, str] = {}
    for d in docs:
        if d.sha256 in by_hash:
            raise InputError(f"{d.path}: same content as {by_hash[d.sha256]} (the same article twice)")
        by_hash[d.sha256] = d.path
    return run_articles(docs, config, status)


def run_articles(docs, config: AlignConfig, status: Callable[[str], None] | None = None, memory=None) -> Result:
    """The pipeline after ingest: segment, translate, glossary, embed, align.

    ``memory`` (a :class:`TranslationMemory`) overrides ``config.memory``.
    """
    say = status or (lambda _msg: None)
    cache = Cache(None if not config.use_cache else (config.cache_dir or default_cache_dir()))
    sentences, audit = prepare(docs, config, cache, say, memory)
    en_vecs, xl_vecs, embed_info = embed_sentences(config, sentences, cache, say)
    links = link_all(config, docs, sentences, en_vecs, xl_vecs)
    cache.close()
    return _result(config, docs, sentences, audit, links, embed_info)


def prepare(docs, config: AlignConfig, cache: Cache, say, memory=None):
    """Segment, translate and apply the glossary: per article, its :class:`Sentence` list."""
    spans = []
    for d in docs:
        s = split_sentences(d.text, d.lang, d.kept_ranges())
        if not s:
            raise InputError(f"{d.path}: no sentences left after removing boilerplate")
        spans.append(s)
    texts = [[d.text[s:e] for s, e in sp] for d, sp in zip(docs, spans)]

    if memory is None and config.memory:
        memory = TranslationMemory.load(config.memory)
    argos = (
        ArgosTranslator(
            config.packages_dir,
            device=config.device,
            threads=config.threads,
            beam_size=config.beam_size,
            compute_type=config.compute_type,
        )
        if config.translator in ("auto", "argos")
        else None
    )
    renderings = render_english(
        [(d.lang, t) for d, t in zip(docs, texts)],
        mode=config.translator,
        memory=memory,
        argos=argos,
        cache=cache,
        progress=say,
    )

    # glossary
    matcher = None
    if config.glossary:
        from aligner import glossary as gl

        glossary_file = gl.load(config.glossary)
        problems = gl.check(glossary_file)
        if problems:
            raise InputError(problems[0])
        matcher = glossary_file.matcher()
    sentences: list[list[Sentence]] = []
    for a, (d, sp, ts, rs) in enumerate(zip(docs, spans, texts, renderings)):
        out = []
        for i, ((s, e), text, r) in enumerate(zip(sp, ts, rs)):
            english, hits = r.english, ()
            if matcher is not None:
                from aligner import glossary as gl

                machine = r.source.startswith("argos:")
                english, hits = gl.apply(matcher, d.lang, text, english, rewrite=machine)
            out.append(
                Sentence(
                    index=i,
                    start=d.original_offset(s),
                    end=d.original_offset(e),
                    text=text,
                    english=english,
                    english_source=r.source,
                    glossary=hits,
                )
            )
        sentences.append(out)
    audit = []
    if matcher is not None:
        from aligner import glossary as gl

        audit = gl.audit(matcher, [(a, s.index, s.english, s.glossary) for a, ss in enumerate(sentences) for s in ss])
    return sentences, audit


def _result(config, docs, sentences, audit, links, embed_info) -> Result:
    articles = tuple(
        ArticleResult(
            path=d.path,
            lang=d.lang,
            lang_detected=d.lang_detected,
            sha256=d.sha256,
            dropped=d.dropped,
            sentences=tuple(ss),
        )
        for d, ss in zip(docs, sentences)
    )
    signature = {
        "aligner": __version__,
        "translator": config.translator,
        "english_sources": sorted({s.english_source for ss in sentences for s in ss}),
        "memory": {"path": config.memory, "sha256": _file_sha(config.memory)} if config.memory else None,
        "glossary": {"path": config.glossary, "sha256": _file_sha(config.glossary)} if config.glossary else None,
        **embed_info,
        "cross_lingual_weight": config.cross_lingual_weight,
        "align": asdict(config.params),
    }
    return Result(articles=articles, links=tuple(links), signature=signature, glossary_audit=tuple(audit))


def embed_sentences(config: AlignConfig, sentences, cache: Cache, say):
    """English-space vectors (None where a sentence has no English) and cross-lingual vectors, as needed."""

    all_english = all(s.english is not None for ss in sentences for s in ss)
    use_english = config.embedder != MULTILINGUAL and any(s.english is not None for ss in sentences for s in ss)
    use_xl = config.embedder == MULTILINGUAL or not all_english or config.cross_lingual_weight > 0
    info: dict = {"embedder": None, "cross_lingual": None}

    en_vecs = xl_vecs = None
    if use_english:
        embedder = CachedEmbedder(get_embedder(config.embedder), cache, progress=config.progress)
        info["embedder"] = {"name": config.embedder, "id": embedder.id, "version": embedder.version}
        flat = [s.english for ss in sentences for s in ss if s.english is not None]
        say(f"embedding {len(flat)} English sentences with {embedder.id}")
        vecs = iter(embedder.encode(flat)) if flat else iter(())
        en_vecs = [[next(vecs) if s.english is not None else None for s in ss] for ss in sentences]
    if use_xl:
        xl = CachedEmbedder(E5Embedder(), cache, progress=config.progress)
        info["cross_lingual"] = {"name": MULTILINGUAL, "id": xl.id, "version": xl.version}
        flat = [s.text for ss in sentences for s in ss]
        say(f"embedding {len(flat)} source sentences with {xl.id}")
        vecs = iter(xl.encode(flat))
        xl_vecs = [[next(vecs) for _ in ss] for ss in sentences]
    return en_vecs, xl_vecs, info


def link_all(config: AlignConfig, docs, sentences, en_vecs, xl_vecs) -> list[Link]:
    """Align every pair of articles."""
    nums = [[numbers(s.text, d.lang) for s in ss] for d, ss in zip(docs, sentences)]
    links = []
    for p, q in combinations(range(len(docs)), 2):
        sim, margin, space, vectors = pair_scores(en_vecs, xl_vecs, p, q, config)
        for pl in align_pair(sim, margin, nums[p], nums[q], config.params, vectors):
            en_a = " ".join(sentences[p][i].english or "" for i in pl.a)
            en_b = " ".join(sentences[q][j].english or "" for j in pl.b)
            terms_a = {h.concept for i in pl.a for h in sentences[p][i].glossary}
            terms_b = {h.concept for j in pl.b for h in sentences[q][j].glossary}
            links.append(
                Link(
                    members=(Member(p, pl.a), Member(q, pl.b)),
                    score=pl.score,
                    evidence=Evidence(
                        space=space,
                        cosine=pl.cosine,
                        margin=pl.margin,
                        numbers=pl.shared_numbers,
                        names=tuple(sorted(names(en_a) & names(en_b))),
                        terms=tuple(sorted(terms_a & terms_b)),
                    ),
                )
            )
    links.sort(key=lambda link: tuple((m.article, m.sentences) for m in link.members))
    return links


def pair_scores(en_vecs, xl_vecs, p, q, config: AlignConfig):
    """Cosine and margin matrices for articles p (rows) and q (columns), the space used, and the vectors.

    * every sentence of both articles has English: the English space, combined
      with the cross-lingual margin when ``cross_lingual_weight`` > 0;
    * some have English: the cross-lingual space, with the English margin
      (combined the same way) for the pairs where both sentences have English;
    * none: the cross-lingual space on source text.
    """
    import numpy as np

    k, w = config.params.k, config.cross_lingual_weight
    has_a = [v is not None for v in en_vecs[p]] if en_vecs is not None else [False] * len(xl_vecs[p])
    has_b = [v is not None for v in en_vecs[q]] if en_vecs is not None else [False] * len(xl_vecs[q])
    xl = None
    if xl_vecs is not None:
        xa, xb = np.stack(xl_vecs[p]), np.stack(xl_vecs[q])
        xl_sim = xa @ xb.T
        xl = (xl_sim, margin_scores(xl_sim, k), (xa, xb))
    if all(has_a) and all(has_b):
        a, b = np.stack(en_vecs[p]), np.stack(en_vecs[q])
        sim = a @ b.T
        margin = margin_scores(sim, k)
        if xl is not None and w > 0:
            return sim, (1 - w) * margin + w * xl[1], "english+multilingual", (a, b)
        return sim, margin, "english", (a, b)
    xl_sim, xl_margin, vectors = xl
    ia, jb = [i for i, h in enumerate(has_a) if h], [j for j, h in enumerate(has_b) if h]
    if len(ia) < 2 or len(jb) < 2:
        return xl_sim, xl_margin, "multilingual", vectors
    a, b = np.stack([en_vecs[p][i] for i in ia]), np.stack([en_vecs[q][j] for j in jb])
    margin = xl_margin.copy()
    cells = np.ix_(ia, jb)
    margin[cells] = (1 - w) * margin_scores(a @ b.T, k) + w * xl_margin[cells]
    return xl_sim, margin, "english+multilingual", vectors
