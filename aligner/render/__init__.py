"""Renderers of a summary: the terminal viewer (rich) and the markdown report.

Neither imports a model or a translator; both read :mod:`aligner.model` and
:mod:`aligner.summary` only.
"""
