"""Command-line interface: a thin adapter over the library.

Each command builds one object, calls one function, and turns library
exceptions (:class:`aligner.errors.AlignerError`) into ``Error: ...`` on one
line with exit code 2.  Every message goes through
:func:`aligner.render.safe.one_line` (a file name with an escape code in it is
shown, not obeyed).  A reader that closes the pipe early (``| head``) ends the
command quietly.  Nothing heavy is imported here.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from aligner import __version__
from aligner.errors import AlignerError, ResultError
from aligner.render.safe import one_line

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE: what `yes | head -1` reports for `yes`


def _error(message: str) -> None:
    click.echo(f"Error: {one_line(message)}", err=True)


def _warn(message: str) -> None:
    click.echo(f"Warning: {one_line(message)}", err=True)


def _note(message: str) -> None:
    click.echo(f"note: {one_line(message)}", err=True)


def _out(message: str) -> None:
    """One line of a command's output (stdout), made safe for the terminal."""
    click.echo(one_line(message))


def _warnings_as_lines(show_others):
    """A ``warnings.showwarning`` that prints aligner's own warnings as one ``Warning: ...`` line."""
    from aligner.errors import AlignerWarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, AlignerWarning):
            _warn(str(message))
        else:
            show_others(message, category, filename, lineno, file, line)

    return show


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file descriptor (a test runner's buffer)


class Finite(click.FloatRange):
    """A float option inside a range; NaN and infinities are refused (click's FloatRange lets NaN through)."""

    def convert(self, value, param, ctx):
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


class AlignerGroup(click.Group):
    """A click group that reports library errors as one line and exit code 2."""

    def invoke(self, ctx):
        import warnings

        from aligner.errors import AlignerWarning

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", AlignerWarning)
                warnings.showwarning = _warnings_as_lines(warnings.showwarning)
                value = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
            return value
        except AlignerError as e:
            _error(str(e))
            ctx.exit(EXIT_ERROR)
        except OSError as e:
            if e.errno == errno.EPIPE:  # the reader went away (`aligner glossary list | head -1`)
                _silence_stdout()
                ctx.exit(EXIT_CLOSED_PIPE)
            where = f"{e.filename}: " if getattr(e, "filename", None) else ""
            _error(f"{where}{e.strerror or e}")
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)

    def group(self, *args, **kwargs):
        kwargs.setdefault("cls", AlignerGroup)
        return super().group(*args, **kwargs)


@click.group(cls=AlignerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def cli():
    """Align comparable news articles in different languages through English.

    Shared facts side by side, facts only one article reports, and conflicts.
    """


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _status(quiet: bool):
    if quiet:
        return None
    return lambda msg: click.echo(f"· {one_line(msg)}", err=True)


def _show(summary, show_source: bool, pager: bool) -> None:
    from aligner.render.terminal import SummaryView, show

    show(SummaryView(summary, show_source=show_source), _console(), pager)


def _default_glossary(path: str | None, disabled: bool) -> str | None:
    if disabled:
        return None
    if path:
        return path
    from aligner.glossary import DEFAULT_GLOSSARY

    return DEFAULT_GLOSSARY if Path(DEFAULT_GLOSSARY).is_file() else None


def model_config(*, translator, memory, packages_dir, device, threads, beam_size, compute_type, embedder,
                 cross_lingual_weight, glossary, cache_dir, no_cache, params, path=lambda p: p, **more):
    """The :class:`~aligner.pipeline.AlignConfig` of :data:`MODEL_OPTIONS`' values and the cache
    options, for every command that runs the pipeline.  ``path`` maps each file path (batch makes
    them absolute for its workers); ``more``: the command's other fields (paths, langs, ...)."""
    from aligner.pipeline import DEFAULT_CROSS_LINGUAL_WEIGHT, AlignConfig

    return AlignConfig(
        translator=translator,
        memory=path(memory),
        packages_dir=path(packages_dir),
        device=device,
        threads=threads,
        beam_size=beam_size,
        compute_type=compute_type,
        embedder=embedder,
        cross_lingual_weight=DEFAULT_CROSS_LINGUAL_WEIGHT if cross_lingual_weight is None else cross_lingual_weight,
        glossary=path(glossary),
        cache_dir=path(cache_dir),
        use_cache=not no_cache,
        params=params,
        **more,
    )


# ------------------------------------------------------------------ align


# Options that choose the models and scoring, shared by `align` and `batch`.
MODEL_OPTIONS = (
    click.option("--translator", type=click.Choice(["auto", "memory", "argos", "none"]), default="auto", show_default=True,
              help="Where English comes from: auto tries memory, then argos, then none."),
    click.option("--memory", type=click.Path(), help="Translation memory CSV (lang,source,english)."),
    click.option("--packages-dir", type=click.Path(), help="argos packages directory (default: argostranslate's)."),
    click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True, help="argos: CTranslate2 device."),
    click.option("--threads", type=click.IntRange(0, 1024), default=0, show_default=True, help="argos: CPU threads (0: CTranslate2 decides)."),
    click.option("--beam-size", type=click.IntRange(1, 64), default=2, show_default=True, help="argos: beam size."),
    click.option("--compute-type", default="int8", show_default=True, help="argos: CTranslate2 compute type (int8, float32, ...)."),
    click.option("--embedder", default="minilm", show_default=True,
              help="minilm (English, packaged), multilingual (e5, source text), or a sentence-transformers name/path."),
    click.option("--cross-lingual-weight", type=Finite(0.0, 1.0), default=None,
              help="Weight of the multilingual margin combined with the English one (0-1)."),
    click.option("--glossary", "glossary_path", type=click.Path(), help="Glossary CSV (default: ./glossary.csv if present)."),
    click.option("--no-glossary", is_flag=True, help="Do not apply a glossary."),
    click.option("--threshold", type=Finite(-10.0, 10.0), default=None, help="Minimum margin score of a link."),
)


def model_options(command):
    """Add :data:`MODEL_OPTIONS` to a click command, in order."""
    for option in reversed(MODEL_OPTIONS):
        command = option(command)
    return command




@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--lang", help="Language code per file, comma-separated (vi,id); detected when omitted.")
@model_options
@click.option("--max-clause-run", type=click.IntRange(0, 6), default=None,
              help="Parts are runs of up to this many clauses (default 2); 0 compares whole sentences only (about 3x fewer texts to embed).")
@click.option("--word-bonus", type=Finite(0.0, 5.0), default=None,
              help="Most a link gains from rare content words both sentences' English share (default 0.3; 0 turns it off).")
@click.option("--no-protect-terms", is_flag=True, help="Do not protect glossary terms with placeholders during machine translation.")
@click.option("--json", "json_path", type=click.Path(), help="Write the result as JSON here.")
@click.option("--markdown", "markdown_path", type=click.Path(), help="Write a markdown report here.")
@click.option("--cache-dir", type=click.Path(), help="Cache directory (default: $ALIGNER_CACHE_DIR or the user cache dir).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--show-source", is_flag=True, help="Show each original sentence under its English.")
@click.option("--no-view", is_flag=True, help="Do not print the summary to the terminal.")
@click.option("--no-pager", is_flag=True, help="Never page the terminal output.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
def align(files, lang, translator, memory, packages_dir, device, threads, beam_size, compute_type, embedder, cross_lingual_weight, glossary_path, no_glossary,
          threshold, max_clause_run, word_bonus, no_protect_terms, json_path, markdown_path, cache_dir, no_cache, show_source, no_view, no_pager, quiet):
    """Align two or more articles and show the parallel English summary."""
    from dataclasses import replace

    from aligner.align import AlignParams
    from aligner.files import check_outputs
    from aligner.pipeline import run
    from aligner.result import write_json
    from aligner.summary import summarise

    glossary_path = _default_glossary(glossary_path, no_glossary)
    check_outputs([json_path, markdown_path], [*files, memory, glossary_path, _cache_file(cache_dir, no_cache)])
    langs = tuple(x.strip() or None for x in lang.split(",")) if lang else ()
    chosen = {"threshold": threshold, "max_clause_run": max_clause_run, "word_bonus": word_bonus}
    params = replace(AlignParams(), **{k: v for k, v in chosen.items() if v is not None})
    config = model_config(
        translator=translator, memory=memory, packages_dir=packages_dir, device=device, threads=threads,
        beam_size=beam_size, compute_type=compute_type, embedder=embedder, cross_lingual_weight=cross_lingual_weight,
        glossary=glossary_path, cache_dir=cache_dir, no_cache=no_cache, params=params,
        paths=tuple(files), langs=langs, protect_terms=not no_protect_terms, progress=not quiet and sys.stderr.isatty(),
    )
    result = run(config, status=_status(quiet), warn=_warn)
    summary = summarise(result)
    say = _status(quiet) or (lambda _msg: None)
    if json_path:
        write_json(result, json_path)
        say(f"wrote {json_path}")
    if markdown_path:
        _write_markdown(summary, markdown_path, show_source)
        say(f"wrote {markdown_path}")
    if not no_view:
        _show(summary, show_source, pager=not no_pager)


def _cache_file(cache_dir: str | None, disabled: bool) -> Path | None:
    if disabled:
        return None
    from aligner.cache import CACHE_FILE, default_cache_dir

    return Path(cache_dir or default_cache_dir()) / CACHE_FILE


def _write_markdown(summary, path: str, show_source: bool) -> None:
    from aligner.files import write_atomically
    from aligner.render.markdown import render_markdown

    write_atomically(Path(path), render_markdown(summary, show_source=show_source).encode("utf-8"))


def _load_result(path: str):
    """The summary of a saved result, and where its articles are now (notes for moved or changed ones)."""
    import hashlib

    from aligner.result import locate_source, read_json
    from aligner.summary import summarise

    result = read_json(path)
    sources = []
    for a in result.articles:
        found = locate_source(path, a)
        if found is None:
            _note(f"{a.path} (relative to {path}) no longer exists; showing the text saved in the result")
            continue
        sources.append(found)
        if a.sha256 and hashlib.sha256(found.read_bytes()).hexdigest() != a.sha256:
            _note(f"{found} has changed since this result was made; showing the text saved in the result")
    return summarise(result), sources


@cli.command()
@click.argument("result_path", metavar="RESULT.json")
@click.option("--show-source", is_flag=True, help="Show each original sentence under its English.")
@click.option("--no-pager", is_flag=True, help="Never page the output.")
def view(result_path, show_source, no_pager):
    """Show a saved result side by side (no models are loaded)."""
    _show(_load_result(result_path)[0], show_source, pager=not no_pager)


@cli.command()
@click.argument("result_path", metavar="RESULT.json")
@click.option("-o", "--output", required=True, type=click.Path(), help="Markdown file to write.")
@click.option("--show-source", is_flag=True, help="Put each original sentence under its English.")
def report(result_path, output, show_source):
    """Write a markdown report of a saved result."""
    from aligner.files import check_outputs

    check_outputs([output], [result_path])
    summary, sources = _load_result(result_path)
    check_outputs([output], sources)
    _write_markdown(summary, output, show_source)
    _out(f"wrote {output}")


@cli.command("eval")
@click.option("--ntrex", "ntrex_dir", default="../shared/eval/ntrex-dev", show_default=True, type=click.Path(),
              help="NTREX-style folder: eng.txt, vie.txt, ind.txt, DOCUMENT_IDS.tsv.")
@click.option("--docs", type=click.IntRange(2, None), default=None, help="Use only the first N documents.")
@click.option("--seed", type=int, default=13, show_default=True, help="Seed for building the comparable pairs.")
@click.option("--cache-dir", type=click.Path(), help="Cache directory for embeddings.")
@click.option("--paths", "which", type=click.Choice(["none", "oracle", "both"]), default="both", show_default=True,
              help="none: vi<->id without translation; oracle: NTREX English as translation memory.")
@click.option("--mode", type=click.Choice(["comparable", "partial", "both"]), default="both", show_default=True,
              help="comparable: whole lines; partial: also one-clause lines and joined lines.")
@click.option("--word-bonus", type=Finite(0.0, 5.0), default=None, help="The aligner's shared-word evidence (default 0.3; 0: off).")
def eval_(ntrex_dir, docs, seed, cache_dir, which, mode, word_bonus):
    """Measure alignment quality on comparable pairs built from NTREX dev; print markdown tables."""
    import json

    from dataclasses import replace

    from aligner.align import AlignParams
    from aligner.evaluation.harness import evaluate, format_table, prepare_pairs
    from aligner.evaluation.pairs import build_pairs, load_documents
    from aligner.pipeline import AlignConfig, signature

    if not (Path(ntrex_dir) / "DOCUMENT_IDS.tsv").is_file():
        raise ResultError(f"{ntrex_dir}: not an NTREX folder (no DOCUMENT_IDS.tsv)")
    documents = load_documents(ntrex_dir)[:docs]
    params = AlignParams() if word_bonus is None else replace(AlignParams(), word_bonus=word_bonus)
    paths = []
    if which in ("none", "both"):
        paths.append(("--translator none (multilingual-e5 on source text)", AlignConfig(paths=(), translator="none", cache_dir=cache_dir, params=params), False))
    if which in ("oracle", "both"):
        # the oracle memory where a sentence is exactly one NTREX line, else no English
        # (then the pair falls back to the cross-lingual space); never machine translation
        paths.append(("translation memory = NTREX English (oracle): all-MiniLM-L6-v2 margin combined with multilingual-e5 (weight 0.5)",
                      AlignConfig(paths=(), translator="auto", cache_dir=cache_dir, params=params), True))
    for pair_mode in ("comparable", "partial") if mode == "both" else (mode,):
        pairs = build_pairs(documents, seed=seed, mode=pair_mode)
        gold = sum(len(p.gold) for p in pairs)
        click.echo(f"{pair_mode}: {len(pairs)} vi/id pairs from {ntrex_dir}, {gold} gold lines, seed {seed}\n")
        for title, config, oracle in paths:
            prepared = prepare_pairs(pairs, config, oracle_english=oracle)
            click.echo(format_table(f"{pair_mode}, vi↔id, {title}", evaluate(prepared, params=config.params), kinds=pair_mode == "partial") + "\n")
            info = prepared[0].embed_info if prepared else {}
            click.echo(f"signature ({pair_mode}, {title.split(' (')[0]}): " + json.dumps(signature(config, [], info), sort_keys=True) + "\n")


from aligner.cli_batch import batch  # noqa: E402
from aligner.cli_glossary import glossary  # noqa: E402
from aligner.cli_models import models  # noqa: E402

cli.add_command(batch)
cli.add_command(glossary)
cli.add_command(models)


def main():
    cli(prog_name="aligner")


if __name__ == "__main__":
    main()
