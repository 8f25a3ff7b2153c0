"""Reviewed links marked in ``view`` and ``report`` (markdown and HTML), from a real reviewed result file.

The frozen example result (tests/data/example-result.json) is reviewed with the
functions the review app calls and saved; the real commands render it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner
from rich.console import Console

from aligner.cli import cli
from aligner.cli.view import load_result
from aligner.model import Review, ReviewDecision
from aligner.render.content import ReviewMark, review_line, review_marks
from aligner.render.terminal import SummaryView
from aligner.result import read_json
from aligner.review import decisions as d
from aligner.summary import summarise
from tests.conftest import FIXTURE

AT = "2026-12-01T12:00:00Z"


def _warheads(result) -> int:
    return next(n for n, link in enumerate(result.links) if link.score == 2.893)


def _talks(result) -> int:
    return next(n for n, link in enumerate(result.links) if link.score != 2.893)


@pytest.fixture
def reviewed(tmp_path):
    """The example with its first shared fact accepted, the other rejected, and a link added by ann."""
    result = read_json(FIXTURE)
    result = d.decide(result, _warheads(result), "accepted", by="ann", at=AT)
    result = d.decide(result, _talks(result), "rejected", by="bob", at=AT)
    result = d.add_manual(result, (0, 11), (1, 3), by="ann", at=AT)
    path = tmp_path / "result.json"
    d.save(result, path)
    return path


def _run(*args: str) -> str:
    run = CliRunner().invoke(cli, list(args))
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_view_piped_marks_the_reviewed_facts_under_their_rows(reviewed):
    out = _run("view", str(reviewed))
    shared = out[out.index("Shared facts (2)"):out.index("Reported by one article only")]
    assert shared.splitlines()[1:-1] == [
        "score     [1] vi                              [2] id",
        "████████  #9 Last year, the Pentagon          #3 The Pentagon said in October",
        "2.89      estimated that Beijing has about    that China has more than 500",
        "          500 operational nuclear warheads    operational nuclear warheads in",
        "          and will probably have more than    its arsenal and will probably have",
        "          1,000 warheads by 2030.             more than 1,000 nuclear warheads",
        "                                              by 2030.",
        "          ✓ reviewed",
        "          shared: numbers 500, 1,000, 2030; terms Pentagon, nuclear warhead;",
        "          words operational, probably, warheads, nuclear",
        "",
        "█░░░░░░░  #12 China does not disclose         #4 But Beijing has long argued",
        "0.00      details of its arsenal, but says    that the United States already has",
        "          it will maintain its no-first-use   a much larger arsenal.",
        "          policy and keep minimum",
        "          deterrence.",
        "          + added by ann",
        "          shared: words arsenal",
        "",
    ]
    assert out.rstrip("\n").splitlines()[-1] == "Review: 1 accepted, 1 rejected, 1 added by ann"
    assert "\x1b" not in out  # piped: plain characters


def test_view_in_colour_styles_the_marks(reviewed):
    console = Console(width=120, force_terminal=True, color_system="truecolor")
    with console.capture() as captured:
        console.print(SummaryView(load_result(str(reviewed))[0]))
    text = captured.get()
    assert "\x1b[32m✓ reviewed\x1b[0m" in text and "\x1b[36m+ added by ann\x1b[0m" in text
    assert "shared: numbers" not in text  # in colour the evidence is marked in the text, not written out


def test_markdown_report_marks_the_score_cells_and_counts_the_review(reviewed):
    out = _run("report", str(reviewed))
    rows = [line for line in out.splitlines() if line.startswith("| 2.89") or line.startswith("| 0.00")]
    assert [row.split(" | ")[0] for row in rows] == [
        "| 2.89<br>✓ reviewed<br>shared: numbers 500, 1,000, 2030; terms Pentagon, nuclear warhead; words operational, probably, warheads, nuclear",
        "| 0.00<br>+ added by ann<br>shared: words arsenal",
    ]
    assert out.rstrip("\n").splitlines()[-1] == "- Review: 1 accepted, 1 rejected, 1 added by ann"


def test_html_report_marks_the_fact_rows_and_counts_the_review(reviewed):
    out = _run("report", str(reviewed), "--format", "html")
    assert out.count('<span class="rv rv-accepted">✓ reviewed</span>') == 1
    assert out.count('<span class="rv rv-manual">+ added by ann</span>') == 1
    assert ('<span class="bar strong" aria-hidden="true"><span style="width: 100%"></span></span>'
            '<span class="rv rv-accepted">✓ reviewed</span><span class="ev">') in out  # in the first fact's score cell
    assert "<li>Review: 1 accepted, 1 rejected, 1 added by ann</li>" in out


def test_an_unreviewed_result_shows_no_mark():
    summary = summarise(read_json(FIXTURE))
    assert review_marks(summary) == ((), ()) and review_line(summary) == ""
    for args in (("view", str(FIXTURE)), ("report", str(FIXTURE)), ("report", str(FIXTURE), "--format", "html")):
        out = _run(*args)
        assert "reviewed" not in out and "added by" not in out and "Review:" not in out


def test_a_review_without_decisions_left_is_counted_as_such():
    summary = summarise(replace(read_json(FIXTURE), review=Review()))  # every decision undone
    assert review_marks(summary) == ((), ()) and review_line(summary) == "Review: 0 accepted, 0 rejected, 0 added"


def test_a_group_partly_reviewed_says_how_much():
    result = read_json(FIXTURE)
    warheads = result.links[_warheads(result)]
    vi8 = d.sentence_ref(result, 0, 8)
    # an accepted link the aligner did not make ([1] #9 <-> [2] #5) joins the warheads fact through [1] #9
    extra = d.decide_refs(result, (vi8, d.sentence_ref(result, 1, 4)), "accepted", by="ann", at=AT)
    summary = summarise(d.apply_review(extra))
    fact = next(f for f in summary.shared if warheads in f.links)
    assert len(fact.links) == 2
    assert review_marks(summary)[summary.shared.index(fact)] == (ReviewMark("accepted", "✓ reviewed (1 of 2 links)"),)


def test_added_links_name_every_reviewer_and_nobody_is_said_plainly():
    result = read_json(FIXTURE)
    anonymous = d.add_manual(result, (0, 11), (1, 3), by="", at=AT)
    summary = summarise(d.apply_review(anonymous))
    assert [m for m in review_marks(summary) if m] == [(ReviewMark("manual", "+ added in review"),)]
    assert review_line(summary) == "Review: 0 accepted, 0 rejected, 1 added"
    two = d.add_manual(d.add_manual(anonymous, (0, 12), (1, 5), by="bob", at=AT), (0, 13), (1, 6), by="bob", at=AT)
    two = d.add_manual(two, (0, 11), (1, 3), by="ann", at=AT)  # replaces the anonymous decision on that pair
    assert review_line(summarise(d.apply_review(two))) == "Review: 0 accepted, 0 rejected, 2 added by bob, 1 added by ann"


def test_a_reviewer_name_is_shown_never_obeyed(tmp_path):
    result = read_json(FIXTURE)
    hostile = d.add_manual(result, (0, 11), (1, 3), by="<b>x</b>\x1b[31m|", at=AT)
    path = tmp_path / "hostile.json"
    d.save(hostile, path)
    view = _run("view", str(path))
    assert "+ added by <b>x</b>␛[31m|" in view and "\x1b" not in view
    markdown = _run("report", str(path))
    assert "<br>+ added by &lt;b&gt;x&lt;/b&gt;␛[31m\\|<br>" in markdown
    html = _run("report", str(path), "--format", "html")
    assert '<span class="rv rv-manual">+ added by &lt;b&gt;x&lt;/b&gt;␛[31m|</span>' in html


def test_decisions_of_the_file_survive_view_and_report_unchanged(reviewed):
    before = reviewed.read_bytes()
    _run("view", str(reviewed))
    _run("report", str(reviewed))
    assert reviewed.read_bytes() == before
    original = read_json(FIXTURE)
    assert read_json(reviewed).review.accepted == (ReviewDecision(d.refs_of(original, original.links[_warheads(original)]), "ann", AT),)
