"""How long `aligner view` of the example result takes, start to last byte.

Usage:  .venv/bin/python benchmarks/view_startup.py [--repeat 10]

Views the frozen example result (tests/data/example-result.json, what `make demo`
writes to out/result.json) as a fresh process (output piped, so no pager); reports the
median and worst wall-clock time, plus the bare interpreter start-up for scale.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = "tests/data/example-result.json"


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    view = [sys.executable, "-m", "aligner", "view", RESULT, "--no-pager"]
    bare = [sys.executable, "-c", "pass"]
    timed(view)  # warm the OS file cache
    v = [timed(view) for _ in range(args.repeat)]
    b = [timed(bare) for _ in range(args.repeat)]
    print(f"aligner view {RESULT}: median {statistics.median(v):.3f} s, worst {max(v):.3f} s ({args.repeat} runs)")
    print(f"python -c pass (interpreter only): median {statistics.median(b):.3f} s")
    print(f"budget 0.5 s: {'met' if max(v) < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
