"""Moses tokenisation + BPE merges, the tokeniser of argos packages that ship ``bpe.model``.

Public surface: :class:`BpeCodes`, :class:`MosesBpe`.

``bpe.model`` is a subword-nmt codes file: an optional ``#version: 0.2``
line, then one merge per line (``a b``), best first.  The merges are applied
by subword-nmt's own ``apply_bpe`` (no dropout, vocabulary filter or
glossaries: argos uses none of them); aligner only checks the file first, so
that a damaged one is one clear error instead of subword-nmt's exit.
Tokenisation around it is argostranslate's: Moses punctuation normalisation
and tokenisation (sacremoses) of the source language, detokenisation in English.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from aligner.errors import TranslationError

SEPARATOR = "@@"


class BpeCodes:
    """A checked codes file, applied by subword-nmt's ``BPE``."""

    def __init__(self, text: str):
        from subword_nmt.apply_bpe import BPE

        self._bpe = BPE(io.StringIO(text), separator=SEPARATOR)
        self.version = self._bpe.version

    @classmethod
    def load(cls, path: Path) -> "BpeCodes":
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise TranslationError(f"{path}: unreadable BPE codes ({e})") from None
        head = [lines.pop(0)] if lines and lines[0].startswith("#version:") else []
        if head and not re.fullmatch(
            r"\d+(\.\d+)*", head[0].split()[-1] if head[0].split()[1:] else ""
        ):
            raise TranslationError(f"{path}:1: the version line must read like '#version: 0.2'")
        merges = []
        for number, line in enumerate(lines, start=len(head) + 1):
            if not line.strip():
                continue
            if len(line.strip("\r\n ").split(" ")) != 2:
                raise TranslationError(
                    f"{path}:{number}: a BPE merge must be two symbols separated by one space"
                )
            merges.append(line)
        if not merges:
            raise TranslationError(f"{path}: no BPE merges")
        return cls("\n".join(head + merges) + "\n")

    def word(self, word: str) -> tuple[str, ...]:
        """The BPE pieces of one word, without separators."""
        pieces = self.segment([word])
        return tuple(
            p[: -len(SEPARATOR)] if p.endswith(SEPARATOR) else p for p in pieces[:-1]
        ) + tuple(pieces[-1:])

    def segment(self, words: list[str]) -> list[str]:
        """The BPE pieces of words, every piece but a word's last followed by ``@@``."""
        return self._bpe.segment_tokens([w for w in words if w])


class MosesBpe:
    """Text <-> BPE tokens the way argostranslate's BPETokenizer does it."""

    def __init__(self, codes_path: Path, source_lang: str, target_lang: str = "en"):
        try:
            from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer
        except ImportError:
            raise TranslationError(
                "this package uses BPE (bpe.model); install sacremoses: pip install sacremoses"
            ) from None
        self.codes = BpeCodes.load(codes_path)
        self.normalizer = MosesPunctNormalizer(source_lang)
        self.tokenizer = MosesTokenizer(source_lang)
        self.detokenizer = MosesDetokenizer(target_lang)

    def encode(self, text: str) -> list[str]:
        words = (
            " ".join(self.tokenizer.tokenize(self.normalizer.normalize(text)))
            .strip("\r\n ")
            .split(" ")
        )
        return self.codes.segment(words)

    def decode(self, tokens: list[str]) -> str:
        return self.detokenizer.detokenize(" ".join(tokens).replace(SEPARATOR + " ", "").split(" "))
