"""``aligner glossary ...``: read and edit the glossary CSV.  Never imports models.

Everything printed goes through :func:`aligner.render.safe.one_line`: a term or
file name holding an escape code is shown, not obeyed.
"""

from __future__ import annotations

from pathlib import Path

import click

from aligner import glossary as gl
from aligner.cli.console import out as _echo
from aligner.errors import GlossaryError
from aligner.files import check_outputs
from aligner.render.safe import one_line

_path_option = click.option(
    "--glossary", "path", default=gl.DEFAULT_GLOSSARY, show_default=True, type=click.Path(), help="Glossary CSV file."
)


def _variants(pairs, vi, id_) -> dict:
    out: dict[str, list[str]] = {}
    for item in pairs:
        if "=" not in item:
            raise GlossaryError(f"--variant '{item}': expected LANG=TEXT")
        lang, text = item.split("=", 1)
        out.setdefault(lang.strip(), []).extend(v.strip() for v in text.split("|") if v.strip())
    for lang, values in (("vi", vi), ("id", id_)):
        for v in values:
            out.setdefault(lang, []).extend(x.strip() for x in v.split("|") if x.strip())
    return {k: tuple(v) for k, v in out.items()}


def _case(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.lower() in gl.TRUE_WORDS


@click.group()
def glossary():
    """Read and edit the glossary (one concept per row, canonical English first)."""


@glossary.command("list")
@_path_option
def list_(path):
    """List every concept with its variants."""
    g = gl.load(path)
    for c in g.concepts():
        parts = [f"{lang}: {' | '.join(v)}" for lang, v in c.variants.items()]
        click.echo("\t".join(one_line(x) for x in (c.en, *parts)))


@glossary.command()
@click.argument("term")
@_path_option
def show(term, path):
    """Show one concept."""
    c = gl.show(gl.load(path), term)
    _echo(f"en: {c.en}")
    if c.accepted:
        _echo(f"accepted: {' | '.join(c.accepted)}")
    for lang, variants in c.variants.items():
        _echo(f"{lang}: {' | '.join(variants)}")
    _echo(f"avoid: {' | '.join(c.avoid)}")
    _echo(f"case-sensitive: {'yes' if c.case else 'no'}")
    if c.note:
        _echo(f"note: {c.note}")
    _echo(f"line: {c.line}")


@glossary.command()
@click.argument("en")
@click.option("--vi", multiple=True, help="Vietnamese variant(s), '|'-separated or repeated.")
@click.option("--id", "id_", multiple=True, help="Indonesian variant(s), '|'-separated or repeated.")
@click.option("--variant", multiple=True, help="LANG=TEXT for any language; repeatable.")
@click.option("--avoid", multiple=True, help="English rendering to replace with the term; repeatable.")
@click.option("--case", "case_sensitive", is_flag=True, help="Match case-sensitively.")
@click.option("--note", default="", help="Free-text note.")
@_path_option
def add(en, vi, id_, variant, avoid, case_sensitive, note, path):
    """Add a concept: aligner glossary add "ceasefire" --vi "lệnh ngừng bắn" --id "gencatan senjata"."""
    with gl.locked(path):
        g = gl.load(path)
        gl.add(g, en, _variants(variant, vi, id_), avoid=tuple(avoid), case=case_sensitive, note=note)
        gl.write(g)
    _echo(f"added '{en}' to {path}")


@glossary.command()
@click.argument("term")
@_path_option
def remove(term, path):
    """Remove a concept by its English term."""
    with gl.locked(path):
        g = gl.load(path)
        gl.remove(g, term)
        gl.write(g)
    _echo(f"removed '{term}' from {path}")


@glossary.command()
@click.argument("term")
@click.option("--en", "new_en", help="New canonical English (accepted forms after '|').")
@click.option("--vi", multiple=True, help="Replace the Vietnamese variants.")
@click.option("--id", "id_", multiple=True, help="Replace the Indonesian variants.")
@click.option("--variant", multiple=True, help="LANG=TEXT: replace that language's variants.")
@click.option("--add-variant", multiple=True, help="LANG=TEXT: add a variant, keep the others.")
@click.option("--avoid", multiple=True, help="Replace the avoid list.")
@click.option("--case", "case_value", type=click.Choice(["yes", "no"]), help="Case-sensitive matching.")
@click.option("--note", help="Replace the note.")
@_path_option
def edit(term, new_en, vi, id_, variant, add_variant, avoid, case_value, note, path):
    """Change a concept; untouched rows stay byte-identical."""
    with gl.locked(path):
        g = gl.load(path)
        gl.edit(
            g,
            term,
            en=new_en,
            variants=_variants(variant, vi, id_),
            add_variants=_variants(add_variant, (), ()),
            avoid=tuple(avoid) if avoid else None,
            case=_case(case_value),
            note=note,
        )
        gl.write(g)
    _echo(f"edited '{term}' in {path}")


@glossary.command()
@_path_option
def check(path):
    """Validate the glossary; prints file:line problems and exits 1 if any."""
    problems = gl.check(gl.load(path))
    for p in problems:
        _echo(p.message)
    if problems:
        raise SystemExit(1)
    _echo(f"{path}: ok")


@glossary.command("import")
@click.argument("source", type=click.Path())
@click.option("--lang", required=True, help="Source language of the first column.")
@_path_option
def import_(source, lang, path):
    """Merge a two-column (source, English) CSV/TSV glossary as DeepL and Google use them."""
    check_outputs([path], [source])
    with gl.locked(path):
        g = gl.load(path)
        concepts, variants = gl.import_pairs(g, source, lang)
        gl.write(g)
    _echo(f"imported {source}: {concepts} new concepts, {variants} new variants")


@glossary.command("export")
@click.option("--lang", required=True, help="Source language to export.")
@click.option("-o", "--output", required=True, type=click.Path(), help="CSV or TSV (by extension) to write.")
@_path_option
def export_(lang, output, path):
    """Write two-column (source, English) pairs for one language, for DeepL or Google."""
    check_outputs([output], [path])
    n = gl.export_pairs(gl.load(path), lang, output)
    _echo(f"wrote {n} pairs to {output}")


@glossary.command()
@click.argument("result_path", metavar="RESULT.json")
@_path_option
def suggest(result_path, path):
    """Propose entries from linked sentences whose English differs on a shared phrase."""
    from aligner.result import read_json
    from aligner.glossary.suggest import suggest as run_suggest

    g = gl.load(path) if Path(path).is_file() else None
    suggestions = run_suggest(read_json(result_path), g)
    if not suggestions:
        click.echo("no suggestions")
    for s in suggestions:
        _echo(s)
