"""BPE codes (``bpe.model`` of argos BPE packages): applied by subword-nmt, checked first."""

import contextlib
import io

import pytest

from aligner.errors import TranslationError
from aligner.translate.bpe import BpeCodes
from tests.conftest import NTREX


@pytest.fixture(scope="module")
def codes(tmp_path_factory):
    from subword_nmt.learn_bpe import learn_bpe

    corpus = io.StringIO(
        "\n".join((NTREX / "ind.txt").read_text(encoding="utf-8").splitlines()[:200])
    )
    out = io.StringIO()
    with contextlib.redirect_stderr(io.StringIO()):
        learn_bpe(corpus, out, 200, min_frequency=2)
    path = tmp_path_factory.mktemp("bpe") / "bpe.model"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_segments_as_subword_nmt_does(codes):
    from subword_nmt.apply_bpe import BPE

    with open(codes, encoding="utf-8") as fh:
        reference = BPE(fh)
    words = " ".join(
        (NTREX / n).read_text(encoding="utf-8") for n in ("ind.txt", "vie.txt")
    ).split()[:5000]
    ours = BpeCodes.load(codes)
    assert ours.version == (0, 2)
    assert ours.segment(words) == reference.segment_tokens(words)
    assert ours.segment(["", "a"]) == ["a"]


def test_hand_written_merges(tmp_path):
    path = tmp_path / "bpe.model"
    path.write_text("#version: 0.2\nl o\nlo w</w>\ne r</w>\n\n", encoding="utf-8")
    codes = BpeCodes.load(path)
    assert codes.segment(["low", "lower", "x"]) == ["low", "lo@@", "w@@", "er", "x"]
    assert codes.word("lower") == ("lo", "w", "er")


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "#version: 0.2\na b\nc d e\n",
            "{path}:3: a BPE merge must be two symbols separated by one space",
        ),
        ("#version: 0.2\n\n", "{path}: no BPE merges"),
        ("#version: new\na b\n", "{path}:1: the version line must read like '#version: 0.2'"),
    ],
)
def test_a_damaged_codes_file_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bpe.model"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TranslationError) as e:
        BpeCodes.load(path)
    assert str(e.value) == message.format(path=path)


def test_an_unreadable_codes_file(tmp_path):
    path = tmp_path / "bpe.model"
    path.write_bytes(b"\xff\xfe a b")
    with pytest.raises(TranslationError, match=r"bpe.model: unreadable BPE codes"):
        BpeCodes.load(path)
