"""Translation throughput per model family, and against argostranslate's own path, in one run.

Usage:  .venv/bin/python benchmarks/translate_families.py [--sentences 100] [--max-len 48] [--repeat 1]

No real model can be downloaded here, so every model is built with random
weights by tests/ct2_fixtures.py and converted with CTranslate2's own
converter, in a real shape:

* argos-sentencepiece, argos-bpe, marian: transformer-base (6+6 layers,
  d_model 512, 8 heads, FFN 2048), vocabulary padded to 32,000 -- the shape of
  argos packages and OPUS-MT models.  marian is the argos-sentencepiece model
  registered as an OPUS-MT directory (same weights; the source ends in </s>);
* m2m100, nllb: NLLB-200-distilled-600M's layer shape (d_model 1024, 16 heads,
  FFN 4096) but 3+3 layers instead of 12+12 and a 32,000-token vocabulary
  instead of 256,000 -- the full model is ~4x slower per token than this one;
* t5: MADLAD-400's architecture (gated-GELU T5, relative attention) at
  t5-small width (d_model 512, 8 heads, FFN 1024, 6+6 layers); MADLAD-400-3B
  is ~30x the parameters.

The same --sentences lines of aligner/data/ntrex-dev/vie.txt (NTREX-128,
CC BY-SA 4.0) go through aligner's Ct2Translator for each family: one
translate_batch, sorted by length, token-bounded batches, int8, beam 2.
Random weights never choose </s>, so every output runs to --max-len tokens:
the work per sentence is the same for every family and the table compares
architectures, not output lengths.  argostranslate's own path
(PackageTranslation.translate: beam 4, max_batch_size 32 tokens, compute
type auto, its decoding capped at the same --max-len by a thin wrapper, and
aligner's sentence splitter instead of MiniSBD, which downloads a model) runs
on the argos-sentencepiece package; aligner with beam 4 separates batching
from beam width.

It also prints which placeholder forms for glossary terms survive each
family's tokenisers (known pieces on both sides, decoded back intact).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CANDIDATES = ("XTERM0X", "⟨T0⟩", "[T0]", "__T0__", "<T0>", "#0#")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=100)
    ap.add_argument("--max-len", type=int, default=48)
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per path; the median is reported")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aligner-bench-families-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build(work: Path) -> dict[str, tuple[Path, str]]:
    """Each family's models directory and a description of its shape."""
    from aligner.translate import installed, packages
    from tests import ct2_fixtures as fx
    from tests.argos_fixture import package

    base = fx.Shape(d_model=512, layers=6, heads=8, ffn=2048, vocab=32000)
    wide = fx.Shape(d_model=1024, layers=3, heads=16, ffn=4096, vocab=32000)
    small_t5 = fx.Shape(d_model=512, layers=6, heads=8, ffn=1024, vocab=32000)
    out = {}

    sp_model, ct2 = fx.marian_spm_model(work / "sp", base, sp_vocab=4000, lines=1000)
    d = work / "argos-sentencepiece"
    packages.install_file(package(sp_model, ct2, work / "dist", from_code="vi"), d)
    out["argos-sentencepiece"] = (d, "transformer-base, 32k vocabulary")

    codes, bpe_ct2 = fx.bpe_model(work / "bpe", base, merges=4000, lines=1000)
    d = work / "argos-bpe"
    packages.install_file(package(codes, bpe_ct2, work / "dist-bpe", from_code="vi", version="1.9"), d)
    out["argos-bpe"] = (d, "transformer-base, BPE vocabulary padded to 32k")

    opus = work / "opus-mt-vi-en"
    shutil.copytree(ct2, opus)
    for name in ("source.spm", "target.spm"):
        shutil.copy(sp_model, opus / name)
    out["marian"] = (_register(work / "marian", opus, installed), "the argos-sentencepiece model as an OPUS-MT directory")

    for name, builder, shape, what in (
        ("m2m100", fx.build_m2m100, wide, "NLLB-600M layer shape, 3+3 of 12+12 layers, 32k vocabulary"),
        ("nllb", fx.build_nllb, wide, "NLLB-600M layer shape, 3+3 of 12+12 layers, 32k vocabulary"),
        ("t5", fx.build_t5, small_t5, "MADLAD-400 architecture at t5-small width (6+6, d_model 512)"),
    ):
        model_dir = builder(work / name, shape, sp_vocab=4000, lines=1000)
        out[name] = (_register(work / f"{name}-models", model_dir, installed), what)
    return out


def _register(models_dir: Path, model_dir: Path, installed) -> Path:
    installed.register(models_dir, model_dir, langs=("vi",), version="bench")
    return models_dir


def parameters(models_dir: Path) -> float:
    from aligner.translate.installed import find_model
    from aligner.translate.families import family
    from aligner.translate.modelfile import _read_header

    model = find_model(models_dir, "vi")
    fam = family(model.family)(model.path, "vi")
    _, _, variables = _read_header(fam.model_dir / "model.bin", str(model.path))
    return sum(math.prod(shape) for shape in variables.values() if len(shape) >= 1) / 1e6


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def argostranslate_time(models_dir: Path, lines: list[str], cap: int, repeat: int) -> float:
    from argos_translate import argostranslate_path  # the sibling benchmark's harness

    os.environ["ARGOS_PACKAGES_DIR"] = str(models_dir)
    translate = argostranslate_path("vi", cap)
    return median_time(lambda: translate(lines), repeat)


def placeholder_table(dirs: dict[str, tuple[Path, str]]) -> list[str]:
    from aligner.translate import Ct2Translator
    from aligner.translate.modelfile import check_model_dir

    rows = []
    for name, (d, _) in dirs.items():
        fam = Ct2Translator(d)._load("vi").family
        vocabulary = set(check_model_dir(fam.model_dir).target_vocabulary)
        cells = []
        for form in CANDIDATES:
            source = fam.encode(f"Trung Quốc có 500 {form}.")
            target = fam.encode_target(f"China has 500 {form}.")
            ok = set(source) <= vocabulary and set(target) <= vocabulary and form in fam.decode(target)
            cells.append(f"{form}:{'ok' if ok else 'lost'}")
        rows.append(f"  {name:20s} " + "  ".join(cells))
    return rows


def run(work: Path, args) -> None:
    # argostranslate reads these when imported; keep it away from the user's home
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(work / var.lower())
    from aligner.translate import Ct2Translator
    from tests.ct2_fixtures import NTREX

    t = time.perf_counter()
    dirs = build(work)
    print(f"built and converted {len(dirs)} models in {time.perf_counter() - t:.0f} s")

    lines = [l for l in (NTREX / "vie.txt").read_text(encoding="utf-8").splitlines() if l.strip()][: args.sentences]
    n, cap = len(lines), args.max_len
    rows, speeds = [], {}
    for name, (d, what) in dirs.items():
        tr = Ct2Translator(d, beam_size=2, max_decoding_length=cap)
        tr.translate("vi", lines[:2])  # load outside the timing
        fam = tr._loaded["vi"].family
        src_tokens = statistics.mean(len(fam.encode(l)) for l in lines)
        sec = median_time(lambda: tr.translate("vi", lines), args.repeat)
        speeds[name] = n / sec
        rows.append((name, what, parameters(d), src_tokens, n / sec))

    argos_dir = dirs["argos-sentencepiece"][0]
    beam4 = Ct2Translator(argos_dir, beam_size=4, max_decoding_length=cap)
    beam4.translate("vi", lines[:2])
    aligner4 = n / median_time(lambda: beam4.translate("vi", lines), args.repeat)
    argos = n / argostranslate_time(argos_dir, lines, cap, args.repeat)

    print(f"{n} sentences from ntrex-dev/vie.txt, every output {cap} tokens (random weights), int8, {os.cpu_count()} cores, "
          f"median of {args.repeat} run(s)")
    print(f"  {'family':20s} {'params':>8s} {'src tok':>8s} {'sent/s':>8s} {'vs argos-sp':>12s}  shape")
    for name, what, params, src, rate in rows:
        print(f"  {name:20s} {params:7.0f}M {src:8.1f} {rate:8.1f} {rate / speeds['argos-sentencepiece']:11.2f}x  {what}")
    print(f"  {'argostranslate (argos-sentencepiece package, its defaults: beam 4)':68s} {argos:8.1f} sent/s")
    print(f"aligner (beam 2) / argostranslate (defaults):   {speeds['argos-sentencepiece'] / argos:.2f}x")
    print(f"aligner / argostranslate, both beam 4:           {aligner4 / argos:.2f}x")
    print("placeholder forms through each family's tokenisers (known pieces both ways, decoded back intact):")
    for row in placeholder_table(dirs):
        print(row)


if __name__ == "__main__":
    main()
