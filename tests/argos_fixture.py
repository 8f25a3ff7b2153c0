"""Build small but real argos packages for tests and benchmarks, offline.

A package is what argostranslate installs: a zip of one folder holding
``metadata.json``, ``sentencepiece.model`` and ``model/`` (CTranslate2).  Here
the SentencePiece model is trained on NTREX dev lines and the translation
model is a randomly initialised MarianMT transformer converted with
CTranslate2's own converter, so every code path is the real one; only the
output wording is meaningless.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

NTREX = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "ntrex-dev"


def training_lines(n: int = 300) -> list[str]:
    lines = []
    for name in ("vie.txt", "ind.txt", "eng.txt"):
        lines += (NTREX / name).read_text(encoding="utf-8").splitlines()[:n]
    return lines


def build_model(
    workdir: Path,
    *,
    sp_vocab: int = 400,
    vocab_size: int | None = None,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 64,
    seed: int = 0,
    eos_bias: float = 0.0,
    sp_lines: int = 300,
) -> tuple[Path, Path]:
    """Train SentencePiece, build a random MarianMT model, convert it. Returns (sp_model, ct2_dir)."""
    import sentencepiece as spm
    import torch
    from ctranslate2.converters import TransformersConverter
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "train.txt"
    corpus.write_text("\n".join(training_lines(sp_lines)), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(workdir / "sp"), vocab_size=sp_vocab, character_coverage=1.0,
        bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, eos_piece="</s>", unk_piece="<unk>", minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_file=str(workdir / "sp.model"))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    # pad the vocabulary to the requested size (the shape of a real 32k model)
    for i in range(len(vocab), (vocab_size or len(vocab) + 1) - 1):
        vocab[f"<extra_{i}>"] = i
    vocab["<pad>"] = len(vocab)  # Marian keeps <pad> last; the converter drops it
    hf = workdir / "hf"
    hf.mkdir(exist_ok=True)
    shutil.copy(workdir / "sp.model", hf / "source.spm")
    shutil.copy(workdir / "sp.model", hf / "target.spm")
    (hf / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    MarianTokenizer(vocab=str(hf / "vocab.json"), source_spm=str(hf / "source.spm"), target_spm=str(hf / "target.spm")).save_pretrained(hf)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads, encoder_ffn_dim=ffn, decoder_ffn_dim=ffn,
        max_position_embeddings=512, pad_token_id=len(vocab) - 1, eos_token_id=0,
        decoder_start_token_id=len(vocab) - 1, forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    if eos_bias:
        # random weights never choose </s>; a bias on it gives sentence-like output lengths
        with torch.no_grad():
            model.final_logits_bias[0, 0] = eos_bias
    model.save_pretrained(hf)
    TransformersConverter(str(hf)).convert(str(workdir / "ct2"), force=True)
    return workdir / "sp.model", workdir / "ct2"


def package(
    sp_model: Path,
    ct2_dir: Path,
    dest: Path,
    *,
    from_code: str = "vi",
    to_code: str = "en",
    version: str = "1.0",
    with_model: bool = True,
) -> Path:
    """Zip an argos package (``translate-<from>_<to>-<version>``) into ``dest``."""
    folder = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {
        "package_version": version, "argos_version": "1.9", "from_code": from_code, "to_code": to_code,
        "from_name": from_code, "to_name": to_code, "type": "translate",
    }
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{folder}{'' if with_model else '-nomodel'}.argosmodel"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{folder}/metadata.json", json.dumps(metadata))
        zf.writestr(f"{folder}/README.md", "Test package: random weights, meaningless output.\n")
        zf.write(sp_model, f"{folder}/sentencepiece.model")
        if with_model:
            for f in sorted(ct2_dir.iterdir()):
                zf.write(f, f"{folder}/model/{f.name}")
    return path


def build_packages(dest: Path) -> dict[str, Path]:
    """The test set: vi->en, id->en, en->vi (wrong direction), vi->en without a model."""
    with tempfile.TemporaryDirectory() as tmp:
        sp_model, ct2 = build_model(Path(tmp))
        return {
            "vi": package(sp_model, ct2, dest, from_code="vi"),
            "id": package(sp_model, ct2, dest, from_code="id"),
            "wrong-direction": package(sp_model, ct2, dest, from_code="en", to_code="vi"),
            "no-model": package(sp_model, ct2, dest, from_code="vi", with_model=False),
        }
