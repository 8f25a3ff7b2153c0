"""Split article text into sentences with character spans.

Public surface: :func:`split_sentences`, :data:`ABBREVIATIONS`.

Rules, in order:

* every line is a paragraph; a paragraph boundary always ends a sentence, so
  headlines without final punctuation stand alone;
* a sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus any closing quotes or
  brackets) followed by white space and an upper-case letter, digit or an
  opening quote/bracket;
* never inside a quotation that is still open (a quote that spans sentences
  stays one sentence); a paragraph whose quotes do not balance is split as if
  it had none;
* never after a known abbreviation of the language (``Dr.``, ``Tn.``, ``TS.``),
  a single unaccented capital initial (``J. Biden``) or a dotted acronym (``U.S.``);
* digits on both sides of a dot or comma (``1.000``, ``1,770``, ``2.5``) are a
  number, never a boundary (no white space follows the dot).
"""

from __future__ import annotations

import re

# Names the rules below; results record it in their signature.  Bump it when a rule changes.
SEGMENTATION_VERSION = "2"

# Tokens (without the final dot) after which a dot does not end a sentence.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev "
        "inc ltd co corp dept est approx vs etc fig no nos vol jan feb mar apr jun jul aug "
        "sep sept oct nov dec e.g i.e a.m p.m".split()
    ),
    "vi": frozenset("tp ts ths gs pgs bs ks th.s tt ông bà đ tr stt q p".split()),
    "id": frozenset(
        "tn ny nn dr drs ir prof jl no dll dsb dst hlm kab kec kel sdr yth bpk h hj st sh "
        "se mm mt sp spd skm mba".split()
    ),
}
GENERIC_ABBREVIATIONS = frozenset("dr prof mr mrs ms st no vs etc".split())

_TERMINATORS = ".!?…"
_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"“‘«([{"
_END = re.compile(r"[.!?…]+[\"'”’»)\]}]*(?=\s+[\"“‘«(\[{\w])")
_DOTTED_ACRONYM = re.compile(r"(?:\b\w\.){2,}$")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]$")  # J. Biden; not Vietnamese "Ý." (Italy)


def split_sentences(text: str, lang: str, ranges: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text`` within ``ranges``.

    Spans exclude surrounding white space; ``text[start:end]`` is the sentence.
    """
    if ranges is None:
        ranges = [(0, len(text))]
    abbreviations = ABBREVIATIONS.get(lang, GENERIC_ABBREVIATIONS) | GENERIC_ABBREVIATIONS
    spans: list[tuple[int, int]] = []
    for rs, re_ in ranges:
        pos = rs
        for line in text[rs:re_].splitlines(keepends=True):
            spans.extend(_split_paragraph(text, pos, pos + len(line), lang, abbreviations))
            pos += len(line)
    return spans


def _split_paragraph(text: str, start: int, end: int, lang: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    para = text[start:end]
    depths = _quote_depths(para)
    cuts = []
    for m in _END.finditer(para):
        if depths is not None and depths[m.end() - 1] > 0:
            continue
        dot = m.start()
        if para[dot] == "." and _is_abbreviation(para[:dot], abbreviations):
            continue
        cuts.append(m.end())
    spans, pos = [], 0
    for cut in cuts + [len(para)]:
        s, e = _strip(para, pos, cut)
        if s < e:
            spans.append((start + s, start + e))
        pos = cut
    return spans


def _quote_depths(para: str) -> list[int] | None:
    """Quote nesting depth after each character, or None if quotes do not balance."""
    depth, straight_open = 0, False
    depths = []
    for i, ch in enumerate(para):
        if ch in "“«":
            depth += 1
        elif ch in "”»":
            depth -= 1
        elif ch == '"':
            # A straight quote opens when preceded by space/start, closes otherwise.
            prev = para[i - 1] if i else " "
            if not straight_open and (prev.isspace() or prev in "([{" or i == 0):
                straight_open, depth = True, depth + 1
            elif straight_open:
                straight_open, depth = False, depth - 1
        if depth < 0:
            return None
        depths.append(depth)
    if depth != 0:
        return None
    return depths


def _is_abbreviation(before: str, abbreviations: frozenset[str]) -> bool:
    word = re.search(r"[\w.]+$", before)
    if not word:
        return False
    token = word.group(0)
    if token.lower() in abbreviations:
        return True
    if _DOTTED_ACRONYM.search(token + "."):
        return True
    return bool(_INITIAL.search(before))


def _strip(para: str, s: int, e: int) -> tuple[int, int]:
    while s < e and para[s].isspace():
        s += 1
    while e > s and para[e - 1].isspace():
        e -= 1
    return s, e
