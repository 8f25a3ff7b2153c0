"""``aligner batch MANIFEST -o OUTDIR``: align many stories, one result file each.

A thin adapter over :func:`aligner.batch.run_batch`; nothing heavy is imported
here (the engine imports Dask only when it starts).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from aligner.cli.options import config_from, model_options

EXIT_SOME_FAILED = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM


@click.command()
@click.argument("manifest", type=click.Path())
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Folder for the results, one <story>.json each (created if missing).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this process; dask: a Dask cluster (pip install 'aligner[dask]').")
@click.option("--address", help="dask: the scheduler of a running cluster (tcp://host:8786); without it a local cluster is started.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="dask: worker processes of the local cluster (default: one per CPU).")
@click.option("--story-timeout", type=click.FloatRange(min=0, min_open=True), default=3600.0, show_default=True,
              metavar="SECONDS", help="A story still running after this (local or on its Dask worker) is stopped and marked failed; the batch goes on.")
@click.option("--decisions-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Reviewed results, <story>.json each (saved by aligner review; not OUTDIR): their decisions carry into each story's run.")
@model_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("-v", "--verbose", is_flag=True, help="dask: show the cluster's own log messages.")
@click.pass_context
def batch(ctx, manifest, outdir, engine, address, workers, story_timeout, decisions_dir, quiet, verbose, **model):
    """Align every story of MANIFEST; write OUTDIR/<story>.json for each.

    \b
    MANIFEST is CSV with the header story,paths,langs (paths and languages
    separated by |, langs optional) or JSONL, one story per line:
      yagi,vi/yagi.txt|id/yagi.txt,vi|id
      {"story": "yagi", "articles": [{"path": "vi/yagi.txt", "lang": "vi"}, {"path": "id/yagi.txt"}]}
    Relative article paths are relative to the manifest's folder.

    The cache (--cache-dir) is shared by all workers.  A rerun skips the stories whose result is already in OUTDIR for the same
    files and settings, so an interrupted batch resumes where it stopped.

    With --decisions-dir, DIR/<story>.json (a result saved by aligner review)
    carries its decisions into that story's run, as align --decisions does; a
    changed review re-runs the story.

    \b
    Each warning names its story (Warning: <story>: ...); the summary and the
    list of failed stories go to stderr.

    \b
    Exit code: 0 every story aligned; 1 some story failed (listed at the end);
    2 the batch could not start (bad manifest or option); 130 interrupted;
    143 terminated (SIGTERM, SIGHUP).
    """
    from aligner.batch import get_engine, read_manifest, run_batch
    from aligner.files import Terminated

    chosen = get_engine(engine, address, workers, story_timeout, verbose)
    stories = read_manifest(manifest)
    template = config_from(model, path=_absolute, paths=())
    with _progress(len(stories), quiet) as on_outcome:
        try:
            report = run_batch(stories, outdir, template, chosen, on_outcome, inputs=[_absolute(manifest)],
                               decisions_dir=decisions_dir)
        except KeyboardInterrupt:
            click.echo(f"Interrupted: the finished stories are in {outdir}; run the same command again to resume.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo(f"Terminated: the finished stories are in {outdir}; run the same command again to resume.", err=True)
            ctx.exit(EXIT_TERMINATED)
    _summary(report)
    if report.failures:
        ctx.exit(EXIT_SOME_FAILED)


def _absolute(path: str | None) -> str | None:
    """Workers may run elsewhere (another folder, another machine with the same mounts)."""
    return str(Path(path).expanduser().resolve()) if path else None


def _warning_lines(outcome) -> list[str]:
    from aligner.render.safe import one_line

    return [f"Warning: {one_line(_plain(outcome.story))}: {one_line(w)}" for w in outcome.warnings]


@contextmanager
def _progress(total: int, quiet: bool):
    """An overall progress bar on stderr when it is a terminal; yields the per-story callback.

    Each story's warnings are printed above the bar, one ``Warning: <story>: ...`` line each.
    """
    if quiet or not sys.stderr.isatty():
        def warn_only(outcome) -> None:
            for line in _warning_lines(outcome):
                click.echo(line, err=True)

        yield warn_only
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    failed = 0
    columns = (TextColumn("stories"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failed]}"),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("stories", total=total, failed="")

        def advance(outcome) -> None:
            nonlocal failed
            for line in _warning_lines(outcome):
                bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
            failed += outcome.status == "failed"
            bar.update(task, advance=1, failed=f"{failed} failed" if failed else "")

        yield advance


def _plain(text: str) -> str:
    """Story ids and reasons come from files: show control and bidi characters escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _summary(report) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"batch · engine: {report.engine}"), title_justify="left")
    for column in ("stories", "done", "skipped", "failed", "links"):
        table.add_column(column, justify="right")
    table.add_row(*(str(n) for n in (len(report.outcomes), report.count("done"), report.count("skipped"),
                                     report.count("failed"), report.links)))
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(table)
    if report.failures:
        console.print("failed:")
        for o in report.failures:
            console.print(Text(f"  {_plain(o.story)}: {_plain(o.reason or 'unknown reason')}"))
