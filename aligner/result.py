"""A :class:`~aligner.model.Result` and its versioned JSON form; nothing else.

Over 400 lines because it is the one place a result is written and read: the writer of
every value, field by field (faster than ``dataclasses.asdict``), and the typed reader that
names the field of any bad value.

Public surface: :func:`to_dict`, :func:`from_dict`, :func:`write_json`,
:func:`read_json`, :func:`locate_source`.

JSON layout (``schema_version`` 2; version 1 results still load)::

    {"schema_version": 2,
     "signature": {...everything that moves the scores: aligner.model.Signature...},
     "articles": [{"path", "relative", "absolute", "lang", "lang_detected", "sha256",
                   "dropped": [{"start", "end", "reason"}],
                   "sentences": [{"index", "start", "end", "text", "english",
                                  "english_source", "glossary": [...]}]}],
     "links": [{"members": [{"article": 0, "sentences": [3], "part": [0, 57]},
                            {"article": 1, "sentences": [2, 3], "part": null}],
                "kind": "partial", "score": 1.21, "evidence": {..., "parts_in": "english"}}],
     "groups": [{"members": [{"article": 0, "sentences": [3]}, ...], "links": [0, 4]}],
     "glossary_audit": [{"concept", "renderings": {form: [[article, sentence], ...]}}],
     "summary": null | {"discrepancies": [...], "conflicts": [...], "central": [[3, 7], ...]},
     "review": null | {"accepted": [decision], "rejected": [decision], "manual": [decision]}}

    decision = {"sentences": [{"sha256", "start", "end"}, ...], "by": "...", "at": "2026-12-01T12:00:00Z"}

* ``path`` is the article's name as it was given to ``align`` (what viewers
  show); ``relative`` is its path relative to the folder of the result file, so
  a result and its articles can move together; ``absolute`` is where it was
  when the result was written, the fallback.
* Spans (``start``, ``end``) are code-point offsets in the decoded input file.
* ``evidence.margin`` holds ``Evidence.similarity`` (the score from the vectors alone); the
  JSON keeps the name it had, for the tools that read it.
* ``review`` (absent in results written before it existed: read as null) names
  sentences by their article's sha256 and span, so decisions survive a re-run.

The JSON is decoded by :func:`aligner.files.read_json` (size limit, NaN and
depth guards), then a small typed reader (``_Reader``) checks every field's type
and range while building the values of :mod:`aligner.model`: a hand-edited or
damaged file gives one :class:`~aligner.errors.ResultError` line naming the file
and the field, never a traceback.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import NoReturn

from aligner import files
from aligner.errors import ResultError
from aligner.files import write_atomically
from aligner.model import (DISCREPANCY_KINDS, LINK_KINDS, REVIEW_VERDICTS, SCHEMA_VERSION, SEVERITIES, ArticleResult,
                           AuditEntry, Difference, Discrepancy, Dropped, Evidence, Figure, GlossaryHit, Link, Member,
                           Result, Review, ReviewDecision, Sentence, SentenceRef, Signature, StoredConflict,
                           SummaryRecord)

MAX_RESULT_BYTES = 256 * 1024 * 1024
MAX_PATH_CHARS = 4096  # PATH_MAX on Linux: a longer "path" was not written by this tool
GLOSSARY_STATUSES = ("ok", "post-edited", "violation", "untranslated")
# the signature's fields by shape (aligner.model.Signature)
SIGNATURE_TEXTS = ("aligner", "segmentation", "translator")
SIGNATURE_FILES = ("memory", "glossary", "decisions")  # {"path", "sha256", "found_in"?} or null
SIGNATURE_EMBEDDERS = ("embedder", "cross_lingual")  # {"name", "id", "version"} or null


def to_dict(result: Result) -> dict:
    """The JSON form of ``result`` (plain dicts and lists), article locations as given.

    Articles, links and the review come out as ``dataclasses.asdict`` gives them (tuples stay
    tuples), built field by field: their values are immutable, so nothing needs the deep copy
    ``asdict`` makes (on the whole NTREX dev pair: 0.04 s of CPU with ``asdict``, 0.004 s so;
    tests/test_cold_result.py holds the two equal, field for field).
    """
    return {
        "schema_version": result.schema_version,
        "signature": result.signature.to_dict(),
        "articles": [_article_dict(a) for a in result.articles],
        "links": [_link_dict(link) for link in result.links],
        "groups": [{"members": [{"article": m.article, "sentences": list(m.sentences)} for m in g.members], "links": list(g.links)}
                   for g in result.groups],
        "glossary_audit": [e.to_dict() for e in result.glossary_audit],
        "summary": None if result.summary is None else result.summary.to_dict(),
        "review": None if result.review is None else _review_dict(result.review),
    }


# The dataclasses below as ``dataclasses.asdict`` writes them, in field order.


def _article_dict(a: ArticleResult) -> dict:
    return {
        "path": a.path, "lang": a.lang, "lang_detected": a.lang_detected, "sha256": a.sha256,
        "dropped": tuple({"start": d.start, "end": d.end, "reason": d.reason} for d in a.dropped),
        "sentences": tuple(map(_sentence_dict, a.sentences)),
        "relative": a.relative, "absolute": a.absolute,
    }


def _sentence_dict(s: Sentence) -> dict:
    hits = tuple({"concept": h.concept, "variant": h.variant, "status": h.status,
                  "changed": h.changed} for h in s.glossary) if s.glossary else ()
    return {"index": s.index, "start": s.start, "end": s.end, "text": s.text, "english": s.english,
            "english_source": s.english_source, "glossary": hits}


def _link_dict(link: Link) -> dict:
    e = link.evidence
    return {
        "members": tuple({"article": m.article, "sentences": m.sentences, "part": m.part}
                         for m in link.members),
        "score": link.score,
        "evidence": {"space": e.space, "cosine": e.cosine, "margin": e.similarity, "numbers": e.numbers,
                     "names": e.names, "terms": e.terms, "parts_in": e.parts_in, "words": e.words},
        "kind": link.kind,
    }


def _review_dict(review: Review) -> dict:
    def decisions(ds: tuple[ReviewDecision, ...]) -> tuple[dict, ...]:
        return tuple({"sentences": tuple({"sha256": r.sha256, "start": r.start, "end": r.end}
                                         for r in d.sentences),
                      "by": d.by, "at": d.at} for d in ds)

    return {"accepted": decisions(review.accepted), "rejected": decisions(review.rejected),
            "manual": decisions(review.manual)}


def write_json(result: Result, path: str | Path) -> None:
    """Write atomically (a temporary file beside the target, then rename).

    Each article's location is stored relative to the result's folder, with
    the absolute path as a fallback.
    """
    target = Path(path)
    write_atomically(target, json_text(result, target.resolve().parent).encode("utf-8"))


def json_text(result: Result, folder: str | Path) -> str:
    """The result as JSON text, each article's location relative to ``folder`` (and absolute)."""
    folder = Path(folder)
    data = to_dict(result)
    for article, original in zip(data["articles"], result.articles):
        absolute = Path(original.absolute or original.path).resolve()
        article["relative"] = Path(os.path.relpath(absolute, folder)).as_posix()
        article["absolute"] = str(absolute)
    from aligner.json_indent import dumps_indented

    return dumps_indented(data) + "\n"  # json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def locate_source(result_path: str | Path, article: ArticleResult) -> Path | None:
    """Where an article of a saved result is now: relative to the result, else at its
    absolute path, else (a result written before these were stored) as given."""
    folder = Path(result_path).resolve().parent
    candidates = [folder / article.relative] if article.relative else []
    candidates.append(Path(article.absolute) if article.absolute else Path(article.path))
    return next((p for p in candidates if files.is_file(p)), None)


def read_json(path: str | Path) -> Result:
    """The result in the file ``path``; one :class:`ResultError` line for any problem."""
    return from_dict(files.read_json(path, ResultError, "result file", MAX_RESULT_BYTES), str(path))


class _Reader:
    """One JSON value of the file ``name``, at ``where`` (a field path: ``links[0].score``),
    read as one type; anything else is one :class:`ResultError` line naming the file and the field."""

    __slots__ = ("name", "value", "where")

    def __init__(self, name: str, value, where: str = ""):
        self.name, self.value, self.where = name, value, where

    def fail(self, what: str, where: str | None = None) -> NoReturn:
        raise ResultError(f"{self.name}: {self.where if where is None else where}: {what}")

    @property
    def is_null(self) -> bool:
        return self.value is None

    def mapping(self) -> dict:
        if not isinstance(self.value, dict):
            self.fail("expected an object")
        return self.value

    def field(self, key: str, default=None) -> _Reader:
        """The value of ``key`` in this object (``default`` when absent)."""
        return _Reader(self.name, self.mapping().get(key, default), f"{self.where}.{key}" if self.where else key)

    def elements(self) -> list[_Reader]:
        if not isinstance(self.value, (list, tuple)):  # tuples: a to_dict() value not yet through JSON
            self.fail("expected a list")
        return [_Reader(self.name, v, f"{self.where}[{i}]") for i, v in enumerate(self.value)]

    def entries(self) -> list[tuple[str, _Reader]]:
        """The (key, value) pairs of this object."""
        return [(k, _Reader(self.name, v, f"{self.where}[{k!r}]")) for k, v in self.mapping().items()]

    def text(self) -> str:
        if not isinstance(self.value, str):
            self.fail("expected a string")
        return self.value

    def optional_text(self) -> str | None:
        return None if self.value is None else self.text()

    def texts(self) -> tuple[str, ...]:
        return tuple(e.text() for e in self.elements())

    def integer(self, lo: int = 0, hi: int | None = None) -> int:
        """An integer in ``lo..hi`` (``hi`` None: no upper bound)."""
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail("expected an integer")
        if v < lo or (hi is not None and v > hi):
            self.fail(f"{v} is out of range")
        return v

    def number(self, limit: float = 1e6) -> float:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or abs(v) > limit:
            self.fail("expected a finite number")
        return float(v)

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            self.fail("expected true or false")
        return self.value

    def file_path(self) -> str:
        """A file path: a string without NUL, at most :data:`MAX_PATH_CHARS` long."""
        v = self.text()
        if "\x00" in v or len(v) > MAX_PATH_CHARS:
            self.fail("not a file path (a NUL character, or too long)")
        return v

    def one_of(self, allowed: tuple[str, ...], noun: str, listed: bool = False) -> str:
        """A string of ``allowed``; else ``unknown <noun> 'x'`` (``listed``: and the allowed ones)."""
        v = self.text()
        if v not in allowed:
            self.fail(f"unknown {noun} {v!r}" + (f" (expected {' or '.join(allowed)})" if listed else ""))
        return v


def from_dict(data, name: str = "<result>") -> Result:
    """The result in ``data`` (a JSON value of the file ``name``), every field checked."""
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ResultError(f"{name}: not an aligner result (no schema_version)")
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ResultError(f"{name}: schema_version must be a positive integer")
    if version > SCHEMA_VERSION:
        raise ResultError(f"{name}: written by a newer aligner (schema {version}; this one reads up to {SCHEMA_VERSION})")
    r = _Reader(name, data)
    articles = tuple(_article(a) for a in r.field("articles").elements())
    if len(articles) < 2:
        r.fail(f"a result holds at least two articles, found {len(articles)}", "articles")
    links = tuple(_link(x, articles) for x in r.field("links").elements())
    r.field("groups", []).elements()  # derived from the links; recomputed, not trusted
    signature = _signature(r.field("signature", {}))
    audit = tuple(_audit_entry(e, articles) for e in r.field("glossary_audit", []).elements())
    from aligner.align.groups import group_links

    groups = group_links(links)
    return Result(
        articles=articles, links=links, signature=signature, glossary_audit=audit, schema_version=version,
        groups=groups, summary=_summary(r.field("summary"), articles, len(groups)), review=_review(r.field("review")),
    )


def _span(r: _Reader) -> tuple[int, int]:
    """``start`` and ``end`` of an object, ``end`` not before ``start``."""
    start = r.field("start").integer()
    return start, r.field("end").integer(lo=start)


def _review(r: _Reader) -> Review | None:
    """Link decisions; each names sentences of two or more articles (by sha256 and span:
    whether they still exist is for whoever applies them to decide)."""
    if r.is_null:
        return None
    lists = {}
    for verdict in REVIEW_VERDICTS:
        decisions = []
        for d in r.field(verdict, []).elements():
            refs = [SentenceRef(s.field("sha256").text(), *_span(s)) for s in d.field("sentences").elements()]
            if len({ref.sha256 for ref in refs}) < 2:
                d.fail("a decision names sentences of two or more articles", f"{d.where}.sentences")
            decisions.append(ReviewDecision(tuple(refs), d.field("by", "").text(), d.field("at", "").text()))
        lists[verdict] = tuple(decisions)
    return Review(**lists)


def _summary(r: _Reader, articles, groups: int) -> SummaryRecord | None:
    """The stored conflicts and central sentences, checked against the articles and groups."""
    if r.is_null:
        return None
    conflicts = tuple(
        StoredConflict(c.field("group").integer(hi=groups - 1), c.field("kind").text(), tuple(v.texts() for v in c.field("values").elements()))
        for c in r.field("conflicts").elements()
    )
    central = r.field("central").elements()
    # derived from the links and sentences, as groups are: recomputed by the summary, not trusted
    found = r.field("discrepancies")
    found = None if found.is_null else tuple(_discrepancy(e, articles, groups) for e in found.elements())
    if len(central) != len(articles):
        r.fail(f"expected one list per article ({len(articles)})", "summary.central")
    central = tuple(tuple(x.integer(hi=len(articles[a].sentences) - 1) for x in idx.elements()) for a, idx in enumerate(central))
    return SummaryRecord(conflicts, central, found)


def _discrepancy(r: _Reader, articles, groups: int) -> Discrepancy:
    """A stored discrepancy: its group, its two members and every difference, each field checked."""
    def sentence(x: _Reader, article: int) -> int:
        return x.integer(hi=len(articles[article].sentences) - 1)

    members = []
    for m in r.field("members").elements():
        article = m.field("article").integer(hi=len(articles) - 1)
        members.append(Member(article, tuple(sentence(x, article) for x in m.field("sentences").elements())))
    if len(members) != 2:
        r.fail("expected two members", f"{r.where}.members")
    differences = []
    for x in r.field("differences").elements():
        sides = []
        for f in x.field("sides").elements():
            article = f.field("article").integer(hi=len(articles) - 1)
            sides.append(Figure(article, sentence(f.field("sentence"), article), f.field("value").text(),
                                f.field("start").integer(), f.field("end").integer(),
                                f.field("span_in").one_of(("english", "source"), "span_in", listed=True)))
        if len(sides) != 2:
            x.fail("expected two sides", f"{x.where}.sides")
        differences.append(Difference(x.field("kind").one_of(DISCREPANCY_KINDS, "discrepancy kind", listed=True),
                                      x.field("severity").one_of(SEVERITIES, "severity", listed=True), tuple(sides)))
    return Discrepancy(r.field("group").integer(hi=groups - 1), tuple(members), tuple(differences))


def _signature(r: _Reader) -> Signature:
    """The signature, every field it names checked (keys it does not name are kept as they are)."""
    sig = r.mapping()
    for k in SIGNATURE_TEXTS:
        r.field(k).optional_text()
    if sig.get("protect_terms") is not None:
        r.field("protect_terms").boolean()
    if sig.get("english_sources") is not None:
        r.field("english_sources").texts()
    for stamp in (r.field(k) for k in SIGNATURE_FILES if sig.get(k) is not None):
        stamp.field("path").file_path()
        stamp.field("sha256").text()
        stamp.field("found_in").optional_text()
    for entry in (r.field(k) for k in SIGNATURE_EMBEDDERS if sig.get(k) is not None):
        entry.field("name", "").text()
        entry.field("id").text()
        entry.field("version").text()
    if sig.get("models") is not None:
        for model in r.field("models").elements():
            for k in ("name", "kind", "version", "hash"):
                model.field(k, "").text()
            model.field("langs", []).texts()
    if sig.get("cross_lingual_weight") is not None:
        weight = r.field("cross_lingual_weight")
        if not 0.0 <= weight.number() <= 1.0:
            weight.fail(f"{weight.value} is outside 0..1")
    if sig.get("align") is not None:
        align = r.field("align")
        for v in map(align.field, align.mapping()):
            if v.value is not None and not isinstance(v.value, (str, bool)):
                v.number()
    return Signature.from_dict(sig)


def _audit_entry(r: _Reader, articles) -> AuditEntry:
    r.field("concept").text()
    for _, places in r.field("renderings").entries():
        for place in places.elements():
            pair = place.elements()
            if len(pair) != 2:
                place.fail("expected [article, sentence]")
            article = pair[0].integer(hi=len(articles) - 1)
            pair[1].integer(hi=len(articles[article].sentences) - 1)
    return AuditEntry.from_dict(r.value)


def _article(r: _Reader) -> ArticleResult:
    sentences = tuple(_sentence(s, i) for i, s in enumerate(r.field("sentences").elements()))
    if not sentences:
        r.fail("an article has at least one sentence", f"{r.where}.sentences")
    dropped = tuple(Dropped(*_span(d), d.field("reason").text()) for d in r.field("dropped", []).elements())
    lang = r.field("lang")
    if not lang.text():
        lang.fail("empty language code")
    return ArticleResult(
        path=r.field("path").file_path(),
        lang=lang.value,
        lang_detected=r.field("lang_detected", False).boolean(),
        sha256=r.field("sha256", "").text(),
        dropped=dropped,
        sentences=sentences,
        relative=r.field("relative", "").file_path(),
        absolute=r.field("absolute", "").file_path(),
    )


def _sentence(r: _Reader, position: int) -> Sentence:
    index = r.field("index")
    if index.integer() != position:
        index.fail(f"is {index.value}, expected {position}")
    start, end = _span(r)
    hits = tuple(
        GlossaryHit(
            g.field("concept").text(), g.field("variant").text(),
            g.field("status").one_of(GLOSSARY_STATUSES, "status"), g.field("changed", []).texts(),
        )
        for g in r.field("glossary", []).elements()
    )
    return Sentence(
        index=index.value, start=start, end=end, text=r.field("text").text(), english=r.field("english").optional_text(),
        english_source=r.field("english_source", "none").text(), glossary=hits,
    )


def _member(r: _Reader, articles) -> Member:
    article = r.field("article").integer(hi=len(articles) - 1)
    sentences = r.field("sentences")
    indices = tuple(x.integer(hi=len(articles[article].sentences) - 1) for x in sentences.elements())
    if not indices or len(set(indices)) != len(indices):
        sentences.fail("expected distinct sentence indices")
    part = r.field("part")
    if part.is_null:
        return Member(article, indices, None)
    span = tuple(x.integer() for x in part.elements())
    if len(span) != 2 or span[0] >= span[1]:
        part.fail("expected [start, end] with start < end")
    return Member(article, indices, span)


def _link(r: _Reader, articles) -> Link:
    members = r.field("members")
    found = tuple(_member(m, articles) for m in members.elements())
    if len(found) < 2 or len({m.article for m in found}) != len(found):
        members.fail("a link joins two or more different articles")
    ev = r.field("evidence")
    ev.mapping()
    kind = r.field("kind", "same-fact").one_of(LINK_KINDS, "kind", listed=True)
    parts_in = ev.field("parts_in", "english").one_of(("english", "source"), "value")
    return Link(
        members=found,
        kind=kind,
        score=r.field("score").number(),
        evidence=Evidence(
            space=ev.field("space", "").text(),
            cosine=ev.field("cosine", 0.0).number(),
            similarity=ev.field("margin", 0.0).number(),
            numbers=ev.field("numbers", []).texts(),
            names=ev.field("names", []).texts(),
            terms=ev.field("terms", []).texts(),
            parts_in=parts_in,
            words=ev.field("words", []).texts(),
        ),
    )
