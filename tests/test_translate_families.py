"""Every model family end to end, offline: install or register -> translate -> align.

The models are tiny (d_model 16, one layer) but of each family's real
architecture, built and converted by tests/ct2_fixtures.py with CTranslate2's
own converter.  Their weights make them substitution ciphers (tests/copy_weights.py:
each source piece comes out as the next plain piece of the vocabulary), so
assertions are about structure (one output per input, order, labels, tokens,
errors), never wording -- and a glossary placeholder does not survive them (its
pieces are enciphered too): the tests check that a miss is reported, and check
the placeholder round trip through each family's real tokenisers separately.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cache import Cache
from aligner.cli import cli
from aligner.errors import PackageError, TranslationError
from aligner.translate import Ct2Translator, EnglishText, translate_articles
from aligner.translate import installed as registry
from aligner.translate import packages
from aligner.translate.bpe import BpeCodes
from aligner.translate.families import family
from aligner.translate.modelfile import check_model_dir
from aligner.translate.placeholders import PLACEHOLDER, Slot, TermIndex, contains_term, protect, restore
from tests.conftest import ID, ROOT, VI
from tests.ct2_fixtures import NTREX, build_families, once

ARGOS = ("argos-sentencepiece", "argos-bpe")
CONVERTED = ("marian", "m2m100", "nllb", "t5")
FAMILIES = ARGOS + CONVERTED
TEXTS = [
    "Năm ngoái, Bộ Quốc phòng Mỹ ước tính Trung Quốc có 500 đầu đạn hạt nhân.",
    "Xin chào.",
    "Trung Quốc không tiết lộ chi tiết kho vũ khí của mình, nhưng tuyên bố sẽ duy trì chính sách kiểm soát vũ khí.",
    "",
]
TERMS = [
    ("đầu đạn hạt nhân", "nuclear warhead", False, ("nuclear head", "nuclear bomb head")),
    ("kiểm soát vũ khí", "arms control", False, ("weapons control",)),
    ("hulu ledak nuklir", "nuclear warhead", False, ("nuclear head",)),
]


@pytest.fixture(scope="session")
def fixtures(tmp_path_factory):
    return once("families", lambda: build_families(tmp_path_factory.mktemp("families")))


def models(*args, env=None):
    return CliRunner().invoke(cli, ["models", *[str(a) for a in args]], env=env)


def setup_family(name: str, fixtures, directory: Path, langs=("vi", "id")):
    """Install (argos) or register (converted directory) the family's model; its expected label."""
    if name in ARGOS:
        result = models("install", fixtures[name], "--packages-dir", directory)
        assert result.exit_code == 0, result.output
        model = packages.installed_packages(directory)[0]
        return model.langs[0], model.label
    result = models("register", fixtures[name], "--lang", ",".join(langs), "--packages-dir", directory)
    assert result.exit_code == 0, result.output
    model = registry.registered_models(directory)[0]
    assert result.stdout == f"registered {model.name} ({','.join(langs)}->en, {name}) as {model.label}\n"
    return langs[0], model.label


@pytest.fixture(scope="module")
def ready(fixtures, tmp_path_factory):
    """One models directory per family, set up once."""
    out = {}
    for name in FAMILIES:
        d = tmp_path_factory.mktemp(f"models-{name}")
        lang, label = setup_family(name, fixtures, d)
        out[name] = (d, lang, label)
    return out


@pytest.mark.parametrize("name", FAMILIES)
def test_setup_labels_and_family(ready, name):
    d, lang, label = ready[name]
    model = registry.find_model(d, lang)
    assert model.family == name
    if name in ARGOS:
        assert label == {"argos-sentencepiece": "argos:translate-vi_en-1_0@1.0", "argos-bpe": "argos:translate-id_en-1_9@1.9"}[name]
    else:
        folder = {"marian": "opus-mt-vi-en", "m2m100": "m2m100", "nllb": "nllb", "t5": "madlad-t5"}[name]
        assert label.startswith(f"ct2:{folder}@") and len(label.split("@")[1]) == 12


@pytest.mark.parametrize("name", FAMILIES)
def test_one_output_per_input_in_order(ready, name):
    d, lang, _ = ready[name]
    translator = Ct2Translator(d, max_decoding_length=12)
    out = translator.translate(lang, TEXTS)
    assert len(out) == len(TEXTS) and all(isinstance(x, str) for x in out)
    assert translator.translate(lang, TEXTS[::-1]) == out[::-1]
    assert translator.translate(lang, [TEXTS[2]]) == [out[2]]
    assert translator.translate(lang, []) == []


@pytest.mark.parametrize("name", FAMILIES)
def test_tokens_in_and_out_follow_the_family(ready, name):
    d, lang, _ = ready[name]
    translator = Ct2Translator(d, max_decoding_length=12)
    loaded = translator._load(lang)
    fam = loaded.family
    source = fam.encode("Xin chào.")
    vocabulary = set(check_model_dir(fam.model_dir).target_vocabulary)
    expected_first = {"m2m100": f"__{lang}__", "nllb": "vie_Latn"}.get(name)
    if expected_first:
        assert source[0] == expected_first and source[-1] == "</s>"
        assert fam.target_prefix() == [{"m2m100": "__en__", "nllb": "eng_Latn"}[name]]
    elif name == "t5":
        assert "<2en>" in source[:2] and source[-1] == "</s>" and fam.target_prefix() == []
    elif name == "marian":
        assert source[-1] == "</s>" and fam.target_prefix() == []
    else:  # argos: exactly what argostranslate feeds CTranslate2
        assert "</s>" not in source and fam.target_prefix() == []
    assert set(source) <= vocabulary  # no token CTranslate2 would map to <unk>
    # the forced language token is taken out of the output
    raw = translator._batch(loaded, [source])[0]
    assert not raw[:1] or raw[0] not in ("__en__", "eng_Latn")


def test_argos_bpe_tokenises_like_argostranslate(fixtures, ready):
    from argostranslate.tokenizer import BPETokenizer

    d, lang, _ = ready["argos-bpe"]
    pkg = packages.installed_packages(d)[0]
    ours = family("argos-bpe")(pkg.path, lang)
    ours.load()
    theirs = BPETokenizer(pkg.path / "bpe.model", lang, "en")
    lines = (NTREX / "ind.txt").read_text(encoding="utf-8").splitlines()[:60]
    for line in lines:
        assert ours.encode(line) == theirs.encode(line)
        assert ours.decode(ours.encode(line)) == theirs.decode(theirs.encode(line))


def test_bpe_merges_match_subword_nmt(fixtures, ready):
    from subword_nmt.apply_bpe import BPE

    d, _, _ = ready["argos-bpe"]
    codes = packages.installed_packages(d)[0].path / "bpe.model"
    with open(codes, encoding="utf-8") as fh:
        reference = BPE(fh)
    ours = BpeCodes.load(codes)
    words = " ".join((NTREX / n).read_text(encoding="utf-8") for n in ("ind.txt", "vie.txt", "eng.txt")).split()
    assert ours.segment(words) == reference.segment_tokens(words)


# ------------------------------------------------------------------ align, two families per run


@pytest.mark.parametrize("vi_family,id_family", [("argos-sentencepiece", "argos-bpe"), ("marian", "m2m100"), ("nllb", "t5")])
def test_align_labels_every_sentence_with_its_model(fixtures, tmp_path, vi_family, id_family):
    d = tmp_path / "models"
    labels = {}
    for name, lang in ((vi_family, "vi"), (id_family, "id")):
        if name in ARGOS:
            assert models("install", fixtures[name], "--packages-dir", d).exit_code == 0
            labels[lang] = registry.find_model(d, lang).label
        else:
            result = models("register", fixtures[name], "--lang", lang, "--packages-dir", d)
            assert result.exit_code == 0, result.output
            labels[lang] = registry.find_model(d, lang).label
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["align", str(VI), str(ID), "--translator", "argos", "--packages-dir", str(d),
                                      "--json", str(out), "--no-view", "-q", "--no-cache",
                                      "--cross-lingual-weight", "0"])  # every sentence has English: one embedder is enough
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [{s["english_source"] for s in a["sentences"]} for a in data["articles"]] == [{labels["vi"]}, {labels["id"]}]
    assert all(isinstance(s["english"], str) for a in data["articles"] for s in a["sentences"])
    assert sorted(data["signature"]["english_sources"]) == sorted(labels.values())


# ------------------------------------------------------------------ registration


def test_register_refuses_what_it_cannot_use(fixtures, tmp_path):
    d = tmp_path / "models"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = models("register", empty, "--lang", "vi", "--packages-dir", d)
    assert result.stderr == (
        f"Error: {empty}: no model.bin, so not a converted CTranslate2 model; convert it first "
        "(ct2-transformers-converter --model NAME --output_dir DIR, see aligner models list --available)\n"
    )
    result = models("register", fixtures["marian"], "--lang", "vi", "--family", "nllb", "--packages-dir", d)
    assert result.stderr == f"Error: {fixtures['marian']}: no sentencepiece.bpe.model (needed by a nllb model)\n"
    result = models("register", fixtures["m2m100"], "--lang", "xx", "--packages-dir", d)
    assert result.stderr == f"Error: {fixtures['m2m100']}: the model's vocabulary has no '__xx__' token (is it a m2m100 model?)\n"
    result = models("register", fixtures["nllb"], "--lang", "xx", "--packages-dir", d)
    assert result.stderr.startswith("Error: no NLLB language code known for 'xx' (known: ")
    assert not (d / registry.REGISTRY_FILE).exists()


def test_a_registered_model_that_changed_is_refused_not_mislabelled(fixtures, tmp_path):
    import shutil

    model_dir = tmp_path / "opus-mt"
    shutil.copytree(fixtures["marian"], model_dir)
    d = tmp_path / "models"
    assert models("register", model_dir, "--lang", "vi", "--packages-dir", d).exit_code == 0
    with open(model_dir / "model.bin", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(TranslationError, match="files changed since registration; run: aligner models register"):
        Ct2Translator(d).translate("vi", ["Xin chào."])


def test_registered_model_wins_and_can_be_forgotten(fixtures, tmp_path):
    d = tmp_path / "models"
    assert models("install", fixtures["argos-sentencepiece"], "--packages-dir", d).exit_code == 0
    assert models("register", fixtures["t5"], "--lang", "vi", "--name", "madlad", "--version", "test1", "--packages-dir", d).exit_code == 0
    assert registry.find_model(d, "vi").label == "ct2:madlad@test1"
    listing = models("list", "--packages-dir", d).stdout
    assert f"  madlad  vi->en  t5  version test1  registered: {fixtures['t5']}\n" in listing
    assert "translate-vi_en-1_0  vi->en  version 1.0" in listing and "(not used: a registered model comes first)" in listing
    assert models("remove", "madlad", "--packages-dir", d).stdout == f"unregistered madlad (its files in {fixtures['t5']} are kept)\n"
    assert registry.find_model(d, "vi").label == "argos:translate-vi_en-1_0@1.0"
    assert Path(fixtures["t5"], "model.bin").is_file()


def test_register_and_list_import_no_model_library(fixtures, tmp_path):
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom aligner.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['models', 'register', {str(fixtures['nllb'])!r}, '--lang', 'vi', '--packages-dir', {str(tmp_path)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(cli, ['models', 'list', '--packages-dir', {str(tmp_path)!r}]); assert r.exit_code == 0\n"
        "print([m for m in ('torch', 'ctranslate2', 'sentencepiece', 'sacremoses', 'transformers') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------ glossary placeholders


def test_protect_replaces_variants_longest_first_on_word_boundaries():
    terms = [("vũ khí", "weapon"), ("kiểm soát vũ khí", "arms control"), ("AS", "United States", True)]
    text = "Kiểm soát vũ khí và vũ khí; AS và as, vũ khíx."
    protected, slots = protect(text, terms)
    assert protected == "XTERM0X và XTERM1X; XTERM2X và as, vũ khíx."
    assert slots == (
        Slot("XTERM0X", "Kiểm soát vũ khí", "arms control"),
        Slot("XTERM1X", "vũ khí", "weapon"),
        Slot("XTERM2X", "AS", "United States"),
    )
    assert protect("Xin chào.", terms) == ("Xin chào.", ())
    # a term met twice has one placeholder
    assert protect("vũ khí, vũ khí", terms)[0] == "XTERM0X, XTERM0X"


def test_restore_puts_canonical_english_back_and_reports_misses():
    slots = protect("đầu đạn hạt nhân và kiểm soát vũ khí", TERMS)[1]
    assert [s.placeholder for s in slots] == [PLACEHOLDER.format(0), PLACEHOLDER.format(1)]
    assert restore("XTERM0X and XTERM1X.", slots) == ("Nuclear warhead and arms control.", ())
    # what models do to copied names: case, an inner space
    assert restore("The xterm0x and XTERM 1X.", slots) == ("The nuclear warhead and arms control.", ())
    assert restore("500 XTERM0Xs, XTERM1X says.", slots) == ("500 nuclear warheads, arms control says.", ())
    english, missing = restore("The warheads and XTERM7X control.", slots)
    assert english == "The warheads and control." and missing == slots  # an invented placeholder is dropped
    assert restore("No terms here.", ()) == ("No terms here.", ())


def test_protect_then_identity_restore_changes_nothing_else():
    for line in (NTREX / "vie.txt").read_text(encoding="utf-8").splitlines()[:200]:
        protected, slots = protect(line, TERMS)
        english, missing = restore(protected, slots)
        assert missing == ()
        expected = line
        for s in slots:
            expected = expected.replace(s.source, s.english)
        if expected[:1].islower() and english[:1].isupper() and slots and protected.startswith("XTERM"):
            expected = expected[:1].upper() + expected[1:]
        assert english == expected


def test_term_index_ignores_blank_and_overlong_variants():
    index = TermIndex([("", "x"), ("a " * 30, "y"), ("ok", "")])
    assert not index
    assert contains_term("Two nuclear-warheads", "nuclear warhead") is False
    assert contains_term("The Nuclear Warhead.", "nuclear warhead") is True


@pytest.mark.parametrize("name", FAMILIES)
def test_placeholders_survive_each_familys_tokenisers(ready, name):
    """What the model must copy is made of known tokens on both sides, and decodes back intact."""
    d, lang, _ = ready[name]
    fam = Ct2Translator(d)._load(lang).family
    vocabulary = set(check_model_dir(fam.model_dir).target_vocabulary)
    protected, slots = protect("Trung Quốc có 500 đầu đạn hạt nhân và kiểm soát vũ khí.", TERMS)
    assert "XTERM0X" in protected and set(fam.encode(protected)) <= vocabulary
    target = fam.encode_target("China has 500 XTERM0X and XTERM1X.")
    assert set(target) <= vocabulary
    assert restore(fam.decode(target), slots) == ("China has 500 nuclear warhead and arms control.", ())


@pytest.mark.parametrize("name", FAMILIES)
def test_a_model_that_drops_placeholders_is_retried_and_reported(ready, name):
    d, lang, _ = ready[name]
    translator = Ct2Translator(d, max_decoding_length=12)
    texts = ["Trung Quốc có 500 đầu đạn hạt nhân.", "Xin chào."]
    out = translator.translate_terms(lang, texts, TERMS)
    assert len(out) == 2
    with_term, without = out
    assert with_term.terms == ("nuclear warhead",)
    # the cipher does not keep XTERM0X: the sentence is translated again and the miss reported
    assert with_term.retried and with_term.missed == ("nuclear warhead",)
    assert "XTERM" not in with_term.english.upper().replace(" ", "")
    assert without == type(without)(translator.translate(lang, ["Xin chào."])[0])


def test_translate_articles_passes_terms_and_caches_misses(ready, tmp_path):
    d, lang, label = ready["m2m100"]
    cache = Cache(tmp_path / "cache")
    articles = [("vi", ["Trung Quốc có 500 đầu đạn hạt nhân.", "Xin chào."])]
    first = translate_articles(articles, mode="argos", translator=Ct2Translator(d, max_decoding_length=12), cache=cache,
                           terms=lambda lang: TERMS)
    assert [r.source for r in first[0]] == [label, label]
    assert first[0][0].missed_terms == ("nuclear warhead",) and first[0][1].missed_terms == ()
    fresh = Ct2Translator(d, max_decoding_length=12)
    second = translate_articles(articles, mode="argos", translator=fresh, cache=Cache(tmp_path / "cache"), terms=lambda lang: TERMS)
    assert second == first and fresh._loaded == {}
    # without terms the term sentence is a different cache entry; the other one is shared
    plain = Cache(tmp_path / "cache")
    translate_articles(articles, mode="argos", translator=fresh, cache=plain)
    assert (plain.hits, plain.misses) == (1, 1)
    assert isinstance(second[0][1], EnglishText)


def test_translation_failures_are_one_line_errors(fixtures, tmp_path):
    import shutil

    d = tmp_path / "models"
    pkg = packages.install_file(fixtures["argos-sentencepiece"], d)
    (pkg.path / "sentencepiece.model").write_bytes(b"garbage")
    with pytest.raises(TranslationError, match=r"sentencepiece.model: not a SentencePiece model"):
        Ct2Translator(d).translate("vi", ["Xin chào."])
    shutil.rmtree(pkg.path / "model")
    with pytest.raises(TranslationError, match=r"no CTranslate2 model"):
        Ct2Translator(d).translate("vi", ["Xin chào."])
    with pytest.raises(PackageError):
        registry.register(d, tmp_path / "nowhere", langs=("vi",))
