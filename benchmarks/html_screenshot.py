"""The HTML report of the examples: its size, its render time, and a screenshot for the README.

Usage:  .venv/bin/python benchmarks/html_screenshot.py [--repeat 20] [--out docs/report-example.png] [--dark]

Renders the frozen example result (tests/data/example-result.json) with
``aligner.render.html.render_html`` and prints the page's size in bytes and the
render time (first call, which compiles the templates, then the median of
``--repeat`` calls), beside the markdown report of the same summary for scale;
then the same for a synthetic story of 1,000 sentences per article, to show how
the page grows.  Last, headless chromium (Debian's ``chromium``) takes a
1280 x 1800 screenshot of the page into ``--out``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.model import Evidence, Link, Member  # noqa: E402
from aligner.render.html import render_html  # noqa: E402
from aligner.render.markdown import render_markdown  # noqa: E402
from aligner.result import read_json  # noqa: E402
from aligner.summary import summarise  # noqa: E402

RESULT = ROOT / "tests" / "data" / "example-result.json"
CHROMIUM = "chromium"


def timed(render, summary, repeat: int) -> tuple[str, float, float]:
    """The output, the first call's time and the median of ``repeat`` more."""
    t = time.perf_counter()
    out = render(summary)
    first = time.perf_counter() - t
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        render(summary)
        times.append(time.perf_counter() - t)
    return out, first, statistics.median(times)


def synthetic(result, sentences: int):
    """The example's articles repeated to ``sentences`` each, every 4th sentence linked to its namesake."""
    articles = []
    for a in result.articles:
        base = a.sentences
        grown = tuple(replace(base[i % len(base)], index=i) for i in range(sentences))
        articles.append(replace(a, sentences=grown))
    evidence = Evidence("english", 0.9, 1.5, numbers=("500",), terms=("Pentagon",), words=("nuclear",))
    links = tuple(
        Link((Member(0, (i,)), Member(1, ((i * 7) % sentences,))), 1.0 + (i % 5) / 2, evidence) for i in range(0, sentences, 4)
    )
    from aligner.align.groups import group_links

    return replace(result, articles=tuple(articles), links=links, groups=group_links(links), summary=None)


def report(name: str, summary, repeat: int) -> None:
    page, first, median = timed(render_html, summary, repeat)
    md, md_first, md_median = timed(render_markdown, summary, repeat)
    size, md_size = len(page.encode("utf-8")), len(md.encode("utf-8"))
    print(f"{name}: HTML {size:,} bytes, render {first * 1000:.1f} ms first (templates compiled), {median * 1000:.1f} ms median")
    print(f"{' ' * len(name)}  markdown {md_size:,} bytes, {md_median * 1000:.1f} ms median; HTML/markdown: size x{size / md_size:.1f}, time x{median / md_median:.1f}")


def screenshot(page: str, out: Path, dark: bool) -> None:
    if shutil.which(CHROMIUM) is None:
        print(f"no {CHROMIUM} on PATH (apt-get install chromium): no screenshot")
        return
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        html.write_text(page, encoding="utf-8")
        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1800",
                f"--screenshot={out.resolve()}", html.as_uri()]
        if dark:
            args.insert(1, "--blink-settings=preferredColorScheme=0")
        subprocess.run(args, check=True, capture_output=True, cwd=tmp)
    print(f"screenshot: {out} ({out.stat().st_size:,} bytes)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "report-example.png")
    ap.add_argument("--dark", action="store_true", help="the screenshot in the dark colour scheme")
    args = ap.parse_args()
    result = read_json(RESULT)
    summary = summarise(result)
    report("examples (15 + 9 sentences, 2 links)", summary, args.repeat)
    big = summarise(synthetic(result, 1000))
    report(f"synthetic (1,000 + 1,000 sentences, {len(big.result.links)} links)", big, max(3, args.repeat // 10))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    screenshot(render_html(summary), args.out, args.dark)


if __name__ == "__main__":
    main()
