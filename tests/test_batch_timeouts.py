"""``--story-timeout`` on the Dask engine, and distributed's own messages (issue 22).

A story on a Dask worker runs in a task thread, where no signal can reach; the
engine stops it there all the same (:class:`aligner.batch.engines._time_limit`).
The slow story is made slow inside the real pipeline: on the workers by
tests/slow_worker.py, a Dask worker preload (dask's own mechanism, named in the
cluster's config) that makes every sentence carrying its mark take minutes in a
Python loop; in a plain thread by a fake embedder that does the same.

Every CLI run is a child process in its own process group, bounded by
:data:`BOUND` seconds: a batch that does not end in time fails the test (and is
killed with its workers) instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from aligner.batch import LocalEngine, read_manifest, run_batch
from aligner.batch.engines import StoryTimeout, _time_limit, align_story
from aligner.pipeline import AlignConfig, Components
from tests import fakes, slow_worker
from tests.conftest import ROOT
from tests.test_batch import _cli_args, _outputs, _template, _write_stories, cache_dir  # noqa: F401 -- a fixture

pytest.importorskip("dask.distributed")

TIMEOUT = 10  # --story-timeout of the runs below: a good story here takes well under a second (its vectors are cached)
BOUND = 120  # seconds a CLI run may take before the test fails
GOOD = 2
SLOW = "slow"
LOCK = ".aligner-batch.lock"
PRELOAD = {"DASK_DISTRIBUTED__WORKER__PRELOAD": json.dumps([str(Path(slow_worker.__file__))])}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, cache_dir):  # noqa: F811 -- the fixture imported above
    """Two NTREX stories and a slow one (its Vietnamese article carries the mark); the two
    aligned by the local engine first, which also puts their vectors in the cache.

    A result names its articles relative to its folder: every output folder is a sibling
    of the local engine's (``out(name)``), so the files can be compared byte for byte."""
    folder = tmp_path_factory.mktemp("timeouts") / "stories"
    good = _write_stories(folder, GOOD)
    (folder / "slow-vi.txt").write_text(f"Sao cơ.\n\nMột câu {slow_worker.MARK} ở đây.\n", encoding="utf-8")
    (folder / "slow-id.txt").write_text((folder / "00-id.txt").read_text(encoding="utf-8"), encoding="utf-8")
    manifest = folder / "with-slow.jsonl"
    slow = {"story": SLOW, "articles": [{"path": "slow-vi.txt", "lang": "vi"}, {"path": "slow-id.txt", "lang": "id"}]}
    manifest.write_text(json.dumps(slow) + "\n" + good.read_text(encoding="utf-8"), encoding="utf-8")
    reference = folder.parent / "local"
    report = run_batch(read_manifest(good), reference, _template(cache_dir), LocalEngine())
    assert report.count("done") == GOOD
    return {"good": good, "with_slow": manifest, "local": _outputs(reference), "links": report.links,
            "out": lambda name: folder.parent / name}


def _summary(engine: str, stories: int, done: int, skipped: int, failed: int, links: int) -> list[str]:
    """The summary table as the CLI prints it (every number narrower than its column's header)."""
    return [
        f"batch · engine: {engine}",
        "┏━━━━━━━━━┳━━━━━━┳━━━━━━━━━┳━━━━━━━━┳━━━━━━━┓",
        "┃ stories ┃ done ┃ skipped ┃ failed ┃ links ┃",
        "┡━━━━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━━━╇━━━━━━━┩",
        f"│ {stories:>7} │ {done:>4} │ {skipped:>7} │ {failed:>6} │ {links:>5} │",
        "└─────────┴──────┴─────────┴────────┴───────┘",
    ]


def _cli(args: list[str], env: dict[str, str]) -> tuple[int, str, str, float]:
    """Run ``python -m aligner ARGS``; its return code, stdout, stderr and seconds."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", **env}
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "aligner", *args], cwd=ROOT, env=full_env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = child.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the CLI and the cluster's worker processes
        child.communicate()
        pytest.fail(f"the batch was still running after {BOUND} s: a story over the time limit was not stopped")
    return child.returncode, out, err, time.monotonic() - started


# ------------------------------------------------------------------ the time limit in any thread


class CrawlingEmbedder(fakes.BagOfWordsEmbedder):
    """The fake embedder, taking ``seconds`` per sentence in a Python loop of short sleeps (a slow Python model)."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    def encode(self, texts):
        for _ in texts:
            deadline = time.monotonic() + self.seconds
            while time.monotonic() < deadline:
                time.sleep(0.01)
        return super().encode(texts)


def _in_a_thread(work):
    """``work()`` in a new thread (not the main one: no SIGALRM there); what it returned or raised."""
    outcome = {}

    def target():
        try:
            outcome["returned"] = work()
        except BaseException as e:  # noqa: BLE001 -- the test looks at it
            outcome["raised"] = e

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome


def test_a_story_over_the_time_limit_is_stopped_in_a_thread_that_is_not_the_main_one(tmp_path):
    (story,) = read_manifest(_write_stories(tmp_path / "in", 1))
    template = AlignConfig(paths=(), translator="none", glossary=None, use_cache=False)

    def components(seconds):
        return Components(english=None, cross_lingual=CrawlingEmbedder(seconds), to_english=fakes.components().to_english)

    assert _in_a_thread(lambda: align_story(template, story, components(0.0)).error) == {"returned": None}  # imports done
    slow = _in_a_thread(lambda: align_story(template, story, components(3.0), timeout=0.5))
    assert (slow["returned"].story, slow["returned"].result, slow["returned"].error) == (
        story.id, None, "stopped after 0.5 s, the time limit of a story")

    def in_time_then_busy():
        aligned = align_story(template, story, components(0.0), timeout=2.0)
        deadline = time.monotonic() + 2.5  # past the limit, in the same thread: nothing may arrive here
        while time.monotonic() < deadline:
            time.sleep(0.01)
        return aligned

    fast = _in_a_thread(in_time_then_busy)
    assert "raised" not in fast and fast["returned"].error is None and fast["returned"].result is not None


def test_a_limit_without_a_story_over_it_never_fires_later():
    def many_short_blocks():
        for _ in range(200):
            with _time_limit(5.0):
                sum(range(1000))
        return "ended"

    assert _in_a_thread(many_short_blocks) == {"returned": "ended"}
    with pytest.raises(StoryTimeout):  # and the same class in the main thread: SIGALRM
        with _time_limit(0.2):
            while True:
                time.sleep(0.01)


# ------------------------------------------------------------------ a real cluster


def test_a_dask_story_over_the_time_limit_fails_and_the_batch_goes_on(batch, cache_dir):  # noqa: F811
    out = batch["out"]("dask-cli")
    args = _cli_args(batch["with_slow"], out, cache_dir, "--engine", "dask", "--workers", "2", "--story-timeout", str(TIMEOUT))
    code, stdout, stderr, seconds = _cli(args, PRELOAD)
    print(f"dask batch with a story over a {TIMEOUT} s limit: {seconds:.1f} s")
    assert code == 1, stderr
    assert stdout == ""
    assert stderr.splitlines() == [
        *_summary("dask (local cluster, 2 workers)", GOOD + 1, GOOD, 0, 1, batch["links"]),
        "failed:",
        f"  {SLOW}: stopped after {TIMEOUT} s, the time limit of a story",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted([LOCK, *batch["local"]])  # no temporary file, no slow.json
    assert _outputs(out) == batch["local"]  # byte for byte what the local engine wrote


@pytest.mark.filterwarnings(r"ignore:Port \d+ is already in use")  # 8787: another cluster on this machine
def test_a_running_cluster_keeps_its_worker_when_a_story_is_stopped(batch, cache_dir):  # noqa: F811
    import dask
    from dask.distributed import Client, LocalCluster

    out = batch["out"]("dask-address")
    with dask.config.set({"distributed.worker.preload": json.loads(PRELOAD["DASK_DISTRIBUTED__WORKER__PRELOAD"])}):
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster) as client:
        (pid_before,) = client.run(os.getpid).values()
        args = _cli_args(batch["with_slow"], out, cache_dir, "--engine", "dask", "--address", cluster.scheduler_address,
                         "--story-timeout", str(TIMEOUT))
        code, stdout, stderr, _ = _cli(args, {})
        (pid_after,) = client.run(os.getpid).values()
    assert (code, stdout) == (1, ""), stderr
    assert stderr.splitlines() == [
        *_summary(f"dask ({cluster.scheduler_address})", GOOD + 1, GOOD, 0, 1, batch["links"]),
        "failed:",
        f"  {SLOW}: stopped after {TIMEOUT} s, the time limit of a story",
    ]
    assert pid_after == pid_before  # the cluster's one worker ran the three stories and was neither killed nor restarted
    assert sorted(p.name for p in out.iterdir()) == sorted([LOCK, *batch["local"]])
    assert _outputs(out) == batch["local"]


# ------------------------------------------------------------------ distributed's own messages

# dask's own setting, lowered so that this small batch's task graph is "large": distributed
# then warns (a UserWarning on stderr), as it would for a manifest of some 50,000 stories.
LARGE_GRAPH = {"DASK_DISTRIBUTED__ADMIN__LARGE_GRAPH_WARNING_THRESHOLD": "1B"}


def test_without_verbose_stderr_holds_only_aligners_lines(batch, cache_dir):  # noqa: F811
    summary = _summary("dask (local cluster, 1 workers)", GOOD, GOOD, 0, 0, batch["links"])
    quiet = _cli(_cli_args(batch["good"], batch["out"]("quiet"), cache_dir, "--engine", "dask", "--workers", "1"), LARGE_GRAPH)
    assert quiet[:3] == (0, "", "\n".join(summary) + "\n")

    code, stdout, stderr, _ = _cli(_cli_args(batch["good"], batch["out"]("verbose"), cache_dir, "--engine", "dask", "--workers", "1",
                                             "--verbose"), LARGE_GRAPH)
    assert (code, stdout) == (0, "")
    lines = stderr.splitlines()
    assert lines[-len(summary):] == summary
    assert any("UserWarning: Sending large graph of size" in line for line in lines)  # distributed's warning
    assert any(" - distributed.scheduler - INFO - " in line for line in lines)  # and the cluster's log
    assert _outputs(batch["out"]("quiet")) == _outputs(batch["out"]("verbose")) == batch["local"]
