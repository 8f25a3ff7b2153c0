"""``aligner align A.txt B.txt ...``: read, translate, embed and link; show or write the result."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aligner.cli import output
from aligner.cli.console import status, warn
from aligner.cli.options import config_from, model_options
from aligner.errors import InputError


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--lang", help="Language code per file, comma-separated (vi,id); detected when omitted.")
@model_options
@click.option("--json", "json_path", type=click.Path(allow_dash=True), help="Write the result as JSON here (- for stdout).")
@click.option("--markdown", "markdown_path", type=click.Path(allow_dash=True),
              help="Write a markdown report here (- for stdout); its map goes beside it as <stem>.map.svg.")
@click.option("--show-source", is_flag=True, help="Show each original sentence under its English.")
@click.option("--decisions", "decisions_path", type=click.Path(), help="A reviewed result of these articles: its review decisions carry over.")
@click.option("--no-view", is_flag=True, help="Do not print the summary to the terminal (needs --json or --markdown).")
@click.option("--no-pager", is_flag=True, help="Never page the terminal output.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages, no status lines.")
def align(files, lang, json_path, markdown_path, show_source, decisions_path, no_view, no_pager, quiet, **model):
    """Align two or more articles and show the parallel English summary.

    \b
    Examples:
      aligner align examples/vi-nuclear-ai-statement.txt examples/id-arms-talks.txt
      aligner align examples/vi-nuclear-ai-statement.txt examples/id-arms-talks.txt \\
          --memory examples/translation-memory.csv --json out/result.json --markdown out/report.md
      aligner align vi.txt id.txt --lang vi,id --json - --no-view -q | jq '.links | length'
    """
    from aligner.pipeline import run
    from aligner.summary import summarise

    if no_view and not (json_path or markdown_path):
        raise InputError("--no-view without --json or --markdown would throw the result away; "
                         "add --json FILE (--json - for stdout) or drop --no-view")
    langs = tuple(x.strip() or None for x in lang.split(",")) if lang else ()
    config = config_from(model, paths=tuple(files), langs=langs, progress=not quiet and sys.stderr.isatty())
    outputs = [json_path] + (output.report_outputs(markdown_path, "md") if markdown_path else [])
    output.check(outputs, [*files, config.memory, config.glossary, _cache_file(config), decisions_path])
    if decisions_path:
        from aligner.review.decisions import read_reviewed

        old, old_sha = read_reviewed(decisions_path)
    else:
        old = None
    say = status(quiet) or (lambda _msg: None)
    say(f"reading {len(files)} articles…")  # the language identifier alone takes seconds to load
    result = run(config, status=status(quiet), warn=warn)
    if old is not None:
        from aligner.review.decisions import carry_reviewed

        result, stale = carry_reviewed(result, old, decisions_path, old_sha)
        for line in stale:
            warn(line)
    summary = summarise(result)
    if json_path:
        output.write_result(result, json_path)
        if not output.is_stdout(json_path):
            say(f"wrote {json_path}")
    if markdown_path:
        written = output.write_report(summary, markdown_path, "md", show_source)
        if not output.is_stdout(markdown_path):
            say(f"wrote {', '.join(written)}")
    if not no_view and not any(output.is_stdout(p) for p in (json_path, markdown_path)):
        from aligner.cli.view import show_summary

        show_summary(summary, show_source, pager=not no_pager)


def _cache_file(config) -> Path | None:
    if not config.use_cache:
        return None
    from aligner.cache import CACHE_FILE, default_cache_dir

    return Path(config.cache_dir or default_cache_dir()) / CACHE_FILE
