"""The glossary file: parse, check, serialise byte-preserving, write, lock.

Public surface: :class:`Glossary`, :class:`Row`, :class:`Concept`,
:class:`Problem`, :func:`load`, :func:`parse`, :func:`check`, :func:`write`,
:func:`locked`, :func:`norm_key`, :func:`find`, :func:`user_glossary`,
:func:`init`, :data:`DEFAULT_GLOSSARY`, :data:`HEADER`.

Which glossary a run uses (:func:`find`): the one given, else ``glossary.csv``
in the current folder, else ``glossary.csv`` in the user config folder
(``$ALIGNER_CONFIG_DIR``, else the platform's, e.g. ``~/.config/aligner``).

Format (CSV, UTF-8, header row)::

    en,vi,id,avoid,case,note
    no-first-use,không sử dụng vũ khí hạt nhân trước,tidak menggunakan ... pertama,no first use,no,

* ``en`` -- the canonical English term; further ``|``-separated forms are also
  accepted as consistent renderings (``China|Chinese``);
* one column per source language (ISO 639-1 code) -- its variants, ``|``-separated;
* ``avoid`` -- English renderings that machine translation post-editing replaces
  with the canonical term;
* ``case`` -- ``yes`` when matching is case-sensitive, empty or ``no`` otherwise;
* ``note`` -- free text.

Every physical line is kept: a row that is not edited is written back exactly
as it was read, blank lines included.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import GlossaryError
from aligner.files import read_utf8, write_atomically

DEFAULT_GLOSSARY = "glossary.csv"
FIXED_COLUMNS = ("en", "avoid", "case", "note")
TRUE_WORDS = frozenset({"yes", "true", "1", "y"})
FALSE_WORDS = frozenset({"", "no", "false", "0", "n"})
LANG_COLUMN = re.compile(r"^[a-z]{2,3}$")
LOCK_TIMEOUT = 30
HEADER = ("en", "vi", "id", "avoid", "case", "note")  # what a new glossary starts with
CONFIG_ENV = "ALIGNER_CONFIG_DIR"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Concept:
    en: str  # canonical English term
    variants: dict  # lang -> tuple of source variants
    accepted: tuple[str, ...] = ()  # further accepted English forms
    avoid: tuple[str, ...] = ()
    case: bool = False
    note: str = ""
    line: int = 0  # line in the file, for messages

    def key(self) -> str:
        return self.en.casefold()


@dataclass
class Row:
    cells: dict  # empty for a blank line
    raw: str | None  # the row's original text, None once edited
    line: int

    @property
    def blank(self) -> bool:
        return not any((v or "").strip() for v in self.cells.values())

    @property
    def en(self) -> str:
        forms = split_cell(self.cells.get("en"))
        return forms[0] if forms else ""


@dataclass(frozen=True)
class Problem:
    row: Row
    message: str  # "file:line: ..."
    other: Row | None = None  # the row it clashes with, if any


@dataclass
class Glossary:
    path: str
    header: list
    rows: list = field(default_factory=list)
    newline: str = "\n"
    bom: bool = False

    @property
    def languages(self) -> list[str]:
        return [c for c in self.header if c not in FIXED_COLUMNS]

    def concept_rows(self) -> list[Row]:
        return [r for r in self.rows if r.en]

    def concepts(self) -> list[Concept]:
        return [concept(r, self.languages) for r in self.concept_rows()]

    def sha256(self) -> str:
        return hashlib.sha256(self.serialise().encode("utf-8")).hexdigest()

    def serialise(self) -> str:
        return "".join(self._lines())

    def _lines(self):
        out = io.StringIO()
        csv.writer(out, lineterminator=self.newline).writerow(self.header)
        yield ("\ufeff" if self.bom else "") + out.getvalue()
        for row in self.rows:
            yield self._row_text(row)

    def _row_text(self, row: Row) -> str:
        if row.raw is not None:
            return row.raw if row.raw.endswith(("\n", "\r")) else row.raw + self.newline
        out = io.StringIO()
        csv.writer(out, lineterminator=self.newline).writerow([row.cells.get(c, "") for c in self.header])
        return out.getvalue()

    def renumber(self) -> None:
        """Give every row the line it will have in the written file."""
        line = 2
        for row in self.rows:
            row.line = line
            line += max(1, self._row_text(row).count("\n"))



def split_cell(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def concept(row: Row, languages: list[str]) -> Concept:
    en_forms = split_cell(row.cells.get("en"))
    return Concept(
        en=en_forms[0],
        accepted=en_forms[1:],
        variants={lang: split_cell(row.cells.get(lang)) for lang in languages if split_cell(row.cells.get(lang))},
        avoid=split_cell(row.cells.get("avoid")),
        case=(row.cells.get("case") or "").strip().lower() in TRUE_WORDS,
        note=(row.cells.get("note") or "").strip(),
        line=row.line,
    )


def load(path: str | Path = DEFAULT_GLOSSARY) -> Glossary:
    """Parse a glossary file; structural problems raise :class:`GlossaryError`."""
    return parse(read_utf8(path, GlossaryError, "glossary file", keep_bom=True), str(path))


def parse(text: str, name: str = "<glossary>") -> Glossary:
    bom = text.startswith("\ufeff")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise GlossaryError(f"{name}: empty file (expected a header such as en,vi,id,avoid,case,note)")
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        raise GlossaryError(f"{name}:1: malformed header ({e})") from None
    if "en" not in header:
        raise GlossaryError(f"{name}:1: header has no 'en' column (found {','.join(header)})")
    for col in header:
        if col not in FIXED_COLUMNS and not LANG_COLUMN.match(col):
            raise GlossaryError(f"{name}:1: unknown column '{col}' (expected en, avoid, case, note or a language code)")
    if len(set(header)) != len(header):
        raise GlossaryError(f"{name}:1: duplicate column in header")
    glossary = Glossary(path=name, header=header, newline=newline, bom=bom)
    consumed = reader.line_num
    while True:
        start_line = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise GlossaryError(f"{name}:{start_line}: malformed CSV ({e})") from None
        raw = "".join(lines[consumed : reader.line_num])
        consumed = reader.line_num
        if not cells or not any(c.strip() for c in cells):
            glossary.rows.append(Row({}, raw, start_line))  # a blank line, kept as it is
            continue
        if len(cells) != len(header):
            raise GlossaryError(f"{name}:{start_line}: expected {len(header)} cells, found {len(cells)}")
        glossary.rows.append(Row(dict(zip(header, cells)), raw, start_line))
    return glossary


def norm_key(text: str, case: bool) -> str:
    """The form variants are compared in: NFC words joined by one space, case-folded unless ``case``."""
    words = " ".join(_WORD.findall(unicodedata.normalize("NFC", text)))
    return words if case else words.casefold()


def _same_text(text: str, case: bool) -> str:
    """``text`` as compared for "the same form": NFC, single spaces, case-folded unless ``case``
    (``no first use`` and ``no-first-use`` stay two forms)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text if case else text.casefold()


def _empty_parts(cell: str | None) -> bool:
    """A non-empty cell with an empty ``|``-separated part (``lũ|``, ``a||b``)."""
    return bool((cell or "").strip()) and any(not part.strip() for part in (cell or "").split("|"))


def check(glossary: Glossary) -> list[Problem]:
    """Every problem of the glossary (empty when it is valid), in file order."""
    problems: list[Problem] = []
    seen: dict[str, Row] = {}
    rows_seen: dict[tuple, Row] = {}
    variant_owner: dict[tuple[str, str], tuple[str, Row]] = {}
    for row in glossary.rows:
        if row.blank:
            continue
        where = f"{glossary.path}:{row.line}"
        bad = next((c for c in glossary.header if any(ch in (row.cells.get(c) or "") for ch in "\r\n")), None)
        if bad:
            problems.append(Problem(row, f"{where}: the '{bad}' cell contains a line break"))
            continue
        if not row.en:
            problems.append(Problem(row, f"{where}: empty 'en' cell"))
            continue
        c = concept(row, glossary.languages)
        cells = tuple((row.cells.get(col) or "").strip() for col in glossary.header)
        if cells in rows_seen:
            first = rows_seen[cells]
            problems.append(Problem(row, f"{where}: exact duplicate of line {first.line} ('{row.en}')", first))
            continue
        rows_seen[cells] = row
        if c.key() in seen:
            first = seen[c.key()]
            problems.append(Problem(row, f"{where}: duplicate concept '{row.en}' (first on line {first.line})", first))
        else:
            seen[c.key()] = row
        for col in glossary.header:
            if col != "note" and _empty_parts(row.cells.get(col)):
                problems.append(Problem(row, f"{where}: the '{col}' cell '{row.cells.get(col)}' has an empty variant "
                                             "(nothing before or after a '|')"))
        english = {_same_text(form, c.case) for form in (c.en, *c.accepted)}
        for form in c.avoid:
            if _same_text(form, c.case) in english:
                problems.append(Problem(row, f"{where}: avoid form '{form}' is the term itself ('{c.en}'); "
                                             "it would replace the term with itself"))
        for col, values in [("en", (c.en, *c.accepted)), ("avoid", c.avoid), *c.variants.items()]:
            keys = [norm_key(v, c.case) for v in values]
            first_form: dict[str, str | None] = {}
            for v, k in zip(values, keys):
                if k not in first_form:
                    first_form[k] = v
                elif first_form[k] is not None:  # reported once, with the form written first
                    problems.append(Problem(row, f"{where}: '{col}' lists '{first_form[k]}' twice"))
                    first_form[k] = None
        if not c.variants:
            problems.append(Problem(row, f"{where}: concept '{c.en}' has no source variant"))
        case_cell = (row.cells.get("case") or "").strip().lower()
        if case_cell not in TRUE_WORDS | FALSE_WORDS:
            problems.append(Problem(row, f"{where}: 'case' must be yes or no, found '{row.cells.get('case')}'"))
        for lang, variants in c.variants.items():
            for v in variants:
                k = (lang, norm_key(v, c.case))
                owner = variant_owner.get(k)
                if owner and owner[0] != c.key():
                    problems.append(Problem(row, f"{where}: {lang} variant '{v}' also belongs to '{owner[0]}' (line {owner[1].line})", owner[1]))
                else:
                    variant_owner[k] = (c.key(), row)
    return problems


def write(glossary: Glossary, path: str | Path | None = None) -> None:
    """Write atomically: a temporary file beside the target, then rename."""
    write_atomically(Path(path or glossary.path), glossary.serialise().encode("utf-8"))


@contextlib.contextmanager
def locked(path: str | Path):
    """An exclusive lock held while a command reads, edits and writes the file.

    The lock is on the glossary file itself (``flock``), so every process that
    edits it meets the same lock whatever its temporary folder, and nothing is
    left beside it.  An edit replaces the file (a new inode, renamed over the
    old): a process that waited on the old one sees that and locks the new one.
    Where ``fcntl`` does not exist (Windows), a sibling ``<glossary>.lock`` file.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on this platform
        from filelock import FileLock

        target = Path(path).resolve()
        with FileLock(str(target.with_name(target.name + ".lock")), timeout=LOCK_TIMEOUT):
            yield
        return
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            raise GlossaryError(f"{path}: no such glossary file") from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise GlossaryError(f"{path}: another command has been editing this glossary for "
                                            f"{LOCK_TIMEOUT} s; nothing was changed") from None
                    time.sleep(0.02)
            held, now = os.fstat(fd), _stat(path)
            if now is not None and (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
                yield
                return
        finally:
            os.close(fd)  # releases the lock


def _stat(path: str | Path):
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def user_glossary() -> Path:
    """``glossary.csv`` in the user config folder (``$ALIGNER_CONFIG_DIR``, else the platform's)."""
    folder = os.environ.get(CONFIG_ENV)
    if not folder:
        import platformdirs

        folder = platformdirs.user_config_dir("aligner")
    return Path(folder) / DEFAULT_GLOSSARY


def find(path: str | None = None) -> tuple[str | None, str | None]:
    """The glossary to use and where it was found: ``(path, found_in)``, ``(None, None)`` when there is none.

    ``found_in`` is ``given`` (``path``), ``current folder`` (``./glossary.csv``)
    or ``user config folder`` (:func:`user_glossary`).
    """
    if path:
        return str(path), "given"
    if Path(DEFAULT_GLOSSARY).is_file():
        return DEFAULT_GLOSSARY, "current folder"
    user = user_glossary()
    if user.is_file():
        return str(user), "user config folder"
    return None, None


def init(path: str | Path) -> Path:
    """Start an empty glossary at ``path`` (its folder made if needed); refuse to replace a file."""
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise GlossaryError(f"{target}: already exists; nothing was changed")
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(HEADER)
    write_atomically(target, out.getvalue().encode("utf-8"))
    return target
