"""argos packages end to end, offline: index -> install -> translate -> cache -> remove.

The packages are built by tests/argos_fixture.py (real SentencePiece, real
CTranslate2 model with random weights) and served from a loopback HTTP server.
Assertions are about structure and behaviour, never wording.
"""

import functools
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner import packages
from aligner.cache import Cache
from aligner.cli import cli
from aligner.errors import PackageError
from aligner.translate import ArgosTranslator, render_english
from tests.argos_fixture import build_packages
from tests.conftest import ID, ROOT, VI


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return build_packages(tmp_path_factory.mktemp("argos-build"))


@pytest.fixture(scope="session")
def server(built, tmp_path_factory):
    """A package index and the packages on 127.0.0.1, like argos' own index."""
    root = tmp_path_factory.mktemp("argos-index")
    for p in built.values():
        (root / p.name).write_bytes(p.read_bytes())
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    index = [
        {"from_code": code, "to_code": "en", "package_version": "1.0", "argos_version": "1.9", "type": "translate",
         "links": [base + built[code].name]}
        for code in ("vi", "id")
    ]
    (root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def models(*args):
    return CliRunner().invoke(cli, ["models", *[str(a) for a in args]])


def snapshot(directory: Path) -> dict:
    return {str(p.relative_to(directory)): p.stat().st_size for p in sorted(directory.rglob("*"))} if directory.exists() else {}


@pytest.fixture
def installed(tmp_path, server):
    d = tmp_path / "packages"
    for code in ("vi", "id"):
        result = models("install", code, "--index", server, "--packages-dir", d)
        assert result.exit_code == 0, result.output
    return d


def test_install_from_index_list_and_remove(tmp_path, server):
    d = tmp_path / "packages"
    result = models("install", "vi", "--index", server, "--packages-dir", d)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"installed translate-vi_en-1_0 (vi->en, version 1.0) in {d}"
    listing = models("list", VI, ID, "--packages-dir", d)
    assert "translate-vi_en-1_0  vi->en  version 1.0" in listing.output
    assert f"{VI}: vi->en available" in listing.output
    assert f"{ID}: id->en missing; fix with: aligner models install id" in listing.output
    assert models("remove", "vi", "--packages-dir", d).output.strip() == f"removed translate-vi_en-1_0 from {d}"
    assert packages.installed_packages(d) == []
    assert sorted(os.listdir(d)) == []  # no temporary folders left


def test_install_from_url_and_file_with_sha256(tmp_path, server, built):
    d = tmp_path / "packages"
    digest = hashlib.sha256(built["vi"].read_bytes()).hexdigest()
    assert models("install", server + built["vi"].name, "--sha256", digest, "--packages-dir", d).exit_code == 0
    id_digest = hashlib.sha256(built["id"].read_bytes()).hexdigest()
    assert models("install", built["id"], "--sha256", id_digest, "--packages-dir", d).exit_code == 0
    assert [p.from_code for p in packages.installed_packages(d)] == ["id", "vi"]


def test_translation_one_output_per_input_in_order(installed):
    translator = ArgosTranslator(installed, max_decoding_length=16)
    texts = ["Năm ngoái, Bộ Quốc phòng Mỹ ước tính.", "Xin chào.", "Trung Quốc không tiết lộ chi tiết kho vũ khí của mình, nhưng tuyên bố sẽ duy trì chính sách.", ""]
    out = translator.translate("vi", texts)
    assert len(out) == len(texts) and all(isinstance(x, str) for x in out)
    # the same inputs reversed give the same outputs reversed: order is restored after length sorting
    assert translator.translate("vi", texts[::-1]) == out[::-1]
    # a sentence translates the same alone and in a batch
    assert translator.translate("vi", [texts[2]]) == [out[2]]


def test_pipeline_uses_the_package_and_caches(tmp_path, installed):
    cache = Cache(tmp_path / "cache")
    translator = ArgosTranslator(installed, max_decoding_length=16)
    articles = [("vi", ["Xin chào.", "Trung Quốc có 500 đầu đạn hạt nhân."]), ("id", ["Halo.", "Tiongkok memiliki 500 hulu ledak."])]
    first = render_english(articles, mode="argos", argos=translator, cache=cache)
    assert [[r.source for r in a] for a in first] == [["argos:translate-vi_en-1_0@1.0"] * 2, ["argos:translate-id_en-1_0@1.0"] * 2]
    assert cache.misses == 4 and cache.hits == 0
    fresh = ArgosTranslator(installed, max_decoding_length=16)
    second = render_english(articles, mode="argos", argos=fresh, cache=Cache(tmp_path / "cache"))
    assert second == first
    assert fresh._loaded == {}  # nothing was translated: no model loaded


def test_align_with_installed_packages_records_package_and_version(tmp_path, installed):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["align", str(VI), str(ID), "--translator", "argos", "--packages-dir", str(installed),
                                      "--json", str(out), "--no-view", "-q", "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    sources = [{s["english_source"] for s in a["sentences"]} for a in data["articles"]]
    assert sources == [{"argos:translate-vi_en-1_0@1.0"}, {"argos:translate-id_en-1_0@1.0"}]
    assert all(s["english"] is not None for a in data["articles"] for s in a["sentences"])
    # random-weight English lacks the glossary terms: every concept is flagged, never passed silently
    statuses = {h["status"] for a in data["articles"] for s in a["sentences"] for h in s["glossary"]}
    assert statuses <= {"violation", "post-edited", "ok"} and "violation" in statuses


def test_auto_falls_back_to_none_without_a_package(tmp_path):
    result = render_english([("vi", ["Xin chào."])], mode="auto", argos=ArgosTranslator(tmp_path / "empty"))
    assert result == [[result[0][0]]] and result[0][0].source == "none" and result[0][0].english is None


def test_argos_mode_without_a_package_names_the_install_command(tmp_path):
    result = CliRunner().invoke(cli, ["align", str(VI), str(ID), "--translator", "argos", "--packages-dir", str(tmp_path / "none"), "--no-view", "-q"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no argos package installed for vi->en; run: aligner models install vi\n"


def make_zip(path: Path, entries: dict, links: dict = ()) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in dict(links).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, target)
    return path


META = json.dumps({"from_code": "vi", "to_code": "en", "package_version": "1.0"})


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda d, b: (d / "x.argosmodel").write_text("not a zip") and d / "x.argosmodel", "not a zip archive (an .argosmodel is a zip)"),
        (lambda d, b: make_zip(d / "x.argosmodel", {"pkg/README.md": "hi"}), "no metadata.json in pkg/"),
        (lambda d, b: make_zip(d / "x.argosmodel", {"pkg/metadata.json": META, "pkg/../../evil.txt": "x"}), "entry 'pkg/../../evil.txt' points outside the package folder"),
        (lambda d, b: make_zip(d / "x.argosmodel", {"/abs/metadata.json": META}), "entry '/abs/metadata.json' has an absolute path"),
        (lambda d, b: make_zip(d / "x.argosmodel", {"pkg/metadata.json": META}, {"pkg/link": "/etc/passwd"}), "entry 'pkg/link' is a symbolic link"),
        (lambda d, b: b["wrong-direction"], "translates en->vi, aligner needs a package into English"),
        (lambda d, b: b["no-model"], "no CTranslate2 model (model/model.bin) in the package"),
    ],
    ids=["not-zip", "no-metadata", "dotdot", "absolute", "symlink", "wrong-direction", "no-model"],
)
def test_bad_packages_are_refused_and_installed_ones_untouched(tmp_path, installed, built, make, message):
    bad = make(tmp_path, built)
    before = snapshot(installed)
    result = models("install", bad, "--packages-dir", installed)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {bad}: {message}\n"
    assert snapshot(installed) == before
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_sha256_mismatch(tmp_path, installed, built):
    before = snapshot(installed)
    result = models("install", built["vi"], "--sha256", "0" * 64, "--packages-dir", installed)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {built['vi']}: SHA-256 mismatch (expected {'0' * 64}, got ")
    assert snapshot(installed) == before


def test_index_unreachable(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}/"
    result = models("install", "vi", "--index", url, "--packages-dir", tmp_path / "p")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {url}index.json: package index unreachable (")


def test_language_missing_from_the_index(tmp_path, server):
    result = models("install", "fr", "--index", server, "--packages-dir", tmp_path / "p")
    assert result.stderr == f"Error: {server}: the package index has no fr->en package\n"


def test_a_full_disk_during_extraction_leaves_nothing_behind(tmp_path, installed, built):
    """Extraction hits a file-size limit (EFBIG), as it would a full disk (ENOSPC)."""
    before = snapshot(installed)
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))\n"
        "from aligner.cli import main\nsys.argv = ['aligner', 'models', 'install', sys.argv[1], '--packages-dir', sys.argv[2]]\nmain()"
    )
    out = subprocess.run([sys.executable, "-c", code, str(built["vi"]), str(installed)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2
    assert out.stderr.startswith(f"Error: {built['vi']}: extraction failed (File too large")
    assert snapshot(installed) == before


def test_package_directory_is_found_like_argostranslate_does(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    assert packages.argos_settings(env).packages_dir == tmp_path / "data" / "argos-translate" / "packages"
    env["ARGOS_PACKAGES_DIR"] = str(tmp_path / "custom")
    env["ARGOS_PACKAGE_INDEX"] = "http://mirror.invalid/"
    s = packages.argos_settings(env)
    assert s.packages_dir == tmp_path / "custom" and s.index_url == "http://mirror.invalid/"
    config = tmp_path / "cfg" / "argos-translate"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps({"ARGOS_PACKAGE_INDEX": "http://from-file.invalid/"}))
    s = packages.argos_settings({"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert s.index_url == "http://from-file.invalid/"


def test_models_commands_do_not_import_ctranslate2(tmp_path, installed):
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom aligner.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['models', 'list', '--packages-dir', {str(installed)!r}]); assert r.exit_code == 0\n"
        "print([m for m in ('torch', 'ctranslate2', 'argostranslate') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
