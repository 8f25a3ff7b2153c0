"""Named sources (issue 19, stretch): who a sentence says a claim comes from, and when two
linked sentences name different ones."""

from __future__ import annotations

import pytest

from aligner.model import ArticleResult, Evidence, Link, Member, Result, Sentence
from aligner.sources import attributions, source_differences
from aligner.summary import summarise


@pytest.mark.parametrize("english, names", [
    ("The toll rose to 832, disaster agency spokesman Sutopo Purwo Nugroho said on Sunday.",
     ["Sutopo Purwo Nugroho"]),
    ("According to the Pentagon, China has about 500 warheads.", ["Pentagon"]),
    ("The Red Cross said 59 people died.", ["The Red Cross"]),
    ("Reuters reported that 63 people died, Governor Anies Baswedan said.", ["Reuters", "Governor Anies Baswedan"]),
    ("Sutopo Purwo told reporters the toll was 832.", ["Sutopo Purwo"]),
    ("North Korean Foreign Minister Ri Yong Ho says his nation will never disarm first.",
     ["North Korean Foreign Minister Ri Yong Ho"]),
    # no name: a pronoun, a plural of officials, a day
    ("He said the talks would resume.", []),
    ("The floods killed 59 people on Monday, officials said.", []),
    ("On Monday, 59 people died.", []),
    (None, []),
])
def test_the_named_sources_of_a_sentence(english, names):
    found = attributions(english)
    assert [a.name for a in found] == names
    assert all(english[a.start:a.end] == a.name for a in found)


def test_two_sides_disagree_on_the_source_only_when_no_name_shares_a_word():
    def differ(a, b):
        return [(x.name, y.name) for _, x, _, y in source_differences([a], [b])]

    assert differ("The Red Cross said 59 people died.", "Police chief Budi Gunawan said 63 people died.") == [
        ("The Red Cross", "Budi Gunawan")]
    # one person, named in full and in part; one agency, with and without "the"
    assert differ("Sutopo Purwo Nugroho said 832 died.", "832 died, said Sutopo.") == []
    assert differ("According to the Pentagon, China has 500.", "The Pentagon said China has 500.") == []
    # a government and its minister (NTREX's headline and lede): one source
    assert differ("North Korea says nuclear disarmament won't come unless it can trust US",
                  "North Korean Foreign Minister Ri Yong Ho says his nation will never disarm first.") == []
    # a title is not a name: two governors are two sources
    assert differ("Governor Anies Baswedan said 59 died.", "Governor Ridwan Kamil said 59 died.") == [
        ("Governor Anies Baswedan", "Governor Ridwan Kamil")]
    # one side names no source: nothing to compare
    assert differ("59 people died.", "The Red Cross said 59 people died.") == []
    # without English on a side (names translated differently in two languages): not compared
    assert source_differences([None], ["The Red Cross said 59 people died."]) == []


def _result(en_a, en_b):
    def article(lang, text, english):
        return ArticleResult(f"{lang}.txt", lang, False, "", (), (Sentence(0, 0, len(text), text, english, "memory"),))

    a = article("vi", "Lũ lụt làm 59 người chết, Hội Chữ thập đỏ cho biết.", en_a)
    b = article("id", "Banjir menewaskan 59 orang, kata Gubernur Anies Baswedan.", en_b)
    return Result((a, b), (Link((Member(0, (0,)), Member(1, (0,))), 1.0, Evidence("english", 0.9, 1.0)),))


def test_a_linked_pair_naming_different_sources_is_one_soft_discrepancy_in_the_json():
    en_a = "Floods left 59 people dead, the Red Cross said."
    en_b = "Floods killed 59 people, Governor Anies Baswedan said."
    summary = summarise(_result(en_a, en_b))
    assert [d.to_dict() for d in summary.discrepancies] == [{
        "group": 0,
        "members": [{"article": 0, "sentences": [0]}, {"article": 1, "sentences": [0]}],
        "severity": "soft",
        "differences": [{"kind": "source", "severity": "soft", "sides": [
            {"article": 0, "sentence": 0, "value": "Red Cross", "start": 32, "end": 41, "span_in": "english"},
            {"article": 1, "sentence": 0, "value": "Governor Anies Baswedan", "start": 25, "end": 48,
             "span_in": "english"}]}],
    }]
    # the same source on both sides, or a figure that differs instead: no source difference
    assert summarise(_result(en_a, "Floods killed 59 people, the Red Cross said.")).discrepancies == ()
    found = summarise(_result(en_a, "Floods killed 63 people, the Red Cross said.")).discrepancies
    assert [(x.kind, x.severity) for d in found for x in d.differences] == [("number", "hard")]


def test_the_viewer_and_the_report_show_the_two_sources_and_the_legend_says_what_soft_means():
    import io

    from rich.console import Console

    from aligner.render.markdown import render_markdown
    from aligner.render.terminal import SummaryView

    summary = summarise(_result("Floods left 59 people dead, the Red Cross said.",
                                "Floods killed 59 people, Governor Anies Baswedan said."))
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    console.print(SummaryView(summary))
    section = console.export_text().split("Where the articles disagree (1)")[1].split("Shared facts")[0]
    lines = [line.strip() for line in section.splitlines() if line.strip()]
    assert lines[1].split() == ["[1]", "vi", "[2]", "id"]
    assert lines[2].split() == "source (soft): Red Cross source (soft): Governor Anies Baswedan".split()
    assert lines[-2] == "(soft): different named sources"
    md = render_markdown(summary)
    rows = [r for r in md.split("## Where the articles disagree (1)")[1].splitlines() if r.startswith("| source")]
    assert rows == ["| source (soft): **Red Cross**<br>#1 Floods left 59 people dead, the Red Cross said. "
                    "| source (soft): **Governor Anies Baswedan**<br>#1 Floods killed 59 people, Governor Anies "
                    "Baswedan said. |"]
