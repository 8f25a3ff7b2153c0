"""Alignment quality on real news: comparable pairs built from NTREX-128 dev.

* :mod:`aligner.evaluation.pairs` -- seeded comparable pairs with gold (plain and partial-overlap modes);
* :mod:`aligner.evaluation.methods` -- the aligner and the baselines, on the same embeddings;
* :mod:`aligner.evaluation.harness` -- prepare, score, tune on even documents, report odd ones.

Not on the path of ``aligner align``: it uses the pipeline's public stages only.
NTREX-128 (Federmann, Kocmi, Xin 2022), CC BY-SA 4.0.
"""
