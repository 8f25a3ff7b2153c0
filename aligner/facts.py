"""Numbers and time expressions in a sentence: evidence for links, material for conflicts.

Public surface: :func:`numbers`, :func:`time_expressions`, :func:`names`.

Numbers are read with the source language's separators: in Vietnamese and
Indonesian ``1.000`` is one thousand and ``2,5`` is two and a half; in English
``1,000`` is one thousand and ``2.5`` two and a half.  A value is returned as a
canonical string (``"1000"``, ``"2.5"``) so that ``1.000`` (vi) and ``1,000``
(en) compare equal.
"""

from __future__ import annotations

import re

# Languages that write 1.000,5 (dot groups thousands, comma marks decimals).
DOT_THOUSANDS = frozenset({"vi", "id", "ms", "de", "nl", "es", "it", "pt", "tr", "da", "ro"})

_NUMBER = re.compile(r"(?<![\w.,-])\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?(?![\w])|(?<![\w.,-])\d+(?:[.,]\d+)?(?![\w])")
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


def numbers(text: str, lang: str) -> tuple[str, ...]:
    """Canonical numeric values in ``text``, in order of appearance."""
    dot_thousands = lang in DOT_THOUSANDS
    out = []
    for m in _NUMBER.finditer(text):
        out.append(_canonical(m.group(0), dot_thousands))
    return tuple(out)


def _canonical(token: str, dot_thousands: bool) -> str:
    group, decimal = (".", ",") if dot_thousands else (",", ".")
    grouped = r"\d{1,3}(?:" + re.escape(group) + r"\d{3})+(?:" + re.escape(decimal) + r"\d+)?"
    if re.fullmatch(grouped, token):
        token = token.replace(group, "")
    # What is left is a plain number with at most one mark, read as a decimal mark.
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

