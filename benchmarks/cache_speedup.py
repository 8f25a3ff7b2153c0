"""Cold versus fully cached run of the example alignment, in one run.

Usage:  .venv/bin/python benchmarks/cache_speedup.py [--repeat 3]

Each run is a fresh Python process running ``aligner align`` on examples/ with
a cache directory that starts empty (cold) and is then reused (warm).  Prints
wall-clock seconds, the ratio, and which heavy modules each run imported.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import sys, time
t = time.perf_counter()
from aligner.cli import cli
try:
    cli(sys.argv[1:], prog_name="aligner", standalone_mode=False)
finally:
    heavy = [m for m in ("torch", "sentence_transformers", "ctranslate2") if m in sys.modules]
    print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def one_run(cache_dir: str) -> tuple[float, str]:
    args = [
        sys.executable, "-c", PROBE, "align",
        "examples/vi-nuclear-ai-statement.txt", "examples/id-arms-talks.txt",
        "--memory", "examples/translation-memory.csv", "--cache-dir", cache_dir, "--no-view", "-q",
    ]
    t = time.perf_counter()
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - t
    heavy = next((l[6:] for l in out.stderr.splitlines() if l.startswith("HEAVY=")), "?")
    return elapsed, heavy or "none"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cold, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache:
            t, heavy_cold = one_run(cache)
            cold.append(t)
            t, heavy_warm = one_run(cache)
            warm.append(t)
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"cold run (empty cache):  {c:6.2f} s  median of {args.repeat}; heavy modules imported: {heavy_cold}")
    print(f"warm run (full cache):   {w:6.2f} s  median of {args.repeat}; heavy modules imported: {heavy_warm}")
    print(f"speed-up cold/warm:      {c / w:6.1f}x")


if __name__ == "__main__":
    main()
