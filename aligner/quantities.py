"""The role of each figure in a sentence, and where two sentences' figures disagree.

Public surface: :class:`Quantity`, :class:`Mismatch`, :func:`quantities`,
:func:`sentence_quantities`, :func:`within`, :func:`differences`,
:func:`link_differences`,
:func:`same_quantity_differs`, :data:`KINDS`.

A figure is read with its role: the value (CLDR-aware, with its multiplier:
``1,5 juta`` = ``1.5 million`` = 1500000), the qualifier in front of it
(``about``, ``more than``, ``at least``...), and the counted thing it
quantifies (``people``, ``warheads``, ``%``, ``km``).  In English the counted
thing is the content words after the figure; in Vietnamese and Indonesian a
small lexicon maps the noun after it to the same English key (``người`` and
``orang`` are both ``person``).  A four-digit integer from 1800 to 2100 that
counts nothing is a year.

Two sentences that state the same fact disagree where:

* ``number`` (hard) -- the same counted thing has different values, or the one
  figure each side has left over after the shared values are set aside;
* ``quantity`` (soft) -- the same value, or compatible ones, with different
  qualifiers (``about 500`` against ``more than 500``);
* ``time`` -- different years (hard), different months (hard) or different
  relative dates (soft); an absolute date never conflicts with a relative one
  (``last year`` against ``October``): without the publication date they are
  not comparable.

Over 400 lines because the reading of a figure (value, qualifier, counted thing,
dates and hours in three languages) and the rules comparing two readings share
their small lexicons; split, each half would import the other's tables.

A figure one side leaves out is not a disagreement.  Pure: no stage imports.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from aligner.facts import STOPWORDS, _stem, number_spans
from aligner.sources import source_differences

KINDS = ("number", "quantity", "time", "source")

_MULTIPLIERS = {
    "thousand": 3, "million": 6, "billion": 9, "trillion": 12, "mln": 6, "bn": 9,
    "nghìn": 3, "ngàn": 3, "triệu": 6, "tỷ": 9, "tỉ": 9,
    "ribu": 3, "juta": 6, "miliar": 9, "milyar": 9, "triliun": 12,
}
# qualifier words in front of a figure -> (class, how it is shown)
_QUALIFIERS = {
    "en": {
        "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
        "nearly": "nearly", "almost": "nearly", "close to": "nearly",
        "more than": "more than", "over": "more than", "above": "more than",
        "at least": "at least", "no fewer than": "at least", "no less than": "at least",
        "less than": "less than", "fewer than": "less than", "under": "less than", "below": "less than",
        "up to": "up to", "at most": "up to", "as many as": "up to",
    },
    "vi": {
        "khoảng": "about", "chừng": "about", "gần": "nearly", "hơn": "more than", "trên": "more than",
        "ít nhất": "at least", "dưới": "less than", "chưa đến": "less than", "lên tới": "up to", "lên đến": "up to",
        "tới": "up to",
    },
    "id": {
        "sekitar": "about", "kira-kira": "about", "kurang lebih": "about", "hampir": "nearly",
        "lebih dari": "more than", "setidaknya": "at least", "sedikitnya": "at least", "paling sedikit": "at least",
        "minimal": "at least", "kurang dari": "less than", "di bawah": "less than", "hingga": "up to",
        "sampai": "up to", "mencapai": "up to",
    },
}
_QUALIFIERS["ms"] = _QUALIFIERS["id"]
# the counted thing: English stems and source nouns -> one key
_EN_UNITS = {
    "people": "person", "person": "person", "persons": "person", "individual": "person", "resident": "person",
    "percent": "%", "per": "%", "%": "%", "percentage": "%",
    "kilometre": "km", "kilometer": "km", "km": "km", "mile": "mile", "metre": "m", "meter": "m",
    "dollar": "usd", "usd": "usd", "$": "usd", "euro": "eur", "€": "eur", "pound": "gbp", "£": "gbp",
    "dead": "dead", "died": "dead", "death": "dead", "killed": "dead", "kill": "dead", "fatalitie": "dead",
    "injured": "injured", "wounded": "injured", "injurie": "injured", "hurt": "injured",
    "year": "year", "month": "month", "day": "day", "week": "week", "hour": "hour", "minute": "minute",
    "old": "year", "tonne": "ton", "ton": "ton", "kilogram": "kg", "kg": "kg", "time": "times",
    "case": "case", "soldier": "soldier", "troop": "soldier", "warhead": "warhead", "country": "country",
    "nation": "country", "member": "member", "house": "house", "home": "house", "student": "student",
    "goal": "goal", "point": "point", "match": "match", "game": "match", "vote": "vote", "seat": "seat",
    "child": "child", "children": "child", "worker": "worker", "employee": "worker", "vehicle": "vehicle",
    "car": "vehicle", "patient": "patient", "victim": "victim", "degree": "degree", "share": "share",
    "feet": "feet", "foot": "feet", "business": "business",
    "viewer": "viewer", "voter": "voter", "visitor": "visitor", "store": "store", "shop": "store",
}
_SOURCE_UNITS = {
    "vi": {
        "người": "person", "phần trăm": "%", "%": "%", "km": "km", "ki-lô-mét": "km", "dặm": "mile", "mét": "m", "m": "m",
        "đô la": "usd", "đô-la": "usd", "usd": "usd", "$": "usd", "euro": "eur", "bảng": "gbp", "người chết": "dead",
        "người thiệt mạng": "dead", "người tử vong": "dead", "người bị thương": "injured", "chết": "dead", "thiệt mạng": "dead", "tử vong": "dead",
        "bị thương": "injured", "năm": "year", "tuổi": "year",
        "tháng": "month", "ngày": "day", "tuần": "week", "giờ": "hour", "phút": "minute", "tấn": "ton", "kg": "kg",
        "lần": "times", "ca": "case", "trường hợp": "case", "binh sĩ": "soldier", "lính": "soldier", "quân": "soldier",
        "đầu đạn": "warhead", "quốc gia": "country", "nước": "country", "thành viên": "member", "ngôi nhà": "house",
        "căn nhà": "house", "nhà": "house", "học sinh": "student", "sinh viên": "student", "bàn thắng": "goal",
        "bàn": "goal", "điểm": "point", "trận": "match", "phiếu": "vote", "ghế": "seat", "trẻ em": "child",
        "công nhân": "worker", "nhân viên": "worker", "xe": "vehicle", "bệnh nhân": "patient", "nạn nhân": "victim",
        "độ": "degree", "cổ phiếu": "share", "người xem": "viewer", "feet": "feet", "foot": "feet", "cử tri": "voter", "du khách": "visitor",
        "cửa hàng": "store",
    },
    "id": {
        "orang": "person", "jiwa": "person", "persen": "%", "%": "%", "km": "km", "kilometer": "km", "mil": "mile",
        "meter": "m", "m": "m", "dolar": "usd", "usd": "usd", "$": "usd", "euro": "eur", "pound": "gbp",
        "tewas": "dead", "meninggal": "dead", "korban tewas": "dead", "luka": "injured", "tahun": "year",
        "bulan": "month", "hari": "day", "minggu": "week", "pekan": "week", "jam": "hour", "menit": "minute",
        "ton": "ton", "kg": "kg", "kilogram": "kg", "kali": "times", "kasus": "case", "tentara": "soldier",
        "prajurit": "soldier", "pasukan": "soldier", "hulu ledak": "warhead", "negara": "country", "anggota": "member",
        "rumah": "house", "siswa": "student", "mahasiswa": "student", "gol": "goal", "poin": "point", "angka": "point",
        "pertandingan": "match", "laga": "match", "suara": "vote", "kursi": "seat", "anak": "child", "anak-anak": "child",
        "pekerja": "worker", "karyawan": "worker", "kendaraan": "vehicle", "mobil": "vehicle", "pasien": "patient",
        "korban": "victim", "derajat": "degree", "saham": "share", "pemirsa": "viewer", "kaki": "feet", "bisnis": "business", "usaha": "business", "penonton": "viewer",
        "pemilih": "voter", "pengunjung": "visitor", "toko": "store", "gerai": "store",
    },
}
_SOURCE_UNITS["ms"] = _SOURCE_UNITS["id"]
# classifiers between a figure and its noun, skipped
_CLASSIFIERS = {"vi": {"chiếc", "con", "cái", "ngôi", "căn", "quả", "bản", "vụ"}, "id": {"buah", "unit", "ekor", "butir"}}
_BEFORE_UNITS = {"$": "usd", "us$": "usd", "€": "eur", "£": "gbp", "rp": "idr", "rp.": "idr"}
_MONTHS = "january february march april may june july august september october november december".split()
_RELATIVE = ("last year", "this year", "next year", "last month", "this month", "next month", "last week",
             "this week", "next week", "yesterday", "today", "tomorrow", "earlier this year")
_TIME = re.compile(r"\b(" + "|".join(_RELATIVE) + "|" + "|".join(m.capitalize() for m in _MONTHS) + r")\b", re.IGNORECASE)
_MONTH_NAMES = frozenset(_MONTHS) | frozenset(
    "januari februari maret april mei juni juli agustus september oktober november desember".split())
_STOP_AT = re.compile(r"[,;:.()\[\]\"“”!?]|\d")
_WORD = re.compile(r"[^\W\d_][\w'’-]*|[%$€£]")
_JOINED = re.compile(r"(?<![\w.,])\d+(?:\s?[-–&/:]\s?\d+)+(?![\w.,]\d)")
_APPROX = Decimal("0.15")  # "about 500": 425..575


@dataclass(frozen=True)
class Quantity:
    """One figure of a sentence and its role."""

    value: str  # canonical, multiplier applied: "1500000"
    start: int  # the figure as written (qualifier, number, multiplier, unit sign) in ``text``
    end: int
    written: str
    units: frozenset[str]  # keys of the counted thing: {"person"}, {"%"}; empty: unknown
    qualifier: str | None  # "about", "more than", ... or None
    kind: str  # "count" | "year" | "joined" (a score or range: "10-6")
    in_english: bool  # read in the English (True) or in the source
    values: frozenset[str] = frozenset()  # every reading: "1,000" in Vietnamese is 1000 to a translator who wrote it English-style
    joined: bool = False  # part of "1-0", "2&1", "6-foot-6": a score or range, never paired on its own

    def readings(self) -> frozenset[str]:
        return self.values or frozenset({self.value})


@dataclass(frozen=True)
class Mismatch:
    """One way two sentences disagree: the figure each side states."""

    kind: str  # "number" | "quantity" | "time" | "source"
    severity: str  # "hard" | "soft"
    a: tuple[int, int, str, bool]  # (start, end, written, in its English?) in a text of side A
    b: tuple[int, int, str, bool]
    a_index: int = 0  # which text of side A (its sentences, in order)
    b_index: int = 0


def _canonical(number: str, exponent: int) -> str:
    try:
        d = Decimal(number).scaleb(exponent)
    except InvalidOperation:
        return number
    text = format(d.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _lang(lang: str) -> str:
    return (lang or "en").split("-")[0].split("_")[0].lower()


def _lookup(table: dict, words: list[str]) -> tuple[str | None, int]:
    """The longest entry of ``table`` that ``words`` start with: (value, words used)."""
    for n in (3, 2, 1):
        if len(words) >= n:
            key = " ".join(words[:n]).lower()
            if key in table:
                return table[key], n
    return None, 0


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]


def _after(text: str, end: int, limit: int = 4) -> list[tuple[int, int, str]]:
    """Up to ``limit`` words after ``end``, stopping at punctuation or another number."""
    stop = _STOP_AT.search(text, end)
    piece = text[end: stop.start() if stop else len(text)]
    return [(end + s, end + e, w) for s, e, w in _words(piece)][:limit]


def _before(text: str, start: int, limit: int = 3) -> list[tuple[int, int, str]]:
    words = _words(text[max(0, start - 40): start])
    offset = max(0, start - 40)
    out = [(offset + s, offset + e, w) for s, e, w in words][-limit:]
    # only the words right before the figure (no punctuation between)
    kept = []
    pos = start
    for s, e, w in reversed(out):
        if text[e:pos].strip():
            break
        kept.append((s, e, w))
        pos = s
    return kept[::-1]


def quantities(text: str, lang: str, in_english: bool) -> tuple[Quantity, ...]:
    """Every figure of ``text`` with its role; ``lang`` is ``"en"`` for English."""
    lang = "en" if in_english else _lang(lang)
    quals = _QUALIFIERS.get(lang, {})
    out = []
    groups = {m.start(): m for m in _JOINED.finditer(text)}
    inside = {k for m in groups.values() for k in range(m.start() + 1, m.end())}
    for start, end, number in number_spans(text, lang):
        if start in inside:
            continue
        if start in groups:  # a score or a range, "10-6", "2&1", "1950-53": one figure
            m = groups[start]
            out.append(Quantity("-".join(re.findall(r"\d+", m.group(0))), m.start(), m.end(), m.group(0), frozenset(),
                                None, "joined", in_english))
            continue
        after = _after(text, end)
        exponent, used = 0, 0
        if after and after[0][2].lower() in _MULTIPLIERS and after[0][0] - end <= 1:
            exponent, used = _MULTIPLIERS[after[0][2].lower()], 1
            if len(after) > 1 and after[1][2].lower() in _MULTIPLIERS and exponent == 3:  # "nghìn tỷ"
                exponent, used = exponent + _MULTIPLIERS[after[1][2].lower()], 2
        f_end = after[used - 1][1] if used else end
        rest = after[used:]
        units: set[str] = set()
        if text[f_end:f_end + 1] == "%" or text[f_end:f_end + 2] == " %":
            units.add("%")
            f_end = text.index("%", f_end) + 1
        words = [w for _, _, w in rest]
        if lang == "en":
            if words[:2] and words[0].lower() == "per" and len(words) > 1 and words[1].lower() == "cent":
                units.add("%")
            for w in words[:3]:
                low = w.lower().replace("’", "'")
                if low in STOPWORDS or len(low) < 2:
                    if low in ("were", "was", "are", "have", "had", "has", "been", "of"):
                        continue
                    break
                stem = _stem(low)
                units.add(_EN_UNITS.get(low) or _EN_UNITS.get(stem) or stem)
        else:
            if words and words[0].lower() in _CLASSIFIERS.get(lang, ()):
                words = words[1:]
            table = _SOURCE_UNITS.get(lang, {})
            key, n = _lookup(table, words)
            if key:
                units.add(key)
                first, _ = _lookup(table, words[:1])
                if first:
                    units.add(first)
                # "63 orang tewas": the next word may name what happened to them
                more, _ = _lookup(table, words[n:])
                if more in ("dead", "injured"):
                    units.add(more)
        before = _before(text, start)
        f_start = start
        if before and before[-1][2].lower() in _BEFORE_UNITS:
            units.add(_BEFORE_UNITS[before[-1][2].lower()])
            f_start = before[-1][0]
            before = before[:-1]
        elif text[max(0, start - 1):start] in ("$", "€", "£"):
            units.add(_BEFORE_UNITS[text[start - 1]])
            f_start = start - 1
            before = _before(text, f_start)
        qualifier = None
        for n in (3, 2, 1):
            if len(before) >= n:
                phrase = " ".join(w for _, _, w in before[-n:]).lower()
                if phrase in quals:
                    qualifier = quals[phrase]
                    f_start = before[-n][0]
                    break
        kind = "count"
        if not units and not exponent and re.fullmatch(r"\d{4}", number) and 1800 <= int(number) <= 2100:
            kind = "year"
        token = text[start:end]
        values = {_canonical(number, exponent)}
        if re.fullmatch(r"\d{1,3}[.,]\d{3}", token):  # 1,000 / 1.000: a thousand in either convention
            values |= {_canonical(token.replace(",", "").replace(".", ""), exponent), _canonical(token.replace(",", "."), exponent)}
        joined = False
        if re.match(r"-year", text[end:end + 5]):
            units.add("year")
        if re.match(r"\s?[ap]\.?m\b", text[end:end + 5], re.IGNORECASE) or (
                lang in ("id", "ms") and re.search(r"\b(pukul|jam)\s$", text[max(0, start - 7):start], re.IGNORECASE)):
            units.add("hour")  # 3 p.m., pukul 3

        # a day of a month: "October 3", "3 Oktober", "ngày 1 tháng 10"; the month's number is no figure of its own
        near = [w.lower() for _, _, w in _before(text, start)[-1:]] + [w.lower() for _, _, w in _after(text, end, 1)]
        if kind != "year" and (any(w in _MONTH_NAMES for w in near) or (lang == "vi" and near[:1] == ["ngày"])):
            units = {"date"}
        if lang == "vi" and near[:1] == ["tháng"]:
            units, joined = {"month"}, True
        out.append(Quantity(_canonical(number, exponent), f_start, f_end, text[f_start:f_end], frozenset(units),
                            qualifier, kind, in_english, frozenset(values), joined))
    return tuple(out)


@functools.lru_cache(maxsize=16_384)
def sentence_quantities(source: str, english: str | None, lang: str) -> tuple[Quantity, ...]:
    """The figures of a sentence: read in its English; in its source when the English states none
    in digits (``ten`` in the English, ``10`` in the source) or there is no English.

    Cached (a pure function of its strings, its answer immutable): linking and the summary's
    discrepancies read the same sentences several times."""
    if english is None:
        return quantities(source, lang, False)
    found = quantities(english, "en", True)
    return found if found else quantities(source, lang, False)


def _interval(q: Quantity) -> tuple[Decimal, Decimal]:
    v = Decimal(q.value) if re.fullmatch(r"\d+(\.\d+)?", q.value) else Decimal(0)
    big = Decimal("1e30")
    return {
        "about": (v * (1 - _APPROX), v * (1 + _APPROX)),
        "nearly": (v * (1 - _APPROX), v),
        "more than": (v, big),
        "at least": (v, big),
        "less than": (Decimal(0), v),
        "up to": (Decimal(0), v),
    }.get(q.qualifier or "", (v, v))


def _compatible(x: Quantity, y: Quantity) -> bool:
    (a0, a1), (b0, b1) = _interval(x), _interval(y)
    return a0 <= b1 and b0 <= a1


def _span(q: Quantity) -> tuple[int, int, str, bool]:
    return q.start, q.end, q.written, q.in_english


def _compare(x: Quantity, y: Quantity) -> tuple[str, str]:
    """(kind, severity) of two figures of the same quantity whose values differ."""
    if x.kind == "year" and y.kind == "year":
        return "time", "hard"
    if (x.qualifier or y.qualifier) and _compatible(x, y):
        return "quantity", "soft"
    return "number", "hard"


def within(figures: tuple[Quantity, ...], part: tuple[int, int] | None, part_in_english: bool
           ) -> tuple[Quantity, ...]:
    """The figures of a sentence inside ``part``, the span a partial link matched (None: the
    whole sentence).  The rest belong to facts the other side does not state: a figure one
    side leaves out is not a disagreement.  A figure read in the other text (the source, when
    the part spans the English) is kept: where it falls in the part is unknown."""
    if part is None:
        return figures
    return tuple(q for q in figures
                 if q.in_english != part_in_english or (part[0] <= q.start and q.end <= part[1]))


def link_differences(side_a: list[tuple[Quantity, ...]], side_b: list[tuple[Quantity, ...]],
                     english_a: list[str | None], english_b: list[str | None],
                     part_a: tuple[int, int] | None, part_b: tuple[int, int] | None,
                     parts_in_english: bool) -> list[Mismatch]:
    """:func:`differences` of two linked sides; when their whole sentences show none and the link
    matched a part of one (a clause that restates a fact of a longer sentence), those of the
    figures inside the matched parts (:func:`within`): the other figures are other facts.  Then
    different named sources in their English (:func:`aligner.sources.source_differences`)."""
    found = differences(side_a, side_b, english_a, english_b)
    if not found and (part_a is not None or part_b is not None):
        found = differences([within(q, part_a, parts_in_english) for q in side_a],
                            [within(q, part_b, parts_in_english) for q in side_b], english_a, english_b)
    return found + [Mismatch("source", "soft", (a.start, a.end, a.name, True), (b.start, b.end, b.name, True), ka, kb)
                    for ka, a, kb, b in source_differences(list(english_a), list(english_b))]


def differences(side_a: list[tuple[Quantity, ...]], side_b: list[tuple[Quantity, ...]],
                english_a: list[str | None] = (), english_b: list[str | None] = ()) -> list[Mismatch]:
    """Where the figures of two sides (each: the quantities of its texts, in order) disagree.

    ``english_a``/``english_b``: per text, its English (for the dates), or None.
    """
    qa = [(k, q) for k, qs in enumerate(side_a) for q in qs]
    qb = [(k, q) for k, qs in enumerate(side_b) for q in qs]
    out: list[Mismatch] = []
    # 1. the same value on both sides: the same figure; a different qualifier is soft
    left_b = list(qb)
    left_a = []
    for ka, x in qa:
        match = next((n for n, (_, y) in enumerate(left_b) if y.readings() & x.readings()), None)
        if match is None:
            left_a.append((ka, x))
            continue
        kb, y = left_b.pop(match)
        if x.qualifier and y.qualifier and x.qualifier != y.qualifier:
            out.append(Mismatch("quantity", "soft", _span(x), _span(y), ka, kb))
    # 2. the same counted thing, different values
    rest_a = []
    for ka, x in left_a:
        match = None
        if x.units:
            match = next((n for n, (_, y) in enumerate(left_b) if y.kind == x.kind and x.units & y.units), None)
        if match is None:
            rest_a.append((ka, x))
            continue
        kb, y = left_b.pop(match)
        kind, severity = _compare(x, y)
        out.append(Mismatch(kind, severity, _span(x), _span(y), ka, kb))
    # 3. one figure left on each side, of the same kind, neither counting something the other does not
    for kind in ("count", "year", "joined"):
        xs = [(k, q) for k, q in rest_a if q.kind == kind and not q.joined]
        ys = [(k, q) for k, q in left_b if q.kind == kind and not q.joined]
        if len(xs) == 1 and len(ys) == 1:
            (ka, x), (kb, y) = xs[0], ys[0]
            if not (x.units and y.units) or x.units & y.units:
                k, severity = _compare(x, y)
                out.append(Mismatch(k, severity, _span(x), _span(y), ka, kb))
    # 4. dates in the English: absolute against absolute, relative against relative
    out += _dates(english_a, english_b)
    return out


def _times(texts) -> list[tuple[int, int, int, str]]:
    return [(k, m.start(), m.end(), m.group(0)) for k, t in enumerate(texts) if t for m in _TIME.finditer(t)]


def _dates(english_a, english_b) -> list[Mismatch]:
    ta, tb = _times(english_a), _times(english_b)
    out = []
    for relative, severity in ((False, "hard"), (True, "soft")):
        xs = [t for t in ta if (t[3].lower() in _RELATIVE) == relative]
        ys = [t for t in tb if (t[3].lower() in _RELATIVE) == relative]
        if xs and ys and not {t[3].lower() for t in xs} & {t[3].lower() for t in ys}:
            (ka, s1, e1, w1), (kb, s2, e2, w2) = xs[0], ys[0]
            out.append(Mismatch("time", severity, (s1, e1, w1, True), (s2, e2, w2, True), ka, kb))
    return out


def same_quantity_differs(xs: tuple[Quantity, ...], ys: tuple[Quantity, ...]) -> int:
    """How many figures of ``xs`` count the same thing as one of ``ys`` with another value
    (at most one per figure; values both sides state are not counted)."""
    values_b = {v for y in ys for v in y.readings()}
    values_a = {v for x in xs for v in x.readings()}
    found = 0
    used = set()
    for x in xs:
        if x.readings() & values_b or not x.units:
            continue
        for n, y in enumerate(ys):
            if n not in used and not y.readings() & values_a and y.kind == x.kind and x.units & y.units:
                used.add(n)
                found += 1
                break
    return found
