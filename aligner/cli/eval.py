"""``aligner eval``: alignment quality on comparable pairs built from NTREX dev; markdown tables on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.align.params import AlignParams
from aligner.cli.options import field_option
from aligner.errors import ResultError

ORACLE_TITLE = ("translation memory = NTREX English (oracle): all-MiniLM-L6-v2 margin combined with "
                "multilingual-e5 (weight 0.5)")
NONE_TITLE = "--translator none (multilingual-e5 on source text)"


@click.command("eval")
@click.option("--ntrex", "ntrex_dir", type=click.Path(),
              help="NTREX-style folder: eng.txt, vie.txt, ind.txt, DOCUMENT_IDS.tsv (default: the NTREX-128 dev subset aligner ships).")
@click.option("--docs", type=click.IntRange(2, None), default=None, help="Use only the first N documents [default: all].")
@click.option("--seed", type=int, default=13, show_default=True, help="Seed for building the comparable pairs.")
@click.option("--cache-dir", type=click.Path(), help="Cache directory for embeddings (default: $ALIGNER_CACHE_DIR or the user cache dir).")
@click.option("--paths", "which", type=click.Choice(["none", "oracle", "both"]), default="both", show_default=True,
              help="none: vi<->id without translation; oracle: NTREX English as translation memory.")
@click.option("--mode", type=click.Choice(["comparable", "partial", "both", "conflicts"]), default="both", show_default=True,
              help="comparable: whole lines; partial: also one-clause lines and joined lines; "
                   "conflicts: planted number changes, recall and precision of the discrepancies reported.")
@field_option(AlignParams, "word_bonus", type=click.FloatRange(0.0, 5.0))
@click.option("-q", "--quiet", is_flag=True, help="No progress messages (the tables still go to stdout).")
def eval_(ntrex_dir, docs, seed, cache_dir, which, mode, word_bonus, quiet):
    """Measure alignment quality on comparable pairs built from NTREX dev; print markdown tables.

    \b
    Examples:
      aligner eval --docs 10 --mode comparable --paths none
      aligner eval -q > eval.md
    """
    import sys

    from aligner.cli.console import status

    from aligner.evaluation.harness import evaluate, format_table, prepare_pairs
    from aligner.evaluation.pairs import build_pairs, load_documents
    from aligner.data import ntrex_dir as shipped_ntrex
    from aligner.pipeline import AlignConfig, signature

    ntrex_dir = ntrex_dir or str(shipped_ntrex())
    if not (Path(ntrex_dir) / "DOCUMENT_IDS.tsv").is_file():
        raise ResultError(f"{ntrex_dir}: not an NTREX folder (no DOCUMENT_IDS.tsv)")
    documents = load_documents(ntrex_dir)[:docs]
    params = AlignParams(word_bonus=word_bonus)
    say = status(quiet) or (lambda _msg: None)
    progress = not quiet and sys.stderr.isatty()
    paths = []
    if which in ("none", "both"):
        paths.append((NONE_TITLE, AlignConfig(paths=(), translator="none", cache_dir=cache_dir, params=params, progress=progress), False))
    if which in ("oracle", "both"):
        # the oracle memory where a sentence is exactly one NTREX line, else no English
        # (then the pair falls back to the cross-lingual space); never machine translation
        paths.append((ORACLE_TITLE, AlignConfig(paths=(), translator="auto", cache_dir=cache_dir, params=params, progress=progress), True))
    if mode == "conflicts":
        from aligner.evaluation.conflicts import conflict_report

        click.echo(f"conflicts: vi/id pairs from {ntrex_dir}, a number changed on the id side, seed {seed}\n")
        click.echo(conflict_report(documents, paths, seed) + "\n")
        return
    for pair_mode in ("comparable", "partial") if mode == "both" else (mode,):
        pairs = build_pairs(documents, seed=seed, mode=pair_mode)
        gold = sum(len(p.gold) for p in pairs)
        click.echo(f"{pair_mode}: {len(pairs)} vi/id pairs from {ntrex_dir}, {gold} gold lines, seed {seed}\n")
        for title, config, oracle in paths:
            say(f"embedding and linking {len(pairs)} {pair_mode} pairs: {title.split(' (')[0]}")
            prepared = prepare_pairs(pairs, config, oracle_english=oracle)
            table = evaluate(prepared, params=config.params)
            click.echo(format_table(f"{pair_mode}, vi↔id, {title}", table, kinds=pair_mode == "partial") + "\n")
            info = prepared[0].embed_info if prepared else {}
            click.echo(f"signature ({pair_mode}, {title.split(' (')[0]}): "
                       + json.dumps(signature(config, [], info).to_dict(), sort_keys=True) + "\n")
