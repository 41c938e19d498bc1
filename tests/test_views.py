"""Read-only views: the article, comparisons with classmates found by name, the speaker chart; nothing cut off,
everything escaped. (The browser checks that nothing is cut off are in tests/browser/test_check.py.)
"""

import html
import re

import pytest
from matplotlib.figure import Figure

import annotkit
from annotkit import AnnotationError
from annotkit.records import annotations_frame
from annotkit.widgets import (
    article_html,
    compare_html,
    find_classmates,
    show_comparison,
    speaker_chart,
    speaker_words,
)

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
    assert cells and all("white-space: normal" in c and "overflow-wrap: break-word" in c for c in cells)
    assert "text-overflow" not in page and "nowrap" not in page and "overflow: hidden" not in page


def test_show_comparison_shows_the_same_page():
    shown = show_comparison(ARTICLE, {"me": MINE}, class_work=CLASS, classmates="Jamal")
    assert shown.data == compare_html(ARTICLE, {"me": MINE}, class_work=CLASS, classmates="Jamal")


# --- moved from test_widgets.py -------------------------------------------------------------------

SCHEME = annotkit.load_scheme()
SMALL = annotkit.Article.from_text(
    "Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild. Critics led by Tomás Vega called the plan "
    "costly. José Peña agreed with the critics."
)


@pytest.fixture
def small():
    return SMALL


@pytest.fixture(scope="module")
def key(bundled):
    return annotkit.load_key(bundled)


HOSTILE_TEXT = (
    'Hack Test\n\nMayor <img src=x onerror=alert(1)> Ana Ruiz said "<script>alert(1)</script> we rebuild" & more.'
)


def frame(article, *tags, layer="actor"):
    """An annotation frame from (words, label) or (words, label, occurrence, source-specific id) tags."""
    rows = []
    for n, (words, label, *occurrence) in enumerate(tags):
        start, end = where(article, words, *occurrence)
        rows.append(
            {"annotation_id": f"t{n}", "layer": layer, "label": label, "start": start, "end": end, "text": words}
        )
    return annotations_frame(rows)


def test_article_html_escapes_the_article_text():
    article = annotkit.Article.from_text(HOSTILE_TEXT)
    tags = frame(article, ("Mayor <img src=x onerror=alert(1)> Ana Ruiz", "official"), ("alert(1)", "<b>x</b>", 2))
    for page in (article_html(article), article_html(article, tags)):
        assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;script&gt;" in page
        assert "<img" not in page and "<script" not in page and "<b>" not in page


def test_article_html_is_deterministic(bundled, key):
    assert article_html(bundled, key) == article_html(bundled, key.copy())
    assert article_html(bundled, key, layer="claim", paragraphs=[3, 4]) == article_html(
        bundled, key.copy(), layer="claim", paragraphs=[3, 4]
    )


def test_article_html_nests_overlapping_tags(small):
    tags = frame(small, ("Mayor Ana Ruiz", "official"), ("Ana Ruiz", "public_or_civil_society"))
    page = article_html(small, tags)
    assert 'data-label="official"' in page and 'data-label="public_or_civil_society"' in page
    assert ">Official<" in page and ">Public or civil society<" in page
    inner = re.search(r'<mark data-label="official"[^>]*>(?:(?!</mark>).)*<mark data-label="public_or_civil', page)
    assert inner, "the inner tag is not drawn inside the outer one"
    assert re.sub("<[^>]+>", "", page).count("Ana Ruiz") == 1  # the words are shown once


def test_article_html_lists_orphans(small):
    tags = annotations_frame(
        [
            {"layer": "actor", "label": "official", "start": 18, "end": 32, "text": "Mayor Ana Ruiz", "status": "ok"},
            {"layer": "actor", "label": "official", "text": "Tomás <Vega>", "status": "orphaned"},
        ]
    )
    page = article_html(small, tags)
    assert "Not found in this version of the text" in page and "“Tomás &lt;Vega&gt;”" in page


def test_compare_html_gives_a_verdict_per_place(small):
    mine = frame(
        small,
        ("Mayor Ana Ruiz", "official"),
        ("Critics", "public_or_civil_society"),
        ("Tomás Vega", "official"),
        ("José Peña", "public_or_civil_society"),
    )
    key = frame(
        small,
        ("Mayor Ana Ruiz", "official"),
        ("Critics led by Tomás Vega", "public_or_civil_society"),
        ("José Peña", "public_or_civil_society"),
    )
    classmate = frame(
        small, ("Mayor Ana Ruiz", "official"), ("Critics", "public_or_civil_society"), ("José Peña", "media")
    )
    page = compare_html(small, {"me": mine, "key": key, "<i>Ana</i>": classmate})
    # Tags are one row when they share at least half their words (annotkit.overlap, as in Check my work):
    # "Critics" (1 of 5 words) and "Tomás Vega" (2 of 5) are not the key's "Critics led by Tomás Vega".
    assert re.findall(r'data-verdict="(\w+)"', page) == ["agree", "missing", "missing", "missing", "label"]
    assert "&lt;i&gt;Ana&lt;/i&gt;" in page and "<i>" not in page

    wider = frame(small, ("Mayor Ana Ruiz", "official"), ("Critics led by Tomás", "public_or_civil_society"))
    page = compare_html(small, {"me": wider, "key": key, "Ana": classmate.iloc[[0]]})
    assert re.findall(r'data-verdict="(\w+)"', page) == ["agree", "missing", "missing"]
    page = compare_html(small, {"me": wider, "key": key})
    assert re.findall(r'data-verdict="(\w+)"', page) == ["agree", "boundary", "missing"]
    assert "≈ same label, different words" in page and "○ missing for some" in page


def test_compare_html_escapes_tag_text():
    article = annotkit.Article.from_text(HOSTILE_TEXT)
    tags = frame(article, ("<script>alert(1)</script>", "official"))
    page = compare_html(article, {"me": tags, "key": tags})
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert re.findall(r'data-verdict="(\w+)"', page) == ["agree"]


def bars(axis):
    """Bar lengths by label of a horizontal bar chart."""
    labels = [tick.get_text() for tick in axis.get_yticklabels()]
    return dict(zip(labels, [patch.get_width() for patch in axis.patches], strict=True))


def test_speaker_chart_shows_words_quoted_per_speaker(bundled, key):
    words = speaker_words(bundled)
    assert words.sum() == bundled.quotes["text"].str.split().str.len().sum()
    figure = speaker_chart(bundled)
    assert isinstance(figure, Figure) and len(figure.axes) == 1
    assert bars(figure.axes[0]) == words.head(12).to_dict()
    assert len(speaker_chart(bundled, key[key["layer"] == "actor"]).axes) == 1  # no perspectives: one panel

    figure = speaker_chart(bundled, key)
    assert len(figure.axes) == 2
    by_stance = bars(figure.axes[1])
    assert sum(by_stance.values()) == words.sum()
    assert set(by_stance) <= {*SCHEME.layer("perspective").attribute("stance").values, "no stance given"}


def test_speaker_chart_shows_itself_as_a_picture_without_pyplot(bundled):
    png = speaker_chart(bundled)._repr_png_()
    assert png.startswith(b"\x89PNG")


def test_speaker_words_count_only_somebodys_words():
    article = annotkit.Article.from_text(
        'Bridge Vote\n\nThe so-called "red line" was crossed, and the "Ravens" left. "We will rebuild the bridge '
        'this year," said Mayor Ana Ruiz.'
    )
    assert set(article.quotes["kind"]) >= {"quotation", "scare quote"}  # the article has both kinds
    assert speaker_words(article).to_dict() == {"Ana Ruiz": 7}
