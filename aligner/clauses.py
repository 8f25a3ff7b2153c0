"""Split one sentence into clauses, with character spans relative to the sentence.

Public surface: :func:`split_clauses`, :func:`attribution_clauses`, :data:`CLAUSE_WORDS`,
:data:`MIN_CLAUSE_WORDS`.  Split out of :mod:`aligner.segment` (which re-exports these names
and uses the ``reporting`` verbs for its attribution rule); this module imports no other
part of aligner.

Clause rules (:func:`split_clauses`, within one sentence), in order; each
language has one entry of :data:`CLAUSE_WORDS`:

1. ``;`` and ``:`` followed by white space end a clause (``10:30`` does not).
2. A clause starts before a ``split`` word or phrase (but, because, nhưng,
   sau khi, tetapi, karena, ...); longer phrases win and ``keep`` phrases
   (``đôi khi``, ``song phương``) are never split.
3. A clause starts before a ``comma`` word -- relative words (which, who,
   nơi, mà, yang) and a few connectives -- when a comma precedes it (a
   restrictive ``the talks which`` / ``senjata yang`` stays), and before a
   ``coordinator`` (and, và, dan, ...) when a comma precedes it or the parts on
   both sides are long (rule 5).
4. After a ``reporting`` verb (said, cho biết, mengatakan) a clause starts when
   the verb is followed by a comma or by a ``complementizer`` (that, rằng,
   bahwa; the complementizer opens the new clause).
5. A comma that separates two long parts (at least ``LONG_PART_WORDS`` words
   each, counted to the neighbouring comma, clause start or coordinator, so
   list items are short) ends a clause.
6. A clause shorter than ``MIN_CLAUSE_WORDS`` words is merged into the clause
   before it; into the one after it when it is the first clause, or when a
   ``;``/``:`` separates it from the one before but not from the one after.

Punctuation stays with the clause it ends; a conjunction opens the clause it
introduces. A sentence without a split point is one clause.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re

_WORD = re.compile(r"\w+(?:[.'’-]\w+)*")
_SPACES = re.compile(r"(\s+)")  # split keeps the runs: tokens and white space alternate

# --- clause data -------------------------------------------------------------

# Per language: ``split`` words open a clause; ``comma`` words open one after
# a comma; ``coordinator`` words after a comma or between long parts;
# ``reporting`` verbs end one when a comma or a ``complementizer`` follows;
# ``keep`` phrases are never split (they hide a split word inside them).
CLAUSE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "split": (
            "but", "while", "whereas", "although", "though", "even though", "because", "after",
            "when", "unless", "so that", "despite", "as well as", "that",
        ),
        "coordinator": ("and", "or"),
        "comma": ("which", "who", "whom", "whose", "where", "so", "yet", "adding", "saying", "including"),
        "reporting": (
            "said", "says", "say", "told", "added", "stated", "announced", "warned", "noted", "argued",
            "claimed", "explained", "insisted", "wrote", "reported",
        ),
        "complementizer": ("that",),
        "keep": ("and so on", "or so", "after all", "who's who"),
    },
    "vi": {
        "split": (
            "nhưng", "tuy nhiên", "trong khi", "khi", "sau khi", "trước khi", "mỗi khi", "kể từ khi",
            "cho đến khi", "vì", "bởi vì",
            "do", "do đó", "theo đó", "mặc dù", "dù", "rằng", "để rồi",
        ),
        "coordinator": ("và", "hoặc", "hay"),
        "comma": ("nơi", "mà", "song", "nên", "còn", "đồng thời"),
        "reporting": (
            "cho biết", "nói", "khẳng định", "cho rằng", "tuyên bố", "chia sẻ", "phát biểu",
            "nhấn mạnh", "thông báo", "tiết lộ", "cảnh báo", "nói thêm", "cho hay",
        ),
        "complementizer": ("là",),
        "keep": (
            "đôi khi", "có khi", "khi nào", "khi đó", "khi ấy", "song phương", "song song", "mà còn",
            "hay không", "còn lại", "khắp nơi", "mọi nơi", "nơi đây", "nơi khác",
        ),
    },
    "id": {
        "split": (
            "tetapi", "tapi", "namun", "sementara", "sedangkan", "karena", "setelah", "ketika",
            "saat", "meskipun", "walaupun", "padahal", "sehingga", "bahwa", "sebelum", "jika", "apabila",
        ),
        "coordinator": ("dan", "atau", "serta"),
        "comma": ("yang", "di mana", "lalu", "kemudian"),
        "reporting": (
            "mengatakan", "kata", "katanya", "ujar", "ujarnya", "ungkap", "ungkapnya", "menyatakan",
            "menegaskan", "menambahkan", "berkata", "menjelaskan", "jelasnya", "tuturnya",
        ),
        "complementizer": (),
        "keep": ("yang lalu", "saat ini", "saat itu"),
    },
}
GENERIC_CLAUSE_WORDS: dict[str, tuple[str, ...]] = {
    "split": (), "coordinator": (), "comma": (), "reporting": (), "complementizer": (), "keep": (),
}

# A clause has at least this many words (rule 6); commas and ``comma`` words
# split only between parts of at least LONG_PART_WORDS words (rules 3 and 5).
MIN_CLAUSE_WORDS = 4
LONG_PART_WORDS = 6

_COMMA_END = re.compile(r",[\"'”’»)\]}]*$")
_HARD_END = re.compile(r"[;:][\"'”’»)\]}]*$")
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")
_ALNUM = re.compile(r"[^\W_]")  # exactly the characters for which str.isalnum() is true


# --- clauses ---------------------------------------------------------------------


def split_clauses(text: str, lang: str) -> list[tuple[int, int]]:
    """Return (start, end) spans, relative to ``text`` (one sentence), of its clauses.

    Spans exclude surrounding white space and cover every non-space character;
    a sentence without a split point is one clause.
    """
    raw = text.split()  # the \S+ runs of ``text`` (str.split and re's \s agree on white space)
    if not raw:
        return []
    by_first, complementizers = _clause_index(lang)
    n = len(raw)
    # per token: its lower case without edge punctuation, whether a comma or a ; or : ends it, and
    # whether it counts as a word.  A word without punctuation (most tokens) has nothing to strip
    # and no comma; only the others are looked at one by one.
    norm = list(map(str.lower, raw))
    commas, hard_ends, counts = [False] * n, [False] * n, [1] * n
    for i in itertools.compress(range(n), map(operator.not_, map(str.isalnum, raw))):
        t = raw[i]
        norm[i] = _EDGE_PUNCT.sub("", t).lower()
        commas[i] = "," in t and bool(_COMMA_END.search(t))
        hard_ends[i] = (";" in t or ":" in t) and bool(_HARD_END.search(t))
        counts[i] = 1 if _ALNUM.search(t) else 0
    # indexes of tokens that open a clause; rule 1: after a ; or :
    starts: set[int] = set(itertools.compress(range(1, n), hard_ends))

    coordinators: list[int] = []
    pos = 0  # words before it are inside a phrase already matched
    for i in itertools.compress(itertools.count(), map(by_first.__contains__, norm)):
        if i < pos:
            continue
        kind, length = _longest_match(norm, i, by_first)
        if kind is None:
            continue
        end = i + length
        if kind == "split" and i > 0:  # rule 2
            starts.add(i)
        elif kind == "comma" and i > 0 and commas[i - 1]:  # rule 3
            starts.add(i)
        elif kind == "coordinator" and i > 0:  # rule 3
            coordinators.append(i)
        elif kind == "reporting" and end < len(norm):  # rule 4
            if commas[end - 1] or _phrase_at(norm, end, complementizers):
                starts.add(end)
        pos = end

    stops = set(coordinators)
    for i in coordinators:  # rule 3
        if commas[i - 1] or _long_parts(i, commas, counts, starts, stops):
            starts.add(i)
    for i in itertools.compress(range(1, n), commas):  # rule 5 (after a comma)
        if i not in starts and _long_parts(i, commas, counts, starts, stops):
            starts.add(i)

    bounds = [0] + sorted(starts) + [len(raw)]
    pieces = [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]
    hard = [a > 0 and hard_ends[a - 1] for a, _ in pieces]
    pieces = _merge_short(pieces, counts, hard)  # rule 6
    if len(pieces) == 1:
        return [(len(text) - len(text.lstrip()), len(text.rstrip()))]
    # token k is parts[first + 2k] of the text split at its white space runs, and starts at
    # offsets[first + 2k] (cumulative lengths, in C: no match object per token)
    parts = _SPACES.split(text)
    offsets = list(itertools.accumulate(map(len, parts), initial=0))
    first = 2 if not parts[0] else 0
    return [(offsets[first + 2 * a], offsets[first + 2 * b - 1]) for a, b in pieces]


@functools.lru_cache(maxsize=None)
def _clause_tables(lang: str):
    """The phrases of each category of :data:`CLAUSE_WORDS` (keep first: it wins ties), and the complementizers."""
    words = CLAUSE_WORDS.get(lang, GENERIC_CLAUSE_WORDS)
    kinds = ("keep", "split", "coordinator", "comma", "reporting")
    return [(kind, _phrases(words[kind])) for kind in kinds], _phrases(words["complementizer"])


def _phrases(entries: tuple[str, ...]) -> dict[int, frozenset[tuple[str, ...]]]:
    """Phrases by length in words, longest first."""
    by_len: dict[int, set[tuple[str, ...]]] = {}
    for entry in entries:
        words = tuple(entry.lower().split())
        by_len.setdefault(len(words), set()).add(words)
    return {n: frozenset(by_len[n]) for n in sorted(by_len, reverse=True)}


def _phrase_at(words: list[str], i: int, phrases: dict[int, frozenset[tuple[str, ...]]]) -> int:
    """Length of the longest phrase starting at word ``i``, 0 if none."""
    for n, group in phrases.items():
        if tuple(words[i : i + n]) in group:
            return n
    return 0


def _longest_match(norm: list[str], i: int, by_first) -> tuple[str | None, int]:
    """The kind and length of the longest phrase of any category at word ``i``
    (on a tie the earlier category of :func:`_clause_tables` wins); (None, 0) if none."""
    for n, kind, words in by_first.get(norm[i], ()):
        if n == 1 or tuple(norm[i : i + n]) == words:
            return kind, n
    return None, 0


@functools.lru_cache(maxsize=None)
def _clause_index(lang: str):
    """:func:`_clause_tables` indexed by a phrase's first word: per word, the (length, kind, words)
    of the phrases it opens, longest first, then in category order; and the complementizers."""
    categories, complementizers = _clause_tables(lang)
    entries: dict[str, list[tuple[int, int, str, tuple[str, ...]]]] = {}
    for rank, (kind, phrases) in enumerate(categories):
        for n, group in phrases.items():
            for words in group:
                entries.setdefault(words[0], []).append((n, rank, kind, words))
    index = {w: tuple((n, kind, words) for n, _, kind, words in sorted(e, key=lambda x: (-x[0], x[1], x[3])))
             for w, e in entries.items()}
    return index, complementizers


def _long_parts(i: int, commas: list[bool], counts: list[int], starts: set[int], stops: set[int]) -> bool:
    """Whether the parts before and after token ``i`` both have LONG_PART_WORDS words (rules 3, 5).

    A part runs to the nearest comma, clause start or coordinator on its side,
    so the items of a list (``Boots, Superdrug and Debenhams``) are short parts.
    """
    before, j = 0, i - 1
    while j >= 0:
        before += counts[j]
        if j in starts or j in stops or (j > 0 and commas[j - 1]):
            break
        j -= 1
    after, j = 0, i
    while j < len(counts):
        if j > i and (j in starts or j in stops):
            break
        after += counts[j]
        if commas[j]:
            break
        j += 1
    return before >= LONG_PART_WORDS and after >= LONG_PART_WORDS


def _merge_short(pieces: list[tuple[int, int]], counts: list[int], hard: list[bool]) -> list[tuple[int, int]]:
    """Merge clauses under MIN_CLAUSE_WORDS words into a neighbour (rule 6).

    ``hard[k]``: a ``;`` or ``:`` ends the clause before piece k. A short piece
    joins the clause before it, unless it is the first one or a hard end
    separates them while the clause after it is not hard-separated; then it
    joins the clause after it.
    """
    out: list[list[int]] = []  # [start, end, words]
    carried: tuple[int, int, bool] | None = None  # a short piece joining the next one: start, words, hard
    for k, (a, b) in enumerate(pieces):
        words, hard_before = sum(counts[a:b]), hard[k]
        if carried:
            a, words, hard_before = carried[0], carried[1] + words, carried[2]
            carried = None
        if words >= MIN_CLAUSE_WORDS:
            out.append([a, b, words])
        elif k + 1 < len(pieces) and (not out or (hard_before and not hard[k + 1])):
            carried = (a, words, hard_before)
        elif out:
            out[-1][1], out[-1][2] = b, out[-1][2] + words
        else:
            out.append([a, b, words])
    return [(a, b) for a, b, _ in out]


@functools.lru_cache(maxsize=None)
def _reporting_phrases(lang: str) -> dict[int, frozenset[tuple[str, ...]]]:
    return _phrases(CLAUSE_WORDS[lang]["reporting"])


# Words that open a reported clause ("... said that ..."), per language.
THAT_WORDS = {"en": ("that",), "vi": ("rằng", "là"), "id": ("bahwa",)}
ATTRIBUTION_CLAUSE_MAX_WORDS = 12


def attribution_clauses(text: str, lang: str, clauses: list[tuple[int, int]]) -> frozenset[int]:
    """Indices of clauses that only say who reports what follows: a short clause with a
    reporting verb, followed by a clause opened by ``that`` (rằng, bahwa): "a White House
    spokesperson said earlier | that the strategy ...".  They carry no fact of their own."""
    table = CLAUSE_WORDS.get(lang)
    if not table:
        return frozenset()
    reporting = _reporting_phrases(lang)
    that = THAT_WORDS.get(lang, ())
    out = set()
    for k in range(len(clauses) - 1):
        opening = _WORD.search(text, *clauses[k + 1])  # the first word of the next clause
        if opening is None or opening.group(0).lower() not in that:
            continue
        words = [w.lower() for w in _WORD.findall(text, *clauses[k])]
        if (
            words
            and len(words) <= ATTRIBUTION_CLAUSE_MAX_WORDS
            and any(_phrase_at(words, i, reporting) for i in range(len(words)))
        ):
            out.add(k)
    return frozenset(out)
