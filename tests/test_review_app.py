"""The review app, headless: every key through Textual's Pilot, saving, glossary edits, SVG snapshots."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace

import pytest

from aligner.model import SentenceRef
from aligner.result import read_json
from aligner.review.app import ReviewApp
from aligner.review.decisions import reapply_glossary
from aligner.review.keys import KEYS
from tests.conftest import FIXTURE, GLOSSARY

VI = "c7eff4561af00ccabc81294341f2e1ca4ae7cf17cde1e72c2b318213f2f5f721"
ID = "4f6106ef28a11b68fef10d02b497689a25f77abdce32e7564589b02ff8cc5fdc"
WARHEADS = (SentenceRef(VI, 1382, 1534), SentenceRef(ID, 386, 596))
TALKS = (SentenceRef(VI, 741, 970), SentenceRef(ID, 203, 385))
NAME = "out/result.json"


def make_app(result=None, glossary=None, by="ann") -> ReviewApp:
    return ReviewApp(result or read_json(FIXTURE), name=NAME, glossary=str(glossary) if glossary else None, by=by)


def drive(app: ReviewApp, *keys: str, size=(120, 40), check=None):
    """Press ``keys``; ``check(pilot)`` runs before the app closes.  Returns the app."""

    async def go():
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            if check is not None:
                await check(pilot)

    asyncio.run(go())
    return app


def row_text(app: ReviewApp, n: int) -> str:
    return app.row_text(n)


def decided(app: ReviewApp) -> dict:
    review = app.return_value.review if app.return_value is not None else None
    return {v: [d.sentences for d in getattr(review, v)] for v in ("accepted", "rejected", "manual")} if review else {}


def test_the_first_shared_fact_is_selected_on_start():
    app = make_app()

    async def check(pilot):
        assert app.selected == 0 and app.rows[0].kind == "shared" and app.rows[0].score == 2.893
        assert row_text(app, 0).startswith("›  2.89 Last year, the Pentagon estimated")

    drive(app, check=check)


def test_r_then_q_rejects_the_first_shared_link_and_returns_it_to_save():
    app = drive(make_app(), "r", "q")
    assert app.ended == "saved"
    assert decided(app) == {"accepted": [], "rejected": [WARHEADS], "manual": []}
    assert app.return_value.review.rejected[0].by == "ann"
    assert app.return_value.links == read_json(FIXTURE).links  # the aligner's links are kept; the review says which are out


def test_a_accepts_and_moves_to_the_next_row():
    app = drive(make_app(), "a", "a", "q")
    assert decided(app) == {"accepted": [WARHEADS, TALKS], "rejected": [], "manual": []}
    assert app.selected == 2


def test_j_k_and_arrows_move_within_the_rows():
    app = make_app()

    async def check(pilot):
        assert app.selected == 0
        for key, to in (("j", 1), ("down", 2), ("k", 1), ("up", 0), ("up", 0)):
            await pilot.press(key)
            assert app.selected == to, key
        assert row_text(app, 1).startswith("   0.76 ") and row_text(app, 0).startswith("›  2.89 ")
        assert [r.kind for r in app.rows].count("one-sided") == 20 and app.rows[-1].kind == "disagreement"

    drive(app, check=check)


def test_u_undoes_the_last_decision():
    app = drive(make_app(), "a", "k", "r", "u", "q")
    assert decided(app) == {"accepted": [WARHEADS], "rejected": [], "manual": []}
    app = drive(make_app(), "u", "q")
    assert app.return_value.review is None
    app = make_app()

    async def check(pilot):
        assert str(app.query_one("#message").content) == "nothing to undo"

    drive(app, "u", check=check)


def test_a_rejected_row_is_marked_and_stays_visible():
    app = make_app()

    async def check(pilot):
        assert row_text(app, 0).startswith(" ✗ 2.89 Last year")
        assert str(app.query_one("#top").content).startswith(f"{NAME}  accepted 0, rejected 1, manual 0")

    drive(app, "r", check=check)


@pytest.mark.parametrize("key", ["escape", "ctrl+c"])
def test_twice_quits_without_saving(key):
    app = drive(make_app(), "r", key, key)
    assert (app.ended, app.return_value) == ("abandoned", None)


@pytest.mark.parametrize("key", ["escape", "ctrl+c"])
def test_once_only_warns(key):
    app = make_app()

    async def check(pilot):
        assert app.ended is None
        assert str(app.query_one("#message").content) == "press again to quit without saving (q saves and quits)"
        await pilot.press("j", key)  # not twice in a row
        assert app.ended is None

    drive(app, "r", key, check=check)


def test_s_toggles_english_and_source():
    app = make_app()

    async def check(pilot):
        assert "Năm ngoái, Bộ Quốc phòng Mỹ ước tính" in row_text(app, 0)
        assert "showing source" in str(app.query_one("#top").content)
        await pilot.press("s")
        assert row_text(app, 0).startswith("›  2.89 Last year")

    drive(app, "s", check=check)


def test_enter_opens_the_details():
    app = make_app()

    async def check(pilot):
        text = str(app.screen.query_one("#details").content)
        assert text.splitlines()[:3] == [
            "shared, score 2.893",
            "link 1: same-fact, score 2.893, cosine 0.921, margin 2.093, space english+multilingual; not reviewed",
            "  shared: numbers 500, 1,000, 2030; terms Pentagon, nuclear warhead; words operational, probably, warheads, nuclear",
        ]
        assert "  glossary: nuclear warhead (đầu đạn hạt nhân) ok" in text.splitlines()
        await pilot.press("escape")
        assert len(app.screen_stack) == 1 and app.ended is None and not app.abandon_armed

    drive(app, "enter", check=check)


def test_l_links_a_one_sided_sentence_through_the_picker_with_search():
    app = make_app()
    vi11 = next(n for n, r in enumerate(app.rows) if r.kind == "one-sided" and r.cells[0] == (11,))

    async def check(pilot):
        for _ in range(vi11):
            await pilot.press("j")
        await pilot.press("l", "slash", *"larger arsenal", "enter", "enter")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        row = app.rows[app.selected]
        assert (row.kind, row.cells, row.score) == ("shared", ((11,), (3,)), 0.0)
        assert row_text(app, app.selected).startswith("›+ 0.00 China does not disclose")
        await pilot.press("q")

    drive(app, check=check)
    assert decided(app) == {"accepted": [], "rejected": [], "manual": [(SentenceRef(VI, 1890, 2070), SentenceRef(ID, 597, 706))]}


def test_l_on_a_shared_fact_says_what_it_is_for():
    app = make_app()

    async def check(pilot):
        assert str(app.query_one("#message").content) == "l links a one-sided sentence: select one under 'Reported by one article only'"
        assert len(app.screen_stack) == 1

    drive(app, "l", check=check)


def _machine_result():
    """The example with sentence 8 of the Vietnamese article rendered by a machine, badly."""
    result = read_json(FIXTURE)
    art = result.articles[0]
    bad = replace(art.sentences[8], english_source="argos:vi_en@1.0",
                  english="Last year, the Pentagon estimated that Beijing has about 500 operational atomic bombs.")
    return replace(result, articles=(replace(art, sentences=art.sentences[:8] + (bad,) + art.sentences[9:]), result.articles[1]))


def test_g_edits_the_glossary_concept_its_row_changes_at_once_and_only_its_csv_row(tmp_path):
    glossary = tmp_path / "glossary.csv"
    shutil.copy(GLOSSARY, glossary)
    before = glossary.read_bytes().decode("utf-8").splitlines(keepends=True)
    from aligner.glossary import load

    result = reapply_glossary(_machine_result(), load(glossary))
    app = make_app(result, glossary)

    async def check(pilot):
        assert row_text(app, 0).startswith("›  2.89 Last year, the Pentagon estimated that Beijing has about 500 operational atomic bombs.")
        other = row_text(app, 1)
        await pilot.press("g")
        screen = app.screen
        assert screen.query_one("#en").value == "nuclear warhead"  # the violated concept
        assert screen.query_one("#avoid").value == "nuclear bomb head | nuclear head"
        screen.query_one("#avoid").value = "nuclear bomb head | nuclear head | atomic bomb"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert row_text(app, 0).startswith("›  2.89 Last year, the Pentagon estimated that Beijing has about 500 operational nuclear warheads.")
        assert row_text(app, 1) == other
        await pilot.press("q")

    drive(app, check=check)
    after = glossary.read_bytes().decode("utf-8").splitlines(keepends=True)
    assert [n for n, (x, y) in enumerate(zip(before, after)) if x != y] == [2] and len(after) == len(before)
    assert after[2] == "nuclear warhead,đầu đạn hạt nhân,hulu ledak nuklir,nuclear bomb head|nuclear head|atomic bomb,no,\n"
    saved = app.return_value.articles[0].sentences[8]
    assert saved.english.endswith("operational nuclear warheads.") and saved.glossary[-1].status == "post-edited"


def test_g_adds_a_new_concept_from_a_one_sided_sentence(tmp_path):
    glossary = tmp_path / "glossary.csv"
    shutil.copy(GLOSSARY, glossary)
    before = glossary.read_text(encoding="utf-8")
    app = make_app(glossary=glossary)
    vi2 = next(n for n, r in enumerate(app.rows) if r.kind == "one-sided" and r.cells[0] == (2,))

    async def check(pilot):
        for _ in range(vi2):
            await pilot.press("j")
        await pilot.press("g")
        screen = app.screen
        assert (screen.query_one("#en").value, screen.query_one("#lang-vi").value, screen.query_one("#lang-id").value) == ("", "", "")
        screen.query_one("#en").value = "statement"
        screen.query_one("#lang-vi").value = "tuyên bố"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        hits = {s.index: [h.concept for h in s.glossary if h.concept == "statement"] for s in app.shown.articles[0].sentences}
        assert [i for i, h in hits.items() if h] == [1, 2, 3, 11]  # every sentence that says tuyên bố, at once
        assert app.rows[app.selected].cells[0] == (2,)  # the selection stays on the edited sentence
        assert str(app.query_one("#message").content) == f"glossary saved: {glossary}"

    drive(app, check=check)
    assert glossary.read_text(encoding="utf-8") == before + "statement,tuyên bố,,,no,\n"


def test_l_then_escape_links_nothing():
    app = make_app()
    first_one_sided = next(n for n, r in enumerate(app.rows) if r.kind == "one-sided")

    async def check(pilot):
        for _ in range(first_one_sided):
            await pilot.press("j")
        await pilot.press("l", "escape")
        assert len(app.screen_stack) == 1 and app.ended is None

    drive(app, check=check)
    assert app.result.review is None


def test_g_shows_a_refused_edit_and_leaves_the_file_alone(tmp_path):
    glossary = tmp_path / "glossary.csv"
    shutil.copy(GLOSSARY, glossary)
    original = glossary.read_bytes()
    app = make_app(glossary=glossary)

    async def check(pilot):
        await pilot.press("g")
        app.screen.query_one("#en").value = ""
        await pilot.press("ctrl+s")
        assert str(app.screen.query_one("#problem").content) == "the English term is empty"
        await pilot.press("escape")
        assert len(app.screen_stack) == 1

    drive(app, check=check)
    assert glossary.read_bytes() == original


def test_the_readme_section_lists_the_keys_of_the_table():
    from aligner.review.keys import key_lines
    from tests.conftest import ROOT

    assert "\n".join(key_lines()) in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_key_of_the_table_is_bound():
    bound = {(b.key, b.action) for b in ReviewApp.BINDINGS}
    assert {(key, k.action) for k in KEYS for key in k.keys.split(",")} <= bound


@pytest.mark.parametrize("width,height", [(80, 24), (120, 36)])
def test_snapshot_start(snap_compare, width, height):
    assert snap_compare(make_app(), terminal_size=(width, height))


@pytest.mark.parametrize("width,height", [(80, 24), (120, 36)])
def test_snapshot_rejected_accepted_source(snap_compare, width, height):
    assert snap_compare(make_app(), press=["r", "a", "s"], terminal_size=(width, height))
