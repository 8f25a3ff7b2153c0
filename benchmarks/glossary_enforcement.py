"""Glossary enforcement cost: 10,000 sentences against a 10,000-row glossary.

Usage:  .venv/bin/python benchmarks/glossary_enforcement.py

Sentences: the Vietnamese NTREX dev lines (aligner/data/ntrex-dev/vie.txt,
CC BY-SA 4.0) with their English as the "machine" rendering, cycled to 10,000.
Glossary: the shipped glossary.csv plus synthetic rows up to 10,000, each with
a Vietnamese and an Indonesian variant and an avoid form, so the matcher's
tables are full size.  Reports CPU seconds (process time) per 1,000 sentences
for building the matcher and for enforcing (match + check + post-edit).
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from aligner import glossary as gl
from aligner.data import ntrex_dir

ROOT = Path(__file__).resolve().parent.parent
NTREX = ntrex_dir()
ROWS = 10_000
SENTENCES = 10_000


def main() -> None:
    base = (ROOT / "glossary.csv").read_text(encoding="utf-8")
    extra = io.StringIO()
    for i in range(ROWS - base.count("\n") + 1):
        extra.write(f"synthetic term {i},thuật ngữ {i} tổng hợp,istilah {i} sintetis,synthetic word {i},no,\n")
    g = gl.parse(base + extra.getvalue(), "bench-glossary")
    vie = (NTREX / "vie.txt").read_text(encoding="utf-8").splitlines()
    eng = (NTREX / "eng.txt").read_text(encoding="utf-8").splitlines()
    pairs = [(vie[i % len(vie)], eng[i % len(eng)]) for i in range(SENTENCES)]

    t = time.process_time()
    matcher = gl.Matcher.from_glossary(g)
    build = time.process_time() - t

    t = time.process_time()
    hits = edits = 0
    for source, english in pairs:
        _, found = gl.apply(matcher, "vi", source, english, rewrite=True)
        hits += len(found)
        edits += sum(1 for h in found if h.status == "post-edited")
    enforce = time.process_time() - t

    print(f"glossary rows: {len(g.rows)}, sentences: {len(pairs)}, concept hits: {hits}, post-edits: {edits}")
    print(f"build matcher: {build:.3f} s CPU")
    print(f"enforce: {enforce:.3f} s CPU total, {enforce / (len(pairs) / 1000):.3f} s CPU per 1,000 sentences (budget 1.0)")


if __name__ == "__main__":
    main()
