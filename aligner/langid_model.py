"""py3langid's bundled language model, loaded once per process; with a cache folder, from an
uncompressed copy kept there.

Public surface: :func:`identifier`, :func:`model_stamp`, :data:`LANGID_CACHE_NAME`.  Split out of
:mod:`aligner.ingest` (which imports ``identifier`` as ``_identifier``); this module imports no
other part of aligner at import (``model_stamp`` reads py3langid's version with
:mod:`aligner.dist_version`'s dist-info reader).

The bundled model is an LZMA-compressed npz: decompressing it takes 0.6-1.0 s of CPU per run; the
uncompressed copy (one .npy file per array, the two big ones memory-mapped) loads in a few ms.  The copy is keyed by py3langid's version and
the model file's size, written atomically (runs share the folder), made again when unreadable, and
skipped when the folder cannot be written: the bundled file is then read as before.
"""

from __future__ import annotations

import functools
from pathlib import Path

_LOADED: list = []  # the loaded py3langid model, once per process
# The arrays of py3langid's model, uncompressed, in the cache folder: mapping them takes a few ms,
# decompressing the bundled LZMA file 0.6-1.0 s of CPU (benchmarks/cached_align.py).
LANGID_CACHE_NAME = "py3langid-{version}-{size}"  # a folder of .npy files
_LANGID_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def identifier(cache_dir: str | Path | None = None):
    """The bundled py3langid model (loaded once, on first use).

    With a ``cache_dir`` the model's arrays are read from an uncompressed copy there
    (the folder :data:`LANGID_CACHE_NAME`, keyed by py3langid's version and the model file's size),
    written on first use; without one, nothing is written.
    """
    if not _LOADED:
        _LOADED.append(_load_identifier(cache_dir))
    return _LOADED[0]


@functools.lru_cache(maxsize=1)
def model_stamp() -> str:
    """py3langid's version and its model file's size (what names the identifier's answers),
    found without importing py3langid (which loads numpy and logging) where it can be."""
    import importlib.util

    spec = importlib.util.find_spec("py3langid")
    places = list(spec.submodule_search_locations or ()) if spec is not None else []
    model = Path(places[0]) / _MODEL_FILE if places else None
    if model is not None and model.is_file():
        from aligner.dist_version import dist_info_version

        version = dist_info_version("py3langid")
        if version is not None:
            return f"py3langid=={version};model={model.stat().st_size}"
    from py3langid import __version__
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return f"py3langid=={__version__};model={(Path(MODEL_DIR) / MODEL_FILE).stat().st_size}"


_MODEL_FILE = "data/model.npz.xz"  # py3langid.langid.MODEL_FILE (tests/test_cold_language.py)


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
    for attempt in range(2):
        try:
            return _read_langid_arrays(copy)
        except (OSError, ValueError, KeyError, EOFError):
            if attempt or not _write_langid_copy(copy, model):
                return None
    return None


def _read_langid_arrays(folder: Path) -> tuple:
    """The same values as ``py3langid.modelio.load_model``, from one ``.npy`` file per array.

    The two big arrays are mapped, not read: a text touches a small part of them.  The
    DFA's transitions are a memoryview of the ``array('I')`` py3langid builds (the same
    integers by index)."""
    import numpy as np

    d = {k: np.load(folder / f"{k}.npy", mmap_mode="r" if k in _MAPPED else None, allow_pickle=False)
         for k in _LANGID_ARRAYS}
    nextmove = d["nextmove"]
    if nextmove.dtype.itemsize not in _TYPECODES or nextmove.ndim != 1:
        raise ValueError(f"{folder}: unexpected transitions {nextmove.dtype} {nextmove.shape}")
    return (d["ptc"], d["pc"], d["classes"].tolist(), memoryview(nextmove).cast("B").cast(_TYPECODES[nextmove.dtype.itemsize]),
            _stdlib_array(d["nextmove_row"]), d["out_feat"].tolist())


_MAPPED = ("ptc", "nextmove")
_TYPECODES = {2: "H", 4: "I", 8: "L"}


def _stdlib_array(a):
    """An array('H'/'I'/'L') of ``a``, as py3langid builds it."""
    from array import array

    import numpy as np

    out = array(_TYPECODES[a.dtype.itemsize])
    out.frombytes(memoryview(np.ascontiguousarray(a)).cast("B"))
    return out


def _write_langid_copy(copy: Path, model: Path) -> bool:
    """Decompress ``model`` into the folder ``copy``, one ``.npy`` per array (made beside it, then
    renamed: concurrent runs share the cache folder); False on failure."""
    import lzma
    import os
    import shutil
    import tempfile

    import numpy as np

    tmp = None
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=copy.parent, prefix=copy.name, suffix=".tmp"))
        with tempfile.TemporaryFile(suffix=".npz") as npz:
            with lzma.open(model) as src:
                shutil.copyfileobj(src, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                for k in _LANGID_ARRAYS:
                    np.save(tmp / f"{k}.npy", data[k], allow_pickle=False)
        if copy.exists():  # unreadable (a run that finds it readable uses it and never gets here)
            shutil.rmtree(copy) if copy.is_dir() else copy.unlink()
        os.replace(tmp, copy)
        return True
    except (OSError, ValueError, KeyError, EOFError, lzma.LZMAError):
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return _readable(copy)  # another run may have made it meanwhile


def _readable(copy: Path) -> bool:
    try:
        _read_langid_arrays(copy)
    except (OSError, ValueError, KeyError, EOFError):
        return False
    return True
