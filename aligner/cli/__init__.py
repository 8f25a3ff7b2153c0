"""The command-line interface: thin click adapters over the library.

``main`` holds the group and the one edge where library errors become one
``Error:`` line; ``options`` derives the shared option sets from the config
dataclasses; one module per command (group): ``align``, ``view`` (view and
report), ``eval``, ``batch``, ``glossary``, ``models``.  Command modules are
imported when their command runs, so ``aligner view`` never loads what
``aligner align`` needs.
"""

from aligner.cli.main import cli, main

__all__ = ["cli", "main"]
