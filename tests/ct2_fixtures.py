"""Tiny but real CTranslate2 models of every supported family, built offline for tests.

Each builder trains its tokeniser on NTREX dev lines, builds a randomly
initialised Hugging Face model of the family's real architecture from a
config (``Shape``: one layer each side unless told otherwise), sets the weights (the
tests' ``TINY`` models are substitution ciphers by construction, tests/copy_weights.py; other
shapes, for benchmarks, get random weights), saves model and tokenizer, and converts the
folder with CTranslate2's own ``TransformersConverter``, copying the tokenizer files a user would copy
(``--copy_files``).  Only building needs transformers/torch (the ``dev``
extra); translating needs ctranslate2 + sentencepiece (+ sacremoses for BPE).

Families and what the builders follow:

* Marian (argos-SentencePiece, OPUS-MT): ``<pad>`` is the last vocabulary entry;
* argos-BPE: Moses-tokenised text, subword-nmt merges (``bpe.model``), a Marian model over the
  BPE vocabulary;
* M2M100: the language tokens are given to the tokenizer as additional special
  tokens and the model's vocabulary covers them and the 8 ``madeupword`` tokens;
* NLLB: the vocabulary is the SentencePiece pieces plus fairseq's specials and the language codes;
* T5/MADLAD: ``<2en>``-style tokens are user-defined SentencePiece pieces.

Over 400 lines because every family's builder follows its own tokenizer and vocabulary
conventions, and they share the training, padding and conversion helpers here.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import NTREX
from tests.copy_weights import bart_copy, t5_copy


@dataclass(frozen=True)
class Shape:
    d_model: int = 16
    layers: int = 1
    heads: int = 2
    ffn: int = 32
    vocab: int | None = None  # pad the vocabulary to this size (the shape of a real model)
    eos_bias: float = 0.0  # random weights never choose </s>; a bias gives sentence-like lengths
    copy: bool = False  # weights that encipher the source token by token (tests/copy_weights.py)


# the tests' models: wide enough for the cipher's token codes, still tiny (one layer, ~0.1M weights)
TINY = Shape(d_model=128, copy=True)


def training_lines(n: int = 300) -> list[str]:
    lines = []
    for name in ("vie.txt", "ind.txt", "eng.txt"):
        lines += (NTREX / name).read_text(encoding="utf-8").splitlines()[:n]
    return lines


def _quiet_transformers() -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def _corpus(workdir: Path, lines: int) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "train.txt"
    path.write_text("\n".join(training_lines(lines)), encoding="utf-8")
    return path


def train_sentencepiece(
    workdir: Path, prefix: str, vocab_size: int = 400, lines: int = 300, **options
) -> Path:
    import sentencepiece as spm

    corpus = _corpus(workdir, lines)
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(workdir / prefix),
        vocab_size=vocab_size,
        character_coverage=1.0,
        minloglevel=2,
        **options,
    )
    return workdir / f"{prefix}.model"


def spread_weights(model, seed: int = 0) -> None:
    """Weights that make the output depend on the input: embeddings of std 1 and every other
    matrix of std 1/sqrt(fan-in) (the default std 0.02 of a fresh model lets the source barely
    reach the decoder, so different inputs gave the same few tokens).  Not for M2M100/NLLB:
    spread, they emit the target language token as output."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, weight in model.named_parameters():
            if weight.dim() < 2:
                continue
            std = 1.0 if "embed" in name or "shared" in name else weight.shape[1] ** -0.5
            weight.copy_(torch.randn(weight.shape, generator=generator) * std)


def _pad(vocab: dict, size: int | None) -> dict:
    for i in range(len(vocab), size or 0):
        vocab[f"<extra_{i}>"] = i
    return vocab


def convert(hf_dir: Path, out: Path, copy_files: tuple[str, ...] = ()) -> Path:
    from ctranslate2.converters import TransformersConverter

    TransformersConverter(str(hf_dir), copy_files=list(copy_files) or None).convert(
        str(out), force=True
    )
    return out


# ------------------------------------------------------------------ Marian


def marian_hf(
    workdir: Path, vocab_tokens: list[str], spm_model: Path, shape: Shape = TINY, seed: int = 0
) -> Path:
    """A random MarianMT model over ``vocab_tokens`` (</s> first, <unk> second) + tokenizer."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    _quiet_transformers()
    vocab = {t: i for i, t in enumerate(vocab_tokens)}
    _pad(vocab, (shape.vocab or len(vocab) + 1) - 1)
    vocab["<pad>"] = len(vocab)  # Marian keeps <pad> last; CTranslate2's loader drops it
    hf = workdir / "hf"
    hf.mkdir(parents=True, exist_ok=True)
    shutil.copy(spm_model, hf / "source.spm")
    shutil.copy(spm_model, hf / "target.spm")
    (hf / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    MarianTokenizer(
        vocab=str(hf / "vocab.json"),
        source_spm=str(hf / "source.spm"),
        target_spm=str(hf / "target.spm"),
    ).save_pretrained(hf)
    pad = len(vocab) - 1
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=512,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    if shape.copy:
        positions = model.model.encoder.embed_positions.weight.detach().numpy()
        bart_copy(model, sorted(vocab, key=vocab.get), positions, seed)
    else:
        spread_weights(model, seed)
    if shape.eos_bias:
        with torch.no_grad():
            model.final_logits_bias[0, vocab["</s>"]] = shape.eos_bias
    model.save_pretrained(hf)
    return hf


def _spm_tokens(spm_model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _marian_sentencepiece(workdir: Path, sp_vocab: int, lines: int) -> Path:
    """A SentencePiece model with Marian's special pieces: no bos, </s> = 0, <unk> = 1, no pad."""
    return train_sentencepiece(
        workdir,
        "sp",
        sp_vocab,
        lines,
        bos_id=-1,
        eos_id=0,
        unk_id=1,
        pad_id=-1,
        eos_piece="</s>",
        unk_piece="<unk>",
    )


def marian_spm_model(
    workdir: Path, shape: Shape = TINY, sp_vocab: int = 400, lines: int = 300, seed: int = 0
) -> tuple[Path, Path]:
    """(sentencepiece model, CTranslate2 dir): the model inside an argos SentencePiece package."""
    sp_model = _marian_sentencepiece(workdir, sp_vocab, lines)
    hf = marian_hf(workdir, _spm_tokens(sp_model), sp_model, shape, seed)
    return sp_model, convert(hf, workdir / "ct2")


def build_marian(workdir: Path, shape: Shape = TINY, sp_vocab: int = 400, lines: int = 300) -> Path:
    """An OPUS-MT-style CTranslate2 directory: model + source.spm/target.spm (``--copy_files``)."""
    sp_model = _marian_sentencepiece(workdir, sp_vocab, lines)
    hf = marian_hf(workdir, _spm_tokens(sp_model), sp_model, shape)
    return convert(hf, workdir / "opus-mt-vi-en", ("source.spm", "target.spm"))


# -------------------------------------------------------- BPE (argos packages ported from OPUS-MT)


def train_bpe(workdir: Path, merges: int = 300, lines: int = 300) -> tuple[Path, list[str]]:
    """subword-nmt codes learnt on Moses-tokenised text; the BPE vocabulary covering the corpus."""
    from sacremoses import MosesPunctNormalizer, MosesTokenizer
    from subword_nmt.learn_bpe import learn_bpe

    from aligner.translate.bpe import BpeCodes

    workdir.mkdir(parents=True, exist_ok=True)
    tokenised = []
    for lang, name in (("vi", "vie.txt"), ("id", "ind.txt"), ("en", "eng.txt")):
        norm, tok = MosesPunctNormalizer(lang), MosesTokenizer(lang)
        for line in (NTREX / name).read_text(encoding="utf-8").splitlines()[:lines]:
            tokenised.append(" ".join(tok.tokenize(norm.normalize(line))))
    corpus = workdir / "bpe-train.txt"
    corpus.write_text("\n".join(tokenised) + "\n", encoding="utf-8")
    codes = workdir / "bpe.model"
    with open(corpus, encoding="utf-8") as infile, open(codes, "w", encoding="utf-8") as outfile:
        with contextlib.redirect_stderr(io.StringIO()):  # its progress bar
            learn_bpe(infile, outfile, merges, min_frequency=2)
    segmenter = BpeCodes.load(codes)
    seen = dict.fromkeys(["</s>", "<unk>"])
    for line in tokenised:
        seen.update(dict.fromkeys(segmenter.segment(line.split(" "))))
    for ch in sorted({c for line in tokenised for c in line if not c.isspace()}):
        seen.update(dict.fromkeys([ch, ch + "@@"]))
    return codes, list(seen)


def bpe_model(
    workdir: Path, shape: Shape = TINY, merges: int = 300, lines: int = 300
) -> tuple[Path, Path]:
    """(bpe.model, CTranslate2 dir): the model inside an argos BPE package."""
    codes, tokens = train_bpe(workdir / "bpe", merges, lines)
    # MarianTokenizer needs SentencePiece files to exist; the vocabulary is the BPE one
    dummy = train_sentencepiece(workdir / "dummy", "sp", 250, 50)
    hf = marian_hf(workdir, tokens, dummy, shape)
    return codes, convert(hf, workdir / "ct2")


# ------------------------------------------------------------------ M2M100 / NLLB


def _m2m_config(vocab_size: int, shape: Shape):
    from transformers import M2M100Config

    return M2M100Config(
        vocab_size=vocab_size,
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=512,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )


def _vocab_list(tokenizer, size: int) -> list[str]:
    """The model's vocabulary in id order, as the converter writes it (madeupwords at the end)."""
    tokens = [t for t, _ in sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])]
    return tokens + [f"madeupword{i}" for i in range(size - len(tokens))]


def _m2m_model(cls, vocab_size: int, shape: Shape, tokenizer):
    model = cls(_m2m_config(vocab_size, shape))
    if shape.copy:
        positions = model.model.encoder.embed_positions
        bart_copy(model, _vocab_list(tokenizer, vocab_size), positions.weights[positions.offset :].numpy())
    return model


def _fairseq_vocab(spm_model: Path, size: int | None) -> dict:
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in _spm_tokens(spm_model):
        vocab.setdefault(piece, len(vocab))
    return _pad(vocab, size)


def build_m2m100(workdir: Path, shape: Shape = TINY, sp_vocab: int = 400, lines: int = 300) -> Path:
    import torch
    from transformers import M2M100ForConditionalGeneration, M2M100Tokenizer
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

    _quiet_transformers()
    sp_model = train_sentencepiece(workdir, "m2m", sp_vocab, lines)
    hf = workdir / "m2m-hf"
    hf.mkdir(parents=True, exist_ok=True)
    languages = [f"__{code}__" for code in FAIRSEQ_LANGUAGE_CODES["m2m100"]]
    base = (shape.vocab - len(languages) - 8) if shape.vocab else None
    (hf / "vocab.json").write_text(json.dumps(_fairseq_vocab(sp_model, base)), encoding="utf-8")
    shutil.copy(sp_model, hf / "sentencepiece.bpe.model")
    tokenizer = M2M100Tokenizer(
        vocab_file=str(hf / "vocab.json"),
        spm_file=str(hf / "sentencepiece.bpe.model"),
        additional_special_tokens=languages,
    )
    tokenizer.save_pretrained(hf)
    torch.manual_seed(0)
    # the converter appends the language tokens and 8 madeupword tokens: the model must cover them
    _m2m_model(M2M100ForConditionalGeneration, len(tokenizer) + 8, shape, tokenizer).save_pretrained(hf)
    return convert(hf, workdir / "m2m100", ("sentencepiece.bpe.model",))


def build_nllb(workdir: Path, shape: Shape = TINY, sp_vocab: int = 400, lines: int = 300) -> Path:
    import torch
    from transformers import M2M100ForConditionalGeneration, NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    _quiet_transformers()
    sp_model = train_sentencepiece(workdir, "nllb", sp_vocab, lines)
    hf = workdir / "nllb-hf"
    hf.mkdir(parents=True, exist_ok=True)
    shutil.copy(sp_model, hf / "sentencepiece.bpe.model")
    specials = (
        len(FAIRSEQ_LANGUAGE_CODES) + 1
    )  # the language codes and <mask>, added by the tokenizer
    tokenizer = NllbTokenizer(
        vocab=_fairseq_vocab(sp_model, shape.vocab and shape.vocab - specials)
    )
    tokenizer.save_pretrained(hf)
    torch.manual_seed(0)
    _m2m_model(M2M100ForConditionalGeneration, len(tokenizer), shape, tokenizer).save_pretrained(hf)
    return convert(hf, workdir / "nllb", ("sentencepiece.bpe.model",))


# ------------------------------------------------------------------ T5 / MADLAD


def build_t5(workdir: Path, shape: Shape = TINY, sp_vocab: int = 400, lines: int = 300) -> Path:
    import sentencepiece as spm
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    _quiet_transformers()
    sp_model = train_sentencepiece(
        workdir,
        "t5",
        sp_vocab,
        lines,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        user_defined_symbols=["<2en>", "<2vi>", "<2id>"],
    )
    hf = workdir / "t5-hf"
    hf.mkdir(parents=True, exist_ok=True)
    shutil.copy(sp_model, hf / "spiece.model")
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    pieces += [(f"<extra_{i}>", 0.0) for i in range(len(pieces), shape.vocab or 0)]
    # transformers 5 builds T5's tokenizer from the pieces (a file path gives an empty vocabulary)
    tokenizer = T5Tokenizer(vocab=pieces, extra_ids=0)
    tokenizer.save_pretrained(hf)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=shape.d_model,
        d_kv=max(shape.d_model // shape.heads, 4),
        d_ff=shape.ffn,
        num_layers=shape.layers,
        num_decoder_layers=shape.layers,
        num_heads=shape.heads,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    torch.manual_seed(0)
    model = T5ForConditionalGeneration(config)
    if shape.copy:
        t5_copy(model, _vocab_list(tokenizer, len(tokenizer)), start=tokenizer.pad_token, first="<2en>")
    else:
        spread_weights(model)
    model.save_pretrained(hf)
    return convert(hf, workdir / "madlad-t5", ("spiece.model",))


# ------------------------------------------------------------------ once per test session

_BUILT: dict[str, object] = {}


def once(name: str, build):
    """``build()`` the first time ``name`` is asked for in this process, the same result after.

    Test modules share fixtures this way (a session-scoped fixture imported
    into two modules would be built twice).
    """
    if name not in _BUILT:
        _BUILT[name] = build()
    return _BUILT[name]


def build_families(dest: Path) -> dict[str, Path]:
    """Every family: argos packages (files to install) and converted directories (to register)."""
    from tests.argos_fixture import build_packages

    argos = build_packages(dest / "argos")
    return {
        "argos-sentencepiece": argos["vi"],
        "argos-bpe": argos["id-bpe"],
        "marian": build_marian(dest / "marian"),
        "m2m100": build_m2m100(dest / "m2m100"),
        "nllb": build_nllb(dest / "nllb"),
        "t5": build_t5(dest / "t5"),
        "argos": argos,
    }
