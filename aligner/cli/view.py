"""``aligner view`` and ``aligner report``: show or write a saved result.  No models are loaded."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.cli.console import note, out, rich_console


def show_summary(summary, show_source: bool, pager: bool) -> None:
    from aligner.render.terminal import SummaryView, show

    show(SummaryView(summary, show_source=show_source), rich_console(), pager)


def write_markdown(summary, path: str, show_source: bool) -> None:
    from aligner.files import write_atomically
    from aligner.render.markdown import render_markdown

    write_atomically(Path(path), render_markdown(summary, show_source=show_source).encode("utf-8"))


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
@click.option("--no-pager", is_flag=True, help="Never page the output.")
def view(result_path, show_source, no_pager):
    """Show a saved result side by side (no models are loaded).

    \b
    Example:
      aligner view out/result.json --show-source
    """
    show_summary(load_result(result_path)[0], show_source, pager=not no_pager)


@click.command()
@click.argument("result_path", metavar="RESULT.json")
@click.option("-o", "--output", required=True, type=click.Path(), help="Markdown file to write.")
@click.option("--show-source", is_flag=True, help="Put each original sentence under its English.")
def report(result_path, output, show_source):
    """Write a markdown report of a saved result.

    \b
    Example:
      aligner report out/result.json -o report.md
    """
    from aligner.files import check_outputs

    check_outputs([output], [result_path])
    summary, sources = load_result(result_path)
    check_outputs([output], sources)
    write_markdown(summary, output, show_source)
    out(f"wrote {output}")
