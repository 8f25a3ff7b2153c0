"""CPU time of a fully cached ``align`` of the whole NTREX dev file (vi x id) as one pair.

Usage:  .venv/bin/python benchmarks/cached_align.py [--runs 5] [--cache-dir /tmp/evalcache] [--top 25] [--code DIR]

The two files are aligner/data/ntrex-dev/vie.txt and ind.txt (NTREX-128, CC BY-SA 4.0),
copied to a temporary folder as vi.txt and id.txt.  One warm-up run fills the cache
(embeddings, and the uncompressed copy of py3langid's model), then the command

    python -m aligner align vi.txt id.txt --lang vi,id --translator none --no-view --json r.json -q

runs --runs times in a fresh process each; the script prints the min and median of
user+sys CPU (from the child's rusage), then the top cumulative functions of one run
under cProfile (with the profiler's overhead).

Figures (2 shared cores with other engineers' jobs running, so medians wander; user+sys CPU
seconds, 7 runs, ``--code /work/main`` for the first line):

    main before this work (f8e4a10):   min 3.58  median 3.63
    branch cached:                     min 2.02  median 2.24

What went (real CPU, measured outside the profiler): py3langid's model 0.6-1.0 s of LZMA per run ->
a memory-mapped uncompressed copy in the cache folder (aligner/langid_model.py); the language check
on at most 20,000 characters (0.35 -> 0.04 s for the two files); split_clauses 0.42 -> 0.09 s;
nfc_with_offsets line by line 0.17 -> 0.04 s; sentence_quantities cached (linking and the summary
read each sentence up to three times); JSON text 0.12 -> 0.065 s (aligner/json_indent.py).
Left (not in these files): imports ~0.45 s, linking ~0.5 s, the embedding cache look-ups and
clause units ~0.3 s, dataclasses.asdict in result.to_dict ~0.05 s.
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


def cpu_of(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    """user+sys CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=cwd, env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache-dir", default="/tmp/evalcache")
    ap.add_argument("--top", type=int, default=25, help="cumulative functions to list (0: no profile)")
    ap.add_argument("--code", default=str(ROOT), help="checkout whose aligner runs (e.g. /work/main for a before figure)")
    args = ap.parse_args()
    env = dict(os.environ, ALIGNER_CACHE_DIR=args.cache_dir, PYTHONPATH=args.code)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(DATA / "vie.txt", work / "vi.txt")
        shutil.copy(DATA / "ind.txt", work / "id.txt")
        cmd = [sys.executable, *COMMAND]
        print("warm-up:", f"{cpu_of(cmd, work, env):.2f} s CPU")
        times = [cpu_of(cmd, work, env) for _ in range(args.runs)]
        print(f"fully cached align, {args.runs} runs, user+sys CPU: "
              f"min {min(times):.2f} s  median {statistics.median(times):.2f} s  "
              f"({' '.join(f'{t:.2f}' for t in times)})")
        if args.top:
            prof = work / "c.prof"
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), *COMMAND], cwd=work, env=env, check=True)
            pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
