"""What a reader checks on the viewer's screen: every sentence has text, columns line up,
nothing is blank or repeated that need not be, and no colour is needed to read it."""

import json
import os

from rich.console import Console

from aligner.render.terminal import SummaryView
from aligner.result import read_json
from aligner.summary import summarise
from tests.test_view import NO_ENGLISH, RESULT, piped, render


def section(text: str, title: str) -> list[str]:
    """The lines of the section whose title rule contains ``title``, up to the next rule."""
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if title in line and line.startswith("─"))
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("───")), len(lines))
    return lines[start + 1 : end]


def flat(text: str) -> str:
    return " ".join(text.split())


# where the article columns start on the screen (and how wide they are), per width
COLUMNS = {80: ((10, 34), (46, 34)), 140: ((10, 64), (76, 64))}


def column(text: str, width: int, k: int) -> str:
    """Article ``k``'s column of ``text`` read top to bottom, as one line."""
    start, size = COLUMNS[width][k]
    return flat(" ".join(line[start : start + size] for line in text.splitlines()))


def result_with(tmp_path, edit, source=RESULT):
    data = json.loads(source.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ------------------------------------------------------------------ without English


def test_without_english_every_sentence_shows_its_own_text_marked_with_its_language():
    text = render(140, path=NO_ENGLISH)
    for k, article in enumerate(read_json(NO_ENGLISH).articles):
        for s in article.sentences:
            assert s.english is None
            assert f"#{s.index + 1} [{article.lang}] {flat(s.text)}" in column(text, 140, k)
    assert "(no English)" not in text
    assert "24 of 24 sentences have no English: shown as written, marked [vi] [id]" in flat(text)


def test_without_english_the_matched_part_is_marked_in_the_source_text():
    view = column(piped(NO_ENGLISH, columns=140), 140, 0)
    assert "#9 [vi] Năm ngoái, Bộ Quốc phòng Mỹ ước tính Bắc Kinh có khoảng 500 đầu đạn hạt nhân đang sẵn sàng hoạt động " \
           "[và có thể sẽ sở hữu hơn 1.000 đầu đạn vào năm 2030.]" in view
    assert "shared: numbers 500, 1.000, 2030; terms Pentagon, nuclear warhead" in piped(NO_ENGLISH, columns=140)


# ------------------------------------------------------------------ layout


def test_one_sided_facts_of_both_articles_sit_side_by_side_from_the_first_row():
    lines = section(render(80), "Reported by one article only (20)")
    assert lines[0] == "          [1] vi                              [2] id"
    assert lines[1] == '          #1 "The two leaders affirmed the    #1 But the White House was quick'
    # the longer article's column ends the section: 84 lines (124 when each sentence had a row of its own)
    assert len(lines) == 84


def test_one_header_line_per_article_at_80_columns():
    lines = render(80).splitlines()
    assert lines[1] == "[1] examples/vi-nuclear-ai-statement.txt · vi (detected), English from memory"
    assert lines[2] == "[2] examples/id-arms-talks.txt · id (detected), English from memory"


def test_at_40_columns_the_score_goes_into_the_row_and_paths_are_shortened_from_the_left():
    text = render(40)
    lines = text.splitlines()
    assert lines[1] == "[1] …/vi-nuclear-ai-statement.txt · vi"
    assert lines[3] == "[2] …/id-arms-talks.txt · id (detected),"
    shared = section(text, "Shared facts (2)")
    assert shared[:3] == ["[1] vi               [2] id", "████████ 2.89", "#9 Last year, the    #3 The Pentagon"]
    assert "███░░░░░ 0.76 partial" in shared
    assert not any(line.startswith("score") for line in lines)
    assert max(len(line) for line in lines) <= 40


def test_every_section_puts_the_article_columns_at_the_same_positions():
    for width in (40, 80, 140):
        headers = [line for line in render(width).splitlines() if line.rstrip().endswith("[2] id")]
        assert len(headers) == 4, width  # disagreements, shared, one-sided, central
        assert len({line.index("[1] vi") for line in headers}) == 1, width
        assert len({line.index("[2] id") for line in headers}) == 1, width


def test_no_line_ends_in_spaces():
    for text in (render(40), render(80), render(140), render(80, colour=False), piped(), render(80, show_source=True)):
        assert [line for line in text.splitlines() if line != line.rstrip()] == []


def test_each_sentence_of_a_joined_cell_starts_its_own_line(tmp_path):
    def join_10_to_9(data):
        for record in (data["links"][1], data["groups"][1]):
            record["members"][0]["sentences"] = [8, 9]
            record["members"][0].pop("part", None)

    path = result_with(tmp_path, join_10_to_9)
    lines = section(render(140, path=path), "Shared facts (2)")
    first = [line[10:74].rstrip() for line in lines]
    assert "#10 This figure is much lower than the 1,770 and 1,710 warheads" in first
    assert "1,000 warheads by 2030." in first


# ------------------------------------------------------------------ disagreements


def test_disagreements_come_first_with_one_row_per_sentence_pair():
    text = render(140)
    assert text.index("Where the articles disagree (1)") < text.index("Shared facts (2)")
    lines = section(text, "Where the articles disagree (1)")
    assert lines[1:3] == [
        "          quantity (soft): about 500                                        quantity (soft): more than 500",
        "          #9 Last year, the Pentagon estimated that Beijing has about 500   #3 The Pentagon said in October that China has more than 500",
    ]
    assert sum("#9 Last year" in line for line in lines) == 1


# ------------------------------------------------------------------ show source


def test_show_source_never_repeats_an_english_articles_text(tmp_path):
    def english_article(data):
        data["articles"][1]["lang"] = "en"
        for s in data["articles"][1]["sentences"]:
            s.update(text=s["english"], english_source="original")

    view = flat(render(140, show_source=True, path=result_with(tmp_path, english_article)))
    assert view.count("Kimball said") == 1
    assert view.count("Bộ Quốc phòng Mỹ ước tính") == 2  # a Vietnamese sentence's source, under its English twice (disagreement, shared)


# ------------------------------------------------------------------ evidence without colour


def test_the_legend_names_the_evidence_styles_in_colour():
    text = render(140)
    assert "cyan: shared number · underline: glossary term · italic: shared word · bold yellow: matched part" in text.splitlines()
    # one line at 80 columns too, in shorter words; no matched part where no link is partial
    assert "cyan: shared number · underline: term · italic: word · bold yellow: matched part" in render(80).splitlines()
    assert "cyan: shared number · underline: glossary term · bold yellow: matched part" in render(80, path=NO_ENGLISH).splitlines()
    console = Console(width=140, record=True, color_system="truecolor", force_terminal=True, file=open(os.devnull, "w"))
    console.print(SummaryView(summarise(read_json(RESULT))))
    html = console.export_html(inline_styles=True)
    assert '<span style="color: #008080; text-decoration-color: #008080; font-weight: bold">cyan</span>' in html


def test_piped_output_marks_the_matched_part_and_writes_out_the_evidence():
    shared = section(piped(columns=140), "Shared facts (2)")
    assert "          shared: numbers 500, 1,000, 2030; terms Pentagon, nuclear warhead; words operational, probably, warheads, nuclear" in shared
    text = "\n".join(shared)
    assert "[but those talks stalled, with a senior US official publicly expressing frustration at China's response.]" in column(text, 140, 0)
    assert "#2 [Since then, US officials have expressed frustration] that China" in column(text, 140, 1)
    assert "[…]: the part of a sentence a partial link matched" in shared


def test_no_color_in_a_terminal_marks_the_same_way(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    console = Console(width=140, record=True, force_terminal=True, file=open(os.devnull, "w"))
    console.print(SummaryView(summarise(read_json(RESULT))))
    text = console.export_text()
    assert "#2 [Since then, US officials have expressed frustration] that China" in column(text, 140, 1)
    assert "shared: numbers 500, 1,000, 2030;" in text


def test_in_colour_the_text_carries_no_marks():
    text = render(140)
    assert "#2 Since then, US officials have expressed frustration that China" in column(text, 140, 1)
    assert "shared: numbers" not in text


def test_paths_are_shortened_from_the_left_at_a_folder():
    from aligner.render.content import short_path

    assert short_path("examples/id-arms-talks.txt", 26) == "examples/id-arms-talks.txt"
    assert short_path("/home/me/news/examples/id-arms-talks.txt", 28) == "…/examples/id-arms-talks.txt"
    assert short_path("/home/me/news/examples/id-arms-talks.txt", 27) == "…/id-arms-talks.txt"
    assert short_path("C:\\news\\id-arms-talks.txt", 20) == "…/id-arms-talks.txt"
    assert short_path("x/a-very-long-file-name.txt", 8) == "…ame.txt"
