"""Regenerate the frozen example result that the viewer and report tests render.

    .venv/bin/python -m tests.make_fixture

Run it only when the alignment or the schema changes on purpose, then review
the diff of tests/data/example-result.json and the golden files
(UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_view.py).  ``make demo``
never touches these files.
"""

import os

from aligner.pipeline import AlignConfig, run
from aligner.result import write_json
from tests.conftest import FIXTURE, GLOSSARY, ID, MEMORY, ROOT, VI


def main() -> None:
    os.chdir(ROOT)  # paths in the signature as a user in the project folder would give them
    names = [str(p.relative_to(ROOT)) for p in (VI, ID, MEMORY, GLOSSARY)]
    result = run(AlignConfig(paths=tuple(names[:2]), memory=names[2], glossary=names[3]))
    write_json(result, FIXTURE)
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
