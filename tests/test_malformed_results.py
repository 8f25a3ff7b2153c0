"""Issue 12, hand-edited results: every malformed file is one line `Error: <file>: <field>: ...`
with exit code 2 -- never a traceback, never accepted silently."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from tests.conftest import FIXTURE

GOOD = FIXTURE.read_text(encoding="utf-8")
DEPTH = 100_000


def edited(change):
    """A result file's text: the frozen example with ``change`` applied to its JSON."""

    def make():
        data = json.loads(GOOD)
        change(data)
        return json.dumps(data, ensure_ascii=False)

    return make


def raw(text: str | bytes):
    return lambda: text


def replaced(old: str, new: str):
    """The example's text with the first ``old`` replaced (values JSON itself cannot write)."""

    def make():
        assert old in GOOD
        return GOOD.replace(old, new, 1)

    return make


def article(i=0):
    return lambda d: d["articles"][i]


def sentence(i=0, a=0):
    return lambda d: d["articles"][a]["sentences"][i]


def link(i=0):
    return lambda d: d["links"][i]


def setting(where, **values):
    return edited(lambda d: where(d).update(values))


def deleting(where, key):
    return edited(lambda d: where(d).pop(key))


FIRST_SCORE = f'"score": {json.loads(GOOD)["links"][0]["score"]}'  # as the frozen fixture writes it

# (id, file text, what the one-line error must mention)
CASES = [
    # the file as a whole
    ("empty-file", raw(""), "not valid JSON"),
    ("truncated", raw(GOOD[: len(GOOD) // 2]), "truncated?"),
    ("not-utf8", raw(b'{"schema_version": 1, "x": "\xff\xfe"}'), "not UTF-8 JSON (byte 0xff at offset 28)"),
    ("top-level-list", raw("[]"), "not an aligner result"),
    ("top-level-string", raw('"result"'), "not an aligner result"),
    ("top-level-null", raw("null"), "not an aligner result"),
    ("deep-array", raw("[" * DEPTH + "]" * DEPTH), "nested too deeply"),
    ("deep-object-in-signature", replaced('"signature": {', '"signature": {"x": ' + '{"a": ' * DEPTH + "1" + "}" * DEPTH + ", "), "nested too deeply"),
    ("score-nan", replaced(FIRST_SCORE, '"score": NaN'), "NaN is not a valid number"),
    ("score-infinity", replaced(FIRST_SCORE, '"score": Infinity'), "Infinity is not a valid number"),
    ("cosine-minus-infinity", replaced('"cosine": 0.9214', '"cosine": -Infinity'), "-Infinity is not a valid number"),
    ("score-1e308", replaced(FIRST_SCORE, '"score": 1e308'), "links[0].score"),
    ("score-1e400", replaced(FIRST_SCORE, '"score": 1e400'), "links[0].score"),
    ("index-5000-digits", replaced('"index": 0', '"index": ' + "9" * 5000), "digits"),
    # schema version
    ("no-schema-version", deleting(lambda d: d, "schema_version"), "no schema_version"),
    ("schema-version-true", setting(lambda d: d, schema_version=True), "schema_version"),
    ("schema-version-string", setting(lambda d: d, schema_version="1"), "schema_version"),
    ("schema-version-zero", setting(lambda d: d, schema_version=0), "schema_version"),
    ("schema-version-float", setting(lambda d: d, schema_version=1.0), "schema_version"),
    ("schema-version-newer", setting(lambda d: d, schema_version=99), "written by a newer aligner"),
    # articles
    ("no-articles-field", deleting(lambda d: d, "articles"), "articles: expected a list"),
    ("articles-object", setting(lambda d: d, articles={}), "articles: expected a list"),
    ("zero-articles", edited(lambda d: d.update(articles=[], links=[])), "at least two articles, found 0"),
    ("one-article", edited(lambda d: d.update(articles=d["articles"][:1], links=[])), "at least two articles, found 1"),
    ("article-string", edited(lambda d: d["articles"].__setitem__(0, "vi.txt")), "articles[0]: expected an object"),
    ("path-null", setting(article(), path=None), "articles[0].path"),
    ("path-number", setting(article(), path=7), "articles[0].path"),
    ("path-nul-byte", setting(article(), path="a\u0000b.txt"), "articles[0].path"),
    ("relative-nul-byte", setting(article(), relative="../a\u0000b.txt"), "articles[0].relative"),
    ("absolute-list", setting(article(), absolute=["/tmp/a.txt"]), "articles[0].absolute"),
    ("lang-null", setting(article(), lang=None), "articles[0].lang"),
    ("lang-empty", setting(article(), lang=""), "articles[0].lang"),
    ("lang-detected-string", setting(article(), lang_detected="yes"), "articles[0].lang_detected"),
    ("sha256-number", setting(article(), sha256=12), "articles[0].sha256"),
    ("dropped-object", setting(article(1), dropped={}), "articles[1].dropped"),
    ("dropped-end-before-start", edited(lambda d: d["articles"][1]["dropped"][0].update(end=0)), "articles[1].dropped[0].end"),
    ("dropped-reason-null", edited(lambda d: d["articles"][1]["dropped"][0].update(reason=None)), "articles[1].dropped[0].reason"),
    ("sentences-empty", setting(article(), sentences=[]), "articles[0].sentences"),
    ("sentence-null", edited(lambda d: d["articles"][0]["sentences"].__setitem__(0, None)), "articles[0].sentences[0]"),
    ("index-float", setting(sentence(), index=0.0), "articles[0].sentences[0].index"),
    ("index-string", setting(sentence(), index="0"), "articles[0].sentences[0].index"),
    ("index-out-of-order", setting(sentence(1), index=5), "articles[0].sentences[1].index"),
    ("start-negative", setting(sentence(), start=-1), "articles[0].sentences[0].start"),
    ("end-before-start", setting(sentence(), end=-5), "articles[0].sentences[0].end"),
    ("text-null", setting(sentence(), text=None), "articles[0].sentences[0].text"),
    ("english-number", setting(sentence(), english=42), "articles[0].sentences[0].english"),
    ("english-source-null", setting(sentence(), english_source=None), "articles[0].sentences[0].english_source"),
    ("glossary-status-unknown", edited(lambda d: d["articles"][0]["sentences"][0]["glossary"][0].update(status="great")), "glossary[0].status"),
    ("glossary-changed-string", edited(lambda d: d["articles"][0]["sentences"][0]["glossary"][0].update(changed="a -> b")), "glossary[0].changed"),
    # links
    ("links-object", setting(lambda d: d, links={}), "links: expected a list"),
    ("one-member-link", edited(lambda d: d["links"][0].update(members=d["links"][0]["members"][:1])), "links[0].members"),
    ("self-link", edited(lambda d: d["links"][0]["members"][1].update(article=0)), "links[0].members"),
    ("member-article-out-of-range", edited(lambda d: d["links"][0]["members"][1].update(article=2)), "links[0].members[1].article"),
    ("member-article-negative", edited(lambda d: d["links"][0]["members"][1].update(article=-1)), "links[0].members[1].article"),
    ("member-article-float", edited(lambda d: d["links"][0]["members"][1].update(article=1.0)), "links[0].members[1].article"),
    ("member-sentences-string", edited(lambda d: d["links"][0]["members"][0].update(sentences="7")), "links[0].members[0].sentences"),
    ("member-sentences-float", edited(lambda d: d["links"][0]["members"][0].update(sentences=[7.0])), "links[0].members[0].sentences[0]"),
    ("member-sentences-empty", edited(lambda d: d["links"][0]["members"][0].update(sentences=[])), "links[0].members[0].sentences"),
    ("member-sentences-repeated", edited(lambda d: d["links"][0]["members"][0].update(sentences=[7, 7])), "links[0].members[0].sentences"),
    ("member-sentence-out-of-range", edited(lambda d: d["links"][0]["members"][0].update(sentences=[999])), "links[0].members[0].sentences[0]"),
    ("score-string", setting(link(), score="2.6"), "links[0].score"),
    ("score-null", setting(link(), score=None), "links[0].score"),
    ("score-true", setting(link(), score=True), "links[0].score"),
    ("evidence-missing", deleting(link(), "evidence"), "links[0].evidence"),
    ("numbers-string", edited(lambda d: d["links"][0]["evidence"].update(numbers="500")), "links[0].evidence.numbers"),
    ("numbers-integers", edited(lambda d: d["links"][0]["evidence"].update(numbers=[500, 1000])), "links[0].evidence.numbers[0]"),
    ("terms-null-member", edited(lambda d: d["links"][0]["evidence"].update(terms=[None])), "links[0].evidence.terms[0]"),
    ("words-string", edited(lambda d: d["links"][0]["evidence"].update(words="frustration")), "links[0].evidence.words"),
    ("cosine-string", edited(lambda d: d["links"][0]["evidence"].update(cosine="0.9")), "links[0].evidence.cosine"),
    ("space-number", edited(lambda d: d["links"][0]["evidence"].update(space=1)), "links[0].evidence.space"),
    # signature (the viewer's provenance reads it)
    ("signature-list", setting(lambda d: d, signature=[]), "signature: expected an object"),
    ("signature-memory-string", edited(lambda d: d["signature"].update(memory="tm.csv")), "signature.memory"),
    ("signature-memory-sha-number", edited(lambda d: d["signature"]["memory"].update(sha256=5)), "signature.memory.sha256"),
    ("signature-glossary-path-null", edited(lambda d: d["signature"]["glossary"].update(path=None)), "signature.glossary.path"),
    ("signature-embedder-list", edited(lambda d: d["signature"].update(embedder=["minilm"])), "signature.embedder"),
    ("signature-embedder-id-number", edited(lambda d: d["signature"]["embedder"].update(id=5)), "signature.embedder.id"),
    ("signature-cross-lingual-version-null", edited(lambda d: d["signature"]["cross_lingual"].update(version=None)), "signature.cross_lingual.version"),
    ("signature-align-list", edited(lambda d: d["signature"].update(align=[1, 2])), "signature.align"),
    ("signature-align-nested", edited(lambda d: d["signature"]["align"].update(k={"deep": 1})), "signature.align.k"),
    ("signature-translator-number", edited(lambda d: d["signature"].update(translator=3)), "signature.translator"),
    ("signature-aligner-list", edited(lambda d: d["signature"].update(aligner=["0.1.0"])), "signature.aligner"),
    ("signature-weight-string", edited(lambda d: d["signature"].update(cross_lingual_weight="0.5")), "signature.cross_lingual_weight"),
    # glossary audit
    ("audit-object", setting(lambda d: d, glossary_audit={}), "glossary_audit: expected a list"),
    ("audit-renderings-list", edited(lambda d: d.update(glossary_audit=[{"concept": "x", "renderings": []}])), "glossary_audit[0].renderings"),
    # review decisions (issue 20)
    ("review-list", setting(lambda d: d, review=[]), "review: expected an object"),
    ("review-one-article", edited(lambda d: d.update(review={"rejected": [{"sentences": [{"sha256": "a", "start": 0, "end": 5}, {"sha256": "a", "start": 9, "end": 20}]}]})), "review.rejected[0].sentences: a decision names sentences of two or more articles"),
    ("review-span-backwards", edited(lambda d: d.update(review={"manual": [{"sentences": [{"sha256": "a", "start": 9, "end": 5}, {"sha256": "b", "start": 0, "end": 1}]}]})), "review.manual[0].sentences[0].end"),
    ("review-by-number", edited(lambda d: d.update(review={"accepted": [{"sentences": [{"sha256": "a", "start": 0, "end": 5}, {"sha256": "b", "start": 0, "end": 1}], "by": 7}]})), "review.accepted[0].by"),
    # stored discrepancies (typed: aligner.model.Discrepancy)
    ("discrepancy-group-out-of-range", edited(lambda d: d["summary"]["discrepancies"][0].update(group=99)), "summary.discrepancies[0].group"),
    ("discrepancy-one-member", edited(lambda d: d["summary"]["discrepancies"][0]["members"].pop()), "summary.discrepancies[0].members: expected two members"),
    ("discrepancy-sentence-out-of-range", edited(lambda d: d["summary"]["discrepancies"][0]["members"][1].update(sentences=[999])), "summary.discrepancies[0].members[1].sentences[0]"),
    ("discrepancy-unknown-kind", edited(lambda d: d["summary"]["discrepancies"][0]["differences"][0].update(kind="colour")), "summary.discrepancies[0].differences[0].kind: unknown discrepancy kind 'colour'"),
    ("discrepancy-span-in", edited(lambda d: d["summary"]["discrepancies"][0]["differences"][0]["sides"][0].update(span_in="html")), "summary.discrepancies[0].differences[0].sides[0].span_in"),
    ("discrepancy-value-number", edited(lambda d: d["summary"]["discrepancies"][0]["differences"][0]["sides"][1].update(value=500)), "summary.discrepancies[0].differences[0].sides[1].value"),
    ("audit-rendering-out-of-range", edited(lambda d: d.update(glossary_audit=[{"concept": "x", "renderings": {"a": [[5, 0]]}}])), "glossary_audit[0].renderings"),
]


def test_there_are_enough_cases():
    assert len(CASES) >= 46
    assert len({name for name, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize("make,mentions", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["view", "report"])
def test_a_malformed_result_is_one_error_line(tmp_path, make, mentions, command):
    path = tmp_path / "r.json"
    content = make()
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    args = ["view", str(path), "--no-pager"] if command == "view" else ["report", str(path), "-o", str(tmp_path / "r.md")]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr[:300]
    assert lines[0].startswith(f"Error: {path}: "), lines[0][:300]
    assert mentions in lines[0], lines[0][:300]
    assert len(lines[0]) < 400  # one readable line, not a dump of the file
    assert not (tmp_path / "r.md").exists()


def test_the_untouched_example_is_still_accepted(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["view", str(path), "--no-pager"])
    assert result.exit_code == 0, result.output
