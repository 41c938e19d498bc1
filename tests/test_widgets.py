"""The widgets students tag with (annotkit.widgets), driven from Python exactly as the browser drives them.

Browser messages are simulated with ``tagger._on_browser_message(tagger, content, [])``, the handler anywidget
calls for ``model.send(...)`` in static/tagger.js; offsets in them are UTF-16 code units, as the browser sends.
A store opened again on the same file is what a second notebook, or the same one after a kernel restart, sees.
"""

import html
import json
import re

import pandas as pd
import pytest
from matplotlib.figure import Figure

import annotkit
from annotkit import AnnotationError, load_scheme
from annotkit.records import annotations_frame
from annotkit.widgets import (
    ActorTagger,
    CheckMyWork,
    ClaimTagger,
    PerspectiveBoard,
    SpanTagger,
    article_html,
    compare_html,
    speaker_chart,
    speaker_words,
)
from annotkit.widgets.tagger import label_palette

SCHEME = load_scheme()
GREY = 8  # the palette's last colour, kept for "other" and "unsure"
SMALL_TEXT = (
    "Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild. Critics led by Tomás Vega called the plan "
    "costly. José Peña agreed with the critics."
)
INTERNATIONAL_TEXT = "Señora Ana Ñúñez 👋🏽 met Dr. Zoë Ćirić 🇺🇳 today. Zoë said hello."


# --- fixtures and helpers ------------------------------------------------------------------------------------


@pytest.fixture
def open_store(tmp_path):
    """Open a store on tmp_path / "s.sqlite" (again and again: another notebook, or after a restart)."""
    opened = []

    def opener(annotator="ana", *, scheme=None):
        store = annotkit.open_store(tmp_path / "s.sqlite", annotator=annotator, scheme=scheme)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store):
    return open_store()


@pytest.fixture
def small():
    return annotkit.Article.from_text(SMALL_TEXT)


@pytest.fixture
def international():
    return annotkit.Article.from_text(INTERNATIONAL_TEXT)


@pytest.fixture(scope="module")
def key(bundled):
    return annotkit.answer_key(bundled)


def where(article, words, occurrence=1):
    """(start, end) code-point offsets of the occurrence-th appearance of words."""
    at = -1
    for _ in range(occurrence):
        at = article.text.index(words, at + 1)
    return at, at + len(words)


def utf16(text, point):
    """The UTF-16 offset (what the browser sends) of a code-point offset."""
    return len(text[:point].encode("utf-16-le")) // 2


def send(tagger, **content):
    """What the browser does: a custom message to the widget (must never raise)."""
    tagger._on_browser_message(tagger, content, [])


def browser_select(tagger, words, label=None, occurrence=1):
    start, end = where(tagger.article, words, occurrence)
    text = tagger.article.text
    send(tagger, event="select", start=utf16(text, start), end=utf16(text, end), label=label)


def saved(open_store, article, layer=None):
    """The annotations as a fresh store object on the same file reads them (what a kernel restart sees)."""
    return open_store().annotations(article, layer=layer)


def actor_tagger(article, store, entity="someone"):
    """A bare SpanTagger on the actor layer; new tags get ``entity`` (the layer requires one)."""
    tagger = SpanTagger(article, store=store, layer="actor")
    tagger.defaults["entity"] = entity
    return tagger


def error_of(call):
    with pytest.raises(AnnotationError) as raised:
        call()
    return str(raised.value)


# --- SpanTagger: the Python API ------------------------------------------------------------------------------


def test_tag_saves_at_once_and_a_restarted_kernel_reads_it(bundled, store, open_store):
    tagger = SpanTagger(bundled, store=store, layer="actor")
    annotation_id = tagger.tag("Defense Secretary Lloyd Austin", label="official", entity="Lloyd Austin")
    rows = saved(open_store, bundled)
    assert rows[["annotation_id", "text", "label", "entity", "annotator"]].values.tolist() == [
        [annotation_id, "Defense Secretary Lloyd Austin", "official", "Lloyd Austin", "ana"]
    ]
    start, end = where(bundled, "Defense Secretary Lloyd Austin")
    assert (rows.start[0], rows.end[0]) == (start, end)
    assert tagger.status["kind"] == "info"
    assert "Defense Secretary Lloyd Austin" in tagger.status["text"]
    assert [s["id"] for s in tagger.spans] == [annotation_id]


def test_select_drops_spaces_at_either_end(small, store, open_store):
    tagger = actor_tagger(small, store)
    start, end = where(small, " Ana Ruiz ")
    tagger.select(start, end, "official")
    row = saved(open_store, small).iloc[0]
    assert row.text == "Ana Ruiz"
    assert (row.start, row.end) == (start + 1, end - 1)


@pytest.mark.parametrize(
    ("dragged", "tagged"),
    [("Biden, ", "Biden"), ('"This is a shift in mission.', "This is a shift in mission.")],
)
def test_select_drops_a_comma_or_quotation_mark_dragged_along(bundled, store, open_store, dragged, tagged):
    tagger = actor_tagger(bundled, store)
    tagger.select(*where(bundled, dragged), "official")
    assert saved(open_store, bundled).text.tolist() == [tagged]


@pytest.mark.parametrize(
    ("cut", "grown"),
    [("Aus", "Austin"), ("oyd Aus", "Lloyd Austin"), ("ustin", "Austin")],
    ids=["end-of-word", "both-ends", "start-of-word"],
)
def test_select_that_cuts_a_word_grows_to_whole_words(bundled, store, open_store, cut, grown):
    tagger = actor_tagger(bundled, store)
    start = bundled.text.index("Lloyd Austin") + "Lloyd Austin".index(cut)
    tagger.select(start, start + len(cut), "official")
    row = saved(open_store, bundled).iloc[0]
    assert row.text == grown
    assert (row.start, row.end) == where(bundled, grown)
    assert tagger.spans[0]["text"] == grown


def test_select_accepts_end_before_start(small, store, open_store):
    tagger = actor_tagger(small, store)
    start, end = where(small, "Tomás Vega")
    tagger.select(end, start, "public_or_civil_society")
    assert saved(open_store, small).text.tolist() == ["Tomás Vega"]


def test_tag_occurrence_picks_the_nth_appearance(bundled, store, open_store):
    tagger = actor_tagger(bundled, store, entity="Joe Biden")
    tagger.tag("Biden", "official", occurrence=3)
    row = saved(open_store, bundled).iloc[0]
    assert (row.start, row.end) == where(bundled, "Biden", 3)
    assert (row.start, row.end) != where(bundled, "Biden", 1)


def test_select_without_label_uses_the_toolbar_label(small, store, open_store):
    tagger = actor_tagger(small, store)
    assert tagger.active_label == SCHEME.layer("actor").label_ids[0]
    tagger.active_label = "media"
    tagger.select(*where(small, "Critics"))
    assert saved(open_store, small).label.tolist() == ["media"]


def test_words_not_in_the_article_are_refused_by_name(bundled, store):
    tagger = actor_tagger(bundled, store)
    message = error_of(lambda: tagger.tag("Donald Duck", "official"))
    assert "'Donald Duck'" in message and "do not appear" in message
    count = bundled.text.count("Biden")
    message = error_of(lambda: tagger.tag("Biden", "official", occurrence=count + 1))
    assert f"appear {count} times" in message and f"occurrence={count + 1}" in message
    assert tagger.annotations.empty


@pytest.mark.parametrize("what", ["empty", "spaces", "blank line"])
def test_empty_or_whitespace_selection_is_refused(bundled, store, what):
    tagger = actor_tagger(bundled, store)
    gap = bundled.text.index("\n\n")
    start, end = {"empty": (10, 10), "spaces": where(bundled, " ", 3), "blank line": (gap, gap + 2)}[what]
    assert not bundled.text[start:end].strip()
    message = error_of(lambda: tagger.select(start, end, "official"))
    assert "Nothing to tag" in message and "select at least one word" in message
    assert tagger.annotations.empty


def test_unknown_label_is_refused_naming_the_allowed_labels(small, store):
    tagger = actor_tagger(small, store)
    message = error_of(lambda: tagger.tag("Ana Ruiz", "mayor"))
    assert "'mayor'" in message
    for label in SCHEME.layer("actor").label_ids:
        assert label in message
    assert tagger.annotations.empty


@pytest.mark.parametrize("offsets", [(-1, 5), (0, 10**6), (10**6, 10**6 + 3)])
def test_offsets_outside_the_text_are_refused(small, store, offsets):
    tagger = actor_tagger(small, store)
    message = error_of(lambda: tagger.select(*offsets, "official"))
    assert "outside the article" in message and str(len(small.text)) in message
    assert tagger.annotations.empty


def test_a_span_tagger_refuses_the_perspective_layer(small, store):
    message = error_of(lambda: SpanTagger(small, store=store, layer="perspective"))
    assert "'perspective'" in message and "actor" in message and "claim" in message


@pytest.mark.parametrize(
    "make",
    [
        lambda a, s: SpanTagger(a, store=s),
        lambda a, s: ActorTagger(a, store=s),
        lambda a, s: ClaimTagger(a, store=s),
        lambda a, s: PerspectiveBoard(a, store=s),
        lambda a, s: CheckMyWork(a, store=s),
        lambda a, s: article_html(a),
        lambda a, s: compare_html(a, {}),
        lambda a, s: speaker_chart(a),
    ],
    ids=[
        "SpanTagger",
        "ActorTagger",
        "ClaimTagger",
        "PerspectiveBoard",
        "CheckMyWork",
        "article_html",
        "compare_html",
        "speaker_chart",
    ],
)
def test_anything_but_an_article_is_refused_saying_how_to_load_one(store, make):
    with pytest.raises(TypeError) as raised:
        make("data/articles/voa.txt", store)
    message = str(raised.value)
    assert "got str" in message
    assert "annotkit.load_bundled_article()" in message and "annotkit.load_article(" in message


def test_paragraphs_choose_what_is_shown_and_unknown_numbers_are_refused(bundled, store):
    tagger = SpanTagger(bundled, store=store, paragraphs=[2, 4])
    paragraphs = bundled.paragraphs.set_index("para_id")
    assert tagger.blocks == [[int(paragraphs.start[n]), int(paragraphs.end[n])] for n in (2, 4)]
    message = error_of(lambda: SpanTagger(bundled, store=store, paragraphs=[0, 99]))
    assert "no paragraph 99" in message and f"0 to {len(paragraphs) - 1}" in message


# --- SpanTagger: what the browser sends ----------------------------------------------------------------------


def test_a_browser_selection_is_saved(bundled, store, open_store):
    tagger = actor_tagger(bundled, store, entity="Lloyd Austin")
    browser_select(tagger, "Lloyd Austin", label="official")
    rows = saved(open_store, bundled)
    assert rows[["text", "label", "entity"]].values.tolist() == [["Lloyd Austin", "official", "Lloyd Austin"]]
    assert tagger.status["kind"] == "info" and "Lloyd Austin" in tagger.status["text"]
    assert [s["text"] for s in tagger.spans] == ["Lloyd Austin"]


def test_a_browser_selection_without_label_uses_the_toolbar_label(small, store, open_store):
    tagger = actor_tagger(small, store)
    tagger.active_label = "expert_or_think_tank"
    browser_select(tagger, "Tomás Vega", label=None)
    assert saved(open_store, small).label.tolist() == ["expert_or_think_tank"]


def test_a_browser_selection_of_a_part_word_grows_to_the_word(bundled, store, open_store):
    tagger = actor_tagger(bundled, store)
    start = bundled.text.index("Austin")
    send(tagger, event="select", start=start, end=start + 3, label="official")
    assert saved(open_store, bundled).text.tolist() == ["Austin"]


@pytest.mark.parametrize(
    ("content", "python_call", "words"),
    [
        ({"start": 4, "end": 4, "label": "official"}, lambda t: t.select(4, 4, "official"), "Nothing to tag"),
        (
            {"start": SMALL_TEXT.index(" Ana"), "end": SMALL_TEXT.index(" Ana") + 1, "label": "official"},
            lambda t: t.select(SMALL_TEXT.index(" Ana"), SMALL_TEXT.index(" Ana") + 1, "official"),
            "Nothing to tag",
        ),
        ({"start": 18, "end": 32, "label": "mayor"}, lambda t: t.select(18, 32, "mayor"), "Choose one of"),
        ({"start": 0, "end": 10**6, "label": "official"}, None, "outside the article"),
        ({"start": "a", "end": 3, "label": "official"}, None, "not a whole number"),
        ({"start": None, "end": 3, "label": "official"}, None, "not a whole number"),
    ],
    ids=["empty", "whitespace", "unknown-label", "outside", "not-a-number", "missing"],
)
def test_a_bad_browser_selection_shows_an_error_instead_of_raising(small, store, content, python_call, words):
    tagger = actor_tagger(small, store)
    send(tagger, event="select", **content)
    assert tagger.status["kind"] == "error"
    assert words in tagger.status["text"]
    if python_call is not None:  # the same words the Python API raises with
        assert tagger.status["text"] == error_of(lambda: python_call(tagger))
    assert tagger.annotations.empty
    assert tagger.spans == []


def test_each_status_message_is_new_so_the_same_error_is_announced_twice(small, store):
    tagger = actor_tagger(small, store)
    send(tagger, event="select", start=4, end=4, label="official")
    first = dict(tagger.status)
    send(tagger, event="select", start=4, end=4, label="official")
    assert tagger.status["text"] == first["text"]
    assert tagger.status != first  # a changed trait, so the browser's live region reads it out again


def test_browser_remove_relabel_and_undo(small, store, open_store):
    tagger = actor_tagger(small, store, entity="Ana Ruiz")
    browser_select(tagger, "Mayor Ana Ruiz", label="official")
    annotation_id = tagger.spans[0]["id"]

    send(tagger, event="relabel", id=annotation_id, label="media")
    assert saved(open_store, small).label.tolist() == ["media"]
    assert [s["label"] for s in tagger.spans] == ["media"]
    assert tagger.status["kind"] == "info" and "Media" in tagger.status["text"]

    send(tagger, event="relabel", id=annotation_id, label="mayor")
    assert tagger.status["kind"] == "error" and "'mayor'" in tagger.status["text"]
    assert saved(open_store, small).label.tolist() == ["media"]

    send(tagger, event="remove", id=annotation_id)
    assert saved(open_store, small).empty
    assert tagger.spans == []
    assert "Removed" in tagger.status["text"] and "Ctrl+Z" in tagger.status["text"]

    send(tagger, event="undo")  # Ctrl+Z: the removed tag comes back, still relabelled
    assert saved(open_store, small)[["annotation_id", "label"]].values.tolist() == [[annotation_id, "media"]]
    assert [s["id"] for s in tagger.spans] == [annotation_id]
    assert (tagger.status["kind"], tagger.status["text"]) == ("info", "Undid removing “Mayor Ana Ruiz” (Media).")

    send(tagger, event="undo")  # the relabelling
    assert saved(open_store, small).label.tolist() == ["official"]
    send(tagger, event="undo")  # the tag itself
    assert saved(open_store, small).empty and tagger.spans == []
    send(tagger, event="undo")
    assert tagger.status["text"] == "Nothing to undo."


def test_removing_a_tag_that_does_not_exist_shows_an_error(small, store):
    tagger = actor_tagger(small, store)
    send(tagger, event="remove", id="no-such-tag")
    assert tagger.status["kind"] == "error" and "not here any more" in tagger.status["text"]


def test_a_removed_tag_cannot_be_removed_or_relabelled_again(small, store, open_store):
    # Delete pressed twice, or a number key right after Delete, before the browser has redrawn.
    tagger = actor_tagger(small, store)
    kept = tagger.tag("Mayor Ana Ruiz", "official")
    gone = tagger.tag("Tomás Vega", "public_or_civil_society")
    send(tagger, event="remove", id=gone)
    send(tagger, event="remove", id=gone)
    assert tagger.status["kind"] == "error", f"removing a removed tag says {tagger.status['text']!r}"
    send(tagger, event="relabel", id=gone, label="media")
    assert tagger.status["kind"] == "error", f"relabelling a removed tag says {tagger.status['text']!r}"
    send(tagger, event="undo")  # brings back the removed tag
    assert [s["id"] for s in tagger.spans] == [kept, gone]
    send(tagger, event="undo")  # and then takes back tagging it: no invisible extra steps to undo
    assert [s["id"] for s in tagger.spans] == [kept], "Ctrl+Z said 'Undone.' but nothing changed"


def test_removing_the_focused_tag_clears_the_focus(small, store):
    tagger = actor_tagger(small, store)
    annotation_id = tagger.tag("Tomás Vega", "public_or_civil_society")
    tagger.focused = annotation_id
    send(tagger, event="remove", id=annotation_id)
    assert tagger.focused == ""


# --- UTF-16 at the boundary with the browser -----------------------------------------------------------------


def test_span_offsets_sent_to_the_browser_are_utf16(international, store):
    tagger = actor_tagger(international, store)
    for words in ("Ana Ñúñez", "Zoë Ćirić", "today", "Zoë said hello"):
        tagger.tag(words, "other")
    units = international.text.encode("utf-16-le")
    assert len(tagger.spans) == 4
    for span in tagger.spans:
        assert units[2 * span["start"] : 2 * span["end"]].decode("utf-16-le") == span["text"]
    today = next(s for s in tagger.spans if s["text"] == "today")
    assert today["start"] == international.text.index("today") + 4  # 👋🏽 and 🇺🇳 before it: 4 astral code points
    assert tagger.blocks == [[0, len(units) // 2]]


def test_a_browser_selection_in_utf16_stores_exactly_those_characters(international, store, open_store):
    tagger = actor_tagger(international, store, entity="Zoë Ćirić")
    text = international.text
    start, end = where(international, "Zoë Ćirić")
    assert utf16(text, start) != start  # the emoji before it make the offsets differ
    send(tagger, event="select", start=utf16(text, start), end=utf16(text, end), label="official")
    row = saved(open_store, international).iloc[0]
    assert (row.text, row.start, row.end) == ("Zoë Ćirić", start, end)
    browser_select(tagger, "Zoë", occurrence=2, label="official")
    assert saved(open_store, international).text.tolist() == ["Zoë Ćirić", "Zoë"]
    assert saved(open_store, international).start.tolist()[1] == where(international, "Zoë", 2)[0]


def test_an_offset_inside_an_emoji_rounds_outwards(international, store, open_store):
    tagger = actor_tagger(international, store)
    text = international.text
    wave = utf16(text, text.index("👋"))  # 👋 and 🏽 are two UTF-16 units each
    send(tagger, event="select", start=wave + 1, end=wave + 3, label="other")  # inside 👋 ... inside 🏽
    assert tagger.status["kind"] == "info", tagger.status
    row = saved(open_store, international).iloc[0]
    assert row.text == "👋🏽"
    assert (row.start, row.end) == where(international, "👋🏽")

    flag = utf16(text, text.index("🇺🇳"))
    send(tagger, event="select", start=flag + 1, end=flag + 1, label="other")  # a caret inside the flag's 🇺
    assert tagger.status["kind"] == "info", tagger.status
    assert saved(open_store, international).text.tolist()[-1] == "🇺"
    assert {(s["start"], s["end"]) for s in tagger.spans} == {(wave, wave + 4), (flag, flag + 2)}


# --- two notebooks, restarts, read-only views ----------------------------------------------------------------


def test_two_notebooks_on_one_store_see_each_others_tags(small, open_store):
    first = actor_tagger(small, open_store())
    second = actor_tagger(small, open_store())
    a = first.tag("Mayor Ana Ruiz", "official")
    second.refresh()
    assert [s["id"] for s in second.spans] == [a]
    b = first.tag("Tomás Vega", "public_or_civil_society")
    c = second.tag("José Peña", "public_or_civil_society")  # any action redraws from the store
    assert [s["id"] for s in second.spans] == [a, b, c]
    first.refresh()
    assert [s["id"] for s in first.spans] == [a, b, c]
    second.undo()  # this annotator's last change, made in the other notebook
    first.refresh()
    assert [s["id"] for s in first.spans] == [a, b]


def test_a_new_tagger_after_a_restart_shows_every_saved_tag(bundled, open_store):
    before = ActorTagger(bundled, store=open_store())
    ids = [
        before.tag("President Joe Biden", "official"),
        before.tag("U.S. forces", "military_or_security"),
        before.tag("Biden", "official", occurrence=2),
    ]
    before.store.close()
    after = SpanTagger(bundled, store=open_store(), layer="actor")
    assert [s["id"] for s in after.spans] == ids
    assert [s["text"] for s in after.spans] == ["President Joe Biden", "U.S. forces", "Biden"]
    assert [s["note"] for s in after.spans] == ["Joe Biden", "U.S. forces", "Joe Biden"]
    assert SpanTagger(bundled, store=open_store(), layer="claim").spans == []


def test_another_annotators_tags_are_not_shown(small, open_store):
    actor_tagger(small, open_store("ana")).tag("Mayor Ana Ruiz", "official")
    assert actor_tagger(small, open_store("ben")).spans == []


def test_read_only_shows_tags_and_refuses_every_change(small, store, open_store):
    annotation_id = actor_tagger(small, store).tag("Mayor Ana Ruiz", "official")
    view = SpanTagger(small, store=open_store(), layer="actor", read_only=True)
    assert view.read_only is True
    assert [s["id"] for s in view.spans] == [annotation_id]
    for change in (
        lambda: view.tag("Tomás Vega", "official", entity="Tomás Vega"),
        lambda: view.select(0, 5, "official", entity="x"),
        lambda: view.remove(annotation_id),
        lambda: view.relabel(annotation_id, "media"),
        view.undo,
    ):
        assert "read-only" in error_of(change)
    for event in (
        {"event": "select", "start": 0, "end": 5, "label": "official"},
        {"event": "remove", "id": annotation_id},
        {"event": "relabel", "id": annotation_id, "label": "media"},
        {"event": "undo"},
    ):
        send(view, **event)
        assert view.status["kind"] == "error" and "read-only" in view.status["text"]
    rows = saved(open_store, small)
    assert rows[["annotation_id", "label"]].values.tolist() == [[annotation_id, "official"]]


# --- orphans ----------------------------------------------------------------------------------------------


def test_tags_lost_in_a_new_version_of_the_text_are_reported_not_drawn(small, store):
    tagger = ActorTagger(small, store=store)
    kept = tagger.tag("Mayor Ana Ruiz", "official")
    tagger.tag("Tomás Vega", "public_or_civil_society")
    changed = annotkit.Article.from_text(
        SMALL_TEXT.replace("Critics led by Tomás Vega", "Some critics"), article_id=small.article_id
    )  # the same article, corrected: its tags follow it

    again = ActorTagger(changed, store=store)
    assert [s["id"] for s in again.tagger.spans] == [kept]
    assert "Tomás Vega" not in {s["text"] for s in again.tagger.spans}
    assert again.tagger.status["kind"] == "error"
    assert "Tomás Vega" in again.tagger.status["text"] and "1 of your tags" in again.tagger.status["text"]
    assert again.annotations.status.tolist() == ["ok", "orphaned"]  # kept in the store, never dropped


# --- label_palette --------------------------------------------------------------------------------------


@pytest.mark.parametrize("layer", ["actor", "claim"])
def test_every_label_has_a_number_key_and_other_and_unsure_are_grey(layer):
    spec = SCHEME.layer(layer)
    palette = label_palette(spec)
    assert [p["id"] for p in palette] == list(spec.label_ids)
    assert [p["name"] for p in palette] == [c.name for c in spec.labels]
    keys = [p["key"] for p in palette]
    assert keys == list("1234567890"[: len(palette)])
    for entry in palette:
        if entry["id"] in ("other", "unsure"):
            assert entry["color"] == GREY
        else:
            assert 0 <= entry["color"] < GREY


def test_a_tagger_shows_the_labels_of_its_layer(small, store):
    assert SpanTagger(small, store=store, layer="actor").labels == label_palette(SCHEME.layer("actor"))
    assert SpanTagger(small, store=store, layer="claim").labels == label_palette(SCHEME.layer("claim"))


def custom_scheme(tmp_path, labels):
    """The default scheme with the actor layer's labels replaced (to show nothing is hard-coded)."""
    spec = json.loads(annotkit.data_path("schemes", "default.json").read_text(encoding="utf-8"))
    spec["layers"]["actor"]["labels"] = {
        label: {"name": label.title(), "definition": f"A {label}.", "example": "x", "near_miss": "y"}
        for label in labels
    }
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return load_scheme(path)


def test_up_to_eight_labels_get_eight_different_colours(tmp_path):
    labels = ["pundit", "other", "agency", "crowd", "unsure", "militia", "court", "union", "envoy", "expert"]
    palette = label_palette(custom_scheme(tmp_path, labels).layer("actor"))
    colours = {p["id"]: p["color"] for p in palette}
    assert colours["other"] == colours["unsure"] == GREY
    coloured = [colours[label] for label in labels if label not in ("other", "unsure")]
    assert len(coloured) == 8 and sorted(coloured) == list(range(8))
    assert [p["key"] for p in palette] == list("1234567890")


def test_labels_and_colours_come_from_the_scheme_not_a_list_in_the_code(small, tmp_path, open_store):
    scheme = custom_scheme(tmp_path, ["pundit", "other", "agency", "unsure"])
    tagger = SpanTagger(small, store=open_store(scheme=scheme), layer="actor")
    assert [p["id"] for p in tagger.labels] == list(scheme.layer("actor").label_ids)
    assert [p["color"] for p in tagger.labels] == [0, GREY, 1, GREY]
    tagger.tag("Mayor Ana Ruiz", "pundit", entity="Ana Ruiz")
    assert "pundit" in error_of(lambda: tagger.tag("Tomás Vega", "official", entity="Tomás Vega"))


# --- ActorTagger ----------------------------------------------------------------------------------------


def test_actor_tagger_guesses_who_a_mention_is(bundled, store):
    actors = ActorTagger(bundled, store=store)
    actors.tag("President Joe Biden", "official")
    actors.tag("Biden", "official", occurrence=2)
    actors.tag("U.S. forces", "military_or_security")
    actors.tag("Defense Secretary Lloyd Austin", "official")
    actors.tag("Austin", "official", occurrence=2)
    actors.tag("Biden", "official", occurrence=3, entity="the President")  # what the student types wins
    assert actors.annotations[["text", "entity"]].values.tolist() == [
        ["President Joe Biden", "Joe Biden"],
        ["Biden", "Joe Biden"],
        ["U.S. forces", "U.S. forces"],
        ["Defense Secretary Lloyd Austin", "Lloyd Austin"],
        ["Austin", "Lloyd Austin"],
        ["Biden", "the President"],
    ]
    assert list(actors.entity.options) == ["Joe Biden", "U.S. forces", "Lloyd Austin", "the President"]
    assert actors.entities() == list(actors.entity.options)


def test_the_actor_box_links_the_next_tag_and_is_empty_again_after_it(bundled, store):
    actors = ActorTagger(bundled, store=store)
    actors.tag("President Joe Biden", "official")
    actors.entity.value = "Joe Biden"
    assert actors.tagger.defaults["entity"] == "Joe Biden"
    browser_select(actors.tagger, " he ", label="official")  # no guess could link "he"
    assert actors.annotations[["text", "entity"]].values.tolist()[-1] == ["he", "Joe Biden"]
    assert actors.entity.value == ""  # no silent wrong link for the tag after
    assert "entity" not in actors.tagger.defaults
    browser_select(actors.tagger, "Jen Psaki", label="official")
    assert actors.annotations.entity.tolist()[-1] == "Jen Psaki"


def test_the_actor_guess_uses_the_whole_words_tagged(bundled, store):
    actors = ActorTagger(bundled, store=store)
    start = bundled.text.index("Lloyd Austin")
    # A mouse selection that starts and ends inside words ("L|loyd Aus|tin") is tagged as "Lloyd Austin" ...
    send(actors.tagger, event="select", start=start + 1, end=start + len("Lloyd Aus"), label="official")
    row = actors.annotations.iloc[0]
    assert row.text == "Lloyd Austin"
    # ... and the actor it links to must be named by those words, not by the fragment selected.
    assert row.entity == "Lloyd Austin", f"tagged {row.text!r} but linked it to the actor {row.entity!r}"


def test_caret_in_a_tag_loads_it_into_the_form_and_edits_change_that_tag(bundled, store, open_store):
    actors = ActorTagger(bundled, store=store)
    biden = actors.tag("President Joe Biden", "official", affiliation="united_states", identification="named")
    austin = actors.tag("Defense Secretary Lloyd Austin", "official")

    actors.tagger.focused = biden
    assert actors.entity.value == "Joe Biden"
    assert actors.controls["affiliation"].value == "united_states"
    assert actors.controls["identification"].value == "named"
    assert "President Joe Biden" in actors.form_title.value

    actors.tagger.focused = austin
    assert actors.entity.value == "Lloyd Austin"
    assert actors.controls["affiliation"].value == ""
    actors.controls["affiliation"].value = "united_states"
    actors.controls["identification"].value = "described"
    actors.entity.value = "Lloyd J. Austin"
    assert actors.tagger.status["text"] == "Saved."
    rows = saved(open_store, bundled).set_index("annotation_id")
    assert rows.loc[austin, ["affiliation", "identification", "entity"]].tolist() == [
        "united_states",
        "described",
        "Lloyd J. Austin",
    ]
    assert rows.loc[biden, ["identification", "entity"]].tolist() == ["named", "Joe Biden"]  # untouched
    assert actors.tagger.defaults == {}  # editing a tag is not choosing values for the next one


def test_with_nothing_focused_the_dropdowns_set_the_next_tag(bundled, store, open_store):
    actors = ActorTagger(bundled, store=store)
    first = actors.tag("President Joe Biden", "official")
    actors.tagger.focused = first
    actors.tagger.focused = ""
    assert actors.controls["affiliation"].value == "" and actors.entity.value == ""
    assert "Next tag" in actors.form_title.value
    actors.controls["affiliation"].value = "iraq"
    actors.controls["identification"].value = "named"
    assert actors.tagger.defaults == {"affiliation": "iraq", "identification": "named"}
    second = actors.tag("Iraqi Prime Minister Mustafa al-Kadhimi", "official")
    rows = saved(open_store, bundled).set_index("annotation_id")
    assert rows.loc[second, ["affiliation", "identification"]].tolist() == ["iraq", "named"]
    assert rows.loc[first, ["affiliation", "identification"]].isna().all()


# --- ClaimTagger ----------------------------------------------------------------------------------------

CLAIM = "U.S. forces in Iraq will end their combat duties"
OTHER_CLAIM = "This is a shift in mission"


@pytest.fixture
def claims(bundled, store):
    actors = ActorTagger(bundled, store=store)
    actors.tag("President Joe Biden", "official")
    actors.tag("White House press secretary Jen Psaki", "official")
    return ClaimTagger(bundled, store=store)


def test_a_claim_needs_said_by(claims):
    message = error_of(lambda: claims.tag(CLAIM, "claim"))
    assert "Said by" in message
    browser_select(claims.tagger, CLAIM, label="claim")
    assert claims.tagger.status["kind"] == "error" and "Said by" in claims.tagger.status["text"]
    assert claims.annotations.empty


def test_said_by_offers_the_journalist_and_the_actors_tagged(claims):
    assert [value for _, value in claims.said_by.options] == ["", "the journalist", "Joe Biden", "Jen Psaki"]
    assert claims.said_by.value == ""


def test_said_by_follows_actors_tagged_in_another_tool(bundled, store):
    claims = ClaimTagger(bundled, store=store)
    assert [value for _, value in claims.said_by.options] == ["", "the journalist"]
    ActorTagger(bundled, store=store).tag("Defense Secretary Lloyd Austin", "official")
    claims.tagger.refresh()
    assert "Lloyd Austin" in [value for _, value in claims.said_by.options]


def test_claim_kind_resets_after_each_tag_but_the_speaker_carries_over(claims, open_store, bundled):
    claims.said_by.value = "Joe Biden"
    claims.controls["form"].value = "indirect"
    claims.controls["claim_type"].value = "prediction"
    claims.controls["checkable"].value = "yes"
    browser_select(claims.tagger, CLAIM, label="claim")
    assert claims.tagger.status["kind"] == "info", claims.tagger.status
    assert saved(open_store, bundled, "claim")[["said_by", "form", "claim_type", "checkable"]].values.tolist() == [
        ["Joe Biden", "indirect", "prediction", "yes"]
    ]
    assert [claims.controls[name].value for name in ("form", "claim_type", "checkable")] == ["", "", ""]
    assert claims.said_by.value == "Joe Biden"
    assert claims.tagger.defaults == {"said_by": "Joe Biden"}
    browser_select(claims.tagger, OTHER_CLAIM, label="claim")
    second = saved(open_store, bundled, "claim").iloc[-1]
    assert second.said_by == "Joe Biden" and second[["form", "claim_type", "checkable"]].isna().all()


def test_said_by_must_be_an_actor_tagged_or_the_journalist(claims):
    message = error_of(lambda: claims.tag(CLAIM, "claim", said_by="Lloyd Austin"))
    assert "'Lloyd Austin'" in message and "Joe Biden" in message and "the journalist" in message
    assert claims.annotations.empty
    claims.tag(CLAIM, "claim", said_by="the journalist")
    assert claims.annotations.said_by.tolist() == ["the journalist"]


def test_caret_in_a_claim_edits_it_and_leaving_shows_the_next_tags_speaker(claims, open_store, bundled):
    claims.said_by.value = "the journalist"
    first = claims.tag(CLAIM, "claim")
    second = claims.tag(OTHER_CLAIM, "claim", said_by="Jen Psaki")
    claims.tagger.focused = second
    assert claims.said_by.value == "Jen Psaki"
    claims.controls["checkable"].value = "no"
    rows = saved(open_store, bundled, "claim").set_index("annotation_id")
    assert rows.loc[second, "checkable"] == "no" and pd.isna(rows.loc[first, "checkable"])
    assert claims.tagger.defaults == {"said_by": "the journalist"}

    claims.tagger.focused = ""  # the caret leaves the claim: the form shows what the next tag will get
    assert claims.said_by.value == claims.tagger.defaults.get("said_by"), (
        f"the form shows Said by {claims.said_by.value!r}, but the next tag gets "
        f"{claims.tagger.defaults.get('said_by')!r}"
    )


# --- PerspectiveBoard -----------------------------------------------------------------------------------


def row_widgets(board, entity):
    """(stance, frame, rationale, evidence) widgets of an entity's row."""
    for row in board.rows.children:
        title, choices, rationale, evidence = row.children
        if html.unescape(re.sub("<[^>]+>", "", title.value)) == entity:
            stance, frame = choices.children
            return stance, frame, rationale, evidence
    raise AssertionError(f"no row for {entity!r}")


@pytest.fixture
def tagged(bundled, store):
    """Three mentions of two actors, and a claim by one of them."""
    actors = ActorTagger(bundled, store=store)
    actors.tag("President Joe Biden", "official")
    actors.tag("Biden", "official", occurrence=2)
    actors.tag("White House press secretary Jen Psaki", "official")
    return ClaimTagger(bundled, store=store).tag(OTHER_CLAIM, "claim", said_by="Jen Psaki")


def test_the_board_has_one_row_per_actor(bundled, store, tagged):
    board = PerspectiveBoard(bundled, store=store)
    assert len(board.rows.children) == 2
    for entity in ("Joe Biden", "Jen Psaki"):
        stance, frame, _, evidence = row_widgets(board, entity)
        assert stance.value == "" and frame.value == ""
        assert [value for _, value in evidence.options] == [tagged]
    assert "Should U.S. troops stay in Iraq" in board.question.value


def test_set_creates_one_perspective_and_then_updates_it(bundled, store, open_store, tagged):
    board = PerspectiveBoard(bundled, store=store)
    first = board.set("Jen Psaki", stance="support")
    again = board.set("Jen Psaki", frame="political", rationale="It is not a removal.", evidence=[tagged])
    assert first == again
    rows = saved(open_store, bundled, "perspective")
    assert rows[["annotation_id", "entity", "stance", "frame", "rationale", "evidence"]].values.tolist() == [
        [first, "Jen Psaki", "support", "political", "It is not a removal.", tagged]
    ]
    assert "Nobody" in error_of(lambda: board.set("Nobody", stance="support"))
    assert "'love'" in error_of(lambda: board.set("Jen Psaki", stance="love"))


def test_changing_a_rows_dropdown_saves_it(bundled, store, open_store, tagged):
    board = PerspectiveBoard(bundled, store=store)
    stance, frame, rationale, evidence = row_widgets(board, "Joe Biden")
    stance.value = "support"
    assert "Saved Joe Biden's stance" in board.status.value
    frame.value = "security"
    rationale.value = "He announces the end of the combat mission."
    evidence.value = (tagged,)
    rows = saved(open_store, bundled, "perspective")
    assert rows[["entity", "stance", "frame", "rationale", "evidence"]].values.tolist() == [
        ["Joe Biden", "support", "security", "He announces the end of the combat mission.", tagged]
    ]


def test_a_reopened_board_shows_what_was_saved(bundled, store, open_store, tagged):
    PerspectiveBoard(bundled, store=store).set(
        "Jen Psaki", stance="support", frame="political", rationale="Shift.", evidence=[tagged]
    )
    board = PerspectiveBoard(bundled, store=open_store())  # after a kernel restart
    stance, frame, rationale, evidence = row_widgets(board, "Jen Psaki")
    assert (stance.value, frame.value, rationale.value) == ("support", "political", "Shift.")
    assert evidence.value == (tagged,), "the evidence claims saved are not shown as chosen"


def test_the_board_asks_for_actors_first_and_refresh_finds_them(bundled, store):
    board = PerspectiveBoard(bundled, store=store)
    assert len(board.rows.children) == 1 and "Tag actors first" in board.rows.children[0].value
    ActorTagger(bundled, store=store).tag("Defense Secretary Lloyd Austin", "official")
    board.refresh()
    stance, *_ = row_widgets(board, "Lloyd Austin")
    stance.value = "unclear"
    assert board.annotations[["entity", "stance"]].values.tolist() == [["Lloyd Austin", "unclear"]]


# --- CheckMyWork ----------------------------------------------------------------------------------------

# Key phrases a student who has not tagged them must never see in the feedback.
SECRET_KEY_PHRASES = (
    "Iraqi Prime Minister Mustafa al-Kadhimi",
    "White House press secretary Jen Psaki",
    "tens of thousands of foreign fighters",
    "Katherine Zimmerman",
    "Behnam Ben Taleblu",
)


def n_key(key, layer):
    """Key items a student is expected to find (debatable ones are a bonus)."""
    return int(((key["layer"] == layer) & ~key["debatable"]).sum())


@pytest.mark.parametrize("layer", ["actor", "claim"])
def test_check_gives_this_layers_messages_and_progress(bundled, store, key, layer):
    ActorTagger(bundled, store=store).tag("President Joe Biden", "official")
    ClaimTagger(bundled, store=store).tag(CLAIM, "claim", said_by="Joe Biden")
    check = CheckMyWork(bundled, store=store, layer=layer)
    messages = check.check()
    assert list(messages.columns) == ["layer", "kind", "message"]
    assert len(messages) and set(messages["layer"]) == {layer}
    assert (check.progress.value, check.progress.max) == (1, n_key(key, layer))
    assert check.counter.value == f"1 of {n_key(key, layer)}"
    for message in messages["message"]:
        assert html.escape(message) in check.messages.value


def test_check_never_shows_key_text_the_student_has_not_tagged(bundled, store, key):
    ActorTagger(bundled, store=store).tag("President Joe Biden", "official")
    assert all(phrase in set(key["text"].dropna()) for phrase in SECRET_KEY_PHRASES)
    claims = key.loc[(key["layer"] == "claim") & key["text"].notna(), "text"].tolist()
    long_claims = [c for c in claims if len(c.split()) >= 8][:5]
    for layer in ("actor", "claim", "perspective"):
        check = CheckMyWork(bundled, store=store, layer=layer)
        check.check()
        shown = html.unescape(check.messages.value)
        for phrase in (*SECRET_KEY_PHRASES, *long_claims):
            assert phrase not in shown, f"{layer} feedback shows the key's {phrase!r}"


def test_check_works_for_perspectives(bundled, store, tagged):
    board = PerspectiveBoard(bundled, store=store)
    check = CheckMyWork(bundled, store=store, layer="perspective")
    check.check()
    assert (check.progress.value, check.progress.max) == (0, 2)
    board.set("Joe Biden", stance="oppose")  # the key says support, and it is not debatable there
    messages = check.check()
    assert set(messages["layer"]) == {"perspective"}
    assert (check.progress.value, check.progress.max) == (1, 2)
    assert any("Stances" in m and "0%" in m for m in messages["message"])


def test_check_does_not_praise_stances_the_key_has_nothing_on(bundled, store):
    # "Monday" is no actor of the key, so the key has no stance to compare with.
    ActorTagger(bundled, store=store).tag("Monday", "other", entity="Monday")
    PerspectiveBoard(bundled, store=store).set("Monday", stance="support")
    messages = CheckMyWork(bundled, store=store, layer="perspective").check()
    assert not any("matches the key" in m for m in messages["message"]), messages["message"].tolist()


@pytest.mark.parametrize(
    ("layer", "hint"),
    [("actor", "No actors tagged yet"), ("claim", "No claims tagged yet"), ("perspective", "No stances yet")],
)
def test_check_with_nothing_tagged_says_where_to_start(bundled, store, layer, hint):
    check = CheckMyWork(bundled, store=store, layer=layer)
    messages = check.check()
    assert check.progress.value == 0
    assert any(m.startswith(hint) for m in messages["message"]), messages["message"].tolist()
    assert hint in check.messages.value


def test_check_my_work_needs_an_article_with_a_key_and_a_layer(small, bundled, store):
    message = error_of(lambda: CheckMyWork(small, store=store))
    assert "no answer key" in message and "path=" in message
    assert "'bogus'" in error_of(lambda: CheckMyWork(bundled, store=store, layer="bogus"))


# --- views --------------------------------------------------------------------------------------------

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
    verdicts = re.findall(r'data-verdict="(\w+)"', page)
    assert verdicts == ["agree", "label", "label"]  # Critics + Tomás Vega overlap the key's longer tag
    assert "&lt;i&gt;Ana&lt;/i&gt;" in page and "<i>" not in page

    page = compare_html(small, {"me": mine.iloc[[0, 1, 3]], "key": key, "Ana": classmate.iloc[[0, 1]]})
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


def test_tagging_the_same_words_twice_keeps_one_tag(bundled, store):
    tagger = actor_tagger(bundled, store)
    first = tagger.tag("Lloyd Austin", "official")
    assert tagger.tag("Lloyd Austin", "official") == first
    assert len(tagger.annotations) == 1
    assert "already tagged" in tagger.status["text"]
    tagger.tag("Lloyd Austin", "expert_or_think_tank")  # another label is another opinion: kept
    assert len(tagger.annotations) == 2


def test_speaker_chart_shows_itself_as_a_picture_without_pyplot(bundled):
    png = speaker_chart(bundled)._repr_png_()
    assert png.startswith(b"\x89PNG")


def test_refreshing_the_board_closes_the_old_rows(bundled, store):
    ActorTagger(bundled, store=store).tag("President Joe Biden", "official")
    board = PerspectiveBoard(bundled, store=store)
    old_rows = list(board.rows.children)
    board.refresh()
    assert all(row.comm is None for row in old_rows)  # closed: no comm left open in the kernel
    assert board.rows.children and board.rows.children[0].comm is not None


def test_a_highlights_label_stays_short(bundled, store):
    tagger = SpanTagger(bundled, store=store, layer="actor")  # no entity given: the words name the actor
    start = bundled.text.index("President Joe Biden announced")
    tagger.select(start, bundled.text.index("In response") + len("In response"), "other")
    [span] = tagger.spans
    assert span["caption"] == "Other"  # the words name the actor: no need to repeat them
    tagger.tag("Biden", "official", occurrence=3, entity="the President of the United States of America, Joe Biden")
    caption = next(s["caption"] for s in tagger.spans if s["text"] == "Biden")
    assert caption.startswith("Official · the President") and caption.endswith("…") and len(caption) < 45
