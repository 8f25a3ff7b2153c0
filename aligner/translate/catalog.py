"""The model catalog shipped with aligner: pinned translation models into English.

Public surface: :class:`CatalogEntry`, :func:`load_catalog`, :func:`entries_for`,
:func:`best_download`.

``catalog.json`` (beside this file) lists, best first per language, each
model's name, source languages, family, how to get it (``download``: an argos
package aligner installs; ``convert``: a Hugging Face model the user converts
with CTranslate2's converter, then registers), URL, size, SHA-256, licence,
whether commercial use is allowed, and a one-line quality note with its
source.  ``size``/``sha256`` are ``null`` where no independently confirmed
value exists; nothing is ever guessed.  ``$ALIGNER_CATALOG`` names a catalog
file to use instead (an organisation's mirror with its own pinned files).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from aligner.errors import PackageError

CATALOG_ENV = "ALIGNER_CATALOG"  # a catalog file to use instead of the shipped one (a mirror's, a test's)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_LANG = re.compile(r"^[a-z]{2,3}$")
GETS = ("download", "convert")


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    langs: tuple[str, ...]
    family: str  # "argos" (tokeniser found at install) or a registered family name
    get: str  # "download" | "convert"
    version: str
    url: str
    size: int | None
    sha256: str | None
    checksum_source: str
    licence: str
    commercial: bool
    quality: str
    quality_source: str
    convert: str = ""

    @property
    def verified(self) -> bool:
        return self.size is not None and self.sha256 is not None


def _entry(raw: object, where: str) -> CatalogEntry:
    if not isinstance(raw, dict):
        raise PackageError(f"{where}: not a JSON object")
    strings = ("name", "family", "get", "version", "url", "checksum_source", "licence", "quality", "quality_source")
    for k in strings:
        if not isinstance(raw.get(k), str) or not raw[k].isprintable():
            raise PackageError(f"{where}: '{k}' must be a printable string")
    if not _NAME.match(raw["name"]):
        raise PackageError(f"{where}: bad name {raw['name']!r}")
    langs = raw.get("langs")
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) and _LANG.match(x) for x in langs):
        raise PackageError(f"{where}: 'langs' must be a list of language codes")
    if raw["get"] not in GETS:
        raise PackageError(f"{where}: 'get' must be one of {', '.join(GETS)}")
    if not raw["url"].startswith(("https://", "http://")):
        raise PackageError(f"{where}: 'url' must be http(s)")
    size, sha256 = raw.get("size"), raw.get("sha256")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size <= 0):
        raise PackageError(f"{where}: 'size' must be a positive integer or null")
    if sha256 is not None and (not isinstance(sha256, str) or not _SHA256.match(sha256)):
        raise PackageError(f"{where}: 'sha256' must be 64 lower-case hex digits or null")
    if not isinstance(raw.get("commercial"), bool):
        raise PackageError(f"{where}: 'commercial' must be true or false")
    convert = raw.get("convert", "")
    if not isinstance(convert, str) or (raw["get"] == "convert" and not convert):
        raise PackageError(f"{where}: a 'convert' entry needs its converter command")
    return CatalogEntry(
        name=raw["name"], langs=tuple(langs), family=raw["family"], get=raw["get"], version=raw["version"],
        url=raw["url"], size=size, sha256=sha256, checksum_source=raw["checksum_source"], licence=raw["licence"],
        commercial=raw["commercial"], quality=raw["quality"], quality_source=raw["quality_source"], convert=convert,
    )


def parse_catalog(text: str, name: str = "catalog.json") -> tuple[CatalogEntry, ...]:
    from aligner.files import parse_json

    data = parse_json(text, PackageError, name)
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("models"), list):
        raise PackageError(f"{name}: expected {{\"format\": 1, \"models\": [...]}}")
    entries = tuple(_entry(raw, f"{name}: model {i + 1}") for i, raw in enumerate(data["models"]))
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise PackageError(f"{name}: duplicate model names")
    return entries


def load_catalog(environ: dict[str, str] | None = None) -> tuple[CatalogEntry, ...]:
    """The catalog shipped with aligner, or the file named by ``$ALIGNER_CATALOG``."""
    env = os.environ if environ is None else environ
    if env.get(CATALOG_ENV):
        path = Path(env[CATALOG_ENV])
        try:
            return parse_catalog(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as e:
            raise PackageError(f"{path}: unreadable catalog ({e})") from None
    text = resources.files("aligner.translate").joinpath("catalog.json").read_text(encoding="utf-8")
    return parse_catalog(text)


def entries_for(lang: str, catalog: tuple[CatalogEntry, ...] | None = None) -> list[CatalogEntry]:
    return [e for e in (catalog if catalog is not None else load_catalog()) if lang in e.langs]


def find_entry(name: str, catalog: tuple[CatalogEntry, ...] | None = None) -> CatalogEntry | None:
    return next((e for e in (catalog if catalog is not None else load_catalog()) if e.name == name), None)


def best_download(lang: str, catalog: tuple[CatalogEntry, ...] | None = None, *, verified: bool = True) -> CatalogEntry | None:
    """The first permissive (commercial use allowed) downloadable entry for ``lang``, verified unless told otherwise."""
    for e in entries_for(lang, catalog):
        if e.get == "download" and e.commercial and (e.verified or not verified):
            return e
    return None
