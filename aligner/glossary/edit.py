"""Edits of a glossary in memory: add, remove, edit, import and export pairs.

Public surface: :func:`show`, :func:`add`, :func:`remove`, :func:`edit`,
:func:`import_pairs`, :func:`export_pairs`, :func:`pairs_text`.

An edit touches only its own row (every other row keeps its bytes) and is
validated against the rest of the file; a problem elsewhere in the file does
not block it.  Writing and locking are :mod:`aligner.glossary.file`'s.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from aligner.errors import GlossaryError
from aligner.files import read_utf8, write_atomically
from aligner.glossary.file import LANG_COLUMN, Concept, Glossary, Row, check, concept, split_cell

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _find(glossary: Glossary, term: str) -> Row:
    folded = term.strip().casefold()
    for row in glossary.rows:
        if row.en and row.en.casefold() == folded:
            return row
    raise GlossaryError(f"{glossary.path}: no concept '{term}'")


def show(glossary: Glossary, term: str) -> Concept:
    return concept(_find(glossary, term), glossary.languages)


def _ensure_language(glossary: Glossary, lang: str) -> None:
    if not LANG_COLUMN.match(lang):
        raise GlossaryError(f"'{lang}' is not a language code")
    if lang not in glossary.header:
        # a new column changes every row's shape: those rows are re-serialised
        glossary.header.insert(glossary.header.index("en") + 1 + len(glossary.languages), lang)
        for row in glossary.rows:
            if not row.blank:
                row.raw = None


def _refuse_line_breaks(*values) -> None:
    for v in values:
        for text in (v,) if isinstance(v, str) else (v or ()):
            if isinstance(text, str) and ("\n" in text or "\r" in text):
                raise GlossaryError(f"{text!r}: a glossary cell cannot contain a line break")


def _set_row(glossary: Glossary, row: Row, en, variants, avoid, case, note) -> None:
    _refuse_line_breaks(en, avoid, note, *variants.values())
    for lang in variants:
        _ensure_language(glossary, lang)
    for col, value in (("avoid", avoid), ("case", case), ("note", note)):
        if value is not None and col not in glossary.header:
            glossary.header.append(col)
            for r in glossary.rows:
                if not r.blank:
                    r.raw = None
    cells = dict(row.cells) or {c: "" for c in glossary.header}
    if en is not None:
        cells["en"] = en
    for lang, vs in variants.items():
        cells[lang] = "|".join(vs)
    if avoid is not None:
        cells["avoid"] = "|".join(avoid)
    if case is not None:
        cells["case"] = "yes" if case else "no"
    if note is not None:
        cells["note"] = note
    row.cells, row.raw = cells, None


def _validated(glossary: Glossary, rows: list[Row]) -> Glossary:
    """Refuse the edit if it made one of ``rows`` invalid or clash with another row."""
    glossary.renumber()
    touched = {id(r) for r in rows}
    for problem in check(glossary):
        if id(problem.row) in touched or (problem.other is not None and id(problem.other) in touched):
            raise GlossaryError(problem.message)
    return glossary


def _new_row(glossary: Glossary, en: str, variants: dict, avoid=(), case=False, note="") -> Row:
    if not en.strip():
        raise GlossaryError("the English term is empty")
    if not variants:
        raise GlossaryError(f"'{en}': give at least one source variant (e.g. --vi ... or --id ...)")
    row = Row({c: "" for c in glossary.header}, None, 0)
    glossary.rows.append(row)
    _set_row(glossary, row, en.strip(), {k: tuple(v) for k, v in variants.items()}, tuple(avoid), case, note)
    return row


def add(glossary: Glossary, en: str, variants: dict, avoid=(), case=False, note="") -> Glossary:
    if any(r.en.casefold() == en.strip().casefold() for r in glossary.rows if r.en):
        raise GlossaryError(f"{glossary.path}: concept '{en}' already exists (use 'glossary edit')")
    return _validated(glossary, [_new_row(glossary, en, variants, avoid, case, note)])


def remove(glossary: Glossary, term: str) -> Glossary:
    glossary.rows.remove(_find(glossary, term))
    glossary.renumber()
    return glossary


def edit(glossary: Glossary, term: str, *, en=None, variants=None, add_variants=None, avoid=None, case=None, note=None) -> Glossary:
    row = _find(glossary, term)
    merged = dict(variants or {})
    for lang, vs in (add_variants or {}).items():
        merged[lang] = tuple(dict.fromkeys(split_cell(row.cells.get(lang)) + tuple(vs)))
    _set_row(glossary, row, en, merged, None if avoid is None else tuple(avoid), case, note)
    return _validated(glossary, [row])


def import_pairs(glossary: Glossary, path: str | Path, lang: str) -> tuple[int, int]:
    """Merge a two-column (source, English) CSV/TSV glossary, as DeepL or Google use them.

    Linear in the size of both files: one index of the glossary's concepts,
    one validation at the end.  Returns (concepts added, variants added).
    """
    name = str(path)
    text = read_utf8(path, GlossaryError)
    first = text.split("\n", 1)[0]
    tsv = Path(path).suffix.lower() == ".tsv" or ("\t" in first and "," not in first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if tsv else ",", strict=True)
    _ensure_language(glossary, lang)
    index = {r.en.casefold(): r for r in glossary.rows if r.en}
    touched: dict[int, Row] = {}
    added_concepts = added_variants = 0
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not row or not any(c.strip() for c in row):
                continue
            if start == 1 and [c.strip().lower() for c in row[:2]] in ([lang, "en"], ["source", "target"]):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise GlossaryError(f"{name}:{start}: expected two non-empty columns (source, English)")
            source, en = row[0].strip(), row[1].strip()
            _refuse_line_breaks(source, en)
            existing = index.get(en.casefold())
            if existing is None:
                new = _new_row(glossary, en, {lang: (source,)})
                index[en.casefold()] = touched[id(new)] = new
                added_concepts += 1
            elif source not in split_cell(existing.cells.get(lang)):
                _set_row(glossary, existing, None, {lang: split_cell(existing.cells.get(lang)) + (source,)}, None, None, None)
                touched[id(existing)] = existing
                added_variants += 1
    except csv.Error as e:
        raise GlossaryError(f"{name}:{line}: malformed {'TSV' if tsv else 'CSV'} ({e})") from None
    _validated(glossary, list(touched.values()))
    return added_concepts, added_variants


def _neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def pairs_text(glossary: Glossary, lang: str, tsv: bool = False) -> tuple[str, int]:
    """``source,English`` pairs for one language as CSV (or TSV) text, and how many."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if tsv else ",", lineterminator="\n")
    n = 0
    for c in glossary.concepts():
        for v in c.variants.get(lang, ()):
            writer.writerow([_neutralised(v), _neutralised(c.en)])
            n += 1
    if n == 0:
        raise GlossaryError(f"{glossary.path}: no {lang} variants to export")
    return out.getvalue(), n


def export_pairs(glossary: Glossary, lang: str, path: str | Path) -> int:
    """Write ``source,English`` pairs for one language (TSV when the name ends in .tsv)."""
    target = Path(path)
    text, n = pairs_text(glossary, lang, tsv=target.suffix.lower() == ".tsv")
    write_atomically(target, text.encode("utf-8"))
    return n
