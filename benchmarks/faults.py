"""Kill `aligner align` at random points and check what it leaves behind.

Usage:  .venv/bin/python benchmarks/faults.py [--trials 20] [--rounds 2] [--lines 400] [--seed 12]
                                             [--signals INT,TERM,KILL]

Input: the first ``--lines`` lines of NTREX dev (vie.txt, ind.txt), each joined
into one big article; ``--translator none`` (multilingual-e5 on the source
text only), a temporary cache folder of its own, ``--json`` and ``--markdown``
outputs.  First one cold and one warm run measure how long a run takes; then,
in each round (a fresh, empty cache), every trial starts ``align``, sends it
SIGINT, SIGTERM or SIGKILL (in turn, ``--signals``) at a random point of the
run it has left, and checks:

* the child really stopped early (it was still running when the signal went,
  and exited with 130 / -2 for SIGINT, 143 / -15 for SIGTERM, -9 for SIGKILL);
* after SIGINT and SIGTERM no temporary file is left beside the outputs
  (``no temporary left in N/N``); a SIGKILL cannot clean up, its leftovers are
  counted (the next ``align`` removes them once they are a day old);
* the cache passes ``PRAGMA integrity_check`` and lost no row;
* each output is either absent or a complete, valid file -- never half written;
* the next run starts from the rows already cached (rows only grow), and a
  last, uninterrupted run of the round embeds only what is missing: it is
  faster than the cold run.

Children start with SIGINT restored to its default: a process started in the
background by a script otherwise ignores SIGINT (see FACTS.md).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_FILE = "cache.sqlite3"
EARLIEST_KILL = 0.3  # seconds after the start
KILL_WINDOW = (0.1, 0.9)  # share of the expected rest of the run at which the signal goes
EXIT_CODES = {
    "SIGINT": (130, -signal.SIGINT),  # the CLI's "Interrupted." / KeyboardInterrupt before the CLI started
    "SIGTERM": (143, -signal.SIGTERM),  # the CLI's "Terminated." / the default action before the CLI started
    "SIGKILL": (-signal.SIGKILL,),
}
POLL = 0.02


def build_inputs(folder: Path, lines: int) -> tuple[Path, Path]:
    from aligner.data import ntrex_dir

    out = []
    for name, lang in (("vie.txt", "vi"), ("ind.txt", "id")):
        text = (ntrex_dir() / name).read_text(encoding="utf-8").splitlines()[:lines]
        path = folder / f"ntrex-{lang}.txt"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def command(articles, cache_dir: Path, outputs: Path) -> list[str]:
    return [
        sys.executable, "-m", "aligner", "align", *map(str, articles), "--lang", "vi,id", "--translator", "none",
        "--no-glossary", "--cache-dir", str(cache_dir), "--json", str(outputs / "out.json"),
        "--markdown", str(outputs / "out.md"), "--no-view", "-q",
    ]


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("ALIGNER_CACHE_DIR", None)
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_default_sigint)


def complete_run(args) -> float:
    t = time.perf_counter()
    proc = start(args)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"align failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    return time.perf_counter() - t


def cache_state(cache_dir: Path) -> tuple[str, int]:
    """(integrity_check result, rows); an absent file is sound and empty."""
    path = cache_dir / CACHE_FILE
    if not path.exists():
        return "ok (none yet)", 0
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT COUNT(*) FROM kv").fetchone()[0] if integrity == "ok" else -1
    except sqlite3.DatabaseError as e:
        integrity, rows = f"error: {e}", -1
    finally:
        conn.close()
    return integrity, rows


def output_state(outputs: Path) -> tuple[str, str, int]:
    """json / markdown: 'absent', 'complete' or 'HALF'; and temporary files left beside them."""
    from aligner.errors import ResultError
    from aligner.result import read_json

    json_path, md_path = outputs / "out.json", outputs / "out.md"
    if not json_path.exists():
        json_state = "absent"
    else:
        try:
            read_json(json_path)
            json_state = "complete"
        except ResultError:
            json_state = "HALF"
    if not md_path.exists():
        md_state = "absent"
    else:
        text = md_path.read_text(encoding="utf-8", errors="replace")
        md_state = "complete" if text.startswith("# Parallel English summary") and "\n## Provenance\n" in text and text.endswith("\n") else "HALF"
    leftovers = [p for p in outputs.iterdir() if p.name.startswith(".out.")]  # .out.json.aligner-tmp-XXXXXXXX
    for p in leftovers:  # a SIGKILL between creating and renaming the temporary file
        p.unlink()
    return json_state, md_state, len(leftovers)


@dataclass
class Trial:
    round: int
    number: int
    signal: str
    kill_at: float
    stopped_early: bool
    exit_code: int
    latency: float
    rows_before: int
    rows_after: int
    integrity: str
    json: str
    markdown: str
    leftovers: int

    @property
    def stopped(self) -> bool:
        """Still running when the signal went, and ended by it."""
        return self.stopped_early and self.exit_code in EXIT_CODES[self.signal]

    @property
    def ok(self) -> bool:
        return (
            self.stopped
            and self.integrity.startswith("ok")
            and self.rows_after >= self.rows_before
            and "HALF" not in (self.json, self.markdown)
            and (self.signal == "SIGKILL" or self.leftovers == 0)
        )


def trial(args, kill_at: float, sig: int) -> tuple[bool, int, float]:
    """Run ``args``, send ``sig`` at ``kill_at`` seconds; (still running then, exit code, seconds to stop)."""
    proc = start(args)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < kill_at and proc.poll() is None:
        time.sleep(POLL)
    running = proc.poll() is None
    sent = time.perf_counter()
    if running:
        proc.send_signal(sig)
    proc.communicate()
    return running, proc.returncode, time.perf_counter() - sent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=20, help="kills in all (default 20)")
    ap.add_argument("--rounds", type=int, default=2, help="each round starts with an empty cache (default 2)")
    ap.add_argument("--lines", type=int, default=400, help="NTREX dev lines per article (default 400; 956 = all)")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--signals", default="INT,TERM,KILL", help="signals sent in turn (default INT,TERM,KILL)")
    opts = ap.parse_args(argv)
    signals = [getattr(signal, f"SIG{name.strip().upper().removeprefix('SIG')}") for name in opts.signals.split(",")]
    rng = random.Random(opts.seed)
    sys.path.insert(0, str(ROOT))

    with tempfile.TemporaryDirectory(prefix="aligner-faults-") as tmp:
        work = Path(tmp)
        articles = build_inputs(work, opts.lines)
        outputs = work / "out"
        outputs.mkdir()

        calibration = work / "calibration-cache"
        cold = complete_run(command(articles, calibration, outputs))
        full_rows = cache_state(calibration)[1]
        warm = complete_run(command(articles, calibration, outputs))
        print(f"input: NTREX dev, first {opts.lines} lines per language ({sum(p.stat().st_size for p in articles) / 1e3:.0f} kB), "
              f"--translator none; {full_rows} cache rows when complete")
        print(f"calibration: cold run {cold:.1f} s, fully cached run {warm:.1f} s\n")

        trials: list[Trial] = []
        finals = []
        per_round = [opts.trials // opts.rounds + (1 if r < opts.trials % opts.rounds else 0) for r in range(opts.rounds)]
        header = f"{'#':>3} {'round':>5} {'signal':<7} {'kill at':>8} {'stopped':>8} {'exit':>5} {'stop s':>6} {'rows before→after':>18}  {'integrity':<13} {'json':<9} {'markdown':<9} tmp"
        print(header)
        print("-" * len(header))
        for r, count in enumerate(per_round, start=1):
            cache_dir = work / f"cache-round-{r}"
            for _ in range(count):
                for p in outputs.iterdir():
                    p.unlink()
                before = cache_state(cache_dir)[1]
                expected = warm + (1 - before / full_rows) * (cold - warm)
                kill_at = max(EARLIEST_KILL, rng.uniform(*KILL_WINDOW) * expected)
                sig = signals[len(trials) % len(signals)]
                running, code, latency = trial(command(articles, cache_dir, outputs), kill_at, sig)
                integrity, after = cache_state(cache_dir)
                json_state, md_state, leftovers = output_state(outputs)
                t = Trial(r, len(trials) + 1, sig.name, kill_at, running, code, latency, before, after, integrity, json_state, md_state, leftovers)
                trials.append(t)
                print(f"{t.number:>3} {r:>5} {t.signal:<7} {kill_at:>7.1f}s {'yes' if running else 'NO':>8} {code:>5} {latency:>6.1f} "
                      f"{before:>8} → {after:<7}  {integrity:<13} {json_state:<9} {md_state:<9} {leftovers}{'' if t.ok else '  <-- FAIL'}")
            before = cache_state(cache_dir)[1]
            seconds = complete_run(command(articles, cache_dir, outputs))
            integrity, after = cache_state(cache_dir)
            json_state, md_state, _ = output_state(outputs)
            good = integrity == "ok" and after == full_rows and json_state == md_state == "complete"
            finals.append(good)
            print(f"{'':>3} {r:>5} {'(none)':<7} {'':>8} {'finished':>8} {0:>5} {seconds:>5.1f}s {before:>8} → {after:<7}  "
                  f"{integrity:<13} {json_state:<9} {md_state:<9}    last run of the round: {seconds:.1f} s (cold {cold:.1f} s)"
                  f"{'' if good else '  <-- FAIL'}")

        n = len(trials)
        lost = sum(max(0, t.rows_before - t.rows_after) for t in trials)
        reused = sum(1 for a, b in zip(trials, trials[1:]) if a.round == b.round and b.rows_before == a.rows_after)
        pairs = sum(1 for a, b in zip(trials, trials[1:]) if a.round == b.round)
        print("\nTotals:")
        print(f"  kills: {n} ({', '.join(f'{sum(t.signal == s.name for t in trials)} {s.name}' for s in signals)})")
        handled = [t for t in trials if t.signal != "SIGKILL"]
        if handled:
            print(f"  no temporary left in {sum(t.leftovers == 0 for t in handled)}/{len(handled)} (SIGINT and SIGTERM trials)")
        print(f"  stopped early by the signal (expected exit code): {sum(t.stopped for t in trials)}/{n}")
        print(f"  cache integrity_check ok: {sum(t.integrity.startswith('ok') for t in trials)}/{n}; rows lost: {lost}")
        print(f"  half-written outputs: {sum(('HALF' in (t.json, t.markdown)) for t in trials)}; "
              f"complete outputs found after a kill: {sum(t.json == 'complete' for t in trials)} json, {sum(t.markdown == 'complete' for t in trials)} markdown; "
              f"temporary files left by SIGKILL: {sum(t.leftovers for t in trials)}")
        print(f"  next run started from the previous run's rows: {reused}/{pairs}")
        sigint = [t.latency for t in trials if t.signal == "SIGINT"]
        if sigint:
            print(f"  seconds from SIGINT to exit: median {statistics.median(sigint):.1f}, max {max(sigint):.1f} (a chunk being embedded finishes first)")
        failed = [f"trial {t.number}" for t in trials if not t.ok] + [f"round {r}" for r, good in enumerate(finals, start=1) if not good]
        print(f"  all checks passed: {'yes' if not failed else 'NO: ' + ', '.join(failed)}")
        return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
