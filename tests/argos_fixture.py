"""Build small but real argos packages for tests and benchmarks, offline.

A package is what argostranslate installs: a zip of one folder holding
``metadata.json``, a tokenizer (``sentencepiece.model``, or ``bpe.model`` in
the OPUS-MT ports) and ``model/`` (CTranslate2).  The tokenizer is trained on
NTREX dev lines and the translation model is a MarianMT transformer whose weights
make it a token-by-token substitution cipher (:mod:`tests.copy_weights`),
converted with CTranslate2's own converter (:mod:`tests.ct2_fixtures`), so every code path is the real one; only the
output wording is meaningless.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

from tests.ct2_fixtures import NTREX, TINY, Shape, bpe_model, marian_spm_model, training_lines

__all__ = ["NTREX", "build_model", "build_bpe_model", "package", "build_packages", "training_lines"]


def build_model(
    workdir: Path,
    *,
    sp_vocab: int = 400,
    vocab_size: int | None = None,
    d_model: int = 16,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 32,
    seed: int = 0,
    eos_bias: float = 0.0,
    sp_lines: int = 300,
    copy: bool = False,
) -> tuple[Path, Path]:
    """Train SentencePiece, build a MarianMT model, convert it. Returns (sp_model, ct2_dir).

    Random weights, or with ``copy`` a substitution cipher (tests/copy_weights.py)."""
    shape = Shape(d_model=d_model, layers=layers, heads=heads, ffn=ffn, vocab=vocab_size, eos_bias=eos_bias, copy=copy)
    return marian_spm_model(workdir, shape, sp_vocab=sp_vocab, lines=sp_lines, seed=seed)


def build_bpe_model(workdir: Path, shape: Shape = TINY) -> tuple[Path, Path]:
    """Learn BPE merges on Moses-tokenised text, build a MarianMT model over them (``TINY``: a
    cipher). Returns (bpe.model, ct2_dir)."""
    return bpe_model(workdir, shape)


def package(
    tokenizer: Path,
    ct2_dir: Path,
    dest: Path,
    *,
    from_code: str = "vi",
    to_code: str = "en",
    version: str = "1.0",
    with_model: bool = True,
    metadata: dict | None = None,
    suffix: str = "",
) -> Path:
    """Zip an argos package (``translate-<from>_<to>-<version>``) into ``dest``.

    ``tokenizer`` is stored as ``sentencepiece.model``, or as ``bpe.model``
    when its own name is ``bpe.model``.  ``metadata`` overrides fields.
    """
    folder = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    meta = {
        "package_version": version, "argos_version": "1.9", "from_code": from_code, "to_code": to_code,
        "from_name": from_code, "to_name": to_code, "type": "translate",
    }
    meta.update(metadata or {})
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{folder}{'' if with_model else '-nomodel'}{suffix}.argosmodel"
    tokenizer_name = "bpe.model" if tokenizer.name == "bpe.model" else "sentencepiece.model"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{folder}/metadata.json", json.dumps(meta))
        zf.writestr(f"{folder}/README.md", "Test package: tiny model, meaningless output.\n")
        zf.write(tokenizer, f"{folder}/{tokenizer_name}")
        if with_model:
            for f in sorted(ct2_dir.iterdir()):
                zf.write(f, f"{folder}/model/{f.name}")
    return path


def build_packages(dest: Path) -> dict[str, Path]:
    """The test set: vi->en, id->en, en->vi (wrong direction), vi->en without a model, id->en with BPE."""
    with tempfile.TemporaryDirectory() as tmp:
        sp_model, ct2 = build_model(Path(tmp) / "sp", d_model=TINY.d_model, copy=TINY.copy)
        codes, bpe_ct2 = build_bpe_model(Path(tmp) / "bpe")
        return {
            "vi": package(sp_model, ct2, dest, from_code="vi"),
            "id": package(sp_model, ct2, dest, from_code="id"),
            "wrong-direction": package(sp_model, ct2, dest, from_code="en", to_code="vi"),
            "no-model": package(sp_model, ct2, dest, from_code="vi", with_model=False),
            "id-bpe": package(codes, bpe_ct2, dest, from_code="id", version="1.9", suffix="-bpe"),
        }
