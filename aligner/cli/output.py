"""The one place a command opens an output: a file (written atomically) or stdout for ``-``.

``-`` means stdout for ``align --json/--markdown``, ``report -o`` and
``glossary export -o``, as it does for sacrebleu, jq or pandoc.  At most one
output of a run can be stdout; a file output is checked before any work
(:func:`check`) and written whole or not at all (:func:`write`).

The markdown report brings its alignment map: ``<stem>.map.svg`` beside it,
linked from the report (not when the report goes to stdout).
"""

from __future__ import annotations

from pathlib import Path

import click

from aligner.errors import OutputError

STDOUT = "-"
FORMATS = ("md", "html")


def is_stdout(path) -> bool:
    return path is not None and str(path) == STDOUT


def check(outputs, inputs=()) -> None:
    """Refuse unusable outputs before any work: two stdouts, an input as output, a missing folder..."""
    from aligner.files import check_outputs

    named = [p for p in outputs if p]
    if sum(is_stdout(p) for p in named) > 1:
        raise OutputError("-: only one output can go to stdout")
    check_outputs([p for p in named if not is_stdout(p)], inputs)


def write(path, text: str) -> None:
    """``text`` to stdout (``-``) or to the file ``path``, written atomically."""
    if is_stdout(path):
        click.echo(text, nl=False)
        return
    from aligner.files import write_atomically

    write_atomically(Path(path), text.encode("utf-8"))


def where(path) -> str:
    """How a status line names an output: the path, or ``stdout``."""
    return "stdout" if is_stdout(path) else str(path)


def report_format(path, fmt: str | None) -> str:
    """``md`` or ``html``: ``fmt`` when given, else from the extension of ``path`` (markdown on stdout)."""
    if fmt:
        return fmt
    if not is_stdout(path) and Path(str(path)).suffix.lower() in (".html", ".htm"):
        return "html"
    return "md"


def map_path(path) -> Path | None:
    """Where the markdown report at ``path`` puts its map (``report.md`` -> ``report.map.svg``); None on stdout."""
    if is_stdout(path):
        return None
    p = Path(str(path))
    return p.with_name(p.stem + ".map.svg") if p.suffix else p.with_name(p.name + ".map.svg")


def report_outputs(path, fmt: str | None) -> list:
    """Every file the report at ``path`` writes (for :func:`check`)."""
    extra = map_path(path) if report_format(path, fmt) == "md" else None
    return [path, extra]


def write_report(summary, path, fmt: str | None, show_source: bool) -> list[str]:
    """Write the report (and the markdown report's map beside it); the files written."""
    if report_format(path, fmt) == "html":
        from aligner.render.html import render_html

        write(path, render_html(summary, show_source=show_source))
        return [where(path)]
    from aligner.render.markdown import render_markdown

    svg = map_path(path)
    written = []
    if svg is not None:
        from aligner.render.html import map_svg

        write(svg, map_svg(summary))
        written.append(str(svg))
    write(path, render_markdown(summary, show_source=show_source, map_file=svg.name if svg else None))
    return [where(path), *written]


def write_result(result, path) -> None:
    """The result as JSON: to stdout (article paths relative to the current folder) or to a file."""
    from aligner.result import json_text, write_json

    if is_stdout(path):
        click.echo(json_text(result, Path.cwd()), nl=False)
    else:
        write_json(result, path)
