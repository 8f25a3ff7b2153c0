"""``aligner review RESULT.json``: review a result in the terminal; ``--stats DIR``: what reviews say about the threshold.

Textual is imported only when the app runs (never for ``--help`` or ``--stats``).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from aligner.cli.console import note, out
from aligner.errors import InputError
from aligner.review.keys import help_text


def _default_by() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return ""


def _glossary_of(result, given: str | None) -> str | None:
    """The glossary to edit: the one given, else the one the result was made with, else the one
    ``align`` would find (./glossary.csv, then the user config folder), else none."""
    from aligner.glossary.file import find

    if given:
        return given
    recorded = result.signature.glossary.path if result.signature.glossary else None
    if recorded and Path(recorded).is_file():
        return recorded
    return find(None)[0]


def run_stats(folder: str) -> None:
    from aligner.align.params import DEFAULT_THRESHOLD
    from aligner.review.stats import collect, stats_lines

    stats = collect(folder)
    for line in stats.skipped:
        note(f"skipped {line}")
    if stats.results == 0:
        raise InputError(f"{folder}: no reviewed result (a result saved by 'aligner review') in this folder")
    for line in stats_lines(stats, DEFAULT_THRESHOLD):
        out(line)


@click.command(epilog=help_text())
@click.argument("result_path", metavar="RESULT.json", required=False)
@click.option("--glossary", "glossary_path", type=click.Path(), help="Glossary CSV that g edits (default: the one the result was made with).")
@click.option("--by", default=None, help="Your name, kept with each decision (default: your user name).")
@click.option("--stats", "stats_dir", type=click.Path(), help="Summarise accepted and rejected scores of the reviewed results in this folder and suggest a threshold.")
def review(result_path, glossary_path, by, stats_dir):
    """Review links in the terminal: accept, reject, add; edit the glossary.

    Decisions are saved into RESULT.json (q); view, report and align --decisions use them.

    \b
    Examples:
      aligner review out/result.json
      aligner review out/result.json --glossary glossary.csv --by alice
      aligner review --stats out/
    """
    if stats_dir:
        if result_path:
            raise click.UsageError("give RESULT.json or --stats DIR, not both")
        run_stats(stats_dir)
        return
    if not result_path:
        raise click.UsageError("missing RESULT.json (or --stats DIR)")
    from aligner.files import check_outputs
    from aligner.result import read_json

    result = read_json(result_path)
    check_outputs([result_path])
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError("review needs a terminal (stdin and stdout are not one); aligner view shows a result without one")
    from aligner.review.app import ReviewApp
    from aligner.review.decisions import save

    app = ReviewApp(result, name=result_path, glossary=_glossary_of(result, glossary_path), by=by if by is not None else _default_by())
    reviewed = app.run()
    if reviewed is None:
        note(f"quit without saving; {result_path} is unchanged")
        return
    if reviewed == result:
        note(f"no change; {result_path} is unchanged")
        return
    save(reviewed, result_path)
    c = reviewed.review
    out(f"saved {result_path}: accepted {len(c.accepted)}, rejected {len(c.rejected)}, manual {len(c.manual)}" if c else f"saved {result_path}")
