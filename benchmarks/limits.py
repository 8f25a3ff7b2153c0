"""Time and peak memory of `aligner align` on the three hostile inputs of issue 22, or proof they are refused up front.

Usage:  .venv/bin/python benchmarks/limits.py [--scale 1.0] [--cases line,words,big] [--keep]

The cases, at ``--scale 1`` (the issue's sizes):

* ``line``  -- one 5 MB line without punctuation, against a 50 KB article;
* ``words`` -- 200,000 one-word lines, against a 50 KB article;
* ``big``   -- a 5 MB normal article (NTREX dev lines repeated) against a 50 KB one.

Each case runs ``aligner align A B --translator none --no-view --json OUT`` in a
child process with a cache folder of its own (cold: every vector is computed),
and prints its exit code, wall time, the child's peak resident memory
(``ru_maxrss`` from ``wait4``), the sentences per article and the peak memory per
sentence, and the first line of its stderr (the refusal, when it is refused).
Inputs over :data:`aligner.ingest.MAX_TEXT_CHARS` are refused in about a second,
before any model loads; ``--scale 0.02`` shows what the accepted sizes cost.

``--linking 2000,8000`` measures the memory of everything after embedding
(linking, summary, result) per sentence: a child process aligns N one-word
lines against a 50 KB article with a deterministic 384-dimension embedder
(no model, so only the pipeline's own memory shows), for each N; the slope of
peak memory between the two sizes is the cost of one more sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000


def ntrex(lang: str) -> list[str]:
    from aligner.data import ntrex_dir

    name = {"vi": "vie.txt", "id": "ind.txt"}[lang]
    return (ntrex_dir() / name).read_text(encoding="utf-8").splitlines()


def article(lines: list[str], size: int) -> str:
    """NTREX lines, one paragraph each, repeated up to ``size`` characters."""
    out, n, i = [], 0, 0
    while n < size:
        line = lines[i % len(lines)]
        out.append(line)
        n += len(line) + 2
        i += 1
    return "\n\n".join(out) + "\n"


def build(folder: Path, case: str, scale: float) -> tuple[Path, Path]:
    small = folder / "small-id.txt"
    small.write_text(article(ntrex("id"), 50_000), encoding="utf-8")  # always the 50 KB article of the issue
    big = folder / f"{case}-vi.txt"
    if case == "line":
        words = ntrex("vi")
        text = " ".join(w.strip(".,;:!?\"'") for line in words for w in line.split())
        size = int(5 * MB * scale)
        data = (text * (size // len(text) + 1)).encode("utf-8")[:size].decode("utf-8", "ignore")
        big.write_text(data.rsplit(" ", 1)[0] + "\n", encoding="utf-8")
    elif case == "words":
        words = [w.strip(".,;:!?\"'") for line in ntrex("vi") for w in line.split()]
        big.write_text("\n".join(words[i % len(words)] for i in range(int(200_000 * scale))) + "\n", encoding="utf-8")
    else:
        text = article(ntrex("vi"), int(5 * MB * scale))
        big.write_text(text.encode("utf-8")[: int(5 * MB * scale)].decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n",
                       encoding="utf-8")
    return big, small


def run(big: Path, small: Path, work: Path) -> dict:
    out = work / "out.json"
    args = [sys.executable, "-m", "aligner", "align", str(big), str(small), "--lang", "vi,id", "--translator", "none",
            "--no-glossary", "--cache-dir", str(work / "cache"), "--no-view", "--json", str(out), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr_file = proc.stderr
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = stderr_file.read().decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    sentences = None
    if proc.returncode == 0 and out.exists():
        data = json.loads(out.read_text(encoding="utf-8"))
        sentences = [len(a["sentences"]) for a in data["articles"]]
    first = next((line for line in err.splitlines() if line.strip()), "")
    return {"exit": proc.returncode, "seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "sentences": sentences, "stderr": first}


LINKING_CHILD = """
import hashlib, resource, sys
import numpy as np
from aligner.ingest import read_article
from aligner.pipeline import AlignConfig, Components, run_articles
from aligner.translate import EnglishText

class HashEmbedder:
    name = id = "benchmark/hash-384"
    version = "1"
    def encode(self, texts):
        out = np.empty((len(texts), 384), np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(384)
            out[i] = v / np.linalg.norm(v)
        return out

render = lambda arts: [[EnglishText(None, "none") for _ in ss] for _, ss in arts]
docs = [read_article(sys.argv[1], "vi"), read_article(sys.argv[2], "id")]
config = AlignConfig(paths=(), translator="none", glossary=None, use_cache=False)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = run_articles(docs, config, components=Components(None, HashEmbedder(), render))
print(len(result.articles[0].sentences), len(result.articles[1].sentences), base,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def linking(sizes: list[int]) -> None:
    """Peak memory of the pipeline after embedding, for N one-word lines against a 50 KB article."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="aligner-linking-") as tmp:
        small = Path(tmp) / "small-id.txt"
        small.write_text(article(ntrex("id"), 50_000), encoding="utf-8")
        words = [w.strip(".,;:!?\"'") for line in ntrex("vi") for w in line.split()]
        for n in sizes:
            big = Path(tmp) / f"words-{n}.txt"
            big.write_text("\n".join(words[i % len(words)] for i in range(n)) + "\n", encoding="utf-8")
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", LINKING_CHILD, str(big), str(small)], cwd=ROOT, capture_output=True,
                                 text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            if out.returncode:
                print(f"{n}: failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            a, b, base, peak = map(int, out.stdout.split())
            rows.append((n, a, b, peak))
            print(f"linking: {a:>6} x {b} sentences  peak {peak / 1024:7.0f} MB (start {base / 1024:.0f} MB)  "
                  f"{time.perf_counter() - t0:6.1f} s")
    if len(rows) >= 2:
        (n1, a1, _, p1), (n2, a2, _, p2) = rows[0], rows[-1]
        print(f"linking memory per sentence (slope {a1} -> {a2} sentences): {(p2 - p1) / (a2 - a1):.1f} KB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="input sizes as a share of the issue's (default 1)")
    ap.add_argument("--cases", default="line,words,big")
    ap.add_argument("--keep", action="store_true", help="keep the inputs and outputs (their folder is printed)")
    ap.add_argument("--linking", metavar="N1,N2", help="measure the memory per sentence after embedding instead")
    opts = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if opts.linking:
        linking([int(x) for x in opts.linking.split(",")])
        return 0
    from aligner.ingest import MAX_BYTES, MAX_TEXT_CHARS
    from aligner.segment import MAX_SENTENCE_CHARS

    print(f"limits: article files {MAX_BYTES // 2**20} MiB, text {MAX_TEXT_CHARS:,} characters, sentence {MAX_SENTENCE_CHARS:,} "
          f"characters; scale {opts.scale:g}; cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    header = f"{'case':<6} {'input':>10} {'exit':>4} {'seconds':>8} {'peak MB':>8} {'sentences':>14} {'KB/sentence':>11}  stderr"
    print(header)
    print("-" * len(header))
    tmp = tempfile.mkdtemp(prefix="aligner-limits-")
    for case in [c.strip() for c in opts.cases.split(",") if c.strip()]:
        work = Path(tmp) / case
        work.mkdir()
        big, small = build(work, case, opts.scale)
        r = run(big, small, work)
        n = sum(r["sentences"]) if r["sentences"] else None
        per = f"{r['peak_mb'] * 1024 / n:.1f}" if n else "-"
        shown = " x ".join(map(str, r["sentences"])) if r["sentences"] else "-"
        print(f"{case:<6} {big.stat().st_size / MB:>8.2f}MB {r['exit']:>4} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} {shown:>14} {per:>11}  "
              f"{r['stderr'][:150]}")
    if opts.keep:
        print(f"inputs and outputs in {tmp}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
