"""Why partial recall stays low: are the missed one-clause pairs ranked first, just weakly?

Usage:  .venv/bin/python benchmarks/partial_ceiling.py [--paths none|oracle] [--docs N]

Builds the evaluation's ``partial`` pairs from NTREX dev (as ``aligner eval``),
embeds them with the pipeline's own stages, and prints, per gold kind, how many
gold pairs of the odd (held-out) documents are their sentences' best match in
both directions ("mutual best"), and how many are linked at the default
threshold.  Then, on the even documents, it counts the pairs that are mutual
best but left unlinked, by score band, gold versus not: if gold pairs are a
small share of every band, no lower threshold or mutual-best rule can recover
them without losing more precision.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def mutual_best(prepared) -> set[tuple[int, int]]:
    cells = prepared.scorer.cells(prepared.scorer.candidates())
    row, col = {}, {}
    for c in cells:
        if c.score > row.get(c.i, (float("-inf"), -1))[0]:
            row[c.i] = (c.score, c.j)
        if c.score > col.get(c.j, (float("-inf"), -1))[0]:
            col[c.j] = (c.score, c.i)
    return {(i, j) for i, (_, j) in row.items() if col[j][1] == i}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", choices=("none", "oracle"), default="none")
    ap.add_argument("--docs", type=int, default=None)
    args = ap.parse_args()

    from aligner.align import AlignParams, link_pair
    from aligner.data import ntrex_dir
    from aligner.evaluation.harness import prepare_pairs
    from aligner.evaluation.pairs import build_pairs, load_documents
    from aligner.pipeline import AlignConfig

    params = AlignParams()
    documents = load_documents(ntrex_dir())[: args.docs]
    pairs = build_pairs(documents, mode="partial")
    config = AlignConfig(paths=(), translator="none" if args.paths == "none" else "auto")
    prepared = prepare_pairs(pairs, config, oracle_english=args.paths == "oracle")
    even, odd = prepared[0::2], prepared[1::2]

    def linked(p):
        return {(i, j) for link in link_pair(p.scorer, p.nums[0], p.nums[1], params, p.words) for i in link.a for j in link.b}

    ranks, found = Counter(), Counter()
    for p in odd:
        best, got = mutual_best(p), linked(p)
        for cell, kind in p.gold.items():
            ranks[kind, cell in best] += 1
            found[kind] += cell in got
    print(f"partial pairs, --paths {args.paths}, threshold {params.threshold}; odd (held-out) documents:")
    for kind in ("whole", "partial", "merged"):
        total = ranks[kind, True] + ranks[kind, False]
        print(f"  {kind:8s} gold {total:4d}  mutual best {ranks[kind, True]:4d}  linked {found[kind]:4d}")

    bands = Counter()
    for p in even:
        got = linked(p)
        used_a, used_b = {i for i, _ in got}, {j for _, j in got}
        for cell in mutual_best(p):
            if cell in got or cell[0] in used_a or cell[1] in used_b:
                continue
            score = p.scorer.cells([cell])[0].score
            if 0.0 <= score < params.threshold:
                low = int(score * 5) / 5
                band = f"{low:.1f}-{min(low + 0.2, params.threshold):.1f}"
                bands[band, "gold" if cell in p.gold else "not gold"] += 1
    print("even documents, mutual-best pairs left unlinked, by score:")
    for band in sorted({b for b, _ in bands}):
        print(f"  {band}: gold {bands[band, 'gold']:3d}, not gold {bands[band, 'not gold']:3d}")
    gold = sum(v for (_, g), v in bands.items() if g == "gold")
    print(f"  all: gold {gold}, not gold {sum(bands.values()) - gold}")


if __name__ == "__main__":
    main()
