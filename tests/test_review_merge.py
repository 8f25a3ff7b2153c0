"""Decisions round trip through the command line: align, review in a real terminal (a pty), view,
report and align --decisions."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.result import read_json
from aligner.review.decisions import refs_of
from tests.conftest import GLOSSARY, ID, MEMORY, ROOT, VI


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def review_in_a_terminal(path, keys: list[bytes], *extra) -> tuple[int, str]:
    """``aligner review PATH`` in a pseudo-terminal of 120 x 40: wait for its first screen, type ``keys``."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT), "COLUMNS": "120", "LINES": "40"}
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "review", str(path), *extra], stdin=slave, stdout=slave,
                            stderr=slave, cwd=ROOT, env=env, close_fds=True)
    os.close(slave)
    seen = bytearray()

    def read(until: bytes | None, quiet: float | None = None) -> None:
        """Read the app's output until ``until`` shows, or it is ``quiet`` for that many seconds, or it ends."""
        while until is None or until not in seen:
            ready, _, _ = select.select([master], [], [], quiet or 60)
            if not ready:
                if quiet:
                    return
                raise AssertionError(f"no {until!r} from aligner review; it wrote: {bytes(seen[-2000:])!r}")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the app ended and closed the terminal
                return
            if not chunk:
                return
            seen.extend(chunk)

    try:
        read(b"save+quit")  # the key bar is drawn: the screen is up
        for key in keys:
            os.write(master, key)
            read(None, quiet=1.0)
        read(None)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return proc.returncode, bytes(seen).decode("utf-8", "replace")


def _pairs(path) -> set[frozenset]:
    result = read_json(path)
    return {frozenset(refs_of(result, link)) for link in result.links}


def test_reject_in_review_then_view_report_and_align_with_decisions(tmp_path):
    out = tmp_path / "result.json"
    made = run("align", VI, ID, "--memory", MEMORY, "--glossary", GLOSSARY, "--json", out, "--no-view", "-q")
    assert made.exit_code == 0, made.output
    first = max(read_json(out).links, key=lambda link: link.score)
    first_refs = frozenset(refs_of(read_json(out), first))
    assert "Shared facts (2)" in run("view", out, "--no-pager").stdout

    code, screen = review_in_a_terminal(out, [b"r", b"q"], "--by", "ann")
    assert code == 0, screen
    review = json.loads(out.read_text(encoding="utf-8"))["review"]
    assert [frozenset((s["sha256"], s["start"], s["end"]) for s in d["sentences"]) for d in review["rejected"]] == [
        frozenset((r.sha256, r.start, r.end) for r in first_refs)
    ]
    assert review["accepted"] == [] and review["manual"] == [] and review["rejected"][0]["by"] == "ann"

    shown = run("view", out, "--no-pager").stdout
    assert "Shared facts (1)" in shown and "Shared facts (2)" not in shown
    report = tmp_path / "report.md"
    assert run("report", out, "-o", report).exit_code == 0
    assert "Shared facts (1)" in report.read_text(encoding="utf-8")

    again = tmp_path / "new.json"
    rerun = run("align", VI, ID, "--memory", MEMORY, "--glossary", GLOSSARY, "--decisions", out, "--json", again, "--no-view", "-q")
    assert rerun.exit_code == 0, rerun.output
    assert first_refs not in _pairs(again)  # the rejected pair is not linked again
    assert len(_pairs(again)) == 1
    assert read_json(again).review == read_json(out).review  # the decisions travel on
    # the decisions file moved the result, so the signature names it, hashed from its bytes
    assert read_json(again).signature["decisions"] == {
        "path": str(out), "sha256": hashlib.sha256(Path(out).read_bytes()).hexdigest()}


@pytest.mark.parametrize("key", [b"\x1b", b"\x03"], ids=["escape", "ctrl+c"])
def test_twice_leaves_the_result_unchanged(tmp_path, key):
    out = tmp_path / "result.json"
    out.write_bytes((ROOT / "tests" / "data" / "example-result.json").read_bytes())
    before = out.read_bytes()
    code, screen = review_in_a_terminal(out, [b"r", key, key, b"q"])
    assert code == 0 and "quit without saving; " in screen
    assert out.read_bytes() == before


def test_align_reports_stale_decisions_once(tmp_path):
    old = json.loads((ROOT / "tests" / "data" / "example-result.json").read_text(encoding="utf-8"))
    sha = old["articles"][0]["sha256"]
    other = old["articles"][1]["sha256"]
    old["review"] = {"accepted": [], "manual": [], "rejected": [
        {"sentences": [{"sha256": sha, "start": 0, "end": 5}, {"sha256": other, "start": 0, "end": 202}], "by": "", "at": ""}]}
    decisions = tmp_path / "old.json"
    decisions.write_text(json.dumps(old), encoding="utf-8")
    new = tmp_path / "new.json"
    result = run("align", VI, ID, "--memory", MEMORY, "--glossary", GLOSSARY, "--decisions", decisions, "--json", new, "--no-view", "-q")
    assert result.exit_code == 0
    assert result.stderr.count("Warning: rejected link not applied: ") == 1
    assert ("Warning: rejected link not applied: " + str(VI) + " characters 0-5 is no longer a sentence\n") in result.stderr
    assert read_json(new).review.rejected == ()


def test_review_refuses_what_it_cannot_do(tmp_path):
    result = run("review", tmp_path / "missing.json")
    assert result.exit_code == 2 and result.stderr == f"Error: {tmp_path / 'missing.json'}: no such result file\n"
    result = run("review", ROOT / "tests" / "data" / "example-result.json")  # CliRunner: no terminal
    assert result.exit_code == 2
    assert result.stderr == "Error: review needs a terminal (stdin and stdout are not one); aligner view shows a result without one\n"
    result = run("review", "--stats", tmp_path)
    assert result.exit_code == 2 and result.stderr == f"Error: {tmp_path}: no reviewed result (a result saved by 'aligner review') in this folder\n"


def test_stats_over_a_folder_of_reviewed_results(tmp_path):
    from aligner.review.decisions import decide, save

    result = read_json(ROOT / "tests" / "data" / "example-result.json")
    best = max(range(len(result.links)), key=lambda n: result.links[n].score)
    (tmp_path / "story").mkdir()
    save(decide(decide(result, best, "accepted"), 1 - best, "rejected"), tmp_path / "story" / "result.json")
    (tmp_path / "unreviewed.json").write_bytes((ROOT / "tests" / "data" / "example-result.json").read_bytes())
    out = run("review", "--stats", tmp_path)
    assert out.exit_code == 0 and out.stderr == ""
    assert out.stdout.splitlines() == [
        "reviewed results: 1",
        "accepted links: 1, scores min 2.893, median 2.893, max 2.893",
        "rejected links: 1, scores min 0.761, median 0.761, max 0.761",
        "manual links: 0",
        "suggested threshold: 1.827 (keeps 1 of 1 accepted, drops 1 of 1 rejected)",
        "at the threshold 0.700: keeps 1 of 1 accepted, drops 0 of 1 rejected",
    ]
