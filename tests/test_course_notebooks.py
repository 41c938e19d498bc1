"""The course notebooks, run and checked from outside, the way nbgrader keeps grading out of the student's view.

Each test runs a student notebook top to bottom in a real kernel with a throw-away store. Where a student would
tag, the test fills the notebook's own tagging tool from the answer key through the tool's Python API
(``course_autofill``, which a student's kernel never imports), then checks what the notebook shows against the
key and the scoring. A broken widget, key or scoring fails these tests; so does a lesson whose stated facts no
longer match the article.
"""

from pathlib import Path

import pytest
from course_harness import NOTEBOOKS, STUDENT_NOTEBOOKS, NotebookRun, reflection_ids

import annotkit
from annotkit.records import JOURNALIST

ARTICLE = annotkit.load_bundled_article()
KEY = annotkit.answer_key(ARTICLE)
FIRM = KEY[~KEY.debatable]
N_FIRM = FIRM.groupby("layer").size().to_dict()


def test_00_start_here(tmp_path):
    with NotebookRun(NOTEBOOKS / "00_start_here.ipynb", tmp_path) as run:
        run.run_to_end()
        for table in ("paragraphs", "sentences", "tokens", "quotes"):
            bad = run.value(f"[r.Index for r in article.{table}.itertuples() if article.text[r.start:r.end] != r.text]")
            assert bad == [], f"article.{table} rows that do not point at their own words: {bad}"
        assert run.value("article.paragraphs['kind'].tolist().count('caption')") == 2  # each caption once
        assert run.value("article.paragraphs['kind'].iloc[-1]") == "credit"
        assert run.value("'Accessibility links' in article.text") is False
        assert run.value("len(article.quotes)") == 14
        assert run.value("article.quotes['speaker'].iloc[0]") == "Joe Biden"
        speakers = set(run.value("sorted(set(quoted_words['speaker']))"))
        assert {"Lloyd Austin", "Jen Psaki", "Katherine Zimmerman", "Behnam Ben Taleblu"} <= speakers
        # The fold-out answer: the longest sentence is the UN report's, in paragraph 18.
        longest = run.value(
            "article.sentences.loc[article.sentences['text'].str.len().idxmax(), ['para_id', 'text']].to_dict()"
        )
        assert longest["para_id"] == 18 and longest["text"].startswith("Attacks in Baghdad in January and April")
        assert run.value("my_article.quotes['speaker'].tolist()") == ["Ana Ruiz", "Critics"]
        assert "Your work is saved in:" in run.text("where-saved")


def test_01_reading_the_article_and_its_fold_out_answers(tmp_path):
    with NotebookRun(NOTEBOOKS / "01_reading_the_article.ipynb", tmp_path) as run:
        run.run_to_end()
        assert run.value("int(per_paragraph.sum())") == run.value("len(words)") == 928
        assert run.value("body['para_id'].tolist()") == [2, 3, 4, 5, *range(7, 22)]
        assert run.value("[int(per_paragraph.idxmax()), int(per_paragraph.max())]") == [11, 94]  # Try it 1
        assert run.value("int(spoken.sum())") == 386
        assert run.value("spoken.index[0]") == "Behnam Ben Taleblu"
        experts = run.value("int(spoken[['Katherine Zimmerman', 'Behnam Ben Taleblu']].sum())")
        officials = run.value("int(spoken[['Joe Biden', 'Jen Psaki', 'Lloyd Austin']].sum())")
        assert (experts, round(experts / 386 * 100)) == (156, 40)  # Try it 2
        assert (officials, round(officials / 386 * 100)) == (96, 25)
        assert run.value("int(spoken['Joe Biden'])") == 35 and run.value("int(spoken['a senior U.S. official'])") == 73
        no_quotation = run.value("sorted(int(p) for p in set(body['para_id']) - set(article.quotes['para_id']))")
        assert no_quotation == [2, 4, 10, 12, 13, 15, 16, 17, 19]  # Try it 3
        assert run.value("reported['sent_id'].tolist()") == [2, 4, 12, 19, 23]
        assert run.value("bool(reported['text'].str.contains('\"').any())") is False
        # Reported speech also sits in paragraphs with a quotation (the fold-out answer says so).
        for para, words in ((3, "said the new role"), (21, "warned that Iran")):
            assert words in run.value(f"article.paragraphs.loc[{para}, 'text']")


def _check(run, name):
    """Press Check my work in the kernel; return (found, total, the count it shows)."""
    run.execute(f"{name}.check()")
    return run.value(f"[{name}.progress.found, {name}.progress.total, {name}.progress.text]")


def test_02_actors_tagged_as_the_key_says_score_full_marks(tmp_path):
    actors = FIRM[FIRM.layer == "actor"]
    end_of_first_half = ARTICLE.paragraphs.loc[11, "start"]
    first_half = actors[actors.start < end_of_first_half]
    with NotebookRun(NOTEBOOKS / "02_actors.ipynb", tmp_path) as run:
        run.run_through("check-first-half")
        assert _check(run, "check_first")[0] == 0  # an empty store: nothing found yet, and no error
        assert run.fill("actors", paragraphs=list(range(11))) == len(first_half)
        columns = ["start", "end", "label", "entity", "affiliation", "identification"]
        saved = run.value(f"actors.annotations[{columns}].sort_values(['start', 'end']).values.tolist()")
        assert saved == first_half[columns].sort_values(["start", "end"]).values.tolist()
        assert run.value("len(actors.tagger.spans)") == len(first_half)  # one highlight per saved tag
        value, maximum, counter = _check(run, "check_first")
        assert value == maximum == len(first_half) and counter == f"{len(first_half)} of {len(first_half)}"

        run.run_through("tag-whole")
        run.fill("all_actors")
        assert run.value("len(all_actors.annotations)") == len(actors)
        assert set(run.value("list(actors.annotations['annotation_id'])")) <= set(
            run.value("list(all_actors.annotations['annotation_id'])")
        )
        run.run_to_end()
        value, maximum, _ = _check(run, "check")
        assert value == maximum == N_FIRM["actor"] == 53


def test_02_a_student_who_keeps_working_after_check_my_work_meets_no_error(tmp_path):
    """The issue's case: press Check my work, tag one more mention, run the next cells."""
    with NotebookRun(NOTEBOOKS / "02_actors.ipynb", tmp_path) as run:
        run.run_through("check-first-half")
        _check(run, "check_first")
        run.execute("actors.tag('Biden', label='official', entity='Joe Biden')")
        run.run_to_end()
        assert run.value("len(all_actors.annotations)") == 1


def test_03_claims_tagged_as_the_key_says_score_full_marks(tmp_path):
    claims = FIRM[FIRM.layer == "claim"]
    news = claims[claims.start.between(ARTICLE.paragraphs.loc[2, "start"], ARTICLE.paragraphs.loc[10, "start"] - 1)]
    with NotebookRun(NOTEBOOKS / "03_claims.ipynb", tmp_path) as run:
        run.run_through("speakers")
        assert "You have not tagged any actors yet." in run.text("speakers")
        run.run_through("check-news")
        assert _check(run, "check_news")[:2] == [0, len(news)]  # out of the firm claims in paragraphs 2-9 only
        assert run.fill("claims", paragraphs=list(range(2, 10))) == len(news)
        value, maximum, counter = _check(run, "check_news")
        assert value == maximum == len(news) and counter == f"{len(news)} of {len(news)}"
        speakers = set(run.value("list(claims.annotations['said_by'].dropna())"))
        assert speakers <= {"the journalist", *run.value("store.entities(article)")}
        run.run_through("checkable")
        assert len(run.value("checkable['text'].tolist()")) == (news.checkable == "yes").sum()
        run.run_through("tag-whole")
        run.fill("all_claims")
        run.run_to_end()
        value, maximum, _ = _check(run, "check")
        assert value == maximum == N_FIRM["claim"] == 28
        result = run.value(
            "annotkit.score(store.annotations(article, annotator=store.annotator), annotkit.load_key(article))"
            ".attribution_accuracy"
        )
        assert result == 1.0


def test_04_perspectives_from_the_key_agree_with_it(tmp_path):
    with NotebookRun(NOTEBOOKS / "04_perspectives.ipynb", tmp_path) as run:
        run.run_through("crosstab")
        assert "No stances yet" in run.text("crosstab")  # an empty store: a message, not the key's answers
        assert "Should U.S. troops stay in Iraq?" in run.text("question")
        run.fill("actors", include_debatable=True)
        run.execute("board.refresh()")
        filled = run.fill("board", include_debatable=True)
        assert filled == (KEY.layer == "perspective").sum()
        run.run_to_end()
        stance = run.value(
            "annotkit.score(store.annotations(article, annotator=store.annotator), annotkit.load_key(article))"
            ".stance_accuracy"
        )
        assert stance == 1.0
        assert set(run.value("list(board.annotations['entity'])")) <= set(run.value("store.entities(article)"))
        assert run.value("int(words.sum())") == 386 and run.value("int(share['U.S. government'])") == 44
        heard = run.value("heard.to_dict()")
        assert heard["quoted words"]["U.S. forces"] == 0 and heard["mentions"]["U.S. forces"] == 21
        value, _, _ = _check(run, "check")
        assert value >= N_FIRM["perspective"]  # every stance is the key's: at least every firm one is found


def test_05_compare_and_discuss_with_the_sample_class(tmp_path):
    with NotebookRun(NOTEBOOKS / "05_compare_and_discuss.ipynb", tmp_path) as run:
        run.run_through("setup")
        run.execute(
            "from annotkit.widgets import ActorTagger, ClaimTagger, PerspectiveBoard\n"
            "tools = [ActorTagger(article, store=store), ClaimTagger(article, store=store), "
            "PerspectiveBoard(article, store=store)]"
        )
        for index in range(3):
            run.fill(f"tools[{index}]")
        run.run_to_end()
        assert run.value("len(names)") == 24 and run.value("len(work.problems)") == 1
        assert run.value("[observed, round(chance, 2)]") == [0.8, 0.52]
        assert abs(run.value("kappa") - run.value("annotkit.cohen_kappa(example['Ana'], example['Sam'])")) < 1e-12
        assert 0.5 < run.value("actors_agreement.krippendorff_alpha") < 0.8
        assert run.value("len(prompts)") == 8
        assert run.value("float(scores.loc['me', 'attribution_accuracy'])") == 1.0
        assert set(run.value("list(split_claims.columns)")) <= {"the journalist", "someone in the story", "most common"}


def test_06_bring_your_own_article_with_the_sample(tmp_path):
    with NotebookRun(NOTEBOOKS / "06_bring_your_own_article.ipynb", tmp_path) as run:
        run.run_through("tag-actors")
        run.execute(
            "actors.tag('the town council', label='government_body', entity='the town council', "
            "identification='described')\n"
            "actors.tag('town engineer Priya Natarajan', label='official', identification='named')\n"
            "actors.tag('Shop owners on Mill Street', label='public_or_civil_society', identification='described')\n"
            "actors.tag('Tom Becker', label='public_or_civil_society', affiliation='none', identification='named')\n"
            "actors.tag('Becker', label='public_or_civil_society', occurrence=2, identification='named')\n"
            "actors.tag('Council member Grace Owusu', label='official', entity='Grace Owusu', identification='named')\n"
            "actors.tag('the council', label='government_body', occurrence=2, entity='the town council')\n"
            "actors.tag('she', label='official', entity='Grace Owusu', identification='described')"
        )
        run.run_through("tag-claims")
        run.execute(
            "claims.tag('About 6,000 vehicles cross the 80-year-old bridge every day', said_by='the journalist', "
            "form='reporter_voice', claim_type='fact_or_figure', checkable='yes')\n"
            "claims.tag('his sales fell by a third the last time the bridge was closed, in 2015', "
            "said_by='Tom Becker', form='indirect', claim_type='fact_or_figure', checkable='yes')\n"
            "claims.tag('The repairs will cost 1.2 million dollars', said_by='the town council', form='indirect', "
            "claim_type='fact_or_figure', checkable='yes')"
        )
        run.run_to_end()
        assert run.value("quotes['checked_speaker'].tolist()") == ["Priya Natarajan"] * 2 + ["Tom Becker"] * 2 + [
            "Grace Owusu"
        ]
        assert run.value("sorted(not_tagged)") == []
        assert run.value("len(my_key)") == 11
        assert set(run.value("result.table.query('n_key > 0')['f1'].tolist()")) == {1.0}
        assert run.value("len(back)") == 11


# A student with an empty store: nbval runs every notebook so, top to bottom (pyproject's addopts), and the browser
# tests run each one in JupyterLab too; a third run here would only cost time.


@pytest.mark.parametrize(
    ("para", "words"),
    [
        (3, "(Islamic State group)"),  # 07 task 1: VOA's brackets inside the quotation marks
        (5, '"The security relationship will fully transition'),  # 07 task 3: the statement, cut mid-sentence
        (5, "and that there will be no U.S. forces"),
        (13, "Fuad Hussein told VOA's Kurdish Service"),  # 07 task 3: his only role in the article
        (12, "which had begun in 2015"),  # 07 task 4
        (12, "there was no timeline"),
        (11, "that's about where we are now"),  # 07 task 4, 08 section 1
        (14, "American Enterprise Institute"),  # 07 task 5
        (20, "Foundation for Defense of Democracies"),
        (0, "Biden Announces End to US Combat Mission in Iraq"),  # 08 section 1
        (6, "listens"),  # 07 task 2, 08
        (21, "Taleblu further warned"),  # 08: the last word
    ],
)
def test_the_paragraphs_lessons_07_and_08_point_to_say_what_the_lessons_say(para, words):
    assert words in ARTICLE.paragraphs.loc[para, "text"]


def test_08_labels_and_verbs(tmp_path):
    with NotebookRun(NOTEBOOKS / "08_framing_the_story.ipynb", tmp_path) as run:
        run.run_to_end()
        labels = run.value("pd.DataFrame(rows).values.tolist()")
        assert ["endless wars", 20, "Behnam Ben Taleblu"] in labels
        assert ["Iran-linked", 15, "the reporter's"] in labels
        assert ["mission accomplished", 11, "a senior U.S. official"] in labels
        verbs = run.value("article.quotes.groupby('speaker')['cue'].agg(lambda c: sorted(set(c.dropna()))).to_dict()")
        assert verbs["Jen Psaki"] == ["explained"] and "warned" in verbs["Behnam Ben Taleblu"]


FIND_WIDGETS = (
    "from annotkit.widgets import HandIn as _HandIn, Reflection as _Reflection\n"
    "from annotkit.widgets._base import live_widgets as _live\n"
    "_boxes = [w for w in _live(store) if isinstance(w, _Reflection)]\n"
    "_buttons = [w for w in _live(store) if isinstance(w, _HandIn)]\n"
)


def _half_done(store_path):
    """A store as a student leaves it halfway: tags with only some choices made, an unsure, an unanswered form."""
    store = annotkit.open_store(store_path, annotator="student")
    try:

        def span(words, occurrence=1):
            start = -1
            for _ in range(occurrence):
                start = ARTICLE.text.index(words, start + 1)
            return {"start": start, "end": start + len(words)}

        store.add(ARTICLE, layer="actor", label="official", entity="Lloyd Austin", **span("Lloyd Austin"))
        store.add(ARTICLE, layer="actor", label="unsure", entity="Biden", **span("Biden", 2))
        store.add(ARTICLE, layer="actor", label="armed_non_state_group", entity="militias", identification="described",
                  **span("Iran-linked militias"))  # fmt: skip
        store.add(ARTICLE, layer="claim", label="claim", said_by="Lloyd Austin",
                  **span("I think trying to make that distinction is very difficult"))  # fmt: skip
        store.add(ARTICLE, layer="claim", label="unsure", said_by=JOURNALIST, checkable="yes",
                  **span("the current level of approximately 2,500"))  # fmt: skip
        store.add(ARTICLE, layer="perspective", label="perspective", entity="Lloyd Austin", frame="security")
        store.add(ARTICLE, layer="perspective", label="perspective", entity="militias", stance="unsure")
        store.reflect(ARTICLE, "02-anonymous-source", "Half an ans", question="Why?")
        other = annotkit.Article.from_text("Town Votes\n\nThe mayor said no.", article_id="town-votes")
        at = other.text.index("The mayor")
        store.add(other, layer="actor", label="official", entity="the mayor", start=at, end=at + 9)
    finally:
        store.close()


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_half_done_work_run_all_twice_a_restart_and_the_hand_in_lose_nothing(tmp_path, path):
    """A student who stopped halfway runs every cell, answers every reflection box of the lesson, presses its Hand in
    button, tags a little more and runs every cell again; then restarts the kernel: no error on the way, the teacher
    gets every answer, and the new kernel finds all the work. (A Run All after the restart would repeat the first one,
    a new kernel on saved work: the course runs ~70 times per suite, so the new kernel runs only the set-up cell.)"""
    _half_done(tmp_path / "work.sqlite")
    asked = reflection_ids(path)
    with NotebookRun(path, tmp_path) as run:
        run.run_to_end()  # any error raises
        run.execute(FIND_WIDGETS)
        assert sorted(run.value("[box.question_id for box in _boxes]")) == sorted(asked)
        assert run.value("len(_buttons)") == 1
        run.execute("for _box in _boxes:\n    _box.save(f'My answer to {_box.question_id}.')")
        receipt = run.value("str(_buttons[0].hand_in(name='Sam Lee').path)")
        assert run.value("_buttons[0].status['kind']") == "ok"
        run.execute(
            "_more = annotkit.load_bundled_article()\n"
            "_at = _more.text.index('Jen Psaki')\n"
            "store.add(_more, layer='actor', label='official', entity='Jen Psaki', start=_at, end=_at + 9)"
        )
        run.run_again()  # Run All Cells a second time, in the same kernel
    with NotebookRun(path, tmp_path) as run:  # a new kernel on the same work
        run.run_through("setup")
        run.execute("_store, _bundled = annotkit.open_store(), annotkit.load_bundled_article()")
        assert run.value("len(_store.annotations(_bundled, annotator='student'))") == 8
        latest = run.value(  # the newest answer to each question (earlier ones are kept too)
            "dict(_store.reflections()[['question_id', 'answer']].values.tolist())"
        )
        assert {question_id: latest[question_id] for question_id in asked} == {
            question_id: f"My answer to {question_id}." for question_id in asked
        }
    assert Path(receipt).parent == tmp_path / "annotkit-hand-in"  # the student's own copy, in their home folder
    work = annotkit.read_submissions(receipt)
    assert work.problems.empty
    assert work.submissions["student_name"].unique().tolist() == ["Sam Lee"]
    answers = dict(zip(work.reflections["question_id"], work.reflections["answer"], strict=True))
    # The lesson's answers, and the half-done store's earlier one where this lesson did not ask it again.
    earlier = {"02-anonymous-source": "Half an ans"}
    assert answers == {**earlier, **{question_id: f"My answer to {question_id}." for question_id in asked}}


@pytest.mark.parametrize(
    ("lesson", "jump_to"),
    [("02_actors.ipynb", "mine"), ("03_claims.ipynb", "per-speaker"), ("04_perspectives.ipynb", "crosstab")],
)
def test_a_student_who_skips_the_tools_to_the_analysis_meets_no_error(tmp_path, lesson, jump_to):
    """Next day: run the first cell, then jump straight to the lesson's analysis (it reads the saved work)."""
    _half_done(tmp_path / "work.sqlite")
    with NotebookRun(NOTEBOOKS / lesson, tmp_path) as run:
        run.run_through("setup")
        run.skip_to(jump_to)
        run.run_to_end()
