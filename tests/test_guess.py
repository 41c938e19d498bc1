"""Actor guesses (annotkit.guess): the issue's failures, each kind of mention, and the figure on the answer key."""

import re

import pandas as pd
import pytest

import annotkit
from annotkit.guess import guess_entity

BUNDLED = annotkit.load_bundled_article()
KEY = annotkit.load_key(BUNDLED)
KEY_ACTORS = KEY[KEY.layer == "actor"].sort_values("start").to_dict("records")


def span(article, words, occurrence=1):
    """(start, end) of the occurrence-th appearance of words as whole words."""
    found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", article.text)]
    return found[occurrence - 1]


def key_guess(words, occurrence=1):
    """The guess for a key mention, given the key's earlier mentions (what a student who tagged them has)."""
    start, end = span(BUNDLED, words, occurrence)
    return guess_entity(BUNDLED, start, end, tagged=[row for row in KEY_ACTORS if row["start"] < start])


def guess(article, words, tagged=(), occurrence=1):
    return guess_entity(article, *span(article, words, occurrence), tagged=tagged)


def tag(article, words, entity, label="official", affiliation=None, occurrence=1):
    start, end = span(article, words, occurrence)
    return {"start": start, "end": end, "text": words, "label": label, "entity": entity, "affiliation": affiliation}


# --- the cases -----------------------------------------------------------------------------------


def test_an_organisations_name_is_never_cut():
    assert key_guess("the American Enterprise Institute") == "the American Enterprise Institute"
    assert key_guess("Foundation for Defense of Democracies") == "Foundation for Defense of Democracies"
    assert key_guess("U.S. Marines") == "U.S. Marines"  # not "Marines"


@pytest.mark.parametrize(
    ("words", "occurrence", "entity"),
    [
        ("he", 1, "Lloyd Austin"),  # "Asked by VOA whether he would classify ..."
        ("he", 2, "Fuad Hussein"),  # "Fuad Hussein told VOA's Kurdish Service last week he expected ..."
        ("the Iraqi leader", 1, "Mustafa al-Kadhimi"),
        ("the Iraqi prime minister", 1, "Mustafa al-Kadhimi"),
        ("the group", 1, "ISIS"),
        ("Austin", 2, "Lloyd Austin"),
        ("Taleblu", 2, "Behnam Ben Taleblu"),
    ],
)
def test_pronouns_roles_and_surnames_become_the_actor_tagged_before(words, occurrence, entity):
    assert key_guess(words, occurrence) == entity


def test_vague_mentions_with_no_good_guess_are_the_words_cleaned():
    assert key_guess("officials") == "officials"
    assert key_guess("some") == "some"
    assert key_guess("those partners") == "America's partners"  # tagged before as "partners"
    assert guess(BUNDLED, "the Iraqi leader") == "Iraqi leader"  # nothing tagged: the words, without "the"
    assert guess(BUNDLED, "these networks") == "networks"


# --- each kind of mention, on a small article -------------------------------------------------------------

STORY = annotkit.Article.from_text(
    "Bridge Plan Divides Town\n\n"
    'Mayor Ana Ruiz and Councillor Tom Becker met residents on Monday. "We will rebuild it," Ruiz said. '
    '"I promise," she added.\n\n'
    "Becker disagreed. He said the mayor had not asked the town's engineers, and they were not consulted.\n\n"
    "Kenyan Police said a group of protesters blocked the road. Ruiz later met them. She said the council "
    "(the Riverside Town Council) would vote. The council has nine members; it meets monthly.\n\n"
    "A report by the Institute for Bridge Safety called the plan risky. The institute's director, "
    "Dr. Leila Haddad, said she would testify."
)


def test_names_lose_their_roles_and_surnames_find_the_full_name():
    assert guess(STORY, "Mayor Ana Ruiz") == "Ana Ruiz"
    ruiz = tag(STORY, "Mayor Ana Ruiz", "Ana Ruiz")
    assert guess(STORY, "Ruiz", [ruiz]) == "Ana Ruiz"
    assert guess(STORY, "Dr. Leila Haddad") == "Leila Haddad"
    assert guess(STORY, "Becker") == "Becker"  # nothing tagged and no quotation gives a fuller name


def test_a_surname_without_anything_tagged_takes_the_full_name_the_quote_reader_found():
    assert guess(BUNDLED, "Biden") == "Joe Biden"  # the headline's "Biden"; Joe Biden is quoted later


def test_he_and_she_follow_the_nearest_person_of_the_right_gender():
    ruiz = tag(STORY, "Mayor Ana Ruiz", "Ana Ruiz")
    becker = tag(STORY, "Councillor Tom Becker", "Tom Becker")
    becker_again = tag(STORY, "Becker", "Tom Becker", occurrence=2)
    assert guess(STORY, "He", [ruiz, becker, becker_again]) == "Tom Becker"
    # "Ruiz later met them. She said": the nearest person is Ruiz; the text shows she is a woman ("she added")
    ruiz_later = tag(STORY, "Ruiz", "Ana Ruiz", occurrence=3)
    assert guess(STORY, "She", [ruiz, becker, becker_again, ruiz_later]) == "Ana Ruiz"
    # Becker is nearer, but "she" cannot be him once a "he" is linked to him
    he = tag(STORY, "He", "Tom Becker")
    assert guess(STORY, "She", [ruiz, becker, becker_again, he]) == "Ana Ruiz"


def test_i_and_we_in_a_quotation_are_its_speaker_and_their_side():
    ruiz = tag(STORY, "Mayor Ana Ruiz", "Ana Ruiz", affiliation="other")
    assert guess(STORY, "I", [ruiz]) == "Ana Ruiz"
    article = annotkit.Article.from_text(
        'Talks Resume\n\nThe United States and Iraq met on Monday. "We are ready," said Defense Secretary Lloyd '
        "Austin. The talks went on."
    )
    us = tag(article, "The United States", "the United States", "government_body", "united_states")
    austin = tag(article, "Defense Secretary Lloyd Austin", "Lloyd Austin", affiliation="united_states")
    assert guess(article, "We", [us, austin]) == "the United States"
    assert guess(article, "We", [austin]) == "the United States"  # the country, named as a new actor


def test_they_and_it_follow_the_nearest_group():
    protesters = tag(STORY, "a group of protesters", "protesters", "public_or_civil_society")
    ruiz = tag(STORY, "Ruiz", "Ana Ruiz", occurrence=3)
    assert guess(STORY, "them", [protesters, ruiz], occurrence=1) == "protesters"  # "Ruiz later met them"
    council = tag(STORY, "The council", "the Riverside Town Council", "government_body")
    assert guess(STORY, "it", [ruiz, council], occurrence=2) == "the Riverside Town Council"  # "it meets monthly"


def test_words_in_brackets_after_a_tag_name_the_same_actor():
    council = tag(STORY, "the council", "the town council", "government_body")
    assert guess(STORY, "the Riverside Town Council", [council]) == "the town council"


def test_a_group_of_is_dropped_and_the_same_words_link_again():
    assert guess(STORY, "a group of protesters") == "protesters"
    police = tag(STORY, "Kenyan Police", "Kenyan Police", "military_or_security", "kenya")
    assert guess(BUNDLED, "tens of thousands of foreign fighters") == "foreign fighters"
    assert guess_entity(STORY, *span(STORY, "Kenyan Police"), tagged=[police]) == "Kenyan Police"


def test_a_description_needs_its_country_and_its_words_to_fit():
    forces = tag(BUNDLED, "U.S. forces", "U.S. forces", "military_or_security", "united_states")
    iraqi = tag(BUNDLED, "Iraqi security forces", "Iraqi security forces", "military_or_security", "iraq")
    assert guess(BUNDLED, "American troops", [forces, iraqi]) == "U.S. forces"
    assert guess(BUNDLED, "Iraq's security forces", [forces, iraqi]) == "Iraqi security forces"
    assert guess(BUNDLED, "coalition forces", [forces, iraqi]) == "coalition forces"  # "coalition" fits neither
    assert guess(BUNDLED, "Iraqi government forces", [forces]) == "Iraqi government forces"


def test_a_country_by_another_name():
    us = tag(BUNDLED, "the United States", "the United States", "government_body", "united_states")
    assert guess(BUNDLED, "America", [us], occurrence=2) == "the United States"
    iran = tag(BUNDLED, "Iran", "Iran", "government_body", "iran", occurrence=3)
    assert guess(BUNDLED, "the Islamic Republic", [iran]) == "Iran"
    iraq = tag(BUNDLED, "Iraq", "Iraq", "government_body", "iraq", occurrence=5)  # "... and Iraq following"
    assert guess(BUNDLED, "the two countries", [us, iraq]) == "the United States and Iraq"
    pair = tag(BUNDLED, "the two countries", "the United States and Iraq", "government_body", "other")
    assert guess(BUNDLED, "the two sides", [us, iraq, pair]) == "the United States and Iraq"


def test_tagged_may_be_a_frame_with_other_layers_and_empty_values():
    rows = [
        tag(BUNDLED, "Defense Secretary Lloyd Austin", "Lloyd Austin"),
        {"layer": "claim", "start": 1, "end": 5, "text": "x", "entity": "Nobody", "label": "claim"},
        {"layer": "actor", "start": None, "end": None, "text": "lost", "entity": "Somebody", "label": "official"},
        {"layer": "actor", "start": 3, "end": 9, "text": "y", "entity": None, "label": "official"},
    ]
    frame = annotkit.records.annotations_frame(rows)
    assert guess(BUNDLED, "Austin", frame, occurrence=2) == "Lloyd Austin"
    assert guess(BUNDLED, "Austin", pd.DataFrame(rows), occurrence=2) == "Lloyd Austin"
    assert guess(BUNDLED, "Austin", rows, occurrence=2) == "Lloyd Austin"


def test_the_mention_itself_is_not_its_own_evidence():
    he = tag(STORY, "He", "Somebody Else")
    becker = tag(STORY, "Councillor Tom Becker", "Tom Becker")
    assert guess(STORY, "He", [he, becker]) == "Tom Becker"


# --- the figure on the answer key -----------------------------------------------------------------------


def key_figures():
    """How often the guess is the key's entity, each key mention given the key's earlier ones (ignoring case and
    a leading "the"): over all mentions, and over the firm ones."""

    def same(a, b):
        a, b = a.casefold(), b.casefold()
        return a.removeprefix("the ") == b.removeprefix("the ")

    right = [
        same(guess_entity(BUNDLED, row["start"], row["end"], tagged=KEY_ACTORS[:i]), row["entity"])
        for i, row in enumerate(KEY_ACTORS)
    ]
    firm = [ok for ok, row in zip(right, KEY_ACTORS, strict=True) if not row["debatable"]]
    return sum(right) / len(right), sum(firm) / len(firm)


def test_the_guess_is_the_keys_actor_for_most_mentions():
    overall, firm = key_figures()
    # Measured: 86% of all mentions (the old guess: 44%), and every firm one (53 in the key re-keyed for Course v2).
    assert overall >= 0.8 and firm >= 0.95, (overall, firm)


def test_a_description_of_one_country_prefers_that_country_to_a_pair():
    iraq = tag(BUNDLED, "Iraq", "Iraq", "government_body", "iraq", occurrence=5)
    pair = tag(BUNDLED, "the two sides", "the United States and Iraq", "government_body", "other")
    assert guess(BUNDLED, "Iraqi authorities", [iraq, pair]) == "Iraq"  # the pair is nearer, but it is two


def test_one_leader_is_a_person_and_leaders_are_not():
    kadhimi = tag(BUNDLED, "Iraqi Prime Minister Mustafa al-Kadhimi", "Mustafa al-Kadhimi", affiliation="iraq")
    assert guess(BUNDLED, "the Iraqi leader", [kadhimi]) == "Mustafa al-Kadhimi"
    assert guess(BUNDLED, "Iraqi leaders", [kadhimi]) == "Iraqi leaders"


def test_one_official_is_not_a_group_of_officials():
    article = annotkit.Article.from_text(
        "Talks\n\nOfficials said talks would go on. The official added that it was hard."
    )
    officials = tag(article, "Officials", "unnamed officials", affiliation="other")
    assert guess(article, "The official", [officials]) == "official"
