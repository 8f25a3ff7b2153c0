"""Split article text into sentences, and sentences into clauses, with character spans.

Public surface: :func:`split_sentences`, :func:`split_clauses`,
:data:`SEGMENTATION_VERSION`, :data:`ABBREVIATIONS`, :data:`MAX_SENTENCE_CHARS`.

No sentence is longer than :data:`MAX_SENTENCE_CHARS`: a longer one (a
paragraph without punctuation, a list run together) is split at clause
boundaries (``,``, ``;``, ``:``, a dash) where it can be, else between words,
else (a run of 1,000 characters without a space) every
:data:`MAX_SENTENCE_CHARS` characters, so the work per sentence is bounded.

Languages with their own data: ``vi``, ``id``, ``en``; any other code uses the
generic fallback. All spans exclude surrounding white space: ``text[s:e]`` is
the sentence (or clause) and together the spans cover every non-space
character of the text they split.

Sentence rules, in order:

1. Every line is a paragraph and a paragraph boundary always ends a sentence,
   so headlines without final punctuation stand alone.
2. A candidate end is a run of ``.``, ``!``, ``?`` or ``…`` plus any closing
   quotes or brackets, followed by white space, then (after any opening quotes
   or brackets, or a ``”`` used as one) an upper-case letter, a digit or an
   uncased letter. A lower-case continuation is never a boundary (``"Go
   home." he said``, ``... they``).
3. Quotes do not matter for rule 2: a quotation of several sentences is split
   into its sentences (``He said: "We will go. They will stay." Then he
   left.`` is three sentences).
4. Except: after a closing quote, a short attribution -- at most
   ``ATTRIBUTION_MAX_WORDS`` words holding a reporting verb of the language
   (``Ông chia sẻ.``, ``Katanya.``) -- stays with the quotation.
5. A dot is not an end after
   a. a known abbreviation of the language (:data:`ABBREVIATIONS`: titles such
      as ``Dr.``, ``TS.``, ``Tn.``); the lists hold no ordinary word of the
      language (no ``no``, ``ông``, ``bà``, ``đ``, ``dll``, ``etc``);
   b. a number abbreviation (``No.``, ``Vol.``, ``Nov.``, ``hlm.``) when a
      digit follows (``No. 5``); before anything else it is an ordinary word
      (``he said no. The talks``) unless a later rule holds;
   c. a word that the next word continues (``5 p.m. ET``, ``Co. Ltd``);
      ``p.m. However`` is an end;
   d. a dotted acronym with a capital (``U.S.``, ``A.S.``), not ``v.v.``;
   e. a single unaccented capital (an initial: ``J. Biden``), unless the word
      before it is an article or names a class that takes a letter (``an A.``,
      ``grade A.``, ``điểm A.``, ``nilai A.``); Vietnamese ``Ý.`` (Italy) is
      accented, so it ends.
6. Digits on both sides of a dot or comma (``1.000``, ``2,5``) are a number,
   never a boundary (no white space follows the dot).

Clause rules live in :mod:`aligner.clauses` (:func:`split_clauses` is re-exported here).

"""

from __future__ import annotations

import re

from aligner.clauses import (  # noqa: F401  (re-exported: split out of this module)
    ATTRIBUTION_CLAUSE_MAX_WORDS,
    CLAUSE_WORDS,
    GENERIC_CLAUSE_WORDS,
    LONG_PART_WORDS,
    MIN_CLAUSE_WORDS,
    THAT_WORDS,
    _phrase_at,
    _phrases,
    attribution_clauses,
    split_clauses,
)

# Names the sentence and clause rules; a result records it in its signature.
# Bump it whenever a rule or a word list changes.
SEGMENTATION_VERSION = "4"  # 4: sentences over MAX_SENTENCE_CHARS are split
MAX_SENTENCE_CHARS = 1000

# --- sentence data ---------------------------------------------------------

# Titles and prefixes understood in every language's news (``Mr. Smith``,
# ``Dr. Sari``, ``St. Martin's``).
_INTERNATIONAL = frozenset("mr mrs ms dr prof st".split())

# Words (lower case, without the final dot) after which a dot never ends a
# sentence. None of them is an ordinary word of its language.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": _INTERNATIONAL
    | frozenset(
        "mt ft sen sens rep reps gov gen col lt maj sgt cpl pvt capt cmdr adm brig det insp supt "
        "rev fr hon messrs dept univ vs e.g i.e".split()
    ),
    # tp thành phố, ts tiến sĩ, ths/th.s thạc sĩ, gs giáo sư, pgs phó giáo sư,
    # bs bác sĩ, ks kỹ sư, tt tổng thống / thủ tướng, cty công ty, nxb nhà xuất bản
    "vi": _INTERNATIONAL | frozenset("tp ts ths th.s gs pgs bs ks tt cty nxb".split()),
    # tn tuan, ny nyonya, nn nona, drs doktorandus, ir insinyur, jl jalan,
    # kab/kec/kel kabupaten/kecamatan/kelurahan, sdr/sdri saudara/i,
    # yth yang terhormat, bpk bapak, hj hajah, pt perseroan terbatas, s.d sampai dengan
    "id": _INTERNATIONAL | frozenset("tn ny nn drs ir jl kab kec kel sdr sdri yth bpk hj pt s.d".split()),
}
GENERIC_ABBREVIATIONS = _INTERNATIONAL | frozenset(["vs"])

# Abbreviations that are only abbreviations before a number (``No. 5``,
# ``Nov. 6``, ``hlm. 12``); before a word they are ordinary words.
_MONTHS_EN = "jan feb mar apr jun jul aug sep sept oct nov dec"
NUMBER_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(f"no nos vol fig pp art approx est {_MONTHS_EN}".split()),
    "vi": frozenset("no q p tr".split()),  # quận, phường, trang
    "id": frozenset("no hlm".split()),
}
GENERIC_NUMBER_ABBREVIATIONS = frozenset("no nr vol pp".split())

# Words ending in a dot that do not end the sentence when one of the given
# words follows (``5 p.m. ET``, ``Co. Ltd``); otherwise they end it.
_TIME_CONTINUATIONS = frozenset(
    "et est edt ct cst cdt mt mst mdt pt pst pdt gmt bst utc cet eastern central mountain pacific "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
CONTINUED_BY: dict[str, dict[str, frozenset[str]]] = {
    "en": {"a.m": _TIME_CONTINUATIONS, "p.m": _TIME_CONTINUATIONS, "co": frozenset(["ltd", "inc"])},
}
GENERIC_CONTINUED_BY = {"a.m": _TIME_CONTINUATIONS, "p.m": _TIME_CONTINUATIONS}

# Words that name a class by a letter (and articles): after them a capital
# letter with a dot is a grade or a type (``grade A.``, ``an A.``), not an
# initial, and may end a sentence.
LETTER_LABEL_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an grade grades vitamin hepatitis type class group plan category level section part annex "
        "appendix exhibit figure table option tier division league pool zone block gate terminal "
        "wing building".split()
    ),
    "vi": frozenset("điểm hạng loại nhóm bảng khu tòa phòng phần mục khối vitamin gan phương án".split()),
    "id": frozenset(
        "nilai kelas grup kelompok kategori tipe jenis golongan vitamin hepatitis bagian blok gedung "
        "ruang zona gerbang rencana opsi huruf".split()
    ),
}
GENERIC_LETTER_LABEL_WORDS = frozenset("vitamin".split())

# After a closing quote, a following sentence of at most this many words that
# holds a reporting verb is the quote's attribution and stays with it.
ATTRIBUTION_MAX_WORDS = 6

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"
_QUOTE_CLOSERS = "\"'”’»"
_QUOTES_AND_OPENERS = _OPENERS + "”’»"
_END = re.compile(r"[.!?…]+[\"'”’»)\]}]*(?=\s)")
_LAST_TOKEN = re.compile(r"[\w.]+$")
_LAST_WORD = re.compile(r"(\w+)\W*$")
_LOOK_BEHIND = 64  # characters scanned for the word before a dot (keeps long lines linear)
_DOTTED_ACRONYM = re.compile(r"^(?:\w\.)+\w$")  # U.S (the final dot is the candidate end)
_INITIAL = re.compile(r"^[A-Z]$")  # J. Biden; not Vietnamese "Ý." (Italy)
_WORD = re.compile(r"\w+(?:[.'’-]\w+)*")

# --- sentences -----------------------------------------------------------------


def split_sentences(text: str, lang: str, ranges: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text`` within ``ranges``.

    Spans exclude surrounding white space; ``text[start:end]`` is the sentence.
    Every line is a paragraph; ``ranges`` (sorted, disjoint) restricts
    segmentation to the kept parts of ``text``.
    """
    if ranges is None:
        ranges = [(0, len(text))]
    rules = _SentenceRules.for_lang(lang)
    spans: list[tuple[int, int]] = []
    for rs, re_ in ranges:
        pos = rs
        for line in text[rs:re_].splitlines(keepends=True):
            for s, e in _split_paragraph(text, pos, pos + len(line), rules):
                spans.extend(_bounded(text, s, e) if e - s > MAX_SENTENCE_CHARS else [(s, e)])
            pos += len(line)
    return spans


_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014][\"'”’»)\]}]*\s+|\s+[\u2013\u2014-]\s+")
_SPACE = re.compile(r"\s+")


def _bounded(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Split the span into pieces of at most ``limit`` characters: at the last clause break
    in reach, else the last space, else hard at the limit.  Linear in the span's length."""
    out = []
    s = start
    while end - s > limit:
        window = text[s : s + limit + 1]
        cut = None
        for pattern in (_CLAUSE_BREAK, _SPACE):
            last = None
            for m in pattern.finditer(window, limit // 4):
                if m.start() > 0 and m.end() <= limit + 1:
                    last = m
            if last is not None:
                cut = (s + last.start() + (1 if pattern is _CLAUSE_BREAK and not window[last.start()].isspace() else 0),
                       s + last.end())
                break
        if cut is None:
            cut = (s + limit, s + limit)
        piece_end = cut[0]
        while piece_end > s and text[piece_end - 1].isspace():
            piece_end -= 1
        out.append((s, piece_end))
        s = cut[1]
        while s < end and text[s].isspace():
            s += 1
    if s < end:
        out.append((s, end))
    return out


class _SentenceRules:
    """The sentence data of one language."""

    _cache: dict[str, _SentenceRules] = {}

    def __init__(self, lang: str):
        self.abbreviations = ABBREVIATIONS.get(lang, GENERIC_ABBREVIATIONS)
        self.number_abbreviations = NUMBER_ABBREVIATIONS.get(lang, GENERIC_NUMBER_ABBREVIATIONS)
        self.continued_by = CONTINUED_BY.get(lang, GENERIC_CONTINUED_BY)
        self.label_words = LETTER_LABEL_WORDS.get(lang, GENERIC_LETTER_LABEL_WORDS)
        self.reporting = _phrases(CLAUSE_WORDS.get(lang, GENERIC_CLAUSE_WORDS)["reporting"])

    @classmethod
    def for_lang(cls, lang: str) -> _SentenceRules:
        if lang not in cls._cache:
            cls._cache[lang] = cls(lang)
        return cls._cache[lang]


def _split_paragraph(text: str, start: int, end: int, rules: _SentenceRules) -> list[tuple[int, int]]:
    para = text[start:end]
    cuts = []  # (offset of the cut, whether a closing quote ends the sentence before it)
    for m in _END.finditer(para):
        nxt = _next_start(para, m.end())
        if nxt is None:
            continue
        if m.group(0).rstrip(_CLOSERS) == "." and not _dot_ends(para, m.start(), nxt, rules):
            continue
        cuts.append((m.end(), para[m.end() - 1] in _QUOTE_CLOSERS))
    bounds = [0] + [c for c, _ in cuts] + [len(para)]
    kept = [0]
    for i, (cut, after_quote) in enumerate(cuts):
        if after_quote and _is_attribution(para[cut : bounds[i + 2]], rules):
            continue
        kept.append(cut)
    kept.append(len(para))
    spans = []
    for a, b in zip(kept, kept[1:]):
        s, e = _strip(para, a, b)
        if s < e:
            spans.append((start + s, start + e))
    return spans


def _next_start(para: str, pos: int) -> int | None:
    """Offset of the next sentence's first letter or digit if it may start one (rule 2)."""
    while pos < len(para) and para[pos].isspace():
        pos += 1
    if pos == len(para):
        return None
    while pos < len(para) and para[pos] in _QUOTES_AND_OPENERS:  # after a space, ” opens too
        pos += 1
    if pos < len(para) and para[pos].isalnum() and not para[pos].islower():
        return pos
    return None


def _dot_ends(para: str, dot: int, nxt: int, rules: _SentenceRules) -> bool:
    """Whether the dot at ``dot`` ends a sentence whose successor starts at ``nxt`` (rule 5)."""
    m = _LAST_TOKEN.search(para, max(0, dot - _LOOK_BEHIND), dot)
    if not m:
        return True
    token = m.group(0).lstrip(".")
    low = token.lower()
    if low in rules.abbreviations:
        return False
    if low in rules.number_abbreviations and para[nxt].isdigit():
        return False
    if low in rules.continued_by:
        word = _WORD.match(para, nxt)
        if word and word.group(0).lower().rstrip(".") in rules.continued_by[low]:
            return False
    if _DOTTED_ACRONYM.match(token) and any(c.isupper() for c in token):
        return False
    if _INITIAL.match(token):
        before = _LAST_WORD.search(para, max(0, m.start() - _LOOK_BEHIND), m.start())
        return bool(before) and before.group(1).lower() in rules.label_words
    return True


def _is_attribution(sentence: str, rules: _SentenceRules) -> bool:
    """A short sentence holding a reporting verb, such as ``Ông chia sẻ.`` (rule 4)."""
    sentence = sentence.strip()
    if not sentence or sentence[0] in _QUOTES_AND_OPENERS:
        return False
    words = [w.lower() for w in _WORD.findall(sentence)]
    if not words or len(words) > ATTRIBUTION_MAX_WORDS:
        return False
    return any(_phrase_at(words, i, rules.reporting) for i in range(len(words)))


def _strip(para: str, s: int, e: int) -> tuple[int, int]:
    while s < e and para[s].isspace():
        s += 1
    while e > s and para[e - 1].isspace():
        e -= 1
    return s, e
