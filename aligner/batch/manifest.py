"""Stories in, one result per story out: the manifest, the runner, resumable output.

Public surface: :class:`Story`, :class:`StoryOutcome`, :class:`BatchReport`,
:func:`read_manifest`, :func:`output_name`, :func:`run_batch`.

A manifest names one story per record, in either form (the file's extension
decides: ``.jsonl``/``.ndjson`` or ``.csv``; otherwise its first character)::

    story,paths,langs                       # CSV with this header; langs optional
    yagi-typhoon,vi/yagi.txt|id/yagi.txt,vi|id

    {"story": "yagi-typhoon", "articles": [{"path": "vi/yagi.txt", "lang": "vi"},
                                           {"path": "id/yagi.txt"}]}

Relative article paths are relative to the manifest's folder.  Each story is
written to ``OUTDIR/<safe name>.json`` atomically, so an interrupted story
leaves nothing behind.  A rerun skips a story whose result reads back valid
and was made from the same files with the same settings; anything else is
recomputed.  One story's failure never stops the others.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

from aligner.batch.engines import describe, one_line
from aligner.batch.guard import output_problem, remove_temporaries
from aligner.batch.resume import expected_signature, finished
from aligner.batch.reviewed import Reviewed
from aligner.batch.stories import DONE, FAILED, SKIPPED, Story, StoryOutcome  # noqa: F401  (re-exported)
from aligner.errors import InputError
from aligner.files import parse_json, read_utf8
from aligner.model import Signature

LOCK_FILE = ".aligner-batch.lock"
MAX_STEM = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_COLUMNS = ("story", "paths", "langs")


@dataclass(frozen=True)
class BatchReport:
    outcomes: tuple[StoryOutcome, ...]  # in manifest order
    engine: str = "local"

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def links(self) -> int:
        return sum(o.links for o in self.outcomes)

    @property
    def failures(self) -> tuple[StoryOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == FAILED)


# ------------------------------------------------------------------ manifest


def output_name(story_id: str) -> str:
    """A safe file name for a story's result: the id where it is plain ASCII, else
    a cleaned id with a short hash of the original, so that no two ids collide."""
    stem = _UNSAFE.sub("_", story_id).strip("._-")[:MAX_STEM]
    if stem != story_id or not stem:
        stem = f"{stem or 'story'}-{hashlib.sha256(story_id.encode('utf-8')).hexdigest()[:8]}"
    return f"{stem}.json"


def read_manifest(path: str | Path) -> tuple[Story, ...]:
    """The stories of a manifest; a bad record raises one :class:`InputError` line ``file:line: ...``."""
    name = str(path)
    text = read_utf8(path, InputError, "manifest")
    folder = Path(path).resolve().parent
    records = _jsonl_records(text, name) if _is_jsonl(path, text) else _csv_records(text, name)
    stories = tuple(_story(name, folder, *r) for r in records)
    if not stories:
        raise InputError(f"{name}: no stories in the manifest")
    _refuse_duplicates(name, stories)
    return stories


def _is_jsonl(path: str | Path, text: str) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return True
    if suffix == ".csv":
        return False
    return text.lstrip().startswith("{")


# A record before it becomes a Story: (line, story id, [(path, lang)])
Record = tuple[int, str, list[tuple[str, "str | None"]]]


def _csv_records(text: str, name: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if header[:2] != ["story", "paths"] or not set(header) <= set(CSV_COLUMNS) or len(set(header)) != len(header):
            raise InputError(f"{name}:1: expected the header story,paths,langs (langs optional), found {','.join(header) or 'nothing'}")
        end = reader.line_num
        for row in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(f"{name}:{line}: expected {len(header)} fields ({','.join(header)}), found {len(row)}")
            cells = dict(zip(header, (c.strip() for c in row)))
            yield line, cells["story"], _csv_articles(name, line, cells["paths"], cells.get("langs", ""))
    except csv.Error as e:
        raise InputError(f"{name}:{reader.line_num}: {e}") from None


def _csv_articles(name: str, line: int, paths: str, langs: str) -> list[tuple[str, str | None]]:
    ps = [p.strip() for p in paths.split("|")]
    if any(not p for p in ps):
        raise InputError(f"{name}:{line}: an empty article path in '{paths}'")
    ls = [x.strip() or None for x in langs.split("|")] if langs else [None] * len(ps)
    if len(ls) != len(ps):
        raise InputError(f"{name}:{line}: {len(ps)} paths but {len(ls)} languages")
    return list(zip(ps, ls))


def _jsonl_records(text: str, name: str) -> Iterator[Record]:
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            raise InputError(f"{name}:{line}: not valid JSON ({e.msg}, column {e.colno})") from None
        except (RecursionError, ValueError):
            obj = parse_json(raw, InputError, f"{name}:{line}")  # raises the one-line reason
        if not isinstance(obj, dict):
            raise InputError(f"{name}:{line}: expected an object {{\"story\": ..., \"articles\": [...]}}")
        _only_keys(name, line, obj, {"story", "articles"}, "")
        story = obj.get("story")
        if not isinstance(story, str):
            raise InputError(f"{name}:{line}: \"story\" must be a string")
        articles = obj.get("articles")
        if not isinstance(articles, list):
            raise InputError(f"{name}:{line}: \"articles\" must be a list of {{\"path\": ..., \"lang\": ...}}")
        yield line, story.strip(), [_jsonl_article(name, line, i, a) for i, a in enumerate(articles)]


def _jsonl_article(name: str, line: int, i: int, article) -> tuple[str, str | None]:
    where = f"articles[{i}]"
    if not isinstance(article, dict):
        raise InputError(f"{name}:{line}: {where} must be an object {{\"path\": ..., \"lang\": ...}}")
    _only_keys(name, line, article, {"path", "lang"}, f"{where}: ")
    path, lang = article.get("path"), article.get("lang")
    if not isinstance(path, str) or not path.strip():
        raise InputError(f"{name}:{line}: {where}.path must be a non-empty string")
    if lang is not None and not isinstance(lang, str):
        raise InputError(f"{name}:{line}: {where}.lang must be a string or null")
    return path.strip(), (lang.strip() or None) if lang else None


def _only_keys(name: str, line: int, obj: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise InputError(f"{name}:{line}: {where}unknown key \"{unknown[0]}\" (expected {', '.join(sorted(allowed))})")


def _story(name: str, folder: Path, line: int, story_id: str, articles: list[tuple[str, str | None]]) -> Story:
    if not story_id:
        raise InputError(f"{name}:{line}: empty story id")
    if len(articles) < 2:
        raise InputError(f"{name}:{line}: story '{story_id}' has {len(articles)} article(s); a story needs at least two")
    paths = tuple(str(_resolve(name, line, folder, p)) for p, _ in articles)
    return Story(
        id=story_id,
        paths=paths,
        names=tuple(p for p, _ in articles),
        langs=tuple(lang for _, lang in articles),
        line=line,
        output=output_name(story_id),
    )


def _resolve(name: str, line: int, folder: Path, path: str) -> Path:
    """The article's absolute path; a NUL byte fails the manifest, a symlink loop only its story (when read)."""
    if "\0" in path:
        raise InputError(f"{name}:{line}: the path {path!r} contains a NUL byte")
    joined = folder / Path(path).expanduser()
    try:
        return joined.resolve()
    except (OSError, RuntimeError, ValueError):
        return joined


def _refuse_duplicates(name: str, stories: Sequence[Story]) -> None:
    seen: dict[str, Story] = {}
    for s in stories:
        first = seen.setdefault(s.output.casefold(), s)
        if first is s:
            continue
        if first.id == s.id:
            raise InputError(f"{name}:{s.line}: story '{s.id}' already appears on line {first.line}")
        raise InputError(f"{name}:{s.line}: story '{s.id}' would share its result file with '{first.id}' (line {first.line})")


# ------------------------------------------------------------------ runner


def run_batch(
    stories: Sequence[Story],
    outdir: str | Path,
    template,
    engine,
    on_outcome: Callable[[StoryOutcome], None] = lambda _o: None,
    inputs: Sequence[str | Path] = (),
    decisions_dir: str | Path | None = None,
) -> BatchReport:
    """Align every story not already done, writing ``outdir/<story>.json`` as each finishes.

    ``template`` is the :class:`~aligner.pipeline.AlignConfig` every story shares
    (its paths and languages are replaced per story); ``engine`` one of
    :mod:`aligner.batch.engines`.  ``on_outcome`` sees each story as it is
    skipped, written or failed.  ``inputs``: other files the batch reads (the
    manifest), never written over.  An output that must not be written (an input,
    a symlink the batch did not make) fails its story before it is computed.
    ``decisions_dir``: a folder of reviewed results, ``<story output>`` each, whose
    decisions carry into the stories' new runs (:mod:`aligner.batch.reviewed`).
    """
    template = replace(template, paths=(), langs=(), progress=False)
    expected = expected_signature(template)  # a broken memory or glossary stops here, before any output
    out = Path(outdir)
    reviewed = Reviewed(decisions_dir, out) if decisions_dir is not None else None
    out.mkdir(parents=True, exist_ok=True)
    outcomes: dict[str, StoryOutcome] = {}

    def record(outcome: StoryOutcome) -> None:
        outcomes[outcome.story] = outcome
        on_outcome(outcome)

    inputs = [*inputs, template.memory, template.glossary]
    with _exclusive(out):
        remove_temporaries(out, stories)
        todo = []
        for s in _not_finished(out, stories, expected, record, reviewed):
            problem = output_problem(out, s, _inputs(inputs, reviewed, s)) or (reviewed.problem(s) if reviewed else None)
            if problem:
                record(StoryOutcome(s.id, FAILED, s.output, reason=problem))
            else:
                todo.append(s)
        by_id = {s.id: s for s in todo}
        with closing(engine.run(template, todo)) as computed:
            for aligned in computed:
                record(_store(out, by_id[aligned.story], aligned, inputs, reviewed))
    return BatchReport(tuple(outcomes[s.id] for s in stories), engine.label)


def _inputs(inputs, reviewed: Reviewed | None, story: Story) -> list:
    """The files a story's output must not be written over: the batch's, and the story's decisions file."""
    return [*inputs, reviewed.path(story)] if reviewed else list(inputs)


def _not_finished(out: Path, stories: Sequence[Story], expected: Signature, record, reviewed: Reviewed | None = None) -> list[Story]:
    """The stories to compute; each finished one is recorded as skipped."""
    todo = []
    for s in stories:
        kept = finished(out / s.output, s, expected, reviewed.sha256(s) if reviewed else None)
        if kept is None:
            todo.append(s)
        else:
            record(kept)
    return todo


@contextmanager
def _exclusive(out: Path):
    """One batch at a time per output folder (a rerun must not race a running batch)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(out / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise InputError(f"{out}: another aligner batch is writing to this folder") from None
    try:
        yield
    finally:
        lock.release()


def _store(out: Path, story: Story, aligned, inputs=(), reviewed: Reviewed | None = None) -> StoryOutcome:
    from aligner.errors import OutputError, ResultError
    from aligner.result import write_json

    warned = tuple(getattr(aligned, "warnings", ()))
    if aligned.result is None:
        return StoryOutcome(story.id, FAILED, story.output, reason=aligned.error, warnings=warned)
    result = named(aligned.result, story)
    if reviewed is not None:
        try:
            result, stale = reviewed.carry(result, story)
        except ResultError as e:  # the decisions file changed while the story ran
            return StoryOutcome(story.id, FAILED, story.output, reason=str(e), warnings=warned)
        except Exception as e:  # noqa: BLE001 -- one story's decisions must not stop the batch
            return StoryOutcome(story.id, FAILED, story.output, reason=describe(e), warnings=warned)
        warned += tuple(one_line(line) for line in stale)
    target = out / story.output
    problem = output_problem(out, story, _inputs(inputs, reviewed, story))  # again: the folder may have changed while the story ran
    if problem:
        return StoryOutcome(story.id, FAILED, story.output, reason=problem, warnings=warned)
    try:
        write_json(result, target)
    except OutputError as e:
        return StoryOutcome(story.id, FAILED, story.output, reason=str(e), warnings=warned)
    except OSError as e:
        return StoryOutcome(story.id, FAILED, story.output, reason=f"{target}: cannot write ({e.strerror or e})", warnings=warned)
    return StoryOutcome(story.id, DONE, story.output, links=len(result.links), warnings=warned)


def named(result, story: Story):
    """The result with each article named as in the manifest (and located by its absolute path)."""
    articles = tuple(replace(a, path=name, absolute=path) for a, name, path in zip(result.articles, story.names, story.paths))
    return replace(result, articles=articles)
