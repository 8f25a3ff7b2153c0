"""Where the stories of a batch run: in this process, or on a Dask cluster.

Public surface: :class:`Aligned`, :class:`LocalEngine`, :class:`DaskEngine`,
:func:`get_engine`, :func:`align_story`, :data:`ENGINES`.

An engine has a ``label`` and ``run(template, stories)``, a generator of one
:class:`Aligned` per story in the order they finish.  Closing the generator
(the batch ends or is interrupted) tears down whatever the engine started.

* ``local`` builds the models once (:func:`aligner.pipeline.build_components`)
  and aligns the stories one after another with them.
* ``dask`` sends each story to a worker of a Dask cluster: an existing one
  (``address``) or a local cluster of ``workers`` processes started for the
  batch.  Each worker thread builds its models on its first story and keeps
  them for the next ones with the same settings; only the config and the story
  travel, never a model.  Workers share the SQLite cache when they share its
  folder.  Dask is imported only here, inside :meth:`DaskEngine.run`.

Both engines stop a story that runs longer than ``story_timeout`` seconds and
mark it failed (``stopped after N s, the time limit of a story``); the batch
goes on.  :class:`_time_limit` raises :class:`StoryTimeout` in the thread that
runs the story: with SIGALRM in a main thread (the local engine), from a timer
thread with ``PyThreadState_SetAsyncExc`` anywhere else (a Dask worker's task
thread, where no signal can reach).  Either way the exception lands between two
bytecodes, so a long call into native code (one model call) finishes first; the
worker and its loaded models stay up for the next story.

Results are identical whichever engine runs a story: the same config, the same
code, the same cached vectors.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from aligner.errors import AlignerError, InputError, MissingDependency

MAX_REASON = 300


@dataclass(frozen=True)
class Aligned:
    """What a worker sends back for one story: a result, or a one-line reason."""

    story: str
    result: object | None  # aligner.model.Result
    error: str | None
    worker: str  # "host:pid" that ran it
    warnings: tuple[str, ...] = ()  # collected where the story ran, one line each


DEFAULT_STORY_TIMEOUT = 3600.0  # seconds; a story over it is marked failed and the batch goes on


class StoryTimeout(Exception):
    """A story ran longer than the batch's per-story time limit."""


def one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def describe(error: BaseException) -> str:
    """An AlignerError's own message; anything else with its type, on one line."""
    if isinstance(error, AlignerError):
        return one_line(str(error))
    return one_line(f"{type(error).__name__}: {error}")


def _here() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def story_config(template, story):
    from dataclasses import replace

    return replace(template, paths=story.paths, langs=story.langs)


def align_story(template, story, components, timeout: float | None = None) -> Aligned:
    """Align one story with ready models; never raises for a bad story.

    Its warnings are collected (one line each) and sent back with the outcome.
    ``timeout``: seconds after which the story is stopped and marked failed
    (in whichever thread this runs: see :class:`_time_limit`).
    """
    from aligner.pipeline import run

    warned: list[str] = []
    try:
        with _time_limit(timeout):
            result = run(story_config(template, story), components=components, warn=lambda m: warned.append(one_line(m)))
    except StoryTimeout:
        return Aligned(story.id, None, f"stopped after {timeout:g} s, the time limit of a story", _here(), tuple(warned))
    except Exception as e:  # noqa: BLE001 -- one story's failure must not stop the batch
        return Aligned(story.id, None, describe(e), _here(), tuple(warned))
    return Aligned(story.id, result, None, _here(), tuple(warned))


class _time_limit:
    """Raise :class:`StoryTimeout` in the calling thread after ``seconds`` (no limit for None).

    In the main thread (where Python runs signal handlers) a SIGALRM handler raises it;
    in any other thread a :class:`threading.Timer` raises it there with
    ``PyThreadState_SetAsyncExc``.  The timer is cancelled when the block ends; a lock
    orders "fired" and "ended", and an exception raised but not yet delivered when the
    block ends is taken back, so it never surfaces after the story (in the worker's code).
    """

    def __init__(self, seconds: float | None):
        import signal

        self.seconds = seconds
        in_main = threading.current_thread() is threading.main_thread()
        self.mode = None if not seconds else "signal" if in_main and hasattr(signal, "setitimer") else "thread"

    def __enter__(self):
        if self.mode == "signal":
            import signal

            def expire(_signum, _frame):
                raise StoryTimeout()

            self.previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        elif self.mode == "thread":
            self.target = threading.get_ident()
            self.lock = threading.Lock()
            self.state = "running"  # then "fired" (the exception is on its way) or "ended"
            self.timer = threading.Timer(self.seconds, self._expire)
            self.timer.daemon = True
            self.timer.start()
        return self

    def _expire(self) -> None:
        with self.lock:
            if self.state == "running":
                self.state = "fired"
                _raise_in_thread(self.target, StoryTimeout)

    def __exit__(self, exc_type, *exc):
        if self.mode == "signal":
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        elif self.mode == "thread":
            self.timer.cancel()
            with self.lock:
                fired, self.state = self.state == "fired", "ended"
            if fired and exc_type is not StoryTimeout:
                # raised just as the story ended and not delivered yet: take it back
                # (if it lands before this line, it leaves this block as the story's timeout)
                _raise_in_thread(self.target, None)
        return False


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in the thread ``thread_id`` at its next bytecode; None takes back a pending one."""
    import ctypes

    setter = ctypes.pythonapi.PyThreadState_SetAsyncExc
    arg = ctypes.py_object(exception) if exception is not None else None  # None: a NULL pointer
    if setter(ctypes.c_ulong(thread_id), arg) > 1:  # more than one thread: undo, as the C API asks
        setter(ctypes.c_ulong(thread_id), None)


def open_cache(template):
    from aligner.cache import Cache, default_cache_dir

    return Cache((template.cache_dir or default_cache_dir()) if template.use_cache else None)


# ------------------------------------------------------------------ local


class LocalEngine:
    """Every story in this process, one after another, with models built once;
    a story that runs longer than ``story_timeout`` seconds is stopped and marked failed."""

    label = "local"

    def __init__(self, story_timeout: float | None = DEFAULT_STORY_TIMEOUT):
        self.story_timeout = story_timeout

    def run(self, template, stories: Sequence) -> Iterator[Aligned]:
        if not stories:
            return
        from aligner.pipeline import build_components

        cache = open_cache(template)
        try:
            components = build_components(template, cache)
            for story in stories:
                yield align_story(template, story, components, self.story_timeout)
        finally:
            cache.close()


# ------------------------------------------------------------------ dask


class DaskEngine:
    """Stories as tasks on a Dask cluster: ``address`` to use a running scheduler,
    else a local cluster of ``workers`` processes (one thread each) for this batch;
    a story that runs longer than ``story_timeout`` seconds on its worker is stopped
    there and marked failed.  ``verbose``: show distributed's own log messages."""

    def __init__(self, address: str | None = None, workers: int | None = None, verbose: bool = False,
                 story_timeout: float | None = DEFAULT_STORY_TIMEOUT):
        if address and workers:
            raise InputError("--workers starts a local cluster; with --address the cluster's own workers are used")
        self.address = address
        self.workers = workers or _cpu_count()
        self.verbose = verbose
        self.story_timeout = story_timeout

    @property
    def label(self) -> str:
        return f"dask ({self.address})" if self.address else f"dask (local cluster, {self.workers} workers)"

    def run(self, template, stories: Sequence) -> Iterator[Aligned]:
        if not stories:
            return
        try:
            from dask.distributed import as_completed
        except ImportError:
            raise MissingDependency("the dask engine needs dask.distributed; install it with: pip install 'aligner[dask]'") from None
        if not self.verbose:
            _quiet_distributed()
        with self._client() as client:
            futures = client.map(run_on_worker, stories, template=template, timeout=self.story_timeout, pure=False)
            by_future = dict(zip(futures, stories))
            for future in as_completed(futures):
                yield _collected(future, by_future.pop(future))
                future.release()

    def _client(self):
        from dask.distributed import Client, LocalCluster

        if self.address:
            try:
                return Client(self.address, timeout="10s")
            except (OSError, TimeoutError) as e:
                raise InputError(f"--address {self.address}: cannot reach a Dask scheduler ({one_line(e)})") from None
        cluster = LocalCluster(
            n_workers=self.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=False if self.verbose else logging.CRITICAL,  # a failed story is reported in the summary
        )
        return _ClusterClient(Client(cluster), cluster)


def _quiet_distributed() -> None:
    """Distributed's own chatter (a dashboard port in use, worker start-up) is not the user's business."""
    import warnings

    for name in ("distributed", "distributed.node", "distributed.scheduler", "distributed.nanny", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"distributed(\.|$)")
    warnings.filterwarnings("ignore", message=r".*[Pp]ort \d+ is already in use.*")


class _ClusterClient:
    """A client that also closes the local cluster it was made for."""

    def __init__(self, client, cluster):
        self.client, self.cluster = client, cluster

    def __enter__(self):
        return self.client

    def __exit__(self, *exc):
        try:
            self.client.close()
        finally:
            self.cluster.close()


def _collected(future, story) -> Aligned:
    if future.status == "finished":
        return future.result()
    try:
        error = future.exception()
    except BaseException as e:  # noqa: BLE001 -- a cancelled future raises here
        error = e
    return Aligned(story.id, None, describe(error), "?")


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# On a worker: one set of models per thread (the SQLite connection inside the
# cache belongs to the thread that opened it), rebuilt only when the settings change.
_held = threading.local()


def run_on_worker(story, template, timeout: float | None = None) -> Aligned:
    """One story in a worker's task thread, stopped there after ``timeout`` seconds."""
    try:
        components = _worker_components(template)
    except Exception as e:  # noqa: BLE001
        return Aligned(story.id, None, describe(e), _here())
    return align_story(template, story, components, timeout)


def _worker_components(template):
    from aligner.pipeline import build_components

    key = (template, _stamp(template.memory), _stamp(template.glossary))  # both are read when the models are built
    held = getattr(_held, "models", None)
    if held is None or held[0] != key:
        if held is not None:
            held[1].close()
        cache = open_cache(template)
        held = (key, cache, build_components(template, cache))
        _held.models = held
    return held[2]


def _stamp(path: str | None):
    if not path:
        return None
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


# ------------------------------------------------------------------ choice

ENGINES = ("local", "dask")


def get_engine(name: str, address: str | None = None, workers: int | None = None,
               story_timeout: float | None = DEFAULT_STORY_TIMEOUT, verbose: bool = False):
    if name == "local":
        if address or workers:
            raise InputError("--address and --workers apply to --engine dask")
        return LocalEngine(story_timeout)
    if name == "dask":
        return DaskEngine(address, workers, verbose, story_timeout)
    raise InputError(f"unknown engine '{name}' (expected {', '.join(ENGINES)})")
