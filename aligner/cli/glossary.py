"""``aligner glossary ...``: read and edit the glossary CSV.  Never imports models.

Which glossary: ``--glossary PATH``, else ``./glossary.csv``, else
``glossary.csv`` in the user config folder (:func:`aligner.glossary.find`).
Everything printed goes through :func:`aligner.render.safe.one_line`: a term or
file name holding an escape code is shown, not obeyed.
"""

from __future__ import annotations

import os
import shlex

import click

from aligner import glossary as gl
from aligner.cli import output
from aligner.cli.console import note, plural
from aligner.cli.console import out as _echo
from aligner.errors import GlossaryError
from aligner.render.safe import one_line

LOOKUP = "Glossary CSV [default: ./glossary.csv, else glossary.csv in the user config folder]."
_path_option = click.option("--glossary", "path", type=click.Path(), help=LOOKUP)


def _find(path: str | None) -> str:
    """The glossary a command works on (see :data:`LOOKUP`); an error that says how to start one."""
    found, _ = gl.find(path)
    if found is None:
        raise GlossaryError(
            f"no glossary: no ./{gl.DEFAULT_GLOSSARY} and none in {gl.user_glossary().parent}; "
            "start one with: aligner glossary init (here) or aligner glossary init --user")
    return found


def _existing(path: str | None) -> str:
    """The glossary to edit: it must exist (else say how to start it)."""
    found = _find(path)
    if not os.path.lexists(found):
        raise GlossaryError(f"{found}: no such glossary file; start it with: aligner glossary init --glossary {shlex.quote(found)}")
    return found


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


@click.group(epilog="The glossary: --glossary PATH, else ./glossary.csv, else glossary.csv in the user "
                    "config folder ($ALIGNER_CONFIG_DIR, else e.g. ~/.config/aligner).")
def glossary():
    """Read and edit the glossary (one concept per row, canonical English first).

    \b
    Examples:
      aligner glossary init
      aligner glossary add "ceasefire" --vi "lệnh ngừng bắn" --id "gencatan senjata"
      aligner glossary check
      aligner glossary suggest out/result.json
      aligner glossary export --lang vi -o -
    """


@glossary.command()
@click.option("--user", is_flag=True, help="In the user config folder (found by every folder's runs), not here.")
@_path_option
def init(user, path):
    """Start an empty glossary (header en,vi,id,avoid,case,note); never replaces a file."""
    if user and path:
        raise GlossaryError("--user and --glossary name two places; give one")
    target = gl.init(gl.user_glossary() if user else (path or gl.DEFAULT_GLOSSARY))
    _echo(f"created {target}")


@glossary.command("list")
@_path_option
def list_(path):
    """List every concept with its variants."""
    g = gl.load(_find(path))
    for c in g.concepts():
        parts = [f"{lang}: {' | '.join(v)}" for lang, v in c.variants.items()]
        click.echo("\t".join(one_line(x) for x in (c.en, *parts)))


@glossary.command()
@click.argument("term")
@_path_option
def show(term, path):
    """Show one concept."""
    c = gl.show(gl.load(_find(path)), term)
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
    path = _existing(path)
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
    path = _existing(path)
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
    path = _existing(path)
    with gl.locked(path):
        g = gl.load(path)
        before = g.serialise()
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
        if g.serialise() == before:
            _echo(f"'{term}' in {path} already has these values; nothing changed")
            return
        gl.write(g)
    _echo(f"edited '{term}' in {path}")


@glossary.command()
@_path_option
def check(path):
    """Validate the glossary; prints file:line problems and exits 1 if any."""
    path = _find(path)
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
    path = _existing(path)
    output.check([path], [source])
    with gl.locked(path):
        g = gl.load(path)
        concepts, variants = gl.import_pairs(g, source, lang)
        gl.write(g)
    _echo(f"imported {source}: {plural(concepts, 'new concept')}, {plural(variants, 'new variant')}")


@glossary.command("export")
@click.option("--lang", required=True, help="Source language to export.")
@click.option("-o", "--output", "target", required=True, type=click.Path(allow_dash=True),
              help="CSV or TSV (by extension) to write; - for CSV on stdout.")
@_path_option
def export_(lang, target, path):
    """Write two-column (source, English) pairs for one language, for DeepL or Google."""
    path = _find(path)
    output.check([target], [path])
    text, n = gl.pairs_text(gl.load(path), lang, tsv=not output.is_stdout(target) and target.lower().endswith(".tsv"))
    output.write(target, text)
    if output.is_stdout(target):
        note(f"{plural(n, 'pair')} from {path}")
    else:
        _echo(f"wrote {plural(n, 'pair')} to {target}")


@glossary.command()
@click.argument("result_path", metavar="RESULT.json")
@_path_option
def suggest(result_path, path):
    """Propose concepts from linked sentences whose English differs on a phrase both articles write.

    Each proposal is a command to run as it is; its variants are text found in the articles.
    """
    from aligner.glossary.suggest import suggest as run_suggest
    from aligner.result import read_json

    given = path
    found, _ = gl.find(path)
    g = gl.load(found) if found and os.path.isfile(found) else None
    suggestions = run_suggest(read_json(result_path), g)
    if suggestions and g is None:
        start = f"aligner glossary init --glossary {shlex.quote(given)}" if given else "aligner glossary init"
        note(f"there is no glossary yet: run {start} first")
    if not suggestions:
        _echo("no suggestions")
    for s in suggestions:
        where = ", ".join(f"{lang} #{n}" for lang, n in s.where)
        command = ["aligner", "glossary", "add", s.en]
        for lang, text in s.variants:
            command.append(f"--variant={lang}={text}")
        if s.avoid.casefold() != s.en.casefold():
            command.append(f"--avoid={s.avoid}")
        if given:
            command.append(f"--glossary={given}")
        _echo(f"'{s.en}' vs '{s.avoid}' ({where}): {shlex.join(command)}")
