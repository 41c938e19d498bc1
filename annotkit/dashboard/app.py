"""The teacher's dashboard as an app: settings as widgets, the class live, grading, and every file to download.

It runs in a notebook and in Voilà (``notebooks/teacher/10_teacher_dashboard.ipynb``). Nothing here changes a
student's file. Names and grades are the teacher's: *projector mode* hides both, for showing the class where it
stands and where it disagrees.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..errors import AnnotkitError
from ..grades import FORMATIVE, GRADE_FORMATS, default_weights, grade_table, write_grades
from ..heatmap import heatmap_svg
from ..report import class_report, html_table
from ..rubric import load_rubric, marks_path, open_marks, thinking_scores
from .grading import GradingView

if TYPE_CHECKING:
    import pandas as pd

    from ..classroom import ClassView

__all__ = ["Dashboard", "download_link"]

_MEDIA = {".csv": "text/csv", ".html": "text/html", ".json": "application/json"}
# The dashboard's tables, in JupyterLab's colours (light and dark themes) and plain colours in Voilà.
_STYLE = """<style>
.ak-dash table { border-collapse: collapse; margin: .4em 0 .8em; font-size: 13px; }
.ak-dash th, .ak-dash td { border: 1px solid var(--jp-border-color1, #bbb); padding: .2em .5em; text-align: left;
  vertical-align: top; }
.ak-dash th { background: var(--jp-layout-color2, #eef4f9); }
.ak-dash td.n { text-align: right; font-variant-numeric: tabular-nums; }
.ak-dash .empty { color: var(--jp-ui-font-color3, #888); font-style: italic; }
</style>"""


def download_link(path: Path, *, label: str | None = None) -> str:
    r"""An HTML link that downloads a file from the page itself (works in JupyterLab, Notebook 7 and Voilà).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "grades.csv"
    >>> _ = path.write_text("student,overall\n", encoding="utf-8")
    >>> download_link(path)[:60]
    '<a class="ak-download" download="grades.csv" href="data:text'
    """
    from html import escape

    data = base64.b64encode(path.read_bytes()).decode("ascii")
    media = _MEDIA.get(path.suffix.lower(), "application/octet-stream")
    text = escape(label or f"⬇ {path.name}")
    return (
        f'<a class="ak-download" download="{escape(path.name)}" href="data:{media};base64,{data}" '
        f'style="display:inline-block;margin:.2em .4em .2em 0;padding:.2em .7em;border:1px solid #0072b2;'
        f'border-radius:3px;text-decoration:none">{text}</a>'
    )


class Dashboard(widgets.VBox):  # type: ignore[misc]  # ipywidgets has no types, so VBox is Any to mypy
    """The teacher's dashboard: who has handed in, where the class disagrees, grading, grades and files.

    Parameters
    ----------
    source
        The class's hand-ins (an inbox, a folder, a zip); default the bundled sample class.
    article
        The article (default the course's).
    roster
        A class list CSV (login, name ...), for names and the platforms' ids.
    weights
        How much each part of the grade counts (default :func:`annotkit.grades.default_weights`).
    out
        Where the files are written (default: a folder ``<class>-files`` beside the class's marks file).
    refresh_seconds
        How often live mode reads the inbox again.

    Examples
    --------
    >>> import annotkit, tempfile
    >>> board = Dashboard(annotkit.data_path("sample_class"), out=tempfile.mkdtemp())
    >>> len(board.view.students), board.tabs.get_title(0)
    (24, 'Class now')
    """

    def __init__(
        self,
        source: str | Path | None = None,
        *,
        article: Any = None,
        roster: str | Path | None = None,
        weights: Mapping[str, float] | None = None,
        out: str | Path | None = None,
        refresh_seconds: float = 30,
    ) -> None:
        from .._data import data_path

        self.article = article
        self.refresh_seconds = refresh_seconds
        self.view: ClassView | None = None
        self._task: asyncio.Task[None] | None = None
        self._out = Path(out).expanduser() if out else None
        self.rubric = load_rubric()
        self.folder = widgets.Text(
            value=str(source or data_path("sample_class")), description="Hand-ins", layout={"width": "60%"}
        )
        self.roster = widgets.Text(value=str(roster or ""), description="Class list", placeholder="a CSV (optional)")
        self.projector = widgets.Checkbox(description="Projector mode: no names, no grades", indent=False)
        self.live = widgets.ToggleButton(description=f"Live: every {refresh_seconds:g} s", icon="refresh")
        self.refresh_button = widgets.Button(description="Read again", icon="download")
        chosen = dict(weights or default_weights(self.rubric))
        self.weights = {
            part: widgets.BoundedFloatText(value=chosen.get(part, 0), min=0, max=1000, description=part, step=1)
            for part in (*FORMATIVE, *self.rubric.ids)
        }
        weight_box = widgets.Accordion(
            children=[
                widgets.VBox(
                    [
                        widgets.HTML(
                            "<small>Agreement with the key (actor_f1 ... stance) is <b>formative</b>: one reading "
                            "of an article where many items are debatable. The rubric's parts grade the thinking. "
                            "Any numbers: they are scaled to 100%.</small>"
                        ),
                        *self.weights.values(),
                    ]
                )
            ]
        )
        weight_box.set_title(0, "Weights of the grade")
        self.status = widgets.HTML()
        self.now, self.scores_box, self.problems_box = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.grades_box, self.files_box = widgets.HTML(), widgets.HTML()
        self.make_files = widgets.Button(description="Make the files", icon="file", button_style="primary")
        self.grading_box = widgets.VBox()
        self.grading: GradingView | None = None
        self.tabs = widgets.Tab(
            children=[
                self.now,
                self.grading_box,
                self.scores_box,
                widgets.VBox([self.grades_box, self.make_files, self.files_box]),
                self.problems_box,
            ]
        )
        for index, title in enumerate(
            ("Class now", "Grade the thinking", "Scores (formative)", "Grades & files", "Problems")
        ):
            self.tabs.set_title(index, title)
        settings = widgets.VBox(
            [
                widgets.HBox([self.folder, self.refresh_button]),
                widgets.HBox([self.roster, self.live, self.projector]),
                weight_box,
            ]
        )
        super().__init__([widgets.HTML(_STYLE), settings, self.status, self.tabs])
        self.add_class("ak-dash")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.make_files.on_click(lambda _: self.write_files())
        self.projector.observe(lambda _: self._draw(), "value")
        self.live.observe(self._toggle_live, "value")
        for box in self.weights.values():
            box.observe(lambda _: self._draw_grades(), "value")
        self.refresh()

    # --- reading -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the hand-ins again and redraw; a problem is shown in the status line, never as a traceback."""
        from ..classroom import open_class

        try:
            source = Path(self.folder.value.strip()).expanduser()
            roster = self.roster.value.strip() or None
            self.view = open_class(source, article=self.article, roster=roster, rubric=self.rubric)
            self.marks = open_marks(marks_path(source), self.rubric)
        except (AnnotkitError, OSError) as error:
            self.status.value = f'<p style="color:#b00020">⚠ {_escape(str(error))}</p>'
            return
        self.status.value = (
            f"<p><b>{_escape(self.view.article.title or '')}</b>: {len(self.view.students)} students · "
            f"read {_escape(str(source))}</p>"
        )
        self._draw()

    def _toggle_live(self, change: Mapping[str, Any]) -> None:
        if change["new"] and (self._task is None or self._task.done()):
            with contextlib.suppress(RuntimeError):  # no event loop outside a kernel: live mode needs one
                self._task = asyncio.get_event_loop().create_task(self._live())
        elif not change["new"] and self._task is not None:
            self._task.cancel()

    async def _live(self) -> None:
        while self.live.value:
            await asyncio.sleep(self.refresh_seconds)
            if self.live.value:
                self.refresh()

    # --- drawing -------------------------------------------------------------------------------------------

    def _names(self) -> dict[str, str]:
        view = self.view
        if view is None:
            return {}
        if self.projector.value:
            return {a: f"Student {i + 1}" for i, a in enumerate(view.students)}
        return {a: view.name_of(a) for a in view.students}

    def _draw(self) -> None:
        view = self.view
        if view is None:
            return
        projector = self.projector.value
        self.now.value = self._class_now(view, projector)
        if projector:
            self.tabs.selected_index = 0
        hidden = "<p><i>Hidden in projector mode.</i></p>"
        self.problems_box.value = hidden if projector else _problems(view)
        self.scores_box.value = hidden if projector else _scores(view, self._names())
        if projector:
            self.grading_box.children = [widgets.HTML(hidden)]
        else:
            if self.grading is None:
                self.grading = GradingView(view.answers, self.marks, names=self._names())
                self.grading.observe(lambda _: self._draw_grades(), "status")
            else:
                self.grading.marks = self.marks
                self.grading._names = self._names()
                self.grading.load(view.answers)
            self.grading_box.children = [
                widgets.HTML(
                    "<p>One question at a time, every student's answer side by side. Click the box, then "
                    "<b>↑ ↓</b> to move between answers, <b>← →</b> between questions, a <b>number</b> to give a "
                    "level, <b>Backspace</b> to clear. Marks are saved at once in "
                    f"<code>{_escape(str(self.marks.path))}</code>.</p>"
                ),
                self.grading,
            ]
        self._draw_grades()

    def _class_now(self, view: ClassView, projector: bool) -> str:
        progress = view.progress
        started = len(progress)
        drafts = int(progress["draft"].sum()) if started else 0
        parts = [f"<p><b>{started}</b> students have handed in ({drafts} drafts, {started - drafts} final).</p>"]
        if started:
            table = progress.copy()
            if projector:  # no names: the class's progress as bars, from the furthest on
                table = table.sort_values("progress", ascending=False, na_position="last")
                table["annotator"] = ""
            else:
                table["annotator"] = table["annotator"].map(self._names())
            table["how far"] = [_bar(p) for p in table["progress"]]
            shown = table[["annotator", "actors", "claims", "perspectives", "reflections", "how far"]]
            shown = shown.rename(columns={"annotator": "student"})
            parts.append(
                html_table(shown, numeric=("actors", "claims", "perspectives", "reflections"), markup=("how far",))
            )
        parts += [
            "<h4>Where the class disagrees</h4>",
            html_table(view.disagreements, numeric=("students", "split")),
        ]
        return "".join(parts)

    def grades(self) -> pd.DataFrame:
        """The grades with the weights set in the app."""
        view = self.view
        if view is None:
            msg = "No class is loaded yet: check the folder of hand-ins, then press 'Read again'."
            raise AnnotkitError(msg)
        thinking = thinking_scores(view.answers, self.marks, students=view.students)
        weights = {part: box.value for part, box in self.weights.items()}
        return grade_table(view.scores, thinking, weights=weights, names=view.names)

    def _draw_grades(self) -> None:
        if self.view is None:
            return
        if self.projector.value:
            self.grades_box.value = "<p><i>Hidden in projector mode.</i></p>"
            return
        try:
            table = self.grades()
        except AnnotkitError as error:
            self.grades_box.value = f'<p style="color:#b00020">⚠ {_escape(str(error))}</p>'
            return
        numbers = tuple(c for c in table.columns if c not in ("student", "name"))
        to_mark = int(table["to_mark"].sum())
        note = f"<p>{to_mark} answers are still to mark: they are not in the grades yet.</p>" if to_mark else ""
        self.grades_box.value = note + html_table(table, numeric=numbers)

    # --- files ---------------------------------------------------------------------------------------------

    def out_folder(self) -> Path:
        """Where the files go: ``out``, else a folder ``<class>-files`` beside the marks file.

        While the course's tests run the dashboard's notebook (:func:`annotkit.course.autofill_on`), a new temporary
        folder instead: a test run leaves nothing in the course folder.
        """
        from ..course import autofill_on

        if self._out is None and autofill_on():
            self._out = Path(tempfile.mkdtemp(prefix="annotkit-"))
        if self._out is not None:
            return self._out
        marks = marks_path(Path(self.folder.value.strip()).expanduser())
        return marks.parent / f"{marks.stem.removesuffix('-marks')}-files"

    def write_files(self) -> dict[str, Path]:
        """Write the grades (every platform's format), the report and the anonymised class; show a link for each."""
        from ..formats import export
        from ..roster import anonymise, read_roster

        view = self.view
        if view is None:
            return {}
        folder = self.out_folder()
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        try:
            table = self.grades()
            roster = read_roster(self.roster.value.strip()) if self.roster.value.strip() else None
            for name in GRADE_FORMATS:
                written[f"grades ({name})"] = write_grades(
                    table, folder / f"grades-{name}.csv", format=name, roster=roster
                )
        except AnnotkitError as error:
            self.files_box.value = f'<p style="color:#b00020">⚠ {_escape(str(error))}</p>'
            return written
        report = folder / "class-report.html"
        report.write_text(class_report(view, marks=self.marks), encoding="utf-8")
        written["report"] = report
        anonymous = folder / "class-anonymous.csv"
        export(
            anonymise(view.annotations, names=view.names["name"].tolist()),
            anonymous,
            format="csv",
            article=view.article,
        )
        written["anonymised class (lesson 05)"] = anonymous
        if self.marks.path.exists():
            written["marks"] = self.marks.path
        self.files_box.value = (
            f"<p>Written to <code>{_escape(str(folder))}</code>. Grades and the report name students: keep them "
            "private.</p>" + "".join(download_link(path, label=f"⬇ {what}") for what, path in written.items())
        )
        return written


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _bar(progress: Any) -> str:
    try:
        share = float(progress)
    except (TypeError, ValueError):
        return ""
    if share != share:
        return ""
    return (
        f'<span style="display:inline-block;width:{int(120 * share)}px;height:.8em;background:#0072b2"></span> '
        f"{share:.0%}"
    )


def _problems(view: ClassView) -> str:
    if view.problems.empty:
        return "<p>Every file could be used.</p>"
    return "<p>Ask these students to hand in again from the notebook (never by editing a file).</p>" + html_table(
        view.problems[["submission", "problem"]]
    )


def _scores(view: ClassView, names: Mapping[str, str]) -> str:
    if view.scores is None or view.scores.empty:
        return "<p>No answer key for this article: no scores against it. The rubric still grades the thinking.</p>"
    shown = view.scores.set_index("annotator")[list(FORMATIVE.values())]
    shown.columns = ["actors", "claims", "who said it", "stances"]
    shown.index = [names.get(a, a) for a in shown.index]
    return (
        "<p><b>Formative</b>: agreement with one reading of the article (debatable items are scored leniently). "
        "Use it to see what to teach next.</p>" + heatmap_svg(shown.sort_index(), title="Against the key (overlap)")
    )
