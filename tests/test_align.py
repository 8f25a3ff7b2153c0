import numpy as np
import pytest

from aligner.align import AlignParams, ArticleVectors, PairScorer, Space, link_pair, margin_scores, ratio_margin
from aligner.align import score as score_module


def unit(rows):
    m = np.asarray(rows, dtype=np.float64)
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def random_basis(n, dim=64, seed=0):
    rng = np.random.default_rng(seed)
    return unit(rng.normal(size=(n, dim)))


def article(vectors, units=None):
    """Cross-lingual vectors only; ``units``: per sentence, extra part vectors with their spans."""
    units = units or {}
    rows, owner, spans = [], [], []
    for i, v in enumerate(vectors):
        rows.append(v), owner.append(i), spans.append((0, 100))
        for span, part in units.get(i, ()):
            rows.append(part), owner.append(i), spans.append(span)
    n = len(vectors)
    space = Space(unit(rows), np.array(owner), tuple(spans), np.arange(n))
    return ArticleVectors(None, np.zeros(n, dtype=bool), space)


def links(a, b, nums_a=None, nums_b=None, **params):
    scorer = PairScorer(a, b, 4, 0.5, AlignParams(**params).part_penalty)
    n, m = len(a.has_english), len(b.has_english)
    return link_pair(scorer, nums_a or [()] * n, nums_b or [()] * m, AlignParams(**params))


def test_margin_discounts_a_hub_that_is_close_to_everything():
    # column 0 is a hub: cosine 0.6 to every row
    sim = np.array([[0.60, 0.55], [0.60, 0.10], [0.60, 0.10]])
    assert sim[0].argmax() == 0
    for scores in (margin_scores(sim, k=2), ratio_margin(sim, k=2)):
        assert scores[0].argmax() == 1


def test_non_monotonic_links_and_unlinked_sentences():
    facts = random_basis(6, seed=1)
    found = links(article(facts[[0, 1, 2, 3]]), article(facts[[3, 4, 0, 5]]))
    assert {(l.a, l.b) for l in found} == {((0,), (2,)), ((3,), (0,))}
    assert {l.kind for l in found} == {"same-fact"}


def test_shared_numbers_add_evidence():
    facts = random_basis(4, seed=3)
    a = article(unit([facts[0] + facts[1], facts[2]]))
    b = article(unit([facts[0] + facts[1] * 0.98, facts[3]]))
    plain = links(a, b, threshold=5.0)
    assert plain == []
    found = links(a, b, [("500",), ()], [("500",), ()], threshold=5.0, number_bonus=10.0)
    assert [(l.a, l.b, l.shared_numbers) for l in found] == [((0,), (0,), ("500",))]


def test_a_sentence_that_states_part_of_another_is_a_partial_link():
    facts = random_basis(8, seed=4)
    # A#0 states facts 0 and 1 (clauses at 0-40 and 41-90); B#1 states only fact 1
    a = article(unit([facts[0] + facts[1], facts[2], facts[3]]), {0: [((0, 40), facts[0]), ((41, 90), facts[1])]})
    b = article(unit([facts[4], facts[1], facts[5], facts[6]]))
    found = links(a, b)
    assert [(l.a, l.b, l.kind, l.part_a, l.part_b) for l in found] == [((0,), (1,), "partial", (41, 90), None)]


def test_a_merged_sentence_links_both_partners_by_different_parts():
    facts = random_basis(8, seed=5)
    a = article(unit([facts[0] + facts[1], facts[2], facts[6]]), {0: [((0, 40), facts[0]), ((41, 90), facts[1])]})
    b = article(unit([facts[1], facts[3], facts[0], facts[4]]))
    found = links(a, b)
    assert {(l.a, l.b, l.part_a) for l in found} == {((0,), (0,), (41, 90)), ((0,), (2,), (0, 40))}
    assert {l.kind for l in found} == {"partial"}
    # with one partner per sentence, only the better part links
    assert len(links(a, b, max_partners=1)) == 1


def test_a_strong_second_partner_is_not_lost_to_a_weaker_first_link():
    # A0 packs facts 0 and 1; A1 is weakly about fact 1.  B1 (fact 1) matches A0's
    # second part far better than it matches A1, so it is A0's second partner,
    # even though A1-B1 alone is above the threshold (linking in one best-first
    # pass; linking all first links before any second partner gave A1-B1)
    facts = random_basis(8, seed=5)
    a = article(unit([facts[0] + facts[1], facts[1] * 0.7 + facts[5], facts[6]]), {0: [((0, 40), facts[0]), ((41, 90), facts[1])]})
    b = article(unit([facts[0], facts[1], facts[3], facts[4]]))
    scorer = PairScorer(a, b, 4, 0.5, AlignParams().part_penalty)
    first, second, weaker = scorer.cells([(0, 0), (0, 1), (1, 1)])
    assert first.score > second.score > weaker.score > 0.3
    assert {(l.a, l.b) for l in links(a, b, threshold=0.3)} == {((0,), (0,)), ((0,), (1,))}


def test_one_sentence_absorbs_a_split_neighbour():
    facts = random_basis(5, seed=2)
    # A: one sentence carrying facts 0 and 1 (no clauses); B: 0 and 1 in two adjacent sentences
    a = article(unit([facts[0] + facts[1], facts[2], facts[4] * 0.2 + facts[3]]))
    b = article(unit([facts[0], facts[1], facts[3], random_basis(1, seed=9)[0]]))
    assert ((0,), (0, 1)) in {(l.a, l.b) for l in links(a, b)}


@pytest.mark.parametrize("block", [3, 7, 10_000])
def test_blockwise_margins_equal_the_dense_computation(monkeypatch, block):
    monkeypatch.setattr(score_module, "BLOCK_UNITS", block)
    a, b = random_basis(23, seed=6), random_basis(17, seed=7)
    scorer = PairScorer(article(a), article(b), 4, 0.5, 0.0)
    dense = margin_scores(a @ b.T, 4)
    cells = scorer.cells([(i, j) for i in range(23) for j in range(17)])
    got = np.array([c.whole for c in cells]).reshape(23, 17)
    np.testing.assert_allclose(got, dense, atol=1e-5)
    # every cell with a positive margin is a candidate
    positive = {(int(i), int(j)) for i, j in zip(*np.nonzero(dense > 0))}
    assert positive <= set(scorer.candidates())
