"""The tiny family models of tests/ct2_fixtures.py give different English for different sources,
so the order and batching checks of the translation tests compare something."""

import pytest

from aligner.translate.ct2 import Ct2Translator
from tests.test_translate_families import FAMILIES, ready, fixtures  # noqa: F401  (shared fixtures)

SOURCES = [
    "Năm ngoái, Bộ Quốc phòng Mỹ ước tính Trung Quốc có 500 đầu đạn hạt nhân.",
    "Xin chào.",
    "Trung Quốc không tiết lộ chi tiết kho vũ khí của mình.",
    "Giá gạo tăng mạnh trong tháng Ba.",
]


# these tiny models still collapse to one repeated token whatever the source (their tied output
# embeddings dominate); strict, so the day they pass the marker must go
COLLAPSING = ("argos-bpe", "m2m100", "nllb")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason="collapses to one token", strict=True))
        if n in COLLAPSING
        else n
        for n in FAMILIES
    ],
)
def test_four_sources_give_four_distinct_outputs_in_order(ready, name):  # noqa: F811
    d, lang, _ = ready[name]
    translator = Ct2Translator(d, max_decoding_length=12)
    out = translator.translate(lang, SOURCES)
    assert len(set(out)) == 4, out
    assert translator.translate(lang, SOURCES[::-1]) == out[::-1]
    assert [translator.translate(lang, [s])[0] for s in SOURCES] == out
