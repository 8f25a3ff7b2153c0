"""``aligner batch --decisions-dir``: reviewed results carried into a batch's new runs.

Stories from NTREX-128 dev (CC BY-SA 4.0), as in tests/test_batch.py: two
Vietnamese and two Indonesian lines sharing one, aligned with ``--translator
none`` (multilingual-e5 only).  A first batch is reviewed for real (the review
functions the app calls, saved to a result file), then the batch runs again
with that folder of reviewed results, with the local engine and with a real
two-process Dask LocalCluster.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.batch import DaskEngine, LocalEngine, read_manifest, run_batch
from aligner.batch.reviewed import decisions_sha256
from aligner.cli import cli
from aligner.errors import InputError
from aligner.model import Review, ReviewDecision, SentenceRef
from aligner.result import read_json
from aligner.review import decisions as d
from tests.test_batch import _cli_args, _counts, _outputs, _template, _write_stories

STORIES = 3
AT = "2026-12-02T03:00:00Z"


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> Path:
    return _write_stories(tmp_path_factory.mktemp("review-batch") / "stories", STORIES)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> str:
    return str(tmp_path_factory.getbasetemp() / "cache")


@pytest.fixture(scope="module")
def first(stories, cache, tmp_path_factory) -> Path:
    """The stories aligned once, unreviewed."""
    out = tmp_path_factory.mktemp("first")
    report = run_batch(read_manifest(stories), out, _template(cache), LocalEngine())
    assert report.count("done") == STORIES
    return out


def _pairs(result) -> set[tuple[tuple[int, tuple[int, ...]], ...]]:
    return {tuple((m.article, m.sentences) for m in link.members) for link in result.links}


def _reviewed(first: Path, folder: Path, story) -> tuple[Path, object, object]:
    """``folder/<story>.json``: the story's first result with its first link rejected and a stale
    manual decision (a span that is no sentence of the articles); and the rejected link."""
    result = read_json(first / story.output)
    assert result.links, "each story's articles share a line: the first run links it"
    rejected = result.links[0]
    reviewed = d.decide(result, 0, "rejected", by="ann", at=AT)
    vi, id_ = (a.sha256 for a in result.articles)
    stale = ReviewDecision((SentenceRef(vi, 0, 3), SentenceRef(id_, 0, 3)), "ann", AT)
    reviewed = replace(reviewed, review=replace(reviewed.review, manual=(stale,)))
    folder.mkdir(exist_ok=True)
    d.save(reviewed, folder / story.output)
    return folder / story.output, result, rejected


STALE = "manual link not applied: {vi} characters 0-3, {id} characters 0-3 is no longer a sentence"


def test_batch_decisions_dir_round_trip(stories, cache, first, tmp_path):
    story = read_manifest(stories)[0]
    path, before, rejected = _reviewed(first, tmp_path / "reviewed", story)
    vi, id_ = (a.path for a in before.articles)
    out = tmp_path / "out"
    args = _cli_args(stories, out, cache, "--decisions-dir", str(tmp_path / "reviewed"), "-q")

    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [f"Warning: {story.id}: " + STALE.format(vi=vi, id=id_)]  # once, with the story's name
    assert _counts(run.stderr) == {"stories": 3, "done": 3, "skipped": 0, "failed": 0, "links": _counts(run.stderr)["links"]}
    new = read_json(out / story.output)
    pair = tuple((m.article, m.sentences) for m in rejected.members)
    assert pair in _pairs(before) and pair not in _pairs(new)  # the rejected link is not made again
    assert new.review.rejected == (ReviewDecision(d.refs_of(before, rejected), "ann", AT),)
    assert new.review.manual == ()  # the stale decision is reported, not kept
    assert new.signature["decisions"] == {"path": str(path), "sha256": _sha256(path)}
    for other in read_manifest(stories)[1:]:  # no reviewed result: the story runs as without the folder
        assert _content(read_json(out / other.output)) == _content(read_json(first / other.output))

    again = CliRunner().invoke(cli, args)  # the same review: every story is kept, nothing is warned again
    assert again.exit_code == 0 and not [l for l in again.stderr.splitlines() if l.startswith("Warning:")]
    assert _counts(again.stderr)["skipped"] == 3

    accepted = d.decide(read_json(path), 0, "accepted", by="bob", at=AT)
    d.save(replace(accepted, review=replace(accepted.review, manual=())), path)  # the review changed
    changed = CliRunner().invoke(cli, args)
    assert changed.exit_code == 0, changed.stderr
    assert (_counts(changed.stderr)["done"], _counts(changed.stderr)["skipped"]) == (1, 2)
    assert pair in _pairs(read_json(out / story.output))  # accepted now: linked again
    assert read_json(out / story.output).review.accepted[0].by == "bob"

    path.unlink()  # the review removed: the story runs again, without decisions
    removed = CliRunner().invoke(cli, args)
    assert (_counts(removed.stderr)["done"], _counts(removed.stderr)["skipped"]) == (1, 2)
    assert _content(read_json(out / story.output)) == _content(before)


def _content(result):
    """What a run decided (the articles' locations differ with the folder of the result)."""
    return result.links, result.groups, result.review, result.signature, [a.sha256 for a in result.articles]


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dask_engine_carries_the_decisions_as_the_local_engine(stories, cache, first, tmp_path):
    pytest.importorskip("dask.distributed")
    manifest = read_manifest(stories)
    reviewed = tmp_path / "reviewed"
    linked = [s for s in manifest if read_json(first / s.output).links]
    assert len(linked) >= 1 and len(linked) < len(manifest)  # a reviewed story and one without a review
    for story in linked:
        _reviewed(first, reviewed, story)
    template = _template(cache)
    warned = {}
    for name, engine in (("local", LocalEngine()), ("dask", DaskEngine(workers=2))):
        outcomes = []
        report = run_batch(manifest, tmp_path / name, template, engine, outcomes.append, decisions_dir=reviewed)
        assert report.count("done") == STORIES
        warned[name] = {o.story: o.warnings for o in outcomes}
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")
    assert warned["dask"] == warned["local"]
    assert [len(warned["dask"][s.id]) for s in manifest] == [int(s in linked) for s in manifest]  # the stale decision
    for story in linked:
        result = read_json(tmp_path / "dask" / story.output)
        assert result.review.rejected and decisions_sha256(result.signature) == _sha256(reviewed / story.output)
        assert len(result.links) == len(read_json(first / story.output).links) - 1


def test_without_decisions_dir_a_result_made_with_decisions_is_kept(stories, cache, first, tmp_path):
    story = read_manifest(stories)[0]
    _reviewed(first, tmp_path / "reviewed", story)
    out = tmp_path / "out"
    run_batch(read_manifest(stories), out, _template(cache), LocalEngine(), decisions_dir=tmp_path / "reviewed")
    kept = run_batch(read_manifest(stories), out, _template(cache), LocalEngine())
    assert kept.count("skipped") == STORIES


def test_a_bad_decisions_file_fails_its_story_only(stories, cache, first, tmp_path):
    manifest = read_manifest(stories)
    reviewed = tmp_path / "reviewed"
    reviewed.mkdir()
    (reviewed / manifest[1].output).write_text('{"schema_version": 2, "articles": [', encoding="utf-8")
    (reviewed / manifest[2].output).mkdir()
    report = run_batch(manifest, tmp_path / "out", _template(cache), LocalEngine(), decisions_dir=reviewed)
    assert [o.status for o in report.outcomes] == ["done", "failed", "failed"]
    assert report.outcomes[1].reason.startswith(f"{reviewed / manifest[1].output}: not valid JSON (line 1")
    assert report.outcomes[2].reason == f"{reviewed / manifest[2].output}: not a reviewed result (not a regular file)"
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == [manifest[0].output]


def test_a_decisions_file_linked_to_the_output_is_never_written_over(stories, cache, first, tmp_path):
    story = read_manifest(stories)[0]
    out = tmp_path / "out"
    shutil.copytree(first, out)
    reviewed = tmp_path / "reviewed"
    reviewed.mkdir()
    (reviewed / story.output).symlink_to(out / story.output)  # the review is the output file itself
    before = _outputs(out)
    report = run_batch(read_manifest(stories), out, _template(cache), LocalEngine(), decisions_dir=reviewed)
    assert [o.status for o in report.outcomes] == ["failed", "skipped", "skipped"]
    assert report.outcomes[0].reason == (f"{out / story.output}: is an input of this run ({reviewed / story.output}); "
                                         "choose another output file")
    assert _outputs(out) == before


def test_decisions_dir_must_exist_and_not_be_the_output_folder(stories, cache, first, tmp_path):
    args = _cli_args(stories, tmp_path / "out", cache, "--decisions-dir", str(tmp_path / "nowhere"))
    run = CliRunner().invoke(cli, args)
    assert (run.exit_code, run.stderr) == (2, f"Error: {tmp_path / 'nowhere'}: no such folder of reviewed results\n")
    assert not (tmp_path / "out").exists()  # nothing made
    shutil.copytree(first, tmp_path / "out")
    before = _outputs(tmp_path / "out")
    run = CliRunner().invoke(cli, _cli_args(stories, tmp_path / "out", cache, "--decisions-dir", str(tmp_path / "out" / ".")))
    assert run.exit_code == 2
    assert run.stderr == (f"Error: {tmp_path / 'out' / '.'}: the reviewed results are in the output folder, where the new "
                          "results would overwrite them; copy them to another folder first and give that one\n")
    assert _outputs(tmp_path / "out") == before
    with pytest.raises(InputError):
        run_batch(read_manifest(stories), tmp_path / "out", _template(cache), LocalEngine(), decisions_dir=tmp_path / "out")
