"""The bundled answer key is data a teacher may edit: these checks catch an edit that breaks it."""

import json

import pytest

import annotkit
from annotkit.keys import answer_key, find_key

ARTICLE = annotkit.load_bundled_article()
KEY = answer_key(ARTICLE)
SCHEME = annotkit.load_scheme()
SPEC = json.loads(find_key(ARTICLE).read_text(encoding="utf-8"))


def test_the_key_belongs_to_the_article_and_the_scheme():
    assert SPEC["article_id"] == ARTICLE.article_id
    assert (SPEC["scheme"], SPEC["scheme_version"]) == (SCHEME.name, SCHEME.version)
    assert SPEC["central_question"] == SCHEME.central_question(ARTICLE)
    assert len(SPEC["notes_for_teachers"]) > 200


def test_the_key_covers_all_three_layers_in_depth():
    counts = KEY.groupby("layer").size().to_dict()
    assert counts["actor"] >= 80
    assert counts["claim"] >= 40
    assert counts["perspective"] >= 15
    quoted = set(ARTICLE.quotes.speaker)
    entities = set(KEY.loc[KEY.layer == "actor", "entity"])
    assert quoted - {"the two countries", "a United Nations report"} <= entities


@pytest.mark.parametrize("row", list(KEY[KEY.layer != "perspective"].itertuples()), ids=lambda r: r.annotation_id)
def test_every_span_is_on_token_boundaries_and_its_own_text(row):
    assert ARTICLE.text[row.start : row.end] == row.text
    assert row.start in set(ARTICLE.tokens.start)
    assert row.end in set(ARTICLE.tokens.end)


@pytest.mark.parametrize("row", list(KEY.itertuples()), ids=lambda r: r.annotation_id)
def test_every_item_fits_the_scheme_and_explains_itself(row):
    attributes = {
        a.name: getattr(row, a.name) for a in SCHEME.layer(row.layer).attributes if str(getattr(row, a.name)) != "<NA>"
    }
    SCHEME.validate(row.layer, row.label, attributes)
    assert str(row.note).strip() not in ("", "<NA>")


def test_claims_and_perspectives_refer_to_tagged_actors_and_claims():
    entities = set(KEY.loc[KEY.layer == "actor", "entity"])
    claims = KEY[KEY.layer == "claim"]
    assert set(claims.said_by) <= entities | {"the journalist"}
    perspectives = KEY[KEY.layer == "perspective"]
    assert set(perspectives.entity) <= entities
    assert perspectives.entity.is_unique
    claim_ids = set(claims.annotation_id)
    for evidence in perspectives.evidence.dropna():
        assert set(evidence.split(";")) <= claim_ids


def test_no_span_is_tagged_twice_in_a_layer():
    spans = KEY[KEY.layer != "perspective"]
    assert not spans.duplicated(["layer", "start", "end"]).any()


def test_the_key_scores_perfectly_against_itself():
    result = annotkit.score(KEY, KEY)
    assert set(result.table.f1) == {1.0}
    assert result.attribution_accuracy == result.stance_accuracy == 1.0


def test_a_key_for_another_article_is_refused_by_name(tmp_path):
    other = annotkit.Article.from_text("Another Story\n\nPresident Joe Biden spoke.", format="txt")
    key = annotkit.data_path("keys", "voa-2021-07-26-us-combat-mission-iraq.json")
    with pytest.raises(annotkit.AnnotationError, match="is for article 'aaa91f2c72e71a0f', not this one"):
        annotkit.answer_key(other, path=key)
