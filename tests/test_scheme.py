import json
import re

import pytest

import annotkit
from annotkit import AnnotationError, SchemeError, load_scheme
from annotkit.scheme import ALWAYS_ALLOWED

SCHEME = load_scheme()


def all_choices():
    for layer in SCHEME.layers:
        for label in layer.labels:
            yield f"{layer.name}.label.{label.id}", label
        for attribute in layer.attributes:
            yield f"{layer.name}.{attribute.name}", attribute
            for value in attribute.choices:
                yield f"{layer.name}.{attribute.name}.{value.id}", value


@pytest.mark.parametrize(("where", "choice"), list(all_choices()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_label_value_and_attribute_is_explained_with_an_example_and_a_near_miss(where, choice):
    assert choice.definition.strip(), f"{where} has no definition"
    assert choice.example.strip() and choice.example != "See each value.", f"{where} has no example"
    assert choice.near_miss.strip(), f"{where} has no near-miss"


def test_the_three_layers_and_their_attributes():
    assert [layer.name for layer in SCHEME.layers] == ["actor", "claim", "perspective"]
    assert SCHEME.layer("actor").kind == SCHEME.layer("claim").kind == "span"
    assert SCHEME.layer("perspective").kind == "record"
    assert [a.name for a in SCHEME.layer("actor").attributes] == ["entity", "affiliation", "identification"]
    assert [a.name for a in SCHEME.layer("claim").attributes] == ["said_by", "form", "claim_type", "checkable"]
    assert [a.name for a in SCHEME.layer("perspective").attributes] == [
        "entity",
        "stance",
        "frame",
        "rationale",
        "evidence",
    ]
    assert set(SCHEME.layer("actor").label_ids) >= {"official", "armed_non_state_group", "media", "other", "unsure"}


def test_other_and_unsure_are_always_allowed():
    for layer in SCHEME.layers:
        if len(layer.labels) > 1:
            assert set(ALWAYS_ALLOWED) <= set(layer.label_ids)
        for attribute in layer.attributes:
            if attribute.kind == "choice":
                assert set(ALWAYS_ALLOWED) <= set(attribute.values), attribute.name


def test_central_question_of_the_bundled_article():
    article = annotkit.load_bundled_article()
    assert SCHEME.central_question(article) == "Should U.S. troops stay in Iraq?"
    assert SCHEME.central_question(annotkit.Article.from_text("A Headline Here\n\nText here. More text.")) is None


def test_to_frame_is_one_tidy_table_for_a_notebook():
    frame = SCHEME.to_frame()
    assert list(frame.columns) == ["layer", "field", "value", "name", "definition", "example", "near_miss"]
    assert len(frame) == len(list(all_choices()))


@pytest.mark.parametrize(
    ("layer", "label", "attributes", "message"),
    [
        ("claim", "claim", {"said_by": "Joe Biden", "form": 3}, "The form of a claim must be text, not int (3)."),
        ("claim", "claim", {"said_by": "Joe Biden", "checkable": "maybe"},
         "'maybe' is not a checkable the scheme knows. Choose one of: yes, no, other, unsure."),
        ("claim", "claim", {}, "A claim needs said_by: Who makes the claim"),
    ],
)  # fmt: skip
def test_validation_messages(layer, label, attributes, message):
    with pytest.raises(AnnotationError, match=re.escape(message)):
        SCHEME.validate(layer, label, attributes)


def test_validate_tidies_values():
    clean = SCHEME.validate(
        "perspective", "perspective", {"entity": "  Joe   Biden ", "evidence": ["c1", " c2 "], "rationale": ""}
    )
    assert clean == {"entity": "Joe Biden", "evidence": "c1;c2"}


def write_scheme(tmp_path, spec):
    path = tmp_path / "my_scheme.json"
    path.write_text(spec if isinstance(spec, str) else json.dumps(spec), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{not json", "The scheme file my_scheme.json is not valid JSON"),
        ({"layers": {}}, 'The scheme file my_scheme.json needs a "layers" object with at least one layer.'),
        ({"layers": {"actor": {"kind": "blob"}}}, "Layer 'actor' has kind 'blob'; it must be one of: span, record."),
        ({"layers": {"actor": {"kind": "span", "labels": {"a": {"definition": "A."}, "b": {"definition": "B."}}}}},
         "Layer 'actor' labels must include other and unsure: students may always say other or unsure."),
        ({"layers": {"actor": {"kind": "span", "labels": {"a": {"name": "A"}}}}},
         "Layer 'actor' labels: 'a' needs a definition, in words a student can follow."),
    ],
)  # fmt: skip
def test_a_broken_scheme_file_says_what_to_fix(tmp_path, spec, message):
    with pytest.raises(SchemeError, match=re.escape(message)):
        load_scheme(write_scheme(tmp_path, spec))


def test_a_missing_scheme_file(tmp_path):
    with pytest.raises(SchemeError, match=re.escape("Copy data/schemes/default.json and edit the copy.")):
        load_scheme(tmp_path / "nope.json")


def test_a_teachers_copy_with_a_new_label_works(tmp_path):
    spec = json.loads(annotkit.data_path("schemes", "default.json").read_text(encoding="utf-8"))
    spec["layers"]["actor"]["labels"]["company"] = {"name": "Company", "definition": "A business."}
    scheme = load_scheme(write_scheme(tmp_path, spec))
    assert "company" in scheme.layer("actor").label_ids
