"""Check a CTranslate2 model directory without loading CTranslate2.

Public surface: :func:`check_model_dir`, :func:`read_vocabulary`, :class:`ModelInfo`.

``model.bin`` is CTranslate2's binary format: a little-endian header
(format version, spec name, spec revision, variable count), then per
variable its name, shape, dtype and byte length followed by the bytes, then
aliases.  Walking the variable headers (seeking over the data) costs a few
hundred small reads even for a multi-gigabyte model, and it tells a real
model from a dummy or truncated file at install time, with a one-line error,
instead of a C++ exception later in ``align``.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import PackageError

MAX_BINARY_VERSION = 6  # what CTranslate2 4.x writes; the layout below is known up to here
MAX_PLAUSIBLE_VERSION = 99  # a later format is accepted unchecked; 4 random bytes are not
MAX_VARIABLES = 1_000_000
VOCABULARY_FILES = (
    "shared_vocabulary.json", "shared_vocabulary.txt",
    "target_vocabulary.json", "target_vocabulary.txt",
)


@dataclass(frozen=True)
class ModelInfo:
    spec: str  # e.g. TransformerSpec
    binary_version: int
    variables: dict  # name -> shape
    target_vocabulary: tuple[str, ...]


class _Reader:
    def __init__(self, fh, size: int, label: str):
        self.fh, self.size, self.label = fh, size, label

    def unpack(self, fmt: str):
        n = struct.calcsize(fmt)
        data = self.fh.read(n)
        if len(data) != n:
            raise PackageError(f"{self.label}: not a CTranslate2 model (model.bin ends early)")
        return struct.unpack(fmt, data)

    def string(self) -> str:
        (length,) = self.unpack("<H")
        data = self.fh.read(length)
        if len(data) != length or not data.endswith(b"\0"):
            raise PackageError(f"{self.label}: not a CTranslate2 model (bad string in model.bin)")
        try:
            text = data[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise PackageError(f"{self.label}: not a CTranslate2 model (bad string in model.bin)") from None
        if not text.isprintable():
            raise PackageError(f"{self.label}: not a CTranslate2 model (bad string in model.bin)")
        return text

    def skip(self, n: int) -> None:
        target = self.fh.tell() + n
        if target > self.size:
            raise PackageError(f"{self.label}: not a CTranslate2 model (model.bin is truncated)")
        self.fh.seek(target)


def _read_header(path: Path, label: str) -> tuple[int, str, dict]:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        r = _Reader(fh, size, label)
        (version,) = r.unpack("<I")
        if not 1 <= version <= MAX_PLAUSIBLE_VERSION:
            raise PackageError(f"{label}: not a CTranslate2 model (model.bin format {version} is unknown)")
        if version > MAX_BINARY_VERSION:
            return version, "", {}  # a newer CTranslate2 wrote it: its layout is not known here
        spec = ""
        if version >= 2:
            spec = r.string()
            r.unpack("<I")  # spec revision
        (count,) = r.unpack("<I")
        if not 0 < count <= MAX_VARIABLES:
            raise PackageError(f"{label}: not a CTranslate2 model (model.bin lists {count} variables)")
        variables = {}
        for _ in range(count):
            name = r.string()
            (rank,) = r.unpack("<B")
            shape = r.unpack(f"<{rank}I") if rank else ()
            r.unpack("<B")  # dtype (or item size in format < 4)
            (nbytes,) = r.unpack("<I")
            r.skip(nbytes)
            variables[name] = tuple(shape)
    return version, spec, variables


def read_vocabulary(path: Path) -> list[str]:
    """A CTranslate2 vocabulary file: a JSON list of tokens or one token per line."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        tokens = json.loads(text)
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise ValueError("not a JSON list of strings")
        return tokens
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def _target_vocabulary(model_dir: Path, label: str) -> tuple[str, ...]:
    for name in VOCABULARY_FILES:
        path = model_dir / name
        if path.is_file():
            try:
                return tuple(read_vocabulary(path))
            except (OSError, ValueError) as e:
                raise PackageError(f"{label}: unreadable vocabulary {name} ({e})") from None
    raise PackageError(f"{label}: no CTranslate2 vocabulary (shared_vocabulary.json or target_vocabulary.json)")


def check_model_dir(model_dir: Path, label: str | None = None) -> ModelInfo:
    """Refuse anything that is not a CTranslate2 sequence-to-sequence model directory."""
    model_dir = Path(model_dir)
    label = label or str(model_dir)
    model_bin = model_dir / "model.bin"
    if not model_bin.is_file():
        raise PackageError(f"{label}: no CTranslate2 model (model.bin)")
    config = model_dir / "config.json"
    if config.exists():
        try:
            loaded = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise PackageError(f"{label}: unreadable config.json ({e})") from None
        if not isinstance(loaded, dict):
            raise PackageError(f"{label}: config.json is not a JSON object")
    version, spec, variables = _read_header(model_bin, label)
    vocabulary = _target_vocabulary(model_dir, label)
    output = variables.get("decoder/projection/weight") or variables.get("decoder/embeddings/weight")
    if output and output[0] != len(vocabulary):
        raise PackageError(f"{label}: the model predicts {output[0]} tokens but its vocabulary has {len(vocabulary)}")
    return ModelInfo(spec=spec, binary_version=version, variables=variables, target_vocabulary=vocabulary)
