"""Issue 12, outputs: nothing is overwritten by accident, symlinks stay links, non-files
are refused, an unusable folder is an error before any work, new files get the umask."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest
from click.testing import CliRunner

from aligner import glossary as gl
from aligner.cli import cli
from aligner.errors import OutputError
from aligner.files import check_outputs, write_atomically
from tests.conftest import FIXTURE, GLOSSARY, ID, MEMORY, VI


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def align_refused(tmp_path, *outputs, extra=()):
    """Run align with these outputs and a fresh cache folder; the run must stop before any work."""
    cache = tmp_path / "cache"
    result = invoke("align", *extra, "--memory", MEMORY, "--glossary", GLOSSARY, *outputs, "--cache-dir", cache, "--no-view", "-q")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1
    assert not cache.exists()  # refused before reading, translating or embedding anything
    return result.stderr


@pytest.fixture
def articles(tmp_path):
    """Copies of the two examples (so a failed refusal cannot damage the repository)."""
    vi, id_ = tmp_path / "vi.txt", tmp_path / "id.txt"
    vi.write_bytes(VI.read_bytes())
    id_.write_bytes(ID.read_bytes())
    return vi, id_


def test_json_onto_an_input_article_is_refused(tmp_path, articles):
    vi, id_ = articles
    before = vi.read_bytes()
    err = align_refused(tmp_path, "--json", vi, extra=articles)
    assert err == f"Error: {vi}: is an input of this run ({vi}); choose another output file\n"
    assert vi.read_bytes() == before


def test_markdown_onto_the_translation_memory_is_refused(tmp_path, articles):
    err = align_refused(tmp_path, "--markdown", MEMORY, extra=articles)
    assert err == f"Error: {MEMORY}: is an input of this run ({MEMORY}); choose another output file\n"


def test_json_onto_the_glossary_is_refused(tmp_path, articles):
    err = align_refused(tmp_path, "--json", GLOSSARY, extra=articles)
    assert err.startswith(f"Error: {GLOSSARY}: is an input of this run")


def test_json_through_a_symlink_to_an_input_is_refused(tmp_path, articles):
    link = tmp_path / "out.json"
    link.symlink_to(articles[0])
    err = align_refused(tmp_path, "--json", link, extra=articles)
    assert err == f"Error: {link}: is an input of this run ({articles[0]}); choose another output file\n"


def test_json_onto_a_hard_link_of_an_input_is_refused(tmp_path, articles):
    twin = tmp_path / "twin.json"
    os.link(articles[1], twin)
    assert align_refused(tmp_path, "--json", twin, extra=articles).startswith(f"Error: {twin}: is an input of this run")


def test_json_and_markdown_on_the_same_file_are_refused(tmp_path, articles):
    out = tmp_path / "out"
    err = align_refused(tmp_path, "--json", out, "--markdown", out, extra=articles)
    assert err == f"Error: {out}: is also another output of this run ({out}); choose two different files\n"


def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path, articles):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    err = align_refused(tmp_path, "--json", fifo, extra=articles)
    assert err == f"Error: {fifo}: is a FIFO, not a regular file; give a file path to write\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_device_is_refused(tmp_path, articles):
    err = align_refused(tmp_path, "--markdown", os.devnull, extra=articles)
    assert err == f"Error: {os.devnull}: is a device, not a regular file; give a file path to write\n"
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_directory_is_refused(tmp_path, articles):
    folder = tmp_path / "folder"
    folder.mkdir()
    err = align_refused(tmp_path, "--json", folder, extra=articles)
    assert err == f"Error: {folder}: is a directory, not a regular file; give a file path to write\n"


def unwritable_folder(tmp_path):
    """A folder this process cannot create files in (root ignores permission bits: use sysfs)."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    for candidate in ("/sys", "/proc/sys"):
        try:
            fd, name = tempfile.mkstemp(dir=candidate)
        except OSError:
            return candidate
        os.close(fd)
        os.unlink(name)
    pytest.skip("no unwritable folder for root here")


def test_an_unwritable_folder_is_reported_before_the_work_naming_the_output(tmp_path, articles):
    folder = unwritable_folder(tmp_path)
    out = f"{folder}/r.json"
    err = align_refused(tmp_path, "--json", out, extra=articles)
    assert err.startswith(f"Error: {out}: cannot write in {folder} (")
    assert ".r.json." not in err and "tmp" not in err.split("(")[-1]  # no temporary file named


def test_a_missing_folder_is_reported_before_the_work(tmp_path, articles):
    out = tmp_path / "nope" / "r.md"
    assert align_refused(tmp_path, "--markdown", out, extra=articles) == f"Error: {out}: directory {out.parent} does not exist\n"


def test_report_onto_its_result_is_refused(tmp_path):
    result = tmp_path / "r.json"
    result.write_bytes(FIXTURE.read_bytes())
    run = invoke("report", result, "-o", result)
    assert run.exit_code == 2
    assert run.stderr == f"Error: {result}: is an input of this run ({result}); choose another output file\n"
    assert result.read_bytes() == FIXTURE.read_bytes()


def test_glossary_export_onto_the_glossary_is_refused(tmp_path):
    g = tmp_path / "glossary.csv"
    g.write_bytes(GLOSSARY.read_bytes())
    run = invoke("glossary", "export", "--lang", "vi", "-o", g, "--glossary", g)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"Error: {g}: is an input of this run")
    assert g.read_bytes() == GLOSSARY.read_bytes()


# ------------------------------------------------------------------ symlinks, modes


def test_a_report_is_written_through_a_symlink_which_stays_a_link(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "report.md"
    target.write_text("old report\n")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    run = invoke("report", FIXTURE, "-o", link)
    assert run.exit_code == 0, run.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("# Parallel English summary")
    assert not [p for p in shared.iterdir() if p.name != "report.md"]  # no temporary file left


def test_a_dangling_symlink_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "later.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomically(link, b"{}\n")
    assert link.is_symlink() and target.read_bytes() == b"{}\n"


def test_a_glossary_edited_through_a_symlink_stays_shared(tmp_path):
    shared = tmp_path / "team" / "glossary.csv"
    shared.parent.mkdir()
    shared.write_bytes(GLOSSARY.read_bytes())
    link = tmp_path / "glossary.csv"
    link.symlink_to(shared)
    run = invoke("glossary", "add", "test ban treaty", "--vi", "hiệp ước cấm thử", "--glossary", link)
    assert run.exit_code == 0, run.output
    assert link.is_symlink()
    assert "test ban treaty" in shared.read_text(encoding="utf-8")
    assert gl.show(gl.load(link), "test ban treaty").en == "test ban treaty"


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_users_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_atomically(tmp_path / "new.md", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.md").st_mode) == mode


def test_an_existing_file_keeps_its_mode(tmp_path):
    out = tmp_path / "r.md"
    out.write_text("old")
    out.chmod(0o640)
    write_atomically(out, b"new")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640 and out.read_bytes() == b"new"


def test_the_library_writer_refuses_non_regular_files_too(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="is a FIFO"):
        write_atomically(fifo, b"x")
    with pytest.raises(OutputError, match="is a directory"):
        write_atomically(tmp_path, b"x")


def test_check_outputs_accepts_distinct_new_files(tmp_path):
    check_outputs([tmp_path / "a.json", tmp_path / "a.md", None], [VI, ID, None])
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind


def test_review_decisions_round_trip_and_older_results_load(tmp_path):
    """Issue 20: a result's ``review`` survives write and read; a result without it reads as None."""
    from aligner.model import Review, ReviewDecision, SentenceRef
    from aligner.result import read_json, write_json
    from tests.conftest import FIXTURE

    old = read_json(FIXTURE)
    assert old.review is None
    a, b = old.articles[0], old.articles[1]
    pair = (SentenceRef(a.sha256, a.sentences[0].start, a.sentences[0].end),
            SentenceRef(b.sha256, b.sentences[1].start, b.sentences[1].end))
    review = Review(rejected=(ReviewDecision(pair, by="ana", at="2026-12-01T12:00:00Z"),),
                    manual=(ReviewDecision(pair[::-1]),))
    import dataclasses
    write_json(dataclasses.replace(old, review=review), tmp_path / "r.json")
    back = read_json(tmp_path / "r.json")
    assert back.review == review
    assert back.review.rejected[0].key() == back.review.manual[0].key()
