"""Option sets shared by the commands, derived from the config dataclasses.

The options that choose models and scoring are the fields of
:class:`~aligner.pipeline.AlignConfig` and :class:`~aligner.align.AlignParams`:
each option takes its default and its help text from the field (``metadata["help"]``),
so a default changes in one place and ``--help`` always shows it.
:func:`config_from` turns the parsed values back into one ``AlignConfig``.

Importing this module imports the config dataclasses (numpy, no models).
"""

from __future__ import annotations

import math
from dataclasses import MISSING, fields
from pathlib import Path

import click

from aligner.errors import InputError
from aligner.align.params import AlignParams
from aligner.config import TRANSLATORS, AlignConfig


class Finite(click.FloatRange):
    """A float option inside a range; NaN and infinities are refused (click's FloatRange lets NaN through)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def field_option(owner, name: str, *decls: str, **kwargs):
    """A click option for the dataclass field ``owner.name``: its default and help come from the field."""
    spec = {f.name: f for f in fields(owner)}[name]
    default = spec.default if spec.default is not MISSING else spec.default_factory()
    flag = decls or (f"--{name.replace('_', '-')}",)
    kwargs.setdefault("show_default", default is not None)
    kwargs.setdefault("help", spec.metadata["help"])
    return click.option(*flag, name, default=default, **kwargs)


def default_glossary(path: str | None, disabled: bool) -> tuple[str | None, str | None]:
    """The glossary a run uses and where it was found: ``--glossary``, else ``./glossary.csv``,
    else ``glossary.csv`` in the user config folder, else none (``(None, None)``)."""
    if disabled:
        return None, None
    from aligner.glossary import find

    return find(path)


# Options that choose the models and scoring, shared by `align` and `batch`, in --help order.
MODEL_OPTIONS = (
    field_option(AlignConfig, "translator", type=click.Choice(TRANSLATORS)),
    field_option(AlignConfig, "memory", type=click.Path()),
    field_option(AlignConfig, "packages_dir", type=click.Path()),
    field_option(AlignConfig, "device", type=click.Choice(["cpu", "cuda"])),
    field_option(AlignConfig, "threads", type=click.IntRange(0, 1024)),
    field_option(AlignConfig, "beam_size", type=click.IntRange(1, 64)),
    field_option(AlignConfig, "compute_type"),
    field_option(AlignConfig, "embedder"),
    field_option(AlignConfig, "cross_lingual_weight", type=Finite(0.0, 1.0)),
    field_option(AlignConfig, "glossary", "--glossary", type=click.Path(),
                 help="Glossary CSV [default: ./glossary.csv, else glossary.csv in the user config folder, "
                      "e.g. ~/.config/aligner; the result's signature records which]."),
    click.option("--no-glossary", is_flag=True, help="Do not apply a glossary."),
    click.option("--no-protect-terms", is_flag=True,
                 help="Do not protect glossary terms with placeholders during machine translation."),
    field_option(AlignParams, "threshold", type=Finite(-10.0, 10.0)),
    field_option(AlignParams, "max_clause_run", type=click.IntRange(0, 6)),
    field_option(AlignParams, "word_bonus", type=Finite(0.0, 5.0)),
    field_option(AlignConfig, "cache_dir", type=click.Path()),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
)
_PARAM_NAMES = ("threshold", "max_clause_run", "word_bonus")


def model_options(command):
    """Add :data:`MODEL_OPTIONS` to a click command, in order."""
    for option in reversed(MODEL_OPTIONS):
        command = option(command)
    return command


def config_from(options: dict, *, path=lambda p: p, **more) -> AlignConfig:
    """The :class:`AlignConfig` of :data:`MODEL_OPTIONS`' parsed values.

    ``path`` maps each file path (batch makes them absolute for its workers);
    ``more``: the command's other fields (paths, langs, progress).
    """
    o = dict(options)
    if o.get("translator") == "memory" and not o.get("memory"):
        raise InputError("--translator memory needs --memory PATH")
    params = AlignParams(**{name: o.pop(name) for name in _PARAM_NAMES})
    glossary, found_in = default_glossary(o.pop("glossary"), o.pop("no_glossary"))
    return AlignConfig(
        params=params,
        glossary=path(glossary),
        glossary_found_in=found_in,
        memory=path(o.pop("memory")),
        packages_dir=path(o.pop("packages_dir")),
        cache_dir=path(o.pop("cache_dir")),
        use_cache=not o.pop("no_cache"),
        protect_terms=not o.pop("no_protect_terms"),
        **o,
        **more,
    )
