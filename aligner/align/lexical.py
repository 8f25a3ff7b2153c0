"""Shared rare content words of two sentences' English: lexical evidence for a link.

Public surface: :class:`WordOverlap`.

Sentence embeddings rank "US officials expressed frustration that China showed
little interest" as close to "despite US concerns about China's nuclear build-up"
as to "a senior US official publicly expressed frustration at China's response":
all three are about the US, China and nuclear weapons.  A reader links the
first and the third because they share the rare word that carries the fact,
*frustration*.  This is the classic word-overlap feature of comparable-corpus
mining (Munteanu & Marcu 2005), weighted so that only rare words count: each
content word weighs its inverse document frequency over the sentences of the
two articles, and a pair scores the cosine of its binary tf-idf vectors (0 to
1).  Words the whole story repeats (China, nuclear) weigh little; a word found
in one sentence of each article weighs most.

The evidence saturates: :meth:`WordOverlap.strength` is the cosine over
``SATURATION`` (0.2, about two rare words shared by sentences of average
length), at most 1.  Without the cap, pairs that repeat many words got bonuses
far above their margins, and thresholds tuned on one half of the evaluation
documents no longer fitted the other half.

Only English is compared (machine, memory or original), so a sentence without
English has no overlap with anything.  Names (capitalised words inside a
sentence) are not content words here: a story's people and places recur in
many of its sentences.  Words are compared by their Snowball stems
(expressed/expressing, country/countries), and a link's shared words are
shown as its sentences write them ("countries", not the stem "countri").
"""

from __future__ import annotations

import math

from aligner.facts import content_word_forms

SATURATION = 0.2  # the tf-idf cosine at which the evidence is full


class WordOverlap:
    """tf-idf overlap of every sentence of article A with every sentence of article B."""

    def __init__(self, english_a: list[str | None], english_b: list[str | None]):
        self.forms_a = [content_word_forms(t) if t else {} for t in english_a]  # stem -> word as written
        self.forms_b = [content_word_forms(t) if t else {} for t in english_b]
        self.words_a = [frozenset(f) for f in self.forms_a]
        self.words_b = [frozenset(f) for f in self.forms_b]
        documents = [w for w in self.words_a + self.words_b if w]
        df: dict[str, int] = {}
        for words in documents:
            for word in words:
                df[word] = df.get(word, 0) + 1
        n = len(documents)
        self.idf = {word: math.log(n / count) for word, count in df.items()}
        self._norm_a = [self._norm(w) for w in self.words_a]
        self._norm_b = [self._norm(w) for w in self.words_b]

    def _norm(self, words: frozenset[str]) -> float:
        return math.sqrt(sum(self.idf[w] ** 2 for w in words))

    def similarity(self, i: int, j: int) -> float:
        """Cosine of the tf-idf vectors of sentence i of A and sentence j of B (0 when either has no English)."""
        denominator = self._norm_a[i] * self._norm_b[j]
        if not denominator:
            return 0.0
        shared = self.words_a[i] & self.words_b[j]
        return sum(self.idf[w] ** 2 for w in shared) / denominator

    def strength(self, i: int, j: int) -> float:
        """The evidence of the pair, 0 to 1: its similarity over :data:`SATURATION`, capped."""
        return min(1.0, self.similarity(i, j) / SATURATION)

    def shared(self, a: tuple[int, ...], b: tuple[int, ...]) -> tuple[str, ...]:
        """The content words sentences ``a`` of A and ``b`` of B share, rarest first, each as
        the first of sentences ``a`` writes it (lower-cased): "officials", not the stem "offici"."""
        words_a = frozenset().union(*(self.words_a[i] for i in a))
        words_b = frozenset().union(*(self.words_b[j] for j in b))
        stems = sorted(words_a & words_b, key=lambda w: (-self.idf[w], w))
        return tuple(next(self.forms_a[i][w] for i in a if w in self.forms_a[i]) for w in stems)
