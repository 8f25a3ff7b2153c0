"""Review marks in the HTML report, in a real headless chromium (as tests/test_html_browser.py)."""

from __future__ import annotations

import pytest

from tests.test_html_browser import By, browser, errors  # noqa: F401 -- the browser fixture

from aligner.render.html import render_html
from aligner.result import read_json
from aligner.review import decisions as d
from aligner.summary import summarise
from tests.conftest import FIXTURE

AT = "2026-12-01T12:00:00Z"


@pytest.fixture
def page(browser, tmp_path):  # noqa: F811
    result = read_json(FIXTURE)
    warheads = next(n for n, link in enumerate(result.links) if link.score == 2.893)
    result = d.add_manual(d.decide(result, warheads, "accepted", by="ann", at=AT), (0, 11), (1, 3), by="ann", at=AT)
    path = tmp_path / "report.html"
    path.write_text(render_html(summarise(d.apply_review(result))), encoding="utf-8")
    browser.get_log("browser")
    browser.get(path.as_uri())
    return browser


def test_the_marks_show_in_the_score_cells_of_their_facts(page):
    rows = page.find_elements(By.CSS_SELECTOR, "#shared tbody tr")
    marks = [[(m.text, m.value_of_css_property("color")) for m in row.find_elements(By.CSS_SELECTOR, "th .rv")] for row in rows]
    assert marks == [[("✓ reviewed", "rgba(26, 143, 90, 1)")], [], [("+ added by ann", "rgba(31, 85, 179, 1)")]]
    assert all(m.is_displayed() for m in page.find_elements(By.CSS_SELECTOR, ".rv"))
    footer = [li.text for li in page.find_elements(By.CSS_SELECTOR, "#provenance li")]
    assert footer[-1] == "Review: 1 accepted, 0 rejected, 1 added by ann"
    assert errors(page) == []
