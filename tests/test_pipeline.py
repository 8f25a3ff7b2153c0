"""The whole pipeline with deterministic fake embedders: real segmentation,
alignment, summary and result code, in milliseconds."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.ingest import article_from_text, nfc_with_offsets
from aligner.align import AlignParams
from aligner.pipeline import AlignConfig, run_articles
from aligner.result import from_dict, to_dict
from tests import fakes

A = (
    "The Pentagon estimated that China has about 500 nuclear warheads.\n"
    "Officials in Washington expressed frustration over the talks.\n"
    "A new museum opened in the old harbour district on Sunday.\n"
)
B = (
    "Farmers in the north expect a good rice harvest this autumn.\n"
    "The Pentagon said China has more than 500 nuclear warheads.\n"
    "Washington officials expressed their frustration with the talks.\n"
)


def align(*texts, **config):
    docs = [article_from_text(t, "en", f"doc{i}") for i, t in enumerate(texts)]
    return run_articles(docs, AlignConfig(paths=(), use_cache=False, **config), components=fakes.components())


def test_sentences_that_share_their_facts_are_linked_and_the_rest_is_not():
    result = align(A, B)
    pairs = sorted((l.members[0].sentences, l.members[1].sentences) for l in result.links)
    assert pairs == [((0,), (1,)), ((1,), (2,))]
    assert result.links[0].evidence.numbers == ("500",)
    assert result.signature["embedder"]["id"] == "tests/bag-of-words"


def test_the_threshold_moves_links_and_is_in_the_signature():
    from aligner.align import AlignParams

    strict = align(A, B, params=AlignParams(threshold=9.0))
    assert strict.links == ()
    assert strict.signature["align"]["threshold"] == 9.0


def test_a_result_survives_its_json_form():
    result = align(A, B)
    assert from_dict(to_dict(result)) == result


def test_no_english_and_no_cross_lingual_embedder_is_a_clear_error():
    from aligner.errors import InputError

    import warnings

    from aligner.errors import AlignerWarning

    docs = [article_from_text(A, "vi", "a"), article_from_text(B, "id", "b")]
    # the error alone: no warning first that they "are aligned in the cross-lingual space"
    with warnings.catch_warnings():
        warnings.simplefilter("error", AlignerWarning)
        with pytest.raises(InputError, match="cross-lingual embedder"):
            run_articles(docs, AlignConfig(paths=(), use_cache=False), components=fakes.components(cross_lingual=False))


WORDS = "pentagon china warheads talks museum harbour rice harvest frustration officials budget election storm".split()
clause = st.lists(st.sampled_from(WORDS), min_size=3, max_size=6).map(" ".join)
# one or two clauses: a sentence may pack two facts, so it may link to two partners
sentence = st.lists(clause, min_size=1, max_size=2).map(lambda cs: ", and ".join(cs).capitalize() + ".")
article = st.lists(sentence, min_size=1, max_size=8).map(lambda ss: "\n".join(ss) + "\n")


@settings(max_examples=40, deadline=None)
@given(st.lists(article, min_size=2, max_size=3))
def test_alignment_invariants(texts):
    result = align(*texts)
    seen = defaultdict(list)
    for link in result.links:
        assert len(link.members) >= 2 and len({m.article for m in link.members}) == len(link.members)
        for m in link.members:
            assert m.sentences == tuple(sorted(m.sentences))
            assert all(0 <= i < len(result.articles[m.article].sentences) for i in m.sentences)
        for a, b in combinations(link.members, 2):
            for x, y in ((a, b), (b, a)):
                for i in x.sentences:
                    seen[(x.article, i, y.article)].append(x.part if len(x.sentences) == 1 else None)
    # each sentence is in at most max_partners links per partner article; when in
    # two, each link matched a different, non-overlapping part of it
    for parts in seen.values():
        assert len(parts) <= AlignParams().max_partners
        if len(parts) > 1:
            assert all(p is not None for p in parts)
            (s1, e1), (s2, e2) = sorted(parts)
            assert e1 <= s2
    keys = [tuple((m.article, m.sentences) for m in link.members) for link in result.links]
    assert keys == sorted(keys)
    for art, text in zip(result.articles, texts):
        for s in art.sentences:
            assert 0 <= s.start < s.end <= len(text) and text[s.start : s.end] == s.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ae ươ\u0301\u0303\u0323Ấ.\n")), max_size=40))
def test_nfc_offsets_map_every_character_back_into_the_original(text):
    nfc, offsets = nfc_with_offsets(text)
    assert nfc == unicodedata.normalize("NFC", text)
    assert len(offsets) == len(nfc) + 1 and offsets[-1] == len(text)
    assert list(offsets) == sorted(offsets)
    # every NFC character comes from the original cluster it points at
    for i, ch in enumerate(nfc):
        start = offsets[i]
        end = next((o for o in offsets[i + 1 :] if o > start), len(text))
        assert ch in unicodedata.normalize("NFC", text[start:end])


def test_a_partial_link_is_marked_and_its_matched_part_shown():
    from aligner.render.markdown import render_markdown
    from aligner.summary import summarise

    a = ("The Pentagon estimated that China has about 500 nuclear warheads, "
         "while Washington expressed frustration over the stalled talks.\nA museum opened in the harbour.\nFarmers expect a good harvest.\n")
    b = "Rice prices fell in the north.\nWashington expressed frustration over the stalled talks.\nA storm hit the coast on Sunday.\n"
    result = align(a, b)
    [link] = result.links
    assert link.kind == "partial"
    first = result.articles[0].sentences[0].english
    assert first[link.members[0].part[0] : link.members[0].part[1]] == "while Washington expressed frustration over the stalled talks."
    assert link.members[1].part is None
    md = render_markdown(summarise(result))
    assert f"| {link.score:.2f}<br>" in md and "<br>*partial*" in md
    assert "warheads, **while Washington expressed frustration over the stalled talks.**" in md
