"""How aligner scales: sentences per article, and stories per batch.

Usage:  .venv/bin/python benchmarks/scale.py [--quick] [--sizes 50 200 ...] [--batches 10 50 ...]
                                             [--engines local dask:1 dask:2] [--batch-cache warm|cold]
                                             [--timeout 600] [--ntrex DIR]

Every measured run is a fresh Python process, so its figures are its own:
wall seconds, CPU seconds (user + sys of the process and the processes it
waited for, from ``os.wait4``), peak memory (``ru_maxrss`` of the largest of
those processes; for batches also the peak of their sum, sampled every 0.1 s).

* **Sizes** -- a vi and an id article of N NTREX dev lines each (shuffled; lines
  repeat beyond the 956 there are, so a cold run embeds at most 956 distinct
  lines per side), aligned with ``--translator none``.  Cold: an empty cache;
  warm: the same run again.  Inside the run the embedder is timed, so the
  post-embedding time (linking and summary) is measured directly; its growth
  exponent is the slope of a least-squares line through log(time) against
  log(sentences) over the warm runs.
* **Batches** -- manifests of 10, 50, 200 stories (NTREX documents, each side a
  seeded 75% of a document's lines) through ``aligner batch`` on each engine.
  ``--batch-cache warm`` (default) fills the cache once first, so the figures
  are the batch machinery and the alignment; ``cold`` gives every run an empty
  cache, so they include embedding.

NTREX-128 (Federmann, Kocmi, Xin 2022), CC BY-SA 4.0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.data import ntrex_dir  # noqa: E402

SIZES = (50, 200, 1000, 5000)
BATCHES = (10, 50, 200)
ENGINES = ("local", "dask:1", "dask:2")
QUICK = {"sizes": (50, 200), "batches": (10, 50), "engines": ("local", "dask:2")}


# ------------------------------------------------------------------ measuring one process


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    peak_mb: float  # largest process
    tree_mb: float  # sampled peak of the sum over the process and its descendants
    exit_code: int | None  # None: killed at the timeout
    stdout: str
    stderr: str


def _tree_rss(pid: int) -> int:
    try:
        import psutil
    except ImportError:
        return 0
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _kill_tree(pid: int) -> None:
    try:
        import psutil

        for child in psutil.Process(pid).children(recursive=True):
            child.kill()
    except Exception:  # noqa: BLE001 -- psutil missing or the processes already gone
        pass
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass


def measure(args: list[str], timeout: float) -> Measured:
    """Run ``python args`` from the repository root; its own time and memory."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=err)
        peak_tree, killed = 0, False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, _tree_rss(proc.pid))
            if not killed and time.perf_counter() - start > timeout:
                _kill_tree(proc.pid)
                killed = True
            time.sleep(0.1)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            peak_mb=usage.ru_maxrss / 1024,
            tree_mb=peak_tree / 2**20,
            exit_code=None if killed else proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


# ------------------------------------------------------------------ inputs


def _lines(ntrex: Path, lang_file: str) -> list[str]:
    return (ntrex / lang_file).read_text(encoding="utf-8").splitlines()


def write_sides(ntrex: Path, n: int, folder: Path) -> tuple[Path, Path]:
    """A vi and an id article of ``n`` NTREX lines: the same lines, each side in its own seeded order."""
    vie, ind = _lines(ntrex, "vie.txt"), _lines(ntrex, "ind.txt")
    order = list(range(len(vie)))
    random.Random(n).shuffle(order)
    picked = [order[i % len(order)] for i in range(n)]
    other = picked[:]
    random.Random(n + 1).shuffle(other)
    folder.mkdir(parents=True, exist_ok=True)
    vi, id_ = folder / f"vi-{n}.txt", folder / f"id-{n}.txt"
    vi.write_text("\n\n".join(vie[i] for i in picked) + "\n", encoding="utf-8")
    id_.write_text("\n\n".join(ind[i] for i in other) + "\n", encoding="utf-8")
    return vi, id_


def write_stories(ntrex: Path, count: int, folder: Path) -> Path:
    """``count`` stories: NTREX documents in turn, each side a seeded 75% of the document's lines."""
    ids = _lines(ntrex, "DOCUMENT_IDS.tsv")
    vie, ind = _lines(ntrex, "vie.txt"), _lines(ntrex, "ind.txt")
    docs: dict[str, list[int]] = {}
    for i, doc in enumerate(ids):
        docs.setdefault(doc, []).append(i)
    documents = list(docs.values())
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for k in range(count):
        lines, rng = documents[k % len(documents)], random.Random(k)
        keep = max(2, math.ceil(0.75 * len(lines)))
        vi_lines, id_lines = sorted(rng.sample(lines, keep)), sorted(rng.sample(lines, keep))
        (folder / f"{k:03d}-vi.txt").write_text("\n\n".join(vie[i] for i in vi_lines) + "\n", encoding="utf-8")
        (folder / f"{k:03d}-id.txt").write_text("\n\n".join(ind[i] for i in id_lines) + "\n", encoding="utf-8")
        rows.append(f"story-{k:03d},{k:03d}-vi.txt|{k:03d}-id.txt,vi|id\n")
    manifest = folder / f"manifest-{count}.csv"
    manifest.write_text("story,paths,langs\n" + "".join(rows), encoding="utf-8")
    return manifest


# ------------------------------------------------------------------ child: one timed alignment


class _Timed:
    """An embedder that notes how long it worked and when it last returned."""

    def __init__(self, inner):
        self.inner, self.seconds, self.first_start, self.last_end = inner, 0.0, None, None

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode(self, texts):
        start = time.perf_counter()
        self.first_start = self.first_start or start
        try:
            return self.inner.encode(texts)
        finally:
            self.last_end = time.perf_counter()
            self.seconds += self.last_end - start


def child_align(vi: str, id_: str, cache_dir: str) -> None:
    from aligner.cache import Cache
    from aligner.pipeline import AlignConfig, Components, build_components, run
    from aligner.summary import summarise

    config = AlignConfig(paths=(vi, id_), langs=("vi", "id"), translator="none", glossary=None, cache_dir=cache_dir)
    cache = Cache(cache_dir)
    built = build_components(config, cache)
    cross = _Timed(built.cross_lingual)
    components = Components(english=built.english, cross_lingual=cross, to_english=built.to_english)
    start = time.perf_counter()
    result = run(config, components=components)
    ran = time.perf_counter()
    summarise(result)
    done = time.perf_counter()
    cache.close()
    print(json.dumps({
        "sentences": [len(a.sentences) for a in result.articles],
        "before_embedding": (cross.first_start or ran) - start,
        "embedding": cross.seconds,
        "post_embedding": (ran - (cross.last_end or start)) + (done - ran),
        "links": len(result.links),
    }))


# ------------------------------------------------------------------ parent: tables


def growth_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) against log(n)."""
    pts = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def _status(m: Measured) -> str:
    if m.exit_code is None:
        return "timeout"
    if m.exit_code != 0:
        last = (m.stderr.strip().splitlines() or ["?"])[-1]
        return f"exit {m.exit_code}: {last[:80]}"
    return ""


def run_sizes(ntrex: Path, sizes, timeout: float, work: Path) -> None:
    print("## Sentences per side (vi vs id, --translator none: multilingual-e5 on source text)\n")
    print("| lines/side | sentences vi/id | run  | wall s | CPU s | peak MB | embed s | post-embed s | links | note |")
    print("|-----------:|----------------:|------|-------:|------:|--------:|--------:|-------------:|------:|------|")
    warm_points = []
    for n in sizes:
        vi, id_ = write_sides(ntrex, n, work / "sides")
        cache = work / f"cache-size-{n}"
        for label in ("cold", "warm"):
            m = measure([str(Path(__file__).resolve()), "--child-align", str(vi), str(id_), str(cache)], timeout)
            info = json.loads(m.stdout.strip().splitlines()[-1]) if m.exit_code == 0 and m.stdout.strip() else {}
            sents = "/".join(map(str, info.get("sentences", []))) or "-"
            embed = f"{info['embedding']:.2f}" if info else "-"
            post = f"{info['post_embedding']:.2f}" if info else "-"
            print(f"| {n:>10} | {sents:>15} | {label} | {m.wall:6.1f} | {m.cpu:5.1f} | {m.peak_mb:7.0f} | {embed:>7} | {post:>12} | "
                  f"{info.get('links', '-'):>5} | {_status(m)} |", flush=True)
            if label == "warm" and info:
                warm_points.append((sum(info["sentences"]) / 2, info["post_embedding"]))
    distinct = len(_lines(ntrex, "vie.txt"))
    if any(n > distinct for n in sizes):
        print(f"\nBeyond {distinct} lines a side repeats NTREX lines: each sentence then has identical twins, so margins "
              "collapse and few links survive, but every step still does its n-by-m work.")
    slope = growth_exponent(warm_points)
    where = ", ".join(f"{n:.0f}" for n, _ in warm_points)
    print(f"\npost-embedding growth exponent (warm runs, log-log least squares over {where} sentences/side): "
          f"{'-' if slope is None else f'{slope:.2f}'}\n")


def _engine_args(engine: str) -> list[str]:
    if engine == "local":
        return []
    name, _, workers = engine.partition(":")
    return ["--engine", name, *(["--workers", workers] if workers else [])]


def _batch(manifest: Path, out: Path, cache: Path, engine: str, timeout: float) -> Measured:
    args = ["-m", "aligner", "batch", str(manifest), "-o", str(out), "--translator", "none", "--no-glossary",
            "--cache-dir", str(cache), "-q", *_engine_args(engine)]
    return measure(args, timeout)


def _counts(stdout: str) -> str:
    import re

    rows = [line for line in stdout.splitlines() if re.fullmatch(r"\W*(\d+\W+){4}\d+\W*", line)]
    if not rows:
        return "-"
    stories, done, skipped, failed, links = map(int, re.findall(r"\d+", rows[-1]))
    return f"{done} done, {failed} failed, {links} links"


def run_batches(ntrex: Path, counts, engines, cache_mode: str, timeout: float, work: Path) -> None:
    stories = work / "stories"
    manifests = {n: write_stories(ntrex, n, stories) for n in counts}
    shared_cache = work / "cache-batches"
    print(f"## Batches (aligner batch, --translator none, cache {cache_mode})\n")
    if cache_mode == "warm":
        fill = _batch(manifests[max(counts)], work / "fill", shared_cache, engines[-1], timeout * 4)
        print(f"cache filled first with {max(counts)} stories on {engines[-1]}: {fill.wall:.1f} s wall, {fill.cpu:.1f} s CPU "
              f"{_status(fill)}\n")
    print("| stories | engine | wall s | CPU s | peak MB (largest process) | peak MB (all processes) | outcome | note |")
    print("|--------:|--------|-------:|------:|--------------------------:|------------------------:|---------|------|")
    for n in counts:
        for engine in engines:
            tag = f"{n}-{engine.replace(':', '-')}"
            cache = shared_cache if cache_mode == "warm" else work / f"cache-{tag}"
            m = _batch(manifests[n], work / f"out-{tag}", cache, engine, timeout)
            print(f"| {n:>7} | {engine:<6} | {m.wall:6.1f} | {m.cpu:5.1f} | {m.peak_mb:25.0f} | {m.tree_mb:23.0f} | "
                  f"{_counts(m.stdout)} | {_status(m)} |", flush=True)
    print()


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"sizes {QUICK['sizes']}, batches {QUICK['batches']}, engines {QUICK['engines']}")
    ap.add_argument("--sizes", type=int, nargs="*", help=f"lines per side (default {' '.join(map(str, SIZES))}; none: skip)")
    ap.add_argument("--batches", type=int, nargs="*", help=f"stories per batch (default {' '.join(map(str, BATCHES))}; none: skip)")
    ap.add_argument("--engines", nargs="+", help=f"local, dask:WORKERS (default {' '.join(ENGINES)})")
    ap.add_argument("--batch-cache", choices=("warm", "cold"), default="warm")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before one run is stopped (default 600)")
    ap.add_argument("--ntrex", type=Path, default=ntrex_dir(), help="NTREX-style folder (default: the one aligner ships)")
    ap.add_argument("--child-align", nargs=3, metavar=("VI", "ID", "CACHE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_align:
        child_align(*args.child_align)
        return
    preset = QUICK if args.quick else {"sizes": SIZES, "batches": BATCHES, "engines": ENGINES}
    sizes = preset["sizes"] if args.sizes is None else args.sizes
    batches = preset["batches"] if args.batches is None else args.batches
    engines = args.engines or preset["engines"]
    if not (args.ntrex / "DOCUMENT_IDS.tsv").is_file():
        sys.exit(f"{args.ntrex}: not an NTREX folder (no DOCUMENT_IDS.tsv); pass --ntrex")
    print(f"# aligner scale benchmark: {os.cpu_count()} CPUs, load average {_load()}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}\n")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aligner-scale-") as tmp:
        if sizes:
            run_sizes(args.ntrex, sizes, args.timeout, Path(tmp))
        if batches:
            run_batches(args.ntrex, batches, engines, args.batch_cache, args.timeout, Path(tmp))
    print(f"total {time.perf_counter() - started:.0f} s; load average now {_load()}")


if __name__ == "__main__":
    main()
