"""CPU seconds of aligner's linking on NTREX, and a hash of the links (a speed-up keeps it).

    python benchmarks/linking_speed.py [--docs 20] [--cache-dir DIR] [--repeat 5]
                                       [--blas-threads 1] [--profile FILE]

Data: as ``benchmarks/peers.py`` -- the NTREX-128 dev subset aligner ships, vi <-> id, no
translation (cross-lingual space only): the whole file as one pair (956 lines a side) and
``--docs`` comparable pairs built by ``aligner eval``.  Linking is ``PairScorer`` (the blockwise
scan) plus ``link_pair`` (scores, evidence, competitive linking, merges), timed in-process with
``time.process_time``, best of ``--repeat`` after one untimed run, with BLAS on
``--blas-threads`` threads (default 1, as ``aligner align`` links; 0: BLAS's own default, whose
idle threads spin and count as CPU).  Embedding is not timed.

The hash is sha256 of the ``repr`` of the values of every PairLink (sentences, score, cosine,
similarity, numbers, kind, parts, space) of every pair, in order: equal hashes mean identical
links.  (Until PairLink.margin was renamed ``similarity`` it hashed the ``repr`` with the field
names; the hashes in the table below are of that kind, and the renamed code gives them again
when "similarity=" is written "margin=".)  Also printed:
the same for the oracle-English pairs, embedded as ``aligner eval`` embeds them (translator
"auto": the NTREX English as memory, all-MiniLM-L6-v2 for the English space), so both scorer
paths (English and cross-lingual spaces, parts in both) are covered.  (Before 79e1ee0 they were
embedded with translator "none": no English space was built, only the word evidence changed.)

``--profile FILE``: also write a cProfile of the whole-file linking to FILE (``pstats`` readable).

Measured 2026-12-02 (issue 23, Build 4), one BLAS thread, best of 7, 2 cores shared with other
jobs (load about 1; run to run the figures vary by 5-10 %); "before" is ``align/score.py`` at
c8bbed0, "after" this version, run alternately, the better of two runs each; the hashes are
equal, so the links are identical:

| pairs | links | hash | before | after |
|---|---|---|---|---|
| whole file, 973 x 966 sentences, no English | 897 | b694fb596e908536 | 0.197 | 0.176 |
| whole file, oracle English (both spaces) | 965 | c6017ed8d27f7fe4 | 0.322 | 0.279 |
| 20 comparable, no English | 187 | 71483202705ca84f | 0.023 | 0.025 |
| 20 partial, oracle English | 185 | 96283f89ac5ef264 | 0.034 | 0.037 |

After the rename and with ``_merge_options``' gains batched (links.py), the values-only hashes of
the four rows are 99987c74b2587291, 030ef6558d402fea, 9f410940e76fc86e, 84ccf4b6a0eecdb7, and the
named hashes with "margin=" are those above: the same links (0.180 / 0.294 / 0.024 / 0.039 s).

The oracle-English pairs embedded with translator "none" (the hashes this script printed before
79e1ee0) are identical too: 8153fb641e10cb47 (whole file, 944 links), bc7640f2241e0be6 (20
partial, 181 links).  ``aligner eval --mode both`` prints the same tables before and after.

Issue 23, third session (same hashes, so the same links; ``aligner eval --mode both`` prints
the same tables): merge options only for unlinked neighbours (a linked neighbour was measured,
then skipped), the moments summed chunk by chunk in cache with the squares as a dot product,
the candidates' table built from arrays, and a cell's unit pairs built by repeats instead of
``//`` and ``%``: measured in one process, alternating with 446721f on the same vectors
(``median`` of 30), about 0.80 of its time; this script, best of 9: 0.145 s without English
(was 0.175), 0.228 s with the oracle English (was 0.274), 0.023 / 0.036 s on the small pairs.

Where the whole file's 0.145 s goes (no English): the unit cosines' GEMM (3220 x 2643 units,
dim 384, float32: 6.5 GFLOP) about 0.065 s -- bit for bit the same in any order of rows and
columns, and as fast as numpy's OpenBLAS goes here; the rest of the scan (k best of rows and
columns, maxima over units, moments, nearest units) about 0.05 s; ``link_pair`` about 0.03 s,
of which ``_score`` (the candidates' table, about 0.012 s, then the cells and their evidence)
about 0.022 s.  The small pairs' time is Python's, per cell and link.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import sys
import time

from aligner.evaluation.pairs import EvalPair


def whole_file_pair(ntrex) -> EvalPair:
    """The whole NTREX dev file, vi and id, as one pair (benchmarks/peers.py's), with NTREX's
    English as the translation memory."""
    from dataclasses import replace

    from peers import whole_file_pair as without_english  # benchmarks/ is this script's folder

    from aligner.translate.memory import normalise

    pair = without_english(ntrex)
    eng = (ntrex / "eng.txt").read_text(encoding="utf-8").splitlines()
    english = {}
    for lang, name in (("vi", "vie.txt"), ("id", "ind.txt")):
        lines = (ntrex / name).read_text(encoding="utf-8").splitlines()
        english.update({(lang, normalise(line)): en for line, en in zip(lines, eng)})
    return replace(pair, english=english)


def link(p):
    from aligner.align import AlignParams, PairScorer, link_pair

    params = AlignParams()
    a, b = p.scorer.a, p.scorer.b
    scorer = PairScorer(a, b, params.k, p.scorer.weight, params.part_penalty)
    return link_pair(scorer, p.nums[0], p.nums[1], params, p.words)


def digest(prepared) -> str:
    h = hashlib.sha256()
    for p in prepared:
        for pl in link(p):
            h.update(repr(dataclasses.astuple(pl)).encode())
    return h.hexdigest()[:16]


def cpu(prepared, repeat: int) -> float:
    for p in prepared:
        link(p)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for p in prepared:
            link(p)
        best = min(best, time.process_time() - start)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--cache-dir", default="/tmp/evalcache")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--blas-threads", type=int, default=1, help="0: BLAS's own default")
    ap.add_argument("--profile", help="write a cProfile of the whole-file linking here")
    args = ap.parse_args(argv)

    from aligner.data import ntrex_dir
    from aligner.evaluation.harness import prepare_pairs
    from aligner.evaluation.pairs import build_pairs, load_documents
    from aligner.pipeline import AlignConfig

    ntrex = ntrex_dir()
    docs = load_documents(ntrex)[: args.docs]
    # as `aligner eval`: no translation, or the oracle memory with the English embedder ("auto")
    none = AlignConfig(paths=(), translator="none", cache_dir=args.cache_dir)
    oracle = AlignConfig(paths=(), translator="auto", cache_dir=args.cache_dir)
    print("embedding (cached after one run)", file=sys.stderr, flush=True)
    whole = prepare_pairs([whole_file_pair(ntrex)], none, oracle_english=False)
    whole_en = prepare_pairs([whole_file_pair(ntrex)], oracle, oracle_english=True)
    comparable = prepare_pairs(build_pairs(docs, mode="comparable"), none, oracle_english=False)
    partial = prepare_pairs(build_pairs(docs, mode="partial"), oracle, oracle_english=True)
    if args.blas_threads:  # numpy (and so BLAS) is loaded by now: the limit applies to it
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.blas_threads, user_api="blas")
    w = whole[0].scorer
    size = f"{len(w.a.has_english)} x {len(w.b.has_english)} sentences"
    print("| pairs | links | hash | CPU s |")
    print("|---|---|---|---|")
    for name, prepared in (
        (f"whole file, {size}, no English", whole),
        (f"whole file, {size}, oracle English", whole_en),
        (f"{len(comparable)} comparable, no English", comparable),
        (f"{len(partial)} partial, oracle English", partial),
    ):
        count = sum(len(link(p)) for p in prepared)
        print(f"| {name} | {count} | {digest(prepared)} | {cpu(prepared, args.repeat):.3f} |",
              flush=True)
    if args.profile:
        import cProfile

        cProfile.runctx("link(whole[0])", globals(), {"link": link, "whole": whole}, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
