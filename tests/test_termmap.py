"""The terminal alignment map (aligner/render/termmap.py), from the frozen example result."""

import json

import pytest

from aligner.render.termmap import map_text
from aligner.result import from_dict, read_json
from aligner.summary import summarise
from tests.conftest import FIXTURE
from tests.test_html import three_articles

EXAMPLE_30 = [
    " [1]                      [2]",
    " 1 ·                      · 1",
    " 2 ·                   ⢀⣀⠤◐ 2",
    " 3 ·              ⢀⡠⠤⠒⠊⠁⢀⡠✗ 3",
    " 4 ·         ⣀⡠⠔⠒⠉⠁  ⡠⠔⠊⠁ · 4",
    " 5 ·   ⢀⣀⠤⠔⠊⠉    ⣀⠤⠒⠉     · 5",
    " 6 ◐⠤⠒⠊⠁     ⢀⡠⠔⠊         · 6",
    " 7 ·      ⣀⠤⠒⠁            · 7",
    " 8 ·  ⢀⡠⠔⠉                · 8",
    " 9 ✗⠔⠊⠁                   · 9",
    "10 ·",
    "11 ·",
    "12 ·",
    "13 ·",
    "14 ·",
    "15 ·",
    "[1] vi examples/vi-nuclear-ai…",
    "[2] id examples/id-arms-talks…",
    "● same fact  ◐ partial",
    "✗ discrepancy  · in no link",
]


def test_the_examples_map_at_30_columns():
    """#6 (partial) goes up to [2] #2 and #9 (discrepancy) to [2] #3: two lines, not crossing."""
    assert map_text(summarise(read_json(FIXTURE)), 30) == EXAMPLE_30


@pytest.mark.parametrize("width", [20, 30, 40, 80, 200])
def test_every_line_fits_the_width(width):
    lines = map_text(summarise(read_json(FIXTURE)), width)
    assert max(len(l) for l in lines) <= width
    assert len(lines) == 1 + 15 + 2 + len([l for l in lines[18:]])


def test_reordered_facts_cross():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    # [1] #1 <-> [2] #3 and [1] #3 <-> [2] #1: the second article tells them the other way round
    data["links"] = [
        {"members": [{"article": 0, "sentences": [a], "part": None}, {"article": 1, "sentences": [b], "part": None}],
         "score": 2.0, "evidence": {"space": "english", "cosine": 0.9, "margin": 2.0}, "kind": "same-fact"}
        for a, b in ((0, 2), (2, 0))
    ]
    del data["summary"]
    lines = map_text(summarise(from_dict(data)), 16)
    assert lines[:4] == [
        " [1]        [2]",
        " 1 ●⢄⡀    ⢀⡠● 1",
        " 2 · ⠈⢑⡢⢔⡊⠁ · 2",
        " 3 ●⠔⠊⠁  ⠈⠑⠢● 3",
    ]


def test_three_articles_three_columns_and_the_far_link_listed():
    lines = map_text(summarise(from_dict(three_articles())), 60)
    assert lines[0].split() == ["[1]", "[2]", "[3]"]
    # [2] #3 and [3] #3 are joined (the strip between them is one flat line); [1] #1 and [3] #9 are not neighbours
    assert lines[3].endswith("✗  3 ✗" + "⠤" * 23 + "✗ 3")
    assert lines[1].split()[:2] == ["1", "●"] and lines[9].split()[-2:] == ["●", "9"]
    assert "● [1] #1 ─ [3] #9 (same fact)" in lines
    assert max(len(l) for l in lines) <= 60
