"""The ``aligner`` command group and the one edge where errors become a line.

Each command builds one object, calls one library function, and lets library
exceptions (:class:`aligner.errors.AlignerError`) through; :class:`AlignerGroup`
turns them into ``Error: ...`` on one line with exit code 2.  A reader that
closes the pipe early (``| head``) ends the command quietly.

Commands live in their own modules and are imported when they run
(:data:`COMMANDS`), so ``aligner view`` or ``aligner --help`` never import what
``aligner align`` needs.  Nothing heavy is imported here.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys

import click

from aligner import __version__
from aligner.cli.console import error, warn
from aligner.errors import AlignerError
from aligner.files import Terminated, handle_termination

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE: what `yes | head -1` reports for `yes`
EXIT_TERMINATED = 143  # 128 + SIGTERM (SIGHUP too): temporaries removed, as for SIGINT

# name -> (module, attribute, one-line help for `aligner --help`), in the order --help lists them
COMMANDS = {
    "align": ("aligner.cli.align", "align", "Align two or more articles and show the parallel English summary."),
    "view": ("aligner.cli.view", "view", "Show a saved result side by side (no models are loaded)."),
    "report": ("aligner.cli.view", "report", "Write a report of a saved result: markdown on stdout, or -o report.md / report.html."),
    "review": ("aligner.cli.review", "review", "Review links in the terminal: accept, reject, add; edit the glossary."),
    "glossary": ("aligner.cli.glossary", "glossary", "Read and edit the glossary (one concept per row)."),
    "models": ("aligner.cli.models", "models", "Translation models: catalog, install, register, remove."),
    "batch": ("aligner.cli.batch", "batch", "Align every story of a manifest; one result file each."),
    "eval": ("aligner.cli.eval", "eval_", "Measure alignment quality on comparable pairs built from NTREX dev."),
}


def _warnings_as_lines(show_others):
    """A ``warnings.showwarning`` that prints aligner's own warnings as one ``Warning: ...`` line."""
    from aligner.errors import AlignerWarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, AlignerWarning):
            warn(str(message))
        else:
            show_others(message, category, filename, lineno, file, line)

    return show


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file descriptor (a test runner's buffer)


class AlignerGroup(click.Group):
    """The top-level group: commands loaded on demand, library errors as one line and exit code 2."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx, formatter):
        """The command list from :data:`COMMANDS`, without importing any command module."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])

    def invoke(self, ctx):
        import warnings

        from aligner.errors import AlignerWarning

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", AlignerWarning)
                warnings.showwarning = _warnings_as_lines(warnings.showwarning)
                value = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
            return value
        except AlignerError as e:
            error(str(e))
            ctx.exit(EXIT_ERROR)
        except OSError as e:
            if e.errno == errno.EPIPE:  # the reader went away (`aligner glossary list | head -1`)
                _silence_stdout()
                ctx.exit(EXIT_CLOSED_PIPE)
            where = f"{e.filename}: " if getattr(e, "filename", None) else ""
            error(f"{where}{e.strerror or e}")
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("Terminated.", err=True)
            ctx.exit(EXIT_TERMINATED)


@click.group(cls=AlignerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def cli():
    """Align comparable news articles in different languages through English.

    Shared facts side by side, facts only one article reports, and where the
    articles disagree.  Data goes to stdout, messages to stderr; - as an
    output file means stdout.

    \b
    Examples:
      aligner align examples/vi-nuclear-ai-statement.txt examples/id-arms-talks.txt \\
          --memory examples/translation-memory.csv --json out/result.json
      aligner view out/result.json
      aligner view out/result.json --map
      aligner review out/result.json
      aligner report out/result.json -o report.html
      aligner report out/result.json > report.md
      aligner glossary init
      aligner glossary add "no-first-use" --vi "không sử dụng trước" --id "tidak menggunakan pertama"
      aligner models install vi
    """


def main():
    handle_termination()
    cli(prog_name="aligner")


if __name__ == "__main__":
    main()
