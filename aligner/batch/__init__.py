"""Many stories in one run: a manifest in, one result per story out.

* :mod:`aligner.batch.manifest` -- the manifest, the runner, resumable output;
* :mod:`aligner.batch.resume` -- whether a result in the output folder is still valid;
* :mod:`aligner.batch.guard` -- what may be written and cleaned up in the output folder;
* :mod:`aligner.batch.engines` -- where stories run: ``local`` or ``dask``.

Nothing heavy (models, dask) is imported with this package.
"""

from aligner.batch.engines import ENGINES, Aligned, DaskEngine, LocalEngine, get_engine
from aligner.batch.manifest import BatchReport, Story, StoryOutcome, output_name, read_manifest, run_batch

__all__ = [
    "ENGINES", "Aligned", "BatchReport", "DaskEngine", "LocalEngine", "Story", "StoryOutcome",
    "get_engine", "output_name", "read_manifest", "run_batch",
]
