"""Deterministic stand-ins for the models, so pipeline tests run in milliseconds.

Only the models are faked: the pipeline, alignment, summary and renderers are
the real code.  A few tests (tests/test_examples.py, tests/test_cli.py) load
the real all-MiniLM-L6-v2 and multilingual-e5.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from aligner.pipeline import Components
from aligner.translate import EnglishText, TranslationMemory

DIM = 64


def _word_vector(word: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word.encode("utf-8")).digest()[:8], "little")
    return np.random.default_rng(seed).standard_normal(DIM)


class BagOfWordsEmbedder:
    """Sum of fixed random word vectors, normalised: sentences sharing words are close."""

    name = "fake-bow"
    id = "tests/bag-of-words"
    version = "1"

    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i] += _word_vector(word)
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        return out


def components(memory: TranslationMemory | None = None, cross_lingual: bool = True) -> Components:
    """Fake embedders; English from ``memory`` (else none, or the text itself for English articles)."""

    def render(articles):
        out = []
        for lang, sentences in articles:
            row = []
            for s in sentences:
                hit = memory.lookup(lang, s) if memory else None
                row.append(EnglishText(s, "original") if lang == "en" else EnglishText(hit, "memory") if hit else EnglishText(None, "none"))
            out.append(row)
        return out

    return Components(english=BagOfWordsEmbedder(), cross_lingual=BagOfWordsEmbedder() if cross_lingual else None, to_english=render)
