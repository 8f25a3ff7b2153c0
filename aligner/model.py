"""The values that travel between stages, and the result a run produces.

Public surface: :data:`SCHEMA_VERSION`, the kinds (:data:`LinkKind`, :data:`GlossaryStatus`,
:data:`EmbeddingSpace`, :data:`PartsIn`), :class:`Article`, :class:`Dropped`, :class:`GlossaryHit`,
:class:`Sentence`, :class:`ArticleResult`, :class:`Member`, :class:`Evidence`,
:class:`Link`, :class:`Group`, :class:`SentenceRef`, :class:`ReviewDecision`, :class:`Review`,
what names a run (:class:`Signature`, :class:`FileStamp`, :class:`EmbedderStamp`, :class:`ModelStamp`),
:class:`AuditEntry`, :class:`SummaryRecord` (:class:`StoredConflict`), :class:`Result`, and the
discrepancies between linked sentences (:data:`Severity`, :data:`DiscrepancyKind`, :class:`Figure`,
:class:`Difference`, :class:`Discrepancy`).

This module imports no stage: every stage imports it.  The JSON form of a
:class:`Result` lives in :mod:`aligner.result` (which checks a file's values and builds these).

Over 400 lines because it is the one module of the values that cross stages (what every
stage imports); split, the types of one result would be scattered over several modules.
"""

from __future__ import annotations

import bisect
from abc import abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Literal

# 2: links have a kind and matched parts; groups (one per fact across N articles)
SCHEMA_VERSION = 2
LinkKind = Literal["same-fact", "partial"]
LINK_KINDS: tuple[LinkKind, ...] = ("same-fact", "partial")
GlossaryStatus = Literal["ok", "post-edited", "violation", "untranslated"]
EmbeddingSpace = Literal["english", "multilingual", "english+multilingual"]
PartsIn = Literal["english", "source"]
ReviewVerdict = Literal["accepted", "rejected", "manual"]
REVIEW_VERDICTS: tuple[ReviewVerdict, ...] = ("accepted", "rejected", "manual")


@dataclass(frozen=True)
class Dropped:
    """A span of the decoded file that is not part of the article."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Article:
    """One decoded, normalised article."""

    path: str
    lang: str
    text: str  # NFC, hard-wrapped lines joined (HTML: the extracted text); boilerplate still present (spans in ``dropped``)
    dropped: tuple[Dropped, ...]
    lang_detected: bool
    sha256: str
    # offsets[i] = offset in the decoded file of text[i]; one extra entry for len(text)
    offsets: tuple[int, ...] = field(repr=False, compare=False, default=())

    def original_offset(self, i: int) -> int:
        return self.offsets[i] if self.offsets else i

    def kept_ranges(self) -> list[tuple[int, int]]:
        """Ranges of ``text`` (NFC offsets) that are article body."""
        dropped = sorted((self._nfc_offset(d.start), self._nfc_offset(d.end)) for d in self.dropped)
        ranges, pos = [], 0
        for s, e in dropped:
            if s > pos:
                ranges.append((pos, s))
            pos = max(pos, e)
        if pos < len(self.text):
            ranges.append((pos, len(self.text)))
        return ranges

    def _nfc_offset(self, original: int) -> int:
        if not self.offsets:
            return original
        return bisect.bisect_left(self.offsets, original)


@dataclass(frozen=True)
class GlossaryHit:
    """One concept found in one source sentence, and what happened to its English."""

    concept: str  # canonical English term
    variant: str  # the source text that matched
    status: GlossaryStatus
    changed: tuple[str, ...] = ()  # "avoided -> canonical" edits made


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # code-point offsets in the decoded input file
    end: int
    text: str
    english: str | None
    # "original" (an English article), "memory", "argos:<package>@<version>", "ct2:<model>@<hash>" or "none"
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
    # where the file is, as written in a saved result: relative to the result's folder, and absolute
    relative: str = ""
    absolute: str = ""


@dataclass(frozen=True)
class Member:
    article: int
    sentences: tuple[int, ...]
    # the part of the (single) sentence that matched, as (start, end) in its English or
    # source text (``Evidence.parts_in``); None: the whole sentence
    part: tuple[int, int] | None = None


@dataclass(frozen=True)
class Evidence:
    space: EmbeddingSpace  # the embedding space(s) the score came from
    cosine: float
    # the pair's score from its vectors alone: the better of the whole-sentence margin and the
    # best part's margin less part_penalty, before number and word evidence (JSON: "margin")
    similarity: float
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    parts_in: PartsIn = "english"  # the text that Member.part spans index
    words: tuple[str, ...] = ()  # shared content words of the English (as written), rarest first


@dataclass(frozen=True)
class Link:
    """Sentences of two articles that state the same fact (``same-fact``), or where
    one states part of the other's facts (``partial``)."""

    members: tuple[Member, ...]
    score: float
    evidence: Evidence
    kind: LinkKind = "same-fact"


@dataclass(frozen=True)
class Group:
    """One fact across N articles: every sentence joined by links, per article, and the links."""

    members: tuple[Member, ...]
    links: tuple[int, ...]  # indices into Result.links


@dataclass(frozen=True)
class SentenceRef:
    """A sentence named so that it survives a re-run: its article's sha256 and its span
    (code-point offsets in the decoded input file, as :attr:`Sentence.start`/``end``)."""

    sha256: str
    start: int
    end: int


@dataclass(frozen=True)
class ReviewDecision:
    """A reviewer's decision on one link: the sentences it joins (two or more articles), who, when."""

    sentences: tuple[SentenceRef, ...]
    by: str = ""
    at: str = ""  # ISO 8601, UTC

    def key(self) -> frozenset[SentenceRef]:
        """What the decision is about, independent of order, reviewer and time."""
        return frozenset(self.sentences)


@dataclass(frozen=True)
class Review:
    """Link decisions kept in a result: ``accepted`` and ``rejected`` links the aligner made,
    ``manual`` links a reviewer added."""

    accepted: tuple[ReviewDecision, ...] = ()
    rejected: tuple[ReviewDecision, ...] = ()
    manual: tuple[ReviewDecision, ...] = ()


@dataclass(frozen=True)
class FileStamp:
    """A file a run read, named by its path and the SHA-256 of the bytes read.

    JSON: ``{"path", "sha256"}``, and ``"found_in"`` only when set: where a glossary nobody
    named was found (``current folder``, ``user config folder``; see ``AlignConfig.glossary_found_in``).
    """

    path: str
    sha256: str
    found_in: str | None = None

    def to_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, **({} if self.found_in is None else {"found_in": self.found_in})}

    @classmethod
    def from_dict(cls, d: Mapping) -> FileStamp:
        return cls(d["path"], d["sha256"], d.get("found_in"))


@dataclass(frozen=True)
class EmbedderStamp:
    """An embedder a run used: its short name, model id and version string (library and model versions)."""

    name: str
    id: str
    version: str

    def to_dict(self) -> dict:
        return {"name": self.name, "id": self.id, "version": self.version}

    @classmethod
    def from_dict(cls, d: Mapping) -> EmbedderStamp:
        return cls(d.get("name", ""), d["id"], d["version"])


@dataclass(frozen=True)
class ModelStamp:
    """A translation model installed when a run was made (``aligner.translate.installed.models_signature``):
    name, kind, languages, version and a hash of its files' names, sizes and times."""

    name: str
    kind: str
    langs: tuple[str, ...]
    version: str
    hash: str

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "langs": list(self.langs), "version": self.version, "hash": self.hash}

    @classmethod
    def from_dict(cls, d: Mapping) -> ModelStamp:
        return cls(d.get("name", ""), d.get("kind", ""), tuple(d.get("langs", ())), d.get("version", ""), d.get("hash", ""))


def _stamp(value, kind):
    return None if value is None else kind.from_dict(value)


class _JsonView(Mapping):
    """A read-only mapping of :meth:`to_dict`: how code written when these values were dicts reads them."""

    @abstractmethod
    def to_dict(self) -> dict: ...

    def __getitem__(self, key: str):
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())


@dataclass(frozen=True)
class Signature(_JsonView):
    """Everything that moves the scores of a result, stored beside them (built by
    :func:`aligner.signature.signature`; ``aligner batch`` compares it to skip a finished story).

    JSON (:meth:`to_dict`), keys in this order: ``aligner``, ``segmentation``, ``translator``,
    ``protect_terms``, ``english_sources``, ``memory``, ``glossary``, ``models``, ``embedder``,
    ``cross_lingual``, the ``extra`` keys, ``cross_lingual_weight``, ``align`` and ``decisions``.
    A field that is None is written as null, but ``decisions`` (the decisions file carried into the
    run, ``aligner batch --reviewed``) is left out when None.  Reading an older result, a missing
    key reads as None.  ``extra``: every key this version does not name (other information about
    the embedders, a newer aligner's or a hand-edited field), kept as it was and written back.
    ``align``: the linking parameters (``AlignParams`` fields) as JSON values.

    It is also a read-only mapping of that JSON (``sig["glossary"]["path"]``), for code written
    when the signature was a dict; new code reads the attributes.
    """

    aligner: str | None = None
    segmentation: str | None = None
    translator: str | None = None
    protect_terms: bool | None = None
    english_sources: tuple[str, ...] | None = None  # the English sources the sentences used, sorted
    memory: FileStamp | None = None
    glossary: FileStamp | None = None
    models: tuple[ModelStamp, ...] | None = None  # None: the translator uses no installed model
    embedder: EmbedderStamp | None = None  # the English-space embedder, None when not used
    cross_lingual: EmbedderStamp | None = None
    cross_lingual_weight: float | None = None
    align: dict | None = None
    decisions: FileStamp | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        def plain(value):
            return None if value is None else value.to_dict()

        out = {
            "aligner": self.aligner,
            "segmentation": self.segmentation,
            "translator": self.translator,
            "protect_terms": self.protect_terms,
            "english_sources": None if self.english_sources is None else list(self.english_sources),
            "memory": plain(self.memory),
            "glossary": plain(self.glossary),
            "models": None if self.models is None else [m.to_dict() for m in self.models],
            "embedder": plain(self.embedder),
            "cross_lingual": plain(self.cross_lingual),
            **self.extra,
            "cross_lingual_weight": self.cross_lingual_weight,
            "align": None if self.align is None else dict(self.align),
        }
        if self.decisions is not None:
            out["decisions"] = self.decisions.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: Mapping) -> Signature:
        """From the JSON form (already checked: :mod:`aligner.result` reads a file's)."""
        sources, models, align = d.get("english_sources"), d.get("models"), d.get("align")
        return cls(
            aligner=d.get("aligner"),
            segmentation=d.get("segmentation"),
            translator=d.get("translator"),
            protect_terms=d.get("protect_terms"),
            english_sources=None if sources is None else tuple(sources),
            memory=_stamp(d.get("memory"), FileStamp),
            glossary=_stamp(d.get("glossary"), FileStamp),
            models=None if models is None else tuple(ModelStamp.from_dict(m) for m in models),
            embedder=_stamp(d.get("embedder"), EmbedderStamp),
            cross_lingual=_stamp(d.get("cross_lingual"), EmbedderStamp),
            cross_lingual_weight=d.get("cross_lingual_weight"),
            align=None if align is None else dict(align),
            decisions=_stamp(d.get("decisions"), FileStamp),
            extra={k: v for k, v in d.items() if k not in SIGNATURE_KEYS},
        )

SIGNATURE_KEYS = frozenset(f.name for f in fields(Signature)) - {"extra"}


@dataclass(frozen=True)
class AuditEntry:
    """A glossary concept whose English is rendered in more than one way across the articles
    (``aligner.glossary.audit``): per rendering (the canonical term, an avoided form, or
    ``(missing)``), the (article, sentence index) pairs that use it.

    JSON: ``{"concept", "renderings": {rendering: [[article, sentence], ...]}}``.
    """

    concept: str
    renderings: dict[str, tuple[tuple[int, int], ...]]

    def to_dict(self) -> dict:
        return {"concept": self.concept, "renderings": {form: [list(p) for p in places] for form, places in self.renderings.items()}}

    @classmethod
    def from_dict(cls, d: Mapping) -> AuditEntry:
        return cls(d["concept"], {form: tuple((a, s) for a, s in places) for form, places in d["renderings"].items()})


@dataclass(frozen=True)
class StoredConflict:
    """A conflict as a stored summary names it (as older aligners read it): a group, a kind, and
    per side the values as written."""

    group: int  # index into Result.groups
    kind: str
    values: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SummaryRecord(_JsonView):
    """What ``align`` stores of the summary (``aligner.summary.summary_record``), so viewers need not
    recompute it: per article the indices of its central sentences, the conflicts by group, and the
    discrepancies (one per sentence pair; derived from the links and sentences, so ``summarise``
    recomputes them: these are for readers of the JSON; None in older results).

    JSON: ``{"discrepancies": [...], "conflicts": [{"group", "kind", "values"}], "central": [[index, ...]]}``,
    ``discrepancies`` left out when None.
    """

    conflicts: tuple[StoredConflict, ...]
    central: tuple[tuple[int, ...], ...]
    discrepancies: tuple[Discrepancy, ...] | None = None

    def to_dict(self) -> dict:
        return {
            **({} if self.discrepancies is None else {"discrepancies": [d.to_dict() for d in self.discrepancies]}),
            "conflicts": [{"group": c.group, "kind": c.kind, "values": [list(v) for v in c.values]} for c in self.conflicts],
            "central": [list(c) for c in self.central],
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> SummaryRecord:
        found = d.get("discrepancies")
        return cls(
            conflicts=tuple(StoredConflict(c["group"], c["kind"], tuple(tuple(v) for v in c["values"])) for c in d["conflicts"]),
            central=tuple(tuple(c) for c in d["central"]),
            discrepancies=None if found is None else tuple(Discrepancy.from_dict(x) for x in found),
        )


@dataclass(frozen=True)
class Result:
    articles: tuple[ArticleResult, ...]
    links: tuple[Link, ...]
    signature: Signature = field(default_factory=Signature)
    glossary_audit: tuple[AuditEntry, ...] = ()
    schema_version: int = SCHEMA_VERSION
    groups: tuple[Group, ...] = ()
    # conflicts and central sentences as computed by ``align`` (aligner.summary.summary_record),
    # so viewers need not recompute them; None: compute on demand
    summary: SummaryRecord | None = None
    # link decisions from ``aligner review``; None: never reviewed
    review: Review | None = None

    def __post_init__(self):
        # a signature or summary given as its JSON dict (code written before they were typed) is read into its type
        if not isinstance(self.signature, Signature):
            object.__setattr__(self, "signature", Signature.from_dict(self.signature))
        if self.summary is not None and not isinstance(self.summary, SummaryRecord):
            object.__setattr__(self, "summary", SummaryRecord.from_dict(self.summary))

    def linked(self) -> list[set[int]]:
        """Per article, the indices of its sentences that take part in a link."""
        out = [set() for _ in self.articles]
        for link in self.links:
            for m in link.members:
                out[m.article].update(m.sentences)
        return out


Severity = Literal["hard", "soft"]
SEVERITIES: tuple[Severity, ...] = ("hard", "soft")
DiscrepancyKind = Literal["number", "quantity", "time", "source"]
DISCREPANCY_KINDS: tuple[DiscrepancyKind, ...] = ("number", "quantity", "time", "source")


@dataclass(frozen=True)
class Figure:
    """What one side of a discrepancy states: the value as written and where, in one sentence."""

    article: int
    sentence: int  # its index in the article
    value: str  # as written: "about 500", "63"
    start: int  # the span of ``value`` in the sentence's English or source text (``span_in``)
    end: int
    span_in: PartsIn = "english"


@dataclass(frozen=True)
class Difference:
    """One way two sentences disagree: ``number`` (hard: the same counted thing, another value),
    ``quantity`` (soft: compatible values, different qualifiers), ``time`` (exclusive dates) or
    ``source`` (soft: different named sources)."""

    kind: DiscrepancyKind
    severity: Severity
    sides: tuple[Figure, Figure]


@dataclass(frozen=True)
class Discrepancy:
    """One pair of linked sentences (of one shared fact, ``group``) and every way they disagree."""

    group: int  # index into Result.groups
    members: tuple[Member, Member]  # the sentences of each article
    differences: tuple[Difference, ...]

    @property
    def severity(self) -> Severity:
        return "hard" if any(d.severity == "hard" for d in self.differences) else "soft"

    def to_dict(self) -> dict:
        """JSON: group, members (article, sentences), severity, differences (kind, severity, sides)."""
        return {
            "group": self.group,
            "members": [{"article": m.article, "sentences": list(m.sentences)} for m in self.members],
            "severity": self.severity,
            "differences": [
                {"kind": x.kind, "severity": x.severity, "sides": [
                    {"article": f.article, "sentence": f.sentence, "value": f.value, "start": f.start,
                     "end": f.end, "span_in": f.span_in} for f in x.sides]}
                for x in self.differences
            ],
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> Discrepancy:
        return cls(
            d["group"],
            tuple(Member(m["article"], tuple(m["sentences"])) for m in d["members"]),  # type: ignore[arg-type]
            tuple(Difference(x["kind"], x["severity"], tuple(Figure(**f) for f in x["sides"]))  # type: ignore[arg-type]
                  for x in d["differences"]),
        )
