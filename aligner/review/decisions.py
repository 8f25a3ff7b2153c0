"""Link decisions of a reviewer, kept in the result; pure functions on :class:`~aligner.model.Result`.

Public surface: :func:`refs_of`, :func:`decide`, :func:`decide_refs`, :func:`add_manual`,
:func:`undo`, :func:`status`, :func:`apply_review`, :func:`review_marks`,
:func:`carry_decisions`, :func:`reapply_glossary`, :func:`save`, :data:`MANUAL_SPACE`.

A decision names the sentences of a link by their article's sha256 and span
(:class:`~aligner.model.SentenceRef`), so it survives a re-run.  The links a
result holds are what the aligner made; :func:`apply_review` gives the result
a reader sees: rejected pairs left out, manual links added.  A pair of
sentences is rejected when one rejected decision names both; the last decision
on a link wins (accepting a rejected link moves it from one list to the other).

No Textual, no models: the review app, ``view``, ``report`` and
``align --decisions`` all call these.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path

from aligner.errors import InputError
from aligner.model import AuditEntry, Evidence, FileStamp, Link, Member, Result, Review, ReviewDecision, SentenceRef

MANUAL_SPACE = "manual"  # Evidence.space of a link a reviewer added (no embedding score)
Verdict = str  # "accepted" | "rejected" | "manual"


def now() -> str:
    """The time of a decision: ISO 8601, UTC, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sentence_ref(result: Result, article: int, sentence: int) -> SentenceRef:
    s = result.articles[article].sentences[sentence]
    return SentenceRef(result.articles[article].sha256, s.start, s.end)


def refs_of(result: Result, link: Link) -> tuple[SentenceRef, ...]:
    """Every sentence of ``link``, as references, in member order."""
    return tuple(sentence_ref(result, m.article, i) for m in link.members for i in m.sentences)


def _review(result: Result) -> Review:
    return result.review or Review()


def _without(review: Review, key: frozenset) -> Review:
    return Review(*(tuple(d for d in getattr(review, v) if d.key() != key) for v in ("accepted", "rejected", "manual")))


def decide_refs(result: Result, refs: tuple[SentenceRef, ...], verdict: Verdict, by: str = "", at: str | None = None) -> Result:
    """``result`` with the decision ``verdict`` on the sentences ``refs``, replacing any earlier one on them."""
    if verdict not in ("accepted", "rejected", "manual"):
        raise InputError(f"{verdict!r} is not a review verdict (accepted, rejected or manual)")
    if len({r.sha256 for r in refs}) < 2:
        raise InputError("a link decision names sentences of two or more articles")
    decision = ReviewDecision(tuple(refs), by, at if at is not None else now())
    review = _without(_review(result), decision.key())
    review = replace(review, **{verdict: getattr(review, verdict) + (decision,)})
    return replace(result, review=review)


def decide(result: Result, link: Link | int, verdict: Verdict, by: str = "", at: str | None = None) -> Result:
    """Accept or reject one of the result's links (an index into ``result.links``, or the link)."""
    if isinstance(link, int):
        link = result.links[link]
    return decide_refs(result, refs_of(result, link), verdict, by, at)


def add_manual(result: Result, a: tuple[int, int], b: tuple[int, int], by: str = "", at: str | None = None) -> Result:
    """Link sentence ``a`` = (article, sentence) to sentence ``b`` of another article."""
    if a[0] == b[0]:
        raise InputError("a link joins sentences of two different articles")
    return decide_refs(result, (sentence_ref(result, *a), sentence_ref(result, *b)), "manual", by, at)


def undo(result: Result, before: Review | None) -> Result:
    """``result`` with the review it had before the last decision (the caller keeps that history)."""
    return replace(result, review=before)


def forget(result: Result, refs: tuple[SentenceRef, ...]) -> Result:
    """``result`` with no decision on the sentences ``refs``."""
    return replace(result, review=_without(_review(result), frozenset(refs)))


def status(result: Result, link: Link | int) -> Verdict | None:
    """``"accepted"``, ``"rejected"``, ``"manual"`` (a link a reviewer added) or None (not reviewed)."""
    if isinstance(link, int):
        link = result.links[link]
    if result.review is None:
        return None
    key = frozenset(refs_of(result, link))
    for verdict in ("manual", "rejected", "accepted"):
        if any(d.key() == key for d in getattr(result.review, verdict)):
            return verdict
    if _rejected_pairs(result.review) & _pairs(refs_of(result, link)):
        return "rejected"
    return None


def _pairs(refs) -> set[frozenset]:
    return {frozenset((x, y)) for x, y in combinations(refs, 2) if x.sha256 != y.sha256}


def _rejected_pairs(review: Review) -> set[frozenset]:
    return {p for d in review.rejected for p in _pairs(d.sentences)}


def _locate(result: Result) -> dict[SentenceRef, tuple[int, int]]:
    return {sentence_ref(result, a, s.index): (a, s.index) for a, art in enumerate(result.articles) for s in art.sentences}


def _regroup(result: Result, links: tuple[Link, ...]) -> Result:
    from aligner.align.groups import group_links
    from aligner.summary import summary_record

    changed = replace(result, links=links, groups=group_links(links), summary=None)
    return replace(changed, summary=summary_record(changed))


def _manual_link(result: Result, places: list[tuple[int, int]], old: Link | None = None) -> Link:
    """A link between ``places`` (article, sentence); lexical evidence recomputed from the sentences.

    Without the embeddings no margin can be computed: the score is the old
    link's when there was one (an accepted link the aligner no longer makes),
    else 0, and the evidence's space is :data:`MANUAL_SPACE`.
    """
    from aligner.align.lexical import WordOverlap
    from aligner.facts import names, numbers

    by_article: dict[int, list[int]] = {}
    for a, s in places:
        by_article.setdefault(a, []).append(s)
    members = tuple(Member(a, tuple(sorted(ss))) for a, ss in sorted(by_article.items()))
    sides = [[result.articles[m.article].sentences[i] for i in m.sentences] for m in members]
    langs = [result.articles[m.article].lang for m in members]
    nums = [[n for s in side for n in numbers(s.text, lang)] for side, lang in zip(sides, langs)]
    shared_nums = tuple(dict.fromkeys(n for n in nums[0] if all(n in other for other in nums[1:])))
    english = [" ".join(s.english or "" for s in side) for side in sides]
    shared_names = frozenset.intersection(*(names(e) for e in english))
    terms = set.intersection(*({h.concept for s in side for h in s.glossary} for side in sides))
    first, second = members[0], members[1]
    overlap = WordOverlap([s.english for s in result.articles[first.article].sentences],
                          [s.english for s in result.articles[second.article].sentences])
    evidence = Evidence(
        space=old.evidence.space if old else MANUAL_SPACE,
        cosine=old.evidence.cosine if old else 0.0,
        similarity=old.evidence.similarity if old else 0.0,
        numbers=shared_nums,
        names=tuple(sorted(shared_names)),
        terms=tuple(sorted(terms)),
        parts_in="english",
        words=overlap.shared(first.sentences, second.sentences)[:6],
    )
    return Link(members=members, score=old.score if old else 0.0, evidence=evidence, kind="same-fact")


def _applied_links(result: Result, keep_rejected: bool, old_links: dict | None = None) -> tuple[Link, ...]:
    review = _review(result)
    rejected = _rejected_pairs(review)
    links = [l for l in result.links if keep_rejected or not (_pairs(refs_of(result, l)) & rejected)]
    have = {frozenset(refs_of(result, l)) for l in links}
    where = _locate(result)
    for decision in (*review.manual, *review.accepted):
        key = decision.key()
        if key in have or any(ref not in where for ref in decision.sentences):
            continue
        if not keep_rejected and _pairs(decision.sentences) & rejected:
            continue
        links.append(_manual_link(result, [where[ref] for ref in decision.sentences], (old_links or {}).get(key)))
        have.add(key)
    return tuple(links)


def apply_review(result: Result, keep_rejected: bool = False) -> Result:
    """The result a reader sees: rejected pairs left out (unless ``keep_rejected``), manual links added.

    Groups and the stored summary are recomputed when the links change; a
    result without a review is returned as it is.
    """
    if result.review is None:
        return result
    links = _applied_links(result, keep_rejected)
    if links == result.links:
        return result
    return _regroup(result, links)


def review_marks(result: Result) -> dict[int, Verdict]:
    """For the viewer and the report: index of each reviewed link of ``result`` -> its verdict
    (as :func:`status`, for every link at once: linear in links and decisions)."""
    if result.review is None:
        return {}
    verdicts: dict[frozenset, Verdict] = {}
    for verdict in ("accepted", "rejected", "manual"):  # one decision per key; manual wins as in status()
        for d in getattr(result.review, verdict):
            verdicts[d.key()] = verdict
    rejected = _rejected_pairs(result.review)
    out = {}
    for n, link in enumerate(result.links):
        refs = refs_of(result, link)
        verdict = verdicts.get(frozenset(refs))
        if verdict is None and rejected and _pairs(refs) & rejected:
            verdict = "rejected"
        if verdict is not None:
            out[n] = verdict
    return out


def _describe(result: Result, verdict: str, decision: ReviewDecision, where) -> str:
    paths = {a.sha256: a.path for a in result.articles}
    missing = [r for r in decision.sentences if r not in where]
    named = ", ".join(f"{paths.get(r.sha256, 'an article no longer aligned (sha256 ' + r.sha256[:12] + ')')} "
                      f"characters {r.start}-{r.end}" for r in missing)
    return f"{verdict} link not applied: {named} is no longer a sentence"


def carry_decisions(new: Result, old: Review | Result | None, old_result: Result | None = None) -> tuple[Result, list[str]]:
    """Apply the decisions of an earlier result to a new run of the same articles (``align --decisions``).

    A rejected pair is never linked; a manual link is kept (lexical evidence
    recomputed); an accepted link stays even when the new run scores it below
    the threshold (with the old score when ``old`` is the old result).
    Decisions naming a sentence the new run no longer has are returned as one
    line each (``stale``) and not kept.
    """
    if isinstance(old, Result):
        old_result, old = old, old.review
    if old is None:
        return new, []
    where = _locate(new)
    stale, kept = [], {}
    for verdict in ("accepted", "rejected", "manual"):
        ok = []
        for d in getattr(old, verdict):
            if all(r in where for r in d.sentences):
                ok.append(d)
            else:
                stale.append(_describe(new, verdict, d, where))
        kept[verdict] = tuple(ok)
    merged = Review(**kept)
    if new.review is not None:  # decisions the new result already holds come first; the old ones win
        for verdict in ("accepted", "rejected", "manual"):
            for d in getattr(merged, verdict):
                new = decide_refs(new, d.sentences, verdict, d.by, d.at)
        reviewed = new
    else:
        reviewed = replace(new, review=merged)
    old_links = {}
    if old_result is not None:
        old_links = {frozenset(refs_of(old_result, l)): l for l in old_result.links}
    links = _applied_links(reviewed, keep_rejected=False, old_links=old_links)
    if links != reviewed.links:
        reviewed = _regroup(reviewed, links)
    return reviewed, stale


def reapply_glossary(result: Result, glossary) -> Result:
    """Check every sentence's English against ``glossary`` again: machine English post-edited,
    hits, the audit and each link's shared terms recomputed.  No re-translation, no re-embedding."""
    from aligner.glossary.enforce import Matcher, apply, audit
    from aligner.translate.english import is_machine_translation

    matcher = Matcher.from_glossary(glossary)
    articles = []
    for art in result.articles:
        sentences = []
        for s in art.sentences:
            english, hits = apply(matcher, art.lang, s.text, s.english, rewrite=is_machine_translation(s.english_source))
            sentences.append(replace(s, english=english, glossary=hits) if (english, hits) != (s.english, s.glossary) else s)
        articles.append(replace(art, sentences=tuple(sentences)))
    links = []
    for link in result.links:
        sides = [{h.concept for i in m.sentences for h in articles[m.article].sentences[i].glossary} for m in link.members]
        terms = tuple(sorted(set.intersection(*sides)))
        links.append(link if terms == link.evidence.terms else replace(link, evidence=replace(link.evidence, terms=terms)))
    new_audit = audit(matcher, [(a, s.index, s.english, s.glossary) for a, art in enumerate(articles) for s in art.sentences])
    signature = result.signature
    if glossary.path:
        signature = replace(signature, glossary=_saved_glossary(glossary))
    changed = replace(result, articles=tuple(articles), links=tuple(links), glossary_audit=tuple(AuditEntry.from_dict(e) for e in new_audit), signature=signature)
    if result.summary is None:
        return changed
    from aligner.summary import summary_record

    return replace(changed, summary=summary_record(changed))  # conflicts are read from the English


def _saved_glossary(glossary) -> FileStamp:
    """The glossary as it is on disk after the review saved it: the sha256 of the file's bytes, as
    ``align`` records it (a re-serialisation can differ from the file: a header written another
    way, a missing last newline, mixed line endings); the serialisation's when it cannot be read."""
    import hashlib

    try:
        data = Path(glossary.path).read_bytes()
    except (OSError, ValueError):
        return FileStamp(str(glossary.path), glossary.sha256())
    return FileStamp(str(glossary.path), hashlib.sha256(data).hexdigest())


def save(result: Result, path: str | Path) -> None:
    """Write ``result`` (decisions included) atomically to ``path``."""
    from aligner.result import write_json

    write_json(result, path)


def read_reviewed(path: str | Path) -> tuple[Result, str]:
    """A reviewed result read from ``path`` and the SHA-256 of the bytes it was read from
    (one read, so the hash names exactly the decisions used).  :class:`ResultError` otherwise."""
    import hashlib

    from aligner.errors import ResultError
    from aligner.files import parse_json
    from aligner.result import MAX_RESULT_BYTES, from_dict

    path = Path(path)
    try:
        if not path.is_file():
            raise ResultError(f"{path}: not a reviewed result (not a regular file)")
        if path.stat().st_size > MAX_RESULT_BYTES:
            raise ResultError(f"{path}: over {MAX_RESULT_BYTES // 2**20} MB, not a result this tool wrote")
        data = path.read_bytes()
    except OSError as e:
        raise ResultError(f"{path}: cannot read ({e.strerror or e})") from None
    return from_dict(parse_json(data, ResultError, str(path)), str(path)), hashlib.sha256(data).hexdigest()


def carry_reviewed(result: Result, old: Result, path: str | Path, sha256: str) -> tuple[Result, list[str]]:
    """:func:`carry_decisions`, with the decisions file recorded in the signature
    (``"decisions": {"path", "sha256"}``), as everything that moves a result is."""
    carried, stale = carry_decisions(result, old)
    return replace(carried, signature=replace(carried.signature, decisions=FileStamp(str(path), sha256))), stale
