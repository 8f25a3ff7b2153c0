"""Two short articles of one flood, 59 dead in one and 63 in the other, in different words:
linked, and one hard discrepancy in the viewer, the report and the JSON (real pipeline,
alignment, summary and renderers; fake embedders from tests/fakes.py)."""

from __future__ import annotations

import json
import os

from rich.console import Console

from aligner.align import AlignParams
from aligner.ingest import article_from_text
from aligner.pipeline import AlignConfig, run_articles
from aligner.render.markdown import render_markdown
from aligner.render.terminal import SummaryView
from aligner.result import read_json, write_json
from aligner.summary import summarise
from aligner.translate import TranslationMemory
from tests import fakes

VI = (
    "Lũ lụt ở miền Bắc đã làm 59 người chết trong tuần này, giới chức cho biết.\n"
    "Chính phủ đã gửi quân đội tới giúp người dân sơ tán.\n"
    "Một bảo tàng mới mở cửa tại Hà Nội.\n"
    "Giá gạo tăng mạnh trong tháng qua.\n"
)
ID = (
    "Petani di selatan mengharapkan panen padi yang baik.\n"
    "Pejabat mengatakan banjir di wilayah utara menewaskan 63 orang pekan ini.\n"
    "Pemerintah mengirim tentara untuk membantu evakuasi warga.\n"
    "Tim sepak bola nasional memenangkan pertandingan kemarin.\n"
)
ENGLISH = {
    ("vi", "Lũ lụt ở miền Bắc đã làm 59 người chết trong tuần này, giới chức cho biết."):
        "Floods in the north have left 59 people dead this week, officials said.",
    ("vi", "Chính phủ đã gửi quân đội tới giúp người dân sơ tán."): "The government has sent the army to help residents evacuate.",
    ("vi", "Một bảo tàng mới mở cửa tại Hà Nội."): "A new museum has opened in Hanoi.",
    ("vi", "Giá gạo tăng mạnh trong tháng qua."): "Rice prices rose sharply over the past month.",
    ("id", "Petani di selatan mengharapkan panen padi yang baik."): "Farmers in the south expect a good rice harvest.",
    ("id", "Pejabat mengatakan banjir di wilayah utara menewaskan 63 orang pekan ini."):
        "Officials said 63 people were killed by flooding in the northern region this week.",
    ("id", "Pemerintah mengirim tentara untuk membantu evakuasi warga."): "The government sent troops to help evacuate residents.",
    ("id", "Tim sepak bola nasional memenangkan pertandingan kemarin."): "The national football team won its match yesterday.",
}


def flood_result(tmp_path, memory=True, **params):
    docs = [article_from_text(VI, "vi", "vi-flood.txt"), article_from_text(ID, "id", "id-flood.txt")]
    components = fakes.components(TranslationMemory(ENGLISH, "flood-memory") if memory else None)
    result = run_articles(docs, AlignConfig(paths=(), use_cache=False, params=AlignParams(**params)), components=components)
    path = tmp_path / "flood.json"
    write_json(result, path)
    return path


def view(path, width=100, colour=False) -> str:
    console = Console(width=width, record=True, color_system="truecolor" if colour else None, force_terminal=colour,
                      file=open(os.devnull, "w"))
    console.print(SummaryView(summarise(read_json(path))))
    return console.export_text()


def test_59_against_63_dead_in_other_words_is_linked_and_one_hard_discrepancy(tmp_path):
    # margin 0.43 and shared words 0.30: below 0.8 without the differing figure, which counts as a shared one (0.25)
    path = flood_result(tmp_path, threshold=0.8)
    summary = summarise(read_json(path))
    pairs = {(m.article, m.sentences) for link in summary.result.links for m in link.members}
    assert {(0, (0,)), (1, (1,))} <= pairs  # the two flood sentences are linked
    assert [(d.severity, [(x.kind, x.severity, x.sides[0].value, x.sides[1].value) for x in d.differences])
            for d in summary.discrepancies] == [("hard", [("number", "hard", "59", "63")])]

    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["summary"]["discrepancies"] == [{
        "group": 0,
        "members": [{"article": 0, "sentences": [0]}, {"article": 1, "sentences": [1]}],
        "severity": "hard",
        "differences": [{"kind": "number", "severity": "hard", "sides": [
            {"article": 0, "sentence": 0, "value": "59", "start": 30, "end": 32, "span_in": "english"},
            {"article": 1, "sentence": 1, "value": "63", "start": 15, "end": 17, "span_in": "english"},
        ]}],
    }]
    english = summary.result.articles[0].sentences[0].english
    assert english[30:32] == "59" and summary.result.articles[1].sentences[1].english[15:17] == "63"

    text = view(path)
    section = text.split("Where the articles disagree (1)")[1].split("Shared facts")[0]
    assert "number: 59" in section and "number: 63" in section
    assert section.count("#1 Floods in the north") == 1

    md = render_markdown(summary)
    section = md.split("## Where the articles disagree (1)")[1].split("## Shared facts")[0]
    rows = [line for line in section.splitlines() if line.startswith("| number")]
    assert rows == ["| number: **59**<br>#1 Floods in the north have left 59 people dead this week, officials said. "
                    "| number: **63**<br>#2 Officials said 63 people were killed by flooding in the northern region this week. |"]


def test_without_english_the_figures_are_read_in_the_source():
    from aligner.model import ArticleResult, Evidence, Link, Member, Result, Sentence

    def article(lang, text):
        return ArticleResult(f"{lang}.txt", lang, False, "", (), (Sentence(0, 0, len(text), text, None, "none"),))

    vi, id_ = VI.splitlines()[0], ID.splitlines()[1]
    r = Result((article("vi", vi), article("id", id_)), (Link((Member(0, (0,)), Member(1, (0,))), 1.0, Evidence("multilingual", 0.5, 1.0)),))
    found = [(x.kind, x.severity, x.sides[0].value, x.sides[0].span_in, x.sides[1].value, x.sides[1].span_in)
             for d in summarise(r).discrepancies for x in d.differences]
    assert found == [("number", "hard", "59", "source", "63", "source")]
    assert vi[25:27] == "59" and [(x.sides[0].start, x.sides[1].start) for x in summarise(r).discrepancies[0].differences] == [(25, 54)]


def test_the_values_that_differ_are_marked_in_colour_and_the_legend_says_so(tmp_path):
    path = flood_result(tmp_path)
    console = Console(width=100, record=True, color_system="truecolor", force_terminal=True, file=open(os.devnull, "w"))
    console.print(SummaryView(summarise(read_json(path))))
    assert "red: the values that differ" in console.export_text(clear=False)
    html = console.export_html(inline_styles=True)
    assert html.count(">59<") >= 2 and html.count(">63<") >= 2  # in the values line and in the sentence


def test_eval_plants_one_changed_figure_on_the_indonesian_side_and_in_its_english():
    from aligner.data import ntrex_dir
    from aligner.evaluation.conflicts import conflict_pairs
    from aligner.evaluation.pairs import build_pairs, load_documents
    from aligner.facts import number_spans
    from aligner.translate import normalise

    documents = load_documents(ntrex_dir())
    planted = conflict_pairs(documents, "whole")
    originals = build_pairs(documents, mode="comparable")
    assert sum(len(p.keys) for p in planted) == 48
    for p, o in zip(planted, originals):
        assert p.pair.text_a == o.text_a  # the Vietnamese side is untouched
        changed = [k for s, e, k in p.pair.lines_b if p.pair.text_b[s:e] != o.text_b[s:e]]
        assert sorted(changed) == sorted(p.keys) and len(p.pair.text_b) == len(o.text_b)
        for s, e, key in p.pair.lines_b:
            if key in p.keys:
                new, old = p.pair.text_b[s:e], o.text_b[s:e]
                assert sum(x != y for x, y in zip(new, old)) == 1  # one digit
                assert {v for *_, v in number_spans(new, "id")} != {v for *_, v in number_spans(old, "id")}
                assert p.pair.english[("id", normalise(new))] != o.english[("id", normalise(old))]
    assert sum(len(p.keys) for p in conflict_pairs(documents, "clause")) == 27


def test_a_partial_link_reports_the_figure_of_the_clause_it_matched():
    # the Vietnamese sentence packs the toll (832) with the magnitude (7.5): on whole sentences no
    # figure pairs with the Indonesian headline's 834; the clause the link matched holds only 832
    from aligner.model import ArticleResult, Evidence, Link, Member, Result, Sentence

    vi = "Số người chết do sóng thần đã lên tới 832; trận động đất mạnh 7.5 độ xảy ra hôm thứ Sáu"
    id_ = "Korban tewas dari tsunami Indonesia meningkat menjadi 834"

    def result(part):
        def article(lang, text):
            return ArticleResult(f"{lang}.txt", lang, False, "", (), (Sentence(0, 0, len(text), text, None, "none"),))

        link = Link((Member(0, (0,), part), Member(1, (0,))), 1.0, Evidence("multilingual", 0.5, 1.0, parts_in="source"),
                    kind="partial" if part else "same-fact")
        return Result((article("vi", vi), article("id", id_)), (link,))

    clause = (0, vi.index(";"))
    found = [(x.kind, x.severity, x.sides[0].value, x.sides[0].start, x.sides[1].value, x.sides[1].start)
             for d in summarise(result(clause)).discrepancies for x in d.differences]
    assert found == [("number", "hard", "lên tới 832", vi.index("lên tới 832"), "834", id_.index("834"))]
    assert summarise(result(None)).discrepancies == ()
