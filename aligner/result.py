"""A :class:`~aligner.model.Result` and its versioned JSON form; nothing else.

Public surface: :func:`to_dict`, :func:`from_dict`, :func:`write_json`,
:func:`read_json`, :func:`locate_source`.

JSON layout (``schema_version`` 2; version 1 results still load)::

    {"schema_version": 1,
     "signature": {...everything that moves the scores...},
     "articles": [{"path", "relative", "absolute", "lang", "lang_detected", "sha256",
                   "dropped": [{"start", "end", "reason"}],
                   "sentences": [{"index", "start", "end", "text", "english",
                                  "english_source", "glossary": [...]}]}],
     "links": [{"members": [{"article": 0, "sentences": [3], "part": [0, 57]},
                            {"article": 1, "sentences": [2, 3], "part": null}],
                "kind": "partial", "score": 1.21, "evidence": {..., "parts_in": "english"}}],
     "groups": [{"members": [{"article": 0, "sentences": [3]}, ...], "links": [0, 4]}],
     "glossary_audit": [{"concept", "renderings": {form: [[article, sentence], ...]}}],
     "review": null | {"accepted": [decision], "rejected": [decision], "manual": [decision]}}

    decision = {"sentences": [{"sha256", "start", "end"}, ...], "by": "...", "at": "2026-12-01T12:00:00Z"}

* ``path`` is the article's name as it was given to ``align`` (what viewers
  show); ``relative`` is its path relative to the folder of the result file, so
  a result and its articles can move together; ``absolute`` is where it was
  when the result was written, the fallback.
* Spans (``start``, ``end``) are code-point offsets in the decoded input file.
* ``review`` (absent in results written before it existed: read as null) names
  sentences by their article's sha256 and span, so decisions survive a re-run.

Reading validates every field's type and range: a hand-edited or damaged file
gives one :class:`~aligner.errors.ResultError` line naming the file and the
field, never a traceback.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict
from pathlib import Path

from aligner.errors import ResultError
from aligner.files import write_atomically
from aligner.model import (
    LINK_KINDS,
    SCHEMA_VERSION,
    ArticleResult,
    Dropped,
    Evidence,
    GlossaryHit,
    Link,
    Member,
    REVIEW_VERDICTS,
    Result,
    Review,
    ReviewDecision,
    Sentence,
    SentenceRef,
)

MAX_RESULT_BYTES = 256 * 1024 * 1024
MAX_PATH_CHARS = 4096  # PATH_MAX on Linux: a longer "path" was not written by this tool
GLOSSARY_STATUSES = frozenset({"ok", "post-edited", "violation", "untranslated"})
# signature fields the viewer and the report show, and their shapes
SIGNATURE_TEXTS = ("aligner", "segmentation", "translator")
SIGNATURE_FILES = ("memory", "glossary")  # {"path", "sha256"} or null
SIGNATURE_MODELS = ("embedder", "cross_lingual")  # {"name", "id", "version"} or null


def to_dict(result: Result) -> dict:
    d = asdict(result)
    return {
        "schema_version": d["schema_version"],
        "signature": d["signature"],
        "articles": d["articles"],
        "links": d["links"],
        "groups": [{"members": [{"article": m["article"], "sentences": m["sentences"]} for m in g["members"]], "links": g["links"]}
                   for g in d["groups"]],
        "glossary_audit": d["glossary_audit"],
        "summary": d["summary"],
        "review": d["review"],
    }


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
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def locate_source(result_path: str | Path, article: ArticleResult) -> Path | None:
    """Where an article of a saved result is now: relative to the result, else at its
    absolute path, else (a result written before these were stored) as given."""
    folder = Path(result_path).resolve().parent
    candidates = [folder / article.relative] if article.relative else []
    candidates.append(Path(article.absolute) if article.absolute else Path(article.path))
    return next((p for p in candidates if _is_file(p)), None)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for this system, a NUL byte
        return False


def read_json(path: str | Path) -> Result:
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise ResultError(f"{name}: no such result file")
    if p.stat().st_size > MAX_RESULT_BYTES:
        raise ResultError(f"{name}: over {MAX_RESULT_BYTES // 2**20} MB, not a result this tool wrote")
    try:
        data = json.loads(p.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ResultError(f"{name}: not a UTF-8 JSON file") from None
    except json.JSONDecodeError as e:
        raise ResultError(f"{name}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); truncated?") from None
    except RecursionError:
        raise ResultError(f"{name}: JSON nested too deeply") from None
    except ValueError as e:
        raise ResultError(f"{name}: {e}") from None
    return from_dict(data, name)


def _refuse_constant(token: str):
    raise ValueError(f"{token} is not a valid number")


class _Reader:
    """Typed access to one JSON value, with the field path for error messages."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, what: str):
        raise ResultError(f"{self.name}: {where}: {what}")

    def obj(self, v, where: str) -> dict:
        if not isinstance(v, dict):
            self.fail(where, "expected an object")
        return v

    def list(self, v, where: str) -> list:
        if not isinstance(v, (list, tuple)):  # tuples: a to_dict() value not yet through JSON
            self.fail(where, "expected a list")
        return v

    def str(self, v, where: str, optional: bool = False) -> str | None:
        if v is None and optional:
            return None
        if not isinstance(v, str):
            self.fail(where, "expected a string")
        return v

    def int(self, v, where: str, lo: int = 0, hi: int | None = None) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(where, "expected an integer")
        if v < lo or (hi is not None and v > hi):
            self.fail(where, f"{v} is out of range")
        return v

    def float(self, v, where: str, limit: float = 1e6) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or abs(v) > limit:
            self.fail(where, "expected a finite number")
        return float(v)

    def bool(self, v, where: str) -> bool:
        if not isinstance(v, bool):
            self.fail(where, "expected true or false")
        return v

    def strings(self, v, where: str) -> tuple[str, ...]:
        return tuple(self.str(x, f"{where}[{i}]") for i, x in enumerate(self.list(v, where)))

    def path(self, v, where: str) -> str:
        """A file path: a string without NUL, at most :data:`MAX_PATH_CHARS` long."""
        self.str(v, where)
        if "\x00" in v or len(v) > MAX_PATH_CHARS:
            self.fail(where, "not a file path (a NUL character, or too long)")
        return v


def from_dict(data, name: str = "<result>") -> Result:
    r = _Reader(name)
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ResultError(f"{name}: not an aligner result (no schema_version)")
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ResultError(f"{name}: schema_version must be a positive integer")
    if version > SCHEMA_VERSION:
        raise ResultError(f"{name}: written by a newer aligner (schema {version}; this one reads up to {SCHEMA_VERSION})")
    articles = tuple(_article(r, a, f"articles[{i}]") for i, a in enumerate(r.list(data.get("articles"), "articles")))
    if len(articles) < 2:
        r.fail("articles", f"a result holds at least two articles, found {len(articles)}")
    links = tuple(_link(r, x, f"links[{i}]", articles) for i, x in enumerate(r.list(data.get("links"), "links")))
    r.list(data.get("groups", []), "groups")  # derived from the links; recomputed, not trusted
    signature = _signature(r, data.get("signature", {}))
    audit = r.list(data.get("glossary_audit", []), "glossary_audit")
    for i, entry in enumerate(audit):
        _audit_entry(r, entry, f"glossary_audit[{i}]", articles)
    from aligner.align.groups import group_links

    groups = group_links(links)
    return Result(
        articles=articles, links=links, signature=signature, glossary_audit=tuple(audit), schema_version=version,
        groups=groups, summary=_summary(r, data.get("summary"), articles, len(groups)),
        review=_review(r, data.get("review")),
    )


def _review(r: _Reader, review) -> Review | None:
    """Link decisions; each names sentences of two or more articles (by sha256 and span:
    whether they still exist is for whoever applies them to decide)."""
    if review is None:
        return None
    review = r.obj(review, "review")
    lists = {}
    for verdict in REVIEW_VERDICTS:
        decisions = []
        for i, d in enumerate(r.list(review.get(verdict, []), f"review.{verdict}")):
            where = f"review.{verdict}[{i}]"
            d = r.obj(d, where)
            refs = []
            for k, s in enumerate(r.list(d.get("sentences"), f"{where}.sentences")):
                at = f"{where}.sentences[{k}]"
                s = r.obj(s, at)
                start = r.int(s.get("start"), f"{at}.start")
                refs.append(SentenceRef(r.str(s.get("sha256"), f"{at}.sha256"), start, r.int(s.get("end"), f"{at}.end", lo=start)))
            if len({ref.sha256 for ref in refs}) < 2:
                r.fail(f"{where}.sentences", "a decision names sentences of two or more articles")
            decisions.append(ReviewDecision(tuple(refs), r.str(d.get("by", ""), f"{where}.by"), r.str(d.get("at", ""), f"{where}.at")))
        lists[verdict] = tuple(decisions)
    return Review(**lists)


def _summary(r: _Reader, s, articles, groups: int) -> dict | None:
    """The stored conflicts and central sentences, checked against the articles and groups."""
    if s is None:
        return None
    s = r.obj(s, "summary")
    conflicts = []
    for i, c in enumerate(r.list(s.get("conflicts"), "summary.conflicts")):
        where = f"summary.conflicts[{i}]"
        c = r.obj(c, where)
        group = r.int(c.get("group"), f"{where}.group", hi=groups - 1)
        kind = r.str(c.get("kind"), f"{where}.kind")
        values = [list(r.strings(v, f"{where}.values[{k}]")) for k, v in enumerate(r.list(c.get("values"), f"{where}.values"))]
        conflicts.append({"group": group, "kind": kind, "values": values})
    central = r.list(s.get("central"), "summary.central")
    # derived from the links and sentences, as groups are: recomputed by the summary, not trusted
    found = r.list(s["discrepancies"], "summary.discrepancies") if s.get("discrepancies") is not None else None
    if len(central) != len(articles):
        r.fail("summary.central", f"expected one list per article ({len(articles)})")
    central = [
        [r.int(x, f"summary.central[{a}][{k}]", hi=len(articles[a].sentences) - 1) for k, x in enumerate(r.list(idx, f"summary.central[{a}]"))]
        for a, idx in enumerate(central)
    ]
    return {"conflicts": conflicts, "central": central, **({"discrepancies": found} if found is not None else {})}


def _signature(r: _Reader, sig) -> dict:
    """The signature, its shown fields checked (other fields are kept as they are)."""
    sig = r.obj(sig, "signature")
    for k in SIGNATURE_TEXTS:
        r.str(sig.get(k), f"signature.{k}", optional=True)
    if sig.get("english_sources") is not None:
        r.strings(sig["english_sources"], "signature.english_sources")
    for k in SIGNATURE_FILES:
        if sig.get(k) is not None:
            entry = r.obj(sig[k], f"signature.{k}")
            r.path(entry.get("path"), f"signature.{k}.path")
            r.str(entry.get("sha256"), f"signature.{k}.sha256")
    for k in SIGNATURE_MODELS:
        if sig.get(k) is not None:
            entry = r.obj(sig[k], f"signature.{k}")
            r.str(entry.get("name", ""), f"signature.{k}.name")
            r.str(entry.get("id"), f"signature.{k}.id")
            r.str(entry.get("version"), f"signature.{k}.version")
    if sig.get("cross_lingual_weight") is not None:
        weight = r.float(sig["cross_lingual_weight"], "signature.cross_lingual_weight")
        if not 0.0 <= weight <= 1.0:
            r.fail("signature.cross_lingual_weight", f"{weight} is outside 0..1")
    if sig.get("align") is not None:
        for k, v in r.obj(sig["align"], "signature.align").items():
            if v is not None and not isinstance(v, (str, bool)):
                r.float(v, f"signature.align.{k}")
    return sig


def _audit_entry(r: _Reader, entry, where: str, articles) -> None:
    entry = r.obj(entry, where)
    r.str(entry.get("concept"), f"{where}.concept")
    for form, places in r.obj(entry.get("renderings"), f"{where}.renderings").items():
        for k, place in enumerate(r.list(places, f"{where}.renderings[{form!r}]")):
            at = f"{where}.renderings[{form!r}][{k}]"
            pair = r.list(place, at)
            if len(pair) != 2:
                r.fail(at, "expected [article, sentence]")
            article = r.int(pair[0], f"{at}[0]", hi=len(articles) - 1)
            r.int(pair[1], f"{at}[1]", hi=len(articles[article].sentences) - 1)


def _article(r: _Reader, a, where: str) -> ArticleResult:
    a = r.obj(a, where)
    sentences = tuple(_sentence(r, s, f"{where}.sentences[{i}]", i) for i, s in enumerate(r.list(a.get("sentences"), f"{where}.sentences")))
    if not sentences:
        r.fail(f"{where}.sentences", "an article has at least one sentence")
    dropped = []
    for i, d in enumerate(r.list(a.get("dropped", []), f"{where}.dropped")):
        d = r.obj(d, f"{where}.dropped[{i}]")
        start = r.int(d.get("start"), f"{where}.dropped[{i}].start")
        dropped.append(Dropped(start, r.int(d.get("end"), f"{where}.dropped[{i}].end", lo=start), r.str(d.get("reason"), f"{where}.dropped[{i}].reason")))
    lang = r.str(a.get("lang"), f"{where}.lang")
    if not lang:
        r.fail(f"{where}.lang", "empty language code")
    return ArticleResult(
        path=r.path(a.get("path"), f"{where}.path"),
        lang=lang,
        lang_detected=r.bool(a.get("lang_detected", False), f"{where}.lang_detected"),
        sha256=r.str(a.get("sha256", ""), f"{where}.sha256"),
        dropped=tuple(dropped),
        sentences=sentences,
        relative=r.path(a.get("relative", ""), f"{where}.relative"),
        absolute=r.path(a.get("absolute", ""), f"{where}.absolute"),
    )


def _sentence(r: _Reader, s, where: str, position: int) -> Sentence:
    s = r.obj(s, where)
    index = r.int(s.get("index"), f"{where}.index")
    if index != position:
        r.fail(f"{where}.index", f"is {index}, expected {position}")
    start = r.int(s.get("start"), f"{where}.start")
    hits = []
    for i, g in enumerate(r.list(s.get("glossary", []), f"{where}.glossary")):
        g = r.obj(g, f"{where}.glossary[{i}]")
        status = r.str(g.get("status"), f"{where}.glossary[{i}].status")
        if status not in GLOSSARY_STATUSES:
            r.fail(f"{where}.glossary[{i}].status", f"unknown status {status!r}")
        hits.append(
            GlossaryHit(
                r.str(g.get("concept"), f"{where}.glossary[{i}].concept"),
                r.str(g.get("variant"), f"{where}.glossary[{i}].variant"),
                status,
                r.strings(g.get("changed", []), f"{where}.glossary[{i}].changed"),
            )
        )
    return Sentence(
        index=index,
        start=start,
        end=r.int(s.get("end"), f"{where}.end", lo=start),
        text=r.str(s.get("text"), f"{where}.text"),
        english=r.str(s.get("english"), f"{where}.english", optional=True),
        english_source=r.str(s.get("english_source", "none"), f"{where}.english_source"),
        glossary=tuple(hits),
    )


def _link(r: _Reader, link, where: str, articles) -> Link:
    link = r.obj(link, where)
    members = []
    for i, m in enumerate(r.list(link.get("members"), f"{where}.members")):
        m = r.obj(m, f"{where}.members[{i}]")
        article = r.int(m.get("article"), f"{where}.members[{i}].article", hi=len(articles) - 1)
        count = len(articles[article].sentences)
        sentences = tuple(
            r.int(x, f"{where}.members[{i}].sentences[{k}]", hi=count - 1)
            for k, x in enumerate(r.list(m.get("sentences"), f"{where}.members[{i}].sentences"))
        )
        if not sentences or len(set(sentences)) != len(sentences):
            r.fail(f"{where}.members[{i}].sentences", "expected distinct sentence indices")
        part = m.get("part")
        if part is not None:
            part = tuple(r.int(x, f"{where}.members[{i}].part[{k}]") for k, x in enumerate(r.list(part, f"{where}.members[{i}].part")))
            if len(part) != 2 or part[0] >= part[1]:
                r.fail(f"{where}.members[{i}].part", "expected [start, end] with start < end")
        members.append(Member(article, sentences, part))
    if len(members) < 2 or len({m.article for m in members}) != len(members):
        r.fail(f"{where}.members", "a link joins two or more different articles")
    ev = r.obj(link.get("evidence"), f"{where}.evidence")
    kind = r.str(link.get("kind", "same-fact"), f"{where}.kind")
    if kind not in LINK_KINDS:
        r.fail(f"{where}.kind", f"unknown kind {kind!r} (expected {' or '.join(LINK_KINDS)})")
    parts_in = r.str(ev.get("parts_in", "english"), f"{where}.evidence.parts_in")
    if parts_in not in ("english", "source"):
        r.fail(f"{where}.evidence.parts_in", f"unknown value {parts_in!r}")
    return Link(
        members=tuple(members),
        kind=kind,
        score=r.float(link.get("score"), f"{where}.score"),
        evidence=Evidence(
            space=r.str(ev.get("space", ""), f"{where}.evidence.space"),
            cosine=r.float(ev.get("cosine", 0.0), f"{where}.evidence.cosine"),
            margin=r.float(ev.get("margin", 0.0), f"{where}.evidence.margin"),
            numbers=r.strings(ev.get("numbers", []), f"{where}.evidence.numbers"),
            names=r.strings(ev.get("names", []), f"{where}.evidence.names"),
            terms=r.strings(ev.get("terms", []), f"{where}.evidence.terms"),
            parts_in=parts_in,
            words=r.strings(ev.get("words", []), f"{where}.evidence.words"),
        ),
    )

