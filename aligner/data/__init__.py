"""Data shipped inside the aligner package, so a clone or a pip install can evaluate on its own.

``ntrex-dev/`` is a subset of NTREX-128 (CC BY-SA 4.0; see ``ntrex-dev/LICENSE``):
``aligner eval``, the tests and the benchmarks read it through :func:`ntrex_dir`.
"""

from importlib.resources import files
from pathlib import Path


def ntrex_dir() -> Path:
    """The shipped NTREX dev folder (eng.txt, vie.txt, ind.txt, DOCUMENT_IDS.tsv).

    Resolved through the package's resources rather than ``__file__`` so it is the
    same call from the source tree and from an installed wheel (pip unpacks wheels,
    so the resource is a real folder the evaluation can read with plain paths).
    """
    return Path(str(files(__name__) / "ntrex-dev"))
