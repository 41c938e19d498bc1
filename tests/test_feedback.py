"""Feedback for students (annotkit.feedback), the "unsure" rule of scoring, and the Check my work widget.

Small hand-built keys give exact messages; the bundled article and key check the rules that matter in class:
the count never moves, hints never give a debatable item or the key's words away, unsure counts as found.
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import annotkit
from annotkit import AnnotationError
from annotkit.feedback import PRAISE, Progress, feedback, feedback_from, progress, within_paragraphs
from annotkit.keys import load_key
from annotkit.records import annotations_frame
from annotkit.reload import MARKER, WIDGET_VIEW
from annotkit.scoring import score
from annotkit.widgets import ActorTagger, CheckMyWork, ClaimTagger, PerspectiveBoard

TEXT = (
    "Storm Hits Coast\n\n"
    "Mayor Ana Ruiz said the city would rebuild the bridge. Police closed the road.\n\n"
    '"We will not wait," Ruiz said. Critics called the plan costly. Tomás Vega, an engineer, agreed.\n\n'
    "Residents met on Friday. Their leader, Jo Park, asked for help."
)
ARTICLE = annotkit.Article.from_text(TEXT)


def item(id_, layer, label, words=None, occurrence=1, **attributes):
    entry = {"id": id_, "layer": layer, "label": label, **attributes}
    if words is not None:
        entry.update(text=words, occurrence=occurrence)
    return entry


KEY_ITEMS = [
    item("a1", "actor", "official", "Mayor Ana Ruiz", entity="Ana Ruiz"),  # paragraph 1
    item("a2", "actor", "military_or_security", "Police", entity="police"),  # paragraph 1
    item("a3", "actor", "official", "Ruiz", occurrence=2, entity="Ana Ruiz"),  # paragraph 2
    item("a4", "actor", "public_or_civil_society", "Critics", entity="critics", debatable=True),  # paragraph 2
    item("a5", "actor", "expert_or_think_tank", "Tomás Vega", entity="Tomás Vega"),  # paragraph 2
    item("a6", "actor", "public_or_civil_society", "Residents", entity="residents", debatable=True),  # paragraph 3
    item("a7", "actor", "public_or_civil_society", "Jo Park", entity="Jo Park"),  # paragraph 3
    item("c1", "claim", "claim", "the city would rebuild the bridge", said_by="Ana Ruiz"),
    item("c2", "claim", "claim", "We will not wait", said_by="Ana Ruiz"),
    item("c3", "claim", "claim", "the plan costly", said_by="critics", debatable=True),
    item("p1", "perspective", "perspective", entity="Ana Ruiz", stance="support"),
    item("p2", "perspective", "perspective", entity="critics", stance="oppose", debatable=True),
    item("p3", "perspective", "perspective", entity="Tomás Vega", stance="support"),
]


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"article": ARTICLE.article_id, "annotations": KEY_ITEMS}), encoding="utf-8")
    return load_key(ARTICLE, path)


def where(article, words, occurrence=1):
    at = -1
    for _ in range(occurrence):
        at = article.text.index(words, at + 1)
    return at, at + len(words)


def work(*tags, article=ARTICLE):
    """A student's frame from (layer, label, words or None, occurrence, attributes) tags."""
    rows = []
    for n, (layer, label, words, occurrence, attributes) in enumerate(tags):
        row = {"annotation_id": f"s{n}", "annotator": "ana", "article_id": article.article_id, "layer": layer}
        row.update(label=label, status="ok", **attributes)
        if words is not None:
            start, end = where(article, words, occurrence)
            row.update(start=start, end=end, text=words)
        rows.append(row)
    return annotations_frame(rows)


def actor(words, label="official", occurrence=1, **attributes):
    return ("actor", label, words, occurrence, {"entity": words, **attributes})


def claim(words, said_by="Ana Ruiz", label="claim", occurrence=1, **attributes):
    return ("claim", label, words, occurrence, {"said_by": said_by, **attributes})


def stance(entity, value, **attributes):
    return ("perspective", "perspective", None, 1, {"entity": entity, "stance": value, **attributes})


def messages_of(frame, layer=None, kind=None):
    rows = frame
    if layer is not None:
        rows = rows[rows.layer == layer]
    if kind is not None:
        rows = rows[rows.kind == kind]
    return rows.message.tolist()


# --- the count never moves --------------------------------------------------------------------------------


def test_the_total_is_the_keys_firm_items_and_does_not_grow_with_debatable_finds(key):
    firm_only = feedback(work(actor("Mayor Ana Ruiz")), key, article=ARTICLE)
    with_debatable = feedback(work(actor("Mayor Ana Ruiz"), actor("Critics", "public_or_civil_society")), key)
    assert messages_of(firm_only, "actor", "found") == ["Actors: you found 1 of the 5 actor mentions in the key."]
    assert messages_of(with_debatable, "actor", "found") == ["Actors: you found 1 of the 5 actor mentions in the key."]
    assert messages_of(with_debatable, "actor", "debatable") == [
        "You also found 1 of the debatable ones: a good one to discuss."
    ]
    assert messages_of(firm_only, "actor", "debatable") == []


def test_progress_counts_firm_items_and_debatable_ones_apart(key):
    student = work(actor("Mayor Ana Ruiz"), actor("Critics", "public_or_civil_society"), actor("Residents", "unsure"))
    assert progress(score(student, key), "actor") == Progress("actor", 1, 5, 2, 1)
    assert progress(score(student, key), "actor").text == "1 of 5"
    assert progress(score(student.iloc[:0], key), "claim") == Progress("claim", 0, 2, 0, 0)


def test_a_bundled_key_total_stays_put_as_a_student_finds_debatable_items(bundled):
    key = annotkit.load_key(bundled)
    debatable = key[(key.layer == "actor") & key.debatable]
    firm = key[(key.layer == "actor") & ~key.debatable]
    totals = {progress(score(pd.concat([firm.head(5), debatable.head(n)]), key), "actor").total for n in (0, 5, 20)}
    assert totals == {len(firm)}


# --- "unsure" counts as found ------------------------------------------------------------------------------


def test_unsure_on_a_key_span_counts_as_found_and_is_listed(key):
    student = work(actor("Mayor Ana Ruiz", "unsure"), actor("Police", "unsure"))
    result = score(student, key)
    row = result.table.query("layer == 'actor' and label == '(all)' and matching == 'overlap'").iloc[0]
    assert (row.matched, row.n_student, row.unsure) == (2, 2, 2)
    # counted where the key puts them: in the official's and the police's rows, not as wrong "unsure" tags
    by_label = result.table.query("layer == 'actor' and matching == 'overlap'").set_index("label")
    assert by_label.loc["official", ["n_student", "matched", "precision"]].tolist() == [1, 1, 1.0]
    assert by_label.loc["military_or_security", ["n_student", "matched"]].tolist() == [1, 1]
    assert by_label.loc["unsure", ["n_student", "matched"]].tolist() == [0, 0]
    assert result.unsure.text.tolist() == ["Mayor Ana Ruiz", "Police"] and result.unsure.in_key.all()
    assert messages_of(feedback(student, key, article=ARTICLE), "actor", "unsure") == [
        "You marked 2 as unsure: talk them over with a classmate."
    ]


def test_the_issues_case_biden_tagged_unsure_is_found_not_zero(bundled):
    key = annotkit.load_key(bundled)
    firm_biden = key[(key.layer == "actor") & (key.text == "Biden") & ~key.debatable].iloc[0]
    student = annotations_frame(
        [dict(firm_biden.to_dict(), annotator="ana", label="unsure", annotation_id="mine", debatable=None)]
    )
    messages = feedback(student, key, article=bundled, layer="actor")
    total = int(((key.layer == "actor") & ~key.debatable).sum())
    assert messages_of(messages, kind="found") == [f"Actors: you found 1 of the {total} actor mentions in the key."]
    assert messages_of(messages, kind="unsure") == ["You marked 1 as unsure: talk it over with a classmate."]


def test_a_wrong_label_is_not_found_but_unsure_is(key):
    wrong = score(work(actor("Police", "media")), key).table
    unsure = score(work(actor("Police", "unsure")), key).table
    overall = "layer == 'actor' and label == '(all)' and matching == 'exact'"
    assert wrong.query(overall).matched.item() == 0
    assert unsure.query(overall).matched.item() == 1


def test_an_unsure_attribute_is_listed_and_an_unsure_stance_or_speaker_is_not_counted_wrong(key):
    student = work(
        actor("Mayor Ana Ruiz", affiliation="unsure"),
        claim("the city would rebuild the bridge", said_by="unsure"),
        claim("We will not wait", said_by="Police"),
        stance("Ana Ruiz", "unsure"),
        stance("Tomás Vega", "oppose"),
    )
    result = score(student, key)
    assert result.attribution_accuracy == 0.0  # "Police" is wrong; "unsure" is not counted
    assert result.stance_accuracy == 0.0  # Vega's stance is wrong; Ruiz's "unsure" is not counted
    assert result.unsure.layer.tolist() == ["actor", "claim", "perspective"]
    assert progress(result, "perspective") == Progress("perspective", 1, 2, 0, 1)  # unsure: found, not wrong
    table = annotkit.score_class(student, key)
    assert table[["actor_unsure", "claim_unsure", "perspective_unsure"]].values.tolist() == [[1, 1, 1]]


def test_unsure_off_the_key_is_listed_but_not_on_the_key(key):
    result = score(work(actor("Friday", "unsure")), key)
    assert result.unsure.in_key.tolist() == [False]
    assert result.extra.text.tolist() == ["Friday"]


# --- hints: where to look, never what ------------------------------------------------------------------


def test_hints_name_paragraph_numbers_and_the_kind_of_firm_items_missed(key):
    messages = feedback(work(actor("Mayor Ana Ruiz")), key, article=ARTICLE)
    assert messages_of(messages, "actor", "hint") == [
        "Re-read paragraph 1: there is one more actor mention to find there (a military or security force).",
        "Re-read paragraph 2: there are 2 more actor mentions to find there (for example an official).",
        "Re-read paragraph 3: there is one more actor mention to find there (a group of citizens).",
    ]


def test_no_hint_points_at_a_debatable_item(key):
    # Every firm actor found: what is left is debatable ("Critics", "Residents"), and no hint may point at it.
    firm = work(actor("Mayor Ana Ruiz"), actor("Police", "military_or_security"), actor("Ruiz", occurrence=2),
                actor("Tomás Vega", "expert_or_think_tank"), actor("Jo Park", "public_or_civil_society"))  # fmt: skip
    messages = feedback(firm, key, article=ARTICLE, layer="actor")
    assert messages_of(messages, kind="found") == ["Actors: you found all 5 actor mentions in the key. Excellent work."]
    assert messages_of(messages, kind="hint") == []
    assert not any("paragraph 3" in m or "citizens" in m for m in messages.message)


def test_no_feedback_for_the_bundled_article_quotes_the_keys_words(bundled):
    key = annotkit.load_key(bundled)
    phrases = {t for t in key.text.dropna() if len(t.split()) >= 2}
    student = key[~key.debatable].iloc[::4]
    shown = "\n".join(feedback(student, key, article=bundled).message)
    assert not [p for p in phrases if p in shown]
    assert "Re-read paragraph" in shown


def test_hints_for_many_paragraphs_name_three_and_count_the_rest(bundled):
    key = annotkit.load_key(bundled)
    hints = messages_of(feedback(key[key.annotation_id == "actor-001"], key, article=bundled), "actor", "hint")
    assert len(hints) == 4 and re.fullmatch(r"And \d+ more actor mentions to find in other paragraphs\.", hints[-1])
    numbers = [int(re.match(r"Re-read paragraph (\d+):", h).group(1)) for h in hints[:3]]
    assert numbers == sorted(numbers)


def test_without_the_article_hints_name_the_kind_only(key):
    hints = messages_of(feedback(work(actor("Mayor Ana Ruiz")), key), "actor", "hint")
    assert "Look again for 1 more: a military or security force." in hints
    assert not any("paragraph" in h for h in hints)


def test_right_words_with_another_label_get_a_hint_without_the_answer(key):
    messages = feedback(work(actor("Police", "media"), actor("Mayor Ana Ruiz")), key, article=ARTICLE)
    assert messages_of(messages, "actor", "label") == [
        "One of your tags is on the key's words but with another label (paragraph 1): check its label."
    ]


def test_tags_the_key_does_not_have_are_mentioned_kindly(key):
    messages = feedback(work(actor("Mayor Ana Ruiz"), actor("Friday", "other")), key, article=ARTICLE)
    assert messages_of(messages, "actor", "extra") == [
        "One of your tags shares no words with the key. Some may be good finds the key leaves out: be ready to say "
        "why you chose them."
    ]


def test_claims_get_the_who_says_it_hint(key):
    messages = feedback(work(claim("the city would rebuild the bridge", said_by="Police")), key, article=ARTICLE)
    assert messages_of(messages, "claim", "attribution")[0].startswith("Who says it: 0% of your claims")


# --- praise and first steps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("found", "total", "praise"),
    [
        (1, 10, "A start. The hints below say where to look next."),
        (3, 10, "A good start. The hints below say where to look next."),
        (5, 10, "More than half: good work. Keep going."),
        (8, 10, "Most of them: careful reading."),
        (9, 10, "Nearly all of them: only 1 left to find."),
        (18, 20, "Nearly all of them: only 2 left to find."),
    ],
)
def test_praise_comes_before_full_marks(found, total, praise):
    from annotkit.feedback import _praise

    assert _praise(Progress("actor", found, total, 0, 0)) == praise


def test_the_feedback_praises_after_the_count(key):
    student = work(actor("Mayor Ana Ruiz"), actor("Police", "military_or_security"), actor("Ruiz", occurrence=2))
    messages = feedback(student, key, article=ARTICLE, layer="actor")
    assert messages.kind.tolist()[:2] == ["found", "praise"]
    assert messages.message.tolist()[:2] == [
        "Actors: you found 3 of the 5 actor mentions in the key.",
        "More than half: good work. Keep going.",
    ]


def test_praise_is_never_patronising():
    for _, words in PRAISE:
        assert "!" not in words and not re.search(r"\b(awesome|amazing|super|genius|smart)\b", words, re.I)


def test_a_student_with_nothing_tagged_is_told_where_to_start(key):
    messages = feedback(work(), key, article=ARTICLE)
    assert messages_of(messages, "actor") == [
        "No actors tagged yet: start with the people and groups named in the first paragraphs.",
        "Actors: you found 0 of the 5 actor mentions in the key.",
    ]
    assert messages_of(messages, kind="hint") == []


def test_full_marks_for_stances(key):
    messages = feedback(work(stance("Ana Ruiz", "support"), stance("Tomás Vega", "support")), key, article=ARTICLE)
    assert messages_of(messages, "perspective", "found") == [
        "Stances: all 2 stances in the key match yours. Well argued!"
    ]


def test_missing_stances_say_where_their_actors_speak(key):
    messages = feedback(work(stance("Ana Ruiz", "oppose")), key, article=ARTICLE, layer="perspective")
    assert messages.message.tolist() == [
        "Stances: 0 of the 2 stances in the key match yours.",
        "The key gives a clear stance to one actor you have not given a stance yet: look at who speaks in paragraph 2.",
        "Some of your stances differ from the key's. Re-read each actor's own words: do they want the change, "
        "reject it, or a bit of both?",
    ]


# --- part of the article ------------------------------------------------------------------------------


def test_paragraphs_limit_the_check_to_part_of_the_article(key):
    student = work(actor("Mayor Ana Ruiz"), actor("Jo Park", "public_or_civil_society"))
    messages = feedback(student, key, article=ARTICLE, paragraphs=[1, 2], layer="actor")
    assert messages_of(messages, kind="found") == ["Actors: you found 1 of the 4 actor mentions in the key."]
    assert not any("paragraph 3" in m for m in messages.message)
    assert messages_of(messages, kind="extra") == []  # Jo Park is outside the exercise, not an extra tag


def test_within_paragraphs_keeps_stances_of_actors_tagged_there(key):
    part = within_paragraphs(key, ARTICLE, [1])
    assert part.annotation_id.tolist() == ["a1", "a2", "c1", "p1"]


def test_an_unknown_paragraph_is_a_clear_error(key):
    with pytest.raises(AnnotationError) as raised:
        feedback(work(), key, article=ARTICLE, paragraphs=[1, 9])
    assert str(raised.value) == (
        "The article has no paragraph 9: its paragraphs are numbered 0 to 3 (see article.paragraphs)."
    )
    with pytest.raises(AnnotationError, match=r"give the article too"):
        feedback(work(), key, paragraphs=[1])


def test_feedback_from_a_score_is_the_same_as_feedback(key):
    student = work(actor("Mayor Ana Ruiz"), claim("We will not wait"))
    pd.testing.assert_frame_equal(
        feedback(student, key, article=ARTICLE), feedback_from(score(student, key), article=ARTICLE, key=key)
    )


# --- the Check my work widget -------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="ana")
    yield store
    store.close()


# Key phrases a student who has not tagged them must never see in the feedback.
SECRET_KEY_PHRASES = (
    "Iraqi Prime Minister Mustafa al-Kadhimi",
    "White House press secretary Jen Psaki",
    "tens of thousands of foreign fighters",
    "Katherine Zimmerman",
    "Behnam Ben Taleblu",
)
CLAIM = "U.S. forces in Iraq will end their combat duties"


def firm(key, layer):
    return int(((key.layer == layer) & ~key.debatable).sum())


def shown(check):
    """Every text the widget sends to the browser."""
    return json.dumps(check.get_state(), ensure_ascii=False)


@pytest.mark.parametrize("layer", ["actor", "claim"])
def test_check_shows_this_layers_messages_and_progress(bundled, store, layer):
    key = annotkit.load_key(bundled)
    ActorTagger(bundled, store=store).tag("President Joe Biden", "official")
    ClaimTagger(bundled, store=store).tag(CLAIM, "claim", said_by="Joe Biden")
    check = CheckMyWork(bundled, store=store, layer=layer)
    assert check.checked == 0 and check.messages == []
    messages = check.check()
    assert list(messages.columns) == ["layer", "kind", "message"]
    assert set(messages.layer) == {layer}
    assert (check.found, check.total) == (1, firm(key, layer)) == (check.progress.found, check.progress.total)
    assert check.messages == [{"kind": k, "text": t} for k, t in zip(messages.kind, messages.message, strict=True)]
    assert check.checked == 1


def test_the_button_checks_and_the_total_stays_put(bundled, store):
    key = annotkit.load_key(bundled)
    actors = ActorTagger(bundled, store=store)
    actors.tag("President Joe Biden", "official")
    check = CheckMyWork(bundled, store=store)
    check._on_browser_message(check, {"event": "check"}, [])  # what the button sends
    assert (check.found, check.total, check.debatable) == (1, firm(key, "actor"), 0)
    actors.tag("U.S. Marines", "military_or_security")  # debatable in the key
    check._on_browser_message(check, {"event": "check"}, [])
    assert (check.found, check.total, check.debatable, check.checked) == (1, firm(key, "actor"), 1, 2)
    check._on_browser_message(check, {"event": "something else"}, [])
    assert check.checked == 2


def test_check_never_sends_key_text_the_student_has_not_tagged(bundled, store):
    key = annotkit.load_key(bundled)
    ActorTagger(bundled, store=store).tag("President Joe Biden", "official")
    long_claims = [c for c in key[key.layer == "claim"].text.dropna() if len(c.split()) >= 8][:5]
    assert all(phrase in set(key.text.dropna()) for phrase in SECRET_KEY_PHRASES)
    for layer in ("actor", "claim", "perspective"):
        check = CheckMyWork(bundled, store=store, layer=layer)
        check.check()
        for phrase in (*SECRET_KEY_PHRASES, *long_claims):
            assert phrase not in shown(check), f"{layer}: the widget sends the key's {phrase!r}"
        assert not hasattr(check, "key"), "the key must not sit on the widget in plain view"


def test_check_works_for_stances(bundled, store):
    key = annotkit.load_key(bundled)
    ActorTagger(bundled, store=store).tag("President Joe Biden", "official")
    board = PerspectiveBoard(bundled, store=store)
    check = CheckMyWork(bundled, store=store, layer="perspective")
    check.check()
    assert (check.found, check.total) == (0, firm(key, "perspective"))
    board.set("Joe Biden", stance="oppose")  # the key says support, and it is firm
    messages = check.check()
    assert (check.found, check.total) == (0, firm(key, "perspective"))
    assert any(m.startswith("Some of your stances differ from the key's") for m in messages.message)
    board.set("Joe Biden", stance="support")
    check.check()
    assert check.found == 1


def test_check_never_praises_stances_the_key_has_nothing_on(bundled, store):
    ActorTagger(bundled, store=store).tag("Monday", "other", entity="Monday")
    PerspectiveBoard(bundled, store=store).set("Monday", stance="support")
    messages = CheckMyWork(bundled, store=store, layer="perspective").check()
    assert not any("match yours" in m and "all" in m for m in messages.message), messages.message.tolist()


@pytest.mark.parametrize(
    ("layer", "hint"),
    [("actor", "No actors tagged yet"), ("claim", "No claims tagged yet"), ("perspective", "No stances yet")],
)
def test_check_with_nothing_tagged_says_where_to_start(bundled, store, layer, hint):
    check = CheckMyWork(bundled, store=store, layer=layer)
    messages = check.check()
    assert check.found == 0
    assert messages.message.iloc[0].startswith(hint)
    assert check.messages[0]["text"].startswith(hint)


def test_check_my_work_for_some_paragraphs(bundled, store):
    key = annotkit.load_key(bundled)
    first_half = range(11)
    check = CheckMyWork(bundled, store=store, paragraphs=first_half)
    assert check.scope == "Checks paragraphs 0–10 only."
    in_part = within_paragraphs(key, bundled, first_half)
    ActorTagger(bundled, store=store).tag("Behnam Ben Taleblu", "expert_or_think_tank")  # paragraph 20
    check.check()
    assert (check.found, check.total) == (0, firm(in_part, "actor"))
    assert all("Re-read paragraph" not in m["text"] or int(re.search(r"\d+", m["text"]).group()) <= 10
               for m in check.messages)  # fmt: skip
    assert not any(m["kind"] == "extra" for m in check.messages)


def test_check_my_work_takes_a_teachers_key_file(small_key_file, store):
    store.add(ARTICLE, layer="actor", label="official", start=where(ARTICLE, "Jo Park")[0],
              end=where(ARTICLE, "Jo Park")[1], entity="Jo Park")  # fmt: skip
    check = CheckMyWork(ARTICLE, store=store, key=small_key_file)
    check.check()
    assert (check.found, check.total) == (0, 5)  # the right words, the wrong label
    assert [m["kind"] for m in check.messages if m["kind"] == "label"] == ["label"]


@pytest.fixture
def small_key_file(tmp_path):
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"article": ARTICLE.article_id, "annotations": KEY_ITEMS}), encoding="utf-8")
    return str(path)


def test_check_my_work_needs_an_article_with_a_key_and_a_layer(store):
    small = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild.")
    with pytest.raises(AnnotationError) as raised:
        CheckMyWork(small, store=store)
    assert "no answer key" in str(raised.value) and "path=" in str(raised.value)
    with pytest.raises(AnnotationError, match="'bogus'"):
        CheckMyWork(annotkit.load_bundled_article(), store=store, layer="bogus")


def test_a_problem_while_checking_is_a_message_not_a_traceback(bundled, store, monkeypatch):
    check = CheckMyWork(bundled, store=store)

    def broken(*args, **kwargs):
        raise AnnotationError("Your work could not be read: ask your teacher.")

    monkeypatch.setattr(check.store, "annotations", broken)
    check._on_browser_message(check, {"event": "check"}, [])
    assert check.error == "Your work could not be read: ask your teacher." and check.checked == 1


def test_check_my_work_is_one_anywidget_with_no_ipywidgets_controls_inside(bundled, store):
    import anywidget

    check = CheckMyWork(bundled, store=store)
    assert isinstance(check, anywidget.AnyWidget) and not hasattr(check, "children")
    source = (Path(annotkit.__file__).parent / "widgets" / "static" / "check.js").read_text(encoding="utf-8")
    assert source.count('"data-lm-suppress-shortcuts": "true"') == 2  # the root, and the button (Notebook 7)
    assert 'addEventListener("keydown", (event) => event.stopPropagation())' in source
    assert "innerHTML" not in source  # text only, never HTML


def test_check_my_works_output_says_what_to_do_after_a_reload(bundled, store):
    data, _ = CheckMyWork(bundled, store=store)._repr_mimebundle_()
    assert WIDGET_VIEW in data
    assert data["text/plain"] == "Run the notebook from the top to show Check my work again — your tags are saved."
    assert MARKER in data["text/html"] and "Run the notebook from the top" in data["text/html"]
