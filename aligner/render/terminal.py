"""The terminal side-by-side viewer: a rich renderable built from a :class:`Summary`.

Public surface: :class:`SummaryView`, :func:`show`.  One column per article; rows for shared
facts first (score bar; shared numbers, glossary terms and content words
highlighted), then
the facts only one article reports, then conflicts, then each article's
central sentences and the provenance.  Text folds, it is never cut.
"""

from __future__ import annotations

import re

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from aligner.facts import content_word_spans
from aligner.render.safe import rich_text, visible
from aligner.summary import Summary, provenance_lines

BAR_WIDTH = 8
MATCHED_PART = "bold yellow"  # the part of a sentence a partial link matched
SHARED_NUMBER = "bold cyan"
SHARED_TERM = "underline"  # a glossary concept both sentences contain
SHARED_WORD = "italic"  # a content word the link's evidence lists
SCORE_FULL = 2.0  # a margin score at which the bar is full


class SummaryView:
    def __init__(self, summary: Summary, show_source: bool = False):
        self.summary = summary
        self.show_source = show_source

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s = self.summary
        r = s.result
        n = len(r.articles)
        yield Rule("aligner: parallel English summary", style="bold")
        header = Table(box=box.SIMPLE, show_header=True, expand=True, pad_edge=False)
        for i, a in enumerate(r.articles):
            header.add_column(rich_text(f"[{i + 1}] {a.path}"), overflow="fold", ratio=1)
        header.add_row(*[rich_text(self._article_line(i)) for i in range(n)])
        yield header

        yield Rule(f"Shared facts ({len(s.shared)})", style="green")
        if s.shared:
            table = self._table(score=True)
            for fact in s.shared:
                cells = _row(n, {side.article: self._cell(side.sentences, fact.link.evidence, side.parts, fact.parts_in) for side in fact.sides})
                bar = self._bar(fact.score)
                if fact.kind == "partial":
                    bar.append("\npartial", style="bold yellow")
                table.add_row(bar, *cells)
            yield table
        else:
            yield Text("No sentence of one article states the same facts as a sentence of another.", style="dim")

        total_only = sum(len(o) for o in s.only)
        yield Rule(f"Reported by one article only ({total_only})", style="yellow")
        table = self._table(score=False)
        for i, sentences in enumerate(s.only):
            for sent in sentences:
                table.add_row(*_row(n, {i: self._cell((sent,))}))
        yield table

        yield Rule(f"Conflicts ({len(s.conflicts)})", style="red")
        if s.conflicts:
            table = self._table(score=False)
            for c in s.conflicts:
                filled = {}
                for side, values in zip(c.fact.sides, c.values):
                    cell = Text(f"{c.kind}: ", style="bold red")
                    cell.append(visible(", ".join(values)) or "(none)", style="bold")
                    cell.append("\n")
                    cell.append_text(self._cell(side.sentences))
                    filled[side.article] = cell
                table.add_row(*_row(n, filled))
            yield table
        else:
            yield Text("No disagreement found in numbers, quantities or times of the shared facts.", style="dim")

        yield Rule("Central sentences of each article", style="blue")
        table = self._table(score=False)
        table.add_row(*[rich_text("\n".join(f"• {x.english or x.text}" for x in c)) for c in s.central])
        yield table

        yield Rule("Provenance", style="dim")
        yield rich_text(self._provenance(), style="dim")

    # -- pieces

    def _article_line(self, i: int) -> str:
        a = self.summary.provenance["articles"][i]
        dropped = self.summary.result.articles[i].dropped
        line = f"lang {a['lang']}; English from {a['english']}"
        if dropped:
            line += f"; dropped {len(dropped)} boilerplate span(s)"
        return line

    def _table(self, score: bool) -> Table:
        t = Table(box=box.SIMPLE_HEAD, show_header=True, expand=True, show_lines=True, pad_edge=False)
        if score:
            t.add_column("score", no_wrap=True, width=BAR_WIDTH + 1)
        for i, a in enumerate(self.summary.result.articles):
            t.add_column(rich_text(f"[{i + 1}] {a.lang}"), overflow="fold", ratio=1)
        return t

    def _bar(self, score: float) -> Text:
        filled = max(1, min(BAR_WIDTH, round(score / SCORE_FULL * BAR_WIDTH)))
        style = "green" if score >= 1.5 else "yellow"
        bar = Text("█" * filled + "░" * (BAR_WIDTH - filled), style=style)
        bar.append(f"\n{score:.2f}")
        return bar

    def _cell(self, sentences, evidence=None, parts=(), parts_in="english") -> Text:
        """Sentences with their English; the part that matched (a partial link) is highlighted."""
        text = Text()
        parts = parts or (None,) * len(sentences)
        for k, sent in enumerate(sentences):
            if k:
                text.append(" ")
            text.append(f"#{sent.index + 1} ", style="dim")
            english = sent.english if sent.english is not None else "(no English)"
            start = len(text)
            text.append(visible(english), style=None if sent.english is not None else "italic dim")
            if parts[k] is not None and parts_in == "english" and sent.english is not None and visible(english) == english:
                text.stylize(MATCHED_PART, start + parts[k][0], start + parts[k][1])
            if evidence is not None and evidence.words and sent.english is not None and visible(english) == english:
                for s, e, stem in content_word_spans(english):
                    if stem in evidence.words:
                        text.stylize(SHARED_WORD, start + s, start + e)
            flags = [h for h in sent.glossary if h.status == "violation"]
            if flags:
                text.append(" ⚑ glossary: " + visible(", ".join(h.concept for h in flags)), style="bold magenta")
        if evidence is not None:
            for value in evidence.numbers:
                for form in _number_forms(value):
                    text.highlight_regex(rf"(?<![\w.,]){re.escape(form)}(?![\w])", SHARED_NUMBER)
            for term in evidence.terms:
                text.highlight_words([visible(term)], SHARED_TERM, case_sensitive=False)
        if self.show_source:
            for k, sent in enumerate(sentences):
                start = len(text) + 1
                text.append("\n" + visible(sent.text), style="dim")
                if parts[k] is not None and parts_in == "source" and visible(sent.text) == sent.text:
                    text.stylize(MATCHED_PART, start + parts[k][0], start + parts[k][1])
        return text

    def _provenance(self) -> str:
        p = self.summary.provenance
        lines = []
        for i, a in enumerate(p["articles"]):
            lines.append(f"[{i + 1}] {a['path']} ({a['lang']}), English: {a['english']}")
        lines += provenance_lines(p)
        return "\n".join(lines)


def _row(n: int, filled: dict) -> list[Text]:
    """One table row: the given articles' cells, the other columns empty."""
    return [filled.get(i, Text("")) for i in range(n)]


def _number_forms(value: str) -> list[str]:
    """How a canonical number may be written: 1000 -> 1000, 1,000, 1.000."""
    forms = [value]
    if value.isdigit() and len(value) > 3:
        grouped = f"{int(value):,}"
        forms += [grouped, grouped.replace(",", ".")]
    return forms


def show(renderable, console: Console, pager: bool) -> None:
    """Print ``renderable``; through a pager when asked, on a terminal, and taller than the screen.

    The view is rendered once.  The pager is ``$PAGER`` or ``less``; ``less``
    gets ``-R`` (colours shown as colours, not as escape codes) added to the
    user's ``$LESS``, or ``-FRX`` when ``$LESS`` is unset.
    """
    if not (pager and console.is_terminal):
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
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
