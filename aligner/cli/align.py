"""``aligner align A.txt B.txt ...``: read, translate, embed and link; show or write the result."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aligner.cli.console import status, warn
from aligner.cli.options import config_from, model_options
from aligner.cli.view import show_summary, write_markdown


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--lang", help="Language code per file, comma-separated (vi,id); detected when omitted.")
@model_options
@click.option("--json", "json_path", type=click.Path(), help="Write the result as JSON here.")
@click.option("--markdown", "markdown_path", type=click.Path(), help="Write a markdown report here.")
@click.option("--show-source", is_flag=True, help="Show each original sentence under its English.")
@click.option("--decisions", "decisions_path", type=click.Path(), help="A reviewed result of these articles: its review decisions carry over.")
@click.option("--no-view", is_flag=True, help="Do not print the summary to the terminal.")
@click.option("--no-pager", is_flag=True, help="Never page the terminal output.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
def align(files, lang, json_path, markdown_path, show_source, decisions_path, no_view, no_pager, quiet, **model):
    """Align two or more articles and show the parallel English summary.

    \b
    Examples:
      aligner align vi.txt id.txt                      # view in the terminal
      aligner align vi.txt id.txt --lang vi,id --json result.json --no-view
      aligner align vi.txt id.txt --memory tm.csv --markdown report.md
    """
    from aligner.files import check_outputs
    from aligner.pipeline import run
    from aligner.result import read_json, write_json
    from aligner.summary import summarise

    langs = tuple(x.strip() or None for x in lang.split(",")) if lang else ()
    config = config_from(model, paths=tuple(files), langs=langs, progress=not quiet and sys.stderr.isatty())
    check_outputs([json_path, markdown_path], [*files, config.memory, config.glossary, _cache_file(config), decisions_path])
    old = read_json(decisions_path) if decisions_path else None
    result = run(config, status=status(quiet), warn=warn)
    if old is not None:
        from aligner.review.decisions import carry_decisions

        result, stale = carry_decisions(result, old)
        for line in stale:
            warn(line)
    summary = summarise(result)
    say = status(quiet) or (lambda _msg: None)
    if json_path:
        write_json(result, json_path)
        say(f"wrote {json_path}")
    if markdown_path:
        write_markdown(summary, markdown_path, show_source)
        say(f"wrote {markdown_path}")
    if not no_view:
        show_summary(summary, show_source, pager=not no_pager)


def _cache_file(config) -> Path | None:
    if not config.use_cache:
        return None
    from aligner.cache import CACHE_FILE, default_cache_dir

    return Path(config.cache_dir or default_cache_dir()) / CACHE_FILE
