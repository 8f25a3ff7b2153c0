"""What a batch may write in its output folder, and what it may clean up there.

Public surface: :func:`output_problem`, :func:`remove_temporaries`.

A batch's outputs go through the same checks as ``align``'s
(:func:`aligner.files.check_outputs`): never onto one of the story's inputs
(also through a symlink or hard link), never onto a directory, FIFO or device.
Inside the output folder a symlink is not followed, unless it leads to a
regular file that already holds this story's result (one the batch wrote):
``ln -s ../article.txt out/story.json`` must not turn an article into JSON.

Clean-up removes only the temporary files :func:`aligner.files.write_atomically`
names with its own marker (``.<story>.json.aligner-tmp-XXXXXXXX``); an editor's
``.story.json.swp`` or a user's ``.story.json.bak`` stay.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Sequence

from aligner.errors import AlignerError
from aligner.files import check_outputs, is_temporary_of


def output_problem(out: Path, story, inputs: Iterable[str | Path | None] = ()) -> str | None:
    """Why ``out/<story output>`` must not be written (one line), or None when it may."""
    target = out / story.output
    try:
        if target.is_symlink() and not _holds_result_of(target, story):
            return (f"{target}: is a symbolic link to {os.readlink(target)}, not a result this batch wrote; "
                    "not written (remove the link to let the batch write there)")
        check_outputs([target], [*story.paths, *inputs])
    except AlignerError as e:
        return str(e)
    except (OSError, RuntimeError, ValueError) as e:  # a symlink loop, a name too long
        return f"{target}: cannot be used as an output ({e})"
    return None


def _holds_result_of(link: Path, story) -> bool:
    """Whether the link leads to a regular file holding a result of this story's articles."""
    from aligner.errors import ResultError
    from aligner.result import read_json

    try:
        real = link.resolve(strict=True)
        if not stat.S_ISREG(real.stat().st_mode):
            return False
        result = read_json(real)
    except (OSError, RuntimeError, ResultError):
        return False
    return tuple(a.absolute for a in result.articles) == tuple(story.paths)


def remove_temporaries(out: Path, stories: Sequence) -> list[Path]:
    """Remove the temporary files a killed batch left beside its results; only those carrying the marker."""
    outputs = {s.output for s in stories}
    removed = []
    for entry in out.iterdir():
        if not any(is_temporary_of(entry.name, o) for o in outputs if entry.name.startswith(f".{o}")):
            continue
        try:
            if stat.S_ISREG(entry.lstat().st_mode):
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed
