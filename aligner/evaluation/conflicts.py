"""Are the planted discrepancies found, and only they?  Comparable pairs from NTREX dev with a number changed.

Public surface: :func:`plant`, :func:`evaluate_conflicts`, :func:`format_conflicts`, :data:`RESTATEMENTS`.

The pairs are those of :mod:`aligner.evaluation.pairs`.  In some shared lines a
figure is changed on the Indonesian side (and in that line's English, the
translation memory of the oracle path): one digit of a number that the
Vietnamese line states too, so that the value changes and the length does not.

* ``whole`` -- the Indonesian sentence restates the whole line (``comparable``
  pairs): one shared line in two with such a number is changed;
* ``clause`` -- one side restates one clause of the line (``partial`` pairs),
  the other the whole line, and the clause holds the changed figure: every such
  line is changed (on the Indonesian side, whichever side the clause is on).

Each pair is then linked as ``align`` links it (default parameters) and every
link is checked as ``align`` checks it (:func:`aligner.summary.pair_discrepancy`'s
rules, :func:`aligner.quantities.differences`).  Recall: planted lines whose
sentences are linked and reported as disagreeing.  Precision: reported links
that join a planted line; the rest of NTREX is translation, so any other report
is a false alarm (a figure that one side leaves out is not a disagreement).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from aligner.align import AlignParams, link_pair
from aligner.evaluation.harness import Prepared
from aligner.evaluation.pairs import EvalPair, build_pairs
from aligner.facts import number_spans, number_symbols
from aligner.quantities import link_differences, sentence_quantities
from aligner.translate import normalise

RESTATEMENTS = {"whole": "comparable", "clause": "partial"}
WHOLE_SHARE = 0.5  # of the shared lines with a number both sides state, changed in ``whole``


@dataclass(frozen=True)
class Planted:
    pair: EvalPair
    keys: frozenset  # the changed lines


def _bump(token: str, lang: str) -> str:
    """``token`` (a number as written in ``lang``) with the last digit of its integer part changed."""
    decimal = number_symbols(lang)[1] if lang != "en" else "."
    integer = token.split(decimal)[0] if decimal in token and not re.fullmatch(r"\d{1,3}(\.\d{3})+", token) else token
    digits = [k for k, ch in enumerate(integer) if ch.isdigit()]
    k = digits[-1]
    d = int(token[k])
    new = d + 2 if d <= 7 else d - 2
    return token[:k] + str(new) + token[k + 1:]


def _changed(text: str, lang: str, value: str) -> tuple[str, str] | None:
    """``text`` with its first number of ``value`` changed; and the new value."""
    for start, end, v in number_spans(text, lang):
        if v == value:
            token = _bump(text[start:end], lang)
            new = [x for s, e, x in number_spans(token, lang)]
            if new and new[0] != value:
                return text[:start] + token + text[end:], new[0]
    return None


def _line_at(pair_text: str, spans: tuple, key) -> tuple[int, int] | None:
    for s, e, k in spans:
        if k == key:
            return s, e
    return None


def plant(pairs: list[EvalPair], documents, restatement: str, seed: int = 13, lang_a="vi", lang_b="id") -> list[Planted]:
    """Change a shared figure on side B of some shared lines (see the module's docstring)."""
    lines = {d.doc_id: d.lines for d in documents}
    out = []
    for pair in pairs:
        rng = random.Random(f"{seed}:plant:{pair.doc_id}")
        text_b, english, keys = pair.text_b, dict(pair.english), set()
        for key in sorted(pair.gold):
            if restatement == "whole" and pair.kind(key) != "whole":
                continue
            at_b, at_a = _line_at(text_b, pair.lines_b, key), _line_at(pair.text_a, pair.lines_a, key)
            if at_b is None or at_a is None:
                continue
            piece, piece_a = text_b[at_b[0]:at_b[1]], pair.text_a[at_a[0]:at_a[1]]
            full_b, full_a = lines[key[0]][lang_b][key[1]], lines[key[0]][lang_a][key[1]]
            clause = piece != full_b
            if restatement == "clause" and (clause == (piece_a != full_a) or not (piece == full_b or piece_a == full_a)):
                continue  # one side the whole line, the other one clause of it
            values_a = {v for _, _, v in number_spans(piece_a, lang_a)}
            line_en = lines[key[0]]["en"][key[1]]
            values_en = {v for _, _, v in number_spans(line_en, "en")}
            shared = [v for _, _, v in number_spans(piece, lang_b) if v in values_a and (clause or v in values_en)]
            if not shared or (restatement == "whole" and rng.random() >= WHOLE_SHARE):
                continue
            value = rng.choice(shared)
            changed = _changed(piece, lang_b, value)
            if changed is None:
                continue
            new_piece, new_value = changed
            if not clause:
                new_en = _changed(line_en, "en", value)
                if new_en is None or new_en[1] != new_value:
                    continue
                english.pop((lang_b, normalise(piece)), None)
                english[(lang_b, normalise(new_piece))] = new_en[0]
            text_b = text_b[:at_b[0]] + new_piece + text_b[at_b[1]:]
            keys.add(key)
        out.append(Planted(replace(pair, text_b=text_b, english=english), frozenset(keys)))
    return out


def _reported(p: Prepared, params: AlignParams, lang_a="vi", lang_b="id") -> list[tuple[tuple[int, ...], tuple[int, ...], str]]:
    """The links ``align`` makes in ``p`` that disagree: (sentences of A, sentences of B, severity)."""
    found = link_pair(p.scorer, p.nums[0], p.nums[1], params, p.words, p.figures)
    out = []
    for pl in found:
        sides = []
        for side, idx, lang in ((0, pl.a, lang_a), (1, pl.b, lang_b)):
            ss = [p.sentences[side][i] for i in idx]
            sides.append(([sentence_quantities(s.text, s.english, lang) for s in ss], [s.english for s in ss]))
        diffs = link_differences(sides[0][0], sides[1][0], sides[0][1], sides[1][1], pl.part_a, pl.part_b,
                                 pl.part_space == "english")
        if diffs:
            out.append((pl.a, pl.b, "hard" if any(d.severity == "hard" for d in diffs) else "soft"))
    return out


def evaluate_conflicts(prepared: list[Prepared], planted: list[Planted], params: AlignParams = AlignParams()) -> dict:
    """Recall and precision of the reported discrepancies against the planted ones."""
    total = found = reported = true = hard = 0
    for p, pl in zip(prepared, planted):
        reports = _reported(p, params)
        hit_keys = set()
        for a, b, severity in reports:
            keys = {k for i in a for j in b for k in set(p.lines_a[i]) & set(p.lines_b[j]) & pl.keys}
            reported += 1
            hard += severity == "hard"
            if keys:
                true += 1
                hit_keys |= keys
        total += len(pl.keys)
        found += len(hit_keys)
    return {
        "planted": total, "found": found, "reported": reported, "true": true, "hard": hard,
        "recall": found / total if total else 0.0, "precision": true / reported if reported else 0.0,
    }


def format_conflicts(rows: list[tuple[str, str, dict]]) -> str:
    """A markdown table: one row per (restatement, path)."""
    lines = ["| restatement | path | planted | found | recall | reported | of them planted | precision |",
             "|---|---|---|---|---|---|---|---|"]
    for restatement, path, r in rows:
        lines.append(f"| {restatement} | {path} | {r['planted']} | {r['found']} | {r['recall']:.3f} | {r['reported']} | "
                     f"{r['true']} | {r['precision']:.3f} |")
    return "\n".join(lines)


def conflict_pairs(documents, restatement: str, seed: int = 13) -> list[Planted]:
    """The pairs of ``restatement`` with their planted discrepancies."""
    return plant(build_pairs(documents, seed=seed, mode=RESTATEMENTS[restatement]), documents, restatement, seed)


def conflict_report(documents, paths, seed: int = 13) -> str:
    """Both restatements on every path (``paths``: (title, AlignConfig, oracle English?)), as one table."""
    from aligner.evaluation.harness import prepare_pairs

    rows = []
    for restatement in RESTATEMENTS:
        planted = conflict_pairs(documents, restatement, seed)
        for title, config, oracle in paths:
            prepared = prepare_pairs([p.pair for p in planted], config, oracle_english=oracle)
            rows.append((restatement, title, evaluate_conflicts(prepared, planted, config.params)))
    return format_conflicts(rows)
