"""The class list: who is who, from a roster CSV or from the hand-ins themselves, and a class without names.

A hand-in is filed under its annotator (the hub login, or ``$ANNOTKIT_ANNOTATOR``); people and learning
platforms know students by name, email or a school id. A roster joins the two. Without one, a student's name
comes from the name they typed in their notebook (``student_name`` in the hand-in), else from the file's name
(``ana_ruiz.json`` gives "Ana Ruiz").
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ._cells import cell_text
from .errors import AnnotkitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ROSTER_COLUMNS", "RosterError", "anonymise", "class_names", "name_from_file", "read_roster"]

#: Columns of :func:`read_roster`, and the headers each is recognised by (case and spaces ignored).
ROSTER_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "annotator": ("annotator", "login", "username", "user", "hub login", "jupyterhub user", "handle"),
    "name": ("name", "student", "student name", "full name", "display name"),
    "first_name": ("first name", "firstname", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "email address", "e-mail", "mail"),
    "student_id": ("id", "student id", "canvas id", "user id", "id number", "idnumber"),
    "sis_user_id": ("sis user id",),
    "sis_login_id": ("sis login id",),
    "section": ("section", "class", "period", "group"),
}


class RosterError(AnnotkitError, ValueError):
    """A roster file that cannot be used."""


def _header(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.replace("\ufeff", "")).strip().casefold()


def read_roster(path: str | Path) -> pd.DataFrame:
    r"""Read a class list (CSV) into the columns of :data:`ROSTER_COLUMNS`.

    The file needs a column with the students' hub logins (``login``, ``username`` or ``annotator``) and their
    names (``name``, or ``first name`` and ``last name``); email, ids and section are optional. Headers are
    recognised whatever their case; other columns are ignored.

    Raises
    ------
    RosterError
        Saying which column is missing, or which login appears twice.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "class.csv"
    >>> _ = path.write_text("Login,First name,Last name,Email\nana,Ana,Ruiz,ana@school.org\n", encoding="utf-8")
    >>> read_roster(path)[["annotator", "name", "email"]].values.tolist()
    [['ana', 'Ana Ruiz', 'ana@school.org']]
    """
    import pandas as pd

    path = Path(path).expanduser()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        msg = f"There is no class list at {path}. Check the path, or export the list from your school's system as CSV."
        raise RosterError(msg) from None
    except UnicodeDecodeError:
        text = path.read_bytes().decode("cp1252", errors="replace")  # spreadsheets on Windows save this way
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        msg = f"The class list {path} is empty. It needs a header row, then one row per student."
        raise RosterError(msg)
    known = {alias: column for column, aliases in ROSTER_COLUMNS.items() for alias in aliases}
    positions: dict[str, int] = {}
    for index, header in enumerate(rows[0]):
        column = known.get(_header(header))
        if column and column not in positions:
            positions[column] = index
    if "annotator" not in positions:
        if "email" in positions:
            positions["annotator"] = positions["email"]  # schools that log in to the hub with an email address
        else:
            msg = (
                f"The class list {path} has no column of hub logins. Add one called 'login' (the name each student "
                f"logs in to the hub with). Its columns are: {', '.join(rows[0])}."
            )
            raise RosterError(msg)
    records = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        cell = {c: (row[i].strip() if i < len(row) else "") for c, i in positions.items()}
        if not cell.get("name"):
            cell["name"] = " ".join(p for p in (cell.get("first_name", ""), cell.get("last_name", "")) if p)
        records.append(cell)
    frame = pd.DataFrame(records, columns=list(ROSTER_COLUMNS), dtype=object).fillna("").astype("string")
    frame = frame[frame["annotator"] != ""]
    twice = sorted(set(frame.loc[frame["annotator"].duplicated(), "annotator"]))
    if twice:
        msg = f"The class list {path} has the same login more than once: {', '.join(twice)}. Keep one row each."
        raise RosterError(msg)
    frame.loc[frame["name"] == "", "name"] = frame.loc[frame["name"] == "", "annotator"]
    return frame.reset_index(drop=True)


def name_from_file(path: str | Path) -> str:
    """A student's name guessed from their hand-in's file name.

    >>> name_from_file("inbox/ana_ruiz.json"), name_from_file("Ben-Okafor (2).json"), name_from_file("my_work.json")
    ('Ana Ruiz', 'Ben Okafor', '')
    """
    stem = re.sub(r"\s*\(\d+\)$", "", Path(str(path)).stem)  # "name (2).json": a second download
    words = [w for w in re.split(r"[\s_\-.]+", stem) if w and not w.isdigit()]
    if not words or [w.lower() for w in words] in (["my", "work"], ["submission"], ["work"], ["hand", "in"]):
        return ""
    return " ".join(w[:1].upper() + w[1:] for w in words)


def class_names(submissions: pd.DataFrame, roster: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per student: ``annotator`` and the ``name`` to show, and where it came from.

    The name comes from the roster, else the name the student typed (``student_name`` in their hand-in), else
    the hand-in's file name, else the annotator.

    Parameters
    ----------
    submissions
        ``Submissions.submissions`` (``submission, annotator``, and ``student_name`` when the files have it).
    roster
        :func:`read_roster`'s frame, or None.

    Returns
    -------
    pandas.DataFrame
        ``annotator, name, source`` (``roster``, ``notebook``, ``file name`` or ``login``), plus the roster's
        other columns when one is given; students on the roster who handed in nothing are listed too.

    >>> import pandas as pd
    >>> handed = pd.DataFrame({"submission": ["ana_ruiz.json"], "annotator": ["s1"]})
    >>> class_names(handed)[["annotator", "name", "source"]].values.tolist()
    [['s1', 'Ana Ruiz', 'file name']]
    """
    import pandas as pd

    rank = {"login": 0, "file name": 1, "notebook": 2}
    found: dict[str, tuple[str, str]] = {}
    rows = submissions.sort_values("exported") if "exported" in submissions else submissions
    for row in rows.to_dict("records"):  # oldest first: a later file's name replaces an earlier one's
        annotator = str(row["annotator"])
        typed = cell_text(row.get("student_name")).strip()
        guessed = name_from_file(str(row.get("submission", "")))
        if typed:
            candidate = (typed, "notebook")
        elif guessed:
            candidate = (guessed, "file name")
        else:
            candidate = (annotator, "login")
        if annotator not in found or rank[candidate[1]] >= rank[found[annotator][1]]:
            found[annotator] = candidate
    frame = pd.DataFrame([(a, n, s) for a, (n, s) in sorted(found.items())], columns=["annotator", "name", "source"])
    if roster is None or roster.empty:
        return frame
    listed = roster.rename(columns={"name": "roster_name"})
    joined = frame.merge(listed, on="annotator", how="outer")
    on_roster = joined["roster_name"].fillna("").astype(str) != ""
    joined.loc[on_roster, "name"] = joined.loc[on_roster, "roster_name"]
    joined.loc[on_roster, "source"] = "roster"
    joined["source"] = joined["source"].fillna("roster")
    return joined.drop(columns="roster_name").sort_values("annotator").reset_index(drop=True)


def _alias(annotator: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\0{annotator}".encode()).hexdigest()


def anonymise(annotations: pd.DataFrame, *, salt: str = "", names: Iterable[str] = ()) -> pd.DataFrame:
    """A class's annotations with every student renamed "Student 1", "Student 2" ..., for a class discussion.

    The order is shuffled by a hash (with ``salt``), so numbers do not follow the alphabet; annotation ids (which
    may hold a name) are replaced, and evidence links follow them. Words a student typed (notes, rationales)
    are kept for the discussion, but every name in ``names`` (and each annotator) is blanked out of them, unless
    the article itself has that word (an actor called "Ben Taleblu" stays whole when a student is called Ben).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"annotation_id": ["ana-1"], "annotator": ["ana"], "layer": ["perspective"],
    ...                       "rationale": ["ana thinks so"], "evidence": [pd.NA], "submission": ["ana.json"]})
    >>> anonymise(frame)[["annotation_id", "annotator", "rationale"]].values.tolist()
    [['s1-1', 'Student 1', '… thinks so']]
    """
    import pandas as pd

    frame = annotations.copy()
    people = sorted(set(frame["annotator"].astype(str)), key=lambda a: _alias(a, salt))
    alias = {a: f"Student {i + 1}" for i, a in enumerate(people)}
    ids: dict[str, str] = {}
    counters: dict[str, int] = {}
    pairs = zip(frame["annotation_id"].astype(str), frame["annotator"].astype(str), strict=True)
    for annotation_id, annotator in pairs:
        counters[annotator] = counters.get(annotator, 0) + 1
        ids[annotation_id] = f"s{alias[annotator].split()[-1]}-{counters[annotator]}"
    frame["annotation_id"] = frame["annotation_id"].astype(str).map(ids)
    frame["annotator"] = frame["annotator"].astype(str).map(alias)
    if "evidence" in frame:
        frame["evidence"] = [
            pd.NA if not isinstance(v, str) else ";".join(ids.get(i, i) for i in v.split(";") if i)
            for v in frame["evidence"]
        ]
    # A student called Ben must not blank out "Behnam Ben Taleblu": words of the article itself stay.
    article_words = " ".join(
        v for column in ("text", "entity", "said_by") if column in frame for v in frame[column] if isinstance(v, str)
    ).casefold()
    hidden = sorted(
        (
            n
            for n in {*people, *(n for n in names if n)}
            if not re.search(rf"\b{re.escape(n.casefold())}\b", article_words)
        ),
        key=len,
        reverse=True,
    )
    if hidden:
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in hidden) + r")\b", re.IGNORECASE)
        for column in ("note", "rationale"):
            if column in frame:
                frame[column] = [pattern.sub("…", v) if isinstance(v, str) else v for v in frame[column]]
    return frame.drop(columns=[c for c in ("submission",) if c in frame]).reset_index(drop=True)
