"""The tiny family models of tests/ct2_fixtures.py give different English for different sources,
so the order and batching checks of the translation tests compare something.

They are substitution ciphers by construction (tests/copy_weights.py): each source piece is
written as the next plain piece of the vocabulary, whatever the library versions draw as
random numbers."""

import pytest

from aligner.translate.ct2 import Ct2Translator
from aligner.translate.modelfile import check_model_dir
from tests.copy_weights import encipher
from tests.test_translate_families import FAMILIES, ready, fixtures  # noqa: F401  (shared fixtures)

SOURCES = [
    "Năm ngoái, Bộ Quốc phòng Mỹ ước tính Trung Quốc có 500 đầu đạn hạt nhân.",
    "Xin chào.",
    "Trung Quốc không tiết lộ chi tiết kho vũ khí của mình.",
    "Giá gạo tăng mạnh trong tháng Ba.",
]
SPECIAL_SOURCE = {"m2m100": 1, "nllb": 1, "t5": 1}  # a language token before the pieces


@pytest.mark.parametrize("name", FAMILIES)
def test_four_sources_give_four_distinct_outputs_in_order(ready, name):  # noqa: F811
    d, lang, _ = ready[name]
    translator = Ct2Translator(d, max_decoding_length=12)
    out = translator.translate(lang, SOURCES)
    assert len(set(out)) == 4, out
    assert translator.translate(lang, SOURCES[::-1]) == out[::-1]
    assert [translator.translate(lang, [s])[0] for s in SOURCES] == out


@pytest.mark.parametrize("name", FAMILIES)
def test_each_model_writes_its_source_enciphered(ready, name):  # noqa: F811
    """The output pieces are the source pieces, each replaced by the next plain piece of the
    vocabulary; ``</s>`` stays, so a source ending in ``</s>`` gives an output of its length.
    T5 finds its place by the piece it just wrote (it has no absolute positions), so it is
    exact as long as the source piece before holds only once in the source."""
    d, lang, _ = ready[name]
    translator = Ct2Translator(d, max_decoding_length=80)
    loaded = translator._load(lang)
    vocab = check_model_dir(loaded.family.model_dir).target_vocabulary
    for text in SOURCES:
        source = loaded.family.encode(text)
        pieces = source[SPECIAL_SOURCE.get(name, 0) :]
        expected = encipher(vocab, pieces)
        out = translator._batch(loaded, [source])[0]
        if name == "t5":
            exact = next(i for i in range(1, len(pieces) + 1) if i == len(pieces) or pieces.count(pieces[i - 1]) > 1)
            assert out[:exact] == expected[:exact][: len(pieces) - 1], text
        elif "</s>" in pieces:
            assert out == expected[:-1], text  # the </s> written ends the output and is not returned
        else:  # argos feeds no </s>: the copy runs to the length cap
            assert out[: len(expected)] == expected and len(out) == 80, text
    # and the cipher is not the identity: the source is not returned unchanged
    assert encipher(vocab, pieces) != pieces
