"""The models aligner can translate with: argos packages and registered CTranslate2 models.

Public surface: :func:`installed_models`, :func:`find_model`, :func:`register`,
:func:`unregister`, :func:`registered_models`, :func:`check_unchanged`,
:func:`models_signature`, :data:`REGISTRY_FILE`, :data:`MAX_MODEL_BYTES`.

Registering reads every file of the model once (to hash it): a model over
:data:`MAX_MODEL_BYTES` (symlinked files counted at their target's size) is
refused unless a larger limit, or none, is given.

A converted CTranslate2 model a user already has (OPUS-MT, NLLB, M2M100,
MADLAD-400, ...) is *registered* by path, not copied: its family, source
languages and identity go into ``aligner-models.json`` in the models
directory (the argos packages directory; argostranslate ignores plain files
there).  Its identity is a hash of its files taken at registration, so each
translated sentence is labelled ``ct2:<name>@<hash>`` and a changed model
never reuses cached translations: a model whose files changed since
registration is refused until it is registered again.

For a language, a registered model wins over an argos package: registering
is an explicit choice.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from aligner.errors import PackageError, TranslationError
from aligner.files import write_atomically
from aligner.translate.families import detect_families, family
from aligner.translate.packages import InstalledModel, installed_packages
from aligner.translate.registry import (  # noqa: F401  (REGISTRY_FILE, registered_models: re-exported)
    LANG_PATTERN, NAME_PATTERN, REGISTERABLE, REGISTRY_FILE, as_model, read_registry, registered_models, registry_path,
)

MAX_MODEL_BYTES = 32 << 30  # the largest converted models aligner knows (NLLB 3.3B float32) are ~13 GB


def _check_size(root: Path, label: str, max_bytes: int | None) -> None:
    """Refuse, before reading a byte, a model larger than ``max_bytes`` (symlinks counted at their target)."""
    if max_bytes is None:
        return
    total = 0
    for p in root.rglob("*"):
        try:
            if p.is_file():
                total += p.stat().st_size
        except OSError:
            continue
        if total > max_bytes:
            raise PackageError(
                f"{label}: the model's files add up to more than {max_bytes:,} bytes (the limit); "
                "give a larger limit or none to register it anyway"
            )


def _fingerprint(root: Path) -> list:
    """Size and modification time of every file of the model: cheap to compare on each run."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return [[str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns] for p in files]


def _content_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(p.relative_to(root)).encode("utf-8") + b"\0")
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:12]


def register(
    models_dir: Path,
    path: str | Path,
    *,
    langs: tuple[str, ...],
    family_name: str | None = None,
    name: str | None = None,
    version: str | None = None,
    max_bytes: int | None = MAX_MODEL_BYTES,
) -> InstalledModel:
    """Register the converted CTranslate2 model in ``path`` for ``langs`` -> English.

    ``max_bytes``: refuse a model whose files add up to more (None: no limit).
    """
    from aligner.files import resolve

    root = resolve(path, PackageError)
    label = str(path)
    if not root.is_dir():
        raise PackageError(f"{label}: not a directory")
    if not langs or not all(LANG_PATTERN.match(x) for x in langs):
        raise PackageError(f"{label}: give the source language(s), e.g. vi")
    if not (root / "model.bin").is_file() and not (root / "model" / "model.bin").is_file():
        raise PackageError(
            f"{label}: no model.bin, so not a converted CTranslate2 model; convert it first "
            f"(ct2-transformers-converter --model NAME --output_dir DIR, see aligner models list --available)"
        )
    _check_size(root, label, max_bytes)
    if family_name is None:
        found = detect_families(root)
        if not found:
            raise PackageError(
                f"{label}: cannot tell the model family from its files; pass --family "
                f"({', '.join(REGISTERABLE)}), and keep the tokenizer files beside model.bin"
            )
        if len(found) > 1:
            raise PackageError(f"{label}: looks like {' or '.join(found)}; pass --family")
        family_name = found[0]
    if family_name not in REGISTERABLE:
        raise PackageError(f"{label}: unknown family '{family_name}' (choose from {', '.join(REGISTERABLE)})")
    family(family_name).check(root, tuple(langs), label)
    name = name or root.name
    if not NAME_PATTERN.match(name):
        raise PackageError(f"{label}: model name {name[:40]!r} must be letters, digits, '.', '_' or '-'; pass --name")
    version = version or _content_hash(root)
    if not NAME_PATTERN.match(version):
        raise PackageError(f"{label}: version {version[:40]!r} must be letters, digits, '.', '_' or '-'")
    record = {
        "name": name, "langs": list(langs), "family": family_name, "path": str(root), "version": version,
        "fingerprint": _fingerprint(root),
    }
    models_dir = Path(models_dir)
    records = [r for r in read_registry(models_dir) if r["name"] != name]
    models_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(registry_path(models_dir), (json.dumps(records + [record], indent=2) + "\n").encode("utf-8"))
    return as_model(record)


def unregister(models_dir: Path, name_or_lang: str) -> InstalledModel | None:
    """Forget a registered model (its files stay); None if no registered model has that name or language."""
    records = read_registry(models_dir)
    for r in records:
        if name_or_lang == r["name"] or name_or_lang in r["langs"]:
            rest = [x for x in records if x is not r]
            write_atomically(registry_path(models_dir), (json.dumps(rest, indent=2) + "\n").encode("utf-8"))
            return as_model(r)
    return None


def check_unchanged(models_dir: Path, model: InstalledModel) -> None:
    """Refuse a registered model whose files changed since registration (its label would lie)."""
    if model.kind != "ct2":
        return
    record = next((r for r in read_registry(models_dir) if r["name"] == model.name), None)
    if record is None or not model.path.is_dir():
        raise TranslationError(f"{model.path}: registered model {model.name} is gone; register it again")
    if _fingerprint(model.path) != record["fingerprint"]:
        raise TranslationError(
            f"{model.path}: files changed since registration; run: aligner models register {model.path} --lang {','.join(model.langs)}"
        )


def installed_models(models_dir: Path, *, skipped: list[str] | None = None) -> list[InstalledModel]:
    """Registered models first, then argos packages."""
    return registered_models(models_dir) + installed_packages(Path(models_dir), skipped=skipped)


def models_signature(models_dir: Path) -> list[dict]:
    """The translation models a run could use, for a result's signature: name, version and a hash
    of each model's files (their names, sizes and modification times: cheap, and it changes when a
    model is reinstalled or edited)."""
    out = []
    for m in installed_models(Path(models_dir)):
        try:
            stamp = json.dumps(_fingerprint(m.path)).encode("utf-8")
        except OSError:
            stamp = b"unreadable"
        out.append({"name": m.name, "kind": m.kind, "langs": list(m.langs), "version": m.version,
                    "hash": hashlib.sha256(stamp).hexdigest()[:16]})
    return out


def find_model(models_dir: Path, lang: str) -> InstalledModel | None:
    return next((m for m in installed_models(models_dir) if lang in m.langs), None)
