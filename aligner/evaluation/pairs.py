"""Comparable article pairs with known gold, built from NTREX-128 dev.

Public surface: :class:`Document`, :class:`EvalPair`, :func:`load_documents`,
:func:`build_pairs`, :data:`MODES`.

For each document, two "articles" are made from its line-aligned Vietnamese
and Indonesian translations: each side keeps a random ~75% of the lines
independently, one side's lines are reordered in blocks of 1-3, two lines from
other documents are mixed into each side, and lines are packed into
paragraphs of 1-3 sentences.  Gold: the same NTREX line on both sides.

``partial`` mode looks more like real comparable news: besides the above,
about a third of the shared lines appear on one side as one clause only
(gold kind ``partial``), and some pairs of adjacent shared lines are joined
into one sentence on one side (kind ``merged``); the rest are ``whole``.
Everything is seeded.  NTREX-128 (Federmann, Kocmi, Xin 2022), CC BY-SA 4.0.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from aligner.segment import attribution_clauses, split_clauses
from aligner.translate import normalise

LANGS = {"vi": "vie.txt", "id": "ind.txt", "en": "eng.txt"}
DEFAULT_SEED = 13
MODES = ("comparable", "partial")
PARTIAL_SHARE = 1 / 3  # of shared lines, shown as one clause on one side
MERGE_SHARE = 0.5  # of adjacent pairs of whole shared lines, joined on one side
MIN_CLAUSE_WORDS = 5
JOINERS = {"vi": (", và ", "; "), "id": (", dan ", "; "), "en": (", and ", "; ")}
_FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")


@dataclass(frozen=True)
class Document:
    doc_id: str
    lines: dict  # lang -> list of lines


@dataclass(frozen=True)
class EvalPair:
    doc_id: str
    text_a: str
    text_b: str
    lines_a: tuple  # (start, end, line key) in text_a; a joined sentence holds two keys
    lines_b: tuple
    gold: frozenset  # line keys on both sides
    english: dict  # (lang, line text) -> English (the oracle translation)
    kinds: tuple = ()  # (line key, "whole" | "partial" | "merged") for every gold key

    def kind(self, key) -> str:
        return dict(self.kinds).get(key, "whole")


def load_documents(ntrex_dir: str | Path) -> list[Document]:
    d = Path(ntrex_dir)
    ids = (d / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    texts = {lang: (d / f).read_text(encoding="utf-8").splitlines() for lang, f in LANGS.items()}
    docs: dict[str, dict] = {}
    for i, doc_id in enumerate(ids):
        entry = docs.setdefault(doc_id, {lang: [] for lang in LANGS})
        for lang in LANGS:
            entry[lang].append(texts[lang][i])
    return [Document(k, v) for k, v in docs.items()]


# An item is one sentence of an article: its text and the line keys inside it as
# (start, end, key) relative to the text.
Item = tuple[str, tuple[tuple[int, int, tuple], ...]]


def _item(key, text: str) -> Item:
    return text, ((0, len(text), key),)


def _pack(items: list[Item], rng: random.Random) -> tuple[str, tuple]:
    """Join items into paragraphs of 1-3; return the text and every line key's span."""
    out, spans, i, pos = [], [], 0, 0
    while i < len(items):
        para = items[i : i + rng.randint(1, 3)]
        # a headline (no final punctuation) ends its paragraph, as in a real article
        for k, (text, _) in enumerate(para):
            if not _FINAL.search(text.rstrip()):
                para = para[: k + 1]
                break
        parts = []
        for k, (text, keys) in enumerate(para):
            if k:
                parts.append(" ")
                pos += 1
            spans += [(pos + s, pos + e, key) for s, e, key in keys]
            parts.append(text)
            pos += len(text)
        out.append("".join(parts))
        pos += 1  # newline
        i += len(para)
    return "\n".join(out) + "\n", tuple(spans)


def _one_clause(text: str, lang: str, rng: random.Random) -> str | None:
    """One clause of ``text`` that states a fact, as a sentence of its own; None when
    the line has only one (an attribution such as "officials said" states none)."""
    spans = split_clauses(text, lang)
    frames = attribution_clauses(text, lang, spans)
    clauses = [text[s:e] for k, (s, e) in enumerate(spans) if k not in frames]
    clauses = [c for c in clauses if len(c.split()) >= MIN_CLAUSE_WORDS] if len(spans) > 1 else []
    if len(clauses) < 2:
        return None
    clause = rng.choice(clauses).strip().rstrip(",;:")
    clause = clause[0].upper() + clause[1:]
    return clause if _FINAL.search(clause) else clause + "."


def _join(first: str, second: str, lang: str, rng: random.Random) -> tuple[str, int]:
    """Two sentences as one; returns the text and where the second starts."""
    head = _FINAL.sub("", first.rstrip())
    joiner = rng.choice(JOINERS.get(lang, JOINERS["en"]))
    return head + joiner + second, len(head) + len(joiner)


def _side(doc: Document, lang: str, keep: list[int], partial: set, merged: set, rng: random.Random) -> list[Item]:
    """The items of one side: whole lines, one-clause lines, joined pairs of lines."""
    items: list[Item] = []
    k = 0
    while k < len(keep):
        i = keep[k]
        key = (doc.doc_id, i)
        line = doc.lines[lang][i]
        if key in partial:
            items.append(_item(key, partial[key]))
        elif key in merged and k + 1 < len(keep) and (doc.doc_id, keep[k + 1]) in merged:
            nxt = (doc.doc_id, keep[k + 1])
            text, split = _join(line, doc.lines[lang][keep[k + 1]], lang, rng)
            items.append((text, ((0, split, key), (split, len(text), nxt))))
            k += 1
        else:
            items.append(_item(key, line))
        k += 1
    return items


def build_pairs(
    documents: list[Document],
    seed: int = DEFAULT_SEED,
    keep: float = 0.75,
    distractors: int = 2,
    lang_a: str = "vi",
    lang_b: str = "id",
    mode: str = "comparable",
) -> list[EvalPair]:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    pairs = []
    for doc in documents:
        rng = random.Random(f"{seed}:{doc.doc_id}")
        count = len(doc.lines[lang_a])
        keep_a = [i for i in range(count) if rng.random() < keep]
        keep_b = [i for i in range(count) if rng.random() < keep]
        # reorder side B in blocks of 1-3 lines
        blocks, i = [], 0
        while i < len(keep_b):
            size = rng.randint(1, 3)
            blocks.append(keep_b[i : i + size])
            i += size
        rng.shuffle(blocks)
        keep_b = [i for b in blocks for i in b]
        shared = sorted(set(keep_a) & set(keep_b))
        partial = {lang_a: {}, lang_b: {}}
        merged = {lang_a: set(), lang_b: set()}
        kinds = {}
        if mode == "partial":
            for i in shared:
                if rng.random() < PARTIAL_SHARE:
                    lang = rng.choice((lang_a, lang_b))
                    clause = _one_clause(doc.lines[lang][i], lang, rng)
                    if clause:
                        partial[lang][(doc.doc_id, i)] = clause
                        kinds[(doc.doc_id, i)] = "partial"
            for lang, order in ((lang_a, keep_a), (lang_b, keep_b)):
                k = 0
                while k + 1 < len(order):
                    x, y = (doc.doc_id, order[k]), (doc.doc_id, order[k + 1])
                    if all(order[j] in shared and key not in kinds for j, key in ((k, x), (k + 1, y))) and rng.random() < MERGE_SHARE:
                        merged[lang] |= {x, y}
                        kinds[x] = kinds[y] = "merged"
                        k += 2
                    else:
                        k += 1
        side_a = _side(doc, lang_a, keep_a, partial[lang_a], merged[lang_a], rng)
        side_b = _side(doc, lang_b, keep_b, partial[lang_b], merged[lang_b], rng)
        others = [d for d in documents if d.doc_id != doc.doc_id]
        for side, lang in ((side_a, lang_a), (side_b, lang_b)):
            for _ in range(distractors):
                other = rng.choice(others)
                j = rng.randrange(len(other.lines[lang]))
                side.insert(rng.randint(0, len(side)), _item((other.doc_id, j), other.lines[lang][j]))
        text_a, spans_a = _pack(side_a, rng)
        text_b, spans_b = _pack(side_b, rng)
        english = {}
        by_id = {d.doc_id: d for d in documents}
        for items, lang in ((side_a, lang_a), (side_b, lang_b)):
            for text, keys in items:
                if len(keys) == 1 and text == by_id[keys[0][2][0]].lines[lang][keys[0][2][1]]:
                    key = keys[0][2]
                    english[(lang, normalise(text))] = by_id[key[0]].lines["en"][key[1]]
        gold = frozenset(k for _, _, k in spans_a) & frozenset(k for _, _, k in spans_b)
        pairs.append(EvalPair(doc.doc_id, text_a, text_b, spans_a, spans_b, gold, english,
                              tuple(sorted((k, v) for k, v in kinds.items() if k in gold))))
    return pairs
