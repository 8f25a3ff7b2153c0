"""Renderers of a summary: the terminal viewer (rich) and the markdown report.

Neither imports a model or a translator; both read :mod:`aligner.model` and
:mod:`aligner.summary` only.  Every string from outside (article text, file
names, package metadata) reaches a terminal or a report through
:mod:`aligner.render.safe`.
"""
