"""The markdown report says what the viewer says, and article text in it stays text when
the report is rendered (markdown-it-py, CommonMark with GitHub's tables)."""

import json

from markdown_it import MarkdownIt

from aligner.render.markdown import render_markdown
from aligner.result import read_json
from aligner.summary import summarise
from tests.test_view import NO_ENGLISH, RESULT


def report(path=RESULT, show_source=False) -> str:
    return render_markdown(summarise(read_json(path)), show_source=show_source)


def result_with(tmp_path, edit, source=RESULT):
    data = json.loads(source.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def html_of(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_without_english_every_sentence_shows_its_own_text_marked_with_its_language():
    md = report(NO_ENGLISH)
    assert "(no English)" not in md
    result = read_json(NO_ENGLISH)
    shared = {(m.article, i) for link in result.links for m in link.members for i in m.sentences}
    for k, article in enumerate(result.articles):
        for s in article.sentences:
            if (k, s.index) not in shared:
                assert f"#{s.index + 1} *[{article.lang}]* {s.text} |" in md
    # the matched part of the partial link is in the source text, in bold
    assert "#9 *[vi]* Năm ngoái, Bộ Quốc phòng Mỹ ước tính Bắc Kinh có khoảng 500 đầu đạn hạt nhân đang sẵn sàng hoạt động " \
           "**và có thể sẽ sở hữu hơn 1.000 đầu đạn vào năm 2030.**" in md
    assert "<em>[vi]</em> Năm ngoái" in html_of(md)


def test_disagreements_come_first_with_one_row_per_sentence_pair():
    md = report()
    assert md.index("## Where the articles disagree (1)") < md.index("## Shared facts (2)")
    section = md.split("## Where the articles disagree (1)")[1].split("## Shared facts")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "#9" in line]
    assert rows == [
        "| quantity (soft): **about 500**<br>#9 Last year, the Pentagon estimated that Beijing has about 500 "
        "operational nuclear warheads and will probably have more than 1,000 warheads by 2030. "
        "| quantity (soft): **more than 500**<br>#3 The Pentagon said in October that China has more than 500 "
        "operational nuclear warheads in its arsenal and will probably have more than 1,000 nuclear warheads by 2030. |"
    ]


def test_one_sided_facts_sit_side_by_side():
    md = report()
    section = md.split("## Reported by one article only (20)")[1].split("##")[0]
    rows = [line for line in section.splitlines() if line.startswith("| #")]
    assert len(rows) == 13  # the longer article's 13 one-sided sentences; 20 when each had a row of its own
    assert rows[0].startswith('| #1 "The two leaders affirmed the need to maintain human control over nuclear launch decisions. '
                              "| #1 But the White House was quick to say")
    assert rows[-1].startswith("| #15 President Biden's administration") and rows[-1].endswith(" |  |")


def test_joined_sentences_are_on_lines_of_their_own(tmp_path):
    def join_10_to_9(data):
        for record in (data["links"][1], data["groups"][1]):
            record["members"][0]["sentences"] = [8, 9]
            record["members"][0].pop("part", None)

    md = report(result_with(tmp_path, join_10_to_9))
    assert "1,000 warheads by 2030.<br>#10 This figure is much lower" in md


def test_show_source_never_repeats_an_english_articles_text(tmp_path):
    def english_article(data):
        data["articles"][1]["lang"] = "en"
        for s in data["articles"][1]["sentences"]:
            s.update(text=s["english"], english_source="original")

    md = report(result_with(tmp_path, english_article), show_source=True)
    assert md.count("Kimball said") == 1
    assert "<br>_Năm ngoái, Bộ Quốc phòng Mỹ ước tính" in md


HOSTILE = ("See ![x](http://host/x.png) and [click](javascript:alert(1)), <http://host/a>, "
           "[ref][1], ![ref][1] and *stars* `code` a\\*b.")


def test_links_images_and_autolinks_from_articles_stay_text(tmp_path):
    def hostile(data):
        first, second = data["articles"][0]["sentences"][:2]
        first["english"] = HOSTILE
        second["english"] = None
        second["english_source"] = "none"
        second["text"] = HOSTILE
        data["articles"][1]["sentences"][8]["english"] = "[1]: http://host/ref.png"

    md = report(result_with(tmp_path, hostile), show_source=True)
    html = html_of(md)
    assert "<img" not in html and "<a " not in html
    assert html.count("See ![x](http://host/x.png) and [click](javascript:alert(1)), &lt;http://host/a&gt;, "
                      "[ref][1], ![ref][1] and *stars* `code` a\\*b.") == 2
    assert "[1]: http://host/ref.png" in html


def test_the_examples_report_renders_with_no_link_or_image():
    html = html_of(report(show_source=True))
    assert "<img" not in html and "<a " not in html
    assert html.count("<table>") == 4


def test_markdown_escapes_only_what_would_form_markdown():
    from aligner.render.safe import markdown

    assert markdown("![x](http://h/x.png) [t](javascript:x) [r][1] [1]: u <http://a> *e* _u_ `c` a\\b [vi] number_bonus") == (
        "![x\\](http://h/x.png) [t\\](javascript:x) [r\\][1] [1\\]: u &lt;http://a&gt; \\*e\\* \\_u\\_ \\`c\\` a\\\\b [vi] number_bonus"
    )
