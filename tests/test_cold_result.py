"""Issue 23, Build 4 (a fully cached align in 1 s of CPU): what was made faster writes exactly
what it wrote before.

* ``result.to_dict`` builds articles, links and the review field by field: it gives what
  ``dataclasses.asdict`` gives, for every field of every dataclass they hold;
* the clause units of every NTREX dev sentence are the ones the per-token code made.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from aligner.clauses import attribution_clauses, split_clauses
from aligner.data import ntrex_dir
from aligner.model import (ArticleResult, Dropped, Evidence, GlossaryHit, Link, Member, Result,
                           Review, ReviewDecision, Sentence, SentenceRef)
from aligner.pipeline import units
from aligner.result import from_dict, json_text, to_dict

# Every field set to a value other than its default, so a field the fast path forgot shows.
HIT = GlossaryHit("no-first-use", "không sử dụng trước", "post-edited",
                  ("first use -> no-first-use",))
SENTENCES = (
    Sentence(0, 0, 12, "Câu thứ nhất.", "The first sentence.", "memory", (HIT,)),
    Sentence(1, 13, 30, "Câu thứ hai, dài.", None, "none"),
)
ARTICLES = (
    ArticleResult("vi.txt", "vi", True, "a" * 64, (Dropped(31, 40, "noise line 'Advertisement'"),),
                  SENTENCES, relative="../vi.txt", absolute="/data/vi.txt"),
    ArticleResult("id.txt", "id", False, "b" * 64, (),
                  (Sentence(0, 0, 9, "Kalimat.", "A sentence.", "argos:id_en@1.9"),)),
)
LINKS = (
    Link((Member(0, (0,), (4, 9)), Member(1, (0,))), 1.25,
         Evidence("english+multilingual", 0.81, 0.12, ("500",), ("Hà Nội",), ("no-first-use",),
                  "source", ("first",)),
         "partial"),
    Link((Member(0, (0, 1)), Member(1, (0,))), 0.9, Evidence("multilingual", 0.7, 0.05)),
)
REVIEW = Review(
    accepted=(ReviewDecision((SentenceRef("a" * 64, 0, 12), SentenceRef("b" * 64, 0, 9)), "ana",
                             "2026-12-01T12:00:00Z"),),
    rejected=(ReviewDecision((SentenceRef("a" * 64, 13, 30), SentenceRef("b" * 64, 0, 9))),),
    manual=(),
)
RESULT = Result(articles=ARTICLES, links=LINKS, review=REVIEW)


def _link_json(link):
    """``asdict`` of a link with the JSON's one other name: Evidence.similarity is "margin"."""
    d = dataclasses.asdict(link)
    d["evidence"] = {("margin" if k == "similarity" else k): v for k, v in d["evidence"].items()}
    return d


def test_articles_links_and_review_are_what_dataclasses_asdict_gives():
    data = to_dict(RESULT)
    assert data["articles"] == [dataclasses.asdict(a) for a in ARTICLES]
    assert data["links"] == [_link_json(link) for link in LINKS]
    assert data["review"] == dataclasses.asdict(REVIEW)
    # the same containers too: tuples where asdict keeps tuples
    assert repr(data["articles"]) == repr([dataclasses.asdict(a) for a in ARTICLES])
    assert repr(data["links"]) == repr([_link_json(link) for link in LINKS])
    assert repr(data["review"]) == repr(dataclasses.asdict(REVIEW))


def test_every_field_of_the_written_dataclasses_is_written():
    data = to_dict(RESULT)
    article, link = data["articles"][0], data["links"][0]
    sentence = article["sentences"][0]
    assert list(article) == [f.name for f in dataclasses.fields(ArticleResult)]
    assert list(sentence) == [f.name for f in dataclasses.fields(Sentence)]
    assert list(sentence["glossary"][0]) == [f.name for f in dataclasses.fields(GlossaryHit)]
    assert list(article["dropped"][0]) == [f.name for f in dataclasses.fields(Dropped)]
    assert list(link) == [f.name for f in dataclasses.fields(Link)]
    assert list(link["members"][0]) == [f.name for f in dataclasses.fields(Member)]
    assert list(link["evidence"]) == [
        "margin" if f.name == "similarity" else f.name for f in dataclasses.fields(Evidence)]
    decision = data["review"]["accepted"][0]
    assert list(data["review"]) == [f.name for f in dataclasses.fields(Review)]
    assert list(decision) == [f.name for f in dataclasses.fields(ReviewDecision)]
    assert list(decision["sentences"][0]) == [f.name for f in dataclasses.fields(SentenceRef)]


def test_a_result_written_and_read_back_is_the_same_result(tmp_path):
    text = json_text(RESULT, tmp_path)
    back = from_dict(json.loads(text), "r.json")
    assert back.links == RESULT.links and back.review == RESULT.review
    assert [a.sentences for a in back.articles] == [a.sentences for a in RESULT.articles]
    assert [a.dropped for a in back.articles] == [a.dropped for a in RESULT.articles]


def test_to_dict_gives_containers_of_its_own():
    first, second = to_dict(RESULT), to_dict(RESULT)
    first["articles"][0]["path"] = "changed.txt"
    first["links"][0]["evidence"]["cosine"] = -1.0
    assert second["articles"][0]["path"] == "vi.txt"
    assert second["links"][0]["evidence"]["cosine"] == 0.81
    assert RESULT.articles[0].path == "vi.txt" and RESULT.links[0].evidence.cosine == 0.81


# sha256 of the clause spans, attribution clauses and units (max_run 2 and 3) of every line of
# NTREX dev in its own language and in the generic fallback ("xx"), as the per-token code made
# them (main c8bbed0).  A change of the clause rules changes it: bump SEGMENTATION_VERSION then.
CLAUSES_DIGEST = "cb342df12a1097fb80fcdbd2d522fab5861bd5877f4eb94ac8f9d1d890ab2f43"


def test_the_clause_units_of_every_ntrex_dev_sentence_are_unchanged():
    h = hashlib.sha256()
    for name, lang in (("vie.txt", "vi"), ("ind.txt", "id"), ("eng.txt", "en")):
        for line in (ntrex_dir() / name).read_text(encoding="utf-8").splitlines():
            for code in (lang, "xx"):
                clauses = split_clauses(line, code)
                frames = sorted(attribution_clauses(line, code, clauses))
                record = [clauses, frames, units(line, code, 2), units(line, code, 3)]
                h.update(json.dumps(record).encode())
    assert h.hexdigest() == CLAUSES_DIGEST


def test_clause_spans_hold_with_any_white_space_around_the_tokens():
    # str.split and re's \s agree on these: no-break space, information separators, em space
    text = "\xa0Ông nói,\x1cchúng tôi\u2003sẽ đến Hà Nội\tvà ở lại ba ngày, nhưng  họ  không đến.\n"
    spans = split_clauses(text, "vi")
    assert [text[s:e] for s, e in spans] == [
        "Ông nói,\x1cchúng tôi\u2003sẽ đến Hà Nội\tvà ở lại ba ngày,", "nhưng  họ  không đến."]
