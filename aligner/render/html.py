"""The HTML report: one self-contained page with the articles side by side and an alignment map.

Public surface: :func:`render_html`, :func:`map_svg`; for the terminal map
:class:`MapLink`, :func:`map_links`, :func:`sentence_kinds`, :data:`KINDS`.

The page carries its CSS, script and SVG inline and fetches nothing: a
``Content-Security-Policy`` meta tag forbids every other source, so the file
can be mailed and opened anywhere.  Markup comes from jinja2 templates in
``templates/`` with autoescaping on, and every string from the result is made
:func:`~aligner.render.safe.visible` first, so a sentence or file name holding
``<script>`` shows it and runs nothing.  Text never reaches an attribute (but a
language code that is a well-formed tag, as ``lang``), and the script reads
only ``data-`` attributes holding ids this module makes.

A sentence's text is split into :class:`Run` pieces, each with the classes of
the evidence covering it (shared number, glossary term, shared word, the part a
partial link matched), so overlapping marks need no nested tags.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from aligner.facts import numbers, shared_word_spans
from aligner.model import ArticleResult, Link, Sentence
from aligner.render.content import disagreements, review_line, review_marks
from aligner.render.safe import visible
from aligner.render.terminal import SCORE_FULL
from aligner.summary import Summary, provenance_lines

# Map geometry (SVG user units)
_AXIS_GAP = 300  # between two article axes
_SIDE = 92  # room left and right of the outer axes for sentence numbers
_TOP = 64  # room above the first sentence for the axis headings
_ROW_MAX, _ROWS_TALL = 24.0, 640.0  # row pitch; the axis length a long article is squeezed into
_LABEL_PITCH = 13.0  # the least vertical room a sentence number needs
_LABEL_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)
KINDS = ("same-fact", "partial", "discrepancy")  # the map's link kinds, least telling first
_NUMBER = re.compile(r"\d(?:[\d.,\u00a0\u202f]*\d)?")  # a number as written, its separators included
_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")  # a language tag safe for the lang attribute


@dataclass(frozen=True)
class Run:
    """A piece of a sentence's text with one set of marks."""

    text: str
    classes: str = ""  # space-separated: num, term, word, part
    partners: str = ""  # for a matched part: the ids of the sentences on the link's other side


@dataclass(frozen=True)
class SentenceView:
    id: str  # "a0-s5": article 0, sentence index 5
    number: int  # as the reader counts: index + 1
    english: tuple[Run, ...] | None
    source: tuple[Run, ...] | None  # shown with --show-source, or when there is no English
    lang: str  # the article's language, made visible (text only)
    lang_attr: str | None  # the same when it is a well-formed tag, for the lang attribute
    flags: str  # glossary concepts whose English violates the glossary
    partners: str = ""  # ids of every sentence linked to this one
    classes: str = ""  # only (in no link), central, k-<kind of its most telling link>


@dataclass(frozen=True)
class MapLink:
    """One link as the map draws it."""

    index: int  # in result.links
    kind: str  # "discrepancy" | "partial" | "same-fact"
    score: float
    ends: tuple[tuple[int, tuple[int, ...]], ...]  # (article, sentence indices) per member, by article
    fact: int  # the position of its shared fact in summary.shared


@dataclass(frozen=True)
class ConflictRow:
    kind: str
    links: frozenset[int]  # the links of the fact in conflict
    fact: int | None  # the position of that fact in summary.shared
    cells: dict[int, tuple[tuple[str, ...], tuple[Sentence, ...]]]  # article -> (the values that differ, its sentences)


def conflict_rows(summary: Summary) -> list[ConflictRow]:
    """The one place that reads ``summary.conflicts`` (the page, the map and the terminal map use this)."""
    position = {frozenset(f.group.links): k for k, f in enumerate(summary.shared)}
    rows = []
    for d in disagreements(summary):  # one row per sentence pair, hard first, with every way it differs
        links = frozenset(d.fact.group.links)
        cells = {side.article: (tuple(d.values(k)), side.sentences) for k, side in enumerate(d.fact.sides)}
        rows.append(ConflictRow(", ".join(kind for kind, _ in d.kinds), links, position.get(links), cells))
    return rows


def map_links(summary: Summary) -> list[MapLink]:
    """Every link of the result, in ``result.links`` order, with the kind the map colours it by."""
    disputed = set().union(*(row.links for row in conflict_rows(summary)))
    fact_of = {n: k for k, fact in enumerate(summary.shared) for n in fact.group.links}
    out = []
    for n, link in enumerate(summary.result.links):
        kind = "discrepancy" if n in disputed else link.kind
        ends = tuple(sorted((m.article, m.sentences) for m in link.members))
        out.append(MapLink(n, kind, link.score, ends, fact_of.get(n, 0)))
    return out


def sentence_kinds(links: list[MapLink]) -> dict[tuple[int, int], str]:
    """(article, sentence) -> the kind of its most telling link (a discrepancy over a partial over a same fact)."""
    kinds = {}
    for ml in sorted(links, key=lambda ml: KINDS.index(ml.kind)):
        for a, idx in ml.ends:
            for i in idx:
                kinds[(a, i)] = ml.kind
    return kinds


def sentence_id(article: int, index: int) -> str:
    return f"a{article}-s{index}"


# -- text with its marks


def _runs(text: str, marks: list[tuple[int, int, str, str]]) -> tuple[Run, ...]:
    """``text`` cut where a mark starts or ends; each piece made visible and given the marks covering it."""
    cuts = sorted({0, len(text)} | {max(0, min(len(text), p)) for s, e, _, _ in marks for p in (s, e)})
    runs = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [(c, p) for s, e, c, p in marks if s <= start and end <= e]
        classes = " ".join(dict.fromkeys(c for c, _ in covering))
        partners = " ".join(dict.fromkeys(p for _, p in covering if p))
        runs.append(Run(visible(text[start:end]), classes, partners))
    return tuple(runs)


def _number_marks(text: str, lang: str, links: list[Link]) -> list[tuple[int, int, str, str]]:
    """Where the shared numbers of ``links`` occur in ``text``, each read with ``lang``'s separators
    (1000 is ``1,000`` in English and ``1.000`` in Vietnamese), as the links' evidence was."""
    shared = {value for link in links for value in link.evidence.numbers}
    if not shared:
        return []
    return [(m.start(), m.end(), "num", "") for m in _NUMBER.finditer(text) if shared.intersection(numbers(m.group(), lang))]


def _evidence_marks(english: str, links: list[Link]) -> list[tuple[int, int, str, str]]:
    """Where the shared numbers, glossary terms and shared words of ``links`` occur in ``english``."""
    marks = _number_marks(english, "en", links)
    for link in links:
        ev = link.evidence
        for term in ev.terms:  # a term's plural too: "nuclear warheads"
            marks += [(m.start(), m.end(), "term", "") for m in re.finditer(rf"(?<!\w){re.escape(term)}(?:e?s)?(?!\w)", english, re.IGNORECASE)]
        marks += [(s, e, "word", "") for s, e in shared_word_spans(english, ev.words)]
    return marks


def _value_marks(english: str, values: tuple[str, ...]) -> list[tuple[int, int, str, str]]:
    """Where the values a discrepancy names ("about 500", "october") occur in ``english``."""
    return [(m.start(), m.end(), "diff", "") for v in values for m in re.finditer(rf"(?<!\w){re.escape(v)}(?!\w)", english, re.IGNORECASE)]


def _part_marks(article: int, sentence: int, links: list[Link], space: str) -> list[tuple[int, int, str, str]]:
    """The parts of the sentence that partial links matched, in ``space`` ("english" or "source")."""
    marks = []
    for link in links:
        if link.evidence.parts_in != space:
            continue
        for m in link.members:
            if m.article == article and m.sentences == (sentence,) and m.part is not None:
                others = " ".join(sentence_id(o.article, i) for o in link.members if o is not m for i in o.sentences)
                marks.append((m.part[0], m.part[1], "part", others))
    return marks


def _lang_attr(lang: str) -> str | None:
    return lang if _TAG.fullmatch(lang) else None


class _Views:
    """Builds the :class:`SentenceView` of any sentence of one result, with its links found once."""

    def __init__(self, summary: Summary, show_source: bool):
        result = summary.result
        self.result = result
        self.show_source = show_source
        self.links_of: dict[tuple[int, int], list[Link]] = {}
        for link in result.links:
            for m in link.members:
                for i in m.sentences:
                    self.links_of.setdefault((m.article, i), []).append(link)
        self.only = {(a, s.index) for a, sentences in enumerate(summary.only) for s in sentences}
        self.central = {(a, s.index) for a, sentences in enumerate(summary.central) for s in sentences}
        self.kind = sentence_kinds(map_links(summary))

    def __call__(self, article: int, s: Sentence, links: list[Link] | None = None, values: tuple[str, ...] = ()) -> SentenceView:
        """``s`` with the evidence of ``links`` (all its links when None) and the disputed ``values`` marked."""
        key = (article, s.index)
        links = self.links_of.get(key, []) if links is None else [l for l in links if l in self.links_of.get(key, [])]
        lang = self.result.articles[article].lang
        english = None
        if s.english is not None:
            marks = _evidence_marks(s.english, links) + _part_marks(article, s.index, links, "english") + _value_marks(s.english, values)
            english = _runs(s.english, marks)
        source = None
        if self.show_source or s.english is None:
            shared = _number_marks(s.text, lang, links) if s.english is None else []  # the evidence a reader can still see
            source = _runs(s.text, shared + _part_marks(article, s.index, links, "source"))
        partners = dict.fromkeys(
            sentence_id(m.article, i) for link in self.links_of.get(key, []) for m in link.members for i in m.sentences if (m.article, i) != key
        )
        marks = (("only", key in self.only), ("central", key in self.central), (f"k-{self.kind.get(key)}", key in self.kind))
        classes = " ".join(c for c, on in marks if on)
        flags = visible(", ".join(h.concept for h in s.glossary if h.status == "violation"))
        return SentenceView(sentence_id(article, s.index), s.index + 1, english, source, visible(lang), _lang_attr(lang), flags, " ".join(partners), classes)


# -- the map


def _map(summary: Summary, standalone: bool) -> dict:
    """Everything the map template draws: axes, sentence dots and one path per link."""
    result = summary.result
    counts = [len(a.sentences) for a in result.articles]
    longest = max(counts + [1])
    row = min(_ROW_MAX, _ROWS_TALL / max(longest - 1, 1))
    xs = [_SIDE + k * _AXIS_GAP for k in range(len(counts))]
    linked = result.linked()
    axes = [_axis(a, article, xs[a], row, linked[a], left=a == 0) for a, article in enumerate(result.articles)]
    thin = max(0.4, min(1.0, row / 12))  # lines packed closer are drawn thinner
    lines = [_line(ml, xs, row, thin) for ml in map_links(summary)]
    bottom = round(_TOP + (longest - 1) * row + 28)  # a standalone map carries its legend below
    return {"axes": axes, "lines": lines, "width": xs[-1] + _SIDE, "height": bottom + (28 if standalone else 0), "bottom": bottom,
            "standalone": standalone, "dot": 4 if row >= 10 else max(1.0, round(row * 0.4, 1)), "top": _TOP}


def _axis(a: int, article: ArticleResult, x: float, row: float, linked: set[int], left: bool) -> dict:
    """One article's axis: its heading and a dot per sentence, every n-th numbered (a round n, so numbers never overlap)."""
    every = next((n for n in _LABEL_STEPS if n * row >= _LABEL_PITCH), _LABEL_STEPS[-1])
    dots = [
        {"y": _TOP + i * row, "linked": i in linked, "label": i == 0 or (i + 1) % every == 0, "number": i + 1,
         "title": f"[{a + 1}] #{i + 1}: " + _preview(s)}
        for i, s in enumerate(article.sentences)
    ]
    name = visible(article.path.replace("\\", "/").rsplit("/", 1)[-1])
    return {"x": x, "number": a + 1, "lang": visible(article.lang), "name": _shorten(name, 28), "path": visible(article.path),
            "end": _TOP + max(len(dots) - 1, 0) * row, "dots": dots, "left": left}


def _line(ml: MapLink, xs: list[float], row: float, thin: float) -> dict:
    """One link's path from axis to axis (through each member in article order), its label and its width by score."""
    points = [(xs[a], _TOP + row * sum(idx) / len(idx)) for a, idx in ml.ends]
    ends = " and ".join(f"[{a + 1}] " + "+".join(f"#{i + 1}" for i in idx) for a, idx in ml.ends)
    strength = min(ml.score, SCORE_FULL * 1.5) / (SCORE_FULL * 1.5)
    return {
        "index": ml.index, "kind": ml.kind, "fact": ml.fact,
        "d": " ".join(_curve(p, q) for p, q in zip(points, points[1:])),
        "width": round(thin * (1.5 + 4.5 * strength), 2),
        "label": f"Link {ml.index + 1}: {ends}, {ml.kind.replace('-', ' ')}, score {ml.score:.2f}",
        "ends": " ".join(sentence_id(a, i) for a, idx in ml.ends for i in idx),
    }


def _curve(p: tuple[float, float], q: tuple[float, float]) -> str:
    """A cubic curve from axis point ``p`` to axis point ``q``, leaving and reaching them horizontally."""
    (x1, y1), (x2, y2) = p, q
    mid = (x1 + x2) / 2
    return f"M{x1:.1f} {y1:.1f} C{mid:.1f} {y1:.1f} {mid:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"


def _preview(s: Sentence, size: int = 90) -> str:
    return _shorten(visible(" ".join((s.english if s.english is not None else s.text).split())), size)


def _shorten(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# -- the page


@functools.lru_cache(maxsize=1)
def _environment():
    """The jinja2 environment (made on first use: importing this module has no side effects)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("aligner.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def map_svg(summary: Summary) -> str:
    """The alignment map as a standalone SVG document (for the markdown report's ``report.map.svg``)."""
    return _environment().get_template("map.svg.j2").render(map=_map(summary, standalone=True))


def render_html(summary: Summary, *, show_source: bool = False) -> str:
    """The whole report as one self-contained HTML page."""
    result = summary.result
    views = _Views(summary, show_source)
    return _environment().get_template("report.html.j2").render(
        articles=_articles(summary),
        conflicts=[_conflict_view(row, views) for row in conflict_rows(summary)],
        facts=[_fact_view(k, fact, views, marks) for k, (fact, marks) in enumerate(zip(summary.shared, review_marks(summary)))],
        columns=[[views(a, s) for s in article.sentences] for a, article in enumerate(result.articles)],
        only=[[views(a, s, []) for s in sentences] for a, sentences in enumerate(summary.only)],
        central=[[views(a, s, []) for s in sentences] for a, sentences in enumerate(summary.central)],
        map=_map(summary, standalone=False),
        any_partial=any(fact.kind == "partial" for fact in summary.shared),
        provenance=[visible(line) for line in provenance_lines(summary.provenance) + [review_line(summary)] if line],
        signature=visible(json.dumps(result.signature.to_dict(), indent=2, ensure_ascii=False, sort_keys=True)),
    )


def _articles(summary: Summary) -> list[dict]:
    out = []
    for i, (article, p) in enumerate(zip(summary.result.articles, summary.provenance["articles"])):
        out.append({"number": i + 1, "path": visible(article.path), "lang": visible(p["lang"]), "lang_short": visible(article.lang),
                    "english": visible(p["english"]), "dropped": len(article.dropped), "sentences": len(article.sentences)})
    return out


def _fact_view(k: int, fact, views: _Views, marks=()) -> dict:
    ev = fact.link.evidence
    evidence = [(label, visible(", ".join(values))) for label, values in
                (("numbers", ev.numbers), ("terms", ev.terms), ("words", ev.words[:4])) if values]
    cells = {side.article: [views(side.article, s, list(fact.links)) for s in side.sentences] for side in fact.sides}
    return {"id": f"fact-{k}", "number": k + 1, "score": f"{fact.score:.2f}", "partial": fact.kind == "partial",
            "strong": fact.score >= 1.5, "bar": round(100 * min(fact.score, SCORE_FULL) / SCORE_FULL), "evidence": evidence,
            "review": [(m.verdict, visible(m.text)) for m in marks],
            "cells": [cells.get(a) for a in range(len(views.result.articles))]}


def _conflict_view(row: ConflictRow, views: _Views) -> dict:
    cells = [
        (visible(", ".join(row.cells[a][0]) or "(none)"), [views(a, s, [], row.cells[a][0]) for s in row.cells[a][1]]) if a in row.cells else None
        for a in range(len(views.result.articles))
    ]
    return {"kind": visible(row.kind), "fact": None if row.fact is None else f"fact-{row.fact}", "cells": cells}
