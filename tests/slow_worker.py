"""A Dask worker preload that makes one story slow inside the real pipeline (tests/test_batch_timeouts.py).

Dask runs it in every worker process before the worker takes a task, when the
worker's config names it (``DASK_DISTRIBUTED__WORKER__PRELOAD='["<this file>"]'`` in the
environment of the process that starts the cluster): :func:`dask_setup` wraps the
real multilingual-e5 embedder so that every sentence containing :data:`MARK` takes
:data:`SECONDS_PER_SENTENCE` seconds, spent in a Python loop of short sleeps (as a
slow model written in Python would).  Every other sentence goes to the real model,
so the other stories' results are those of a run without this file.
"""

from __future__ import annotations

import time

MARK = "chậm-chạp-dừng"  # in no NTREX line
SECONDS_PER_SENTENCE = 600.0  # far past any test's bound: a story with the mark only ends when it is stopped


def slow_encode(real_encode):
    def encode(self, texts):
        for text in texts:
            if MARK in text:
                deadline = time.monotonic() + SECONDS_PER_SENTENCE
                while time.monotonic() < deadline:
                    time.sleep(0.02)
        return real_encode(self, texts)

    encode.slow = True
    return encode


def dask_setup(worker=None) -> None:
    from aligner.embed import E5Embedder

    if not getattr(E5Embedder.encode, "slow", False):
        E5Embedder.encode = slow_encode(E5Embedder.encode)
