"""Mutation testing of the scoring, linking and glossary-matching code against its FAST tests.

    python benchmarks/mutation.py [--file aligner/align/links.py] [--timeout 60] [--list] [--limit N]

A small AST mutator (no dependency): for every place in a target file it makes one change --

* a comparison flipped (``<`` -> ``>=``, ``<=`` -> ``>``, ``==`` -> ``!=``, ``in`` -> ``not in``);
* ``+`` <-> ``-`` (also ``+=`` <-> ``-=``);
* ``max`` <-> ``min`` (also ``maximum``/``minimum``, ``argmax``/``argmin``);
* a number constant moved (an int + 1, a float x 2, 0.0 -> 1.0);
* ``break``/``continue`` -> ``pass``; ``return X`` -> ``return None``; ``True`` <-> ``False``;
  ``not x`` -> ``x``;

-- and runs the file's fast tests (listed in ``TARGETS``) on the mutant.  A mutant is *detected*
when a test fails or the run exceeds the per-mutant timeout (a hang).  Mutants run in a temporary
copy of the package and its tests (the work tree is never changed), each in a forked child of a
process that has already imported numpy and pytest, so one mutant costs about the tests' own time.

Prints detected/total per file and every survivor as ``file:line  mutation``.  Survivors that
change nothing a user can observe are listed with the reason in ``EQUIVALENT`` (and marked ``=``).
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_ALIGN_TESTS = [
    "tests/test_align.py",
    "tests/test_lexical.py",
    "tests/test_score_rules.py",
    "tests/test_score_mutants.py",
    "tests/test_links_rules.py",
    "tests/test_links_mutants.py",
]
# file -> the fast tests that guard it (pytest arguments)
TARGETS = {
    "aligner/align/links.py": _ALIGN_TESTS,
    "aligner/align/quantity_evidence.py": _ALIGN_TESTS,
    "aligner/align/score.py": _ALIGN_TESTS,
    "aligner/align/blockwise.py": _ALIGN_TESTS,
    "aligner/glossary/enforce.py": [
        "tests/test_enforce_rules.py",
        "tests/test_enforce_mutants.py",
        "tests/test_glossary.py",
        "-k",
        "not suggest and not concurrent and not heavy_module and not huge",
    ],
}

# (file, source line text fragment) -> why the mutant cannot be observed
EQUIVALENT = {
    (
        "aligner/align/score.py",
        "BLOCK_UNITS =",
    ): "block size: blockwise results equal the dense ones",
    (
        "aligner/align/score.py",
        "PAIR_CHUNK =",
    ): "chunk size of the vectorised cell scoring: same values",
    (
        "aligner/glossary/enforce.py",
        "MAX_VARIANT_WORDS =",
    ): "a limit no real variant reaches (24 -> 25 words)",
    ("aligner/align/links.py", "lowest - 1e-9"): "the bound's float tolerance (1e-9 either way)",
    # the pre-filter's bound on what evidence can add: a looser bound scores more candidates, the
    # same links (a tighter one is caught by the tests)
    ("aligner/align/links.py", "max(params.number_bonus, 0.0) * MAX_NUMBER_EVIDENCE"): "a looser pre-filter",
    ("aligner/align/links.py", "+ max(params.mutual_bonus, 0.0)"): "a looser pre-filter",
    ("aligner/align/links.py", "(max(params.word_bonus, 0.0) if words is not None"): "a looser pre-filter",
    ("aligner/align/links.py", "lowest = params.threshold - max("): "a looser pre-filter (0.0 -> 1.0 lowers it)",
    ("aligner/align/links.py", "mutual=False)"): (
        "Cell.mutual is read only when a pair is scored, before its second chance"),
    ("aligner/align/links.py", "continue  # a fresh link"): (
        "falling through, the pair's own part overlaps itself: it is queued again, and skipped "
        "when popped (both its sentences are linked)"),
    ("aligner/align/links.py", "heapq.heappush(queue, (-other.total"): (
        "a sequence number that only breaks ties; two entries of one pair never tie"),
    ("aligner/align/links.py", "np.where(norms == 0, 1.0, norms)"): "the sum of two unit vectors is never 0",
    ("aligner/align/links.py", "continue  # no partner beyond max_partners"): (
        "falling through, a full sentence's pair is retried by a free part and refused again when popped"),
    ("aligner/align/links.py", "cross_lingual_weight: float = 0.5"): "a default every caller overrides",
    ("aligner/align/score.py", "DENSE_UNITS ="): "when unit cosines are kept: the same values either way",
    ("aligner/align/score.py", "512  # rows of unit cosines"): "BLOCK_UNITS: block size, memory only",
    ("aligner/align/score.py", "keep = len(a.owner) * len(b.owner) <= DENSE_UNITS"): (
        "kept or recomputed unit cosines: the same values (the tests run both)"),
    ("aligner/align/score.py", "if end - first >= BLOCK_UNITS:"): "block boundaries: memory only",
    ("aligner/align/score.py", "bounds = list(starts[1:]) + [total]"): "block boundaries: memory only",
    ("aligner/align/score.py", "mutual: bool = False"): "a default no constructor uses",
    ("aligner/align/blockwise.py", "MOMENT_CHUNK = 1 << 15"): (
        "the moments' chunk size: the same sums to rounding (the tests also run chunks of 7)"),
    ("aligner/align/blockwise.py", "self.total += float(wide.sum())"): (
        "the spread is sqrt(squares/n - mean^2): the mean's sign does not change it"),
    ("aligner/align/blockwise.py", "count = max(self.count, 1)"): (
        "count 1 is a 1 x 1 pair, whose margin is 0 whatever the spread"),
    ("aligner/align/score.py", "if sim.size == 0:"): "a 1 x 1 margin is 0 either way",
    ("aligner/align/score.py", "return np.zeros(0, int)"): (
        "a space with no units is never built (empty articles are refused; the English space needs "
        "two sentences a side)"),
    ("aligner/align/score.py", "return int(self.owner[-1]) + 1 if len(self.owner) else 0"): (
        "a space with no units is never built"),
    ("aligner/align/score.py", "out = np.full(total, -1, dtype=np.int64)"): (
        "only present sentences' local indices are read"),
    ("aligner/align/score.py", "zeros, none = np.zeros(n), np.full(n, -1"): (
        "a 'not measured' mark, read only as negative"),
    ("aligner/align/score.py", "return Measures.empty(0)"): (
        "0 -> 1: scattered into an empty mask, nothing of it is taken (None is caught)"),
    ("aligner/align/blockwise.py", "self.floor, self.partitioned = merged[:, -1].copy(), True"): (
        "the partitioned path only saves work"),
    ("aligner/align/blockwise.py", "counts = tuple(int(c) for c in np.bincount(sizes, minlength=1)"): (
        "every sentence has a unit: the counts are longer than minlength anyway"),
    ("aligner/align/blockwise.py", "size = np.r_[starts[1:], len(units)][sentence] - first"): (
        "a longer look past the sentence: its first maximum is found before"),
    ("aligner/align/blockwise.py", "unit = np.full(len(columns), -1"): (
        "any negative mark: every column's maximum is found"),
    ("aligner/align/blockwise.py", "for position in range(int(size.max(initial=0)))"): (
        "one more look only when there are no columns"),
    ("aligner/align/blockwise.py", "if k > 1 else np.zeros(0, np.int64)"): (
        "0 -> 1: row 0 looked at again, which finds the same nearest unit"),
    ("aligner/align/score.py", 'span_a, span_b = sp.part_spans(u[r : r + 1], "a")[0]'): (
        "a longer slice, of which only the first span is read"),
}

_FLIP = {
    ast.Lt: ast.GtE,
    ast.LtE: ast.Gt,
    ast.Gt: ast.LtE,
    ast.GtE: ast.Lt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_SWAP_NAMES = {
    "max": "min",
    "min": "max",
    "maximum": "minimum",
    "minimum": "maximum",
    "argmax": "argmin",
    "argmin": "argmax",
}


@dataclass(frozen=True)
class Mutant:
    index: int  # the node's position in ast.walk order
    kind: str  # which operator
    line: int
    text: str  # what changes, e.g. "< -> >="


def _docstring_nodes(tree: ast.AST) -> set[int]:
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
    return skip


def _annotation_nodes(tree: ast.AST) -> set[int]:
    skip = set()
    for node in ast.walk(tree):
        annotations = list(getattr(node, "decorator_list", []))  # @dataclass(frozen=True): not behaviour
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            annotations.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            annotations.append(node.returns)
        for a in annotations:
            skip.update(id(n) for n in ast.walk(a))
    return skip


def _changes(node: ast.AST) -> list[tuple[str, str]]:
    """(kind, description) of every mutation of this node (applied by :func:`_apply`)."""
    out = []
    if isinstance(node, ast.Compare):
        for k, op in enumerate(node.ops):
            out.append(("compare", f"{_SYMBOL[type(op)]} -> {_SYMBOL[_FLIP[type(op)]]}#{k}"))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        out.append(("arith", "+ -> -" if isinstance(node.op, ast.Add) else "- -> +"))
    elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
        out.append(("arith", "+= -> -=" if isinstance(node.op, ast.Add) else "-= -> +="))
    elif isinstance(node, ast.Name) and node.id in _SWAP_NAMES and isinstance(node.ctx, ast.Load):
        out.append(("maxmin", f"{node.id} -> {_SWAP_NAMES[node.id]}"))
    elif isinstance(node, ast.Attribute) and node.attr in _SWAP_NAMES:
        out.append(("maxmin", f".{node.attr} -> .{_SWAP_NAMES[node.attr]}"))
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        out.append(("bool", f"{node.value} -> {not node.value}"))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        out.append(("const", f"{node.value} -> {node.value + 1}"))
    elif isinstance(node, ast.Constant) and type(node.value) is float:
        out.append(("const", f"{node.value} -> {node.value * 2 if node.value else 1.0}"))
    elif isinstance(node, (ast.Break, ast.Continue)):
        out.append(("flow", f"{type(node).__name__.lower()} -> pass"))
    elif (
        isinstance(node, ast.Return)
        and node.value is not None
        and not (isinstance(node.value, ast.Constant) and node.value.value is None)
    ):
        out.append(("return", "return X -> return None"))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("not", "not x -> x"))
    return out


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    skip = _docstring_nodes(tree) | _annotation_nodes(tree)
    found = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip or isinstance(node, ast.ImportFrom):
            continue
        for kind, text in _changes(node):
            found.append(Mutant(index, kind, getattr(node, "lineno", 0), text))
    return found


class _Apply(ast.NodeTransformer):
    def __init__(self, target: ast.AST, mutant: Mutant):
        self.target, self.mutant = target, mutant

    def visit(self, node):
        if node is not self.target:
            return self.generic_visit(node)
        m = self.mutant
        if m.kind == "compare":
            k = int(m.text.rsplit("#", 1)[1])
            node.ops[k] = _FLIP[type(node.ops[k])]()
        elif m.kind == "arith":
            node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        elif m.kind == "maxmin" and isinstance(node, ast.Name):
            node.id = _SWAP_NAMES[node.id]
        elif m.kind == "maxmin":
            node.attr = _SWAP_NAMES[node.attr]
        elif m.kind == "bool":
            node.value = not node.value
        elif m.kind == "const" and type(node.value) is int:
            node.value = node.value + 1
        elif m.kind == "const":
            node.value = node.value * 2 if node.value else 1.0
        elif m.kind == "flow":
            return ast.copy_location(ast.Pass(), node)
        elif m.kind == "return":
            node.value = ast.Constant(None)
        elif m.kind == "not":
            return node.operand
        return node


def mutate(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    target = list(ast.walk(tree))[mutant.index]
    tree = _Apply(target, mutant).visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree))


def _run_child(workdir: Path, tests: list[str]) -> None:
    """In a forked child: import the package from the copy, run the tests, exit with their code."""
    import pytest

    os.chdir(workdir)
    sys.path.insert(0, str(workdir))
    for name in [m for m in sys.modules if m == "aligner" or m.startswith(("aligner.", "tests"))]:
        del sys.modules[name]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1), os.dup2(devnull, 2)
    code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests])
    os._exit(int(code))


def run_tests(workdir: Path, tests: list[str], timeout: float) -> tuple[bool, float]:
    """(passed, seconds) of the tests in ``workdir``; a run past ``timeout`` counts as failed."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            _run_child(workdir, tests)
        finally:
            os._exit(99)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0, time.monotonic() - start
        if time.monotonic() - start > timeout:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return False, time.monotonic() - start
        time.sleep(0.02)


def _copy_tree(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "aligner", dest / "aligner", ignore=ignore)
    shutil.copytree(ROOT / "tests", dest / "tests", ignore=ignore)
    for name in ("examples", "glossary.csv", "pyproject.toml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.exists():
            shutil.copy2(src, dest / name)


def _equivalent(rel: str, source_lines: list[str], line: int) -> str | None:
    text = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
    for (path, fragment), why in EQUIVALENT.items():
        if path == rel and fragment in text:
            return why
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--file", action="append", choices=sorted(TARGETS), help="only this target (repeatable)"
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=0.0,
        help="seconds per mutant (default: 5 x the clean run, at least 20)",
    )
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument(
        "--limit", type=int, default=0, help="at most this many mutants per file (a quick look)"
    )
    args = ap.parse_args(argv)
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    import numpy  # noqa: F401  (imported once, before the forks)
    import pytest  # noqa: F401

    totals = []
    for rel in args.file or list(TARGETS):
        source = (ROOT / rel).read_text(encoding="utf-8")
        lines = source.splitlines()
        original = ast.unparse(ast.parse(source))
        found = [m for m in mutants(source) if mutate(source, m) != original]
        if args.limit:
            found = found[: args.limit]
        if args.list:
            for m in found:
                print(f"{rel}:{m.line}  {m.text.split('#')[0]}")
            continue
        tests = TARGETS[rel]
        with tempfile.TemporaryDirectory(prefix="aligner-mutation-") as tmp:
            work = Path(tmp)
            _copy_tree(work)
            clean_ok, clean_s = run_tests(work, tests, 600)
            if not clean_ok:
                print(
                    f"{rel}: the fast tests fail on the unmutated code; fix them first",
                    file=sys.stderr,
                )
                return 1
            timeout = args.timeout or max(20.0, 5 * clean_s)
            print(
                f"{rel}: {len(found)} mutants; tests {' '.join(tests)} ({clean_s:.1f} s clean, "
                f"timeout {timeout:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
            detected, survivors = 0, []
            for n, m in enumerate(found, 1):
                (work / rel).write_text(mutate(source, m), encoding="utf-8")
                passed, _ = run_tests(work, tests, timeout)
                detected += not passed
                if passed:
                    survivors.append(m)
                if n % 25 == 0:
                    print(f"  {n}/{len(found)}", file=sys.stderr, flush=True)
            (work / rel).write_text(source, encoding="utf-8")
        total = len(found)
        equivalent = [m for m in survivors if _equivalent(rel, lines, m.line)]
        totals.append((rel, detected, total, len(equivalent)))
        print(
            f"{rel}: {detected}/{total} detected ({100 * detected / max(total, 1):.1f}%); "
            f"{len(equivalent)} of {len(survivors)} survivors change nothing observable"
        )
        for m in survivors:
            why = _equivalent(rel, lines, m.line)
            mark = f"  = {why}" if why else ""
            source_line = lines[m.line - 1].strip()[:70]
            print(f"  survivor {rel}:{m.line}  {m.text.split('#')[0]}  | {source_line}{mark}")
        sys.stdout.flush()
    if totals:
        print("\nsummary")
        for rel, detected, total, eq in totals:
            print(
                f"  {rel:32s} {detected:4d}/{total:<4d} {100 * detected / max(total, 1):5.1f}%  "
                f"(+{eq} equivalent: {100 * (detected + eq) / max(total, 1):5.1f}%)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
