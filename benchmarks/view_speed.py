"""CPU time of ``aligner view`` of the whole-file result (NTREX dev vi x id, 956 x 956 lines).

Usage:  .venv/bin/python benchmarks/view_speed.py [--result r.json] [--cache-dir /tmp/evalcache]
            [--runs 9] [--width 80] [--colour] [--code DIR] [--no-bytecode] [--top 0]
            [--instructions]

Without --result the result is built first, as benchmarks/cached_align.py builds it:
aligner/data/ntrex-dev/vie.txt and ind.txt copied to a temporary folder as vi.txt and id.txt,
then ``aligner align vi.txt id.txt --lang vi,id --translator none --json r.json`` (973 x 966
sentences, 896 grid rows, 6,402 lines at 80 columns; the embeddings come from --cache-dir).
Then ``python -m aligner view r.json`` runs --runs times in a fresh process each, its output
piped to /dev/null with COLUMNS=--width (--colour: FORCE_COLOR=1 --no-pager), and the script
prints the min and median user+sys CPU (the child's rusage), the split of one run into its
stages (measured in a child with time.process_time, no profiler), and whether the median
meets the target of 0.5 s.  --code DIR runs another checkout's aligner (e.g. /work/main for a
before figure).  The children write and reuse bytecode in a temporary folder
(PYTHONPYCACHEPREFIX), as an installed package would; --no-bytecode compiles every module on
every run instead (~0.04 s more).  --top N also prints the top N cumulative functions of one
run under cProfile (with the profiler's overhead); --instructions counts the instructions of
one run under valgrind, a figure other jobs on the machine do not change.

Figures (2 cores shared with other engineers' jobs, load average 1-5: user+sys CPU swells by
up to a third when the machine is busy, so medians wander between batches; the minimum and the
instruction count (--instructions) are the steady figures; plain at 80 columns unless said):

                                       user+sys CPU (s), 9-15 runs     instructions
    before (main c8bbed0, --code):     min 1.08  median 1.11-1.40      7.77 G
      colour:                          min 1.11  median 1.18-1.42      7.96 G
    after (branch viewfast):           min 0.42  median 0.43-0.55      2.96 G
      colour:                          min 0.41  median 0.43-0.48      3.07 G
      200 columns:                     min 0.41  median 0.46
    python -c pass                         0.023                       0.09 G

Where the time went before: rich laying out one Table per row, ~0.8 of the 1.1 s (Padding,
render_lines, Text.wrap measuring every word, the segments split into lines three times, then
console.print cropping every line again); the issue's 2.7 s was not reproduced here.
After, the split of one run (CPU s, quiet moment; instructions from running the stages one
after another under cachegrind):

    interpreter 0.023 (0.09 G), imports 0.078 (0.46 G: aligner.model's dataclasses 0.014 s,
    babel and its locale data ~0.02 s, rich 0.02 s), read_json 0.049 (0.47 G: result.py
    from_dict, _link, field), summarise 0.082 (0.67 G: summary.py's discrepancies ->
    quantities.sentence_quantities), the sources' check 0.001, page parts 0.060 (0.50 G: the
    Texts of the cells; content.py's evidence_line compiles a regex per word), layout 0.081
    (0.69 G; layout and output were ~5.7 G), output 0.024 (0.10 G)

read_json, summarise and the imports (~0.21 s) are now half the run; they are outside the viewer
(aligner/result.py, aligner/summary.py, aligner/model.py, aligner/facts.py).
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
ALIGN = ["-m", "aligner", "align", "vi.txt", "id.txt", "--lang", "vi,id", "--translator", "none",
         "--no-view", "--json", "r.json", "-q"]
TARGET = 0.5

# the stages of `aligner view` in one child, as aligner/cli/view.py runs them
STAGES = r"""
import sys, time
clock = time.process_time
t = [clock()]
from aligner.cli import main as _main  # noqa: F401  (the CLI's own imports)
from aligner.cli.console import rich_console
from aligner.cli.view import load_result  # noqa: F401
from aligner.files import matches_sha256
from aligner.ingest import MAX_BYTES
from aligner.render import terminal
from aligner.result import locate_source, read_json
from aligner.review.decisions import apply_review
from aligner.summary import summarise
t.append(clock())
path = sys.argv[1]
result = read_json(path)
t.append(clock())
summary = summarise(apply_review(result))
t.append(clock())
for a in result.articles:
    found = locate_source(path, a)
    if found is not None and a.sha256:
        matches_sha256(found, a.sha256, MAX_BYTES)
t.append(clock())
console = rich_console()
plain = console.no_color or console.color_system is None
parts = list(terminal._Page(summary, False, console.width, plain).parts())
t.append(clock())
try:  # the fast layout (not in a checkout from before it)
    from aligner.render.termlayout import Layout
except ImportError:
    Layout = None
if Layout is not None:
    list(Layout(console, console.options).lines(parts))
t.append(clock())
terminal.show(terminal.SummaryView(summary), console, pager=False)
t.append(clock())
d = [b - a for a, b in zip(t, t[1:])]
d[-1] -= d[-2] + d[-3]  # show() lays the page out again: the rest is the output
names = ["imports", "read_json", "summarise", "sources", "parts", "layout", "output"]
if Layout is None:
    names[-2:] = ["-", "layout+output"]
    d[-1] += d[-2]
print(" ".join(f"{n} {v:.3f}" for n, v in zip(names, d) if n != "-"), file=sys.stderr)
"""


def cpu_of(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    """user+sys CPU seconds of one child process, its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    """The instructions one run executes (valgrind's cachegrind, ~30x slower than the run)."""
    if shutil.which("valgrind") is None:
        return "(no valgrind)"
    out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                          "--cachegrind-out-file=/dev/null", *cmd], cwd=cwd,
                         env=dict(env, PYTHONHASHSEED="0"), check=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    refs = [line.split(":")[1].strip() for line in out.splitlines() if "I   refs:" in line]
    return refs[-1] if refs else "(not counted)"


def build(work: Path, code: str, cache_dir: str) -> Path:
    shutil.copy(DATA / "vie.txt", work / "vi.txt")
    shutil.copy(DATA / "ind.txt", work / "id.txt")
    env = dict(os.environ, ALIGNER_CACHE_DIR=cache_dir, PYTHONPATH=code)
    seconds = cpu_of([sys.executable, *ALIGN], work, env)
    print(f"built r.json ({seconds:.1f} s CPU)")
    return work / "r.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--result", help="a whole-file result to view (default: build it)")
    ap.add_argument("--cache-dir", default="/tmp/evalcache", help="embedding cache for the build")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--width", type=int, default=80, help="COLUMNS of the view")
    ap.add_argument("--colour", action="store_true", help="FORCE_COLOR=1 (escape codes out)")
    ap.add_argument("--code", default=str(ROOT), help="checkout whose aligner runs")
    ap.add_argument("--no-bytecode", action="store_true", help="no .pyc: compile every run")
    ap.add_argument("--top", type=int, default=0, help="cumulative functions of one profiled run")
    ap.add_argument("--instructions", action="store_true",
                    help="also count one run's instructions (valgrind), which load does not change")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.result:
            result = Path(args.result).resolve()
        else:
            result = build(work, args.code, args.cache_dir)
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR", "FORCE_COLOR", "PAGER")}
        env.update(PYTHONPATH=args.code, COLUMNS=str(args.width))
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        view = [sys.executable, "-m", "aligner", "view", str(result)]
        if args.colour:
            env["FORCE_COLOR"] = "1"
            view.append("--no-pager")
        print("warm-up:", f"{cpu_of(view, work, env):.2f} s CPU")
        times = [cpu_of(view, work, env) for _ in range(args.runs)]
        bare = min(cpu_of([sys.executable, "-c", "pass"], work, env) for _ in range(3))
        median = statistics.median(times)
        how = f"{args.width} columns{', colour' if args.colour else ''}"
        print(f"aligner view (whole file, {how}), "
              f"{args.runs} runs, user+sys CPU: min {min(times):.2f} s  median {median:.2f} s  "
              f"({' '.join(f'{t:.2f}' for t in times)})")
        stages = subprocess.run([sys.executable, "-c", STAGES, str(result)], cwd=work, env=env,
                                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True).stderr.strip()
        print(f"split of one run (CPU s): interpreter {bare:.3f} {stages}")
        if args.top:
            prof = work / "v.prof"
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), *view[1:]], cwd=work,
                           env=env, check=True, stdout=subprocess.DEVNULL)
            pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(args.top)
        if args.instructions:
            print(f"instructions of one run: {instructions(view, work, env)}, "
                  f"of python -c pass: {instructions([sys.executable, '-c', 'pass'], work, env)}")
        met = "met" if median <= TARGET else "NOT met"
        print(f"target {TARGET} s: {met} (median {median:.2f} s)")


if __name__ == "__main__":
    main()
