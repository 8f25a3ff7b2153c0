"""How well `split_sentences` recovers the line boundaries of real news.

Usage:  .venv/bin/python benchmarks/segmentation.py [--ntrex DIR] [--seed 0] [--max-lines 3] [--show 5]

Data: the NTREX-128 dev subset (eng.txt, vie.txt, ind.txt, DOCUMENT_IDS.tsv),
line-aligned news; each line is one sentence, occasionally two.
NTREX-128: Federmann, Kocmi, Xin (2022), https://github.com/MicrosoftTranslator/NTREX,
licence CC BY-SA 4.0. The failures this script prints are excerpts of that text
and stay under that licence.

Two layouts per language:

* paragraphs -- the lines of each document are cut into groups of 1 to 3
  consecutive lines (a seeded draw that depends only on DOCUMENT_IDS.tsv, so
  every language gets the same groups), each group joined by one space into a
  paragraph; paragraphs are separated by a newline and the whole text is
  segmented in one call. A line without final punctuation in any of the
  languages (a headline, a byline) always ends its paragraph, as it does in a
  real article: glued to the next line by a space it could not be found by any
  punctuation-based segmenter;
* one line per paragraph -- every line is its own paragraph.

A line is *exact* when no produced sentence crosses its start or its end, i.e.
the produced sentences inside the line's span concatenate (with the white space
between them) to the line. A line that the segmenter cuts in two is still exact
(some lines hold two sentences), so the script also counts *lines cut inside*
and shows the cut lines on which the three languages disagree (same line, a
different number of pieces): the likely false boundaries. In the one-line
layout every line is exact by construction; only its cut-inside figures say
anything.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner import segment  # noqa: E402
from aligner.data import ntrex_dir  # noqa: E402
from aligner.segment import split_sentences  # noqa: E402

LANGS = {"eng": "en", "vie": "vi", "ind": "id"}
# A line that ends a sentence: final . ! ? or … then any closing quotes/brackets.
FINAL = re.compile(r"[.!?…][\"'”’»)\]}]*$")


def read_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def paragraph_groups(doc_ids: list[str], seed: int, max_lines: int, open_ended: set[int] = frozenset()) -> list[list[int]]:
    """Line numbers of each paragraph: runs of 1..max_lines consecutive lines of one document.

    A line in ``open_ended`` (no final punctuation in some language: a headline,
    a byline) always ends its paragraph, as it does in a real article.
    """
    rng = random.Random(seed)
    groups: list[list[int]] = []
    i = 0
    while i < len(doc_ids):
        size = rng.randint(1, max_lines)
        group = [i]
        while len(group) < size and i not in open_ended and i + 1 < len(doc_ids) and doc_ids[i + 1] == doc_ids[i]:
            i += 1
            group.append(i)
        groups.append(group)
        i += 1
    return groups


def layout(lines: list[str], groups: list[list[int]]) -> tuple[str, list[tuple[int, int]]]:
    """The text and the (start, end) span of every line in it."""
    parts, spans, pos = [], [None] * len(lines), 0
    for g, group in enumerate(groups):
        if g:
            parts.append("\n")
            pos += 1
        for k, n in enumerate(group):
            if k:
                parts.append(" ")
                pos += 1
            parts.append(lines[n])
            spans[n] = (pos, pos + len(lines[n]))
            pos += len(lines[n])
    return "".join(parts), spans


def measure(lines: list[str], groups: list[list[int]], lang: str) -> dict:
    text, line_spans = layout(lines, groups)
    sentences = split_sentences(text, lang)
    crossed, pieces = [], []
    j = 0
    for n, (ls, le) in enumerate(line_spans):
        while j < len(sentences) and sentences[j][1] <= ls:
            j += 1
        inside, k, bad = 0, j, False
        while k < len(sentences) and sentences[k][0] < le:
            s, e = sentences[k]
            bad |= s < ls or e > le
            inside += 1
            k += 1
        if bad:
            crossed.append(n)
        pieces.append(inside)
    return {"text": text, "line_spans": line_spans, "sentences": sentences, "crossed": crossed, "pieces": pieces}


def show_crossing(m: dict, n: int, width: int = 160) -> str:
    """The produced sentence(s) that cross line n, shortened."""
    ls, le = m["line_spans"][n]
    out = []
    for s, e in m["sentences"]:
        if s < le and e > ls and (s < ls or e > le):
            sent = m["text"][s:e]
            mark = "start" if s < ls else "end"
            cut = ls if s < ls else le
            near = m["text"][max(s, cut - width // 2) : min(e, cut + width // 2)]
            out.append(f"crosses the line's {mark}: …{near.replace(chr(10), ' / ')}… ({len(sent)} chars)")
    return "; ".join(out)


def report(name: str, lines: dict[str, list[str]], groups: list[list[int]], show: int) -> None:
    print(f"\n== {name} ({len(groups)} paragraphs) ==")
    results = {code: measure(lines[code], groups, lang) for code, lang in LANGS.items()}
    for code, lang in LANGS.items():
        m = results[code]
        total = len(lines[code])
        exact = total - len(m["crossed"])
        cut = sum(1 for p in m["pieces"] if p > 1)
        print(f"{code} ({lang}): lines {total}, exact {exact} ({100 * exact / total:.2f}%), lines cut inside {cut}")
        for n in m["crossed"][:show]:
            print(f"  line {n + 1}: {show_crossing(m, n)}")
        if len(m["crossed"]) > show:
            print(f"  … {len(m['crossed']) - show} more")
    disagree = [n for n in range(len(lines["eng"])) if len({results[c]["pieces"][n] for c in LANGS}) > 1]
    print(f"lines cut into a different number of pieces across languages: {len(disagree)}")
    for n in disagree[:show]:
        counts = ", ".join(f"{c} {results[c]['pieces'][n]}" for c in LANGS)
        print(f"  line {n + 1} ({counts}):")
        for code in LANGS:
            m = results[code]
            ls, le = m["line_spans"][n]
            parts = [m["text"][max(s, ls) : min(e, le)] for s, e in m["sentences"] if s < le and e > ls]
            if len(parts) > 1:
                print(f"    {code}: " + " | ".join(p if len(p) < 90 else p[:40] + " … " + p[-40:] for p in parts))
    if len(disagree) > show:
        print(f"  … {len(disagree) - show} more")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ntrex", type=Path, default=ntrex_dir(), help="directory with eng/vie/ind.txt and DOCUMENT_IDS.tsv (default: the one aligner ships)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the paragraph grouping (same for every language)")
    ap.add_argument("--max-lines", type=int, default=3, help="largest number of lines joined into one paragraph")
    ap.add_argument("--show", type=int, default=5, help="failures to print per language")
    args = ap.parse_args()
    lines = {code: read_lines(args.ntrex / f"{code}.txt") for code in LANGS}
    doc_ids = read_lines(args.ntrex / "DOCUMENT_IDS.tsv")
    if len({len(doc_ids), *(len(v) for v in lines.values())}) != 1:
        sys.exit("the NTREX files are not line-aligned")
    version = getattr(segment, "SEGMENTATION_VERSION", "unversioned")
    print(f"segmentation version {version}; NTREX-128 dev (CC BY-SA 4.0) from {args.ntrex}")
    open_ended = {n for n in range(len(doc_ids)) if any(not FINAL.search(lines[code][n]) for code in LANGS)}
    print(f"lines without final punctuation in some language (each ends its paragraph): {len(open_ended)}")
    groups = paragraph_groups(doc_ids, args.seed, args.max_lines, open_ended)
    report(f"paragraphs of 1-{args.max_lines} lines, seed {args.seed}", lines, groups, args.show)
    report("one line per paragraph", lines, [[n] for n in range(len(doc_ids))], args.show)


if __name__ == "__main__":
    main()
