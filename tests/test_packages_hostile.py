"""Hostile packages, indexes and servers: refused with one line, nothing left behind (issue 12).

Each case failed on the code before the limits: a zip bomb installed, an
endless body filled the disk, ``file://`` links were read, bad metadata and
dummy models installed and crashed ``align`` later with a traceback.
"""

import http.server
import json
import os
import re
import socketserver
import struct
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.errors import PackageError
from aligner.translate import Ct2Translator, packages
from aligner.translate.packages import Limits
from tests.conftest import ID, VI
from tests.ct2_fixtures import build_families, once

META = {"from_code": "vi", "to_code": "en", "package_version": "1.0", "from_name": "Vietnamese", "to_name": "English"}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return once("families", lambda: build_families(tmp_path_factory.mktemp("families")))["argos"]


def models(*args, env=None):
    return CliRunner().invoke(cli, ["models", *[str(a) for a in args]], env=env)


def contents(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*")) if directory.exists() else []


def repack(source: Path, dest: Path, *, metadata=None, replace: dict | None = None, rename_top: str | None = None) -> Path:
    """A copy of a real package with its metadata, some files, or its folder name changed."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            top, _, rest = info.filename.partition("/")
            name = f"{rename_top or top}/{rest}"
            data = src.read(info)
            if rest == "metadata.json" and metadata is not None:
                data = json.dumps(metadata).encode("utf-8")
            if replace and rest in replace:
                data = replace[rest]
            out.writestr(name, data)
    return dest


# ------------------------------------------------------------------ zip bombs and sizes


def test_a_zip_bomb_is_refused_before_extraction(tmp_path):
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("translate-vi_en-1_0/metadata.json", json.dumps(META))
        zf.writestr("translate-vi_en-1_0/model/model.bin", b"\0" * (20 << 20))  # 20 MB of zeros: a 20 kB zip
    assert bomb.stat().st_size < 100_000
    d = tmp_path / "packages"
    with pytest.raises(PackageError, match=rf"^{bomb}: unpacks to 20971\d\d\d bytes, more than the limit of 10000000$"):
        packages.install_file(bomb, d, limits=Limits(unpacked_bytes=10_000_000))
    assert contents(d) == []


def test_an_entry_that_unpacks_to_more_than_it_declares_is_stopped_while_extracting(tmp_path, built):
    """The central directory says 1,000 bytes; the data inflates to 1 MB."""
    liar = tmp_path / "liar.argosmodel"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("translate-vi_en-1_0/metadata.json", json.dumps(META))
        zf.writestr("translate-vi_en-1_0/sentencepiece.model", b"x" * 10)
        zf.writestr("translate-vi_en-1_0/model/model.bin", b"\0" * (1 << 20))
    data = bytearray(liar.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header and central directory
        at = data.rfind(signature)
        assert struct.unpack_from("<I", data, at + offset)[0] == 1 << 20
        struct.pack_into("<I", data, at + offset, 1000)
    liar.write_bytes(bytes(data))
    d = tmp_path / "packages"
    with pytest.raises(PackageError, match=rf"^{liar}: corrupt archive \("):
        packages.install_file(liar, d)
    assert contents(d) == []


def test_too_many_files_are_refused(tmp_path):
    crowd = tmp_path / "crowd.argosmodel"
    with zipfile.ZipFile(crowd, "w") as zf:
        zf.writestr("translate-vi_en-1_0/metadata.json", json.dumps(META))
        for i in range(30):
            zf.writestr(f"translate-vi_en-1_0/f{i}", b"")
    with pytest.raises(PackageError, match=r"31 entries, more than the limit of 20$"):
        packages.install_file(crowd, tmp_path / "p", limits=Limits(files=20))


def test_a_package_bigger_than_the_free_disk_is_refused(tmp_path, built, monkeypatch):
    import shutil

    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: real(p)._replace(free=1000))
    d = tmp_path / "packages"
    with pytest.raises(PackageError, match=r"unpacks to \d+ MB but .* has 0 MB free$"):
        packages.install_file(built["vi"], d)
    assert contents(d) == []


# ------------------------------------------------------------------ hostile servers


class Hostile(http.server.BaseHTTPRequestHandler):
    """/endless: an endless body; /liar: Content-Length of 10 GB; /to-file, /to-ftp: redirects; /index.json."""

    index: list = []

    def do_GET(self):
        if self.path == "/endless":
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"\0" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif self.path == "/liar":
            self.send_response(200)
            self.send_header("Content-Length", str(10 << 30))
            self.end_headers()
        elif self.path in ("/to-file", "/to-ftp"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd" if self.path == "/to-file" else "ftp://127.0.0.1/x")
            self.end_headers()
        elif self.path == "/index.json":
            body = json.dumps(self.index).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile():
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    httpd = Server(("127.0.0.1", 0), Hostile)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_an_endless_body_stops_at_the_limit_and_leaves_nothing(tmp_path, hostile):
    d = tmp_path / "packages"
    with pytest.raises(PackageError, match=rf"^{hostile}/endless: download stopped at 2000000 bytes \(the most allowed\)$"):
        packages.install_url(f"{hostile}/endless", d, limits=Limits(download_bytes=2_000_000))
    assert contents(d) == []


def test_an_endless_body_stops_at_the_catalogs_size(tmp_path, hostile):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"format": 1, "models": [{
        "name": "m", "langs": ["vi"], "family": "argos", "get": "download", "version": "1", "url": f"{hostile}/endless",
        "size": 300_000, "sha256": "0" * 64, "checksum_source": "t", "licence": "CC BY 4.0", "commercial": True,
        "quality": "q", "quality_source": "s"}]}), encoding="utf-8")
    d = tmp_path / "packages"
    result = models("install", "vi", "--packages-dir", d, env={"ALIGNER_CATALOG": str(catalog)})
    assert result.exit_code == 2
    assert result.stderr == f"Error: {hostile}/endless: download stopped at 300000 bytes (the most allowed)\n"
    assert contents(d) == []


def test_a_declared_size_over_the_limit_is_refused_before_reading(tmp_path, hostile):
    with pytest.raises(PackageError, match=rf"^{hostile}/liar: 10737418240 bytes, more than the 2147483648 allowed$"):
        packages.install_url(f"{hostile}/liar", tmp_path / "p")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x.argosmodel", "FILE:///etc/passwd"])
def test_only_http_urls_are_fetched(tmp_path, url):
    result = models("install", url, "--allow-unverified", "--packages-dir", tmp_path / "p")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {url}: only http(s) URLs are allowed\n"
    result = models("install", "vi", "--index", url.rsplit("/", 1)[0] + "/", "--allow-unverified", "--packages-dir", tmp_path / "p")
    assert result.stderr.endswith(": only http(s) URLs are allowed\n") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirects_to_other_schemes_are_refused(tmp_path, hostile, path):
    with pytest.raises(PackageError, match=r": only http\(s\) URLs are allowed$"):
        packages.install_url(f"{hostile}{path}", tmp_path / "p")
    assert contents(tmp_path / "p") == []


def test_index_links_other_than_http_are_never_followed(tmp_path, hostile):
    Hostile.index = [{"from_code": "vi", "to_code": "en", "links": ["file:///etc/passwd", "ipfs://Qm"]}]
    result = models("install", "vi", "--index", hostile + "/", "--allow-unverified", "--packages-dir", tmp_path / "p")
    assert result.stderr == f"Error: {hostile}/: the vi->en package lists no http(s) download link\n"


# ------------------------------------------------------------------ metadata and models


@pytest.mark.parametrize(
    "metadata,message",
    [
        ({**META, "from_code": ["vi"]}, "metadata 'from_code' must be a string, not list"),
        ({**META, "to_code": 7}, "metadata 'to_code' must be a string, not int"),
        ({**META, "from_code": "vi\x1b[2J"}, "metadata contains control characters"),
        ({**META, "from_name": "\x1b]0;pwned\x07Vietnamese"}, "metadata contains control characters"),
        ({**META, "package_version": "1.0; rm -rf /"}, "metadata 'package_version' has an unexpected form: '1.0; rm -rf /'"),
        ([META], "metadata.json is not a JSON object"),
    ],
    ids=["list-code", "int-code", "escape-in-code", "escape-in-name", "odd-version", "not-object"],
)
def test_bad_metadata_is_refused_before_anything_is_written(tmp_path, built, metadata, message):
    bad = repack(built["vi"], tmp_path / "bad.argosmodel", metadata=metadata)
    d = tmp_path / "packages"
    result = models("install", bad, "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {bad}: {message}\n"
    assert contents(d) == []


def test_an_escape_in_the_folder_name_is_refused(tmp_path, built):
    bad = repack(built["vi"], tmp_path / "bad.argosmodel", rename_top="translate\x1b[2J")
    result = models("install", bad, "--packages-dir", tmp_path / "p")
    assert result.stderr == f"Error: {bad}: bad top-level folder name 'translate\\x1b[2J'\n"


@pytest.mark.parametrize(
    "files,message",
    [
        ({"model/model.bin": b"not a model at all"}, r"not a CTranslate2 model \(model.bin format 544501614 is unknown\)"),
        ({"model/model.bin": b"\x06\x00\x00\x00"}, r"not a CTranslate2 model \(model.bin ends early\)"),
        ({"model/shared_vocabulary.json": b'["a", "b"]'}, "the model predicts \\d+ tokens but its vocabulary has 2"),
        ({"model/shared_vocabulary.json": b'{"a": 1}'}, "unreadable vocabulary shared_vocabulary.json \\(not a JSON list of strings\\)"),
    ],
    ids=["dummy", "truncated", "vocabulary-mismatch", "vocabulary-not-list"],
)
def test_a_model_that_is_not_ctranslate2_is_refused_at_install(tmp_path, built, files, message):
    bad = repack(built["vi"], tmp_path / "bad.argosmodel", replace=files)
    d = tmp_path / "packages"
    result = models("install", bad, "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert re.fullmatch(rf"Error: {re.escape(str(bad))}: {message}\n", result.stderr), result.stderr
    assert contents(d) == []


def test_a_truncated_real_model_is_refused(tmp_path, built):
    with zipfile.ZipFile(built["vi"]) as zf:
        name = next(n for n in zf.namelist() if n.endswith("model/model.bin"))
        data = zf.read(name)
    bad = repack(built["vi"], tmp_path / "bad.argosmodel", replace={"model/model.bin": data[: len(data) // 2]})
    result = models("install", bad, "--packages-dir", tmp_path / "p")
    assert result.stderr == f"Error: {bad}: not a CTranslate2 model (model.bin is truncated)\n"


def test_packages_put_there_by_other_tools_never_crash_align(tmp_path, built):
    """A folder argostranslate (or a user) left with bad metadata or a dummy model: listed as skipped, one-line errors."""
    d = tmp_path / "packages"
    with zipfile.ZipFile(built["vi"]) as zf:
        zf.extractall(d)
    folder = next(d.iterdir())
    (folder / "metadata.json").write_text(json.dumps({**META, "from_code": ["vi"]}), encoding="utf-8")
    other = d / "translate-id_en-1_0"
    with zipfile.ZipFile(built["id"]) as zf:
        zf.extractall(tmp_path / "x")
    (tmp_path / "x" / other.name).rename(other)
    (other / "model" / "model.bin").write_bytes(b"dummy")
    listing = models("list", "--packages-dir", d)
    assert listing.exit_code == 0
    assert f"  skipped: {folder}: metadata 'from_code' must be a string, not list\n" in listing.stdout
    result = CliRunner().invoke(cli, ["align", str(VI), str(ID), "--translator", "argos", "--packages-dir", str(d), "--json", "-", "--no-view", "-q", "--no-cache"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no translation model for vi->en; run: aligner models install vi\n"
    with pytest.raises(Exception) as caught:
        Ct2Translator(d).translate("id", ["Halo."])
    assert type(caught.value).__name__ == "TranslationError"
    assert str(caught.value).startswith(f"{other}: CTranslate2 cannot load the model (")
    assert "\n" not in str(caught.value)


def test_an_unreadable_registry_is_one_line(tmp_path):
    d = tmp_path / "models"
    d.mkdir()
    (d / "aligner-models.json").write_text('[{"name": 1}]', encoding="utf-8")
    result = models("list", "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {d / 'aligner-models.json'}: malformed model registry; remove it and register the models again\n"


def test_the_shipped_catalog_is_valid_https_and_honest():
    from aligner.translate.catalog import best_download, load_catalog

    catalog = load_catalog({})
    assert all(e.url.startswith("https://") for e in catalog)
    vi = best_download("vi", catalog)
    assert (vi.name, vi.size, vi.sha256, vi.licence) == (
        "argos-vi_en-1.9", 65_895_840, "ebd51b7189b13eccb9238a5777de1d343008c4c05284a8b89610242364433953", "CC BY 4.0")
    assert best_download("id", catalog) is None  # nothing verified: never a guessed checksum
    nllb = next(e for e in catalog if e.family == "nllb")
    assert not nllb.commercial and "NC" in nllb.licence
    for e in catalog:
        assert (e.sha256 is None) == ("unverified" in e.checksum_source)


def test_models_list_available_shows_licences_and_marks_non_commercial():
    result = models("list", "--available")
    assert result.exit_code == 0
    out = result.stdout
    assert max(len(line) for line in out.split("\n\n")[0].splitlines()) <= 80  # the table fits a plain terminal
    assert "argos-vi_en-1.9 *        vi     argos   CC BY 4.0                    verified" in out
    assert "nllb-200-distilled-600M  vi,id  nllb    CC BY-NC 4.0 NON-COMMERCIAL  none" in out
    for needle in ("https://argos-net.com/v1/translate-vi_en-1_9.argosmodel", "65,895,840 bytes",
                   "ebd51b7189b13eccb9238a5777de1d343008c4c05284a8b89610242364433953", "CC BY 4.0", "argos-id_en-1.9",
                   "opus-mt-id-en", "Apache-2.0", "FLORES devtest BLEU 33.4", "CC BY-NC 4.0", "NON-COMMERCIAL", "madlad400-3b-mt"):
        assert needle in out, needle
    assert out.count("NON-COMMERCIAL") == 1 and "nllb-200-distilled-600M  (CC BY-NC 4.0, non-commercial use only)" in out
    assert "\x1b" not in out  # not a terminal: no colour codes


def test_nothing_is_left_in_the_packages_dir_after_any_refusal(tmp_path, built, hostile):
    """Downloads go to a hidden temporary file beside the packages; a refusal removes it."""
    d = tmp_path / "packages"
    d.mkdir()
    for attempt in (lambda: packages.install_url(f"{hostile}/endless", d, limits=Limits(download_bytes=100_000)),
                    lambda: packages.install_url(f"{hostile}/missing", d)):
        with pytest.raises(PackageError):
            attempt()
    assert os.listdir(d) == []
