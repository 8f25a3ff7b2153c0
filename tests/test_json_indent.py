"""aligner.json_indent writes exactly what json.dumps(..., ensure_ascii=False, indent=2, allow_nan=False) writes."""

import enum
import json

import pytest

from aligner.json_indent import dumps_indented
from aligner.result import json_text, read_json, to_dict
from tests.conftest import ROOT


def reference(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


class Level(enum.IntEnum):
    HIGH = 3


class Name(str):
    pass


VALUES = [
    {},
    [],
    (),
    "",
    0,
    None,
    {"a": [], "b": {}, "c": [[], [{}]], "d": ()},
    {"text": 'Bộ "Quốc" phòng\n\t\\ \u2028 \x00 \x1f é 😀', "n": -0, "f": -0.0, "g": 1e-07, "h": 1.5e300, "i": 12345678901234567890},
    [True, False, None, 0.1, 1.0, 2, -3, "x", ("t", 1), [{"k": Level.HIGH}]],
    {"nested": {"deeper": {"deepest": [1, [2, [3, []]]]}}},
    {Name("key"): Name("value"), "1": {1: "int key"}, "2": {None: "null key", 1.5: "float key", True: "bool key"}},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_the_same_text_as_json_dumps(value):
    assert dumps_indented(value) == reference(value)


@pytest.mark.parametrize("bad", [float("nan"), [1, {"x": float("inf")}], {"x": -float("inf")}, {"when": object()}, {(1, 2): 3}])
def test_the_same_error_as_json_dumps(bad):
    with pytest.raises((ValueError, TypeError)) as expected:
        reference(bad)
    with pytest.raises(expected.type) as got:
        dumps_indented(bad)
    assert str(got.value) == str(expected.value)


def test_a_cycle_is_the_standard_librarys_error():
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference detected"):
        dumps_indented(cycle)


@pytest.mark.parametrize("name", ["example-result.json", "none-result.json"])
def test_a_saved_result_is_written_byte_for_byte_as_before(tmp_path, name):
    result = read_json(ROOT / "tests" / "data" / name)
    assert len(result.links) > 0
    assert json_text(result, tmp_path) == reference_json_text(result, tmp_path)


def reference_json_text(result, folder) -> str:
    import os
    from pathlib import Path

    data = to_dict(result)
    for article, original in zip(data["articles"], result.articles):
        absolute = Path(original.absolute or original.path).resolve()
        article["relative"] = Path(os.path.relpath(absolute, folder)).as_posix()
        article["absolute"] = str(absolute)
    return reference(data) + "\n"
