"""The markdown report: the viewer's sections as GitHub-flavoured markdown.

Public surface: :func:`render_markdown`.  Output is deterministic for the same
result.  It says what the viewer says (:mod:`aligner.render.content`): where
the articles disagree first, one row per sentence pair; a sentence without
English as written, marked ``*[vi]*``; one-sided facts side by side.

Every string from the result goes through :mod:`aligner.render.safe`: control
characters are shown as symbols, ``&``, ``<``, ``>`` are HTML-escaped (a
sentence holding ``<script>`` shows it, never runs it) and markdown syntax is
escaped (``![x](http://host/x.png)`` fetches nothing); pipes and newlines
inside table cells are escaped too.
"""

from __future__ import annotations

import re
from itertools import zip_longest
from urllib.parse import quote

from aligner.render import safe
from aligner.render.content import (Disagreement, disagreements, dropped_lines, evidence_line, fact_text, review_line, review_marks, shown,
                                    without_english)
from aligner.summary import Summary, provenance_lines


def _cell(text: str) -> str:
    """``text`` safe inside a table cell: escaped, on one line."""
    return safe.markdown(text).replace("|", "\\|").replace("\n", "<br>").strip()


def _code(text: str) -> str:
    """``text`` as an inline code span (shown literally: no HTML, no markdown inside)."""
    text = safe.one_line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# The matched part of a sentence is marked before escaping (private-use characters
# no text contains here) and becomes bold after it.
_PART_OPEN, _PART_CLOSE = "\ue000", "\ue001"


def _marked(text: str, span: tuple[int, int] | None) -> str:
    """``text`` escaped for a cell, its matched ``span`` in bold."""
    if span is not None:
        text = text[: span[0]] + _PART_OPEN + text[span[0] : span[1]] + _PART_CLOSE + text[span[1] :]
    return _cell(text).replace(_PART_OPEN, "**").replace(_PART_CLOSE, "**")


def _sentence(s, lang: str, show_source: bool, span=None, parts_in: str = "english") -> str:
    """``#9 English``, or ``#9 *[vi]* source`` without English; the source under the English when asked."""
    body, is_source = shown(s)
    out = f"#{s.index + 1} " + (f"*[{_cell(lang)}]* " if is_source else "")
    out += _marked(body, span if parts_in == ("source" if is_source else "english") else None)
    flags = [h.concept for h in s.glossary if h.status == "violation"]
    if flags:
        out += f" ⚑ glossary: {_cell(', '.join(flags))}"
    if show_source and not is_source and s.text != body:
        out += f"<br>_{_marked(s.text, span if parts_in == 'source' else None)}_"
    return out


def _sentences(summary: Summary, article: int, sentences, show_source: bool, parts=(), parts_in: str = "english") -> str:
    """One cell: the sentences of one side, each on its own line."""
    lang = summary.result.articles[article].lang
    parts = parts or (None,) * len(sentences)
    return "<br>".join(_sentence(s, lang, show_source, span, parts_in) for s, span in zip(sentences, parts))


def _header(summary: Summary, first: str | None = None) -> list[str]:
    cols = ([first] if first else []) + [f"[{i + 1}] {_cell(a.lang)}" for i, a in enumerate(summary.result.articles)]
    return [_row(cols), "|" + "|".join("---" for _ in cols) + "|"]


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _disagreement(summary: Summary, d: Disagreement) -> str:
    """One row per sentence pair: each side's differing values in bold, then its sentences."""
    cells = [""] * len(summary.result.articles)
    for k, side in enumerate(d.fact.sides):
        values = "".join(f"{_cell(kind)}: **{_cell(value)}**<br>" for kind, value in d.lines(k))
        cells[side.article] = values + _sentences(summary, side.article, side.sentences, False)
    return _row(cells)


def _disagreements(summary: Summary) -> list[str]:
    found = disagreements(summary)
    out = [f"## Where the articles disagree ({len(found)})", ""]
    if not found:
        return out + ["No disagreement found in numbers, quantities or times of the shared facts.", ""]
    return out + _header(summary) + [_disagreement(summary, d) for d in found] + [""]


def _shared(summary: Summary, show_source: bool) -> list[str]:
    out = [f"## Shared facts ({len(summary.shared)})", ""]
    if not summary.shared:
        return out + ["No sentence of one article states the same facts as a sentence of another.", ""]
    if any(f.kind == "partial" for f in summary.shared):
        out += ["*partial*: one article states only part of the other's sentence; the part that matched is in **bold**.", ""]
    out += _header(summary, "score")
    for fact, marks in zip(summary.shared, review_marks(summary)):
        cells = [""] * len(summary.result.articles)
        for side in fact.sides:
            cells[side.article] = _sentences(summary, side.article, side.sentences, show_source, side.parts, fact.parts_in)
        score = f"{fact.score:.2f}" + ("<br>*partial*" if fact.kind == "partial" else "")
        score += "".join(f"<br>{_cell(m.text)}" for m in marks)
        evidence = evidence_line(fact.link.evidence, fact_text(fact))
        score += f"<br>{_cell(evidence)}" if evidence else ""
        out.append(_row([score] + cells))
    return out + [""]


def _side_by_side(summary: Summary, title: str, per_article, show_source: bool) -> list[str]:
    """Each article's sentences in its own column and order, row k holding each one's k-th."""
    out = [title, ""] + _header(summary)
    for row in zip_longest(*per_article):
        out.append(_row(_sentences(summary, i, (s,), show_source) if s is not None else "" for i, s in enumerate(row)))
    return out + [""]


def render_markdown(summary: Summary, show_source: bool = False, map_file: str | None = None) -> str:
    """The report; ``map_file``: the alignment map's SVG beside the report, linked under the article list."""
    out = ["# Parallel English summary", ""]
    for i, a in enumerate(summary.provenance["articles"]):
        out.append(f"- **[{i + 1}]** {_code(a['path'])} — language {_cell(a['lang'])}, English from {_cell(a['english'])}")
    if map_file:
        out += ["", f"[![The alignment map: each article's sentences in reading order, one line per link]({quote(map_file)})]({quote(map_file)})"]
    missing = without_english(summary)
    out += ["", *([_cell(missing) + ".", ""] if missing else [])]
    out += _disagreements(summary)
    out += _shared(summary, show_source)
    out += _side_by_side(summary, f"## Reported by one article only ({sum(len(o) for o in summary.only)})", summary.only, show_source)
    out += _side_by_side(summary, "## Central sentences of each article", summary.central, False)
    out += ["## Provenance", ""]
    out += [f"- {_cell(line)}" for line in dropped_lines(summary) + provenance_lines(summary.provenance) + [review_line(summary)] if line]
    return "\n".join(out) + "\n"
