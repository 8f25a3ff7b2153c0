"""aligner's linking beside vecalign and bertalign on the SAME multilingual-e5 vectors.

    python benchmarks/peers.py --vecalign DIR --bertalign DIR [--docs 20] [--cache-dir DIR]
                               [--overlaps 1,2,3,4] [--repeat 3] [--threads 1]

(or set ALIGNER_VECALIGN / ALIGNER_BERTALIGN).  Data: the NTREX-128 dev subset aligner ships,
vi <-> id, no translation (the cross-lingual space only): ``--docs`` comparable pairs built by
``aligner eval`` (lines dropped, blocks reordered, distractors mixed in) and the whole file as one
pair (956 lines a side, segmented into sentences).  F1 is the evaluation's: per sentence pair,
gold = pairs that share an NTREX line; a link or bead predicts every pair of its sentences.

Each method gets the same vectors: aligner its sentences and clause runs (as ``aligner align``);
vecalign and bertalign, for each value of ``--overlaps`` (one run prints all), the sentences
(overlaps 1: 1-1 beads) and every run of up to that many consecutive sentences joined (their
"overlaps", embedded by the same e5 model; overlaps 2: beads up to 1-2/2-1, ...).  Overlaps N is
vecalign's ``--alignment_max_size N+1`` and bertalign's ``max_align=N+1``: their own defaults are
overlaps 3 (vecalign, ``--alignment_max_size 4``) and 4 (bertalign, ``max_align=5``), marked
"(its default)".  CPU seconds are ``time.process_time`` of the alignment alone (aligner:
``PairScorer`` + ``link_pair``), after an untimed warm-up run over every pair (numba and Cython
compiled, caches warm), best of ``--repeat`` runs, with BLAS and OpenMP (faiss) on ``--threads``
threads for every method (default 1, as ``aligner align`` links; 0: the libraries' defaults,
whose idle threads spin and count as CPU).  Embedding is not timed.  The last lines give
aligner's CPU over vecalign's.

Measured 2026-12-02 (issue 23), ``python benchmarks/peers.py --vecalign DIR --bertalign DIR
--cache-dir C --repeat 7``, one run for every method, 2 cores, load under 1 (run to run the CPU
figures vary by 5-10 %), one BLAS and OpenMP thread:

| method | overlaps | F1, 20 pairs | CPU s | F1, whole file (973 x 966 sentences) | CPU s |
|---|---|---|---|---|---|
| aligner | - | 0.944 | 0.024 | 0.948 | 0.150 |
| vecalign | 1 | 0.236 | 0.017 | 0.986 | 0.086 |
| bertalign | 1 | 0.221 | 0.008 | 0.985 | 0.030 |
| vecalign | 2 | 0.248 | 0.026 | 0.996 | 0.128 |
| bertalign | 2 | 0.255 | 0.010 | 0.996 | 0.040 |
| vecalign | 3 (its default) | 0.272 | 0.040 | 0.997 | 0.186 |
| bertalign | 3 | 0.305 | 0.017 | 0.994 | 0.049 |
| vecalign | 4 | 0.295 | 0.054 | 0.997 | 0.249 |
| bertalign | 4 (its default) | 0.300 | 0.018 | 0.992 | 0.078 |
aligner / vecalign CPU, overlaps 1: 1.39 (20 pairs), 1.76 (whole file)
aligner / vecalign CPU, overlaps 2: 0.90 (20 pairs), 1.18 (whole file)
aligner / vecalign CPU, overlaps 3 (vecalign's default): 0.59 (20 pairs), 0.81 (whole file)
aligner / vecalign CPU, overlaps 4: 0.44 (20 pairs), 0.60 (whole file)

So aligner links in less CPU than vecalign at vecalign's default settings, and in more than
vecalign restricted to 1-1 beads (or to beads up to 1-2 on the whole file).  Those cheaper
settings stay out of reach with the same links: aligner's unit cosines are one GEMM of 3220 x
2643 units x 384 (6.5 GFLOP: about 0.065 s on one core, about 100 GFLOP/s with OpenBLAS's
SkylakeX kernel; as fast as numpy's GEMM goes here), every unit pair needed for every unit's k best
sentences and the spread; vecalign compares sentences only along a band of its recursive DP
(monotonic, which comparable news is not: F1 0.24-0.30 on the 20 comparable pairs).  Before
this session's changes (446721f), the same script gave aligner 0.166 s on the whole file against
vecalign's 0.163 s at overlaps 3 (ratio 1.01); before issue 23's speed work (c8bbed0), 0.210 s.
The split of aligner's time is in ``benchmarks/linking_speed.py``.

Getting the peers (their sources are not packages):
    git clone https://github.com/thompsonb/vecalign  DIR1   # then, in DIR1:
    pip install cython && python setup.py build_ext --inplace        # builds vecalign/dp_core
    git clone https://github.com/bfsujason/bertalign DIR2   # needs torch, faiss-cpu, numba
    pip install 'aligner[bench]'
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib.util
import os
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from math import ceil
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

OVERLAPS = [2]  # overlaps embedded (the most --overlaps asks for): 2 = sentences and pairs
# each peer's own default, as overlaps here: vecalign's --alignment_max_size 4, bertalign's max_align 5
DEFAULT_OVERLAPS = {"vecalign": 3, "bertalign": 4}


@dataclass
class Case:
    name: str
    a: object  # ArticleVectors
    b: object
    nums: tuple
    words: object
    gold: set
    overlaps_a: np.ndarray  # (OVERLAPS[0], n, dim); a peer run with fewer overlaps takes the first
    overlaps_b: np.ndarray
    lens_a: np.ndarray  # (OVERLAPS[0], n) bytes of each overlap (bertalign's length penalty)
    lens_b: np.ndarray


def _layer(lines: list[str], overlap: int) -> list[str]:
    """vecalign's and bertalign's front-padded overlaps: sentence i-overlap+1 .. i joined."""
    lines = [line.strip() or "BLANK_LINE" for line in lines]
    out = ["PAD"] * min(overlap - 1, len(lines))
    return out + [" ".join(lines[i : i + overlap]) for i in range(len(lines) - overlap + 1)]


def whole_file_pair(ntrex: Path):
    from aligner.evaluation.pairs import EvalPair

    def side(lines):
        spans, pos = [], 0
        for k, line in enumerate(lines):
            spans.append((pos, pos + len(line), ("all", k)))
            pos += len(line) + 1
        return "\n".join(lines) + "\n", tuple(spans)

    vi = (ntrex / "vie.txt").read_text(encoding="utf-8").splitlines()
    ind = (ntrex / "ind.txt").read_text(encoding="utf-8").splitlines()
    (ta, sa), (tb, sb) = side(vi), side(ind)
    return EvalPair("whole file", ta, tb, sa, sb, frozenset(("all", k) for k in range(len(vi))), {})


def prepare(pairs, cache_dir: str | None) -> list[Case]:
    """Segment and embed with aligner's own stages (translator none), and embed the overlaps."""
    from aligner.cache import Cache
    from aligner.evaluation.harness import prepare_pairs
    from aligner.ingest import article_from_text
    from aligner.pipeline import AlignConfig, build_components
    from aligner.pipeline import prepare as segment_and_render
    from aligner.translate import translate_articles

    config = AlignConfig(paths=(), translator="none", cache_dir=cache_dir)
    prepared = prepare_pairs(pairs, config, oracle_english=False)
    cache = Cache(cache_dir)
    models = build_components(config, cache)
    components = replace(models, to_english=lambda articles: translate_articles(articles, mode="none"))
    cases = []
    for pair, p in zip(pairs, prepared):
        docs = [
            article_from_text(pair.text_a, "vi", f"{pair.doc_id}:vi"),
            article_from_text(pair.text_b, "id", f"{pair.doc_id}:id"),
        ]
        sentences, _ = segment_and_render(docs, config, components)
        sides = []
        for ss in sentences:
            texts = [s.text for s in ss]
            layers = [_layer(texts, k) for k in range(1, OVERLAPS[0] + 1)]
            flat = [t for layer in layers for t in layer]
            vecs = np.asarray(models.cross_lingual.encode(flat), dtype=np.float32).reshape(
                OVERLAPS[0], len(texts), -1
            )
            lens = np.array([len(t.encode("utf-8")) for t in flat]).reshape(
                OVERLAPS[0], len(texts)
            )
            sides.append((vecs, lens))
        cases.append(
            Case(
                pair.doc_id,
                p.scorer.a,
                p.scorer.b,
                p.nums,
                p.words,
                set(p.gold),
                sides[0][0],
                sides[1][0],
                sides[0][1],
                sides[1][1],
            )
        )
    cache.close()
    return cases


def run_aligner(case: Case):
    from aligner.align import AlignParams, PairScorer, link_pair

    params = AlignParams()
    scorer = PairScorer(case.a, case.b, params.k, 0.5, params.part_penalty)
    return [
        (link.a, link.b)
        for link in link_pair(scorer, case.nums[0], case.nums[1], params, case.words)
    ]


def load_vecalign(directory: Path, overlaps: int):
    sys.path.insert(0, str(directory))
    from vecalign.dp_utils import make_alignment_types, vecalign

    max_size = overlaps + 1  # beads up to 1-overlaps and overlaps-1
    types = make_alignment_types(max_size)
    width = ceil(max_size / 2.0) + 5  # as vecalign.py: alignment size / 2 + default buffer

    def run(case: Case):
        stack = vecalign(
            vecs0=case.overlaps_a[:overlaps].copy(),
            vecs1=case.overlaps_b[:overlaps].copy(),
            final_alignment_types=types,
            del_percentile_frac=0.2,
            width_over2=width,
            max_size_full_dp=300,
            costs_sample_size=20000,
            num_samps_for_norm=100,
        )
        return [(tuple(x), tuple(y)) for x, y in stack[0]["final_alignments"]]

    return run


_LOADED: dict = {}


def _bertalign_corelib(directory: Path):
    """bertalign's corelib module, loaded once.

    Its numba functions cache their machine code (``cache=True``), but a module loaded from
    its file cannot be found again to reload that code: a cache another run left fails with
    "No module named '<dynamic>'".  So this process compiles into a cache folder of its own
    (in the untimed warm-up), removed when it ends, and loads the module only once.
    """
    if "core" not in _LOADED:
        if "numba" not in sys.modules:
            folder = tempfile.TemporaryDirectory(prefix="peers-numba-")
            atexit.register(folder.cleanup)
            os.environ["NUMBA_CACHE_DIR"] = folder.name
        path = directory / "bertalign" / "corelib.py"
        spec = importlib.util.spec_from_file_location("bertalign_corelib", path)
        _LOADED["core"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_LOADED["core"])
    return _LOADED["core"]


def load_bertalign(directory: Path, overlaps: int):
    # bertalign/__init__.py loads LaBSE from the hub: load its corelib module on its own
    core = _bertalign_corelib(directory)
    max_align, top_k, win, skip = overlaps + 1, 3, 5, -0.1  # bertalign's defaults but max_align

    def run(case: Case):
        n, m = case.overlaps_a.shape[1], case.overlaps_b.shape[1]
        ratio = np.sum(case.lens_a[0]) / np.sum(case.lens_b[0])
        d, i = core.find_top_k_sents(case.overlaps_a[0], case.overlaps_b[0], k=top_k)
        first_types = core.get_alignment_types(2)
        first_w, first_path = core.find_first_search_path(n, m)
        pointers = core.first_pass_align(n, m, first_w, first_path, first_types, d, i)
        first = core.first_back_track(n, m, pointers, first_path, first_types)
        types = core.get_alignment_types(max_align)
        w, path_ = core.find_second_search_path(first, win, n, m)
        pointers = core.second_pass_align(
            case.overlaps_a[:overlaps],
            case.overlaps_b[:overlaps],
            case.lens_a[:overlaps],
            case.lens_b[:overlaps],
            w,
            path_,
            types,
            ratio,
            skip,
            margin=True,
            len_penalty=True,
        )
        return [
            (tuple(x), tuple(y)) for x, y in core.second_back_track(n, m, pointers, path_, types)
        ]

    return run


def f1(found_per_case, cases) -> float:
    tp = predicted = gold = 0
    for found, case in zip(found_per_case, cases):
        pairs = {(i, j) for a, b in found for i in a for j in b}
        predicted += len(pairs)
        gold += len(case.gold)
        tp += len(pairs & case.gold)
    p, r = (tp / predicted if predicted else 0.0), (tp / gold if gold else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def measure(run, cases, repeat: int) -> tuple[float, float]:
    for case in cases:  # warm-up: compilation (numba compiles per argument types), caches
        run(case)
    best, found = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        found = [run(c) for c in cases]
        best = min(best, time.process_time() - start)
    return f1(found, cases), best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--vecalign",
        default=os.environ.get("ALIGNER_VECALIGN"),
        help="vecalign checkout (dp_core built)",
    )
    ap.add_argument(
        "--bertalign", default=os.environ.get("ALIGNER_BERTALIGN"), help="bertalign checkout"
    )
    ap.add_argument(
        "--docs", type=int, default=20, help="comparable pairs (the first N NTREX documents)"
    )
    ap.add_argument("--cache-dir", help="embedding cache (default: aligner's)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--overlaps",
        default="1,2,3,4",
        help="the peers' overlaps, one run each, comma-separated (1: sentences only, 1-1 beads; "
        "2: also pairs of sentences, 1-2 and 2-1 beads; 3: vecalign's default, 4: bertalign's)",
    )
    ap.add_argument(
        "--threads", type=int, default=1,
        help="BLAS and OpenMP threads for every method (default 1, as `aligner align` links; "
        "0: the libraries' defaults)",
    )
    args = ap.parse_args(argv)
    try:
        overlaps = sorted({int(x) for x in args.overlaps.split(",")})
    except ValueError:
        ap.error(f"--overlaps: expected numbers like 1,2, not {args.overlaps!r}")
    if not overlaps or overlaps[0] < 1:
        ap.error("--overlaps: every value is 1 or more")
    OVERLAPS[0] = overlaps[-1]
    peers = {}
    for name, loader in (("vecalign", load_vecalign), ("bertalign", load_bertalign)):
        directory = getattr(args, name)
        if not directory or not Path(directory).is_dir():
            print(
                f"{name}: not found; pass --{name} DIR or set ALIGNER_{name.upper()} "
                "(how to get it: see this script's docstring); skipped",
                file=sys.stderr,
            )
            continue
        peers[name] = lambda overlap, loader=loader, directory=directory: loader(
            Path(directory), overlap
        )

    from aligner.data import ntrex_dir
    from aligner.evaluation.pairs import build_pairs, load_documents

    ntrex = ntrex_dir()
    pairs = build_pairs(load_documents(ntrex)[: args.docs], mode="comparable")
    print(
        f"embedding {len(pairs)} comparable pairs and the whole file (cached after one run)",
        file=sys.stderr,
        flush=True,
    )
    cases = prepare(pairs + [whole_file_pair(ntrex)], args.cache_dir)
    comparable, whole = cases[:-1], cases[-1:]
    sizes = f"{whole[0].overlaps_a.shape[1]} x {whole[0].overlaps_b.shape[1]} sentences"
    print(f"CPU s: time.process_time, best of {args.repeat}; BLAS and OpenMP threads: "
          f"{args.threads or 'the libraries default'}")
    print(f"| method | overlaps | F1, {len(comparable)} pairs | CPU s | F1, whole file ({sizes}) "
          "| CPU s |")
    print("|---|---|---|---|---|---|")
    limits = threadpool_limits(limits=args.threads) if args.threads else contextlib.nullcontext()
    with limits:
        figures = {("aligner", 0): measure_both(run_aligner, comparable, whole, args.repeat)}
        print(_row("aligner", "-", figures["aligner", 0]), flush=True)
        for overlap in overlaps:
            for name, load in peers.items():
                figures[name, overlap] = measure_both(load(overlap), comparable, whole, args.repeat)
                label = f"{overlap} (its default)" if DEFAULT_OVERLAPS[name] == overlap else str(overlap)
                print(_row(name, label, figures[name, overlap]), flush=True)
    mine = figures["aligner", 0]
    for overlap in overlaps:
        if ("vecalign", overlap) in figures:
            theirs = figures["vecalign", overlap]
            default = " (vecalign's default)" if overlap == DEFAULT_OVERLAPS["vecalign"] else ""
            print(f"aligner / vecalign CPU, overlaps {overlap}{default}: {mine[1] / theirs[1]:.2f} "
                  f"({len(comparable)} pairs), {mine[3] / theirs[3]:.2f} (whole file)")
    return 0


def measure_both(run, comparable, whole, repeat: int) -> tuple[float, float, float, float]:
    """F1 and CPU seconds on the comparable pairs, then on the whole file."""
    return measure(run, comparable, repeat) + measure(run, whole, repeat)


def _row(name: str, overlaps: str, f: tuple[float, float, float, float]) -> str:
    return f"| {name} | {overlaps} | {f[0]:.3f} | {f[1]:.3f} | {f[2]:.3f} | {f[3]:.3f} |"


if __name__ == "__main__":
    sys.exit(main())
