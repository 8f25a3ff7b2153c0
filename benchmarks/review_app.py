"""Start time and per-keypress time of ``aligner review`` on a result of 900 sentences (headless).

    PYTHONPATH=. .venv/bin/python benchmarks/review_app.py [--sentences 900] [--presses 40]

The result is synthetic (two articles, every third sentence pair linked, numbers
in some sentences), built from the model's dataclasses: no models are loaded.
Prints the time to the first screen, then the mean time per key for moving (j),
deciding (a, u) and laying out every row again (s); a key bound to nothing (x)
measures what the headless driver itself costs per key (its pause included).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from aligner.model import ArticleResult, Evidence, Link, Member, Result, Sentence


def synthetic(sentences: int) -> Result:
    per = sentences // 2
    articles = []
    for a, lang in enumerate(("vi", "id")):
        ss, pos = [], 0
        for i in range(per):
            english = f"Sentence {i} of article {a} says that {i * 7 % 100} officials met about topic {i % 37} in city {i % 11}."
            text = f"[{lang}] câu {i} " + english
            ss.append(Sentence(i, pos, pos + len(text), text, english, "memory"))
            pos += len(text) + 1
        articles.append(ArticleResult(f"examples/{lang}-{sentences}.txt", lang, False, f"{a:064x}", (), tuple(ss)))
    links = tuple(
        Link((Member(0, (i,)), Member(1, (i,))), 0.7 + (i % 10) / 10, Evidence("english", 0.8, 0.9, (str(i * 7 % 100),)))
        for i in range(0, per, 3)
    )
    from aligner.align.groups import group_links

    return Result(tuple(articles), links, groups=group_links(links))


async def measure(result: Result, presses: int) -> dict[str, float]:
    from aligner.review.app import ReviewApp

    figures = {}
    start = time.perf_counter()
    app = ReviewApp(result, name="bench.json", by="bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        figures["start (to the first screen)"] = time.perf_counter() - start
        for key, label in (("x", "x (no binding: the test driver's own cost)"), ("j", "j (move)"), ("a", "a (accept; moves on)"), ("u", "u (undo)"), ("s", "s (redraw every row)")):
            count = presses if key != "s" else max(2, presses // 10)
            t = time.perf_counter()
            for _ in range(count):
                await pilot.press(key)
                await pilot.pause()
            figures[f"{label}, per key"] = (time.perf_counter() - t) / count
        figures["rows"] = len(app.rows)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=900)
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args()
    result = synthetic(args.sentences)
    print(f"result: {sum(len(a.sentences) for a in result.articles)} sentences, {len(result.links)} links")
    for name, value in asyncio.run(measure(result, args.presses)).items():
        print(f"{name}: {value:.0f}" if name == "rows" else f"{name}: {value * 1000:.1f} ms")


if __name__ == "__main__":
    main()
