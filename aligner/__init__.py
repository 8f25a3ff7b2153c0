"""aligner: align comparable news articles in different languages through English.

The pipeline flows one way through small modules::

    ingest -> segment -> translate -> glossary -> embed -> align -> summary -> render

Importing this package is cheap: no model, torch, sentence-transformers or
ctranslate2 is imported until a stage needs it.
"""

__version__ = "0.1.0"

from aligner.errors import AlignerError  # noqa: E402

__all__ = ["__version__", "AlignerError"]
