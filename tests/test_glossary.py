import multiprocessing
import subprocess
import sys
import unicodedata

import pytest
from click.testing import CliRunner

from aligner import glossary as gl
from aligner.cli import cli
from aligner.errors import GlossaryError
from tests.conftest import GLOSSARY, ROOT

HEADER = "en,vi,id,avoid,case,note\n"


def make(tmp_path, body: str, header: str = HEADER, name="g.csv"):
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def invoke(*args):
    return CliRunner().invoke(cli, ["glossary", *[str(a) for a in args]])


# ---------------------------------------------------------------- format and check


def test_the_shipped_glossary_is_valid_and_covers_the_domain():
    g = gl.load(GLOSSARY)
    assert gl.check(g) == []
    terms = {c.en for c in g.concepts()}
    for t in ("no-first-use", "nuclear warhead", "arms control", "minimum deterrence", "ballistic missile submarine",
              "hypersonic glide vehicle", "human control over nuclear launch decisions", "Pentagon", "White House",
              "China", "Beijing", "Washington", "Arms Control Association"):
        assert t in terms
    china = next(c for c in g.concepts() if c.en == "China")
    assert "Trung Quốc" in china.variants["vi"] and "Tiongkok" in china.variants["id"]


def test_check_reports_file_and_line(tmp_path):
    p = make(
        tmp_path,
        "ceasefire,lệnh ngừng bắn,gencatan senjata,,no,\n"
        "Ceasefire,ngừng bắn,,,no,\n"
        "truce,lệnh ngừng bắn,,,no,\n"
        ",x,,,no,\n"
        "orphan,,,,no,\n"
        "odd,y,,,maybe,\n",
    )
    problems = [x.message for x in gl.check(gl.load(p))]
    assert problems == [
        f"{p}:3: duplicate concept 'Ceasefire' (first on line 2)",
        f"{p}:4: vi variant 'lệnh ngừng bắn' also belongs to 'ceasefire' (line 2)",
        f"{p}:5: empty 'en' cell",
        f"{p}:6: concept 'orphan' has no source variant",
        f"{p}:7: 'case' must be yes or no, found 'maybe'",
    ]
    result = invoke("check", "--glossary", p)
    assert result.exit_code == 1
    assert result.output.splitlines() == problems


@pytest.mark.parametrize(
    "content,message",
    [
        (HEADER + 'ceasefire,"lệnh ngừng bắn,,,no,\n', "malformed CSV"),
        ("english,vi\nx,y\n", "header has no 'en' column"),
        ("", "empty file"),
        ("en,vi,colour\nx,y,z\n", "unknown column 'colour'"),
        (HEADER + "a,b,c\n", "expected 6 cells, found 3"),
    ],
    ids=["unbalanced-quotes", "wrong-header", "empty", "unknown-column", "short-row"],
)
def test_malformed_files_are_clear_errors(tmp_path, content, message):
    p = tmp_path / "g.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message):
        gl.load(p)
    result = invoke("list", "--glossary", p)
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {p}") and message in result.stderr


def test_wrong_encoding(tmp_path):
    p = tmp_path / "g.csv"
    p.write_bytes(HEADER.encode() + "trêve,tr\xeave,,,,\n".encode("latin-1"))
    result = invoke("list", "--glossary", p)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {p}: not valid UTF-8 (byte 0xea at offset 27)\n"


# ---------------------------------------------------------------- matching and enforcement


@pytest.fixture(scope="module")
def matcher():
    return gl.Matcher.from_glossary(gl.load(GLOSSARY))


def test_vietnamese_multi_syllable_terms_match_in_nfc_and_nfd(matcher):
    text = "Trung Quốc tuyên bố sẽ duy trì chính sách không sử dụng vũ khí hạt nhân trước."
    for form in ("NFC", "NFD"):
        found = {c.en for c, _ in matcher.find(unicodedata.normalize(form, text), "vi")}
        assert found == {"China", "no-first-use"}, form


def test_word_boundaries_and_case(matcher):
    assert [c.en for c, _ in matcher.find("Pejabat AS bertemu", "id")] == ["United States"]
    assert matcher.find("seperti as roda", "id") == []  # case-sensitive row: lower-case 'as' is not the US
    assert matcher.find("ngay lập tức", "vi") == []  # 'Nga' (Russia) is not inside 'ngay'


def test_longest_variant_wins(matcher):
    found = matcher.find("Asosiasi Pengendalian Senjata yang berbasis di Washington", "id")
    assert [c.en for c, _ in found] == ["Arms Control Association", "Washington"]


def test_variants_are_literal_not_patterns(tmp_path):
    g = gl.load(make(tmp_path, "federal US,U.S. (federal),,,no,\nstar,a*b,,,no,\n"))
    m = gl.Matcher.from_glossary(g)
    assert [c.en for c, _ in m.find("the U.S. (federal) rule", "vi")] == ["federal US"]
    assert m.find("aaab", "vi") == []


def test_machine_translation_is_post_edited(matcher):
    english, hits = gl.apply(matcher, "vi", "Bộ Quốc phòng Mỹ ước tính 500 đầu đạn hạt nhân.",
                             "The US Department of Defense estimated 500 nuclear warheads.", rewrite=True)
    assert english == "The Pentagon estimated 500 nuclear warheads."
    pentagon = next(h for h in hits if h.concept == "Pentagon")
    assert pentagon.status == "post-edited" and pentagon.changed == ("US Department of Defense -> Pentagon",)


def test_memory_english_is_flagged_not_rewritten(matcher):
    english, hits = gl.apply(matcher, "vi", "Trung Quốc duy trì chính sách không sử dụng vũ khí hạt nhân trước.",
                             "China keeps its policy of not using nuclear weapons first.", rewrite=False)
    assert english == "China keeps its policy of not using nuclear weapons first."
    assert {h.concept: h.status for h in hits} == {"China": "ok", "no-first-use": "violation"}


def test_unfixable_machine_english_is_flagged(matcher):
    _, hits = gl.apply(matcher, "id", "Tiongkok memiliki hulu ledak nuklir.", "The country has bombs.", rewrite=True)
    assert {h.status for h in hits} == {"violation"}


def test_audit_reports_a_concept_rendered_two_ways(matcher):
    sentences = []
    for i, en in enumerate(["The Pentagon said so.", "The Defense Department said so."]):
        _, hits = gl.apply(matcher, "vi", "Bộ Quốc phòng Mỹ cho biết.", en, rewrite=False)
        sentences.append((0, i, en, hits))
    assert gl.audit(matcher, sentences) == [
        {"concept": "Pentagon", "renderings": {"canonical": [[0, 0]], "Defense Department": [[0, 1]]}}
    ]


def test_a_huge_glossary_still_matches_the_right_row(tmp_path):
    rows = "".join(f"term {i},từ{i} khóa{i},istilah{i},,no,\n" for i in range(10_000))
    g = gl.load(make(tmp_path, rows))
    assert gl.check(g) == []
    m = gl.Matcher.from_glossary(g)
    assert [c.en for c, _ in m.find("một câu có từ9999 khóa9999 ở đây", "vi")] == ["term 9999"]


# ---------------------------------------------------------------- editing


BODY = (
    "ceasefire,lệnh ngừng bắn,gencatan senjata,cease fire,no,\n"
    '"sanction","lệnh trừng phạt",sanksi,,no,"quoted, on purpose"\n'
    "embargo,cấm vận,embargo,,no,\n"
)


def test_add_remove_edit_keep_other_rows_byte_identical(tmp_path):
    p = make(tmp_path, BODY)
    before = p.read_bytes().splitlines(keepends=True)
    assert invoke("add", "truce", "--vi", "đình chiến", "--id", "gencatan", "--glossary", p).exit_code == 0
    after = p.read_bytes().splitlines(keepends=True)
    assert after[:4] == before and after[4] == "truce,đình chiến,gencatan,,no,\n".encode()

    assert invoke("edit", "ceasefire", "--add-variant", "vi=ngừng bắn", "--glossary", p).exit_code == 0
    lines = p.read_bytes().splitlines(keepends=True)
    assert lines[1] == "ceasefire,lệnh ngừng bắn|ngừng bắn,gencatan senjata,cease fire,no,\n".encode()
    assert lines[2:] == after[2:]

    assert invoke("remove", "sanction", "--glossary", p).exit_code == 0
    assert p.read_bytes().splitlines(keepends=True) == [lines[0], lines[1], lines[3], lines[4]]
    shown = invoke("show", "ceasefire", "--glossary", p)
    assert "vi: lệnh ngừng bắn | ngừng bắn" in shown.output


def test_a_rejected_edit_leaves_the_file_untouched(tmp_path):
    p = make(tmp_path, BODY)
    before = p.read_bytes()
    result = invoke("add", "truce", "--vi", "cấm vận", "--glossary", p)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {p}:5: vi variant 'cấm vận' also belongs to 'embargo' (line 4)\n"
    assert p.read_bytes() == before
    result = invoke("add", "Embargo", "--vi", "x", "--glossary", p)
    assert result.stderr == f"Error: {p}: concept 'Embargo' already exists (use 'glossary edit')\n"
    assert invoke("remove", "nothing", "--glossary", p).stderr == f"Error: {p}: no concept 'nothing'\n"
    assert p.read_bytes() == before
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]


def _add_many(path, prefix, n):
    for i in range(n):
        result = CliRunner().invoke(cli, ["glossary", "add", f"{prefix} {i}", "--vi", f"{prefix}vi{i}", "--glossary", path])
        assert result.exit_code == 0, result.output


def test_concurrent_edits_lose_no_row(tmp_path):
    p = make(tmp_path, BODY)
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_add_many, args=(str(p), name, 15)) for name in ("alpha", "beta")]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    terms = {c.en for c in gl.load(p).concepts()}
    assert {f"alpha {i}" for i in range(15)} | {f"beta {i}" for i in range(15)} <= terms
    assert len(terms) == 33


def test_export_import_round_trip_deepl_csv_and_tsv(tmp_path):
    src = make(tmp_path, BODY)
    for name in ("vi.csv", "vi.tsv"):
        out = tmp_path / name
        result = invoke("export", "--lang", "vi", "-o", out, "--glossary", src)
        assert result.exit_code == 0 and result.output == f"wrote 3 pairs to {out}\n"
        sep = "\t" if name.endswith(".tsv") else ","
        assert out.read_text(encoding="utf-8").splitlines()[0] == f"lệnh ngừng bắn{sep}ceasefire"
        target = make(tmp_path, "", name=f"new-{name}.csv")
        result = invoke("import", out, "--lang", "vi", "--glossary", target)
        assert result.output == f"imported {out}: 3 new concepts, 0 new variants\n"
        assert {c.en: c.variants["vi"] for c in gl.load(target).concepts()} == {
            "ceasefire": ("lệnh ngừng bắn",), "sanction": ("lệnh trừng phạt",), "embargo": ("cấm vận",)
        }


def test_import_adds_a_language_column_and_merges_variants(tmp_path):
    p = make(tmp_path, BODY)
    pairs = tmp_path / "th.csv"
    pairs.write_text("th,en\nหยุดยิง,ceasefire\n", encoding="utf-8")
    assert invoke("import", pairs, "--lang", "th", "--glossary", p).exit_code == 0
    g = gl.load(p)
    assert "th" in g.header and g.concepts()[0].variants["th"] == ("หยุดยิง",)


def test_suggest_skips_english_no_article_writes(tmp_path, example_result):
    import dataclasses

    from aligner.result import write_json

    a0 = example_result.articles[0]
    i = next(s.index for s in a0.sentences if "500 đầu đạn" in s.text)  # the Pentagon link
    assert i in example_result.linked()[0]
    s = a0.sentences[i]
    edited = dataclasses.replace(s, english=s.english.replace("nuclear warheads", "atomic warheads"))
    sentences = a0.sentences[:i] + (edited,) + a0.sentences[i + 1:]
    result = dataclasses.replace(example_result, articles=(dataclasses.replace(a0, sentences=sentences),) + example_result.articles[1:])
    p = tmp_path / "r.json"
    write_json(result, p)
    out = invoke("suggest", p, "--glossary", tmp_path / "none.csv")
    assert out.exit_code == 0
    # "atomic warheads" is only the (edited) English: no article writes it, so there is no variant to propose
    assert "atomic warheads" not in out.output


def test_glossary_commands_import_no_heavy_module(tmp_path):
    p = make(tmp_path, BODY)
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom aligner.cli import cli\n"
        f"for args in (['list'], ['show', 'embargo'], ['check'], ['add', 'x', '--vi', 'y'], ['export', '--lang', 'vi', '-o', {str(tmp_path / 'e.csv')!r}]):\n"
        f"    r = CliRunner().invoke(cli, ['glossary', *args, '--glossary', {str(p)!r}]); assert r.exit_code == 0, (args, r.output)\n"
        "print([m for m in ('torch', 'sentence_transformers', 'ctranslate2', 'transformers') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
