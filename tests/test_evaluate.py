"""The evaluation harness and the cross-lingual path, on a small NTREX slice."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.evaluation.methods import method_monotonic_dp
from aligner.evaluation.pairs import build_pairs, load_documents
from tests.conftest import ID, NTREX, VI


@pytest.fixture(scope="module")
def documents():
    return load_documents(NTREX)[:4]


def test_pairs_are_seeded_and_reproducible(documents):
    a, b = build_pairs(documents, seed=1), build_pairs(documents, seed=1)
    assert a == b
    assert build_pairs(documents, seed=2) != a


def test_pairs_are_comparable_not_parallel(documents):
    for pair in build_pairs(documents):
        keys_a = [k for _, _, k in pair.lines_a]
        keys_b = [k for _, _, k in pair.lines_b]
        # spans slice exactly the NTREX line they name
        doc = {d.doc_id: d for d in load_documents(NTREX)}
        for (s, e, (doc_id, i)) in pair.lines_a:
            assert pair.text_a[s:e] == doc[doc_id].lines["vi"][i]
        for (s, e, (doc_id, i)) in pair.lines_b:
            assert pair.text_b[s:e] == doc[doc_id].lines["id"][i]
        assert pair.gold == set(keys_a) & set(keys_b)
        assert len(pair.gold) < len(keys_a) and len(pair.gold) < len(keys_b)  # partial overlap
        assert sum(1 for k in keys_a if k[0] != pair.doc_id) == 2  # distractors from other documents
        assert sum(1 for k in keys_b if k[0] != pair.doc_id) == 2


def test_monotonic_dp_cannot_cross():
    import numpy as np

    sim = np.array([[0.1, 0.9], [0.9, 0.1]])
    assert len(method_monotonic_dp(sim, 0.5)) == 1


def test_eval_command_on_a_slice():
    result = CliRunner().invoke(cli, ["eval", "--docs", "4", "--paths", "none", "--mode", "comparable", "--ntrex", str(NTREX)])
    assert result.exit_code == 0, result.output
    rows = [l for l in result.output.splitlines() if l.startswith("| ") and not l.startswith("| method")]
    assert [r.split("|")[1].strip() for r in rows] == ["aligner", "margin-mnn", "cosine", "monotonic-dp"]
    f1_all = {r.split("|")[1].strip(): float(r.split("|")[6].split()[0]) for r in rows}
    assert all(0.0 <= f <= 1.0 for f in f1_all.values())
    assert f1_all["aligner"] > 0.8, result.output
    assert f1_all["aligner"] >= f1_all["monotonic-dp"]


def test_eval_refuses_a_folder_that_is_not_ntrex(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "--ntrex", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path}: not an NTREX folder (no DOCUMENT_IDS.tsv)\n"


def test_align_without_translation_uses_the_cross_lingual_space(tmp_path):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["align", str(VI), str(ID), "--translator", "none", "--json", str(out), "--no-view", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {s["english_source"] for a in data["articles"] for s in a["sentences"]} == {"none"}
    assert data["signature"]["cross_lingual"]["id"].startswith("intfloat/multilingual-e5-small")
    pentagon = [l for l in data["links"] if "500" in l["evidence"]["numbers"]]
    assert len(pentagon) == 1 and pentagon[0]["evidence"]["space"] == "multilingual"
    vi = data["articles"][0]["sentences"][pentagon[0]["members"][0]["sentences"][0]]
    assert "500 đầu đạn" in vi["text"]


def test_score_counts_sentence_pairs_and_recall_per_kind(documents):
    from aligner.evaluation.harness import Prepared, score

    pair = build_pairs(documents)[0]
    ka = [k for _, _, k in pair.lines_a]
    kb = [k for _, _, k in pair.lines_b]
    # a perfect "method": cosine 1 exactly between the sentences of the same line
    sim = np.array([[1.0 if a == b else 0.0 for b in kb] for a in ka])
    gold = {(i, j): "whole" for i, a in enumerate(ka) for j, b in enumerate(kb) if a == b and a in pair.gold}
    p = Prepared(pair, None, sim, ([()] * len(ka), [()] * len(kb)), [[k] for k in ka], [[k] for k in kb], gold, {})
    perfect = score("cosine", [p], 0.5)
    assert (perfect["precision"], perfect["recall"], perfect["f1"]) == (1.0, 1.0, 1.0)
    assert perfect["recall_by_kind"] == {"whole": 1.0, "partial": None, "merged": None}
    assert score("cosine", [p], 2.0)["recall"] == 0.0


def test_partial_mode_has_one_clause_lines_and_joined_lines(documents):
    pairs = build_pairs(documents, mode="partial")
    kinds = [k for p in pairs for _, k in p.kinds]
    assert {"partial", "merged"} <= set(kinds)
    doc = {d.doc_id: d for d in load_documents(NTREX)}
    for p in pairs:
        for key, kind in p.kinds:
            assert key in p.gold
            spans_a = [(s, e) for s, e, k in p.lines_a if k == key]
            spans_b = [(s, e) for s, e, k in p.lines_b if k == key]
            texts = [p.text_a[s:e] for s, e in spans_a] + [p.text_b[s:e] for s, e in spans_b]
            full = [doc[key[0]].lines["vi"][key[1]], doc[key[0]].lines["id"][key[1]]]
            if kind == "partial":
                # one side holds the whole line, the other a shorter clause of it
                assert sum(t in full for t in texts) == 1 and min(len(t) for t in texts) < max(len(f) for f in full)


def test_eval_uses_the_shipped_ntrex_subset_from_any_folder(tmp_path, monkeypatch):
    """A pip user has no NTREX folder of their own: eval reads the copy aligner ships."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["eval", "--docs", "2", "--paths", "none", "--mode", "comparable"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"comparable: 2 vi/id pairs from {NTREX}, ")
