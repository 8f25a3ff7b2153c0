import numpy as np

from aligner.align import AlignParams, align_pair, margin_scores, ratio_margin


def unit(rows):
    m = np.asarray(rows, dtype=np.float64)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def random_basis(n, dim=64, seed=0):
    rng = np.random.default_rng(seed)
    return unit(rng.normal(size=(n, dim)))


def test_margin_discounts_a_hub_that_is_close_to_everything():
    # column 0 is a hub: cosine 0.6 to every row
    sim = np.array([[0.60, 0.55], [0.60, 0.10], [0.60, 0.10]])
    assert sim[0].argmax() == 0
    for scores in (margin_scores(sim, k=2), ratio_margin(sim, k=2)):
        assert scores[0].argmax() == 1


def test_non_monotonic_links_and_unlinked_sentences():
    facts = random_basis(6, seed=1)
    a = facts[[0, 1, 2, 3]]  # article A states facts 0-3
    b = facts[[3, 4, 0, 5]]  # article B states 3, 4, 0, 5 (different order)
    sim = a @ b.T
    links = align_pair(sim, margin_scores(sim), [()] * 4, [()] * 4, AlignParams(), (a, b))
    assert {(l.a, l.b) for l in links} == {((0,), (2,)), ((3,), (0,))}


def test_shared_numbers_add_evidence():
    sim = np.array([[0.5, 0.49], [0.49, 0.5]])
    params = AlignParams(threshold=-5.0, number_bonus=1.0)
    links = align_pair(sim, margin_scores(sim), [("500",), ()], [(), ("500",)], params)
    # the number outweighs the small cosine difference: 0 <-> 1 wins
    assert ((0,), (1,)) in {(l.a, l.b) for l in links}
    assert [l.shared_numbers for l in links if l.a == (0,)] == [("500",)]


def test_one_sentence_absorbs_a_split_neighbour():
    facts = random_basis(5, seed=2)
    # A: one sentence carrying facts 0 and 1; B: 0 and 1 in two sentences, plus unrelated ones
    a = unit([facts[0] + facts[1], facts[2], facts[4] * 0.2 + facts[3]])
    b = unit([facts[0], facts[1], facts[3], random_basis(1, seed=9)[0]])
    sim = a @ b.T
    params = AlignParams()
    links = align_pair(sim, margin_scores(sim), [()] * 3, [()] * 4, params, (a, b))
    assert ((0,), (0, 1)) in {(l.a, l.b) for l in links}


def test_empty_article_gives_no_links():
    assert align_pair(np.zeros((0, 3)), np.zeros((0, 3)), [], [(), (), ()]) == []
