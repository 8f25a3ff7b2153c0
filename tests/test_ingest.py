import codecs
import unicodedata

import pytest

from aligner.errors import InputError
from aligner.ingest import MAX_BYTES, read_article
from tests.conftest import ID, VI

VI_TEXT = "Năm ngoái, Bộ Quốc phòng Mỹ ước tính Bắc Kinh có khoảng 500 đầu đạn hạt nhân."


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    "encoded",
    [
        VI_TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + VI_TEXT.encode("utf-8"),
        VI_TEXT.encode("utf-16"),  # with BOM
        VI_TEXT.encode("utf-16-le"),  # without BOM
        VI_TEXT.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be"],
)
def test_encodings_decode_to_the_same_text(tmp_path, encoded):
    a = read_article(write(tmp_path, "a.txt", encoded), lang="vi")
    assert a.text == VI_TEXT


def test_decomposed_vietnamese_becomes_nfc_and_offsets_point_into_the_file(tmp_path):
    nfd = unicodedata.normalize("NFD", VI_TEXT)
    assert len(nfd) > len(VI_TEXT)
    a = read_article(write(tmp_path, "a.txt", nfd.encode("utf-8")), lang="vi")
    assert a.text == VI_TEXT
    # "Bắc Kinh" in NFC text maps back to the same words in the NFD file
    s = a.text.index("Bắc Kinh")
    e = s + len("Bắc Kinh")
    assert unicodedata.normalize("NFC", nfd[a.original_offset(s) : a.original_offset(e)]) == "Bắc Kinh"


def test_undecodable_bytes_are_an_error_not_mojibake(tmp_path):
    p = write(tmp_path, "bad.txt", "Tiongkok ".encode() + b"\xff\xfe\xfa rusak")
    with pytest.raises(InputError, match=r"bad.txt: not valid UTF-8 \(byte 0xff at offset 9\)"):
        read_article(p, lang="id")


def test_binary_file(tmp_path):
    p = write(tmp_path, "x.bin", bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary file"):
        read_article(p)


@pytest.mark.parametrize("data", [b"", b"  \n\n "])
def test_empty_file(tmp_path, data):
    with pytest.raises(InputError, match="e.txt: file is empty"):
        read_article(write(tmp_path, "e.txt", data))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file"):
        read_article(tmp_path / "nope.txt")


def test_file_over_limit(tmp_path):
    p = write(tmp_path, "big.txt", b"a " * (MAX_BYTES // 2 + 1))
    with pytest.raises(InputError, match=r"big.txt: file is 5.2 MB, over the 5 MB limit"):
        read_article(p)


def test_unknown_language_code(tmp_path):
    with pytest.raises(InputError, match="unknown language code 'xx'"):
        read_article(VI, lang="xx")


def test_more_stories_list_is_dropped_with_its_span():
    a = read_article(ID)
    assert len(a.dropped) == 1
    d = a.dropped[0]
    original = ID.read_text(encoding="utf-8")
    assert original[d.start :].startswith("More Stories")
    assert d.end == len(original)
    assert "More Stories" in d.reason


def test_only_boilerplate_is_an_error(tmp_path):
    p = write(tmp_path, "b.txt", b"More Stories\nSome headline\nAnother headline\n")
    with pytest.raises(InputError, match="no text left after removing boilerplate"):
        read_article(p)


def test_language_is_detected_offline():
    assert read_article(VI).lang == "vi"
    assert read_article(ID).lang == "id"
    assert read_article(VI).lang_detected
    assert not read_article(VI, lang="vi").lang_detected


def test_the_known_language_list_is_the_identifiers():
    from aligner.ingest import LANGID_LANGUAGES, _identifier

    assert LANGID_LANGUAGES == frozenset(_identifier().nb_classes)


def test_a_text_the_detector_finds_no_language_in_gets_no_language_warning(tmp_path):
    """The identifier answers 'zxx' (no linguistic content) for lines of numbers: that is no
    language to suggest instead of the code the user gave."""
    import warnings

    from aligner.ingest import confident_language

    text = "".join(f"Câu {i}.\n" for i in range(300))
    path = tmp_path / "numbers.txt"
    path.write_text(text, encoding="utf-8")
    assert confident_language(text) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_article(path, "vi").lang == "vi"
