"""``aligner view`` and ``aligner report``: show or write a saved result.  No models are loaded."""

from __future__ import annotations


import click

from aligner.cli import output
from aligner.cli.console import note, rich_console


def show_summary(summary, show_source: bool, pager: bool) -> None:
    from aligner.render.terminal import SummaryView, show

    show(SummaryView(summary, show_source=show_source), rich_console(), pager)


def show_map(summary) -> None:
    """The alignment map, within the terminal's width (80 columns when piped, or $COLUMNS)."""
    import shutil

    from aligner.render.termmap import map_text

    width = shutil.get_terminal_size((80, 24)).columns
    for line in map_text(summary, width):
        click.echo(line)


def load_result(path: str):
    """The summary of a saved result, and where its articles are now (notes for moved or changed ones)."""
    from aligner.files import matches_sha256
    from aligner.ingest import MAX_BYTES
    from aligner.result import locate_source, read_json
    from aligner.review.decisions import apply_review
    from aligner.summary import summarise

    result = read_json(path)
    sources = []
    for a in result.articles:
        found = locate_source(path, a)
        if found is None:
            note(f"{a.path} (relative to {path}) no longer exists; showing the text saved in the result")
            continue
        sources.append(found)
        if a.sha256 and not matches_sha256(found, a.sha256, MAX_BYTES):  # by size first: never reads a huge file
            note(f"{found} has changed since this result was made; showing the text saved in the result")
    return summarise(apply_review(result)), sources


@click.command()
@click.argument("result_path", metavar="RESULT.json")
@click.option("--show-source", is_flag=True, help="Show each original sentence under its English.")
@click.option("--map", "as_map", is_flag=True,
              help="Draw the alignment map instead: each article's sentences in a column, one line per link.")
@click.option("--no-pager", is_flag=True, help="Never page the output.")
def view(result_path, show_source, as_map, no_pager):
    """Show a saved result side by side (no models are loaded).

    \b
    Examples:
      aligner view out/result.json --show-source
      aligner view out/result.json --map
      aligner view out/result.json | less -R
    """
    summary = load_result(result_path)[0]
    if as_map:
        show_map(summary)
    else:
        show_summary(summary, show_source, pager=not no_pager)


@click.command()
@click.argument("result_path", metavar="RESULT.json")
@click.option("-o", "--output", "target", default=output.STDOUT, show_default=True, type=click.Path(allow_dash=True),
              help="File to write, or - for stdout. A markdown file brings its map as <stem>.map.svg beside it.")
@click.option("--format", "fmt", type=click.Choice(output.FORMATS),
              help="md or html [default: from the extension of -o (.html, .htm: html); md on stdout].")
@click.option("--show-source", is_flag=True, help="Put each original sentence under its English.")
def report(result_path, target, fmt, show_source):
    """Write a report of a saved result: markdown (with its map as SVG) or one self-contained HTML page.

    \b
    Examples:
      aligner report out/result.json                   # markdown on stdout
      aligner report out/result.json -o report.md      # also writes report.map.svg
      aligner report out/result.json -o report.html    # one page: map, columns, evidence
      aligner report out/result.json --format html > report.html
    """
    outputs = output.report_outputs(target, fmt)
    output.check(outputs, [result_path])
    summary, sources = load_result(result_path)
    output.check(outputs, sources)
    written = output.write_report(summary, target, fmt, show_source)
    if not output.is_stdout(target):
        click.echo(f"wrote {', '.join(written)}", err=True)
