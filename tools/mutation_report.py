"""The mutation report: per module, how many mutants mutmut made, how many a test killed, and what survived.

    python tools/mutation_report.py anchoring store          # after `make mutation MODULES="anchoring store"`
    python tools/mutation_report.py --survivors anchoring    # and the diff of each survivor not judged equivalent

It reads mutmut's results (``mutants/annotkit/<module>.py.meta``) and the survivors judged equivalent, with the
reason for each, in ``tools/mutation/equivalent.toml``. The kill rate is over the mutants that are not
equivalent: killed (a test failed, or the mutant made the tests time out) / (every mutant - equivalent ones).
An entry in equivalent.toml that a test now kills, or that no longer exists (its function changed), is reported,
so the list never quietly goes stale.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "tools" / "mutation" / "equivalent.toml"
# mutmut's exit codes (mutmut/stats.py): what each means for the report.
KILLED = {1, 3, -24, 24, 152, 255, 36}  # a test failed, pytest broke, or the tests timed out
SURVIVED = {0}
NO_TESTS = {5, 33}
NOT_CHECKED = {None}


def _status(code: int | None) -> str:
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in NOT_CHECKED:
        return "not checked"
    return "suspicious"


def results(module: str) -> dict[str, str]:
    """Every mutant of ``annotkit/<module>.py`` and its status."""
    meta = ROOT / "mutants" / "annotkit" / f"{module}.py.meta"
    if not meta.is_file():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: _status(code) for name, code in codes.items()}


_SQL = re.compile(
    r"(?:^|[(,])\s*f?[\"']\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|BEGIN|COMMIT|ROLLBACK|VALUES|"
    r"ON CONFLICT|DO UPDATE|WHERE|AND|OR|ORDER BY|UNION)\b(?![\"'])",  # not a word alone in quotes ('update')
    re.IGNORECASE,
)
# A line that is one string literal and nothing else (a piece of a statement split over lines), maybe with the
# statement's parameters after it.
_STRING_LINE = re.compile(r"""^\s*f?(["']).*?\1\s*(,.*)?\)?\s*$""")
_FUNCTION = re.compile(r"^( *)def (\S+?)\(", re.MULTILINE)


def _functions(module: str) -> dict[str, str]:
    """The source of every function in mutmut's copy of a module (originals and mutants), by name.

    A function ends where a line is indented no deeper than its ``def`` (the next decorator, def or class), but for
    the ``)`` that closes a signature written over several lines.
    """
    path = ROOT / "mutants" / "annotkit" / f"{module}.py"
    if not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    functions = {}
    for number, line in enumerate(lines):
        found = _FUNCTION.match(line)
        if not found:
            continue
        indent = len(found.group(1))
        body = [line]
        for following in lines[number + 1 :]:
            closes_signature = following.lstrip().startswith(")")  # a signature over several lines ends so
            if following.strip() and len(following) - len(following.lstrip()) <= indent and not closes_signature:
                break
            body.append(following)
        while body and not body[-1].strip():
            body.pop()
        functions[found.group(2)] = "\n".join(body)
    return functions


def _sql_line(lines: list[str], at: int) -> bool:
    """Whether line ``at`` is SQL: a string starting with a keyword, or one continuing a statement split over lines."""
    if _SQL.search(lines[at]):
        return True
    while at > 0 and _STRING_LINE.match(lines[at]):
        at -= 1
        if _SQL.search(lines[at]):
            return True
    return False


def _same_but_case(before: str, after: str) -> bool:
    """Whether two lines differ only in the case of SQL keywords and names, not of an SQL string literal.

    Within a Python string in double quotation marks, what is in single ones (``'actor'``, ``'$.entity'``) is an
    SQL string, whose case matters; in a Python string in single quotation marks, double ones quote SQL names,
    which SQLite matches in any case.
    """
    if before.lower() != after.lower():
        return False
    first = re.search(r"[\"']", before)
    if first is None:
        return False
    if first.group() == '"':
        return re.findall(r"'[^']*'", before) == re.findall(r"'[^']*'", after)
    return True


def sql_case_only(name: str, functions: dict[str, str]) -> bool:
    """Whether a mutant only changes the case of SQL keywords and names: SQLite reads them in any case."""
    function = name.rsplit(".", 1)[-1]
    original = functions.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
    mutant = functions.get(function)
    if original is None or mutant is None:
        return False
    before = original.splitlines()[1:]
    after = mutant.splitlines()[1:]
    if len(before) != len(after):
        return False
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    return bool(changed) and all(_same_but_case(before[i], after[i]) and _sql_line(before, i) for i in changed)


def equivalent() -> dict[str, str]:
    """The survivors judged equivalent: mutant name -> why no test can tell it from the original."""
    if not EQUIVALENT.is_file():
        return {}
    table = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return {name: why for section in table.values() for name, why in section.items()}


def report(modules: list[str], *, survivors: bool = False) -> int:
    judged = equivalent()
    lines = [
        "| module | mutants | killed | equivalent | other survivors | no tests | not checked | kill rate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes, open_survivors = [], []
    for module in modules:
        found = results(module)
        functions = _functions(module)
        judged.update(
            {
                name: "SQL in another case: SQLite reads keywords and names in any case"
                for name, status in found.items()
                if status == "survived" and name not in judged and sql_case_only(name, functions)
            }
        )
        if not found:
            notes.append(f"{module}: no results (run `make mutation MODULES={module}` first)")
            continue
        counts = Counter(found.values())
        same = [name for name, status in found.items() if status == "survived" and name in judged]
        others = sorted(
            name for name, status in found.items() if status in ("survived", "suspicious") and name not in judged
        )
        open_survivors += others
        for name in judged:
            if name.startswith(f"annotkit.{module}.") and found.get(name, "gone") in ("killed", "gone"):
                notes.append(f"{name} is listed as equivalent but is now {found.get(name, 'gone')}: update the list")
        counted = len(found) - len(same) - counts["not checked"]
        rate = f"{counts['killed'] / counted:.1%}" if counted else "-"
        lines.append(
            f"| {module} | {len(found)} | {counts['killed']} | {len(same)} | {len(others)} | {counts['no tests']}"
            f" | {counts['not checked']} | {rate} |"
        )
    print("\n".join(lines))
    for note in notes:
        print(f"\n{note}")
    if open_survivors:
        print(f"\n{len(open_survivors)} survivors not judged equivalent:")
        for name in open_survivors:
            print(f"  {name}")
            if survivors:
                mutmut = str(Path(sys.executable).parent / "mutmut")
                shown = subprocess.run([mutmut, "show", name], capture_output=True, text=True, cwd=ROOT)
                print("    " + shown.stdout.replace("\n", "\n    "))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", help="module names, e.g. anchoring store")
    parser.add_argument("--survivors", action="store_true", help="show the diff of each open survivor")
    arguments = parser.parse_args()
    return report(arguments.modules, survivors=arguments.survivors)


if __name__ == "__main__":
    sys.exit(main())
