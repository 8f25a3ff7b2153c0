"""argos packages end to end, offline: catalog / index -> install -> translate -> cache -> remove.

The packages are built by tests/argos_fixture.py (real SentencePiece or BPE,
real CTranslate2 model with random weights) and served from a loopback HTTP
server.  Assertions are about structure and behaviour, never wording.
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

from aligner.cache import Cache
from aligner.cli import cli
from aligner.translate import Ct2Translator, EnglishText, packages, translate_articles
from tests.ct2_fixtures import build_families, once
from tests.conftest import ID, ROOT, VI


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return once("families", lambda: build_families(tmp_path_factory.mktemp("families")))["argos"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


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
         "links": ["ipfs://QmNotFetched", base + built[code].name]}
        for code in ("vi", "id")
    ]
    (root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()


def models(*args, env=None):
    return CliRunner().invoke(cli, ["models", *[str(a) for a in args]], env=env)


def snapshot(directory: Path) -> dict:
    return {str(p.relative_to(directory)): p.stat().st_size for p in sorted(directory.rglob("*"))} if directory.exists() else {}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def installed(tmp_path, server):
    d = tmp_path / "packages"
    for code in ("vi", "id"):
        result = models("install", code, "--index", server, "--allow-unverified", "--packages-dir", d)
        assert result.exit_code == 0, result.output
    return d


def test_install_from_index_list_and_remove(tmp_path, server, built):
    d = tmp_path / "packages"
    result = models("install", "vi", "--index", server, "--allow-unverified", "--packages-dir", d)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"installed translate-vi_en-1_0 (vi->en, version 1.0) in {d}\n"
    # the ipfs:// link is skipped, the http one used, and the missing checksum said out loud
    assert result.stderr == f"Warning: {server}{built['vi'].name}: installing without a checksum (the argos index publishes none)\n"
    listing = models("list", VI, ID, "--packages-dir", d)
    assert "  translate-vi_en-1_0  vi->en  version 1.0  " in listing.stdout
    assert listing.stdout.startswith(f"translation models in {d}:\n")
    assert f"{VI}: vi->en available" in listing.output
    assert f"{ID}: id->en missing; fix with: aligner models install id" in listing.output
    assert models("remove", "vi", "--packages-dir", d).output.strip() == f"removed translate-vi_en-1_0 from {d}"
    assert packages.installed_packages(d) == []
    assert sorted(os.listdir(d)) == []  # no temporary folders or files left


def test_index_packages_without_a_checksum_need_a_flag(tmp_path, server, built):
    d = tmp_path / "packages"
    result = models("install", "vi", "--index", server, "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {server}: the argos index publishes no checksum for vi->en; "
        "pass --sha256 HASH, or --allow-unverified to install it anyway\n"
    )
    assert snapshot(d) == {}
    # a checksum of the user's own is a verification: no flag, no warning
    result = models("install", "vi", "--index", server, "--sha256", sha256(built["vi"]), "--packages-dir", d)
    assert result.exit_code == 0 and result.stderr == ""


def test_install_from_url_and_file_with_sha256(tmp_path, server, built):
    d = tmp_path / "packages"
    assert models("install", server + built["vi"].name, "--sha256", sha256(built["vi"]), "--packages-dir", d).exit_code == 0
    assert models("install", built["id"], "--sha256", sha256(built["id"]), "--packages-dir", d).exit_code == 0
    assert [p.from_code for p in packages.installed_packages(d)] == ["id", "vi"]
    # a URL outside the catalog without a checksum needs the flag
    result = models("install", server + built["vi"].name, "--packages-dir", tmp_path / "other")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {server}{built['vi'].name}: not in the catalog; pass --sha256 HASH, or --allow-unverified to install it anyway\n"


def test_translation_one_output_per_input_in_order(installed):
    translator = Ct2Translator(installed, max_decoding_length=16)
    texts = ["Năm ngoái, Bộ Quốc phòng Mỹ ước tính.", "Xin chào.", "Trung Quốc không tiết lộ chi tiết kho vũ khí của mình, nhưng tuyên bố sẽ duy trì chính sách.", ""]
    out = translator.translate("vi", texts)
    assert len(out) == len(texts) and all(isinstance(x, str) for x in out)
    assert out[0] != "" and out[3] == ""
    # the same inputs reversed give the same outputs reversed: order is restored after length sorting
    assert translator.translate("vi", texts[::-1]) == out[::-1]
    # a sentence translates the same alone and in a batch
    assert translator.translate("vi", [texts[2]]) == [out[2]]


def test_one_translate_batch_call_per_language(installed):
    translator = Ct2Translator(installed, max_decoding_length=8)
    translator.translate("vi", ["Xin chào."])  # load
    loaded = translator._loaded["vi"]
    calls = []
    real = loaded.translator

    class Spy:
        def translate_batch(self, tokens, **kw):
            calls.append((len(tokens), kw["batch_type"]))
            return real.translate_batch(tokens, **kw)

    loaded.translator = Spy()
    translator.translate("vi", [f"Câu số {i}." for i in range(40)])
    assert calls == [(40, "tokens")]


def test_pipeline_uses_the_package_and_caches(tmp_path, installed):
    cache = Cache(tmp_path / "cache")
    translator = Ct2Translator(installed, max_decoding_length=16)
    articles = [("vi", ["Xin chào.", "Trung Quốc có 500 đầu đạn hạt nhân."]), ("id", ["Halo.", "Tiongkok memiliki 500 hulu ledak."])]
    first = translate_articles(articles, mode="argos", translator=translator, cache=cache)
    assert [[r.source for r in a] for a in first] == [["argos:translate-vi_en-1_0@1.0"] * 2, ["argos:translate-id_en-1_0@1.0"] * 2]
    assert cache.misses == 4 and cache.hits == 0
    fresh = Ct2Translator(installed, max_decoding_length=16)
    second = translate_articles(articles, mode="argos", translator=fresh, cache=Cache(tmp_path / "cache"))
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
    result = translate_articles([("vi", ["Xin chào.", "Tạm biệt."])], mode="auto", translator=Ct2Translator(tmp_path / "empty"))
    assert result == [[EnglishText(None, "none"), EnglishText(None, "none")]]


def test_argos_mode_without_a_package_names_the_install_command(tmp_path):
    result = CliRunner().invoke(cli, ["align", str(VI), str(ID), "--translator", "argos", "--packages-dir", str(tmp_path / "none"), "--json", "-", "--no-view", "-q"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no translation model for vi->en; run: aligner models install vi\n"


# ------------------------------------------------------------------ the catalog


def catalog_file(tmp_path: Path, **fields) -> Path:
    entry = {
        "name": "test-vi_en-1.0", "langs": ["vi"], "family": "argos", "get": "download", "version": "1.0",
        "url": "https://mirror.invalid/translate-vi_en-1_0.argosmodel", "size": None, "sha256": None,
        "checksum_source": "test", "licence": "CC BY 4.0", "commercial": True, "quality": "random weights",
        "quality_source": "this test",
    }
    entry.update(fields)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"format": 1, "models": [entry]}), encoding="utf-8")
    return path


def test_install_from_the_shipped_catalog_refuses_a_file_that_differs(tmp_path, built):
    d = tmp_path / "packages"
    result = models("install", "vi", "--from", built["vi"], "--packages-dir", d)
    assert result.exit_code == 2
    size = built["vi"].stat().st_size
    assert result.stderr == f"Error: {built['vi']}: size {size} bytes differs from 65895840 (the catalog entry argos-vi_en-1.9)\n"
    assert snapshot(d) == {}


def test_install_from_a_catalog_checks_sha256_before_unpacking(tmp_path, built):
    d = tmp_path / "packages"
    env = {"ALIGNER_CATALOG": str(catalog_file(tmp_path, size=built["vi"].stat().st_size, sha256="ab" * 32))}
    result = models("install", "vi", "--from", built["vi"], "--packages-dir", d, env=env)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {built['vi']}: SHA-256 mismatch (expected {'ab' * 32}, got {sha256(built['vi'])})\n"
    assert snapshot(d) == {}


def test_install_from_a_catalog_with_a_matching_file_then_align(tmp_path, built):
    d = tmp_path / "packages"
    env = {"ALIGNER_CATALOG": str(catalog_file(tmp_path, size=built["vi"].stat().st_size, sha256=sha256(built["vi"])))}
    result = models("install", "vi", "--from", built["vi"], "--packages-dir", d, env=env)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == f"installed translate-vi_en-1_0 (vi->en, version 1.0) in {d}\n"
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["align", str(VI), str(ID), "--translator", "auto", "--packages-dir", str(d),
                                      "--json", str(out), "--no-view", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [{s["english_source"] for s in a["sentences"]} for a in data["articles"]] == [{"argos:translate-vi_en-1_0@1.0"}, {"none"}]


def test_install_from_a_mirror_url_is_verified_like_a_file(tmp_path, server, built):
    d = tmp_path / "packages"
    env = {"ALIGNER_CATALOG": str(catalog_file(tmp_path, size=built["vi"].stat().st_size, sha256=sha256(built["vi"])))}
    result = models("install", "vi", "--from", server + built["vi"].name, "--packages-dir", d, env=env)
    assert result.exit_code == 0, result.output
    wrong = server + built["no-model"].name  # another file at the mirror: refused before unpacking
    result = models("install", "vi", "--from", wrong, "--packages-dir", tmp_path / "p2", env=env)
    assert result.exit_code == 2
    size, expected = built["no-model"].stat().st_size, built["vi"].stat().st_size
    assert result.stderr == f"Error: {wrong}: size {size} bytes differs from {expected} (the catalog entry test-vi_en-1.0)\n"
    assert os.listdir(tmp_path / "p2") == []


def test_unverified_catalog_entries_need_the_flag_and_warn(tmp_path, built):
    d = tmp_path / "packages"
    env = {"ALIGNER_CATALOG": str(catalog_file(tmp_path))}
    result = models("install", "vi", "--from", built["vi"], "--packages-dir", d, env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no verified download for vi->en in the catalog: --allow-unverified installs test-vi_en-1.0")
    result = models("install", "vi", "--from", built["vi"], "--allow-unverified", "--packages-dir", d, env=env)
    assert result.exit_code == 0
    assert result.stderr == "Warning: test-vi_en-1.0: installing without a checksum (test)\n"


def test_a_catalog_model_to_convert_says_how(tmp_path):
    result = models("install", "opus-mt-id-en", "--packages-dir", tmp_path / "p")
    assert result.stderr == (
        "Error: opus-mt-id-en: not a package to download; convert it: ct2-transformers-converter --model "
        "Helsinki-NLP/opus-mt-id-en --output_dir opus-mt-id-en --copy_files source.spm target.spm, "
        "then: aligner models register DIR --lang id\n"
    )


def test_the_shipped_catalog_has_no_verified_id_download_and_says_what_to_do(tmp_path):
    result = models("install", "id", "--packages-dir", tmp_path / "p")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no verified download for id->en in the catalog: --allow-unverified installs argos-id_en-1.9 "
        "(no published checksum); or convert opus-mt-id-en (Apache-2.0) and register it: aligner models register DIR --lang id\n"
    )


# ------------------------------------------------------------------ refusals


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
    assert result.stderr == f"Error: {built['vi']}: SHA-256 mismatch (expected {'0' * 64}, got {sha256(built['vi'])})\n"
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
    assert result.stderr.count("\n") == 1


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
        "from aligner.cli import main\nsys.argv = ['aligner', 'models', 'install', sys.argv[1], '--replace', '--packages-dir', sys.argv[2]]\nmain()"
    )
    out = subprocess.run([sys.executable, "-c", code, str(built["vi"]), str(installed)], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
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
        "r = CliRunner().invoke(cli, ['models', 'list', '--available']); assert r.exit_code == 0\n"
        "print([m for m in ('torch', 'ctranslate2', 'argostranslate', 'sentencepiece', 'sacremoses', 'transformers') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]"
