"""Issue 18 items 2, 3 and 6: the messages of `aligner align`, exact texts, in the order a user sees them.

The real pipeline, cache and CLI; only the models are the deterministic fakes of tests/fakes.py.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.embed import CachedEmbedder
from aligner.errors import InputError
from aligner.pipeline import Components
from aligner.translate import TranslationMemory
from tests import fakes
from tests.conftest import ID, MEMORY, VI

READING = "· reading 2 articles…"
LINKING = "· linking the sentences of 2 articles (15 x 9)"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


class LoadingEmbedder(fakes.BagOfWordsEmbedder):
    """The fake embedder with a model that loads on its first encode, as the real ones do."""

    id = "tests/bag-of-words-e5"

    def __init__(self):
        super().__init__()
        self._model = None

    def load(self):
        self._model = self._model or object()

    def encode(self, texts):
        self.load()
        return super().encode(texts)


@pytest.fixture
def cached_fakes(monkeypatch):
    """Fake models behind the real :class:`CachedEmbedder` and the run's real cache."""
    memory = TranslationMemory.load(MEMORY)

    def build(config, cache, say):
        render = fakes.components(memory).to_english
        return Components(CachedEmbedder(fakes.BagOfWordsEmbedder(), cache), CachedEmbedder(LoadingEmbedder(), cache), render)

    monkeypatch.setattr("aligner.pipeline.build_components", build)


def test_no_english_warning_comes_before_the_embedding_with_one_command_per_language(monkeypatch):
    monkeypatch.setattr("aligner.pipeline.build_components", lambda config, cache, say: fakes.components())
    result = invoke("align", VI, ID, "--no-glossary", "--no-cache", "--json", "-")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        READING,
        "Warning: 24 of 24 sentences have no English (no translation memory, no translation model for id, vi); "
        "they are shown as written and aligned in the cross-lingual space. "
        "For English, run: aligner models install id; aligner models install vi (or give a translation memory).",
        "· embedding 24 source sentences and their clauses with tests/bag-of-words",
        LINKING,
    ]


def test_a_memory_without_the_entries_is_named_as_such(monkeypatch, tmp_path):
    memory = tmp_path / "tm.csv"
    memory.write_text("lang,source,english\nvi,Câu khác.,Another sentence.\n", encoding="utf-8")
    monkeypatch.setattr("aligner.pipeline.build_components", lambda config, cache, say: fakes.components())
    result = invoke("align", VI, ID, "--memory", memory, "--no-glossary", "--no-cache", "--json", "-", "-q")
    assert result.stderr.startswith("Warning: 24 of 24 sentences have no English (no translation memory entry, "
                                    "no translation model for id, vi);")


def test_embedding_and_loading_lines_only_when_vectors_are_computed(tmp_path, cached_fakes):
    args = ["align", VI, ID, "--memory", MEMORY, "--no-glossary", "--cache-dir", tmp_path, "--json", "-"]
    cold = invoke(*args)
    assert cold.exit_code == 0, cold.output
    assert cold.stderr.splitlines() == [
        READING,
        "· embedding 24 English sentences and their clauses with tests/bag-of-words",
        "· embedding 24 source sentences and their clauses with tests/bag-of-words-e5",
        "· loading bag-of-words-e5…",
        LINKING,
    ]
    warm = invoke(*args)
    assert warm.stderr.splitlines() == [READING, LINKING]  # every vector from the cache: nothing about embedding
    assert warm.stdout == cold.stdout
    assert invoke(*args, "-q").stderr == ""


def test_quiet_silences_every_status_line(monkeypatch):
    monkeypatch.setattr("aligner.pipeline.build_components", lambda config, cache, say: fakes.components(TranslationMemory.load(MEMORY)))
    result = invoke("align", VI, ID, "--memory", MEMORY, "--no-glossary", "--no-cache", "--json", "-", "-q")
    assert result.exit_code == 0 and result.stderr == ""


def test_lang_that_disagrees_with_a_confident_detection_is_a_warning_naming_the_file(monkeypatch):
    monkeypatch.setattr("aligner.pipeline.build_components", lambda config, cache, say: fakes.components(TranslationMemory.load(MEMORY)))
    result = invoke("align", VI, ID, "--lang", "id,vi", "--memory", MEMORY, "--no-glossary", "--no-cache", "--json", "-", "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        f"Warning: {VI}: given as 'id' but its text reads as 'vi' (detector 1.00 sure); it is aligned as 'id'. "
        "If it is 'vi', give 'vi' for this file, or no code to let the detector decide",
        f"Warning: {ID}: given as 'vi' but its text reads as 'id' (detector 1.00 sure); it is aligned as 'vi'. "
        "If it is 'id', give 'id' for this file, or no code to let the detector decide",
    ]


def test_lang_that_agrees_or_a_close_language_says_nothing(monkeypatch):
    monkeypatch.setattr("aligner.pipeline.build_components", lambda config, cache, say: fakes.components(TranslationMemory.load(MEMORY)))
    for langs in ("vi,id", "vi,ms"):
        result = invoke("align", VI, ID, "--lang", langs, "--memory", MEMORY, "--no-glossary", "--no-cache", "--json", "-", "-q")
        assert "given as" not in result.stderr, langs


def test_an_embedder_that_is_not_there_is_one_line_naming_it():
    from aligner.embed import SentenceTransformerEmbedder

    with pytest.raises(InputError) as e:
        SentenceTransformerEmbedder("foo/bar").encode(["a sentence"])
    assert str(e.value) == ("embedder 'foo/bar': neither a sentence-transformers model folder nor in the local "
                            "Hugging Face cache (aligner never downloads models); use minilm, multilingual or a model folder")
    assert "\n" not in str(e.value)


def test_a_model_loads_inside_the_status_wait_before_any_embedding(tmp_path):
    """The CLI's status shows a spinner while the block runs; the model is loaded inside it, before the bar."""
    import contextlib

    from aligner.cache import Cache
    from aligner.pipeline import AlignConfig, run

    e5 = LoadingEmbedder()
    events = []

    class Recorder:
        def __call__(self, message):
            events.append(message)

        @contextlib.contextmanager
        def waiting(self, message):
            events.append(f"wait: {message}")
            assert e5._model is None
            yield
            events.append(f"loaded: {e5._model is not None}")

    render = fakes.components(TranslationMemory.load(MEMORY)).to_english
    components = Components(None, CachedEmbedder(e5, Cache(None)), render)
    config = AlignConfig(paths=(str(VI), str(ID)), memory=str(MEMORY), use_cache=False)
    run(config, status=Recorder(), components=components)
    assert events == [
        "embedding 24 source sentences and their clauses with tests/bag-of-words-e5",
        "wait: loading bag-of-words-e5…",
        "loaded: True",
        "linking the sentences of 2 articles (15 x 9)",
    ]


def test_translator_memory_without_a_memory_names_the_flags_the_library_does_not():
    from aligner.translate import translate_articles

    result = invoke("align", VI, ID, "--translator", "memory", "--no-glossary", "--no-cache", "--json", "-")
    assert (result.exit_code, result.output) == (2, "Error: --translator memory needs --memory PATH\n")
    with pytest.raises(InputError) as e:
        translate_articles([("vi", ["Xin chào."])], mode="memory")
    assert str(e.value) == "the memory translator needs a translation memory; none was given"
