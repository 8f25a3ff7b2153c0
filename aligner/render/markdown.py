"""The markdown report: the viewer's sections as GitHub-flavoured markdown.

Public surface: :func:`render_markdown`.  Output is deterministic for the same
result.  Every string from the result goes through :mod:`aligner.render.safe`:
control characters are shown as symbols and ``&``, ``<``, ``>`` are HTML-escaped
(a sentence holding ``<script>`` shows it, never runs it); pipes, backslashes and
newlines inside table cells are escaped too.
"""

from __future__ import annotations

import re

from aligner.render import safe
from aligner.summary import Summary, provenance_lines


def _cell(text: str) -> str:
    return safe.markdown(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>").strip()


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
    if span is None:
        return text
    return text[: span[0]] + _PART_OPEN + text[span[0] : span[1]] + _PART_CLOSE + text[span[1] :]


def _sentences(sentences, show_source: bool, parts=(), parts_in: str = "english") -> str:
    out = []
    parts = parts or (None,) * len(sentences)
    for s, span in zip(sentences, parts):
        english = _marked(s.english, span if parts_in == "english" else None) if s.english is not None else "*(no English)*"
        part = f"#{s.index + 1} {english}"
        flags = [h.concept for h in s.glossary if h.status == "violation"]
        if flags:
            part += f" ⚑ glossary: {', '.join(flags)}"
        if show_source:
            part += f"\n_{_marked(s.text, span if parts_in == 'source' else None)}_"
        out.append(part)
    cell = _cell(" ".join(out) if not show_source else "\n".join(out))
    return cell.replace(_PART_OPEN, "**").replace(_PART_CLOSE, "**")


def _header(summary: Summary, first: str | None = None) -> list[str]:
    cols = ([first] if first else []) + [f"[{i + 1}] {_cell(a.lang)}" for i, a in enumerate(summary.result.articles)]
    return ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]


def render_markdown(summary: Summary, show_source: bool = False) -> str:
    r = summary.result
    n = len(r.articles)
    out = ["# Parallel English summary", ""]
    for i, a in enumerate(summary.provenance["articles"]):
        out.append(f"- **[{i + 1}]** {_code(a['path'])} — language {_cell(a['lang'])}, English from {_cell(a['english'])}")
    out += ["", f"## Shared facts ({len(summary.shared)})", ""]
    if any(f.kind == "partial" for f in summary.shared):
        out += ["*partial*: one article states only part of the other's sentence; the part that matched is in **bold**.", ""]
    if summary.shared:
        out += _header(summary, "score")
        for fact in summary.shared:
            cells = [""] * n
            for side in fact.sides:
                cells[side.article] = _sentences(side.sentences, show_source, side.parts, fact.parts_in)
            ev = fact.link.evidence
            extra = []
            if ev.numbers:
                extra.append("numbers " + ", ".join(ev.numbers))
            if ev.terms:
                extra.append("terms " + ", ".join(ev.terms))
            if ev.words:
                extra.append("words " + ", ".join(ev.words[:4]))
            score = f"{fact.score:.2f}" + ("<br>*partial*" if fact.kind == "partial" else "")
            score += f"<br>{_cell('; '.join(extra))}" if extra else ""
            out.append("| " + " | ".join([score] + cells) + " |")
    else:
        out.append("No sentence of one article states the same facts as a sentence of another.")
    out += ["", f"## Reported by one article only ({sum(len(o) for o in summary.only)})", ""]
    out += _header(summary)
    for i, sentences in enumerate(summary.only):
        for s in sentences:
            cells = [""] * n
            cells[i] = _sentences((s,), show_source)
            out.append("| " + " | ".join(cells) + " |")
    out += ["", f"## Conflicts ({len(summary.conflicts)})", ""]
    if summary.conflicts:
        out += _header(summary, "kind")
        for c in summary.conflicts:
            cells = [""] * n
            for side, values in zip(c.fact.sides, c.values):
                cells[side.article] = f"**{_cell(', '.join(values) or '(none)')}**<br>" + _sentences(side.sentences, False)
            out.append("| " + " | ".join([c.kind] + cells) + " |")
    else:
        out.append("No disagreement found in numbers, quantities or times of the shared facts.")
    out += ["", "## Central sentences of each article", ""]
    for i, central in enumerate(summary.central):
        out.append(f"**[{i + 1}] {_cell(r.articles[i].lang)}**")
        out.append("")
        out += [f"- {_cell(s.english or s.text)}" for s in central]
        out.append("")
    out += ["## Provenance", ""]
    out += [f"- {_cell(line)}" for line in provenance_lines(summary.provenance)]
    return "\n".join(out) + "\n"
