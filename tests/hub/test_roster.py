"""The class list, names from hand-ins, and the anonymised class for lesson 05."""

from __future__ import annotations

import pandas as pd
import pytest

import annotkit
from annotkit.classroom import open_class
from annotkit.roster import RosterError, anonymise, class_names, name_from_file, read_roster


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("login,name\nana,Ana Ruiz\n", [("ana", "Ana Ruiz")]),
        ("Username;First Name;Last Name\nana;Ana;Ruiz\n", [("ana", "Ana Ruiz")]),  # semicolons: European Excel
        ("\ufeffEmail Address,Student\nana@school.org,Ana\n", [("ana@school.org", "Ana")]),  # BOM; email as login
        ("login,name\nana,\n\n", [("ana", "ana")]),  # no name: the login
    ],
)
def test_read_roster_recognises_the_usual_headers(tmp_path, text, expected):
    path = tmp_path / "class.csv"
    path.write_text(text, encoding="utf-8")
    assert list(read_roster(path)[["annotator", "name"]].itertuples(index=False, name=None)) == expected


def test_a_windows_spreadsheet_roster_loads(tmp_path):
    path = tmp_path / "class.csv"
    path.write_bytes("login,name\nzoe,Zoë Müller\n".encode("cp1252"))
    assert read_roster(path)["name"].tolist() == ["Zoë Müller"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,section\nAna,3\n", "has no column of hub logins. Add one called 'login'"),
        ("login,name\nana,Ana\nana,Ana R\n", "has the same login more than once: ana. Keep one row each."),
        ("", "is empty"),
    ],
)
def test_a_roster_that_cannot_be_used_says_why(tmp_path, text, message):
    path = tmp_path / "class.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match=message):
        read_roster(path)


def test_a_missing_roster(tmp_path):
    with pytest.raises(RosterError, match="There is no class list at"):
        read_roster(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ana_ruiz.json", "Ana Ruiz"), ("Ben-Okafor (2).json", "Ben Okafor"), ("my_work.json", ""), ("2024.json", "")],
)
def test_names_from_file_names(name, expected):
    assert name_from_file(name) == expected


def test_class_names_prefer_the_roster_then_the_notebook_then_the_file_name():
    files = pd.DataFrame(
        {
            "submission": ["s1/ana_ruiz.json", "s2/my_work.json", "s3/cai.json"],
            "annotator": ["s1", "s2", "s3"],
            "student_name": [pd.NA, "Ben Okafor", pd.NA],
            "exported": ["1", "2", "3"],
        }
    )
    names = class_names(files).set_index("annotator")
    assert names.loc["s1", ["name", "source"]].tolist() == ["Ana Ruiz", "file name"]
    assert names.loc["s2", ["name", "source"]].tolist() == ["Ben Okafor", "notebook"]
    roster = pd.DataFrame({"annotator": ["s3", "s4"], "name": ["Cai Wong", "Dee Absent"]})
    joined = class_names(files, roster).set_index("annotator")
    assert joined.loc["s3", ["name", "source"]].tolist() == ["Cai Wong", "roster"]
    assert joined.loc["s4", "name"] == "Dee Absent"  # on the list, nothing handed in: still listed


def test_the_anonymised_class_names_nobody_and_keeps_the_links():
    view = open_class(annotkit.data_path("sample_class"))
    names = view.names["name"].tolist()
    frame = anonymise(view.annotations, names=names)
    written = frame[["annotation_id", "annotator", "rationale", "evidence"]].to_csv(index=False)
    assert not [name for name in names if name in written]
    assert sorted(set(frame["annotator"]), key=lambda s: int(s.split()[1])) == [f"Student {i}" for i in range(1, 25)]
    assert "submission" not in frame and frame["annotation_id"].is_unique
    # The same salt, the same numbers; another salt, another order.
    assert anonymise(view.annotations, names=names)["annotator"].tolist() == frame["annotator"].tolist()
    assert anonymise(view.annotations, salt="x")["annotator"].tolist() != frame["annotator"].tolist()


def test_evidence_links_follow_the_new_ids():
    frame = pd.DataFrame(
        {
            "annotation_id": ["ana-c1", "ana-c2", "ana-p1"],
            "annotator": ["ana"] * 3,
            "layer": ["claim", "claim", "perspective"],
            "evidence": [pd.NA, pd.NA, "ana-c2;ana-c1"],
        }
    )
    out = anonymise(frame)
    assert out["annotation_id"].tolist() == ["s1-1", "s1-2", "s1-3"] and out.loc[2, "evidence"] == "s1-2;s1-1"


def test_names_typed_into_notes_and_rationales_are_blanked():
    frame = pd.DataFrame(
        {
            "annotation_id": ["a-1"],
            "annotator": ["ana"],
            "layer": ["perspective"],
            "note": ["Ben and I argued"],
            "rationale": ["ANA thinks Ben is right"],
            "evidence": [pd.NA],
        }
    )
    out = anonymise(frame, names=["Ben"])
    assert out.loc[0, "note"] == "… and I argued" and out.loc[0, "rationale"] == "… thinks … is right"
    # ... but a name that is a word of the article (an actor) stays.
    frame["entity"], frame["rationale"] = ["Behnam Ben Taleblu"], ["Ben Taleblu doubts it"]
    assert anonymise(frame, names=["Ben"]).loc[0, "rationale"] == "Ben Taleblu doubts it"
