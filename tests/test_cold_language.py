"""Issue 23, Build 4: the language identifier's answers are kept in the run's cache, so a fully
cached run never loads the identifier; the answers, and the warnings made of them, are the same."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.cache import Cache, key
from aligner.ingest import LANGUAGE_NAMESPACE, confident_language, detect_language, language_sample
from aligner.langid_model import _MODEL_FILE, model_stamp
from tests.conftest import NTREX, ROOT

TEXTS = {
    "vi": (NTREX / "vie.txt").read_text(encoding="utf-8"),
    "id": (NTREX / "ind.txt").read_text(encoding="utf-8")[:3000],
    "en": "The talks in Washington ended without an agreement on the number of warheads.",
    "digits": "123 456 7.890",
    "mixed": "Hà Nội Jakarta Washington 2026",
}


def test_the_stamp_names_py3langids_version_and_model_file():
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    assert _MODEL_FILE == MODEL_FILE
    size = (Path(MODEL_DIR) / MODEL_FILE).stat().st_size
    assert model_stamp() == f"py3langid=={py3langid.__version__};model={size}"


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_kept_answers_are_the_identifiers(tmp_path, name):
    text = language_sample(TEXTS[name])
    session = os.environ["ALIGNER_CACHE_DIR"]  # where the identifier's unpacked model is kept
    fresh = confident_language(text, session), detect_language(text, session)
    cache = Cache(tmp_path)
    def kept():
        return confident_language(text, cache=cache), detect_language(text, cache=cache)

    assert kept() == fresh  # computed and stored
    assert cache.misses == 2 and cache.hits == 0
    assert kept() == fresh  # read
    assert cache.hits == 2
    cache.close()


def test_an_answer_this_code_did_not_write_is_asked_again(tmp_path):
    text = TEXTS["vi"][:2000]
    cache = Cache(tmp_path)
    k = key(model_stamp(), "likeliest", text)
    for bad in (b"vi", b"vi\tnot-a-number", b"vi\t7.5", b"\xff\xfe", b"\t0.5", b"klingon\t1.0"):
        cache.put_many(LANGUAGE_NAMESPACE, {k: bad})
        assert confident_language(text, cache=cache) == confident_language(text)
        assert cache.get_many(LANGUAGE_NAMESPACE, [k])[k] != bad  # the right answer replaced it
    cache.close()


CHECK = (
    "import sys, warnings\n"
    "from aligner.cache import Cache\n"
    "from aligner.ingest import read_article\n"
    "warnings.simplefilter('always')\n"
    "cache = Cache(sys.argv[2])\n"
    "with warnings.catch_warnings(record=True) as caught:\n"
    "    article = read_article(sys.argv[1], 'id', sys.argv[2], cache)\n"
    "print(article.lang, [str(w.message) for w in caught])\n"
    "print('py3langid' in sys.modules)\n"
)


def test_a_second_run_reads_the_check_from_the_cache_and_warns_the_same(tmp_path):
    article = tmp_path / "vi.txt"
    article.write_text(TEXTS["vi"][:5000], encoding="utf-8")  # Vietnamese, given as 'id'
    # py3langid's model, unpacked by an earlier test (else the first run unpacks it: 1 s)
    for langid in Path(os.environ["ALIGNER_CACHE_DIR"]).glob("py3langid-*"):
        shutil.copytree(langid, tmp_path / "cache" / langid.name)

    def run() -> list[str]:
        out = subprocess.run([sys.executable, "-c", CHECK, str(article), str(tmp_path / "cache")],
                             capture_output=True, text=True, cwd=ROOT, check=True)
        return out.stdout.splitlines()

    first, second = run(), run()
    assert first[0] == second[0]
    assert "given as 'id' but its text reads as 'vi' (detector 1.00 sure)" in first[0]
    assert (first[1], second[1]) == ("True", "False")  # the second run never loaded the identifier
