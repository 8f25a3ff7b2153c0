"""Fetching over the network: http(s) only, redirects included, with a byte limit.

Public surface: :func:`check_url`, :func:`download`, :func:`fetch_bytes`.

Every failure is a one-line :class:`~aligner.errors.PackageError` naming the URL.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from aligner.errors import PackageError

TIMEOUT = 60  # seconds without a byte before giving up
CHUNK = 1 << 16

Progress = Callable[[int, "int | None"], None]


def check_url(url: str) -> None:
    """Refuse anything but an http(s) URL (``file://``, ``ftp://``, a bare path)."""
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise PackageError(f"{str(url)[:80]}: only http(s) URLs are allowed")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib alone would follow ftp://)."""

    def http_error_302(self, req, fp, code, msg, headers):
        location = urllib.parse.urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if not location.lower().startswith(("http://", "https://")):
            raise PackageError(f"{req.full_url}: redirected to {location[:80]}: only http(s) URLs are allowed")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _open(url: str):
    """A response for ``url``, following http(s) redirects only."""
    check_url(url)
    opener = urllib.request.build_opener(_HttpOnlyRedirects())
    return opener.open(url, timeout=TIMEOUT)


@contextmanager
def _network_errors(url: str, what: str = "download"):
    """Network failures as one-line PackageErrors."""
    try:
        yield
    except urllib.error.HTTPError as e:
        raise PackageError(f"{url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        raise PackageError(f"{url}: {what} unreachable ({getattr(e, 'reason', e)})") from None
    except http.client.HTTPException as e:
        raise PackageError(f"{url}: {what} failed ({type(e).__name__})") from None
    except OSError as e:
        raise PackageError(f"{url}: {what} failed ({e.strerror or e})") from None


def download(url: str, dest: Path, *, limit: int, expected_size: int | None = None, progress: Progress | None = None) -> None:
    """Stream ``url`` into ``dest``, stopping at ``limit`` bytes (or the expected size)."""
    cap = expected_size if expected_size is not None else limit
    with _network_errors(url), _open(url) as resp, open(dest, "wb") as out:
        declared = resp.headers.get("Content-Length")
        total = int(declared) if declared and declared.isdigit() else None
        if total is not None and total > cap:
            raise PackageError(f"{url}: {total} bytes, more than the {cap} allowed")
        done = 0
        while chunk := resp.read(CHUNK):
            done += len(chunk)
            if done > cap:
                raise PackageError(f"{url}: download stopped at {cap} bytes (the most allowed)")
            out.write(chunk)
            if progress:
                progress(done, total if total is not None else expected_size)
        if total is not None and done != total:
            raise PackageError(f"{url}: download interrupted ({done} of {total} bytes)")


def fetch_bytes(url: str, limit: int, what: str) -> bytes:
    """The body of ``url``, refused when longer than ``limit`` bytes."""
    check_url(url)
    with _network_errors(url, what), _open(url) as resp:
        body = resp.read(limit + 1)
    if len(body) > limit:
        raise PackageError(f"{url}: {what} larger than {limit} bytes")
    return body
