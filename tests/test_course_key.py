"""The answer key follows the rules the course teaches (its notes_for_teachers), and quotes the article exactly.

tests/test_keys.py checks that the key is valid data; these tests check that it is a *good* key: the rules a
student is taught hold for every item, so a teacher can read any note out in class.
"""

import json
import re

import pytest

import annotkit
from annotkit.keys import find_key

ARTICLE = annotkit.load_bundled_article()
KEY = annotkit.answer_key(ARTICLE)
SPEC = json.loads(find_key(ARTICLE).read_text(encoding="utf-8"))
ACTORS = KEY[KEY.layer == "actor"]
CLAIMS = KEY[KEY.layer == "claim"]
PERSPECTIVES = KEY[KEY.layer == "perspective"]
JOURNALIST = "the journalist"
PARAGRAPHS = ARTICLE.paragraphs
ENTITIES = set(ACTORS.entity)
REPORTING = r"(?:says|said|say|told|tells|explained|replied|warned|added|blames|blamed|announced|according)"
# Words the key quotes from outside the article, on purpose (each is explained in its note).
OUTSIDE_QUOTES = {"at its invitation"}
# Who may speak for an actor, so that their claims are evidence of its stance.
SPEAKS_FOR = {
    "the United States": {"the United States and Iraq"},
    "Iraq": {"the United States and Iraq"},
    "the Biden administration": {"Joe Biden", "Jen Psaki", "a senior U.S. official"},
    "Iran-linked militias": {"a pro-Iranian militia commander"},
    "Iran-linked political factions": {"others in Iraq"},
    "Iran": {"Behnam Ben Taleblu"},  # only as evidence that Iran does *not* speak: its stance is unclear
}


def kind_at(start):
    return PARAGRAPHS.loc[PARAGRAPHS["start"] <= start, "kind"].iloc[-1]


def test_the_central_question_asks_one_thing():
    question = SPEC["central_question"]
    assert question == annotkit.load_scheme().central_question(ARTICLE) == "Should U.S. troops stay in Iraq?"
    assert " and " not in question and question.count("?") == 1


@pytest.mark.parametrize("row", list(PERSPECTIVES.itertuples()), ids=lambda r: r.entity)
def test_a_perspective_on_an_actor_the_key_calls_debatable_is_debatable(row):
    mentions = ACTORS[ACTORS.entity == row.entity]
    if mentions["debatable"].all():
        assert row.debatable, f"{row.annotation_id}: every mention of {row.entity} is debatable, so is its stance"


@pytest.mark.parametrize("row", list(PERSPECTIVES.itertuples()), ids=lambda r: r.entity)
def test_a_stance_rests_on_the_actors_own_words_or_those_who_speak_for_it(row):
    if row.evidence is None or str(row.evidence) == "<NA>":
        return
    for claim_id in str(row.evidence).split(";"):
        said_by = CLAIMS.set_index("annotation_id").loc[claim_id, "said_by"]
        allowed = {row.entity, JOURNALIST, *SPEAKS_FOR.get(row.entity, ())}
        assert said_by in allowed, f"{row.annotation_id} ({row.entity}) takes its evidence from {said_by}"


def test_an_accusation_is_nobodys_stance():
    blame = CLAIMS[CLAIMS.text.str.contains("blames")]
    assert len(blame) == 1
    evidence = ";".join(PERSPECTIVES.evidence.dropna())
    assert blame.annotation_id.item() not in evidence


def test_the_reporters_own_voice_has_its_own_form():
    assert set(CLAIMS.loc[CLAIMS.said_by == JOURNALIST, "form"]) == {"reporter_voice"}
    assert JOURNALIST not in set(CLAIMS.loc[CLAIMS.form == "reporter_voice", "said_by"].str.replace(JOURNALIST, "x"))


@pytest.mark.parametrize("row", list(CLAIMS.itertuples()), ids=lambda r: r.annotation_id)
def test_a_claim_does_not_start_or_end_with_its_reporting_words(row):
    text = row.text
    assert not re.search(rf"\b{REPORTING}[.,]?$", text), f"{row.annotation_id} ends with its reporting words"
    for mention in ACTORS.loc[ACTORS.entity == row.said_by, "text"]:
        assert not re.match(rf"{re.escape(mention)} {REPORTING}\b", text), f"{row.annotation_id} starts with them"


def test_one_caption_policy_for_actors_and_claims_and_the_headline_is_firm():
    spans = KEY[KEY.layer != "perspective"]
    kinds = spans.start.map(kind_at)
    assert spans.loc[kinds == "caption", "debatable"].all()
    assert not spans.loc[kinds == "headline", "debatable"].any()
    assert (kinds == "caption").sum() >= 5 and set(spans.loc[kinds == "caption", "layer"]) == {"actor", "claim"}


@pytest.mark.parametrize("words", ["some", "others"])
def test_vague_groups_are_described_not_anonymous(words):
    row = ACTORS[ACTORS.text == words]
    assert row.identification.tolist() == ["described"]


def test_countries_that_only_appear_in_a_forecast_are_debatable():
    last = PARAGRAPHS.set_index("para_id").loc[21]
    in_21 = ACTORS[(ACTORS.start >= last.start) & (ACTORS.end <= last.end)]
    assert in_21.set_index("text").loc[["Iran", "America"], "debatable"].all()


def test_the_date_the_article_gets_wrong_has_a_fact_check_note():
    note = CLAIMS.set_index("text").filter(like="begun in 2015", axis=0).note.item()
    assert "June 2014" in note and "August 2014" in note


def _quoted(text):
    """The phrases a note or rationale puts in double quotes, cut at an ellipsis."""
    for phrase in re.findall(r'"([^"]+)"', text):
        yield from (part.strip(" .,") for part in phrase.split("..."))


def _normal(text):
    """Quotation marks of any kind as one, spaces as one, case ignored: a note may nest quotes differently."""
    for mark in ("\u2019", "\u2018", "\u201c", "\u201d", '"'):
        text = text.replace(mark, "'")
    return " ".join(text.split()).casefold()


@pytest.mark.parametrize("row", list(KEY.itertuples()), ids=lambda r: r.annotation_id)
def test_every_quotation_in_a_note_or_rationale_is_the_articles_words(row):
    article = _normal(ARTICLE.text)
    texts = [row.note] + ([row.rationale] if isinstance(row.rationale, str) else [])
    for text in texts:
        for phrase in _quoted(text):
            if len(phrase.split()) < 2 or phrase in OUTSIDE_QUOTES or phrase in ENTITIES:
                continue
            assert _normal(phrase) in article, f"{row.annotation_id} quotes {phrase!r}, which the article does not say"
