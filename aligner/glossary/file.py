"""The glossary file: parse, check, serialise byte-preserving, write, lock.

Public surface: :class:`Glossary`, :class:`Row`, :class:`Concept`,
:class:`Problem`, :func:`load`, :func:`parse`, :func:`check`, :func:`write`,
:func:`locked`, :data:`DEFAULT_GLOSSARY`.

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

import csv
import hashlib
import io
import re
import tempfile
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

    def matcher(self):
        from aligner.glossary.enforce import Matcher

        return Matcher(self.concepts())


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


def _norm_key(text: str, case: bool) -> str:
    from aligner.glossary.enforce import norm_key

    return norm_key(text, case)


def check(glossary: Glossary) -> list[Problem]:
    """Every problem of the glossary (empty when it is valid), in file order."""
    problems: list[Problem] = []
    seen: dict[str, Row] = {}
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
        if c.key() in seen:
            first = seen[c.key()]
            problems.append(Problem(row, f"{where}: duplicate concept '{row.en}' (first on line {first.line})", first))
        else:
            seen[c.key()] = row
        if not c.variants:
            problems.append(Problem(row, f"{where}: concept '{c.en}' has no source variant"))
        case_cell = (row.cells.get("case") or "").strip().lower()
        if case_cell not in TRUE_WORDS | FALSE_WORDS:
            problems.append(Problem(row, f"{where}: 'case' must be yes or no, found '{row.cells.get('case')}'"))
        for lang, variants in c.variants.items():
            for v in variants:
                k = (lang, _norm_key(v, c.case))
                owner = variant_owner.get(k)
                if owner and owner[0] != c.key():
                    problems.append(Problem(row, f"{where}: {lang} variant '{v}' also belongs to '{owner[0]}' (line {owner[1].line})", owner[1]))
                else:
                    variant_owner[k] = (c.key(), row)
    return problems


def write(glossary: Glossary, path: str | Path | None = None) -> None:
    """Write atomically: a temporary file beside the target, then rename."""
    write_atomically(Path(path or glossary.path), glossary.serialise().encode("utf-8"))


def locked(path: str | Path):
    """An exclusive lock held while a command reads, edits and writes the file.

    The lock file lives in the system's temporary folder, named after the
    glossary's resolved path, so nothing is left beside the glossary.
    """
    from filelock import FileLock

    digest = hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]
    return FileLock(str(Path(tempfile.gettempdir()) / f"aligner-glossary-{digest}.lock"), timeout=LOCK_TIMEOUT)
