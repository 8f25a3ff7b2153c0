"""The result of a run: typed values, and their versioned JSON form.

Public surface: :data:`SCHEMA_VERSION`, :class:`Result` and its parts,
:func:`to_dict`, :func:`from_dict`, :func:`write_json`, :func:`read_json`.

JSON layout (``schema_version`` 1)::

    {"schema_version": 1,
     "signature": {...how the result was made...},
     "articles": [{"path", "lang", "lang_detected", "sha256",
                   "dropped": [{"start", "end", "reason"}],
                   "sentences": [{"index", "start", "end", "text", "english",
                                  "english_source", "glossary": [...]}]}],
     "links": [{"members": [{"article": 0, "sentences": [3]},
                            {"article": 1, "sentences": [2, 3]}],
                "score": 1.21, "evidence": {...}}],
     "glossary_audit": [{"concept", "renderings": {form: [[article, sentence], ...]}}]}

Spans (``start``, ``end``) are code-point offsets in the decoded input file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from aligner.errors import ResultError
from aligner.files import write_atomically
from aligner.glossary import GlossaryHit
from aligner.ingest import Dropped

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    english: str | None
    english_source: str
    glossary: tuple[GlossaryHit, ...] = ()


@dataclass(frozen=True)
class ArticleResult:
    path: str
    lang: str
    lang_detected: bool
    sha256: str
    dropped: tuple[Dropped, ...]
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Member:
    article: int
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class Evidence:
    space: str  # "english", "multilingual" or "english+multilingual"
    cosine: float
    margin: float
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    members: tuple[Member, ...]
    score: float
    evidence: Evidence


@dataclass(frozen=True)
class Result:
    articles: tuple[ArticleResult, ...]
    links: tuple[Link, ...]
    signature: dict = field(default_factory=dict)
    glossary_audit: tuple[dict, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def linked(self) -> list[set[int]]:
        """Per article, the indices of its sentences that take part in a link."""
        out = [set() for _ in self.articles]
        for link in self.links:
            for m in link.members:
                out[m.article].update(m.sentences)
        return out


def to_dict(result: Result) -> dict:
    d = asdict(result)
    return {
        "schema_version": d["schema_version"],
        "signature": d["signature"],
        "articles": d["articles"],
        "links": d["links"],
        "glossary_audit": d["glossary_audit"],
    }


def write_json(result: Result, path: str | Path) -> None:
    """Write atomically: a temporary file beside the target, then rename."""
    target = Path(path)
    text = json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"
    atomic_write(target, text)


def atomic_write(target: Path, text: str) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ResultError(f"{target}: directory {directory} does not exist")
    write_atomically(target, text.encode("utf-8"))


def read_json(path: str | Path) -> Result:
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise ResultError(f"{name}: no such result file")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ResultError(f"{name}: not a UTF-8 JSON file") from None
    except json.JSONDecodeError as e:
        raise ResultError(f"{name}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); truncated?") from None
    return from_dict(data, name)


def from_dict(data, name: str = "<result>") -> Result:
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ResultError(f"{name}: not an aligner result (no schema_version)")
    version = data["schema_version"]
    if not isinstance(version, int):
        raise ResultError(f"{name}: schema_version must be an integer")
    if version > SCHEMA_VERSION:
        raise ResultError(f"{name}: written by a newer aligner (schema {version}; this one reads up to {SCHEMA_VERSION})")
    try:
        articles = tuple(
            ArticleResult(
                path=a["path"],
                lang=a["lang"],
                lang_detected=bool(a.get("lang_detected", False)),
                sha256=a.get("sha256", ""),
                dropped=tuple(Dropped(d["start"], d["end"], d["reason"]) for d in a.get("dropped", [])),
                sentences=tuple(
                    Sentence(
                        index=s["index"],
                        start=s["start"],
                        end=s["end"],
                        text=s["text"],
                        english=s.get("english"),
                        english_source=s.get("english_source", "none"),
                        glossary=tuple(
                            GlossaryHit(g["concept"], g["variant"], g["status"], tuple(g.get("changed", ())))
                            for g in s.get("glossary", [])
                        ),
                    )
                    for s in a["sentences"]
                ),
            )
            for a in data["articles"]
        )
        links = tuple(
            Link(
                members=tuple(Member(m["article"], tuple(m["sentences"])) for m in link["members"]),
                score=float(link["score"]),
                evidence=Evidence(
                    space=link["evidence"].get("space", ""),
                    cosine=float(link["evidence"].get("cosine", 0.0)),
                    margin=float(link["evidence"].get("margin", 0.0)),
                    numbers=tuple(link["evidence"].get("numbers", ())),
                    names=tuple(link["evidence"].get("names", ())),
                    terms=tuple(link["evidence"].get("terms", ())),
                ),
            )
            for link in data["links"]
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ResultError(f"{name}: malformed result ({type(e).__name__}: {e})") from None
    for link in links:
        for m in link.members:
            if not (0 <= m.article < len(articles)) or any(
                not (0 <= s < len(articles[m.article].sentences)) for s in m.sentences
            ):
                raise ResultError(f"{name}: a link points at a sentence that does not exist (article {m.article}, {list(m.sentences)})")
    return Result(
        articles=articles,
        links=links,
        signature=dict(data.get("signature", {})),
        glossary_audit=tuple(data.get("glossary_audit", ())),
        schema_version=version,
    )
