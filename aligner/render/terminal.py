"""The terminal side-by-side viewer: a rich renderable built from a :class:`Summary`.

Public surface: :class:`SummaryView`, :func:`show`.  One column per article,
at the same positions in every section: where the articles disagree, the
shared facts (score bar; shared numbers, glossary terms and content words
marked), the facts only one article reports (side by side, each in its own
article's order), each article's central sentences, and the provenance.
Text folds, it is never cut; no line ends in spaces.

Without colour (a pipe, ``NO_COLOR``) nothing is lost: the matched part of a
partial link is bracketed and each link's evidence is written out.

The rows are those of a rich Table of fixed-width columns, laid out without the
Table by aligner/render/termlayout.py (the same bytes; tests/test_view_fast.py).
"""

from __future__ import annotations

import re

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.padding import Padding
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from aligner.facts import shared_word_spans
from aligner.render.content import (Disagreement, disagreements, dropped_lines, evidence_line, fact_text, number_forms, review_line,
                                    review_marks, short_path, shown, without_english)
from aligner.render.safe import rich_text, visible
from aligner.render.termlayout import GridRow, Layout
from aligner.summary import Summary, provenance_lines

BAR_WIDTH = 8
NARROW = 60  # at this width or less the score goes into the row and the gutter column is dropped
MATCHED_PART = "bold yellow"  # the part of a sentence a partial link matched
SHARED_NUMBER = "bold cyan"
SHARED_TERM = "underline"  # a glossary concept both sentences contain
SHARED_WORD = "italic"  # a content word the link's evidence lists
DIFFERENT_VALUE = "bold red"  # a value the articles disagree on
SOURCE = "dim"  # a sentence shown as written, for want of English
REVIEW_STYLE = {"accepted": "green", "manual": "cyan"}  # a fact's review marks (plain text without colour)
SCORE_FULL = 2.0  # a margin score at which the bar is full
# the legend's items: name, style, meaning (and a shorter one), and whether a shared fact shows it
LEGEND = (
    ("cyan", SHARED_NUMBER, ("shared number", "shared number"), lambda fact: fact.link.evidence.numbers),
    ("underline", SHARED_TERM, ("glossary term", "term"), lambda fact: fact.link.evidence.terms),
    ("italic", SHARED_WORD, ("shared word", "word"), lambda fact: fact.link.evidence.words),
    ("bold yellow", MATCHED_PART, ("matched part", "matched part"), lambda fact: fact.kind == "partial"),
)


SOFT_MEANING = {"quantity": "compatible values, other qualifiers", "source": "different named sources"}


def _disagreement_legend(found, plain: bool) -> Text | None:
    """One line under "Where the articles disagree": what the red marks and "(soft)" mean."""
    soft = {k for d in found for k, _ in d.kinds if k.endswith(" (soft)")}
    meanings = [SOFT_MEANING["quantity"]] if soft - {"source (soft)"} else []
    meanings += [SOFT_MEANING["source"]] if "source (soft)" in soft else []
    soft = f"(soft): {'; '.join(meanings)}" if meanings else ""
    if plain:
        return Text(soft, style="dim") if soft else None
    return Text("red", style=DIFFERENT_VALUE) + Text(": the values that differ" + (f"; {soft}" if soft else ""), style="dim")


class SummaryView:
    """The whole view; its layout is decided by the width and colour of the console it is printed on."""

    def __init__(self, summary: Summary, show_source: bool = False, fast: bool = True):
        self.summary = summary
        self.show_source = show_source
        # False: rich lays out every part (Table per row), the reference the fast layout matches
        self.fast = fast

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = console.no_color or console.color_system is None
        page = _Page(self.summary, self.show_source, options.max_width, plain)
        if self.fast and options.height is None:  # a height cuts or pads the group: rich's
            lines = Layout(console, options).lines(page.parts())
        else:
            lines = console.render_lines(Group(*page.parts()), options, pad=False)
        segments, newline = [], Segment.line()
        for line in lines:
            segments += _rstrip(line)
            segments.append(newline)
        return segments


def _section(title: str, style: str):
    """A blank line, then the section's title rule."""
    yield Text("")
    yield Rule(title, style=style)


def _rstrip(line: list[Segment]) -> list[Segment]:
    """``line`` without its trailing spaces (tables pad every cell to its width)."""
    end = len(line)
    while end and (line[end - 1].control or not line[end - 1].text.rstrip()):
        end -= 1
    if not end:
        return []
    last = line[end - 1]
    stripped = last.text.rstrip()
    if stripped == last.text:
        return line[:end]
    return [*line[:end - 1], Segment(stripped, last.style, last.control)]


class _Page:
    """The sections of one view at one width: every table has the same columns."""

    def __init__(self, summary: Summary, show_source: bool, width: int, plain: bool):
        self.summary = summary
        self.show_source = show_source
        self.width = width
        self.plain = plain
        n = len(summary.result.articles)
        self.gutter = BAR_WIDTH if width > NARROW else 0
        columns = n + (1 if self.gutter else 0)
        self.column = max(8, (width - self.gutter - 2 * (columns - 1)) // n)

    def parts(self):
        s = self.summary
        yield Rule("aligner: parallel English summary", style="bold")
        yield self._articles()
        found = disagreements(s)
        yield from _section(f"Where the articles disagree ({len(found)})", style="red")
        if found:
            yield from self._rows([self._disagreement(d) for d in found])
            if (legend := _disagreement_legend(found, self.plain)) is not None:
                yield legend
        else:
            yield Text("No disagreement found in numbers, quantities or times of the shared facts.", style="dim")
        yield from _section(f"Shared facts ({len(s.shared)})", style="green")
        if s.shared:
            yield from self._rows([self._shared(fact, marks) for fact, marks in zip(s.shared, review_marks(s))], first="score")
            legend = self._legend()
            if legend:
                yield legend
        else:
            yield Text("No sentence of one article states the same facts as a sentence of another.", style="dim")
        yield from _section(f"Reported by one article only ({sum(len(o) for o in s.only)})", style="yellow")
        yield from self._rows([(None, [self._list(i, sentences) for i, sentences in enumerate(s.only)], None)])
        yield from _section("Central sentences of each article", style="blue")
        yield from self._rows([(None, [self._list(i, c) for i, c in enumerate(s.central)], None)])
        yield from _section("Provenance", style="dim")
        yield rich_text(self._provenance(), style="dim")

    # -- layout

    def _grid(self) -> Table:
        t = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=False)
        if self.gutter:
            t.add_column(width=self.gutter, no_wrap=True)
        for _ in self.summary.result.articles:
            t.add_column(width=self.column, overflow="fold")
        return t

    def _row(self, cells) -> GridRow:
        """A row of :meth:`_grid`'s columns (laid out without the Table: render/termlayout.py)."""
        widths = [self.column] * len(self.summary.result.articles)
        widths = [self.gutter, *widths] if self.gutter else widths
        return GridRow(cells, widths, bool(self.gutter), self._grid)

    def _rows(self, rows, first: str = ""):
        """A column header, then each row: (gutter or None, one cell per article, line under it or None).

        At narrow widths the gutter becomes a line above its row.
        """
        labels = [Text(f"[{i + 1}] {visible(a.lang)}", style="bold") for i, a in enumerate(self.summary.result.articles)]
        yield self._row([*([Text(first, style="bold")] if self.gutter else []), *labels])
        for k, (gutter, cells, under) in enumerate(rows):
            if k:
                yield Text("")
            if gutter is not None and not self.gutter:
                yield gutter
            yield self._row([*([gutter or Text("")] if self.gutter else []), *cells])
            if under:
                yield under

    def _articles(self) -> Table:
        """One line per article where it fits: its path, language and where its English came from."""
        t = Table.grid(padding=(0, 1, 0, 0))
        t.add_column(no_wrap=True)
        t.add_column(overflow="fold")
        for i, a in enumerate(self.summary.result.articles):
            # narrow: the file name is what tells the articles apart
            room = self.width - 4 if self.gutter else len(a.path.replace("\\", "/").rsplit("/", 1)[-1]) + 2
            path = rich_text(short_path(a.path, room))
            t.add_row(Text(f"[{i + 1}]", style="bold"), path + Text(" · " + self._article_line(i), style="dim"))
        missing = without_english(self.summary)
        if missing:
            t.add_row(Text(""), Text(visible(missing), style="dim"))
        return t

    def _article_line(self, i: int) -> str:
        a = self.summary.provenance["articles"][i]
        return f"{visible(a['lang'])}, English from {visible(a['english'])}"

    # -- rows

    def _disagreement(self, d: Disagreement):
        """One sentence pair that disagrees: each side's differing values, then its sentences."""
        cells = [Text("") for _ in self.summary.result.articles]
        for k, side in enumerate(d.fact.sides):
            cell = Text()
            for kind, values in d.lines(k):
                cell.append(f"{kind}: ", style="red")
                cell.append(visible(values) + "\n", style=DIFFERENT_VALUE)
            body = self._cell(side.sentences, side.article)
            if not self.plain:
                body.highlight_words([visible(v) for v in d.values(k)], DIFFERENT_VALUE, case_sensitive=False)
            cells[side.article] = cell + body
        return None, cells, None

    def _shared(self, fact, marks=()):
        cells = [Text("") for _ in self.summary.result.articles]
        for side in fact.sides:
            cells[side.article] = self._cell(side.sentences, side.article, fact.link.evidence, side.parts, fact.parts_in)
        return self._bar(fact.score, fact.kind == "partial"), cells, self._evidence(fact, marks)

    def _list(self, article: int, sentences) -> Text:
        """An article's sentences, one paragraph each."""
        return Text("\n\n").join(self._cell((s,), article) for s in sentences)

    def _bar(self, score: float, partial: bool) -> Text:
        filled = max(1, min(BAR_WIDTH, round(score / SCORE_FULL * BAR_WIDTH)))
        style = "green" if score >= 1.5 else "yellow"
        bar = Text("█" * filled + "░" * (BAR_WIDTH - filled), style=style)
        bar.append(("\n" if self.gutter else " ") + f"{score:.2f}")
        if partial:
            bar.append(("\n" if self.gutter else " ") + "partial", style="bold yellow")
        return bar

    def _evidence(self, fact, marks=()) -> Padding | None:
        """Under the row: the fact's review marks, and without colour its evidence written out
        (in colour the evidence is marked in the text)."""
        line = evidence_line(fact.link.evidence, fact_text(fact)) if self.plain else ""
        indent = self.gutter + 2 if self.gutter else 0
        under = Text(" · ").join(Text(visible(m.text), style=REVIEW_STYLE.get(m.verdict, "")) for m in marks)
        if line:
            under.append(("\n" if marks else "") + visible(line), style="dim")
        return Padding(under, (0, 0, 0, indent)) if under else None

    def _legend(self) -> Text:
        """What the styles shown mean: on one line, in shorter words if need be; else as many items to a line as fit."""
        if self.plain:
            partial = any(f.kind == "partial" for f in self.summary.shared)
            return Text("[…]: the part of a sentence a partial link matched" if partial else "", style="dim")
        shown_items = [item for item in LEGEND if any(item[3](fact) for fact in self.summary.shared)]
        for short in (0, 1):
            items = [Text(name, style=style) + Text(f": {meanings[short]}", style="dim") for name, style, meanings, _ in shown_items]
            if sum(len(item) for item in items) + 3 * (len(items) - 1) <= self.width:
                break
        lines = [Text()]
        for item in items:
            if lines[-1] and len(lines[-1]) + 3 + len(item) > self.width:
                lines.append(Text())
            lines[-1].append(" · " if lines[-1] else "", style="dim")
            lines[-1].append_text(item)
        return Text("\n").join(lines)

    # -- cells

    def _cell(self, sentences, article: int, evidence=None, parts=(), parts_in: str = "english") -> Text:
        """Sentences, one per line, each in English or else as written (``[vi] …``, dim).

        The part a partial link matched is highlighted (bracketed without
        colour), and so is the link's evidence.
        """
        lang = visible(self.summary.result.articles[article].lang)
        parts = parts or (None,) * len(sentences)
        lines = [self._sentence(sent, lang, evidence, part, parts_in) for sent, part in zip(sentences, parts)]
        text = Text("\n").join(lines)
        if evidence is not None and not self.plain:
            for value in evidence.numbers:
                for form in number_forms(value):
                    text.highlight_regex(rf"(?<![\w.,]){re.escape(form)}(?![\w])", SHARED_NUMBER)
            for term in evidence.terms:
                text.highlight_words([visible(term)], SHARED_TERM, case_sensitive=False)
        return text

    def _sentence(self, sent, lang: str, evidence, part, parts_in: str) -> Text:
        body, is_source = shown(sent)
        text = Text(f"#{sent.index + 1} ", style="dim")
        if is_source:
            text.append(f"[{lang}] ", style=SOURCE)
        text.append_text(self._marked(body, part if parts_in == ("source" if is_source else "english") else None,
                                      SOURCE if is_source else ""))
        if evidence is not None and evidence.words and not is_source and not self.plain and visible(body) == body:
            start = len(text) - len(body)
            for s, e in shared_word_spans(body, evidence.words):
                text.stylize(SHARED_WORD, start + s, start + e)
        flags = [h for h in sent.glossary if h.status == "violation"]
        if flags:
            text.append(" ⚑ glossary: " + visible(", ".join(h.concept for h in flags)), style="bold magenta")
        if self.show_source and not is_source and sent.text != body:
            text.append("\n")
            text.append_text(self._marked(sent.text, part if parts_in == "source" else None, SOURCE))
        return text

    def _marked(self, string: str, span, style: str) -> Text:
        """``string`` made visible, with its matched ``span`` highlighted (bracketed when plain)."""
        shown_text = visible(string)
        if span is None or shown_text != string:
            return Text(shown_text, style=style)
        start, end = span
        if self.plain:
            return Text(f"{string[:start]}[{string[start:end]}]{string[end:]}", style=style)
        text = Text(string, style=style)
        text.stylize(MATCHED_PART, start, end)
        return text

    def _provenance(self) -> str:
        p = self.summary.provenance
        # a version string breaks at its ';' instead of mid-word
        reviewed = [line for line in (review_line(self.summary),) if line]
        return "\n".join(dropped_lines(self.summary) + [line.replace(";", "; ") for line in provenance_lines(p)] + reviewed)


def show(renderable, console: Console, pager: bool) -> None:
    """Print ``renderable``; through a pager when asked, on a terminal, and taller than the screen.

    The view is rendered once.  The pager is ``$PAGER`` or ``less``; ``less``
    gets ``-R`` (colours shown as colours, not as escape codes) added to the
    user's ``$LESS``, or ``-FRX`` when ``$LESS`` is unset.
    """
    # the view's lines are already within the width: rich's second pass to crop them is skipped
    crop = not isinstance(renderable, SummaryView)
    if not (pager and console.is_terminal):
        console.print(renderable, crop=crop)
        return
    with console.capture() as captured:
        console.print(renderable, crop=crop)
    text = captured.get()
    if text.count("\n") <= console.height or not _page(text):
        console.file.write(text)
        console.file.flush()


def _page(text: str) -> bool:
    """Send ``text`` to the pager; False when there is none to run."""
    import os
    import shlex
    import shutil
    import subprocess

    command = shlex.split(os.environ.get("PAGER") or "less")
    if not command or shutil.which(command[0]) is None:
        return False
    env = dict(os.environ)
    env["LESS"] = (env["LESS"] + " -R") if env.get("LESS") else "-FRX"
    try:
        with subprocess.Popen(command, stdin=subprocess.PIPE, env=env) as proc:
            try:
                proc.stdin.write(text.encode("utf-8", errors="replace"))
                proc.stdin.close()
            except BrokenPipeError:
                pass  # the reader quit the pager early
    except OSError:
        return False
    return True
