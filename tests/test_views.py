"""Read-only views: paragraph numbers, comparisons with classmates found by name, nothing cut off, all escaped.

(The older view tests live in test_widgets.py; the browser checks that nothing is cut off are in
tests/browser/test_check.py.)
"""

import html
import re

import pytest

import annotkit
from annotkit import AnnotationError
from annotkit.records import annotations_frame
from annotkit.widgets import article_html, compare_html, find_classmates, show_comparison

TEXT = (
    "Storm Hits Coast\n\n"
    "Mayor Ana Ruiz said the city would rebuild. Police closed the road.\n\n"
    "Critics led by Tomás Vega called the plan costly. José Peña agreed.\n\n"
    "Residents met on Friday."
)
ARTICLE = annotkit.Article.from_text(TEXT)
HOSTILE = "<img src=x onerror=alert(1)>"


def where(article, words, occurrence=1):
    at = -1
    for _ in range(occurrence):
        at = article.text.index(words, at + 1)
    return at, at + len(words)


def tags(annotator, *items, layer="actor"):
    rows = []
    for n, (words, label, *attributes) in enumerate(items):
        start, end = where(ARTICLE, words)
        row = {"annotation_id": f"{annotator}{n}", "annotator": annotator, "layer": layer, "label": label}
        row.update(start=start, end=end, text=words, **(attributes[0] if attributes else {}))
        rows.append(row)
    return annotations_frame(rows)


def stances(annotator, **by_actor):
    rows = [
        {"annotation_id": f"{annotator}-{entity}", "annotator": annotator, "layer": "perspective",
         "label": "perspective", "entity": entity, **values}
        for entity, values in by_actor.items()
    ]  # fmt: skip
    return annotations_frame(rows)


MINE = tags("me", ("Mayor Ana Ruiz", "official"), ("Police", "military_or_security"), ("Residents", "other"))
KEY = tags("key", ("Mayor Ana Ruiz", "official"), ("Tomás Vega", "public_or_civil_society"))
CLASS = annotations_frame(
    [
        *tags("Jamal", ("Ana Ruiz", "official"), ("José Peña", "media")).to_dict("records"),
        *tags("Ingrid", ("Police", "official")).to_dict("records"),
        *tags("Anna", ("Critics", "public_or_civil_society")).to_dict("records"),
    ]
)


def verdicts(page):
    return re.findall(r'data-verdict="(\w+)"', page)


def header(page):
    return [html.unescape(h) for h in re.findall(r"<th style=\"[^\"]*\">(.*?)</th>", page)]


# --- paragraph numbers -------------------------------------------------------------------------------


def test_the_article_shows_its_paragraph_numbers_in_the_margin():
    page = article_html(ARTICLE, MINE)
    assert re.findall(r'data-paragraph="(\d+)"', page) == ["0", "1", "2", "3"]
    assert re.findall(r'<span title="paragraph (\d+)"[^>]*>(\d+)</span>', page) == [(str(n), str(n)) for n in range(4)]
    part = article_html(ARTICLE, MINE, paragraphs=[2, 3])
    assert re.findall(r'data-paragraph="(\d+)"', part) == ["2", "3"]
    assert "Mayor" not in part


def test_the_bundled_articles_numbers_are_those_of_article_paragraphs(bundled):
    page = article_html(bundled, paragraphs=[7, 8, 9])
    assert re.findall(r'data-paragraph="(\d+)"', page) == ["7", "8", "9"]
    assert "Jen Psaki explained" in html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_comparison_row_says_its_paragraph():
    page = compare_html(ARTICLE, {"me": MINE, "key": KEY})
    assert re.findall(r'data-paragraph="(\d+)"', page) == ["1", "1", "2", "3"]
    assert header(page)[:2] == ["¶", "verdict"]


def test_a_comparison_of_some_paragraphs_keeps_only_their_tags():
    page = compare_html(ARTICLE, {"me": MINE, "key": KEY}, paragraphs=[1])
    assert re.findall(r'data-paragraph="(\d+)"', page) == ["1", "1"]
    assert verdicts(page) == ["agree", "missing"]
    with pytest.raises(AnnotationError, match="The article has no paragraph 7"):
        compare_html(ARTICLE, {"me": MINE}, paragraphs=[7])


# --- classmates by name --------------------------------------------------------------------------------


def test_classmates_are_found_by_name_ignoring_case_and_spaces():
    page = compare_html(ARTICLE, {"me": MINE, "key": KEY}, class_work=CLASS, classmates=["jamal", " Ingrid "])
    assert header(page) == ["¶", "verdict", "me", "key", "Jamal", "Ingrid"]
    assert "annotkit-note" not in page


def test_a_misspelt_classmate_gets_a_message_not_an_empty_column():
    page = compare_html(ARTICLE, {"me": MINE, "key": KEY}, class_work=CLASS, classmates="Jamall")
    note = html.unescape(re.search(r'<p class="annotkit-note"[^>]*>(.*?)</p>', page).group(1))
    assert note == "There is no classmate called 'Jamall'. The names are: Anna, Ingrid, Jamal. Did you mean 'Jamal'?"
    assert header(page) == ["¶", "verdict", "me", "key"]  # no empty column for a name that is not there
    assert "missing" not in verdicts(page)[:1]


def test_a_name_far_from_every_classmate_lists_the_names_without_a_guess():
    _, problems = find_classmates(CLASS, ["Zoë"])
    assert problems == ["There is no classmate called 'Zoë'. The names are: Anna, Ingrid, Jamal."]


def test_a_long_class_lists_forty_names_and_counts_the_rest():
    many = annotations_frame([{"annotator": f"student-{n:02}", "layer": "actor"} for n in range(50)])
    _, [problem] = find_classmates(many, ["studnet-07"])
    assert problem.endswith("student-38, student-39 and 10 more. Did you mean 'student-07'?")


def test_classmates_need_the_class():
    with pytest.raises(AnnotationError) as raised:
        compare_html(ARTICLE, {"me": MINE}, classmates=["Jamal"])
    assert str(raised.value) == (
        "To add classmates by name, give the class's work too: class_work=... (from annotkit.read_submissions)."
    )


def test_someone_with_nothing_here_is_said_so():
    page = compare_html(ARTICLE, {"me": MINE, "key": KEY}, class_work=CLASS, classmates="Anna", paragraphs=[1])
    assert "Anna has no actor tags here." in html.unescape(page)


# --- escaped, and never cut off ----------------------------------------------------------------------


def test_names_and_messages_are_escaped():
    hostile_class = annotations_frame([{**CLASS.iloc[0].to_dict(), "annotator": HOSTILE}])
    page = compare_html(ARTICLE, {"me": MINE, HOSTILE: KEY}, class_work=hostile_class, classmates=[f"{HOSTILE}!"])
    assert "<img" not in page and html.escape(HOSTILE) in page


def test_stances_side_by_side_with_rationales_escaped():
    mine = stances("me", **{"Ana Ruiz": {"stance": "support", "frame": "economic", "rationale": f"She said {HOSTILE}"}})
    key = stances("key", **{"ana ruiz": {"stance": "oppose"}, "critics": {"stance": "oppose", "frame": "political"}})
    page = compare_html(ARTICLE, {"me": mine, "key": key}, layer="perspective")
    assert verdicts(page) == ["stance", "missing"]
    assert header(page) == ["actor", "verdict", "me", "key"]
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "Support · Economic" in text and "Oppose · Political" in text and f"She said {HOSTILE}" in text
    assert "<img" not in page


def test_cells_wrap_and_nothing_is_cut_off():
    page = compare_html(ARTICLE, {"me": MINE, "key": KEY}, class_work=CLASS, classmates="Jamal")
    cells = re.findall(r"<t[dh] style=\"([^\"]*)\"", page)
    assert cells and all("white-space: normal" in c and "overflow-wrap: anywhere" in c for c in cells)
    assert "text-overflow" not in page and "nowrap" not in page and "overflow: hidden" not in page


def test_show_comparison_shows_the_same_page():
    shown = show_comparison(ARTICLE, {"me": MINE}, class_work=CLASS, classmates="Jamal")
    assert shown.data == compare_html(ARTICLE, {"me": MINE}, class_work=CLASS, classmates="Jamal")
