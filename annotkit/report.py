"""The class report: the dashboard's tables and charts as one HTML page to keep, print or mail to a colleague.

Everything a student wrote (names, rationales, reflections) is escaped. With ``anonymous=True`` the page shows
"Student 1", "Student 2" ... instead of names, for showing to a class.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from ._cells import cell_text, is_missing
from .heatmap import heatmap_svg

if TYPE_CHECKING:
    import pandas as pd

    from .classroom import ClassView
    from .rubric import Marks

__all__ = ["class_report", "html_table"]

_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; max-width: 68em;
       margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .1em; } h2 { margin-top: 1.8em; border-bottom: 2px solid #0072b2; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eef4f9; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.small { color: #555; font-size: .9em; } .formative { background: #fff6d6; padding: .1em .4em; border-radius: 3px; }
.bar { display: inline-block; height: .8em; background: #0072b2; vertical-align: middle; }
.answer { white-space: pre-wrap; } .empty { color: #999; font-style: italic; }
@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def _cell(value: Any) -> str:
    if isinstance(value, float) and not is_missing(value):
        return f"{value:.2f}"
    return cell_text(value)


def html_table(frame: pd.DataFrame, *, numeric: tuple[str, ...] = (), markup: tuple[str, ...] = ()) -> str:
    """An HTML table; every cell is escaped except the columns in ``markup`` (markup made here, never input)."""
    if frame.empty:
        return '<p class="empty">Nothing here.</p>'
    header = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if c in numeric else ''}>{v if c in markup else escape(_cell(v))}</td>"
            for c, v in zip(frame.columns, r, strict=True)
        )
        + "</tr>"
        for r in frame.itertuples(index=False)
    )
    return f"<table><tr>{header}</tr>{rows}</table>"


def _names(view: ClassView, anonymous: bool) -> dict[str, str]:
    if anonymous:
        from .roster import anonymise

        frame = view.annotations[["annotation_id", "annotator"]].drop_duplicates("annotator")
        renamed = anonymise(frame)
        return dict(zip(frame["annotator"], renamed["annotator"], strict=True))
    return {a: view.name_of(a) for a in view.students}


def _progress_section(view: ClassView, names: dict[str, str]) -> str:
    table = view.progress.copy()
    table.insert(0, "student", table["annotator"].map(lambda a: names.get(a, a)))
    table["handed_in"] = table["handed_in"].astype(str).str.slice(0, 16).str.replace("T", " ")
    table["draft"] = table["draft"].map({True: "draft", False: ""})
    table["how far"] = [
        f'<span class="bar" style="width:{int(100 * float(p))}px"></span> {float(p):.0%}' if _cell(p) else ""
        for p in table["progress"]
    ]
    shown = table[["student", "handed_in", "draft", "actors", "claims", "perspectives", "reflections", "how far"]]
    return html_table(shown, numeric=("actors", "claims", "perspectives", "reflections"), markup=("how far",))


def _thinking_section(view: ClassView, names: dict[str, str], marks: Marks | None) -> str:
    parts = []
    answers = view.answers
    if answers.empty:
        return '<p class="empty">No perspective rationales or reflections handed in yet.</p>'
    for (criterion, item), rows in answers.groupby(["criterion", "item"], sort=False):
        prompt = rows["prompt"].iloc[0]
        body = []
        for row in rows.to_dict("records"):
            points = marks.get(row["annotator"], criterion, item, article_id=row["article_id"]) if marks else None
            answer = row["answer"] or ""
            body.append(
                f"<tr><td>{escape(names.get(row['annotator'], row['annotator']))}</td>"
                f'<td class="answer">{escape(answer) if answer else "<span class=empty>(no answer)</span>"}</td>'
                f"<td>{escape(row['details'])}</td><td class=n>{'' if points is None else points}</td></tr>"
            )
        parts.append(
            f"<h3>{escape(criterion.replace('_', ' '))}: {escape(prompt)}</h3>"
            f"<table><tr><th>student</th><th>answer</th><th>details</th><th>mark</th></tr>{''.join(body)}</table>"
        )
    return "\n".join(parts)


def class_report(view: ClassView, *, marks: Marks | None = None, anonymous: bool = False) -> str:
    """The class report as one HTML page.

    Parameters
    ----------
    view
        The class (:func:`annotkit.classroom.open_class`).
    marks
        The teacher's rubric marks, to show and to grade with.
    anonymous
        Show "Student 1", "Student 2" ... instead of names, and leave out the grades.

    Returns
    -------
    str

    >>> import annotkit
    >>> from annotkit.classroom import open_class
    >>> page = class_report(open_class(annotkit.data_path("sample_class")), anonymous=True)
    >>> "Student 1" in page, "Aisha" in page
    (True, False)
    """
    names = _names(view, anonymous)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"<h1>{escape(view.article.title or 'Class report')}</h1>",
        f'<p class="small">{len(view.students)} students · made {now} by annotkit'
        + (" · anonymised for the class" if anonymous else " · <b>names and grades: keep it private</b>")
        + "</p>",
        "<h2>Who has handed in, and how far</h2>",
        _progress_section(view, names),
    ]
    if not anonymous and len(view.problems):
        parts += ["<h2>Files to sort out</h2>", html_table(view.problems[["submission", "problem"]])]
    if view.scores is not None and len(view.scores):
        shown = view.scores.set_index("annotator")[
            ["actor_f1_overlap", "claim_f1_overlap", "attribution_accuracy", "stance_accuracy"]
        ]
        shown.columns = ["actors", "claims", "who said it", "stances"]
        shown.index = [names.get(a, a) for a in shown.index]
        parts += [
            '<h2>Agreement with the key <span class="formative">formative</span></h2>',
            '<p class="small">One reading of the article: many key items are debatable. Use these figures to see '
            "what to teach next, not as the grade.</p>",
            heatmap_svg(shown.sort_index(), title="Scores against the answer key (overlap matching)"),
        ]
    parts += [
        "<h2>Where the class disagrees</h2>",
        '<p class="small">The same words, or the same actor, read differently: good questions for a discussion.</p>',
        html_table(view.disagreements, numeric=("students", "split")),
        "<h2>The thinking: rationales by actor, reflections by question</h2>",
        _thinking_section(view, names, marks),
    ]
    if marks is not None and not anonymous:
        from .grades import grade_table
        from .rubric import thinking_scores

        marked = thinking_scores(view.answers, marks, students=view.students)
        grades = grade_table(view.scores, marked, names=view.names)
        parts += [
            "<h2>Grades</h2>",
            html_table(grades, numeric=tuple(c for c in grades.columns if c not in ("student", "name"))),
        ]
    title = escape(f"Class report: {view.article.title}")
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    )
