"""Translation throughput: aligner's translator vs argostranslate's own path vs raw CTranslate2.

Usage:  .venv/bin/python benchmarks/argos_translate.py [--sentences 300] [--max-len 64]

No real vi->en argos package can be downloaded here, so the script builds one
with the shape of a real argos package: transformer-base (6+6 layers,
d_model 512, 8 heads, FFN 2048), a 32,000-token vocabulary (a SentencePiece
model trained on NTREX dev text, padded with extra tokens to that size),
random weights with a bias on </s> so outputs end at sentence-like lengths.
It is converted with CTranslate2's own converter and installed as an
.argosmodel.  The same ~300 lines of aligner/data/ntrex-dev/vie.txt
(NTREX-128, CC BY-SA 4.0) go through:

(a) aligner's Ct2Translator (all sentences in one translate_batch call,
    sorted by length, token-bounded batches, int8, its default beam 2; and
    once more with beam 4 to separate batching from beam width);
(b) argostranslate's PackageTranslation.translate on the text, one paragraph
    per line, i.e. apply_packaged_translation with its default settings
    (beam 4, max_batch_size 32 tokens, compute_type auto).  Its default
    sentence splitter (MiniSBD) downloads a model at run time, so it is handed
    a local splitter: aligner.segment.split_sentences;
(c) raw ctranslate2.Translator.translate_batch on the same token lists with
    aligner's settings.

Decoding length: every path is capped at --max-len tokens.  (a) and (c) pass
max_decoding_length; argostranslate exposes no such option, so for (b) the cap
is applied by handing its translator a thin wrapper that adds the same
max_decoding_length to each translate_batch call (nothing else changes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EOS_BIAS = 2.0
sys.path.insert(0, str(ROOT))


def argostranslate_path(lang: str, cap: int):
    """argostranslate's own translation of the installed ``lang`` package, as a function of lines.

    Its MiniSBD splitter downloads a model at run time, so it gets
    aligner.segment.split_sentences; its translator gets a thin wrapper adding
    ``max_decoding_length=cap`` to each translate_batch call (nothing else changes).
    Reads $ARGOS_PACKAGES_DIR, so set it before calling.  Shared with translate_families.py.
    """
    import argostranslate.package
    import argostranslate.translate as at

    from aligner.segment import split_sentences

    package = next(p for p in argostranslate.package.get_installed_packages() if p.from_code == lang)

    class LocalSplitter:
        def split_sentences(self, text):
            return [text[s:e] for s, e in split_sentences(text, lang)]

    class CappedTranslator:
        def __init__(self, inner):
            self.inner = inner

        def translate_batch(self, *a, **kw):
            return self.inner.translate_batch(*a, max_decoding_length=cap, **kw)

    translation = at.PackageTranslation(None, None, package)
    translation.sentencizer = LocalSplitter()
    translation.translate("x")  # builds its ctranslate2.Translator
    translation.translator = CappedTranslator(translation.translator)
    return lambda lines: translation.translate("\n".join(lines))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="aligner-bench-"))
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=300)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per path; the median is reported")
    args = ap.parse_args()

    # argostranslate reads these when imported; keep it away from the user's home
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(work / var.lower())

    from aligner.translate import packages
    from aligner.translate import Ct2Translator
    from tests.argos_fixture import NTREX, build_model, package

    t = time.perf_counter()
    sp_model, ct2_dir = build_model(
        work / "model", sp_vocab=4000, vocab_size=32000, d_model=512, layers=6, heads=8, ffn=2048,
        eos_bias=EOS_BIAS, sp_lines=1000,
    )
    pkg_file = package(sp_model, ct2_dir, work / "dist", from_code="vi")
    pkg = packages.install_file(pkg_file, work / "packages")
    print(f"built and installed {pkg.name} ({pkg.size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")

    lines = [l for l in (NTREX / "vie.txt").read_text(encoding="utf-8").splitlines() if l.strip()][: args.sentences]
    cap = args.max_len

    def median_time(fn) -> float:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    results = {}
    translators = {beam: Ct2Translator(work / "packages", beam_size=beam, max_decoding_length=cap) for beam in (2, 4)}
    for tr in translators.values():
        tr.translate("vi", lines[:2])  # load the model outside the timing
    loaded = translators[2]._load("vi")
    translator, family = loaded.translator, loaded.family
    tokens = [family.encode(l) for l in lines]
    out = translators[2].translate("vi", lines)
    assert len(out) == len(lines)
    out_tokens = [len(family.encode_target(o)) for o in out]
    for beam in (2, 4):
        # (a) aligner: strings in, strings out (tokenisation included)
        results[f"aligner (beam {beam})"] = median_time(lambda: translators[beam].translate("vi", lines))
        # (c) raw CTranslate2 with aligner's settings on the same token lists
        results[f"raw ctranslate2 (beam {beam})"] = median_time(
            lambda: translator.translate_batch(tokens, beam_size=beam, max_batch_size=2048, batch_type="tokens", max_decoding_length=cap)
        )

    # (b) argostranslate's own path
    argos_own = argostranslate_path("vi", cap)
    results["argostranslate apply_packaged_translation (beam 4)"] = median_time(lambda: argos_own(lines))

    n = len(lines)
    print(f"{n} sentences from ntrex-dev/vie.txt, decoding capped at {cap} tokens, {os.cpu_count()} cores, median of {args.repeat} runs")
    print(f"source length {statistics.mean(len(t) for t in tokens):.1f} tokens on average; output (beam 2) {statistics.mean(out_tokens):.1f} tokens, {sum(o >= cap - 1 for o in out_tokens)} outputs hit the cap")
    for name, sec in results.items():
        print(f"  {name:52s} {n / sec:8.1f} sentences/s  ({sec:.2f} s)")
    a2, a4 = results["aligner (beam 2)"], results["aligner (beam 4)"]
    argos = results["argostranslate apply_packaged_translation (beam 4)"]
    raw2, raw4 = results["raw ctranslate2 (beam 2)"], results["raw ctranslate2 (beam 4)"]
    print(f"aligner (defaults) / argostranslate (defaults): {argos / a2:.2f}x")
    print(f"aligner / argostranslate, both beam 4:          {argos / a4:.2f}x")
    print(f"aligner / raw ctranslate2, beam 2:              {raw2 / a2:.2f}x")
    print(f"aligner / raw ctranslate2, beam 4:              {raw4 / a4:.2f}x")


if __name__ == "__main__":
    main()
