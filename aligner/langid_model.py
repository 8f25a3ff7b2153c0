"""py3langid's bundled language model, loaded once per process; with a cache folder, from an
uncompressed copy kept there.

Public surface: :func:`identifier`, :data:`LANGID_CACHE_NAME`.  Split out of :mod:`aligner.ingest`
(which imports ``identifier`` as ``_identifier``); this module imports no other part of aligner.

The bundled model is an LZMA-compressed npz: decompressing it takes 0.6-1.0 s of CPU per run, reading
the uncompressed copy 0.1 s (benchmarks/cached_align.py).  The copy is keyed by py3langid's version and
the model file's size, written atomically (runs share the folder), made again when unreadable, and
skipped when the folder cannot be written: the bundled file is then read as before.
"""

from __future__ import annotations

from pathlib import Path

_LOADED: list = []  # the loaded py3langid model, once per process
# The arrays of py3langid's model, uncompressed, in the cache folder: loading them takes 0.07 s of CPU,
# decompressing the bundled LZMA file 0.6-1.0 s (benchmarks/cached_align.py).
LANGID_CACHE_NAME = "py3langid-{version}-{size}.npz"
_LANGID_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def identifier(cache_dir: str | Path | None = None):
    """The bundled py3langid model (loaded once, on first use).

    With a ``cache_dir`` the model's arrays are read from an uncompressed copy there
    (:data:`LANGID_CACHE_NAME`, keyed by py3langid's version and the model file's size),
    written on first use; without one, nothing is written.
    """
    if not _LOADED:
        _LOADED.append(_load_identifier(cache_dir))
    return _LOADED[0]


def _load_identifier(cache_dir: str | Path | None):
    from py3langid import __version__
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = Path(MODEL_DIR) / MODEL_FILE
    if cache_dir is not None:
        copy = Path(cache_dir) / LANGID_CACHE_NAME.format(version=__version__, size=model.stat().st_size)
        loaded = _cached_langid_model(copy, model)
        if loaded is not None:
            ptc, pc, classes, nextmove, row, output = loaded
            return LanguageIdentifier(ptc, pc, classes, nextmove, output, tk_row=row)
    return LanguageIdentifier.from_modelpath(model)


def _cached_langid_model(copy: Path, model: Path) -> tuple | None:
    """The model's arrays as py3langid's ``load_model`` returns them, from ``copy``
    (made from ``model`` when missing or unreadable); None when the copy cannot be made."""
    import zipfile

    for attempt in range(2):
        try:
            return _read_langid_arrays(copy)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            if attempt or not _write_langid_copy(copy, model):
                return None
    return None


def _read_langid_arrays(path: Path) -> tuple:
    """The same tuple as ``py3langid.modelio.load_model``, read from an uncompressed npz."""
    from array import array

    import numpy as np

    def stdlib_array(a):  # as py3langid's DFA walk indexes it: an array('H'/'I'/'L')
        out = array({2: "H", 4: "I", 8: "L"}[a.dtype.itemsize])
        out.frombytes(memoryview(np.ascontiguousarray(a)).cast("B"))
        return out

    with np.load(path, allow_pickle=False) as data:
        d = {k: data[k] for k in _LANGID_ARRAYS}
    return (d["ptc"], d["pc"], d["classes"].tolist(), stdlib_array(d["nextmove"]),
            stdlib_array(d["nextmove_row"]), d["out_feat"].tolist())


def _write_langid_copy(copy: Path, model: Path) -> bool:
    """Decompress ``model`` to ``copy`` (atomically: concurrent runs share the folder); False on failure."""
    import lzma
    import os
    import shutil
    import tempfile

    tmp = None
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=copy.parent, prefix=copy.name, suffix=".tmp", delete=False) as out:
            tmp = out.name
            with lzma.open(model) as src:
                shutil.copyfileobj(src, out, length=1 << 20)
        os.replace(tmp, copy)
        return True
    except (OSError, lzma.LZMAError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
