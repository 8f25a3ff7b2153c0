"""How the commands talk to the user: data on stdout, messages on stderr, one safe line each.

Every message goes through :func:`aligner.render.safe.one_line`, so a file name
holding an escape code is shown, not obeyed.
"""

from __future__ import annotations

import contextlib
import sys

import click

from aligner.render.safe import one_line


def error(message: str) -> None:
    click.echo(f"Error: {one_line(message)}", err=True)


def warn(message: str) -> None:
    click.echo(f"Warning: {one_line(message)}", err=True)


def note(message: str) -> None:
    click.echo(f"note: {one_line(message)}", err=True)


def out(message: str) -> None:
    """One line of a command's output (stdout), made safe for the terminal."""
    click.echo(one_line(message))


class Status:
    """Progress lines on stderr (``· message``); :meth:`waiting` adds a spinner on a terminal."""

    def __call__(self, message: str) -> None:
        click.echo(f"· {one_line(message)}", err=True)

    @contextlib.contextmanager
    def waiting(self, message: str):
        """Say ``message``, then, on a terminal, a spinner with the time elapsed until the block ends."""
        self(message)
        if not sys.stderr.isatty():
            yield
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=rich_console(stderr=True), transient=True) as spinner:
            spinner.add_task(one_line(message), total=None)
            yield


def status(quiet: bool) -> Status | None:
    """A progress-line printer on stderr, or None when ``quiet``."""
    return None if quiet else Status()


def rich_console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 new concept``, ``2 new concepts``: the count and the noun in the right number."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"
