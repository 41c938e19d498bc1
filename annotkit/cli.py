"""The ``annotkit`` command: a teacher's class from a terminal, no code needed.

Run ``annotkit --help`` for the commands and ``annotkit <command> --help`` for each one's options. Every
command is documented in the README's teacher section (a test checks it).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import AnnotkitError

__all__ = ["build_parser", "main"]

_WHERE = "a class inbox, a folder of hand-ins or of students' homes, or a .zip of hand-in files"


def _article(path: str | None) -> Any:
    from .article import load_article, load_bundled_article

    return load_article(path) if path else load_bundled_article()


def _key(args: argparse.Namespace, article: Any) -> Any:
    from .keys import answer_key

    return answer_key(article, args.key) if getattr(args, "key", None) else None


def _view(args: argparse.Namespace) -> Any:
    from .classroom import open_class
    from .rubric import load_rubric

    article = _article(args.article)
    rubric = load_rubric(args.rubric) if getattr(args, "rubric", None) else None
    return open_class(args.source, article=article, key=_key(args, article), roster=args.roster, rubric=rubric)


def _print_table(frame: Any, *, out: Any = None) -> None:
    import pandas as pd

    with pd.option_context("display.max_rows", 500, "display.max_columns", 30, "display.width", 160):
        print(frame.to_string(index=False) if len(frame) else "(none)", file=out or sys.stdout)


def _marks(args: argparse.Namespace, view: Any) -> Any:
    from .rubric import load_rubric, marks_path, open_marks

    rubric = load_rubric(args.rubric) if getattr(args, "rubric", None) else None
    if getattr(args, "marks", None):
        return open_marks(args.marks, rubric)
    path = marks_path(view.source) if isinstance(view.source, (str, Path)) else None
    return open_marks(path, rubric) if path is not None and path.exists() else None


# --- the commands ---------------------------------------------------------------------------------------------


def _collect(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from .classroom import read_class
    from .hub import collect_from_hub, handin_files

    dest = Path(args.to).expanduser()
    if args.hub:
        import os

        token = args.token or os.environ.get("ANNOTKIT_HUB_TOKEN", "")
        collected = collect_from_hub(
            args.hub, token, dest, group=args.group, users=args.user or None, start=args.start, progress=True
        )
        _print_table(collected.students)
    elif args.source is None:
        msg = f"Say where to collect from: {_WHERE}, or --hub URL --token TOKEN."
        raise AnnotkitError(msg)
    else:
        source = Path(args.source).expanduser()
        dest.mkdir(parents=True, exist_ok=True)
        if source.suffix.lower() == ".zip" and source.is_file():
            with zipfile.ZipFile(source) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".json")]
                for name in tqdm(names, desc="collecting", unit="file"):
                    parts = PurePosixPath(name.replace("\\", "/")).parts
                    if name.startswith(("/", "\\")) or ".." in parts or any(p.startswith(".") for p in parts):
                        continue  # read_submissions reports such entries; never write outside the folder
                    target = dest.joinpath(*parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(name))
        else:
            files = handin_files(source)
            for path in tqdm(files, desc="collecting", unit="file"):
                relative = path.relative_to(source)
                # A home's hand-in folder: keep the student's home name, drop the folder's own name.
                kept = [p for p in relative.parts if p != "annotkit-hand-in"]
                target = dest.joinpath(*kept)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    work = read_class(dest)
    print(f"\n{len(work.submissions)} hand-ins from {work.submissions['annotator'].nunique()} students in {dest}")
    if len(work.problems):
        print(f"{len(work.problems)} file(s) could not be used:")
        _print_table(work.problems)
    return 0


def _score(args: argparse.Namespace) -> int:
    view = _view(args)
    if view.scores is None:
        print(f"No answer key for {view.article.title!r}: give one with --key. Progress only:")
        _print_table(view.progress)
        return 0
    table = view.scores.copy()
    table.insert(1, "name", table["annotator"].map(view.name_of))
    _print_table(table.round(2))
    if args.out:
        table.to_csv(Path(args.out).expanduser(), index=False)
        print(f"Written: {args.out}")
    if len(view.problems):
        print(f"\n{len(view.problems)} file(s) left out:")
        _print_table(view.problems[["submission", "problem"]])
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import class_report

    view = _view(args)
    page = class_report(view, marks=None if args.anonymous else _marks(args, view), anonymous=args.anonymous)
    out = Path(args.out).expanduser()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    print(f"Written: {out} ({len(view.students)} students). Open it in a browser; print it from there.")
    return 0


def _weights(text: str | None) -> dict[str, float] | None:
    if not text:
        return None
    weights = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            msg = f"--weights takes name=number pairs, such as actor_f1=10,rationale=40; {part!r} is not one."
            raise AnnotkitError(msg) from None
    return weights


def _grades(args: argparse.Namespace) -> int:
    from .grades import grade_table, write_grades
    from .roster import read_roster
    from .rubric import thinking_scores

    view = _view(args)
    marks = _marks(args, view)
    thinking = thinking_scores(view.answers, marks, students=view.students) if marks else None
    table = grade_table(view.scores, thinking, weights=_weights(args.weights), names=view.names)
    roster = read_roster(args.roster) if args.roster else None
    out = Path(args.out or f"grades-{args.format}.csv").expanduser()
    write_grades(table, out, format=args.format, assignment=args.assignment, points=args.points, roster=roster)
    _print_table(table)
    if marks is None:
        print("\nNo rubric marks yet: only the formative agreement is in these grades. Mark in the dashboard first.")
    elif int(table["to_mark"].sum()):
        print(f"\n{int(table['to_mark'].sum())} answers are not marked yet: they are not in these grades.")
    print(f"Written: {out} ({args.format}). It names students: keep it private.")
    return 0


def _print(args: argparse.Namespace) -> int:
    from .keys import answer_key, find_key
    from .printables import PRINTABLES, write_printables

    article = _article(args.article)
    key = answer_key(article, args.key) if args.key else (answer_key(article) if find_key(article) else None)
    which = args.only.split(",") if args.only else list(PRINTABLES)
    written = write_printables(args.out, article, key=key, which=which)
    for name, path in written.items():
        print(f"{name:8} {path}")
    if "key" in which and "key" not in written:
        print("No answer key for this article: no answer sheet. Give one with --key.")
    print("Open each file in a browser and print it (or save it as PDF from the print dialog).")
    return 0


def _config(args: argparse.Namespace) -> int:
    import annotkit

    # annotkit.export_config(scheme=None, format="labelstudio", path=".") comes with the exchange formats (issue 14).
    export_config = getattr(annotkit, "export_config", None)
    if export_config is None:
        msg = "This annotkit cannot write tool configurations yet (annotkit.export_config is missing)."
        raise AnnotkitError(msg)
    out = export_config(args.scheme, format=args.format, path=args.out)
    print(f"Written: {out}")
    return 0


def _link(args: argparse.Namespace) -> int:
    from .hub import nbgitpuller_link

    print(nbgitpuller_link(args.hub, args.repo, branch=args.branch, path=args.path, app=args.app))
    return 0


def _inbox(args: argparse.Namespace) -> int:
    from .hub import make_inbox

    path = make_inbox(args.path, teacher=args.teacher)
    print(f"Class inbox ready: {path} (students can hand in, but not list or read it).")
    print(f"On the hub, set for every student: ANNOTKIT_HANDIN_DIR={path}")
    return 0


def _anonymise(args: argparse.Namespace) -> int:
    from .formats import export
    from .roster import anonymise

    view = _view(args)
    names = view.names["name"].tolist() if len(view.names) else []
    frame = anonymise(view.annotations, salt=args.salt, names=names)
    out = Path(args.out).expanduser()
    export(frame, out, format="csv", article=view.article)
    print(f"Written: {out}: {len(view.students)} students as 'Student 1' ... 'Student {len(view.students)}'.")
    return 0


# --- the parser -----------------------------------------------------------------------------------------------


def _class_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help=_WHERE)
    parser.add_argument("--article", help="the article file (default: the course's article)")
    parser.add_argument("--key", help="the answer key file (default: annotkit's key for the article, if any)")
    parser.add_argument("--roster", help="a class list CSV: login, name (or first/last name), email, id, section")
    parser.add_argument("--rubric", help="a rubric JSON file (default: data/rubrics/default.json)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``annotkit`` command, one sub-command each (also for the docs test)."""
    parser = argparse.ArgumentParser(
        prog="annotkit",
        description="Collect, score and grade a class's annotkit hand-ins; print materials; set up a hub.",
        epilog="Run 'annotkit <command> --help' for a command's options.",
    )
    commands = parser.add_subparsers(dest="command", metavar="<command>", required=True)

    collect = commands.add_parser("collect", help="gather hand-ins (inbox, homes, zip, or a JupyterHub) in one folder")
    collect.add_argument("source", nargs="?", help=_WHERE + " (leave out with --hub)")
    collect.add_argument("--to", default="class", help="the folder to gather them in (default: ./class)")
    collect.add_argument("--hub", help="a JupyterHub's address: collect through its API")
    collect.add_argument("--token", help="your token from the hub's Token page (or $ANNOTKIT_HUB_TOKEN)")
    collect.add_argument("--group", help="only this hub group (for example period3)")
    collect.add_argument("--user", action="append", help="only this user (repeat for several)")
    collect.add_argument("--start", action="store_true", help="start stopped servers to collect from them")
    collect.set_defaults(run=_collect)

    score = commands.add_parser("score", help="score every student against the answer key (formative)")
    _class_options(score)
    score.add_argument("--out", help="also write the scores to this CSV file")
    score.set_defaults(run=_score)

    report = commands.add_parser("report", help="the dashboard's tables and charts as one HTML page")
    _class_options(report)
    report.add_argument("--out", default="class-report.html", help="the HTML file (default: class-report.html)")
    report.add_argument("--marks", help="the rubric marks file (default: <class>-marks.json beside the class)")
    report.add_argument("--anonymous", action="store_true", help="'Student 1' ... instead of names, no grades")
    report.set_defaults(run=_report)

    grades = commands.add_parser("grades", help="a grades file for Canvas, Moodle or Google Classroom")
    _class_options(grades)
    grades.add_argument("--format", choices=["canvas", "moodle", "classroom", "csv"], default="csv")
    grades.add_argument("--out", help="the CSV file (default: grades-<format>.csv)")
    grades.add_argument("--marks", help="the rubric marks file (default: <class>-marks.json beside the class)")
    grades.add_argument("--weights", help="how much each part counts, e.g. actor_f1=10,claim_f1=10,rationale=40")
    grades.add_argument("--assignment", default="annotkit", help="the assignment's name in the platform")
    grades.add_argument("--points", type=float, default=100, help="the assignment's points possible (default 100)")
    grades.set_defaults(run=_grades)

    printing = commands.add_parser("print", help="printables: numbered article, scheme card, answer sheet, exit ticket")
    printing.add_argument("--article", help="the article file (default: the course's article)")
    printing.add_argument("--key", help="the answer key file, for the answer sheet")
    printing.add_argument("--out", default="printables", help="the folder to write to (default: ./printables)")
    printing.add_argument("--only", help="some of: article,scheme,key,exit (default: all)")
    printing.set_defaults(run=_print)

    config = commands.add_parser("config", help="a Label Studio or brat configuration for the scheme")
    config.add_argument("--format", choices=["labelstudio", "brat"], default="labelstudio")
    config.add_argument("--scheme", help="a scheme file (default: the course's scheme)")
    config.add_argument("--out", default=".", help="Label Studio: the file (or a folder); brat: the folder")
    config.set_defaults(run=_config)

    link = commands.add_parser("link", help="an nbgitpuller link that gives each student the course on a hub")
    link.add_argument("hub", help="the hub's address, e.g. https://hub.school.org")
    link.add_argument("repo", help="the course repository's URL (with or without .git)")
    link.add_argument("--branch", default="main")
    link.add_argument("--path", default="notebooks/00_start_here.ipynb", help="the notebook to open")
    link.add_argument("--app", choices=["lab", "notebook"], default="lab")
    link.set_defaults(run=_link)

    inbox = commands.add_parser("inbox", help="create a class inbox folder students hand in to (on a shared disk)")
    inbox.add_argument("path", help="the folder to create, e.g. /srv/annotkit/period3")
    inbox.add_argument("--teacher", help="the teacher's login, who may read the hand-ins")
    inbox.set_defaults(run=_inbox)

    anonymous = commands.add_parser("anonymise", help="the class's tags without names, for lesson 05 (CSV)")
    _class_options(anonymous)
    anonymous.add_argument("--out", default="class-anonymous.csv", help="the CSV file (default: class-anonymous.csv)")
    anonymous.add_argument("--salt", default="", help="any word: changes which student becomes 'Student 1'")
    anonymous.set_defaults(run=_anonymise)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``annotkit`` command; returns its exit code (0: done, 1: an error explained on stderr).

    >>> main(["link", "https://hub.school.org", "https://github.com/annotkit/annotkit.git"])  # doctest: +ELLIPSIS
    https://hub.school.org/hub/user-redirect/git-pull?repo=...&targetpath=annotkit&urlpath=lab%2Ftree%2Fannotkit%2F...
    0
    """
    args = build_parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.run  # set by each subcommand's parser
    try:
        return command(args)
    except AnnotkitError as error:
        print(f"annotkit {args.command}: {error}", file=sys.stderr)
        return 1
    except FileNotFoundError as error:
        print(f"annotkit {args.command}: there is no file or folder at {error.filename}.", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover - `python -m annotkit.cli`
    sys.exit(main())
