"""Reviewed results carried into a batch: ``<folder>/<story output>`` holds a story's decisions.

Public surface: :class:`Reviewed`.

A batch given a folder of reviewed results (as ``aligner review`` saves them)
carries each story's decisions into its new run exactly as ``align
--decisions`` does (:func:`aligner.review.decisions.carry_decisions`): a
rejected pair is never linked, a manual link is kept, an accepted link stays
below the threshold; decisions naming sentences the new run no longer has are
returned as warnings, one line each.

The new result records the decisions file it used in its signature
(``"decisions": {"path", "sha256"}``, the sha256 of the file's bytes), and a
rerun keeps a result only when the story's decisions file is unchanged (or
still absent): a changed review re-runs the story.  Everything here runs in
the batch's own process, whichever engine aligned the story.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from aligner.errors import InputError, ResultError
from aligner.model import Signature

NONE = ""  # the sha256 recorded for "no decisions file for this story"


class Reviewed:
    """The folder of reviewed results of one batch."""

    def __init__(self, folder: str | Path, outdir: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise InputError(f"{folder}: no such folder of reviewed results")
        out = Path(outdir)
        if out.is_dir() and os.path.samefile(out, self.folder):
            raise InputError(f"{folder}: the reviewed results are in the output folder, where the new results would "
                             "overwrite them; copy them to another folder first and give that one")

    def path(self, story) -> Path:
        return self.folder / story.output

    def sha256(self, story) -> str:
        """The sha256 of the story's decisions file; :data:`NONE` when there is none
        (a file that cannot be read gives a value no result holds, so the story runs and fails)."""
        from aligner.result import MAX_RESULT_BYTES

        path = self.path(story)
        if not os.path.lexists(path):
            return NONE
        h = hashlib.sha256()
        try:
            if not path.is_file() or path.stat().st_size > MAX_RESULT_BYTES:  # never read a huge file whole
                return "unusable"
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except OSError:
            return "unusable"
        return h.hexdigest()

    def problem(self, story) -> str | None:
        """Why the story's decisions file cannot be used (one line), or None (also when there is none)."""
        try:
            self._read(story)
        except ResultError as e:
            return str(e)
        return None

    def _read(self, story):
        """The reviewed result of ``story`` and the sha256 of the bytes it was read from; (None, NONE) without one."""
        from aligner.review.decisions import read_reviewed

        path = self.path(story)
        if not os.path.lexists(path):
            return None, NONE
        return read_reviewed(path)

    def carry(self, result, story):
        """``result`` (the story's new run) with its decisions carried and recorded in its signature,
        and the stale decisions, one line each.  Raises :class:`ResultError` for an unusable file."""
        from aligner.review.decisions import carry_reviewed

        old, sha = self._read(story)
        if old is None:
            return result, []
        return carry_reviewed(result, old, self.path(story), sha)


def decisions_sha256(signature: Signature) -> str:
    """The sha256 of the decisions file a result was made with (:data:`NONE` for none)."""
    return NONE if signature.decisions is None else signature.decisions.sha256
