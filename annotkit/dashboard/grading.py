"""The grading view: each question's answers from the whole class side by side, marked from the keyboard.

A "question" is one actor's perspective rationale (every student's reason for that actor's stance) or one
reflection question. The teacher moves with the arrow keys and presses a level's number; the mark is saved in
the marks file at once (:class:`annotkit.rubric.Marks`) and the view moves on to the next student.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from ..rubric import Marks, RubricError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GradingView"]

STATIC = Path(__file__).parent / "static"


class GradingView(anywidget.AnyWidget):
    """Mark the answers the rubric grades, question by question, with the keyboard or the mouse.

    Parameters
    ----------
    answers
        The answers (:func:`annotkit.rubric.thinking`).
    marks
        Where marks are saved (:func:`annotkit.rubric.open_marks`).
    names
        The name to show for each annotator; default the annotator.
    anonymous
        Show "Student 1", "Student 2" ... instead of names (blind marking).

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> from annotkit.rubric import THINKING_COLUMNS, open_marks
    >>> answers = pd.DataFrame([["ana", "a1", "rationale", "joe biden", "Joe Biden", "He says so.", ""]],
    ...                        columns=THINKING_COLUMNS)
    >>> view = GradingView(answers, open_marks(Path(tempfile.mkdtemp()) / "m.json"))
    >>> view.mark(0, 0, 2)  # what pressing "2" on the first answer does
    >>> view.marks.get("ana", "rationale", "joe biden", article_id="a1"), view.status
    (2, 'Saved: 2 (supported) for ana on “Joe Biden”.')
    """

    _esm = STATIC / "grading.js"
    _css = STATIC / "grading.css"

    criteria: traitlets.List[Any] = traitlets.List().tag(sync=True)
    questions: traitlets.List[Any] = traitlets.List().tag(sync=True)
    question = traitlets.Int(0).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        answers: pd.DataFrame,
        marks: Marks,
        *,
        names: Mapping[str, str] | None = None,
        anonymous: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.marks = marks
        self._rubric = marks.rubric
        self._names = dict(names or {})
        self._anonymous = anonymous
        self.criteria = [
            {
                "id": c.id,
                "title": c.title,
                "levels": [{"points": v.points, "label": v.label, "description": v.description} for v in c.levels],
            }
            for c in self._rubric.criteria
        ]
        self._rows: list[list[dict[str, Any]]] = []
        self.load(answers)
        self.on_msg(self._on_message)

    def load(self, answers: pd.DataFrame) -> None:
        """Show these answers (after the class handed in more), keeping the question on screen if it is still there."""
        shown = self.questions[self.question]["item"] if self.questions else None
        students = sorted(set(answers["annotator"]))
        alias = {a: f"Student {i + 1}" for i, a in enumerate(students)}
        self._rows, questions = [], []
        ids = self._rubric.ids
        for (criterion, item), rows in answers.groupby(["criterion", "item"], sort=False):
            if criterion not in ids:
                continue
            records = rows.to_dict("records")
            self._rows.append(records)
            questions.append(
                {
                    "criterion": criterion,
                    "item": item,
                    "title": self._rubric.criterion(criterion).title,
                    "prompt": records[0]["prompt"],
                    "answers": [self._answer(r, alias) for r in records],
                }
            )
        self.questions = questions
        position = next((i for i, q in enumerate(questions) if q["item"] == shown), 0)
        self.question = min(position, max(0, len(questions) - 1))

    def _answer(self, row: Mapping[str, Any], alias: Mapping[str, str]) -> dict[str, Any]:
        annotator = row["annotator"]
        points = self.marks.get(annotator, row["criterion"], row["item"], article_id=row["article_id"])
        level = next((v for v in self._rubric.criterion(row["criterion"]).levels if v.points == points), None)
        who = alias[annotator] if self._anonymous else self._names.get(annotator, annotator)
        return {
            "who": who,
            "answer": row["answer"],
            "details": row["details"],
            "points": points,
            "label": level.label if level else "",
        }

    def mark(self, question: int, answer: int, points: int | None) -> None:
        """Give one answer a level (None clears it), as pressing a number key on it does; saved at once."""
        try:
            row = self._rows[question][answer]
        except IndexError:
            self.status = "That answer is not on the list any more: the class view was refreshed."
            return
        try:
            self.marks.set(row["annotator"], row["criterion"], row["item"], points, article_id=row["article_id"])
        except RubricError as error:
            self.status = str(error)
            return
        questions = [dict(q) for q in self.questions]
        entry = dict(questions[question]["answers"][answer])
        level = next((v for v in self._rubric.criterion(row["criterion"]).levels if v.points == points), None)
        entry.update(points=points, label=level.label if level else "")
        questions[question]["answers"] = [*questions[question]["answers"]]
        questions[question]["answers"][answer] = entry
        self.questions = questions
        what = "Cleared the mark" if points is None else f"Saved: {points} ({entry['label']})"
        self.status = f"{what} for {entry['who']} on “{questions[question]['prompt']}”."

    def _on_message(self, _widget: Any, content: Mapping[str, Any], _buffers: Any) -> None:
        if content.get("type") == "mark":
            points = content.get("points")
            self.mark(int(content["question"]), int(content["answer"]), None if points is None else int(points))
