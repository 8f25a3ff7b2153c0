"""Moses tokenisation + BPE merges, the tokeniser of argos packages that ship ``bpe.model``.

Public surface: :class:`BpeCodes`, :class:`MosesBpe`.

``bpe.model`` is a subword-nmt codes file: an optional ``#version: 0.2``
line, then one merge per line (``a b``), best first.  Words are split into
characters (the last one marked ``</w>``), the best-ranked adjacent pair is
merged everywhere until no pair is ranked; non-final pieces get ``@@``.
That is subword-nmt's ``apply_bpe`` without dropout, vocabulary filter or
glossaries (argos uses none of them); ``tests/test_translate_families.py``
checks the output against subword-nmt itself.  Tokenisation around it is
argostranslate's: Moses punctuation normalisation and tokenisation
(sacremoses) of the source language, detokenisation in English.
"""

from __future__ import annotations

from pathlib import Path

from aligner.errors import TranslationError

SEPARATOR = "@@"
END = "</w>"


class BpeCodes:
    def __init__(self, ranks: dict[tuple[str, str], int], version: tuple[int, int]):
        self.ranks = ranks
        self.version = version
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def load(cls, path: Path) -> "BpeCodes":
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise TranslationError(f"{path}: unreadable BPE codes ({e})") from None
        version = (0, 1)
        if lines and lines[0].startswith("#version:"):
            version = (0, 2) if lines.pop(0).split()[-1].startswith("0.2") else (0, 1)
        ranks: dict[tuple[str, str], int] = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            pair = line.strip("\r\n ").split(" ")
            if len(pair) != 2:
                raise TranslationError(f"{path}:{number}: a BPE merge must be two symbols separated by one space")
            ranks.setdefault((pair[0], pair[1]), len(ranks))
        return cls(ranks, version)

    def word(self, word: str) -> tuple[str, ...]:
        """The BPE pieces of one word, without separators."""
        if word in self._cache:
            return self._cache[word]
        if len(word) == 1:
            return (word,)
        if self.version == (0, 1):
            symbols = [*word, END]
        else:
            symbols = [*word[:-1], word[-1] + END]
        while len(symbols) > 1:
            ranked = [(self.ranks[p], i) for i, p in enumerate(zip(symbols, symbols[1:])) if p in self.ranks]
            if not ranked:
                break
            _, first = min(ranked)
            best = (symbols[first], symbols[first + 1])
            merged, i = [], 0
            while i < len(symbols):
                if i < len(symbols) - 1 and (symbols[i], symbols[i + 1]) == best:
                    merged.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    merged.append(symbols[i])
                    i += 1
            symbols = merged
        if symbols[-1] == END:
            symbols.pop()
        elif symbols[-1].endswith(END):
            symbols[-1] = symbols[-1][: -len(END)]
        pieces = tuple(symbols)
        self._cache[word] = pieces
        return pieces

    def segment(self, words: list[str]) -> list[str]:
        out: list[str] = []
        for word in words:
            if not word:
                continue
            pieces = self.word(word)
            out += [p + SEPARATOR for p in pieces[:-1]]
            out.append(pieces[-1])
        return out


class MosesBpe:
    """Text <-> BPE tokens the way argostranslate's BPETokenizer does it."""

    def __init__(self, codes_path: Path, source_lang: str, target_lang: str = "en"):
        try:
            from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer
        except ImportError:
            raise TranslationError("this package uses BPE (bpe.model); install sacremoses: pip install sacremoses") from None
        self.codes = BpeCodes.load(codes_path)
        self.normalizer = MosesPunctNormalizer(source_lang)
        self.tokenizer = MosesTokenizer(source_lang)
        self.detokenizer = MosesDetokenizer(target_lang)

    def encode(self, text: str) -> list[str]:
        words = " ".join(self.tokenizer.tokenize(self.normalizer.normalize(text))).strip("\r\n ").split(" ")
        return self.codes.segment(words)

    def decode(self, tokens: list[str]) -> str:
        return self.detokenizer.detokenize(" ".join(tokens).replace(SEPARATOR + " ", "").split(" "))
