"""Issue 12, input that real users paste: an HTML page, text hard-wrapped at 60 columns,
and articles with no translation source (a clear warning, not a silent "(no English)")."""

from __future__ import annotations

import html
import textwrap

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.ingest import html_to_text, is_html, read_article, unwrap
from aligner.pipeline import AlignConfig, run
from aligner.translate import TranslationMemory
from tests import fakes
from tests.conftest import ID, MEMORY, VI

ID_TEXT = ID.read_text(encoding="utf-8")
BODY, _, STORIES = ID_TEXT.partition("More Stories\n")
PARAGRAPHS = [p for p in BODY.splitlines() if p.strip()]
HEADLINES = [h for h in STORIES.splitlines() if h.strip()]


def aligned(*paths):
    """The real pipeline on these files, with the translation memory and fake embedders."""
    config = AlignConfig(paths=tuple(map(str, paths)), memory=str(MEMORY), use_cache=False)
    return run(config, components=fakes.components(TranslationMemory.load(MEMORY)), warn=lambda _m: None)


def normalised(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ HTML


def news_page(doctype=True) -> str:
    """The Indonesian example as a news site serves it: head, scripts, navigation, a sidebar."""
    paragraphs = "\n".join(f"  <p>{html.escape(p)}</p>" for p in PARAGRAPHS)
    stories = "\n".join(f'    <li><a href="/s/{i}">{html.escape(h)}</a></li>' for i, h in enumerate(HEADLINES))
    return (
        ("<!DOCTYPE html>\n" if doctype else "")
        + '<html lang="id"><head><meta charset="utf-8"><title>Perundingan senjata | Berita</title>\n'
        '<style>p { margin: 0 }</style>\n'
        '<script>window.ads = "Beli sekarang. Diskon besar!"; if (a < b) {}</script></head>\n'
        '<body><nav><a href="/">Beranda</a> <a href="/dunia">Dunia</a></nav>\n'
        "<article>\n" + paragraphs + "\n"
        '<img src="x" onerror="alert(1)"><script>alert("pwned")</script>\n'
        "</article>\n"
        "<aside><h2>More Stories</h2><ul>\n" + stories + "\n</ul></aside>\n"
        "<footer>© 2023 Berita</footer></body></html>\n"
    )


def test_an_html_page_keeps_its_paragraphs_and_drops_markup_scripts_and_more_stories(tmp_path):
    page = tmp_path / "page.txt"  # sniffed by its content, whatever the name
    page.write_text(news_page(), encoding="utf-8")
    article = read_article(page)
    assert article.lang == "id"
    assert "<" not in article.text and "alert" not in article.text and "window.ads" not in article.text
    assert "Beranda" not in article.text and "Perundingan senjata | Berita" not in article.text
    assert article.dropped and "More Stories" in article.dropped[0].reason
    # spans index the extracted text
    extracted = html_to_text(news_page())
    assert extracted[article.dropped[0].start :].startswith("More Stories")

    from_page = aligned(page, VI).articles[0].sentences
    from_text = aligned(ID, VI).articles[0].sentences
    assert [s.text for s in from_page] == [s.text for s in from_text]
    assert [s.english for s in from_page] == [s.english for s in from_text]  # every memory hit kept
    assert all(extracted[s.start : s.end] == s.text for s in from_page)


def test_an_html_file_is_recognised_by_its_name_too(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(news_page(doctype=False).replace('<html lang="id">', "").replace("</html>", ""), encoding="utf-8")
    assert is_html(page.read_text(encoding="utf-8"), str(page))
    assert read_article(page).text.startswith(PARAGRAPHS[0])


@pytest.mark.parametrize(
    "page,text",
    [
        ("<html><body><p>One &amp; two</p><p>Three<br>four</p></body></html>", "One & two\nThree\nfour\n"),
        ("<html><head><title>T</title><body><p>Unclosed head</p>", "Unclosed head\n"),
        ("<html><p>a <b>bold</b>\n  word</p><style>p{}</style><noscript>x</noscript>", "a bold word\n"),
        ("<html><h1>Title</h1><div>Body <span>text</span></div><li>item", "Title\nBody text\nitem\n"),
    ],
    ids=["entities-br", "unclosed-head", "inline-and-styles", "headings-divs"],
)
def test_html_to_text(page, text):
    assert html_to_text(page) == text


def test_a_page_with_no_text_is_a_clear_error(tmp_path):
    from aligner.errors import InputError

    page = tmp_path / "empty.html"
    page.write_text("<!doctype html><html><head><script>x()</script></head><body></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty.html: no text found in this HTML page"):
        read_article(page)


def test_text_that_mentions_html_is_not_a_page(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Situs itu menulis <html> di judulnya.\n", encoding="utf-8")
    assert not is_html(note.read_text(encoding="utf-8"), str(note))
    assert "<html>" in read_article(note, lang="id").text


# ------------------------------------------------------------------ hard-wrapped text


def hard_wrapped(width=60) -> str:
    """The example as a mail client would send it: each paragraph wrapped, blank lines between."""
    return "\n\n".join(textwrap.fill(p, width) for p in PARAGRAPHS + ["More Stories"] + HEADLINES) + "\n"


def test_text_hard_wrapped_at_60_gives_the_same_sentences_and_memory_hits(tmp_path):
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(hard_wrapped(), encoding="utf-8")
    raw = wrapped.read_text(encoding="utf-8")
    assert max(len(line) for line in raw.splitlines()) <= 60

    from_wrapped = aligned(wrapped, VI).articles[0]
    from_text = aligned(ID, VI).articles[0]
    assert [s.text for s in from_wrapped.sentences] == [s.text for s in from_text.sentences]
    assert [s.english for s in from_wrapped.sentences] == [s.english for s in from_text.sentences]
    assert sum(s.english_source == "memory" for s in from_wrapped.sentences) == 9
    # spans point into the wrapped file: the same words, line breaks where the text has spaces
    for s in from_wrapped.sentences:
        assert normalised(raw[s.start : s.end]) == s.text
    assert len(from_wrapped.dropped) == 1 and raw[from_wrapped.dropped[0].start :].startswith("More Stories")


def test_crlf_wrapped_text_is_joined_too(tmp_path):
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_bytes(hard_wrapped(55).replace("\n", "\r\n").encode("utf-8"))
    sentences = aligned(wrapped, VI).articles[0].sentences
    assert [s.text for s in sentences] == [s.text for s in aligned(ID, VI).articles[0].sentences]
    raw = wrapped.read_bytes().decode("utf-8")
    assert all(normalised(raw[s.start : s.end]) == s.text for s in sentences)


def test_a_joined_line_break_is_a_space_that_maps_to_the_break(tmp_path):
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(hard_wrapped(), encoding="utf-8")
    raw = wrapped.read_text(encoding="utf-8")
    article = read_article(wrapped, lang="id")
    first_break = raw.index("\n")
    space = article.text.index(" ", first_break - 1)
    assert article.text[:space] == raw[:first_break].rstrip()
    assert article.original_offset(space) == first_break and raw[first_break] == "\n"
    assert "\n\n" in article.text  # paragraphs stay apart


@pytest.mark.parametrize(
    "text",
    [
        ID_TEXT,  # one paragraph per line
        "Judul berita\nOleh: Redaksi\n\nParagraf pertama sudah selesai.\nParagraf kedua juga selesai.\nDan yang ketiga.\n",
        "Daftar:\n- butir pertama yang cukup panjang tanpa titik\n- butir kedua yang cukup panjang tanpa titik\n- butir ketiga\n",
    ],
    ids=["paragraph-per-line", "short-lines-with-punctuation", "bullets"],
)
def test_text_that_is_not_hard_wrapped_is_left_alone(text):
    assert unwrap(text) == text


def test_bullets_and_short_lines_inside_wrapped_text_keep_their_breaks():
    text = textwrap.fill("kata " * 40, 50) + "\n- satu dua tiga empat lima enam tujuh delapan sembilan\n" + textwrap.fill("lagi " * 30, 50) + "\n"
    joined = unwrap(text)
    assert "\n- satu" in joined  # a bullet starts its own line
    assert "kata kata" in joined and "  " not in joined
    assert joined.count("\n") < text.count("\n")


# ------------------------------------------------------------------ no English


def test_no_english_source_gives_one_warning_with_a_hint(tmp_path, monkeypatch):
    """Own articles, no memory entry, no argos package: say so once, and what to do."""
    vi, id_ = tmp_path / "vi.txt", tmp_path / "id.txt"
    vi.write_text("Lầu Năm Góc ước tính Trung Quốc có 500 đầu đạn hạt nhân.\nCuộc đàm phán diễn ra tại Washington.\n", encoding="utf-8")
    id_.write_text("Pentagon memperkirakan Tiongkok memiliki 500 hulu ledak nuklir.\n", encoding="utf-8")
    monkeypatch.setattr("aligner.pipeline.build_components", lambda config, cache, say: fakes.components())
    result = CliRunner().invoke(cli, ["align", str(vi), str(id_), "--lang", "vi,id", "--no-glossary", "--json", "-", "--no-view", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: 3 of 3 sentences have no English (no translation memory, no translation model for id, vi); "
        "they are shown as written and aligned in the cross-lingual space. "
        "For English, run: aligner models install id; aligner models install vi (or give a translation memory).\n"
    )


def test_no_warning_when_every_sentence_has_english_or_none_was_asked_for():
    config = AlignConfig(paths=(str(VI), str(ID)), memory=str(MEMORY), use_cache=False)
    warnings = []
    run(config, components=fakes.components(TranslationMemory.load(MEMORY)), warn=warnings.append)
    assert warnings == []
    run(AlignConfig(paths=(str(VI), str(ID)), translator="none", use_cache=False), components=fakes.components(), warn=warnings.append)
    assert warnings == []
