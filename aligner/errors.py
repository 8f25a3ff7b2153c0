"""Exceptions raised by the library.

Every exception carries a message that can be shown to a user as one line;
the CLI turns them into ``Error: <message>`` and exit code 2.
"""


class AlignerError(Exception):
    """Base class of every error aligner raises on purpose."""


class InputError(AlignerError):
    """An input file or value is unusable (missing, empty, undecodable, ...)."""


class TranslationError(AlignerError):
    """A translation backend cannot do what was asked."""


class MissingDependency(AlignerError):
    """An optional heavy component is not installed."""


class GlossaryError(AlignerError):
    """The glossary file is malformed or an edit cannot be applied."""


class ResultError(AlignerError):
    """A saved result cannot be read (wrong schema, truncated, edited)."""


class PackageError(AlignerError):
    """A translation package cannot be installed, found or removed."""


class OutputError(AlignerError):
    """An output path cannot be used (an input of the run, not a regular file, not writable)."""


class AlignerWarning(UserWarning):
    """Something went wrong but the run goes on (a damaged cache moved aside, no English, ...)."""
