"""The glossary: one concept per row, its canonical English, its source variants.

Public surface: :class:`Glossary`, :class:`Concept`, :class:`GlossaryHit`,
:func:`load`, :func:`check`, :func:`apply`, :func:`audit`, and the file edits
:func:`add`, :func:`remove`, :func:`edit`, :func:`import_pairs`,
:func:`export_pairs`.

File format (CSV, UTF-8, header row)::

    en,vi,id,avoid,case,note
    no-first-use,không sử dụng vũ khí hạt nhân trước,tidak menggunakan ... pertama,no first use|not using nuclear weapons first,no,

* ``en`` -- the canonical English term; further ``|``-separated forms are also
  accepted as consistent renderings (``China|Chinese``);
* one column per source language (ISO 639-1 code) -- its variants, ``|``-separated;
* ``avoid`` -- English renderings that machine translation post-editing replaces
  with the canonical term;
* ``case`` -- ``yes`` when matching is case-sensitive (``AS`` is the US in
  Indonesian, ``as`` is not), empty or ``no`` otherwise;
* ``note`` -- free text.

Variants are literal text, never patterns.  They match on word boundaries after
NFC normalisation; where two variants overlap, the longest wins.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import GlossaryError
from aligner.files import read_utf8, write_atomically

DEFAULT_GLOSSARY = "glossary.csv"
FIXED_COLUMNS = ("en", "avoid", "case", "note")
TRUE_WORDS = frozenset({"yes", "true", "1", "y"})
FALSE_WORDS = frozenset({"", "no", "false", "0", "n"})
_LANG_COLUMN = re.compile(r"^[a-z]{2,3}$")
_WORD = re.compile(r"\w+")
MAX_VARIANT_WORDS = 24


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


@dataclass(frozen=True)
class GlossaryHit:
    """One concept found in one source sentence, and what happened to its English."""

    concept: str  # canonical English term
    variant: str  # the source text that matched
    status: str  # "ok" | "post-edited" | "violation" | "untranslated"
    changed: tuple[str, ...] = ()  # "avoided -> canonical" edits made


@dataclass
class Row:
    cells: dict
    raw: str | None  # the row's original text, None once edited
    line: int


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

    def concepts(self) -> list[Concept]:
        return [_concept(r, self.languages) for r in self.rows if (r.cells.get("en") or "").strip()]

    def sha256(self) -> str:
        return hashlib.sha256(self.serialise().encode("utf-8")).hexdigest()

    def serialise(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.newline)
        writer.writerow(self.header)
        parts = [("\ufeff" if self.bom else "") + out.getvalue()]
        for row in self.rows:
            if row.raw is not None:
                parts.append(row.raw if row.raw.endswith(("\n", "\r")) else row.raw + self.newline)
            else:
                out = io.StringIO()
                csv.writer(out, lineterminator=self.newline).writerow([row.cells.get(c, "") for c in self.header])
                parts.append(out.getvalue())
        return "".join(parts)

    def matcher(self) -> "Matcher":
        return Matcher(self.concepts())


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def _concept(row: Row, languages: list[str]) -> Concept:
    en_forms = _split(row.cells.get("en"))
    return Concept(
        en=en_forms[0],
        accepted=en_forms[1:],
        variants={lang: _split(row.cells.get(lang)) for lang in languages if _split(row.cells.get(lang))},
        avoid=_split(row.cells.get("avoid")),
        case=(row.cells.get("case") or "").strip().lower() in TRUE_WORDS,
        note=(row.cells.get("note") or "").strip(),
        line=row.line,
    )


# ---------------------------------------------------------------- reading


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
        if col not in FIXED_COLUMNS and not _LANG_COLUMN.match(col):
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
            continue
        if len(cells) != len(header):
            raise GlossaryError(f"{name}:{start_line}: expected {len(header)} cells, found {len(cells)}")
        glossary.rows.append(Row(dict(zip(header, cells)), raw, start_line))
    return glossary


def check(glossary: Glossary) -> list[str]:
    """Problems as ``file:line: message`` strings (empty when the glossary is valid)."""
    problems = []
    seen: dict[str, int] = {}
    variant_owner: dict[tuple[str, str], tuple[str, int]] = {}
    for row in glossary.rows:
        where = f"{glossary.path}:{row.line}"
        en = (row.cells.get("en") or "").strip()
        if not en:
            problems.append(f"{where}: empty 'en' cell")
            continue
        concept = _concept(row, glossary.languages)
        if concept.key() in seen:
            problems.append(f"{where}: duplicate concept '{en}' (first on line {seen[concept.key()]})")
        else:
            seen[concept.key()] = row.line
        if not concept.variants:
            problems.append(f"{where}: concept '{concept.en}' has no source variant")
        case_cell = (row.cells.get("case") or "").strip().lower()
        if case_cell not in TRUE_WORDS | FALSE_WORDS:
            problems.append(f"{where}: 'case' must be yes or no, found '{row.cells.get('case')}'")
        for lang, variants in concept.variants.items():
            for v in variants:
                k = (lang, _norm_key(v, concept.case))
                owner = variant_owner.get(k)
                if owner and owner[0] != concept.key():
                    problems.append(f"{where}: {lang} variant '{v}' also belongs to '{owner[0]}' (line {owner[1]})")
                else:
                    variant_owner[k] = (concept.key(), row.line)
    return problems


# ---------------------------------------------------------------- matching


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _norm_key(text: str, case: bool) -> str:
    words = " ".join(m.group(0) for m in _words(unicodedata.normalize("NFC", text)))
    return words if case else words.casefold()


class Matcher:
    """Finds concepts in source sentences: word n-gram lookup, leftmost-longest.

    Cost is O(words x longest variant) dictionary lookups per sentence,
    independent of the glossary's size.
    """

    def __init__(self, concepts: list[Concept]):
        self.concepts = concepts
        self.by_lang: dict[str, tuple[dict, dict, int]] = {}
        for c in concepts:
            for lang, variants in c.variants.items():
                exact, folded, longest = self.by_lang.setdefault(lang, ({}, {}, 0))
                for v in variants:
                    n = len(_words(v))
                    if n == 0 or n > MAX_VARIANT_WORDS:
                        continue
                    (exact if c.case else folded).setdefault(_norm_key(v, c.case), c)
                    longest = max(longest, n)
                self.by_lang[lang] = (exact, folded, longest)
        self._english: dict[str, re.Pattern] = {}

    def find(self, text: str, lang: str) -> list[tuple[Concept, str]]:
        """Concepts whose variants occur in ``text``, with the matched text."""
        if lang not in self.by_lang:
            return []
        exact, folded, longest = self.by_lang[lang]
        text = unicodedata.normalize("NFC", text)
        words = _words(text)
        tokens = [m.group(0) for m in words]
        lowered = [t.casefold() for t in tokens]
        found, i = [], 0
        while i < len(tokens):
            hit = None
            for n in range(min(longest, len(tokens) - i), 0, -1):
                c = exact.get(" ".join(tokens[i : i + n])) if exact else None
                if c is None:
                    c = folded.get(" ".join(lowered[i : i + n]))
                if c is not None:
                    hit = (c, n)
                    break
            if hit:
                c, n = hit
                found.append((c, text[words[i].start() : words[i + n - 1].end()]))
                i += n
            else:
                i += 1
        return found

    def english_pattern(self, c: Concept) -> re.Pattern:
        if c.en not in self._english:
            forms = sorted((c.en, *c.accepted), key=len, reverse=True)
            self._english[c.en] = _phrase_pattern(forms, c.case, plural=True)
        return self._english[c.en]


def _phrase_pattern(forms, case: bool, plural: bool = False) -> re.Pattern:
    alts = []
    for f in forms:
        parts = [re.escape(w) for w in re.split(r"[\s-]+", f.strip()) if w]
        alts.append(r"[\s-]+".join(parts))
    suffix = r"(?:s|es|'s|’s)?" if plural else ""
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")" + suffix + r"(?!\w)", 0 if case else re.IGNORECASE)


def apply(
    matcher: Matcher, lang: str, source: str, english: str | None, rewrite: bool
) -> tuple[str | None, tuple[GlossaryHit, ...]]:
    """Check one sentence's English against the glossary.

    ``rewrite`` (machine translation): replace ``avoid`` renderings with the
    canonical term.  Otherwise (memory, original English) only audit.
    Returns the (possibly edited) English and one hit per concept found.
    """
    hits = []
    seen = set()
    for concept, variant in matcher.find(source, lang):
        if concept.en in seen:
            continue
        seen.add(concept.en)
        if english is None:
            hits.append(GlossaryHit(concept.en, variant, "untranslated"))
            continue
        if matcher.english_pattern(concept).search(english):
            hits.append(GlossaryHit(concept.en, variant, "ok"))
            continue
        changed = []
        if rewrite and concept.avoid:
            pattern = _phrase_pattern(sorted(concept.avoid, key=len, reverse=True), concept.case)
            for m in pattern.finditer(english):
                changed.append(f"{m.group(0)} -> {concept.en}")
            english = pattern.sub(concept.en, english)
        if changed and matcher.english_pattern(concept).search(english):
            hits.append(GlossaryHit(concept.en, variant, "post-edited", tuple(changed)))
        else:
            hits.append(GlossaryHit(concept.en, variant, "violation", tuple(changed)))
    return english, tuple(hits)


def audit(matcher: Matcher, sentences: list[tuple[int, int, str | None, tuple[GlossaryHit, ...]]]) -> list[dict]:
    """Concepts rendered in more than one way across all sentences.

    ``sentences`` holds (article, sentence, english, hits).  A concept's
    rendering in a sentence is the canonical term when present, else the
    ``avoid`` form found, else ``(missing)``.
    """
    by_concept = {c.en: c for c in matcher.concepts}
    renderings: dict[str, dict[str, list]] = {}
    for a, s, english, hits in sentences:
        for hit in hits:
            if english is None:
                continue
            c = by_concept[hit.concept]
            m = matcher.english_pattern(c).search(english)
            if m:
                form = "canonical"
            else:
                avoided = _phrase_pattern(c.avoid, c.case).search(english) if c.avoid else None
                form = avoided.group(0) if avoided else "(missing)"
            renderings.setdefault(hit.concept, {}).setdefault(form, []).append([a, s])
    return [
        {"concept": concept, "renderings": forms}
        for concept, forms in sorted(renderings.items())
        if len(forms) > 1
    ]


# ---------------------------------------------------------------- editing


def write(glossary: Glossary, path: str | Path | None = None) -> None:
    """Write atomically: a temporary file beside the target, then rename."""
    write_atomically(Path(path or glossary.path), glossary.serialise().encode("utf-8"))


def locked(path: str | Path):
    """An exclusive lock held while a command reads, edits and writes the file."""
    from filelock import FileLock

    return FileLock(str(path) + ".lock", timeout=30)


def _find(glossary: Glossary, term: str) -> Row:
    for row in glossary.rows:
        forms = _split(row.cells.get("en"))
        if forms and forms[0].casefold() == term.casefold():
            return row
    raise GlossaryError(f"{glossary.path}: no concept '{term}'")


def show(glossary: Glossary, term: str) -> Concept:
    return _concept(_find(glossary, term), glossary.languages)


def _ensure_language(glossary: Glossary, lang: str) -> None:
    if not _LANG_COLUMN.match(lang):
        raise GlossaryError(f"'{lang}' is not a language code")
    if lang not in glossary.header:
        # a new column changes every row's shape: those rows are re-serialised
        glossary.header.insert(glossary.header.index("en") + 1 + len(glossary.languages), lang)
        for row in glossary.rows:
            row.raw = None


def _set_row(glossary: Glossary, row: Row, en, variants, avoid, case, note) -> None:
    for lang in variants:
        _ensure_language(glossary, lang)
    for col, value in (("avoid", avoid), ("case", case), ("note", note)):
        if value is not None and col not in glossary.header:
            glossary.header.append(col)
            for r in glossary.rows:
                r.raw = None
    cells = dict(row.cells)
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


def _validated(glossary: Glossary) -> Glossary:
    problems = check(glossary)
    if problems:
        raise GlossaryError(problems[0])
    return glossary


def add(glossary: Glossary, en: str, variants: dict, avoid=(), case=False, note="") -> Glossary:
    if not en.strip():
        raise GlossaryError("the English term is empty")
    if not variants:
        raise GlossaryError(f"'{en}': give at least one source variant (e.g. --vi ... or --id ...)")
    if any((_split(r.cells.get("en")) or ("",))[0].casefold() == en.strip().casefold() for r in glossary.rows):
        raise GlossaryError(f"{glossary.path}: concept '{en}' already exists (use 'glossary edit')")
    row = Row({c: "" for c in glossary.header}, None, len(glossary.rows) + 2)
    glossary.rows.append(row)
    _set_row(glossary, row, en, {k: tuple(v) for k, v in variants.items()}, tuple(avoid), case, note)
    return _validated(glossary)


def remove(glossary: Glossary, term: str) -> Glossary:
    glossary.rows.remove(_find(glossary, term))
    return glossary


def edit(glossary: Glossary, term: str, *, en=None, variants=None, add_variants=None, avoid=None, case=None, note=None) -> Glossary:
    row = _find(glossary, term)
    merged = dict(variants or {})
    for lang, vs in (add_variants or {}).items():
        current = _split(row.cells.get(lang))
        merged[lang] = tuple(dict.fromkeys(current + tuple(vs)))
    _set_row(glossary, row, en, merged, None if avoid is None else tuple(avoid), case, note)
    return _validated(glossary)


def import_pairs(glossary: Glossary, path: str | Path, lang: str) -> tuple[int, int]:
    """Merge a two-column (source, English) CSV/TSV glossary, as DeepL or Google use them.

    Returns (concepts added, variants added).
    """
    name = str(path)
    p = Path(path)
    text = read_utf8(path, GlossaryError)
    delimiter = "\t" if p.suffix.lower() == ".tsv" or ("\t" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0]) else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as e:
        raise GlossaryError(f"{name}: malformed {'TSV' if delimiter == chr(9) else 'CSV'} ({e})") from None
    if rows and [c.strip().lower() for c in rows[0][:2]] in ([lang, "en"], ["source", "target"]):
        rows = rows[1:]
    _ensure_language(glossary, lang)
    added_concepts = added_variants = 0
    for line, row in enumerate(rows, start=1):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise GlossaryError(f"{name}:{line}: expected two non-empty columns (source, English)")
        source, en = row[0].strip(), row[1].strip()
        try:
            existing = _find(glossary, en)
        except GlossaryError:
            existing = None
        if existing is None:
            add(glossary, en, {lang: (source,)})
            added_concepts += 1
        elif source not in _split(existing.cells.get(lang)):
            edit(glossary, en, add_variants={lang: (source,)})
            added_variants += 1
    return added_concepts, added_variants


def export_pairs(glossary: Glossary, lang: str, path: str | Path) -> int:
    """Write ``source,English`` pairs for one language (TSV when the name ends in .tsv)."""
    target = Path(path)
    delimiter = "\t" if target.suffix.lower() == ".tsv" else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    n = 0
    for c in glossary.concepts():
        for v in c.variants.get(lang, ()):
            writer.writerow([v, c.en])
            n += 1
    if n == 0:
        raise GlossaryError(f"{glossary.path}: no {lang} variants to export")
    write_atomically(target, out.getvalue().encode("utf-8"))
    return n
