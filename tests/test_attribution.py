"""Rules of quotation attribution that a review found untested: each case fails when its rule is changed.

The speakers shared across the parts of a quotation that runs over paragraphs (in both directions), the colon
that hands the floor to the person named before it, the adverbs a cue may carry ("also said", "later told"),
and the labels that say how a speaker was found ("same sentence", "previous quote", "same quote").
"""

import pandas as pd
import pytest

from annotkit import Article


def quotes(body):
    frame = Article.from_text(f"Headline Here\n\n{body}").quotes
    return frame[["text", "speaker", "attribution"]].values.tolist()


def test_a_speaker_named_in_the_first_part_speaks_every_part():
    body = '"The first part runs on," said Ana Ruiz. "It keeps going\n\n"and ends here."\n\nA later paragraph.'
    assert quotes(body) == [
        ["The first part runs on", "Ana Ruiz", "after quote"],
        ["It keeps going", "Ana Ruiz", "previous quote"],
        ["and ends here.", "Ana Ruiz", "previous quote"],  # the part that opens the next paragraph
    ]


def test_a_speaker_named_only_in_the_last_part_speaks_the_earlier_ones_too():
    body = '"The first part runs on.\n\n"And it ends here," said Ana Ruiz.\n\nA later paragraph.'
    assert quotes(body) == [
        ["The first part runs on.", "Ana Ruiz", "same quote"],
        ["And it ends here", "Ana Ruiz", "after quote"],
    ]


def test_a_part_never_takes_a_speaker_from_another_quotation():
    body = '"We won," said Ana Ruiz.\n\nThe crowd cheered for a while.\n\n"Nobody told us," one man said later.'
    first, second = quotes(body)
    assert (first[1], second[1]) == ("Ana Ruiz", "one man")


@pytest.mark.parametrize(
    "body",
    [
        'Ana Ruiz said: "We are ready."',
        'Ana Ruiz told reporters on Monday: "We are ready."',
        'Asked about it, Ana Ruiz replied: "We are ready."',
    ],
)
def test_a_colon_hands_the_floor_to_the_person_named_before_it(body):
    assert quotes(body) == [["We are ready.", "Ana Ruiz", "before quote"]]


@pytest.mark.parametrize(
    ("body", "speaker", "cue"),
    [
        ('"We will win," Joe Biden also said.', "Joe Biden", "said"),
        ('"They lost," Ana Ruiz later told reporters.', "Ana Ruiz", "told"),
        ('"No," Bo Li separately said.', "Bo Li", "said"),
        ('"No," Bo Li said again.', "Bo Li", "said"),
    ],
)
def test_an_adverb_between_the_speaker_and_the_cue_is_stepped_over(body, speaker, cue):
    frame = Article.from_text(f"Headline Here\n\n{body}").quotes
    assert frame[["speaker", "cue", "attribution"]].values.tolist() == [[speaker, cue, "after quote"]]


def test_a_second_quotation_in_the_same_sentence_is_labelled_so():
    body = 'Mayor Ana Ruiz called the plan "a disaster" and "a waste of money that nobody ever wanted."'
    assert quotes(body) == [
        ["a disaster", "Ana Ruiz", "before quote"],
        ["a waste of money that nobody ever wanted.", "Ana Ruiz", "same sentence"],
    ]


def test_a_quotation_in_the_next_sentence_takes_the_previous_speaker():
    body = 'Mayor Ana Ruiz spoke. "We will rebuild," she said. "Nobody will be left out."\n\nEnd.'
    assert quotes(body)[-1] == ["Nobody will be left out.", "Ana Ruiz", "previous quote"]


# --- session 3: more of news prose's ways of naming a speaker (made-up sentences, one rule each) ---------------


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # the quoted sentence runs on past its closing mark, then the speaker comes after the cue
        ('"He can try, but it seems unlikely" that Ruiz can win, said Omar Haddad, a pollster.', "Omar Haddad"),
        ('"Nobody saw it" but the guards, says Lena Ortiz.', "Lena Ortiz"),
        # ... or before the cue, after the last comma
        ('"I trust their account" more than that of the chief, Okafor said.', "Okafor"),
        ('"She is a mother of three," another friend, Mara Lind told reporters.', "Mara Lind"),
    ],
    ids=["runs-on-said-name", "runs-on-says-name", "runs-on-name-said", "friend-comma-name"],
)
def test_a_speaker_named_after_the_quoted_sentence_runs_on(body, speaker):
    assert quotes(body)[0][1] == speaker


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # "told" takes an object: the word after it is who was told, not who spoke
        ('"We are ready," Omar Haddad, a former candidate, told Channel Nine.', "Omar Haddad"),
        ('"We are ready," Omar Haddad, a former candidate, said dryly.', "Omar Haddad"),
        # a speaker after the cue must close the clause: "said the days when ..." names nobody
        ('Lena Ortiz, author of "Going Viral," about rumours, said the days of one story are gone.', None),
        # "continues to" is no cue
        ('Ruiz opposes "boots on the ground" in the region, his office continues to say otherwise.', None),
    ],
    ids=["told-an-object", "said-an-adverb", "said-the-days-when", "continues-to"],
)
def test_words_after_a_cue_that_do_not_name_the_speaker(body, speaker):
    found = quotes(body)[0][1]
    assert (None if pd.isna(found) else found) == speaker


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ('"This is fantastic!" said Omar Haddad of Springfield.', "Omar Haddad"),
        ('"Nobody can build that," wrote Gov. Lena Ortiz of Vermont.', "Lena Ortiz"),
        ('"We need the data," said Secretary of State Mara Lind.', "Mara Lind"),
        ('"It is a stretch," said Jeff Lee at the Martin Center for Studies.', "Jeff Lee"),
    ],
)
def test_the_person_named_before_a_place_or_employer_is_the_speaker(body, speaker):
    assert quotes(body)[0][1] == speaker


@pytest.mark.parametrize("cue", ["answered", "pressed", "beamed", "reacted", "snapped", "barked"])
def test_more_reporting_verbs(cue):
    assert quotes(f'"This is fantastic!" {cue} Omar Haddad of Springfield.')[0][1] == "Omar Haddad"


@pytest.mark.parametrize(
    ("body", "speaker", "role"),
    [
        (
            "Democratic candidate Lena Ortiz is releasing an ad that urges voters to “send a message” to banks.",
            "Lena Ortiz",
            "Democratic candidate",
        ),
        ("Lena Ortiz spoke on Monday. Ortiz has increasingly decried “systemic racism.”", "Lena Ortiz", None),
        (
            "On Thursday, after staying neutral for months, Lena Ortiz endorsed Haddad, saying, “She is a fighter.”",
            "Lena Ortiz",
            None,
        ),
        ("Back in 1999, Mr. Haddad praised her, telling a reporter: “I wish I could be like that.”", "Haddad", "Mr."),
        ("Omar Haddad lost. And then Haddad went on the attack, saying, “He should resign.”", "Omar Haddad", None),
        ("The Slate columnist Omar Haddad went so far as to say: “It is over.”", "Omar Haddad", "Slate columnist"),
        ("Omar Haddad lost. The Vermont senator emailed supporters saying: “We go on.”", "The Vermont senator", None),
        ("In May, the justice sounded off on him, saying she did not “want to contemplate” it.", "the justice", None),
    ],
    ids=["role-and-auxiliary", "surname-adverb", "two-opening-phrases", "back-in", "and-then", "the-columnist-name",
         "the-vermont-senator", "the-justice"],
)  # fmt: skip
def test_the_subject_of_the_sentence_speaks_its_partial_quotation(body, speaker, role):
    frame = Article.from_text(f"Headline Here\n\n{body}").quotes
    row = frame.iloc[0]
    assert (row.speaker, None if pd.isna(row.role) else row.role, row.attribution) == (
        speaker,
        role,
        "sentence subject",
    )


@pytest.mark.parametrize(
    "body",
    [
        "Sen. Omar Haddad's answer drew “laughter” from the hall.",
        "The cable indicated 13 security staff were “the minimum” needed.",
        "Omar Haddad spoke. The town's own report is “inaccurate,” the review found.",
    ],
    ids=["possessive", "the-cable", "not-a-title-head"],
)
def test_what_is_not_the_subject_of_a_partial_quotation(body):
    row = Article.from_text(f"Headline Here\n\n{body}").quotes.iloc[0]
    assert pd.isna(row.speaker), row.speaker


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Lena Ortiz agreed. “Mainstream voters are running out of time.”", "Lena Ortiz"),
        ("Omar Haddad touted his record as a sponsor of the bill. “We need to support workers.”", "Omar Haddad"),
        # a sentence with a quotation of its own does not hand its subject on
        ("Lena Ortiz called it “a mess” on Monday. “Nobody wanted this.”", "Lena Ortiz"),
        # the previous sentence must be in the same paragraph and have a person as its subject
        ("Lena Ortiz agreed.\n\n“Voters are running out of time.”", None),
        ("The vote was close. “Voters are running out of time.”", None),
    ],
    ids=["agreed", "touted", "own-quotation", "other-paragraph", "no-person"],
)
def test_a_quotation_standing_alone_after_a_sentence_about_a_person(body, speaker):
    row = Article.from_text(f"Headline Here\n\n{body}").quotes.iloc[-1]
    assert (None if pd.isna(row.speaker) else row.speaker) == speaker


@pytest.mark.parametrize(
    ("headline", "speaker"),
    [
        ("Lena Ortiz Says Haddad, ‘Old Guard’ Pose A Threat", "Lena Ortiz"),
        ("Floods Are ‘The Crisis Of Our Time,’ Omar Haddad Tells Convention", "Omar Haddad"),
        ("Floods Are ‘The Crisis Of Our Time,’ City Council Warns", None),  # an organization word: no person
        ("Haddad Tells Voters ‘Enough’", "Omar Haddad"),  # a surname the article names in full
    ],
)
def test_a_headline_hands_its_quotation_to_the_person_before_its_reporting_verb(headline, speaker):
    article = Article.from_text(f"{headline}\n\nOmar Haddad said so on Monday. Lena Ortiz said so too.")
    row = article.quotes.iloc[0]
    assert (None if pd.isna(row.speaker) else row.speaker) == speaker
    assert pd.isna(row.speaker) or row.attribution == "headline"


# --- who said it: the speaker's phrase (mutation survivors, part 1) ---


def _it_or_they(organizations, position, context=None):
    """Who "they" at ``position`` stands for, with these organizations named earlier in the article."""
    from annotkit.attribution import speaker_from_phrase
    from annotkit.names import Names

    names = Names()
    names.organizations = list(organizations)
    return speaker_from_phrase("they", names, position, context)[0]


@pytest.mark.parametrize(
    ("organizations", "position", "speaker"),
    [
        ([(10, "Acme Corp"), (500, "Beta Group")], 100, "Acme Corp"),  # one named after the quotation is no antecedent
        ([(10, "Acme Corp"), (100, "Beta Group")], 100, "Acme Corp"),  # nor one named at its very position
        ([(1000, "Acme Corp")], 2000, "Acme Corp"),  # a thousand characters back is near enough
        ([(100, "Acme Corp")], 1600, None),  # fifteen hundred is too far
        ([(100, "Acme Corp")], 1599, "Acme Corp"),
    ],
    ids=["named-after", "named-at", "near", "too-far", "just-near-enough"],
)
def test_it_or_they_stands_for_the_last_organization_named_shortly_before(organizations, position, speaker):
    assert _it_or_they(organizations, position) == speaker


@pytest.mark.parametrize(
    ("group_at", "position", "speaker"),
    [
        (2000, 4000, "the union"),  # the group that spoke two thousand characters back
        (0, 2999, "the union"),
        (0, 3000, None),  # three thousand characters back is too far
        (0, 5000, None),
    ],
)
def test_it_or_they_stands_for_the_group_that_spoke_shortly_before(group_at, position, speaker):
    from annotkit.attribution import Context

    assert _it_or_they([], position, Context("the union", group_at)) == speaker


def test_it_or_they_stands_for_whichever_group_came_last_and_needs_no_context():
    from annotkit.attribution import Context

    assert _it_or_they([(100, "Acme Corp")], 900) == "Acme Corp"
    assert _it_or_they([(100, "Acme Corp")], 900, Context()) == "Acme Corp"
    assert _it_or_they([(100, "Acme Corp")], 900, Context("the union", 50)) == "Acme Corp"
    assert _it_or_they([(100, "Acme Corp")], 900, Context("the union", 300)) == "the union"


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ('"We will win" in the end, said the pollster.', "the pollster"),  # a determiner opens the speaker
        ('"We will win" in the end, said quietly.', None),  # an adverb names nobody
        ('"We will win" in the end, said Monday night.', None),  # nor does a date
    ],
    ids=["the-pollster", "quietly", "monday-night"],
)
def test_what_may_name_the_speaker_after_a_quoted_sentence_that_runs_on(body, speaker):
    found = quotes(body)[0][1]
    assert (None if pd.isna(found) else found) == speaker


def _speaker_role_how(body, index=-1):
    """``(speaker, role, attribution)`` of one quotation of an article made of ``body``; None for what is missing."""
    row = Article.from_text(f"Headline Here\n\n{body}").quotes.iloc[index]
    return tuple(None if pd.isna(value) else value for value in (row.speaker, row.role, row.attribution))


# "e-mailed" is no plain word, so only the reading of a name (or pronoun) opening the sentence finds the subject.
@pytest.mark.parametrize(
    ("body", "speaker", "role"),
    [
        ("Lena Ortiz spoke first. She e-mailed her staff a “final warning.”", "Lena Ortiz", None),
        ("“We will strike,” the union said. They e-mailed members a “final warning.”", "the union", None),
        (
            "At a campaign event in Ames, Iowa, on Sunday, Lena Ortiz e-mailed her staff a “final warning.”",
            "Lena Ortiz",
            None,
        ),
        ("Omar Haddad, a veteran of the Marine Corps, e-mailed his staff a “final warning.”", "Omar Haddad", None),
        ("Omar Haddad, a veteran, e-mailed “thanks.”", "Omar Haddad", None),
        ("Omar Haddad, a veteran of the force, e-mailed Lena Ortiz a “final warning.”", "Omar Haddad", None),
        ("Mayor Omar Haddad, a veteran of the force, e-mailed his staff a “final warning.”", "Omar Haddad", "Mayor"),
        ("Lena Ortiz then e-mailed her staff a “final warning.”", "Lena Ortiz", None),
        ("Lena Ortiz then e-mailed “thanks.”", "Lena Ortiz", None),
        ("Lena Ortiz e-mailed them a “final warning.”", "Lena Ortiz", None),
        ("Mayor Lena Ortiz of Springfield e-mailed her staff a “final warning.”", "Lena Ortiz", "Mayor"),
        ("Lena Ortiz from Springfield e-mailed her staff a “final warning.”", "Lena Ortiz", None),
        ("Lena Ortiz of Springfield Heights e-mailed her staff a “final warning.”", "Lena Ortiz", None),
        ("Mayor Lena Ortiz spoke. On Monday, Ortiz e-mailed her staff a “final warning.”", "Lena Ortiz", "Mayor"),
        ("Lena van Dyke e-mailed her staff a “final warning.”", "Lena van Dyke", None),
    ],
    ids=["she", "they-the-group-that-spoke", "long-opening", "appositive", "short-appositive",
         "appositive-then-a-name", "role-appositive", "then", "then-last", "them-a", "of-place", "from-place",
         "of-two-word-place", "role-from-earlier", "particle"],
)  # fmt: skip
def test_the_name_or_pronoun_opening_the_sentence_speaks_its_partial_quotation(body, speaker, role):
    assert _speaker_role_how(body) == (speaker, role, "sentence subject")


@pytest.mark.parametrize(
    "body",
    [
        "Lena Ortiz’s aide e-mailed her staff a “final warning.”",  # a possessive is not the subject
        "Lena Ortiz's aide e-mailed her staff a “final warning.”",
        "Lena Ortiz; her aide e-mailed the staff a “final warning.”",
        "Lena Ortiz or her aide e-mailed the staff a “final warning.”",  # no verb follows the name
        "The vote was close. She e-mailed her staff a “final warning.”",  # "she" with no woman named before
        "Lena Ortiz; tough choices ahead and a “final warning.”",
        "Several e-mailed the staff a “final warning.”",  # no name at all
    ],
    ids=[
        "possessive-curly",
        "possessive-straight",
        "semicolon",
        "or",
        "she-unresolved",
        "semicolon-no-verb",
        "several",
    ],
)
def test_a_name_opening_the_sentence_that_is_not_its_subject(body):
    assert _speaker_role_how(body) == (None, None, None)


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("Omar Haddad paused. He “really” wanted it.", "really"),
        ("Lena Ortiz then “walked out.”", "walked out."),
        ("Mayor Lena Ortiz of Springfield “wept.”", "wept."),
        ("Mayor Lena Ortiz of Springfield Heights “wept.”", "wept."),
        ("Haddad of Springfield Heights e-mailed her staff a “final warning.”", "final warning."),
    ],
)
def test_a_name_or_pronoun_right_before_a_quotation_is_read_without_error(body, text):
    assert quotes(body)[-1][0] == text


@pytest.mark.parametrize(
    "body",
    [
        "Smiling broadly, Lena Ortiz left the plan in “a mess.”",  # a phrase opening with an -ing word
        "Finally, Lena Ortiz left the plan in “a mess.”",  # ... with an -ly word
        "9 days later, Lena Ortiz left the plan in “a mess.”",  # ... with a number
        "10 days later, Lena Ortiz left the plan in “a mess.”",
        "On Monday, at noon, in the hall, Lena Ortiz left the plan in “a mess.”",  # three of them
    ],
    ids=["smiling", "finally", "9-days", "10-days", "three-phrases"],
)
def test_the_subject_after_opening_phrases_speaks_its_partial_quotation(body):
    assert _speaker_role_how(body) == ("Lena Ortiz", None, "sentence subject")


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # an appositive with a comma of its own ("Springfield, Illinois") is stepped over whole
        ("Omar Haddad, who leads the union in Springfield, Illinois, said: “We will strike.”", "Omar Haddad"),
        # a word with an X in it is no quotation mark
        ("“We are ready,” said Xavier Ruiz.", "Xavier Ruiz"),
        # only the first ten words after the cue are read; the date closing them is dropped
        (
            "“We are ready,” said a spokesman for the water board of Springfield Monday evening outside city hall.",
            "a spokesman for the water board of Springfield",
        ),
        # "according to" names a source, never a part of the speaker's name
        ("“We lost,” said Omar Haddad according to the report.", "Omar Haddad"),
    ],
    ids=["appositive-with-a-comma", "x-word", "ten-words", "according-to"],
)
def test_the_words_that_make_up_the_speakers_phrase(body, speaker):
    assert quotes(body)[-1][1] == speaker


@pytest.mark.parametrize(
    ("before", "speaker", "role"),
    [
        ("Omar Haddad (a lawyer) said the plan would ", "Omar Haddad", None),  # an aside in brackets is dropped
        ("Omar Haddad quietly said the plan would ", "Omar Haddad", None),  # so is an adverb before the cue
        ("Omar Haddad, Springfield’s mayor, said the plan would ", "Omar Haddad", None),  # and an appositive
        ("Omar Haddad, Lena Ortiz’s lawyer, said the plan would ", "Omar Haddad", None),  # naming someone else
        ("It was a plan that Omar Haddad said would ", "Omar Haddad", None),  # the clause the cue stands in
        ("The plans that Haddad said would ", "Haddad", None),
        ("Plans that Haddad said would ", "Haddad", None),
        ("Meanwhile Omar Haddad said the plan would ", "Omar Haddad", None),  # a sentence opener is no part of it
        # a long run of words without a comma: the last three, when they end with a name
        ("Speaking at length to a crowd of angry farmers in the rain Mayor Omar Haddad said the plan would ",
         "Omar Haddad", "Mayor"),
        ("Speaking at length to the angry farmers Mayor Omar Haddad said the plan would ", "Omar Haddad", "Mayor"),
        # "its lead author, Lena Ortiz": the appositive names the speaker
        ("Results are out — its lead author, Lena Ortiz, said the plan would ", "Lena Ortiz", None),
        ("Speaking at length to a crowd of angry farmers in the rain the officials said the plan would ", None, None),
        ("The “experts” said the plan would ", None, None),  # nothing before the cue but a quotation
        ("The plan was one Omar Haddad said would ", None, None),  # an auxiliary: a clause, not a speaker
    ],
    ids=["brackets", "adverb", "appositive", "appositive-naming-another", "that-clause", "that-clause-short",
         "that-second-word", "meanwhile", "long", "ten-words", "author-named", "long-no-name", "quoted-word",
         "auxiliary"],
)  # fmt: skip
def test_the_speaker_named_right_before_a_cue_that_opens_a_quotation(before, speaker, role):
    from annotkit.attribution import attribute_before
    from annotkit.names import Names

    found = attribute_before(before, Names(), 1000)
    assert ((found.speaker, found.role) if found else (None, None)) == (speaker, role)


@pytest.mark.parametrize(
    ("body", "speaker", "cue", "how"),
    [
        ("According to Omar Haddad, the plan was “a mess.”", "Omar Haddad", "according to", "before quote"),
        ("The plan, according to Omar Haddad, is “a mess.”", "Omar Haddad", "according to", "before quote"),
        ("“It is a mess,” according to Omar Haddad.", "Omar Haddad", "according to", "after quote"),
        ("Omar Haddad called it “a mess.”", "Omar Haddad", "called it", "before quote"),
        ("“We lost,” according to.", None, None, None),  # "according to" at the very end names nobody
    ],
    ids=["according-to-opens", "according-to-inside", "according-to-after", "called-it", "according-to-nobody"],
)
def test_the_reporting_cue_and_who_it_names(body, speaker, cue, how):
    frame = Article.from_text(f"Headline Here\n\n{body}").quotes
    row = frame[["speaker", "cue", "attribution"]].values.tolist()[-1]
    assert [None if pd.isna(value) else value for value in row] == [speaker, cue, how]


# --- who said it: cues, subjects and roles (mutation survivors, part 2) ---


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Lena Ortiz spoke first. Following the vote, she praised “a fair count” of the ballots.", "Lena Ortiz"),
        ("Omar Haddad spoke first. Following the vote, he praised “a fair count” of the ballots.", "Omar Haddad"),
        ("The City Council met. Following the vote, it praised “a fair count” of the ballots.", "City Council"),
        ("The City Council met. Following the vote, they praised “a fair count” of the ballots.", "City Council"),
        # no organization named: "they" and "it" stand for the group that spoke last
        (
            "“We won,” the campaign said. Following the vote, they praised “a fair count” of the ballots.",
            "the campaign",
        ),
        ("“We won,” the campaign said. They were “delighted” with the count.", "the campaign"),
    ],
    ids=["she", "he", "it-organization", "they-organization", "they-group-that-spoke", "they-were"],
)
def test_a_pronoun_subject_after_an_opening_phrase_speaks_for_whom_it_stands(body, speaker):
    assert _speaker_role_how(body) == (speaker, None, "sentence subject")


def test_a_pronoun_subject_that_stands_for_nobody_leaves_the_quotation_unattributed():
    assert _speaker_role_how("Following the vote, it praised “a fair count” of the ballots.") == (None, None, None)


@pytest.mark.parametrize(
    ("body", "speaker", "role"),
    [
        (
            "Democratic candidate Xavier Ortiz is releasing an ad that urges voters to “send a message” to banks.",
            "Xavier Ortiz",
            "Democratic candidate",
        ),
        # the role the article gave the person earlier
        ("Mayor Lena Ortiz spoke first. Following the vote, Ortiz praised “a fair count” of the ballots.", "Lena Ortiz",
         "Mayor"),
        # "a" and "an" are no part of a role; a possessive before the name is
        ("Omar Haddad spoke. A Slate columnist Omar Haddad went so far as to say: “It is over.”", "Omar Haddad",
         "Slate columnist"),
        ("Omar Haddad spoke. An Ohio lawyer Omar Haddad went so far as to say: “It is over.”", "Omar Haddad",
         "Ohio lawyer"),
        ("Omar Haddad spoke. Mayor Lena Ortiz’s aide Omar Haddad praised “a fair count” of the ballots.",
         "Omar Haddad", "Mayor Lena Ortiz’s aide"),
        # "Van" opens the sentence as a noun, not as part of a name
        ("Omar Haddad spoke on Monday. Van driver Omar Haddad praised “a fair count” of the ballots.", "Omar Haddad",
         "Van driver"),
        # a described speaker: a determiner, names and a title in lower case
        ("Omar Haddad lost. A Vermont senator emailed supporters saying: “We go on.”", "A Vermont senator", None),
        ("Omar Haddad lost. An Ohio senator emailed supporters saying: “We go on.”", "An Ohio senator", None),
    ],
    ids=["role-x-name", "earlier-role", "a-columnist", "an-ohio-lawyer", "possessive-in-role", "van-driver",
         "a-vermont-senator", "an-ohio-senator"],
)  # fmt: skip
def test_the_subject_after_its_role_speaks_its_partial_quotation(body, speaker, role):
    assert _speaker_role_how(body) == (speaker, role, "sentence subject")


@pytest.mark.parametrize(
    "verb",
    [
        "did not praise",
        "then praised",
        "has increasingly decried",
        "has not once mentioned",
        "has also been praising",
    ],
)
def test_an_auxiliary_not_or_an_adverb_may_stand_between_the_subject_and_its_verb(verb):
    body = f"Lena Ortiz spoke first. Following the vote, Ortiz {verb} “a fair count” of the ballots."
    assert _speaker_role_how(body) == ("Lena Ortiz", None, "sentence subject")
    body = f"Lena Ortiz spoke first. Following the vote, Ortiz {verb} the “fair count” of the ballots."
    assert _speaker_role_how(body) == ("Lena Ortiz", None, "sentence subject")


@pytest.mark.parametrize(
    "sentence",
    [
        # a person named after the subject's verb is its object, not the speaker
        "Party leaders think Ortiz is “the favourite” to win.",
        "Party leaders think Ortiz is likely “the favourite” to win.",
        "Party leaders think Ortiz has been “a disaster” for the town.",
        "Party leaders think Ortiz has also been “a disaster” for the town.",
        "Party leaders had Ortiz sign “the pledge” on Friday.",
        # two people: the quotation is neither's alone
        "Lena Ortiz and Omar Haddad praised “a fair count” of the ballots.",
        # a possessive is not the subject
        "Sen. Omar Haddad’s answer drew “laughter” from the hall.",
    ],
)
def test_a_person_named_in_the_sentence_who_is_not_its_subject_does_not_speak(sentence):
    body = f"Lena Ortiz spoke on Monday. Omar Haddad spoke too. {sentence}"
    assert _speaker_role_how(body) == (None, None, None)


@pytest.mark.parametrize(
    "sentence",
    [
        "The global economy grew “faster than anyone expected” this year.",
        "The Golden State faces “a historic drought” this summer.",
        "The State Fair drew “record crowds” this year.",
        "A Labor Day parade drew “record crowds” this year.",
        "An Energy Star rating meant “lower bills” for years.",
    ],
)
def test_a_subject_made_of_capitalized_words_or_a_title_word_that_names_nobody_does_not_speak(sentence):
    assert _speaker_role_how(sentence) == (None, None, None)


def _quotations(body):
    """``(speaker, role, cue, attribution)`` of each quotation in an article made of ``body``; None if missing."""
    frame = Article.from_text(f"Headline Here\n\n{body}").quotes
    return [
        tuple(None if pd.isna(value) else value for value in row)
        for row in frame[["speaker", "role", "cue", "attribution"]].itertuples(index=False)
    ]


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # "according to" opening the sentence, a person with a role
        ("According to Mayor Lena Ortiz, “the budget is balanced.”",
         [("Lena Ortiz", "Mayor", "according to", "before quote")]),
        # a group named after "according to" is what a later "they" stands for
        ("According to the campaign, “we won.”\n\nOfficials met later. “We will keep going,” they said.",
         [("the campaign", None, "according to", "before quote"), ("the campaign", None, "said", "after quote")]),
        ("The campaign said on Monday that “we won.”\n\nOfficials met later. “We will keep going,” they said.",
         [("The campaign", None, "said", "before quote"), ("The campaign", None, "said", "after quote")]),
        # an "according to" that names nobody hands on to the cue before it
        ("Lena Ortiz said the town would grow, according to “every estimate we have.”",
         [("Lena Ortiz", None, "said", "before quote")]),
        # a participle ("saying") takes its subject from the main clause
        ("Lena Ortiz responded on Monday, saying “the plan works.”",
         [("Lena Ortiz", None, "responded", "before quote")]),
        ("Lena Ortiz said that “the plan works.”", [("Lena Ortiz", None, "said", "before quote")]),
    ],
    ids=["according-to-mayor", "according-to-group", "group-said", "according-to-nobody", "saying", "said-that"],
)  # fmt: skip
def test_the_cue_before_a_quotation_names_its_speaker(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    ("body", "speaker", "role"),
    [
        # the person named right before the colon, with a title or by a full name
        ("The crowd fell silent for Mayor Lena Ortiz: “We are ready.”", "Lena Ortiz", "Mayor"),
        ("Lena Ortiz spoke on Monday. The crowd fell silent for Mayor Ortiz: “We are ready.”", "Lena Ortiz", "Mayor"),
        ("The crowd fell silent for Lena Ortiz: “We are ready.”", "Lena Ortiz", None),
        ("The hall fell silent for the activist Omar X: “We are ready.”", "Omar X", None),
        # else the person the sentence opens with, by a full name or a surname the article knows
        ("Mayor Lena Ortiz paused, smiled and turned to the crowd: “We are ready.”", "Lena Ortiz", "Mayor"),
        ("Mayor Lena Ortiz spoke on Monday. Ortiz rose, smiled and turned to the crowd: “We are ready.”", "Lena Ortiz",
         "Mayor"),
    ],
    ids=["titled-name", "titled-surname", "full-name", "name-ending-in-x", "opening-name", "opening-surname"],
)  # fmt: skip
def test_a_colon_without_a_cue_hands_the_floor_to_a_person_named_in_the_sentence(body, speaker, role):
    assert _quotations(body) == [(speaker, role, None, "before quote")]


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # "they" stands for the group that spoke last, described or named...
        ("“We won,” officials said.\n\nThe hall emptied. “We will keep going,” they said.",
         [("officials", None, "said", "after quote"), ("officials", None, "said", "after quote")]),
        # ... never for a person who spoke since
        ("The City Council met. “We won,” said Lena Ortiz.\n\nThe hall emptied. “We will keep going,” they said.",
         [("Lena Ortiz", None, "said", "after quote"), ("City Council", None, "said", "after quote")]),
        # a surname alone takes the role the article gave the person
        ("Mayor Lena Ortiz spoke. “We won,” said Ortiz.", [("Lena Ortiz", "Mayor", "said", "after quote")]),
    ],
    ids=["they-officials", "they-not-a-person", "surname-takes-role"],
)  # fmt: skip
def test_the_words_after_a_cue_name_a_person_a_group_or_a_pronoun_for_one(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # a comma outside the closing mark, then the inverted cue
        ("“We won”, said Lena Ortiz.", [("Lena Ortiz", None, "said", "after quote")]),
        # the speaker's first letter is kept
        ("“We won,” Xavier Ortiz said.", [("Xavier Ortiz", None, "said", "after quote")]),
        # a group after an inverted cue is what a later "they" stands for
        ("“We won,” said the campaign.\n\nThe hall emptied. “We will keep going,” they said.",
         [("the campaign", None, "said", "after quote"), ("the campaign", None, "said", "after quote")]),
        # the quoted sentence runs on, and a one-word speaker closes it
        ("Omar Haddad spoke. “He can try, but it seems unlikely” that Ruiz can win, said Haddad.",
         [("Omar Haddad", None, "said", "after quote")]),
    ],
    ids=["comma-outside", "first-letter-x", "inverted-group", "runs-on-surname"],
)  # fmt: skip
def test_the_speaker_after_a_quotation(body, found):
    assert _quotations(body) == found


# --- who said it: cues, dates, phrase lengths and places around the speaker (mutation survivors, round 6) ---


def test_a_cue_in_title_case_after_a_headlines_quotation_names_its_speaker():
    article = Article.from_text("“We Will Win,” Says Lena Ortiz\n\nLena Ortiz spoke on Monday.")
    row = article.quotes.iloc[0]
    assert (row.speaker, row.cue, row.attribution) == ("Lena Ortiz", "says", "after quote")


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Lena Ortiz called them “cowards.”", [("Lena Ortiz", None, "called them", "before quote")]),
        ("Lena Ortiz called this “a disgrace.”", [("Lena Ortiz", None, "called this", "before quote")]),
        # the comma after "it" is no part of the cue
        ("“A disgrace,” Lena Ortiz called it, and left.", [("Lena Ortiz", None, "called it", "after quote")]),
        # "called" right before the quotation mark
        ("Lena Ortiz called “for calm.”", [("Lena Ortiz", None, "called", "before quote")]),
    ],
    ids=["called-them", "called-this", "called-it-comma", "called-last"],
)  # fmt: skip
def test_called_it_them_or_this_is_one_cue(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # "according", "continues" or "continued to" right before the quotation mark: no cue there
        ("Lena Ortiz said the vote went according “to plan.”", [("Lena Ortiz", None, "said", "before quote")]),
        ("Lena Ortiz thinks it continues “for now.”", [("Lena Ortiz", None, None, "sentence subject")]),
        ("Lena Ortiz continued to “fight for every vote.”", [("Lena Ortiz", None, None, "sentence subject")]),
        # a stray comma after "according to"
        ("According to, Lena Ortiz, the plan is “a mess.”", [("Lena Ortiz", None, "according to", "before quote")]),
    ],
    ids=["according-last", "continues-last", "continued-to", "according-to-comma"],
)  # fmt: skip
def test_a_word_right_before_the_quotation_mark_that_may_start_a_cue(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    "when",
    ["on Monday", "at 10", "in 2019", "last Tuesday", "this morning", "early Monday", "late Friday"],
)
def test_a_date_or_time_between_the_speaker_and_the_cue_is_no_part_of_the_speaker(when):
    assert _quotations(f"Lena Ortiz {when} said “we won.”") == [("Lena Ortiz", None, "said", "before quote")]


@pytest.mark.parametrize(
    "phrase",
    [
        "that",  # a lone function word
        "that Ortiz",  # "that Ortiz can win": a clause, not a speaker
        "this Ortiz",
        "these Ortiz",
        "those Ortiz",
        "the plan was sound",  # an auxiliary: a clause
    ],
)
def test_words_of_an_attribution_that_name_no_speaker(phrase):
    from annotkit.attribution import speaker_from_phrase
    from annotkit.names import Names

    assert speaker_from_phrase(phrase, Names(), 0) == (None, None)


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # nine words after the cue may describe the speaker...
        ("“We won,” said the city’s former longtime deputy mayor for public works, at a rally.",
         [("the city’s former longtime deputy mayor for public works", None, "said", "after quote")]),
        # ... ten words are a clause
        ("“We won,” said the numbers simply never added up for most working families.", [(None, None, None, None)]),
    ],
    ids=["nine-words", "ten-words"],
)  # fmt: skip
def test_how_many_words_after_the_cue_may_name_the_speaker(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Omar Haddad from Springfield said “we are ready.”", [("Omar Haddad", None, "said", "before quote")]),
        ("Omar Haddad spoke. “We are ready,” said Haddad of Springfield.",
         [("Omar Haddad", None, "said", "after quote")]),
        # an abbreviated title before "of" keeps it: the place belongs to the title
        ("“We are ready,” said Democratic Lt. Gov. of Ohio Dan Ruiz.",
         [("Dan Ruiz", "Democratic Lt. Gov. of Ohio", "said", "after quote")]),
    ],
    ids=["from-place", "surname-of-place", "abbreviated-title-of-place"],
)  # fmt: skip
def test_a_place_after_the_speakers_name_or_title(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # "adding that it would pass" names nobody: the cue before the quotation does
        ("Lena Ortiz said “the plan works,” adding that it would pass.",
         [("Lena Ortiz", None, "said", "before quote")]),
        ("Lena Ortiz told reporters “the plan works” and added nothing more.",
         [("Lena Ortiz", None, "told", "before quote")]),
    ],
    ids=["adding-that", "and-added"],
)  # fmt: skip
def test_a_cue_after_the_quotation_that_names_nobody_leaves_the_speaker_to_the_words_before_it(body, found):
    assert _quotations(body) == found


_QUOTE_THAT_RUNS_ON = "“He can try, but it seems unlikely” that Ruiz can win, said"


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (f"{_QUOTE_THAT_RUNS_ON} Mayor Lena Ortiz.", [("Lena Ortiz", "Mayor", "said", "after quote")]),
        # a group named there is what a later "they" stands for
        (f"{_QUOTE_THAT_RUNS_ON} the campaign.\n\nThe hall emptied. “We will keep going,” they said.",
         [("the campaign", None, "said", "after quote"), ("the campaign", None, "said", "after quote")]),
        # the name closes with a comma before the next quotation...
        (f"{_QUOTE_THAT_RUNS_ON} Lena Ortiz, adding “we will see.”",
         [("Lena Ortiz", None, "said", "after quote"), ("Lena Ortiz", None, None, "same sentence")]),
        # ... or with the paragraph, without a full stop
        (f"{_QUOTE_THAT_RUNS_ON} Lena Ortiz\n\nShe left.", [("Lena Ortiz", None, "said", "after quote")]),
        # a cue right before the next quotation has no words after it
        ("Lena Ortiz said “we won” to cheers, replied “not yet.”",
         [("Lena Ortiz", None, "said", "before quote"), ("Lena Ortiz", None, None, "same sentence")]),
    ],
    ids=["role", "group-then-they", "comma-then-quotation", "paragraph-end", "cue-before-next-quotation"],
)  # fmt: skip
def test_the_speaker_after_a_quoted_sentence_that_runs_on(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # after the last comma: a clause word, or more than six words, is no speaker
        ("Lena Ortiz called the vote “rigged,” an odd claim, one that party leaders denied.",
         [("Lena Ortiz", None, "called", "before quote")]),
        ("“We won,” in the end, longtime city council member Lena Ortiz said.",
         [("Lena Ortiz", "longtime city council member", "said", "after quote")]),
        ("“We won,” in the end, the vote counts from every single precinct suggested.", [(None, None, None, None)]),
        # without a comma: nine words may name the speaker, ten may not (a date at the end counts)
        ("“We won,” longtime Democratic city council member Lena Ortiz on Monday said.",
         [("Lena Ortiz", "longtime Democratic city council member", "said", "after quote")]),
        ("“We won,” the vote in every ward across the city on Monday suggested.", [(None, None, None, None)]),
    ],
    ids=["clause-after-comma", "six-after-comma", "seven-after-comma", "nine-words", "ten-words"],
)  # fmt: skip
def test_how_long_the_speaker_before_a_cue_after_the_quotation_may_be(body, found):
    assert _quotations(body) == found


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Lena Ortiz spoke. “We won,” Ortiz, smiling, said.", [("Lena Ortiz", None, "said", "after quote")]),
        ("“We won,” indeed; in the end, Lena Ortiz said.", [("Lena Ortiz", None, "said", "after quote")]),
        ("“We won,” Lena Ortiz also, said.", [("Lena Ortiz", None, "said", "after quote")]),
    ],
    ids=["comma-aside", "semicolon-then-opening", "adverb-with-comma"],
)  # fmt: skip
def test_punctuation_between_the_quotation_the_speaker_and_the_cue(body, found):
    assert _quotations(body) == found


def test_an_organization_after_a_cue_is_what_a_later_they_stands_for():
    body = "“We won,” Riverton Teachers Union said.\n\nThe hall emptied. “We will keep going,” they said."
    assert [speaker for speaker, *_ in _quotations(body)] == ["Riverton Teachers Union", "Riverton Teachers Union"]


def test_an_organization_is_the_speaker_without_a_context_to_remember_it():
    from annotkit.attribution import speaker_from_phrase
    from annotkit.names import Names

    assert speaker_from_phrase("Riverton Teachers Union", Names(), 0) == ("Riverton Teachers Union", None)


def test_an_adverb_and_a_stray_comma_between_the_speaker_and_the_cue_before_the_quotation():
    assert _quotations("Lena Ortiz also, said “we won.”") == [("Lena Ortiz", None, "said", "before quote")]


@pytest.mark.parametrize(
    ("body", "found"),
    [
        # nine words before the cue may describe the speaker
        ("The city’s former longtime deputy mayor for public works said “we won.”",
         [("The city’s former longtime deputy mayor for public works", None, "said", "before quote")]),
        # a two-word place after the name that opens the sentence is no part of the speaker
        ("Omar Haddad spoke. Lena Ortiz of Springfield Heights decried “the plan.”",
         [("Lena Ortiz", None, None, "sentence subject")]),
    ],
    ids=["nine-words-before-the-cue", "two-word-place-after-the-subject"],
)  # fmt: skip
def test_a_long_description_or_a_place_stays_with_the_speaker_before_the_quotation(body, found):
    assert _quotations(body) == found
