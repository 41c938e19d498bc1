"""The scheme's teaching text: examples from the made-up example story, never the answers for the real article.

Every phrase the scheme quotes (two words or more, in double quotes) must be words of the example story
(``data/articles/example-tarn-pass.txt``), unless the text says it is not in the story; and no run of five words
of the course's real article may appear anywhere in the scheme's examples and near-misses.
"""

import re

import pytest

import annotkit

SCHEME = annotkit.load_scheme()
EXAMPLE = annotkit.load_bundled_article("example-tarn-pass")
REAL = annotkit.load_bundled_article()
NOT_IN_STORY = "Not in the example story"


def texts():
    """Every (where, field, text) of the scheme a student reads."""
    for layer in SCHEME.layers:
        yield f"{layer.name}", "definition", layer.definition
        for choice in layer.labels:
            for field in ("definition", "example", "near_miss"):
                yield f"{layer.name}.label.{choice.id}", field, getattr(choice, field)
        for attribute in layer.attributes:
            for field in ("definition", "example", "near_miss"):
                yield f"{layer.name}.{attribute.name}", field, getattr(attribute, field)
            for value in attribute.choices:
                for field in ("definition", "example", "near_miss"):
                    yield f"{layer.name}.{attribute.name}.{value.id}", field, getattr(value, field)


def normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", normal(text).lower())


TEXTS = list(texts())
QUOTED = [
    (where, field, phrase)
    for where, field, text in TEXTS
    if not text.startswith(NOT_IN_STORY)
    for phrase in re.findall(r'"([^"]+)"', normal(text))
    if len(phrase.split()) >= 2 and phrase not in {"the journalist"}
]


def test_the_example_story_is_bundled_and_marked_as_invented():
    assert EXAMPLE.article_id == "example-tarn-pass" or EXAMPLE.source.endswith("example-tarn-pass.txt")
    assert EXAMPLE.metadata["fictional"] is True
    assert "invented" in EXAMPLE.metadata["outlet"]
    assert 400 <= int(EXAMPLE.tokens["is_word"].sum()) <= 700  # short enough to read in five minutes


def test_the_scheme_quotes_many_phrases():
    assert len(QUOTED) >= 80


@pytest.mark.parametrize(("where", "field", "phrase"), QUOTED, ids=lambda x: x if len(x) < 40 else x[:40])
def test_every_quoted_example_is_in_the_example_story(where, field, phrase):
    story = normal(EXAMPLE.text).casefold()  # a phrase may start a sentence in the story, or not
    assert phrase.rstrip(".,").casefold() in story, f"{where}.{field} quotes {phrase!r}: not in the example story"


def test_no_example_or_near_miss_repeats_the_real_article():
    real = words(REAL.text)
    fives = {tuple(real[i : i + 5]) for i in range(len(real) - 4)}
    found = []
    for where, field, text in TEXTS:
        mine = words(text)
        runs = [tuple(mine[i : i + 5]) for i in range(len(mine) - 4)]
        found += [(where, field, " ".join(run)) for run in runs if run in fives]
    assert not found


@pytest.mark.parametrize(
    "name", ["Biden", "Psaki", "Austin", "Zimmerman", "Taleblu", "Kadhimi", "Hussein", "ISIS", "militia", "VOA"]
)
def test_no_example_names_the_real_articles_people(name):
    examples = [(where, text) for where, field, text in TEXTS if field != "definition"]
    assert not [where for where, text in examples if name.lower() in text.lower()]


def test_each_article_has_one_central_question():
    assert SCHEME.central_question(REAL) == "Should U.S. troops stay in Iraq?"
    assert SCHEME.central_question(EXAMPLE) == "Should soldiers keep guarding the Tarn Pass checkpoint?"
