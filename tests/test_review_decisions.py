"""Review decisions on the frozen example result: pure functions, real result reading and writing."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from aligner.errors import InputError
from aligner.glossary import parse
from aligner.model import Review, ReviewDecision, SentenceRef
from aligner.result import from_dict, read_json, to_dict
from aligner.review import decisions as d
from aligner.review.stats import collect, stats_lines, suggest_threshold
from aligner.summary import summarise
from tests.conftest import FIXTURE, ROOT

VI = "c7eff4561af00ccabc81294341f2e1ca4ae7cf17cde1e72c2b318213f2f5f721"
ID = "4f6106ef28a11b68fef10d02b497689a25f77abdce32e7564589b02ff8cc5fdc"
AT = "2026-12-01T12:00:00Z"
# the fixture's two links: vi 8 <-> id 2 (2.893, the first shared fact) and vi 5 <-> id 1 (0.7606, partial)
WARHEADS = (SentenceRef(VI, 1382, 1534), SentenceRef(ID, 386, 596))
TALKS = (SentenceRef(VI, 741, 970), SentenceRef(ID, 203, 385))


@pytest.fixture
def result():
    return read_json(FIXTURE)


def _warheads(result):
    return next(n for n, link in enumerate(result.links) if link.score == 2.893)


def test_reject_names_the_sentences_by_sha256_and_span(result):
    rejected = d.decide(result, _warheads(result), "rejected", by="ann", at=AT)
    assert rejected.review == Review(rejected=(ReviewDecision(WARHEADS, "ann", AT),))
    assert d.status(rejected, _warheads(result)) == "rejected"
    assert d.review_marks(rejected) == {_warheads(result): "rejected"}
    assert result.review is None  # values are not changed in place


def test_a_rejected_link_leaves_the_shared_facts(result):
    shown = summarise(d.apply_review(d.decide(result, _warheads(result), "rejected", at=AT)))
    assert [f.score for f in shown.shared] == [0.7606]
    assert 8 in {s.index for s in shown.only[0]} and 2 in {s.index for s in shown.only[1]}
    assert shown.conflicts == ()  # the disagreement was about the rejected fact
    assert [len(o) for o in shown.only] == [14, 8]


def test_the_last_decision_on_a_link_wins_and_undo_restores(result):
    accepted = d.decide(result, _warheads(result), "accepted", by="ann", at=AT)
    rejected = d.decide(accepted, _warheads(result), "rejected", by="bob", at=AT)
    assert rejected.review.accepted == () and rejected.review.rejected == (ReviewDecision(WARHEADS, "bob", AT),)
    assert d.undo(rejected, accepted.review).review == accepted.review
    assert d.status(d.undo(rejected, accepted.review), _warheads(result)) == "accepted"
    assert d.forget(rejected, WARHEADS).review == Review()


def test_a_manual_link_is_added_with_lexical_evidence(result):
    manual = d.add_manual(result, (0, 11), (1, 3), by="ann", at=AT)
    assert manual.review.manual == (ReviewDecision((SentenceRef(VI, 1890, 2070), SentenceRef(ID, 597, 706)), "ann", AT),)
    shown = d.apply_review(manual)
    link = shown.links[-1]
    assert [(m.article, m.sentences, m.part) for m in link.members] == [(0, (11,), None), (1, (3,), None)]
    assert (link.score, link.kind, link.evidence.space, link.evidence.words) == (0.0, "same-fact", "manual", ("arsenal",))
    assert d.review_marks(shown) == {2: "manual"}
    assert [f.score for f in summarise(shown).shared] == [2.893, 0.7606, 0.0]
    assert d.apply_review(shown) == shown  # applying twice adds nothing


def test_a_manual_link_needs_two_articles(result):
    with pytest.raises(InputError, match="^a link joins sentences of two different articles$"):
        d.add_manual(result, (0, 1), (0, 2))


def test_review_round_trips_through_json(result, tmp_path):
    reviewed = d.add_manual(d.decide(result, 0, "accepted", by="ann", at=AT), (0, 11), (1, 3), by="ann", at=AT)
    d.save(reviewed, tmp_path / "r.json")
    again = read_json(tmp_path / "r.json")
    assert again.review == reviewed.review
    assert json.loads((tmp_path / "r.json").read_text())["review"]["manual"] == [
        {"sentences": [{"sha256": VI, "start": 1890, "end": 2070}, {"sha256": ID, "start": 597, "end": 706}], "by": "ann", "at": AT}
    ]
    assert from_dict(to_dict(result)).review is None  # older results load without one


def test_carry_decisions_into_a_new_run(result):
    old = d.decide(result, _warheads(result), "rejected", at=AT)
    old = d.add_manual(old, (0, 11), (1, 3), at=AT)
    new, stale = d.carry_decisions(read_json(FIXTURE), old)
    assert stale == []
    pairs = [tuple((m.article, m.sentences) for m in link.members) for link in new.links]
    assert pairs == [((0, (5,)), (1, (1,))), ((0, (11,)), (1, (3,)))]  # the rejected pair is not linked
    assert new.review == old.review
    assert len(new.groups) == 2 and new.summary["conflicts"] == []


def test_an_accepted_link_stays_when_the_new_run_scores_it_below_the_threshold(result):
    old = d.decide(result, _warheads(result), "accepted", at=AT)
    below = replace(result, links=tuple(l for l in result.links if l.score != 2.893))  # the new run did not link it
    new, stale = d.carry_decisions(below, old)
    assert stale == [] and len(new.links) == 2
    kept = next(l for l in new.links if l.members[0].sentences == (8,))
    assert kept.evidence.numbers == ("500", "1000", "2030") and kept.score == 2.893  # the old result's score
    new, _ = d.carry_decisions(below, old.review)
    assert next(l for l in new.links if l.members[0].sentences == (8,)).evidence.space == "manual"


def test_decisions_on_sentences_that_no_longer_exist_are_reported_once(result):
    gone = ReviewDecision((SentenceRef(VI, 1382, 1500), SentenceRef(ID, 386, 596)), "ann", AT)
    other = ReviewDecision((SentenceRef("f" * 64, 0, 10), SentenceRef(ID, 386, 596)), "ann", AT)
    new, stale = d.carry_decisions(result, Review(rejected=(gone,), manual=(other,)))
    assert stale == [
        "rejected link not applied: examples/vi-nuclear-ai-statement.txt characters 1382-1500 is no longer a sentence",
        "manual link not applied: an article no longer aligned (sha256 ffffffffffff) characters 0-10 is no longer a sentence",
    ]
    assert new.links == result.links and new.review == Review()


def test_reapply_glossary_post_edits_machine_english_only(result):
    art = result.articles[0]
    machine = replace(art.sentences[8], english_source="argos:vi_en@1.0",
                      english="Last year, the Pentagon estimated that Beijing has about 500 operational atomic bombs.")
    result = replace(result, articles=(replace(art, sentences=art.sentences[:8] + (machine,) + art.sentences[9:]), result.articles[1]))
    glossary = parse("en,vi,id,avoid,case,note\nnuclear warhead,đầu đạn hạt nhân,hulu ledak nuklir,atomic bomb,,\n", "g.csv")
    out = d.reapply_glossary(result, glossary)
    s = out.articles[0].sentences[8]
    assert s.english == "Last year, the Pentagon estimated that Beijing has about 500 operational nuclear warheads."
    assert [(h.concept, h.status, h.changed) for h in s.glossary] == [("nuclear warhead", "post-edited", ("atomic bombs -> nuclear warheads",))]
    assert out.articles[1].sentences[2].english == result.articles[1].sentences[2].english  # memory English: audited only
    assert [(h.concept, h.status) for h in out.articles[1].sentences[2].glossary] == [("nuclear warhead", "ok")]
    assert out.signature["glossary"] == {"path": "g.csv", "sha256": glossary.sha256()}
    assert [l.evidence.terms for l in out.links] == [(), ("nuclear warhead",)]  # China, United States: not in this glossary
    assert [a.sentences[0].english for a in out.articles] == [a.sentences[0].english for a in result.articles]


def test_stats_suggest_a_threshold_with_its_figures(tmp_path, result):
    assert suggest_threshold([0.9, 1.2, 2.0], [0.3, 0.5, 0.8]) == (0.85, 3, 3)
    assert suggest_threshold([0.9, 1.2, 2.0], [0.3, 0.8, 1.0]) == (0.85, 3, 2)  # a tie (one mistake at 0.85 or 1.1): the lower
    assert suggest_threshold([1.0], []) is None
    d.save(d.decide(d.decide(result, 0, "accepted", at=AT), 1, "rejected", at=AT), tmp_path / "a.json")
    (tmp_path / "notes.json").write_text("{}")
    stats = collect(tmp_path)
    assert stats.results == 1 and sorted(stats.accepted + stats.rejected) == [0.7606, 2.893]
    lines = stats_lines(stats, 0.7)
    assert lines[0] == "reviewed results: 1" and lines[3] == "manual links: 0"
    assert lines[4].startswith("suggested threshold: ")
    assert stats.skipped == (f"{tmp_path / 'notes.json'}: not an aligner result (no schema_version)",)


def test_import_aligner_review_imports_no_textual_and_no_model(tmp_path):
    code = ("import sys, aligner, aligner.review, aligner.review.stats, aligner.cli.review\n"
            "from click.testing import CliRunner\nfrom aligner.cli import cli\n"
            "for args in (['--help'], ['review', '--help'], ['view', 'tests/data/example-result.json', '--no-pager'],\n"
            "             ['report', 'tests/data/example-result.json', '-o', %r]):\n" % str(tmp_path / "report.md") +
            "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
            "print(sorted(m for m in ('textual', 'torch', 'sentence_transformers', 'ctranslate2', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout == "[]\n"


def test_review_edits_the_glossary_align_would_find(tmp_path, monkeypatch):
    """With no --glossary and none recorded in the result, review edits the glossary align would
    use: ./glossary.csv, else the user config folder's."""
    from dataclasses import replace

    from aligner.cli.review import _glossary_of
    from aligner.result import read_json
    from tests.conftest import ROOT

    result = read_json(ROOT / "tests" / "data" / "example-result.json")
    result = replace(result, signature={k: v for k, v in result.signature.items() if k != "glossary"})
    config = tmp_path / "config"
    config.mkdir()
    (config / "glossary.csv").write_text("concept,en\n", encoding="utf-8")
    monkeypatch.setenv("ALIGNER_CONFIG_DIR", str(config))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert _glossary_of(result, None) == str(config / "glossary.csv")
    (work / "glossary.csv").write_text("concept,en\n", encoding="utf-8")
    assert _glossary_of(result, None) == "glossary.csv"
    assert _glossary_of(result, "mine.csv") == "mine.csv"
