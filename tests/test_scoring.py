import importlib.util
import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest

import annotkit
from annotkit import AnnotationError
from annotkit.feedback import feedback
from annotkit.keys import answer_key
from annotkit.records import JOURNALIST, annotations_frame
from annotkit.scoring import score

TEXT = (
    "Storm Hits Coast\n\n"
    "Mayor Ana Ruiz said the city would rebuild the bridge. Police closed the road.\n\n"
    '"We will not wait," Ruiz said. Critics called the plan costly.'
)
ARTICLE = annotkit.Article.from_text(TEXT)


def item(id_, layer, label, words=None, occurrence=1, **attributes):
    entry = {"id": id_, "layer": layer, "label": label, **attributes}
    if words is not None:
        entry.update(text=words, occurrence=occurrence)
    return entry


KEY_ITEMS = [
    item("a1", "actor", "official", "Mayor Ana Ruiz", entity="Ana Ruiz"),
    item("a2", "actor", "military_or_security", "Police", entity="police"),
    item("a3", "actor", "official", "Ruiz", occurrence=2, entity="Ana Ruiz"),
    item("a4", "actor", "public_or_civil_society", "Critics", entity="critics", debatable=True),
    item("c1", "claim", "claim", "the city would rebuild the bridge", said_by="Ana Ruiz"),
    item("c2", "claim", "claim", "We will not wait", said_by="Ana Ruiz"),
    item("c3", "claim", "claim", "the plan costly", said_by="critics", debatable=True),
    item("p1", "perspective", "perspective", entity="Ana Ruiz", stance="support"),
    item("p2", "perspective", "perspective", entity="critics", stance="oppose", debatable=True),
]


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"article": ARTICLE.article_id, "annotations": KEY_ITEMS}), encoding="utf-8")
    return answer_key(ARTICLE, path)


def student_work(tmp_path, steps):
    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="ana")
    for words, occurrence, layer, label, attributes in steps:
        if words is None:
            store.add(ARTICLE, layer=layer, label=label, **attributes)
            continue
        at = -1
        for _ in range(occurrence):
            at = ARTICLE.text.index(words, at + 1)
        store.add(ARTICLE, layer=layer, label=label, start=at, end=at + len(words), **attributes)
    frame = store.annotations()
    store.close()
    return frame


def figures(result, layer, label="(all)", matching="overlap"):
    row = result.table.query("layer == @layer and label == @label and matching == @matching").iloc[0]
    return row.n_key, row.n_student, row.matched


def test_key_frame_has_the_records_columns_and_key_extras(key):
    assert key.annotator.unique().tolist() == ["key"]
    assert key.loc[key.annotation_id == "a3", "text"].item() == "Ruiz"
    assert ARTICLE.text[key.start[2] : key.end[2]] == "Ruiz"
    assert key.debatable.tolist() == [False, False, False, True, False, False, True, False, True]
    assert key.loc[key.layer == "perspective", "start"].isna().all()


def test_a_key_item_that_is_not_in_the_article_is_reported(tmp_path):
    path = tmp_path / "key.json"
    path.write_text(
        json.dumps(
            {"article": ARTICLE.article_id, "annotations": [item("x", "actor", "official", "Nobody Here", entity="x")]}
        )
    )
    with pytest.raises(
        AnnotationError,
        match=re.escape("item x: the words 'Nobody Here' are not in the article, so occurrence 1 cannot be found. Fix"),
    ):
        answer_key(ARTICLE, path)


def test_an_article_without_a_key(key):
    other = annotkit.Article.from_text("Another Headline Here\n\nNothing to see. Really nothing.")
    with pytest.raises(AnnotationError, match="There is no answer key for 'Another Headline Here' yet"):
        answer_key(other)


def test_the_key_against_itself_is_perfect(key):
    result = score(key, key)
    assert set(result.table.f1) == {1.0}
    assert result.attribution_accuracy == 1.0
    assert result.stance_accuracy == 1.0
    assert result.missed.empty


def test_exact_and_overlap_matching(tmp_path, key):
    student = student_work(
        tmp_path,
        [
            ("Ana Ruiz", 1, "actor", "official", {"entity": "Ruiz"}),  # overlaps "Mayor Ana Ruiz" (2/3 tokens)
            ("Police", 1, "actor", "official", {"entity": "police"}),  # right words, wrong label
        ],
    )
    result = score(student, key)
    assert figures(result, "actor", "official", "exact") == (2, 2, 0)
    assert figures(result, "actor", "official", "overlap") == (2, 2, 1)
    # the debatable "Critics" is not held against the student
    assert figures(result, "actor", "(all)", "overlap") == (3, 2, 1)
    # perspectives are missed when the student gave that actor none
    assert set(result.missed.annotation_id) == {"a3", "a4", "c1", "c2", "c3", "p1", "p2"}


def test_attribution_compares_entities_through_their_mentions(tmp_path, key):
    student = student_work(
        tmp_path,
        [
            ("Mayor Ana Ruiz", 1, "actor", "official", {"entity": "the mayor"}),
            ("Police", 1, "actor", "military_or_security", {"entity": "cops"}),
            ("the city would rebuild the bridge", 1, "claim", "claim", {"said_by": "the mayor"}),
            ("We will not wait", 1, "claim", "claim", {"said_by": "cops"}),
        ],
    )
    result = score(student, key)
    assert result.attribution_accuracy == 0.5  # "the mayor" is the key's Ana Ruiz; "cops" is not


def test_disagreeing_on_a_debatable_item_is_not_counted(tmp_path, key):
    student = student_work(
        tmp_path,
        [
            ("Mayor Ana Ruiz", 1, "actor", "official", {"entity": "Ana Ruiz"}),
            ("Critics", 1, "actor", "public_or_civil_society", {"entity": "critics"}),
            (None, 1, "perspective", "perspective", {"entity": "Ana Ruiz", "stance": "oppose"}),
            (None, 1, "perspective", "perspective", {"entity": "critics", "stance": "mixed"}),
        ],
    )
    result = score(student, key)
    assert result.stance_accuracy == 0.0  # Ruiz's stance is wrong; the critics' (debatable) is not counted


def test_feedback_is_kind_specific_and_does_not_give_the_answers_away(tmp_path, key):
    student = student_work(tmp_path, [("Mayor Ana Ruiz", 1, "actor", "official", {"entity": "Ana Ruiz"})])
    messages = feedback(student, key, article=ARTICLE)
    text = "\n".join(messages.message)
    assert "Actors: you found 1 of the 3 actor mentions in the key." in text  # not "Critics": debatable
    assert "Re-read paragraph 1: there is one more actor mention to find there (a military or security force)." in text
    assert "Police" not in text
    assert "the city would rebuild the bridge" not in text
    kinds = {"start", "found", "praise", "debatable", "unsure", "hint", "label", "extra", "attribution", "stance"}
    assert set(messages.kind) <= kinds


def test_feedback_without_the_article_names_the_kind_of_thing_missed(tmp_path, key):
    student = student_work(tmp_path, [("Mayor Ana Ruiz", 1, "actor", "official", {"entity": "Ana Ruiz"})])
    hints = feedback(student, key).query("kind == 'hint'").message.tolist()
    assert "Look again for 1 more: a military or security force." in hints


def test_full_marks_get_praise(key):
    messages = feedback(key, key, article=ARTICLE).message.tolist()
    assert messages[0] == "Actors: you found all 3 actor mentions in the key. Excellent work."
    assert messages[1] == "You also found 1 of the debatable ones: a good one to discuss."


def write_class(folder, **kwargs):
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "classwork.py"
    spec = importlib.util.spec_from_file_location("classwork", path)
    classwork = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(classwork)
    return classwork.write_class(folder, **kwargs)


def varied_class(folder):
    """A class that gives class scoring its hard cases: wrong labels, renamed entities and speakers, spans tagged
    twice naming someone else (ties), orphans, perspectives, "unsure" labels, speakers, stances and attributes,
    and annotators with nothing to match."""
    write_class(folder, students=40, per_student=60)
    key = annotkit.answer_key(annotkit.load_bundled_article())
    rng = random.Random(7)
    doubt = random.Random(11)  # the "unsure" cases draw from their own stream, leaving the others as they were
    frame = annotkit.read_submissions(folder).annotations
    labels = sorted(set(frame.label[frame.layer == "actor"]))
    entities = sorted(set(frame.entity.dropna()))
    rows = []
    for row in frame.astype(object).where(frame.notna(), None).to_dict(orient="records"):
        if row["layer"] == "actor" and rng.random() < 0.2:
            row["label"] = rng.choice(labels)
        if row["layer"] in ("actor", "claim") and doubt.random() < 0.1:
            row["label"] = "unsure"
        if row["layer"] == "actor" and doubt.random() < 0.1:
            row["affiliation"] = "unsure"
        if row["layer"] == "claim" and doubt.random() < 0.05:
            row["said_by"] = "Unsure"
        if row["layer"] == "actor" and rng.random() < 0.4:
            row["entity"] = rng.choice([row["entity"].upper(), row["entity"].split()[-1], "them", None])
        if row["layer"] == "claim" and rng.random() < 0.4:
            row["said_by"] = rng.choice([JOURNALIST, "them", str(row["said_by"]).lower(), rng.choice(entities), None])
        row["status"] = "orphaned" if rng.random() < 0.05 else row["status"]
        rows.append(row)
        if rng.random() < 0.1:  # the same span again, naming someone else: the tie goes to the first
            rows.append(
                dict(row, annotation_id=f"{row['annotation_id']}b", entity="them", said_by=rng.choice(entities))
            )
    perspectives = key[key.layer == "perspective"].entity.tolist()
    for n, annotator in enumerate([*sorted(set(frame.annotator)), "only-perspectives"]):
        for entity in rng.sample(perspectives, 4):
            entity = rng.choice([entity, entity.lower(), entity.split()[-1], "them"])
            stance = rng.choice(["support", "oppose", "mixed", "unclear", None])
            stance = "unsure" if doubt.random() < 0.15 else stance
            rows.append({"annotation_id": f"p{n}-{entity}", "annotator": annotator, "layer": "perspective",
                         "label": "perspective", "status": "ok", "entity": entity, "stance": stance})  # fmt: skip
    rows.append(dict(rows[0], annotator="only-orphans", status="orphaned"))
    return annotations_frame(rows)


def twinned_key():
    """The bundled key with a few items given twice, naming someone else: ties on the key's side."""
    key = annotkit.answer_key(annotkit.load_bundled_article())
    twins = key.groupby("layer").head(3).copy()
    twins["annotation_id"] += "-twin"
    twins["debatable"] = ~twins["debatable"]
    twins.loc[twins.layer == "actor", "entity"] = "Someone Else"
    twins.loc[twins.layer == "claim", "said_by"] = "Someone Else"
    twins.loc[twins.layer == "perspective", "stance"] = "mixed"
    return pd.concat([key, twins], ignore_index=True)


def score_class_matches_score(work, key):
    """score_class's table, checked against what score gives each annotator alone."""
    expected = []
    for annotator in sorted(set(work.annotator[work.status != "orphaned"])):
        result = score(work[work.annotator == annotator], key)
        f1 = result.table[result.table.label == "(all)"].set_index(["layer", "matching"]).f1
        figures = [float(f1[layer, matching]) for layer in ("actor", "claim") for matching in ("exact", "overlap")]
        unsure = [int((result.unsure.layer == layer).sum()) for layer in ("actor", "claim", "perspective")]
        expected.append((annotator, *figures, result.attribution_accuracy, result.stance_accuracy, *unsure))
    scored = annotkit.score_class(work, key)
    pd.testing.assert_frame_equal(scored, pd.DataFrame(expected, columns=scored.columns), check_exact=True)
    return scored


def test_score_class_gives_each_annotator_what_score_gives_them_in_the_synthetic_class(tmp_path):
    scored = score_class_matches_score(varied_class(tmp_path / "class"), twinned_key())
    # the class has the cases that make scoring hard, so the comparison means something
    assert len(scored) == 41 and "only-orphans" not in set(scored.annotator)
    assert scored.attribution_accuracy.between(0.01, 0.99).sum() > 30
    assert scored.stance_accuracy.between(0.01, 0.99).sum() > 10
    assert (scored.actor_f1_exact < scored.actor_f1_overlap).sum() > 30
    assert (scored.actor_unsure > 1).sum() > 30 and (scored.claim_unsure > 0).sum() > 20
    assert (scored.perspective_unsure > 0).sum() > 10


def small_varied_class(key, *, students, seed=3):
    """A class on the three-sentence article with the hard cases of varied_class: moved boundaries, other labels,
    "unsure", entities and speakers renamed or missing, spans tagged twice naming someone else, spans the key
    does not have, orphans, perspectives, and annotators with nothing to match. Quick: no bundled article."""
    rng = random.Random(seed)
    spans = key[key.layer != "perspective"].astype(object).where(key.notna(), None).to_dict(orient="records")
    words = ARTICLE.tokens[ARTICLE.tokens.is_word]
    starts, ends = words.start.tolist(), words.end.tolist()
    labels = {"actor": ["official", "military_or_security", "public_or_civil_society", "unsure"], "claim": ["claim"]}
    names = ["Ana Ruiz", "ana ruiz", "Ruiz", "police", "Police", "critics", "them", JOURNALIST, "Unsure", None]
    rows = []
    for n in range(students):
        annotator = f"s{n:02d}"
        for i, span in enumerate([*rng.sample(spans, rng.randint(0, len(spans))), *rng.sample(spans, 2)]):
            start, end = span["start"], span["end"]
            if rng.random() < 0.3:  # a word more at the end, or one less at the start
                end = next((e for e in ends if e > end), end)
            if rng.random() < 0.2:
                start = next((s for s in starts if start < s < end), start)
            if rng.random() < 0.1:  # words the key does not tag
                start = rng.choice(starts)
                end = next(e for e in ends if e > start)
            label = rng.choice(labels[span["layer"]] + [span["label"]] * 3)
            label = "unsure" if rng.random() < 0.1 else label
            row = dict(span, annotation_id=f"{annotator}-{i}", annotator=annotator, start=start, end=end,
                       text=ARTICLE.text[start:end], label=label, debatable=None)  # fmt: skip
            if rng.random() < 0.5:
                row["entity" if span["layer"] == "actor" else "said_by"] = rng.choice(names)
            row["status"] = "orphaned" if rng.random() < 0.05 else "ok"
            rows.append(row)
            if rng.random() < 0.15:  # the same span again, naming someone else: the tie goes to the first
                rows.append(dict(row, annotation_id=f"{row['annotation_id']}b", entity="them", said_by="Ana Ruiz"))
        for entity in rng.sample(["Ana Ruiz", "ana ruiz", "critics", "police", "them"], rng.randint(0, 3)):
            stance = rng.choice(["support", "oppose", "mixed", "unclear", "unsure", None])
            rows.append({"annotation_id": f"{annotator}-p-{entity}", "annotator": annotator, "layer": "perspective",
                         "label": "perspective", "status": "ok", "entity": entity, "stance": stance})  # fmt: skip
    rows.append(dict(rows[0], annotation_id="o", annotator="only-orphans", status="orphaned"))
    return annotations_frame(rows)


def test_score_class_gives_each_annotator_what_score_gives_them_in_a_small_class(key):
    """The class-wide matching, in a second: the same comparison as above on the three-sentence article."""
    twins = key.groupby("layer").head(1).copy()  # ties on the key's side: the same item naming someone else
    twins["annotation_id"] += "-twin"
    twins["debatable"] = ~twins["debatable"]
    twins[["entity", "said_by", "stance"]] = ["Someone Else", "Someone Else", "mixed"]
    twinned = pd.concat([key, twins], ignore_index=True)
    scored = score_class_matches_score(small_varied_class(twinned, students=16), twinned)
    # the class has the cases that make scoring hard, so the comparison means something
    assert len(scored) == 16 and "only-orphans" not in set(scored.annotator)
    for accuracy in (scored.attribution_accuracy, scored.stance_accuracy):
        assert accuracy.isna().any() and {0.0, 1.0} < set(accuracy.dropna()) and accuracy.between(0.01, 0.99).any()
    assert (scored.actor_f1_exact < scored.actor_f1_overlap).sum() > 5
    assert (scored.claim_f1_exact < scored.claim_f1_overlap).sum() > 3
    assert (scored.actor_unsure > 0).sum() > 5 and (scored.claim_unsure > 0).sum() > 3
    assert (scored.perspective_unsure > 0).sum() > 2


def test_work_on_another_article_is_refused_not_scored_as_nothing_found():
    article = annotkit.load_bundled_article()
    key = annotkit.answer_key(article)
    other = key[key.layer == "actor"].head(3).assign(annotator="lukas", article_id="0123456789abcdef")
    for scorer in (annotkit.score, annotkit.score_class):
        with pytest.raises(annotkit.AnnotationError, match=r"3 annotations \(by lukas\) are for another article"):
            scorer(other, key)


def test_hints_say_where_to_look_in_plain_grammar():
    article = annotkit.load_bundled_article()
    key = annotkit.answer_key(article)
    started = key[key.annotation_id.isin(["actor-001", "claim-001"])]
    hints = annotkit.feedback(started, key, article=article).query("kind == 'hint'").message.tolist()
    assert hints and all("there is 1" not in h and "there is " + str(n) not in h for h in hints for n in range(2, 60))
    assert not any('“"' in h or "““" in h for h in hints)  # the paragraph's own quotation mark is not doubled
    assert any("more claims to find there." in h for h in hints)


def test_work_on_another_version_of_the_text_is_placed_by_its_words_before_scoring(tmp_path, key):
    older = annotkit.Article.from_text(
        TEXT.replace("Storm Hits Coast", "Storm Hit The Coast"), article_id=ARTICLE.article_id
    )
    store = annotkit.open_store(tmp_path / "old.sqlite", annotator="ana")
    for words in ("Mayor Ana Ruiz", "Police"):
        start = older.text.index(words)
        store.add(older, layer="actor", label=key.label[key.text == words].item(), start=start, end=start + len(words),
                  entity="Ana Ruiz" if "Ruiz" in words else "police")  # fmt: skip
    start = older.text.index("Critics called")
    store.add(older, layer="actor", label="official", start=start, end=start + 7, entity="someone")
    mine = store.annotations()  # offsets into the older text, as a hand-in made on it would have
    assert mine.start.tolist() != [ARTICLE.text.index(w) for w in ("Mayor Ana Ruiz", "Police", "Critics")]
    unplaced = score(mine, key).table.query("layer == 'actor' and label == '(all)' and matching == 'exact'")
    with pytest.warns(annotkit.AnnotkitWarning, match=r"3 annotations were made on another version .*: 3 were found"):
        placed = score(mine, key, article=ARTICLE).table.query(
            "layer == 'actor' and label == '(all)' and matching == 'exact'"
        )
    assert unplaced.matched.item() == 0
    assert placed.matched.item() == 2
    with pytest.raises(AnnotationError, match="Load the key of this article"):
        score(mine, key, article=annotkit.load_bundled_article())


def words_at(words, occurrence=1):
    """Where the article's words are (their nth occurrence): a span's start, end and text."""
    at = -1
    for _ in range(occurrence):
        at = TEXT.index(words, at + 1)
    return {"start": at, "end": at + len(words), "text": words}


def handed_in(key, work):
    """A class's work: for each annotator, key items (by id) handed in again, with their changes."""
    items = {r["annotation_id"]: r for r in key.astype(object).where(key.notna(), None).to_dict(orient="records")}
    rows = [
        dict(items[id_], annotation_id=f"{annotator}-{n}", annotator=annotator, debatable=None, **changes)
        for annotator, handed in work.items()
        for n, (id_, changes) in enumerate(handed)
    ]
    return annotations_frame(rows)


@pytest.mark.parametrize(
    ("work", "annotator", "column", "expected"),
    [
        pytest.param(  # the journalist is never another entity, even if the student named a mention so
            {"ana": [("a1", {"entity": JOURNALIST}), ("c1", {"said_by": JOURNALIST})]},
            "ana", "attribution_accuracy", 0.0, id="a claim credited to the journalist is the journalist's",
        ),
        pytest.param(
            {"ana": [("a2", {"entity": "cops"}), ("a1", {"entity": "the mayor"}), ("c1", {"said_by": "the mayor"})]},
            "ana", "attribution_accuracy", 1.0, id="a speaker renamed is the key's through the mentions",
        ),
        pytest.param(  # "X" shares two mentions with the key's Ana Ruiz and one with the police
            {"ana": [("a2", {"entity": "police"})],
             "ben": [("a1", {"entity": "X"}), ("a3", {"entity": "X"}), ("a2", {"entity": "X"}),
                     ("c1", {"said_by": "X"})]},
            "ben", "attribution_accuracy", 1.0, id="a name stands for the key entity it shares most mentions with",
        ),
        pytest.param(  # "Ruiz" at its first place (in "Mayor Ana Ruiz") is not the key's "Ruiz" further on
            {"ana": [("a3", words_at("Ruiz", 1))], "ben": [("a3", {})]},
            "ben", "actor_f1_exact", 0.5, id="the same words at another place are another span",
        ),
        pytest.param(  # ben's work was made on a text with other words there, and is scored without the article
            {"ana": [("a2", {})], "ben": [("a2", {"text": "Us two"})]},
            "ben", "actor_f1_overlap", 0.0, id="a span's words are its own, whoever tagged the same offsets",
        ),
    ],
)  # fmt: skip
def test_score_class_gives_each_annotator_what_score_gives_them_in_hard_cases(key, work, annotator, column, expected):
    scored = score_class_matches_score(handed_in(key, work), key)
    assert scored.set_index("annotator").loc[annotator, column] == expected


def test_score_class_scores_a_class_that_tagged_only_actors(key):
    """Nobody tagged a claim or gave a perspective, and the frame has no columns for them."""
    work = handed_in(key, {"ana": [("a1", {}), ("a2", {})], "ben": [("a2", {"label": "official"})]})
    columns = ["annotation_id", "annotator", "layer", "label", "start", "end", "text", "status", "entity"]
    work = pd.DataFrame(work[columns])
    for against in (key, key[key.layer == "actor"]):  # the key, or a key of actors only
        scored = score_class_matches_score(work, against)
        assert scored.actor_f1_overlap.tolist() == [0.8, 0.0]
        assert scored.claim_f1_overlap.tolist() == [0.0, 0.0]
        assert scored.attribution_accuracy.isna().all() and scored.stance_accuracy.isna().all()


def test_score_class_scores_against_a_key_of_actors_and_one_claim(key):
    """A key without perspectives and with a single claim: every student is still scored, as score scores them."""
    short = key[(key.layer == "actor") | (key.annotation_id == "c1")].reset_index(drop=True)
    work = handed_in(
        key,
        {
            "ana": [("a1", {}), ("c1", {}), ("p1", {})],
            "ben": [("a1", {}), ("c1", {"said_by": "Ana Ruiz"}), ("c2", {}), ("p1", {"stance": "oppose"})],
            "cy": [("c1", {})],
        },
    )
    scored = score_class_matches_score(work, short)
    assert scored.claim_f1_exact.tolist() == [1.0, 2 / 3, 1.0]
    assert scored.attribution_accuracy.tolist() == [1.0, 1.0, 1.0]
    assert scored.stance_accuracy.isna().all()


def test_score_class_names_each_annotator_by_the_text_of_their_name(key):
    """As score names them: numbers as text, a number written two ways as two names, no name as "None"."""
    actors = handed_in(key, {"x": [("a1", {}), ("a2", {}), ("a3", {})]})

    def work(*annotators):
        frame = pd.concat([actors.head(n + 1) for n in range(len(annotators))], ignore_index=True)
        names = [a for n, a in enumerate(annotators) for _ in range(n + 1)]
        return frame.assign(annotator=pd.Series(names, dtype=object))  # as written: 7 and 7.0 stay apart

    for annotators, expected in [
        (["ana"], {"ana": 0.5}),
        (["ana", "ben", None], {"ana": 0.5, "ben": 0.8, "None": 1.0}),
        ([7, 12], {"12": 0.8, "7": 0.5}),
        ([7, 7.0], {"7": 0.5, "7.0": 0.8}),
    ]:
        scored = annotkit.score_class(work(*annotators), key)
        assert dict(zip(scored.annotator, scored.actor_f1_exact, strict=True)) == expected
        assert {type(name) for name in scored.annotator} == {str}


def test_score_class_scores_work_read_back_from_a_spreadsheet(tmp_path, key):
    """Saved as CSV and read back, offsets may come back as text, and a column nobody filled in as NaN."""
    unattributed = key.assign(said_by=key.said_by.mask(key.annotation_id == "c2"))  # the key names no speaker
    work = handed_in(unattributed, {"ana": [("a1", {}), ("c1", {}), ("c2", {})], "ben": [("a3", {}), ("c2", {})]})
    work.assign(said_by=None).to_csv(tmp_path / "class.csv", index=False)  # nobody named a speaker
    for read in (pd.read_csv(tmp_path / "class.csv"), pd.read_csv(tmp_path / "class.csv", dtype=str)):
        scored = score_class_matches_score(read, unattributed)
        assert scored.attribution_accuracy.tolist() == [0.5, 1.0]  # no speaker is right only where the key has none
        assert scored.actor_f1_exact.tolist() == [0.5, 0.5]


def test_score_class_of_a_class_whose_work_is_all_orphaned_has_no_rows(key):
    work = handed_in(key, {"ana": [("a1", {}), ("c1", {}), ("p1", {})]}).assign(status="orphaned")
    for against in (key, key.iloc[:0]):  # against the key, or a key with nothing in it yet
        scored = annotkit.score_class(work, against)
        assert scored.empty and scored.columns[0] == "annotator"


# --- scoring: what score lists for the student, its table's rows, who a speaker is (mutation survivors, round 6) ---


def score_rows(result, layer, matching):
    """The score table's rows of one layer and matching, as plain tuples (None for no figure)."""
    rows = result.table.query("layer == @layer and matching == @matching")
    return [tuple(None if pd.isna(v) else v for v in row) for row in rows.itertuples(index=False)]


def test_score_lists_found_missed_extra_and_unsure_work_with_the_frames_own_columns(key):
    """found and missed are rows of the key, extra and unsure rows of the student's work (unsure with in_key)."""
    student = handed_in(
        key,
        {
            "ana": [
                ("a1", {"entity": "the mayor"}),
                ("a2", {"label": "unsure"}),  # the key's words, and "unsure" matches any label
                ("a2", {**words_at("the road"), "label": "unsure", "entity": "road crew"}),  # not in the key
                ("c1", {"said_by": "the mayor"}),
                ("c1", {**words_at("closed the road"), "said_by": "police"}),  # not in the key
                ("p1", {"entity": "the mayor", "stance": "unsure"}),  # the mayor: the key's Ana Ruiz, by the words
                ("p2", {"stance": "unsure"}),  # the critics, whom ana never tagged
                ("p2", {"entity": "road crew", "stance": "unsure"}),  # the key gives road crew no perspective
            ]
        },
    )
    result = score(student, key)
    assert result.found.annotation_id.tolist() == ["a1", "a2", "c1", "p1", "p2"]
    assert result.missed.annotation_id.tolist() == ["a3", "a4", "c2", "c3"]
    assert result.extra.annotation_id.tolist() == ["ana-2", "ana-4"]
    assert result.unsure.annotation_id.tolist() == ["ana-1", "ana-2", "ana-5", "ana-6", "ana-7"]
    assert result.unsure.in_key.tolist() == [True, False, True, True, False]
    assert result.unsure.in_key.dtype == bool
    for frame, columns in [(result.found, key.columns), (result.missed, key.columns), (result.extra, student.columns),
                           (result.unsure, [*student.columns, "in_key"])]:  # fmt: skip
        assert frame.columns.tolist() == list(columns)
        assert frame.index.tolist() == list(range(len(frame)))
    # both perspectives agree through a stance "unsure": not counted, but counted as found and as unsure
    assert score_rows(result, "perspective", "stance")[-1] == ("perspective", "(all)", "stance", 2, 3, 2, 2 / 3, 1.0,
                                                               0.8, 1, 2)  # fmt: skip
    assert result.stance_accuracy is None


def test_a_student_sure_of_everything_has_an_empty_unsure_list_with_a_true_false_in_key(key):
    result = score(handed_in(key, {"ana": [("a1", {}), ("p1", {})]}), key)
    assert result.unsure.empty and result.unsure.in_key.dtype == bool
    assert result.unsure[~result.unsure.in_key].empty


def test_the_score_table_has_a_row_for_every_label_of_the_key_and_of_the_student(key):
    no_perspectives = score(handed_in(key, {"ana": [("a1", {}), ("a2", {"label": "unsure"})]}), key)
    for matching in ("exact", "overlap"):
        labels = [row[1] for row in score_rows(no_perspectives, "actor", matching)]
        assert labels == ["military_or_security", "official", "public_or_civil_society", "unsure", "(all)"]
    # the debatable perspective on the critics, missed, is excused: one perspective to give
    assert score_rows(no_perspectives, "perspective", "stance") == [
        ("perspective", "perspective", "stance", 1, 0, 0, None, 0.0, 0.0, 0, 0),
        ("perspective", "(all)", "stance", 1, 0, 0, None, 0.0, 0.0, 0, 0),
    ]
    wrong_stance = score(handed_in(key, {"ana": [("p1", {"stance": "oppose"})]}), key)
    assert score_rows(wrong_stance, "perspective", "stance") == [
        ("perspective", "perspective", "stance", 1, 1, 0, 0.0, 0.0, 0.0, 0, 0),
        ("perspective", "(all)", "stance", 1, 1, 0, 0.0, 0.0, 0.0, 0, 0),
    ]


def test_a_key_span_is_found_once_the_same_words_tagged_twice_leave_one_tag_over(key):
    """Both tags say "unsure": the first is counted in the row of the key's label, the second stays an "unsure"."""
    result = score(handed_in(key, {"ana": [("a2", {"label": "unsure"}), ("a2", {"label": "unsure"})]}), key)
    for matching in ("exact", "overlap"):
        assert figures(result, "actor", "military_or_security", matching) == (1, 1, 1)
        assert figures(result, "actor", "unsure", matching) == (0, 1, 0)


@pytest.mark.parametrize(
    ("work", "expected"),
    [
        pytest.param(  # X shares one mention with the police (tagged first) and two with Ana Ruiz
            [("a2", {"entity": "X"}), ("a1", {"entity": "X"}), ("a3", {"entity": "X"}), ("c1", {"said_by": "X"})],
            1.0, id="the key entity it shares most mentions with, whichever came first",
        ),
        pytest.param(  # one mention each: the first mention decides
            [("a2", {"entity": "Y"}), ("a1", {"entity": "Y"}), ("c1", {"said_by": "Y"})],
            0.0, id="on a tie, the key entity of its first mention",
        ),
        pytest.param(
            [("a1", {**words_at("the city"), "entity": "the council"}), ("c1", {"said_by": "the council"})],
            0.0, id="a name of the student's own, on words the key does not tag, is nobody in the key",
        ),
        pytest.param(  # c3 is debatable: a speaker left blank is no agreement, and a disagreement is not counted
            [("a1", {**words_at("the road"), "entity": None}), ("c3", {"said_by": None})],
            None, id="a speaker left blank is nobody, even when an actor's name is left blank too",
        ),
    ],
)  # fmt: skip
def test_a_speaker_named_by_the_student_is_the_key_entity_their_mentions_of_that_name_share_words_with(
    key, work, expected
):
    assert score(handed_in(key, {"ana": work}), key).attribution_accuracy == expected


POLICE = words_at("Police")["start"]


@pytest.mark.parametrize(
    ("work", "key_end", "annotator", "column", "expected"),
    [
        pytest.param(  # no characters between its offsets: it shares none with the key's "Police"
            {"ana": [("a2", {"end": POLICE})]}, None,
            "ana", "actor_f1_overlap", 0.0, id="a span with the key's words and no characters",
        ),
        pytest.param(  # the key's own "Police" given no characters, ana's with its six
            {"ana": [("a2", words_at("Police"))]}, POLICE,
            "ana", "actor_f1_overlap", 0.0, id="a key span with no characters",
        ),
        pytest.param(  # ben's "Police" starts seven characters early: its words are not where the key's are
            {"ana": [("a2", {})], "ben": [("a2", {"start": POLICE - 7})]}, None,
            "ben", "actor_f1_overlap", 0.0, id="the same words and end as another's span, starting elsewhere",
        ),
        pytest.param(  # ben's "Police" ends three characters late: its words are the key's, its offsets are not
            {"ana": [("a2", {})], "ben": [("a2", {"end": POLICE + 9})]}, None,
            "ben", "actor_f1_exact", 0.0, id="the same words and start as another's span, ending elsewhere",
        ),
    ],
)  # fmt: skip
def test_score_class_scores_a_span_whose_text_does_not_fill_its_offsets_as_score_does(
    key, work, key_end, annotator, column, expected
):
    """Work edited by hand (or a key): a span is where its offsets say, and its words are its own text."""
    if key_end is not None:
        key = key.assign(end=key.end.mask(key.annotation_id == "a2", key_end))
    scored = score_class_matches_score(handed_in(key, work), key)
    assert scored.set_index("annotator").loc[annotator, column] == expected


def work_on_an_older_text(tmp_path):
    """ana's actors, tagged on an older version of the article's text: two are found again, one is gone."""
    older = annotkit.Article.from_text(
        TEXT.replace("Storm Hits Coast", "Storm Hit The Coast"), article_id=ARTICLE.article_id
    )
    store = annotkit.open_store(tmp_path / "old.sqlite", annotator="ana")
    for words, label in [("Mayor Ana Ruiz", "official"), ("Police", "military_or_security"), ("Hit The", "official")]:
        start = older.text.index(words)
        store.add(older, layer="actor", label=label, start=start, end=start + len(words), entity=words)
    work = store.annotations()
    store.close()
    return work


def _points_at_this_file(warning) -> bool:
    """Whether a warning names this file's line as its cause (under mutmut, its trampoline stands in between)."""
    under_mutmut = Path(warning.filename).name == "trampoline.py" and "mutmut" in Path(warning.filename).parts
    return warning.filename == __file__ or under_mutmut


@pytest.mark.parametrize("scorer", [annotkit.score, annotkit.score_class])
def test_work_on_another_version_of_the_text_is_placed_and_the_warning_says_how_much_was_lost(tmp_path, key, scorer):
    with pytest.warns(annotkit.AnnotkitWarning) as warned:
        scorer(work_on_an_older_text(tmp_path), key, article=ARTICLE)
    assert [str(w.message) for w in warned] == [
        "3 annotations were made on another version of the article's text: 2 were found again by their words, and 1 "
        "could not be found and are not scored."
    ]
    assert _points_at_this_file(warned[0])  # the warning points at the teacher's own call


def test_score_class_scores_work_made_on_another_version_of_the_text_where_its_words_are_now(tmp_path, key):
    work = work_on_an_older_text(tmp_path)
    with pytest.warns(annotkit.AnnotkitWarning):
        placed = annotkit.score_class(work, key, article=ARTICLE)
    assert placed.actor_f1_exact.tolist() == [0.8]  # two of the three firm actors, and nothing else that counts
    assert annotkit.score_class(work, key).actor_f1_exact.tolist() == [0.0]


def test_a_key_for_another_article_is_refused_naming_the_key_and_the_article_given(key):
    work = handed_in(key, {"ana": [("a1", {})]})
    two_articles = key.assign(article_id=key.article_id.mask(key.layer == "claim", "0123456789abcdef"))
    for scorer in (annotkit.score, annotkit.score_class):
        with pytest.raises(AnnotationError) as refused:
            scorer(work, two_articles, article=ARTICLE)
        assert str(refused.value) == (
            f"The key is for 0123456789abcdef, {ARTICLE.article_id}, not for the article given ('Storm Hits Coast'). "
            "Load the key of this article: annotkit.load_key(article)."
        )
    unsaid = key.drop(columns="article_id")  # a key that does not say its article is taken for the article given
    assert annotkit.score_class(work, unsaid, article=ARTICLE).actor_f1_exact.tolist() == [0.5]
    assert figures(score(work, unsaid, article=ARTICLE), "actor", matching="exact") == (3, 1, 1)


def test_work_on_another_article_is_refused_saying_whose_it_is_and_what_to_do(key):
    other = "0123456789abcdef"
    names = ["fay", "eve", "dan", "cy", "ben", "ana"]  # six: the message names the first five
    work = handed_in(key, {name: [("a1", {"article_id": other})] for name in names})
    nameless = handed_in(key, {"x": [("a1", {"article_id": other}), ("a2", {"article_id": other})]}).assign(
        annotator=None
    )
    two_keys = key.assign(article_id=key.article_id.mask(key.layer == "claim", other))
    far, this = "fedcba9876543210", ARTICLE.article_id
    for scorer in (annotkit.score, annotkit.score_class):
        for annotations, against, message in [
            (work, key, f"6 annotations (by ana, ben, cy, dan, eve) are for another article than the key's ({this})."),
            (nameless, key, f"2 annotations (by unknown) are for another article than the key's ({this})."),
            (work.assign(article_id=far), two_keys,
             f"6 annotations (by ana, ben, cy, dan, eve) are for another article than the key's ({other}, {this})."),
        ]:  # fmt: skip
            with pytest.raises(AnnotationError) as refused:
                scorer(annotations, against)
            assert str(refused.value) == (
                f"{message} Score each article against its own key, e.g. "
                "annotations[annotations.article_id == article.article_id]."
            )


def test_work_or_a_key_that_does_not_say_its_article_is_scored(key):
    work = handed_in(key, {"ana": [("a1", {}), ("a2", {})]})
    for annotations, against in [
        (work.assign(article_id=None), key),  # the work does not say which article it is for
        (work, key.drop(columns="article_id")),  # nor does the key
        (work, key.assign(article_id=None)),  # the key's column is there but blank (a spreadsheet's empty cells)
        (work, key.assign(article_id="")),
    ]:
        assert annotkit.score_class(annotations, against).actor_f1_exact.tolist() == [0.8]
        assert figures(score(annotations, against), "actor", matching="exact") == (3, 2, 2)


@pytest.mark.parametrize(("yes", "no"), [("yes", "no"), ("Yes", "No"), ("1", "0"), ("TRUE", "false")])
def test_a_key_read_back_from_a_spreadsheet_says_debatable_in_words_or_numbers(key, yes, no):
    """The critics (an actor, a claim and a perspective) are debatable: missed, they are not held against ana."""
    as_text = key.assign(debatable=key.debatable.map({True: yes, False: no}))
    work = handed_in(key, {"ana": [("a1", {})]})
    assert score(work, as_text).table.equals(score(work, key).table)
    assert figures(score(work, as_text), "claim") == (2, 0, 0)


def test_work_read_back_from_a_spreadsheet_with_blank_attribute_columns_still_says_unsure(tmp_path, key):
    """Columns nobody filled in come back from a CSV file as numbers (NaN): they must not hide the ones after them."""
    work = handed_in(key, {"ana": [("a1", {}), ("p1", {"stance": "unsure"})]})
    work.to_csv(tmp_path / "work.csv", index=False)
    read = pd.read_csv(tmp_path / "work.csv")
    assert read.affiliation.dtype == float  # a blank column before "stance"
    assert score(read, key).unsure.annotation_id.tolist() == ["ana-1"]
    assert annotkit.score_class(read, key).perspective_unsure.tolist() == [1]


def test_a_perspective_labelled_otherwise_by_the_student_still_agrees_with_the_keys(key):
    """Stances are matched by the actor, whatever the label: each label's row counts its own perspectives."""
    result = score(handed_in(key, {"ana": [("p1", {"label": "viewpoint"})]}), key)
    rows = score_rows(result, "perspective", "stance")
    assert [row[:6] for row in rows] == [
        ("perspective", "perspective", "stance", 1, 0, 1),
        ("perspective", "viewpoint", "stance", 0, 1, 0),
        ("perspective", "(all)", "stance", 1, 1, 1),
    ]
    assert rows[-1][6:] == (1.0, 1.0, 1.0, 0, 0)
    assert result.stance_accuracy == 1.0
