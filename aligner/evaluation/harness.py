"""Prepare pairs with the pipeline's stages, score methods, tune on even documents.

Public surface: :class:`Prepared`, :func:`prepare_pairs`, :func:`score`,
:func:`evaluate`, :func:`format_table`.

Scoring is per sentence pair: gold pairs are the (sentence of A, sentence of
B) pairs that share an NTREX line present on both sides (a sentence covers a
line when at least half of the shorter of the two overlaps); a link predicts
every pair of its sentences.  Recall is also reported per gold kind (whole,
partial, merged).  Thresholds are tuned per method on the even-position
documents and reported on the odd ones (held out) and on all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from aligner.align import AlignParams, PairScorer
from aligner.align.lexical import WordOverlap
from aligner.align.quantity_evidence import sentence_figures
from aligner.cache import Cache
from aligner.evaluation.methods import GRIDS, links
from aligner.evaluation.pairs import EvalPair
from aligner.facts import numbers
from aligner.ingest import article_from_text
from aligner.pipeline import AlignConfig, build_components, embed, prepare
from aligner.translate import TranslationMemory, translate_articles

KINDS = ("whole", "partial", "merged")


@dataclass
class Prepared:
    pair: EvalPair
    scorer: PairScorer
    sim: np.ndarray  # whole-sentence cosines (for the baselines)
    nums: tuple
    lines_a: list  # per sentence, the line keys it covers
    lines_b: list
    gold: dict  # (sentence of A, sentence of B) -> kind
    embed_info: dict  # the embedders' names and versions, for the signature
    words: WordOverlap | None = None  # content-word overlap of the sentences' English
    sentences: tuple = ()  # per side, its sentences (text and English)
    figures: tuple | None = None  # per side, each sentence's figures with their roles (link evidence)


def _lines_of(spans: tuple, start: int, end: int) -> list:
    """Line keys a sentence covers (at least half of the shorter one overlaps)."""
    keys = []
    for s, e, key in spans:
        overlap = min(e, end) - max(s, start)
        if overlap > 0 and overlap >= 0.5 * min(e - s, end - start):
            keys.append(key)
    return keys


def prepare_pairs(pairs: list[EvalPair], config: AlignConfig, oracle_english: bool, lang_a="vi", lang_b="id") -> list[Prepared]:
    """Segment, translate and embed every pair with the pipeline's own stages.

    ``oracle_english``: NTREX's English is the translation memory (a sentence
    that is not exactly one line gets no English); otherwise nothing is
    translated and only the cross-lingual space is used.
    """
    cache = Cache(None if not config.use_cache else config.cache_dir)
    models = build_components(config, cache)
    out = []
    for pair in pairs:
        docs = [article_from_text(pair.text_a, lang_a, f"{pair.doc_id}:{lang_a}"),
                article_from_text(pair.text_b, lang_b, f"{pair.doc_id}:{lang_b}")]
        memory = TranslationMemory(pair.english, "ntrex-oracle") if oracle_english else None

        def to_english(articles, memory=memory):
            return translate_articles(articles, mode="auto" if memory else "none", memory=memory)

        components = replace(models, to_english=to_english)
        sentences, _ = prepare(docs, config, components)
        vectors, embed_info = embed(sentences, components, config.cross_lingual_weight, langs=[lang_a, lang_b],
                           max_run=config.params.max_clause_run)
        p = config.params
        scorer = PairScorer(vectors[0], vectors[1], p.k, config.cross_lingual_weight, p.part_penalty)
        va, vb = scorer.whole_vectors()
        lines_a = [_lines_of(pair.lines_a, s.start, s.end) for s in sentences[0]]
        lines_b = [_lines_of(pair.lines_b, s.start, s.end) for s in sentences[1]]
        gold = {}
        for i, ka in enumerate(lines_a):
            for j, kb in enumerate(lines_b):
                shared = set(ka) & set(kb) & pair.gold
                if shared:
                    gold[(i, j)] = max((pair.kind(k) for k in shared), key=KINDS.index)
        nums = tuple([numbers(s.text, d.lang) for s in ss] for d, ss in zip(docs, sentences))
        words = WordOverlap([s.english for s in sentences[0]], [s.english for s in sentences[1]])
        figures = tuple([sentence_figures(s.text, s.english, d.lang) for s in ss] for d, ss in zip(docs, sentences))
        out.append(Prepared(pair, scorer, va @ vb.T, nums, lines_a, lines_b, gold, embed_info, words,
                            (tuple(sentences[0]), tuple(sentences[1])), figures))
    cache.close()
    return out


def score(method: str, prepared: list[Prepared], value: float, params: AlignParams = AlignParams()) -> dict:
    tp = predicted = gold = 0
    found = {k: 0 for k in KINDS}
    total = {k: 0 for k in KINDS}
    for p in prepared:
        pairs = {(i, j) for a, b in links(method, p, value, params) for i in a for j in b}
        predicted += len(pairs)
        gold += len(p.gold)
        hits = pairs & p.gold.keys()
        tp += len(hits)
        for cell, kind in p.gold.items():
            total[kind] += 1
            found[kind] += cell in hits
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_kind = {k: (found[k] / total[k] if total[k] else None) for k in KINDS}
    return {"precision": precision, "recall": recall, "f1": f1, "value": float(value), "recall_by_kind": by_kind}


def evaluate(prepared: list[Prepared], methods=tuple(GRIDS), params: AlignParams = AlignParams()) -> list[dict]:
    """Per method: the value tuned on even-position pairs, scores on odd (held out) and on all."""
    tune, held = prepared[0::2], prepared[1::2]
    rows = []
    for method in methods:
        key = lambda r: (r["f1"], -abs(r["value"]))  # noqa: E731
        best = max((score(method, tune, v, params) for v in GRIDS[method]), key=key)
        tuned_all = max((score(method, prepared, v, params) for v in GRIDS[method]), key=key)
        rows.append({
            "method": method,
            "tuned_value": best["value"],
            "held_out": score(method, held, best["value"], params),
            "all_tuned_on_all": tuned_all,
        })
    return rows


def _recall(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def format_table(title: str, rows: list[dict], kinds: bool = False) -> str:
    head = "| method | threshold (tuned on even docs) | P held-out | R held-out | F1 held-out |"
    rule = "|---|---|---|---|---|"
    if kinds:
        head += " R whole | R partial | R merged |"
        rule += "---|---|---|"
    head += " F1 all (tuned on all, threshold) |"
    rule += "---|"
    lines = [f"### {title}", "", head, rule]
    for r in rows:
        h, a = r["held_out"], r["all_tuned_on_all"]
        line = f"| {r['method']} | {r['tuned_value']:.2f} | {h['precision']:.3f} | {h['recall']:.3f} | {h['f1']:.3f} |"
        if kinds:
            line += "".join(f" {_recall(h['recall_by_kind'][k])} |" for k in KINDS)
        line += f" {a['f1']:.3f} ({a['value']:.2f}) |"
        lines.append(line)
    return "\n".join(lines)
