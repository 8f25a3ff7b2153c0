"""The faster paths of ingest: py3langid's model kept uncompressed in the cache folder, and
NFC normalisation line by line.  Both must give exactly what the plain paths give."""

import random
import unicodedata

import numpy as np

from aligner import ingest, langid_model
from tests.conftest import VI

VI_TEXT = VI.read_text(encoding="utf-8")


def _copy_name() -> str:
    from py3langid import __version__
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    size = (MODEL_DIR / MODEL_FILE).stat().st_size
    return langid_model.LANGID_CACHE_NAME.format(version=__version__, size=size)


def _assert_same_model(a, b):
    assert np.array_equal(a.nb_ptc, b.nb_ptc) and a.nb_ptc.dtype == b.nb_ptc.dtype
    assert np.array_equal(a.nb_pc, b.nb_pc) and a.nb_pc.dtype == b.nb_pc.dtype
    assert a.nb_classes == b.nb_classes
    # the cached copy's transitions are a memoryview of a mapped file: the same integers, the same item type
    assert memoryview(a.tk_nextmove).format == memoryview(b.tk_nextmove).format
    assert memoryview(a.tk_nextmove).cast("B") == memoryview(b.tk_nextmove).cast("B")
    assert len(a.tk_nextmove) == len(b.tk_nextmove) and a.tk_nextmove[12345] == b.tk_nextmove[12345]
    assert a.tk_row == b.tk_row and a.tk_row.typecode == b.tk_row.typecode
    assert a.tk_output == b.tk_output
    assert a.rank(VI_TEXT) == b.rank(VI_TEXT)


def test_the_cached_language_model_is_the_bundled_one(tmp_path):
    bundled = langid_model._load_identifier(None)
    first = langid_model._load_identifier(tmp_path)  # writes the copy
    assert sorted(p.name for p in tmp_path.iterdir()) == [_copy_name()]
    files = sorted(p.name for p in (tmp_path / _copy_name()).iterdir())
    assert files == ["classes.npy", "nextmove.npy", "nextmove_row.npy", "out_feat.npy", "pc.npy", "ptc.npy"]
    stamp = (tmp_path / _copy_name() / "nextmove.npy").stat().st_mtime_ns
    second = langid_model._load_identifier(tmp_path)  # reads it
    assert (tmp_path / _copy_name() / "nextmove.npy").stat().st_mtime_ns == stamp
    _assert_same_model(first, bundled)
    _assert_same_model(second, bundled)


def test_a_damaged_copy_of_the_language_model_is_made_again(tmp_path):
    copy = tmp_path / _copy_name()
    copy.write_bytes(b"a file where the folder should be")
    identifier = langid_model._load_identifier(tmp_path)
    assert (copy / "nextmove.npy").stat().st_size > 30_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [_copy_name()]  # no temporary folder left
    assert identifier.classify(VI_TEXT)[0] == "vi"
    data = (copy / "nextmove.npy").read_bytes()
    (copy / "nextmove.npy").write_bytes(data[: len(data) // 2])  # cut short
    _assert_same_model(langid_model._load_identifier(tmp_path), langid_model._load_identifier(None))
    assert (copy / "nextmove.npy").stat().st_size == len(data)


def test_a_cache_folder_that_cannot_be_written_falls_back_to_the_bundled_model(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    identifier = langid_model._load_identifier(blocked)
    assert identifier.classify(VI_TEXT)[0] == "vi"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def _nfc_by_clusters(text: str) -> tuple[str, tuple[int, ...]]:
    """The plain cluster-by-cluster normalisation over the whole text (the reference)."""
    if unicodedata.is_normalized("NFC", text):
        return text, tuple(range(len(text) + 1))
    out, offsets, i, n = [], [], 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        out.append(cluster)
        offsets.extend([i] * len(cluster))
        i = j
    offsets.append(n)
    return "".join(out), tuple(offsets)


def test_nfc_line_by_line_equals_cluster_by_cluster():
    decomposed = unicodedata.normalize("NFD", "Bộ Quốc phòng ước tính")
    assert ingest.nfc_with_offsets("ok\n" + decomposed + "\n\u0301x\u0323\u0302y") == _nfc_by_clusters(
        "ok\n" + decomposed + "\n\u0301x\u0323\u0302y"
    )
    # a mark that composes with nothing, on an NFC line of a text that is not NFC: it maps to its letter
    assert ingest.nfc_with_offsets("ơ\u0306\n" + decomposed)[1][:3] == (0, 0, 2)
    alphabet = list("ab \n\r\x85\u2028.,") + list("ộốơư") + ["\u0300", "\u0301", "\u0302", "\u0309", "\u0323", "\u0306"]
    alphabet += ["\u1100", "\u1161", "\u11a8", "\uac00", "\u0bc6", "\u0bbe", "\u0bca"]  # Hangul jamo, Tamil vowel signs
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert ingest.nfc_with_offsets(text) == _nfc_by_clusters(text), repr(text)


def test_a_news_article_is_checked_whole_and_a_long_text_on_lines_spread_over_it():
    assert ingest.language_sample(VI_TEXT) == VI_TEXT  # an article is shorter than the sample
    text = "".join(f"line {i:05d} " + "x" * 88 + "\n\n" for i in range(1000))  # 100 chars a line, blank lines between
    sample = ingest.language_sample(text)
    assert len(text) == 101_000
    assert sample.splitlines()[:3] == [f"line {i:05d} " + "x" * 88 for i in (0, 6, 12)]
    assert sample.splitlines()[-1] == "line 00996 " + "x" * 88  # the end of the text is read too
    assert len(sample) == 167 * 100 - 1
    one_line = "y" * 30_000
    assert ingest.language_sample(one_line) == "y" * ingest.LANGUAGE_SAMPLE_CHARS


def test_a_long_file_given_the_wrong_code_still_gets_the_warning(tmp_path):
    import warnings

    from tests.conftest import ROOT

    path = tmp_path / "vi.txt"
    path.write_bytes((ROOT / "aligner" / "data" / "ntrex-dev" / "vie.txt").read_bytes())
    assert len(path.read_text(encoding="utf-8")) > 5 * ingest.LANGUAGE_SAMPLE_CHARS
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ingest.read_article(path, "id")
    assert [str(w.message) for w in caught] == [
        f"{path}: given as 'id' but its text reads as 'vi' (detector 1.00 sure); it is aligned as 'id'. "
        "If it is 'vi', give 'vi' for this file, or no code to let the detector decide"
    ]
