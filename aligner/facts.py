"""Numbers and time expressions in a sentence: evidence for links, material for conflicts.

Public surface: :func:`numbers`, :func:`number_spans`, :func:`time_expressions`, :func:`names`,
:func:`content_words`, :func:`content_word_forms`, :func:`shared_word_spans`, :func:`word_stem`.

Numbers are read with the source language's separators, taken from CLDR (via
Babel): in Vietnamese and Indonesian ``1.000`` is one thousand and ``2,5`` is
two and a half; in English and Malay ``1,000`` is one thousand and ``2.5`` two
and a half.  A value is returned as a canonical string (``"1000"``, ``"2.5"``)
so that ``1.000`` (vi) and ``1,000`` (en) compare equal.
"""

from __future__ import annotations

import functools
import re

FALLBACK_SYMBOLS = (",", ".")  # group, decimal: for a language CLDR does not know
_SPACES = "\u00a0\u202f "  # CLDR groups with a (narrow) no-break space in some languages
_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_RELATIVE = (
    "last year", "this year", "next year", "last month", "this month", "next month",
    "last week", "this week", "next week", "yesterday", "today", "tomorrow", "earlier this year",
)
_TIME = re.compile(
    r"\b(" + "|".join(_RELATIVE) + "|" + "|".join(m.capitalize() for m in _MONTHS + _WEEKDAYS) + r")\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")
_SENTENCE_STARTERS = frozenset(
    "The A An But And Or However Since In On At Last This That It Its He She They We I".split()
)


@functools.lru_cache(maxsize=64)
def number_symbols(lang: str) -> tuple[str, str]:
    """(group, decimal) separators of ``lang`` from CLDR; English-style when unknown."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return FALLBACK_SYMBOLS
    return get_group_symbol(locale), get_decimal_symbol(locale)


@functools.lru_cache(maxsize=64)
def _number_pattern(lang: str) -> tuple[re.Pattern, re.Pattern, str]:
    group, decimal = number_symbols(lang)
    groups = re.escape(group) if group not in _SPACES else f"[{_SPACES}]"
    grouped = rf"\d{{1,3}}(?:{groups}\d{{3}})+(?:{re.escape(decimal)}\d+)?"
    any_number = re.compile(rf"(?<![\w.,-]){grouped}(?!\w)|(?<![\w.,-])\d+(?:[.,]\d+)?(?!\w)")
    return any_number, re.compile(grouped), decimal


def numbers(text: str, lang: str) -> tuple[str, ...]:
    """Canonical numeric values in ``text``, in order of appearance."""
    return tuple(value for _, _, value in number_spans(text, lang))


def number_spans(text: str, lang: str) -> tuple[tuple[int, int, str], ...]:
    """Each number of ``text`` as (start, end, canonical value), in order of appearance."""
    pattern, grouped, decimal = _number_pattern(lang)
    return tuple((m.start(), m.end(), _canonical(m.group(0), grouped, decimal)) for m in pattern.finditer(text))


def _canonical(token: str, grouped: re.Pattern, decimal: str) -> str:
    if grouped.fullmatch(token):
        token = re.sub(rf"[^\d{re.escape(decimal)}]", "", token).replace(decimal, ".")
    else:
        # A plain number with at most one mark, read as a decimal mark.
        token = token.replace(",", ".")
    if "." in token:
        token = token.rstrip("0").rstrip(".")
    return token


def time_expressions(english: str) -> tuple[str, ...]:
    """Time expressions in an English sentence, lower-cased: ("last year", "october")."""
    return tuple(m.group(0).lower() for m in _TIME.finditer(english))


def names(english: str) -> frozenset[str]:
    """Capitalised words and phrases (rough proper names) in an English sentence."""
    found = set()
    for m in _NAME.finditer(english):
        phrase = m.group(0)
        words = phrase.split()
        if words[0] in _SENTENCE_STARTERS:
            words = words[1:]
        if words:
            found.add(" ".join(words))
    return frozenset(found)


# Function words and reporting verbs: they say nothing about which fact a sentence states.
STOPWORDS = frozenset(
    """a an the and or but nor of to in on at for with by from as into onto about over under after before
    between during since until against among through without within upon via per than then so if while
    whether because although though despite is are was were be been being am has have had having do does
    did done not no yes this that these those it its it's they them their theirs he him his she her hers
    we us our ours you your yours i me my mine who whom whose which what when where why how there here
    will would can could may might must shall should also said says say saying told tell according
    such more most much many some any other others each all both either neither only just very even
    still yet already again ever never up down out off own same too one two""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
_ES_PLURAL = ("ses", "xes", "zes", "ches", "shes")


def _stem(word: str) -> str:
    """taxes -> tax, fatalities -> fatalitie, warheads -> warhead; a stem keeps 4 letters.

    The plain rule the unit table of :mod:`aligner.quantities` is written for
    ("fatalitie", "injurie"); content words use Snowball (:func:`word_stem`)."""
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith(_ES_PLURAL) and len(word) - 2 >= 3:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) - 1 >= 4:
        return word[:-1]
    return word


@functools.lru_cache(maxsize=1)
def _snowball():
    # imported on first use: the package loads the stemmers of all its languages (~60 ms)
    import snowballstemmer

    return snowballstemmer.stemmer


@functools.lru_cache(maxsize=1 << 16)
def word_stem(word: str) -> str:
    """The Snowball (Porter 2) English stem of a lower-cased word:
    expressed/expressing -> express, countries/country -> countri, nuclear -> nuclear."""
    # a stemmer keeps its state while it stems: one per word, so threads never share one
    return _snowball()("english").stemWord(word)


def content_words(english: str) -> frozenset[str]:
    """The content words of an English sentence, lower-cased and stemmed (:func:`word_stem`):
    ``"Since then, US officials expressed frustration"`` -> ``{"offici", "express", "frustrat"}``.

    Names are left out (a capitalised word that does not start the sentence):
    the people and places of a story recur in many of its sentences, so sharing
    them says which story, not which fact (embeddings and ``names`` cover them)."""
    return frozenset(stem for _, _, _, stem in _content_words(english))


def content_word_forms(english: str) -> dict[str, str]:
    """Each stem of :func:`content_words` with the first word of ``english`` that has it,
    lower-cased: the form a reader is shown (``{"offici": "officials", ...}``)."""
    forms: dict[str, str] = {}
    for _, _, word, stem in _content_words(english):
        forms.setdefault(stem, word)
    return forms


def shared_word_spans(english: str, words) -> list[tuple[int, int]]:
    """Where ``english`` has a content word with the stem of one of ``words`` (a link's
    shared words, as shown or as stems): "officials" for "official"."""
    stems = {word_stem(w.lower()) for w in words}
    return [(start, end) for start, end, _, stem in _content_words(english) if stem in stems]


def _content_words(english: str) -> list[tuple[int, int, str, str]]:
    """(start, end, lower-cased word, stem) of each content word, in order."""
    found = []
    for k, m in enumerate(_WORD.finditer(english)):
        word = m.group(0)
        if k and word[0].isupper():
            continue
        word = word.lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in STOPWORDS or len(word) < 3:
            continue
        found.append((m.start(), m.end(), word, word_stem(word)))
    return found
