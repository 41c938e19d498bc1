import pandas as pd
import pytest

from annotkit import Article


def quotes(text: str) -> list[tuple[str, str | None]]:
    frame = Article.from_text("Headline Here\n\n" + text).quotes
    return [(row.text, None if row.speaker is None or str(row.speaker) == "<NA>" else row.speaker)
            for row in frame.itertuples()]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # speaker after the quote, with titles stripped
        (
            '"We will stay," Defense Secretary Lloyd Austin told reporters.',
            [("We will stay", "Lloyd Austin")],
        ),
        # inverted attribution
        (
            '"The water rose fast," said Amina Bello, who runs a shelter.',
            [("The water rose fast", "Amina Bello")],
        ),
        # speaker before, with a colon
        ("The minister, Ana Ruiz, said: “We are ready.”", [("We are ready.", "Ana Ruiz")]),
        # speaker before, with an appositive between subject and verb
        ('Ana Ruiz, alongside the mayor, said the plan would "save lives."', [("save lives.", "Ana Ruiz")]),
        # described speaker keeps its determiner
        ('"It is over," a senior U.S. official told reporters.', [("It is over", "a senior U.S. official")]),
        # according to
        (
            'The group is "resilient," according to a United Nations report issued Friday.',
            [("resilient", "a United Nations report")],
        ),
        # pronoun resolved to the person named before
        ('Gen. Mark Doe arrived Tuesday. "We are ready," he said.', [("We are ready", "Mark Doe")]),
        # surname resolved to the full name
        (
            'Katherine Zimmerman, a fellow at the institute, spoke first. "No," Zimmerman said.',
            [("No", "Katherine Zimmerman")],
        ),
        # a second quotation in the same sentence, and one that carries on in the next sentence
        (
            '"We will rebuild," she said, "together." Ana Ruiz smiled.',
            [("We will rebuild", None), ("together.", None)],
        ),
        ('Ana Ruiz spoke. "First," she said. "Second."', [("First", "Ana Ruiz"), ("Second.", "Ana Ruiz")]),
        # scare quotes in the journalist's narration have no speaker
        ("The so-called “red line” was crossed in May.", [("red line", None)]),
        # a question mark inside the quotation, speaker after
        ('"Why now?" asked Dr. Maya Lee.', [("Why now?", "Maya Lee")]),
    ],
)
def test_quotations_and_speakers(text, expected):
    assert quotes(text) == expected


def test_straight_double_quotes_nested_in_straight_double_quotes():
    text = '"There is no doubt they use the "end the endless wars" narrative," Behnam Ben Taleblu told VOA.'
    assert quotes(text) == [('There is no doubt they use the "end the endless wars" narrative', "Behnam Ben Taleblu")]


def test_single_quote_nested_in_double_with_a_straight_closing_mark():
    text = '"Nobody is going to declare ‘mission accomplished,\'" an official said.'
    assert quotes(text) == [("Nobody is going to declare ‘mission accomplished,'", "an official")]


def test_apostrophes_are_not_quotation_marks():
    text = "The troops' mission and Iraq's army don't change, O'Brien said."
    assert quotes(text) == []


def test_british_style_single_quotes_with_double_nested():
    text = "The minister said: ‘We will not accept a “temporary” fix.’ Dr Ana Ruiz agreed."
    assert quotes(text) == [("We will not accept a “temporary” fix.", "minister" and "The minister")]


def test_quotation_running_across_paragraphs_gives_one_part_per_paragraph():
    article = Article.from_text(
        'Headline Here\n\n"The first part runs on," said Ana Ruiz. "It keeps going\n\n'
        '"and ends here," she added.\n\nA later paragraph.'
    )
    q = article.quotes
    assert q.text.tolist() == ["The first part runs on", "It keeps going", "and ends here"]
    assert q.speaker.tolist() == ["Ana Ruiz"] * 3
    assert q.continues.tolist()[2] == 1
    assert q.para_id.tolist() == [1, 1, 2]


def test_an_unclosed_quotation_ends_at_its_paragraph():
    article = Article.from_text('Headline Here\n\nShe said: "This never closes.\n\nThe next paragraph is narration.')
    assert article.quotes.text.tolist() == ["This never closes."]
    assert article.quotes.continues.isna().all()


def test_bundled_article_quotes(bundled):
    q = bundled.quotes
    assert len(q) == 14
    assert q.speaker.tolist() == [
        "Joe Biden",
        "the two countries",
        "Jen Psaki",
        "Lloyd Austin",
        "Lloyd Austin",
        "a senior U.S. official",
        "a senior U.S. official",
        "Katherine Zimmerman",
        "Katherine Zimmerman",
        "a United Nations report",
        "a United Nations report",
        "Behnam Ben Taleblu",
        "Behnam Ben Taleblu",
        "Behnam Ben Taleblu",
    ]
    assert q.cue.tolist()[:5] == ["said", "said", "explained", "told", "replied"]
    assert (
        q.text[11]
        == 'There\'s no doubt that the Biden administration is capitalizing on the "end the endless wars" narrative'
    )


# --- issue 13: patterns measured on real news (every fixture here is hand-written) ---------------------------


def rows(text: str) -> list[tuple[str, str | None, str]]:
    frame = Article.from_text(text).quotes
    return [(r.text, None if pd.isna(r.speaker) else r.speaker, r.kind) for r in frame.itertuples()]


@pytest.mark.parametrize(
    "headline",
    [
        "Sanders: Clinton needs to 'get away' from Wall Street",  # a US headline quotes with single marks
        "Council Meeting Tonight",
    ],
)
def test_a_single_quoted_phrase_never_hides_the_double_quotations(headline):
    text = (
        f"{headline}\n\nRELATED: Volker 'surprised' by the call\n\n"
        "“We are not going anywhere,” Sanders said on Monday. “The money is the problem.”\n\n"
        "Later he added: “We will win this.”"
    )
    found = [(t, s) for t, s, kind in rows(text) if kind == "quotation" and "surprised" not in t and "get" not in t]
    assert found == [
        ("We are not going anywhere", "Sanders"),
        ("The money is the problem.", "Sanders"),
        ("We will win this.", "Sanders"),
    ]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("‘‘", "’’"), ("''", "''"), ("“", "’’"), ("``", "''")],
    ids=["AP-curly-doubled", "NYT-straight-doubled", "mixed", "backticks"],
)
def test_doubled_single_marks_are_double_quotation_marks(opening, closing):
    text = f"The river rose overnight. {opening}We lost the barn, and the ‘good’ tractor,{closing} said Ann Lee."
    assert rows(text) == [("We lost the barn, and the ‘good’ tractor", "Ann Lee", "quotation")]


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        ("“This bill is a mistake,” Sen. Claire McCaskill (D-Mo.) said Tuesday.", "Claire McCaskill", "Sen."),
        ("Rep. Ana Ruiz, R-Texas, said the vote was “a good start.”", "Ana Ruiz", "Rep."),
        ("John Smith, 45, said: “I am tired of waiting.”", "John Smith", None),
        ("“It will pass,” said Sen. Ana Ruiz (R-Texas).", "Ana Ruiz", "Sen."),
    ],
    ids=["party-tag-in-brackets", "party-tag-between-commas", "age", "inverted-with-tag"],
)
def test_party_and_state_tags_and_ages_are_stepped_over(text, speaker, role):
    quote = Article.from_text("Senate Votes\n\n" + text).quotes.iloc[0]
    assert (quote.speaker, None if pd.isna(quote.role) else quote.role) == (speaker, role)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The couple watched “Saturday Night Live” on Friday.", [("Saturday Night Live", None, "title")]),
        ("The so-called “red line” was crossed.", [("red line", None, "scare quote")]),
        # marks that say "this is what it is called", even with somebody speaking in the sentence
        ("Ana Ruiz said the so-called “red line” was crossed.", [("red line", None, "scare quote")]),
        ("Lee said the group, known as “the Ravens,” had left.", [("the Ravens", None, "scare quote")]),
        ("Critics of the “fix it first” program met.", [("fix it first", None, "scare quote")]),
        ("Rep. Robert C. “Bobby” Scott spoke first.", [("Bobby", None, "nickname")]),
        ("Former CIA officer John “Tig” Tiegen spoke.", [("Tig", None, "nickname")]),
        # a short partial quotation that somebody in the sentence says stays a quotation
        ("Ana Ruiz called the plan a “boondoggle” on Monday.", [("boondoggle", "Ana Ruiz", "quotation")]),
        ("Dana Lee said she was “surprised.”", [("surprised.", "Dana Lee", "quotation")]),
    ],
)
def test_titles_scare_quotes_and_nicknames_are_kept_apart(text, expected):
    assert rows("Headline Here\n\n" + text) == expected


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # she agrees with the woman, not with the company named after her
        (
            "Taylor Swift left Big Machine Records last year. “I wanted my songs back,” she said.",
            "Taylor Swift",
        ),
        # he is the subject of the sentence before, not the last man named in it
        (
            "Barack Obama praised Abraham Lincoln in Springfield on Monday. “This is where it all began,” he said.",
            "Barack Obama",
        ),
        # a sentence that opens with "He" carries on its person: the last name in it is not the speaker
        (
            "Guadalupe Ortiz, 35, came to the rally in a beret. He had protested against Donald Trump in Phoenix. "
            "“I met a lot of good people,” he said.",
            "Guadalupe Ortiz",
        ),
        # a title says a person's gender where a first name does not
        (
            "Mrs. Kim Okafor met Mr. Lee Park. Park left early. “It went well,” she said.",
            "Kim Okafor",
        ),
        # an organization's "it" and "they"
        (
            "The Sierra Club sued the state on Friday. “This law is a disaster for rivers,” it said.",
            "Sierra Club",
        ),
        (
            "The Riverton Teachers Union wrote to the board. “We need more time,” they said.",
            "Riverton Teachers Union",
        ),
    ],
    ids=[
        "she-not-a-company",
        "he-the-subject",
        "he-carries-on",
        "title-gender",
        "it-organization",
        "they-organization",
    ],
)
def test_pronouns_agree_with_the_person_or_group_they_stand_for(text, speaker):
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“We will win,” Marco Rubio told a crowd in Florida Friday.", "Marco Rubio"),
        ("Speaking in Florida on Friday, Marco Rubio said the plan was “a disaster.”", "Marco Rubio"),
        ("“We are close,” and the crowd cheered.", None),
        ("He doubted the legal footing for a peace deal and “the whole idea” of talks.", None),
    ],
)
def test_a_function_word_or_a_date_is_never_a_speaker(text, speaker):
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


@pytest.mark.parametrize(
    "phrase",
    [
        "and",
        "but officials",
        "Friday",
        "the legal footing for a peace deal and",
        "that Sanders can catch Clinton",
        "about the rapid spread of information",  # a phrase opening with a preposition
        "over the phone",
    ],
)
def test_speaker_from_phrase_refuses_what_cannot_speak(phrase):
    from annotkit.attribution import speaker_from_phrase
    from annotkit.names import Names

    assert speaker_from_phrase(phrase, Names(), 0) == (None, None)


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        (
            "U.S. special envoy for Ukraine Kurt Volker said the talks were “productive and frank.”",
            "Kurt Volker",
            "U.S. special envoy for Ukraine",
        ),
        ("Republican Donald Trump said the deal was “terrible.”", "Donald Trump", "Republican"),
        ("“We will stay,” Defense Secretary Lloyd Austin told reporters.", "Lloyd Austin", "Defense Secretary"),
    ],
)
def test_roles_go_to_the_role_column_not_into_the_name(text, speaker, role):
    quote = Article.from_text("Headline Here\n\n" + text).quotes.iloc[0]
    assert (quote.speaker, quote.role) == (speaker, role)


def test_the_subject_of_a_partial_quotations_sentence_is_its_speaker():
    text = "Headline Here\n\nChancellor Ana Merkel of Germany condemned “such a cruel attack” on Monday."
    quote = Article.from_text(text).quotes.iloc[0]
    assert (quote.speaker, quote.attribution) == ("Ana Merkel", "sentence subject")


def test_a_paragraph_ending_with_a_colon_hands_the_floor_to_the_next():
    text = "Headline Here\n\nSen. Ted Cruz called them on it:\n\n“The questions asked tonight were unfair.”"
    assert rows(text) == [("The questions asked tonight were unfair.", "Ted Cruz", "quotation")]


def test_kinds_are_the_documented_ones(bundled):
    from annotkit.quotes import QUOTE_KINDS

    assert set(bundled.quotes.kind) <= set(QUOTE_KINDS)
    assert bundled.quotes.kind.tolist().count("quotation") == 14


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The Riverton Herald covered the vote. “The count was 699 to 695,” the Herald reported.", "the Herald"),
        ("Mayor Ana Ruiz spoke first. Ruiz then called the plan “a disgrace to the city.”", "Ana Ruiz"),
        ("Mayor Ana Ruiz took the stage. Ruiz waved, then leaned in and boomed: “We won.”", "Ana Ruiz"),
    ],
    ids=["reported", "adverb-before-the-verb", "colon-after-a-surname"],
)
def test_more_ways_news_prose_attributes(text, speaker):
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        (
            "“We will win,” Mayor Ana Ruiz told KTV’s “Good Morning Riverton” on Sunday.",
            "Good Morning Riverton",
            "title",
        ),
        ("Ruiz appeared on “Morning Talk” and said the count was “rigged.”", "Morning Talk", "title"),
        ("In her memoir “Hard Roads Ahead,” Ruiz said she had doubts.", "Hard Roads Ahead", "title"),
        # somebody's words in Title Case stay a quotation: a sentence of its own, or no work named before them
        ("Ana Ruiz said: “We Will Win.”", "We Will Win.", "quotation"),
        ("Ana Ruiz told reporters “Never Again” would be her slogan.", "Never Again", "quotation"),
    ],
    ids=["possessive-show", "on-show", "memoir", "full-sentence", "no-work-before"],
)
def test_the_title_of_a_show_or_a_book_is_a_title_even_beside_a_cue(text, phrase, kind):
    frame = Article.from_text("Headline Here\n\n" + text).quotes
    assert frame[frame.text == phrase].kind.tolist() == [kind]


def test_a_headlines_reporting_verb_names_its_speaker_and_is_the_cue():
    text = "Glenn Beck Says Trump, ‘Alt Right’ Are a Danger\n\nConservative radio host Glenn Beck spoke on Monday."
    [quote] = Article.from_text(text).quotes.itertuples()
    assert (quote.text, quote.speaker, quote.cue, quote.attribution) == ("Alt Right", "Glenn Beck", "says", "headline")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The minister said: ‘We will not accept it.\n\nA later paragraph.", ["We will not accept it."]),
        ("It was over. ‘We will not accept it.\n\nA later paragraph.", ["We will not accept it."]),
        ("‘We will not accept it.\n\nA later paragraph.", ["We will not accept it."]),
        ("It was over. ‘we will not accept it.\n\nA later paragraph.", []),  # no capital: no sentence opens
        ("He called it ‘Operation Storm and left.", []),  # mid-sentence: a slip, not a quotation
        ("He drove a Tesla Model X ‘Plaid home.", []),
    ],
)
def test_a_single_mark_that_never_closes_is_a_quotation_only_if_it_opens_a_sentence(text, expected):
    assert [quoted for quoted, _ in quotes(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the first closing mark after punctuation, or before punctuation, closes: not the plural possessive after it
        ("‘We won,’ the troops’ Commander said.", ["We won"]),
        ("‘We won’, the troops’ Commander said.", ["We won"]),
        ("He called it ‘Operation Storm’ and left.", ["Operation Storm"]),
        # an apostrophe inside a word, or before the opening mark, closes nothing
        ("He called it ‘Operation Storm, but don’t worry.", []),
        ("He called it ‘Operation Storm, but I’m not sure.", []),
        ("Troops’ boots were wet. He called it ‘Operation Storm and left.", []),
        ("He called it ‘Operation X and left.", []),
    ],
)
def test_a_single_quotation_closes_at_its_first_plausible_closing_mark(text, expected):
    assert [quoted for quoted, _ in quotes(text)] == expected


# --- quotations and their marks (mutation survivors) ---


def found(text: str) -> list[tuple]:
    """Each span's words, speaker, cue, how the speaker was found and role (None for what the article leaves out)."""
    frame = Article.from_text(text).quotes
    return [
        tuple(None if pd.isna(value) else value for value in (r.text, r.speaker, r.cue, r.attribution, r.role))
        for r in frame.itertuples()
    ]


_COUNCIL = "\n\nThe council met on a rainy Monday in the old hall downtown."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a small word opening the headline is not part of the name; the body gives the full name and role
        (
            "And Ruiz Says ‘No Deal’ On Taxes\n\nMayor Ana Ruiz spoke to the council on a rainy Monday in the hall.",
            [("No Deal", "Ana Ruiz", "says", "headline", "Mayor")],
        ),
        # a title before the name is not part of it, even when the body never names the person
        ("Mayor Ana Ruiz Says ‘No Deal’ On Taxes" + _COUNCIL, [("No Deal", "Ana Ruiz", "says", "headline", None)]),
        # one word the article never gives as a name is nobody
        ("Ruiz Says ‘No Deal’ On Taxes" + _COUNCIL, [("No Deal", None, None, None, None)]),
        # only small words before the verb: nobody named (this used to stop the article loading)
        ("Letters: On The Claims ‘Fraud’ Is Rising" + _COUNCIL, [("Fraud", None, None, None, None)]),
        # and the headline reads on past them to a name before a later verb
        ("On The Claims Trail, Ana Ruiz Says ‘We Won’" + _COUNCIL, [("We Won", "Ana Ruiz", "says", "headline", None)]),
    ],
    ids=["small-word-first", "title-first", "one-unknown-word", "only-small-words", "a-name-after-small-words"],
)
def test_a_headlines_reporting_verb_names_a_person_only_when_a_name_stands_before_it(text, expected):
    assert found(text) == expected


_RUIZ_SPEAKS = "Council Votes\n\n“We won the vote,” Mayor Ana Ruiz said on a rainy Monday."
_FINAL = "“The count is final and it is done.”"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # past a scare quote to the last quotation, with its speaker's role
        (
            "Council Votes\n\n“We won the vote,” Mayor Ana Ruiz said of the so-called “red line” plan. “It is over.”",
            ("It is over.", "Ana Ruiz", None, "previous quote", "Mayor"),
        ),
        # a quotation opening the next paragraph carries on the speaker
        (
            f"{_RUIZ_SPEAKS}\n\n{_FINAL}",
            ("The count is final and it is done.", "Ana Ruiz", None, "previous quote", "Mayor"),
        ),
        # but not one later in that paragraph, nor one opening the paragraph after a paragraph of narration
        (
            f"{_RUIZ_SPEAKS}\n\nThen the hall went quiet. {_FINAL}",
            ("The count is final and it is done.", None, None, None, None),
        ),
        (
            f"{_RUIZ_SPEAKS}\n\nThe hall went quiet for a while.\n\n{_FINAL}",
            ("The count is final and it is done.", None, None, None, None),
        ),
    ],
    ids=["past-a-scare-quote", "opens-next-paragraph", "later-in-next-paragraph", "two-paragraphs-on"],
)
def test_a_speaker_carries_on_to_the_next_quotation_in_the_paragraph_or_opening_the_next(text, expected):
    assert found(text)[-1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Xavier Ruiz left the hall early. “We are done here.”",
            [("We are done here.", "Xavier Ruiz", None, "previous sentence", None)],
        ),
        (
            "Mayor Ana Ruiz spoke first. She smiled at the crowd. “We are done here.”",
            [("We are done here.", "Ana Ruiz", None, "previous sentence", None)],
        ),
        # a quotation with words before it in its sentence is not a sentence of its own
        (
            "Ana Ruiz spoke for an hour. Then came “the end of all our plans for the town.”",
            [("the end of all our plans for the town.", None, None, None, None)],
        ),
        # "they" is the group that spoke last, in another paragraph
        (
            "“We will strike,” a union spokesman said on Monday.\n\nThey marched on Friday. “We are not done.”",
            [
                ("We will strike", "a union spokesman", "said", "after quote", None),
                ("We are not done.", "a union spokesman", None, "previous sentence", None),
            ],
        ),
    ],
    ids=["named", "she", "words-before-it", "they-the-group-that-spoke"],
)
def test_a_quotation_standing_as_a_sentence_is_the_previous_sentences_subjects(text, expected):
    assert found("Council Votes\n\n" + text) == expected


def test_only_the_sentence_just_before_a_quotation_can_give_its_speaker():
    from annotkit.quotes import find_quotes

    text = "Ana Ruiz left early. X“We are done here.”"
    [named] = find_quotes(text, [(0, 41)], [(0, 20), (22, 41)])
    [after_a_short_sentence] = find_quotes(text, [(0, 41)], [(0, 20), (21, 22), (22, 41)])
    assert (named.speaker, named.attribution) == ("Ana Ruiz", "previous sentence")
    assert (after_a_short_sentence.speaker, after_a_short_sentence.attribution) == (None, None)


_WARREN = "Warren: Trump Is a ‘Proven Failure’\n\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Sen. Elizabeth Warren told a crowd in Boston on Friday that she would run.",
            ("Proven Failure", "Elizabeth Warren", None, "before quote", "Sen."),
        ),
        # a surname the article gives only before a reporting verb is somebody too
        ("Warren said the plan would fail in the end.", ("Proven Failure", "Warren", None, "before quote", None)),
        # a word before the colon that the article never names is nobody
        ("The crowd in Boston waited on Friday for the vote to begin.", ("Proven Failure", None, None, None, None)),
    ],
    ids=["full-name-and-role", "surname-before-a-verb", "never-named"],
)
def test_a_headline_hands_its_quotation_to_the_person_named_before_its_colon(body, expected):
    assert found(_WARREN + body) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capitalized word or a pronoun after the mark says it closes, though a later mark could close too
        ("He called it ‘Storm’ Ruiz wrote, and ‘Wind,’ too.", ["Storm", "Wind"]),
        ("He called it ‘Storm’ she wrote, and ‘Wind,’ too.", ["Storm", "Wind"]),
        # a mark before a word in lower case is a plural possessive when a later mark closes (far into the text too)
        (
            "After a long night in the old hall, Ana Ruiz said: ‘The troops’ mission is over,’ and left.",
            ["The troops’ mission is over"],
        ),
        ("‘Malcolm X’ fans came,’ Ana Ruiz said.", ["Malcolm X’ fans came"]),
        # an apostrophe inside a later name is no closing mark
        ("He called it ‘the big push’ again, O’Xander said.", ["the big push"]),
    ],
    ids=["capital-after", "pronoun-after", "possessive-far-in", "possessive-after-a-capital", "apostrophe-in-a-name"],
)
def test_a_single_quotation_closes_at_the_mark_the_words_after_it_say_closes(text, expected):
    assert [quoted for quoted, _ in quotes(text)] == expected


# (text, each quotation's words, each quotation with its marks) for find_quoted, on one paragraph
_WORDS_AND_MARKS = [
    # white space inside the marks and one comma before the closing mark are not the quotation's words
    ("He said “ We won , ” and left.", ["We won"], ["“ We won , ”"]),
    ("He said “We, won,,” and left.", ["We, won,"], ["“We, won,,”"]),
    ("He said “ , ” and “,” and “ ” and left.", [], []),
    # doubled single marks are one double mark, both taken in
    ("He said ‘‘We won,’’ and left.", ["We won"], ["‘‘We won,’’"]),
    ("He said ``We won,'' and left.", ["We won"], ["``We won,''"]),
    ('He said "We won," and left.', ["We won"], ['"We won,"']),
    # a quotation at either end of the paragraph, and one inside another
    ("“We won,” she said.", ["We won"], ["“We won,”"]),
    ("She said: “We won.”", ["We won."], ["“We won.”"]),
    ("He said “‘We won,’ ” and left.", ["‘We won,’"], ["“‘We won,’ ”"]),
    # a quotation the text ends inside: up to the end, and nothing after a mark that ends the text
    ("He said “We won", ["We won"], ["“We won"]),
    ("He said “We won,", ["We won"], ["“We won,"]),
    ("He said “", [], []),
]


@pytest.mark.parametrize(("text", "words", "with_marks"), _WORDS_AND_MARKS)
def test_a_quotations_words_leave_out_its_marks_and_the_comma_before_the_closing_mark(text, words, with_marks):
    from annotkit.quotemarks import find_quoted

    found_here = find_quoted(text, [(0, len(text))])
    assert [text[q.start : q.end] for q in found_here] == words
    assert [text[q.outer_start : q.outer_end] for q in found_here] == with_marks


def test_a_quotation_opening_a_later_paragraph_takes_in_no_mark_from_the_paragraph_before():
    from annotkit.quotemarks import find_quoted

    text = "He said ‘\n\n“We won,” she said.\n\nShe said “We lost,”"
    found_here = find_quoted(text, [(0, 9), (11, 30), (32, 51)])
    assert [(q.para_id, text[q.outer_start : q.outer_end]) for q in found_here] == [(1, "“We won,”"), (2, "“We lost,”")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "“The first part runs on\n\n“and ends here,” Ana Ruiz said.",
            [
                ("The first part runs on", "Ana Ruiz", None, "same quote", None),
                ("and ends here", "Ana Ruiz", "said", "after quote", None),
            ],
        ),
        # from the last part back to the first, over a part that names nobody either
        (
            "“One part runs on\n\n“and another\n\n“and ends here,” Ana Ruiz said.",
            [
                ("One part runs on", "Ana Ruiz", None, "same quote", None),
                ("and another", "Ana Ruiz", None, "same quote", None),
                ("and ends here", "Ana Ruiz", "said", "after quote", None),
            ],
        ),
    ],
    ids=["two-parts", "three-parts"],
)
def test_a_quotation_over_several_paragraphs_has_the_speaker_its_last_part_names(text, expected):
    assert found("Council Votes\n\n" + text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # one to six words in Title Case after "on" name a show, small words in lower case or not
        ("Ana Ruiz said on “Nightline” that the vote was close.", "title"),
        ("Ana Ruiz said on “Good Morning From The Old Town” that the vote was close.", "title"),
        ("Ana Ruiz said on “Meet the Press” that the vote was close.", "title"),
        ("Ana Ruiz said on “Planet X” that the vote was close.", "title"),
        # seven words, a sentence's end, or a word in lower case: somebody's words
        ("Ana Ruiz said on “Good Morning From The Old River Town” that the vote was close.", "quotation"),
        ("Ana Ruiz said it on “Morning Talk Live.”", "quotation"),
        ("Ana Ruiz said on “Town e-Talk” that the vote was close.", "quotation"),
    ],
)
def test_a_short_title_case_phrase_after_on_is_a_shows_title_beside_a_cue(text, kind):
    [quote] = Article.from_text("Headline Here\n\n" + text).quotes.itertuples()
    assert quote.kind == kind


# --- names: people, titles, genders (mutation survivors) ---


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a common first name says a gender: "she" skips the man named last, "he" the woman
        ("Maria Ruiz arrived. John Smith spoke next. “We won,” she said.", "Maria Ruiz"),
        ("John Smith arrived. Maria Ruiz spoke next. “We won,” he said.", "John Smith"),
        # a first name not on the lists says nothing: the nearest person agrees with "he" and with "she"
        ("Maria Ruiz arrived. Kerry Dale spoke next. “We won,” she said.", "Kerry Dale"),
        ("John Smith arrived. Kerry Dale spoke next. “We won,” he said.", "Kerry Dale"),
    ],
    ids=["she-skips-john", "he-skips-maria", "she-unknown-first-name", "he-unknown-first-name"],
)
def test_a_pronoun_agrees_with_the_gender_a_first_name_gives(text, speaker):
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


def test_a_name_with_no_words_has_no_gender():
    from annotkit.names import Names

    assert Names().gender("") is None


@pytest.mark.parametrize(
    ("middle", "speaker"),
    [
        # a woman named after the "He" sentences does not stop "he" going back to the man they are about
        ("Maria Lopez spoke later.", "Guadalupe Ortiz"),
        # somebody who may be a man does: he is the nearest person "he" can mean
        ("Kerry Dale spoke later.", "Kerry Dale"),
    ],
    ids=["woman-named-later", "unknown-named-later"],
)
def test_a_he_sentence_carries_on_its_person_unless_a_later_sentence_names_somebody_who_agrees(middle, speaker):
    text = (
        "Guadalupe Ortiz came to the rally in a beret. He had protested against Donald Trump in Phoenix. "
        f"{middle} “I met a lot of good people,” he said."
    )
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("President Joe Biden", "Joe Biden"),
        ("Defense Secretary Lloyd Austin", "Lloyd Austin"),
        # a role in lower case, right before the name
        ("White House press secretary Jen Psaki", "Jen Psaki"),
        ("the county sheriff Ana Ruiz", "Ana Ruiz"),
        ("the county atty. Ana Ruiz", "Ana Ruiz"),
        # no role right before the name, or no name
        ("Jen Psaki", None),
        ("supporters of Jen Psaki", None),
        ("U.S. forces", None),
        ("", None),
    ],
)
def test_name_without_titles_gives_the_person_only_when_a_role_stands_before_the_name(phrase, name):
    from annotkit.names import name_without_titles

    assert name_without_titles(phrase) == name


@pytest.mark.parametrize(
    ("author", "speaker"),
    [
        ("Dr Fiona Kerr of the University of Reading", "Fiona Kerr"),
        ("Dr Ahmed bin Salem of the institute", "Ahmed bin Salem"),  # a name particle inside the name
    ],
)
def test_an_appositive_after_a_described_subject_names_the_speaker(author, speaker):
    text = f"Its lead author, {author}, said the results were “a warning.”"
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # "She" opening a sentence carries on a woman: "he" does not follow it back
        ("Maria Lopez and John Smith arrived. She sat down. “We won,” he said.", "John Smith"),
        # a "She" sentence after the quotation says nothing about who spoke it
        (
            "Guadalupe Ortiz came to the rally. He had protested against Donald Trump in Phoenix. "
            "“I met good people,” he said. Maria Lopez agreed. She had come too.",
            "Guadalupe Ortiz",
        ),
        # following a "He" sentence back, "he" still skips the woman named first before it
        (
            "Maria Lopez met Guadalupe Ortiz at the rally. He had protested against Donald Trump in Phoenix. "
            "“I met a lot of good people,” he said.",
            "Guadalupe Ortiz",
        ),
        # "They said" names nobody: "he" goes past it
        ("John Smith arrived. They said the vote was close. “We won,” he said.", "John Smith"),
        # a capitalized phrase that only looks like a name gives way to a person the article names for sure
        ("Kerry Dale Park hosted Mayor Ana Ruiz on Monday. “We won,” she said.", "Ana Ruiz"),
    ],
    ids=["she-sentence-not-he", "she-sentence-after", "follow-back-keeps-gender", "they-said", "sure-person"],
)
def test_the_person_a_pronoun_means(text, speaker):
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


def test_six_sentences_opening_with_he_still_lead_back_to_the_man_named_before_them():
    met = ["Adam Ames", "Bill Bond", "Carl Cole", "Dan Dorn", "Ed Eads", "Fred Fry"]
    he_sentences = " ".join(f"He met {name}." for name in met)
    text = f"Guadalupe Ortiz came to the rally. {he_sentences} “I met a lot of good people,” he said."
    assert rows("Headline Here\n\n" + text)[0][1] == "Guadalupe Ortiz"


_FILLER = (
    "The council met on a wet evening in the old hall by the river, and the public seats were full long before "
    "the doors were shut for the night and the long agenda was read out from the top."
)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # three "she" close after Kerry Dale: she is a woman, and "he" means the man named before her
        (
            f"{_FILLER} John Smith chaired the meeting. Kerry Dale arrived late. "
            "She apologized, she sat down, and she smiled. “We won,” he said.",
            "John Smith",
        ),
        (
            f"John Smith chaired the meeting. {_FILLER} Kerry Dale arrived late. "
            "She apologized, she sat down, she smiled, and she waved. “We won,” he said.",
            "John Smith",
        ),
        # one "she" is not enough to tell
        (
            "John Smith chaired the meeting. Kerry Dale arrived late. She apologized and sat down. “We won,” he said.",
            "Kerry Dale",
        ),
        # pronouns more than 200 characters after the name tell nothing about her
        (
            f"John Smith chaired the meeting. Kerry Dale arrived late. {_FILLER} "
            "She apologized, she sat down, she smiled, and she waved. “We won,” he said.",
            "Kerry Dale",
        ),
    ],
    ids=["learned", "learned-far-from-another-name", "one-pronoun", "too-far"],
)
def test_pronouns_close_after_a_name_teach_the_persons_gender(text, speaker):
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


def test_within_looks_back_that_many_characters_and_no_further():
    from annotkit.names import Names

    names = Names()
    names.add("Kerry Dale", 0)
    names.finish([0, 50])
    assert [names.person_before(at, within=200) for at in (200, 201)] == ["Kerry Dale", None]
    # a sentence opening with "She" 200 characters back still carries on the person named before it
    names.subject_pronouns.append((50, "f"))
    assert [names.person_before(at, "f", within=200) for at in (250, 251)] == ["Kerry Dale", None]


def test_a_sentence_opening_pronoun_does_not_refer_back_to_itself():
    from annotkit.names import Names

    names = Names()
    names.add("Maria Lopez", 0)
    names.add("Kerry Dale", 16)
    names.subject_pronouns.append((40, "m"))
    names.finish([0, 40])
    # what "He" at 40 stands for: the first person of the sentence before it, whatever their gender
    assert names.person_before(40) == "Maria Lopez"


def test_without_sentence_starts_a_pronoun_means_the_person_named_last_before_it():
    from annotkit.names import Names

    names = Names()
    names.add("Ana Ruiz", 0)
    names.add("Kerry Dale", 50)
    assert names.person_before(100) == "Kerry Dale"  # before finish(): every mention so far counts
    names.finish()
    assert names.person_before(100) == "Kerry Dale"
    assert names.person_before(40) == "Ana Ruiz"


def test_a_pronoun_means_the_first_person_of_the_nearest_sentence_that_names_one():
    from annotkit.names import Names

    names = Names()
    for name, at in [("Ana Ruiz", 0), ("Kerry Dale", 50), ("Robin Hale", 70)]:
        names.add(name, at)
    names.finish([0, 40, 90])
    assert names.person_before(100) == "Kerry Dale"


def test_a_long_run_of_sentences_opening_with_she_is_followed_back_only_a_few_sentences():
    from annotkit.names import Names

    # 2,000 sentences in a row open with "She": following each back to the one before would exhaust the stack
    names = Names()
    names.add("Ana Ruiz", 0)
    names.subject_pronouns.extend((10 * i, "f") for i in range(1, 2001))
    names.finish([0] + [10 * i for i in range(1, 2001)])
    assert names.person_before(20_005, "f") == "Ana Ruiz"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a lone word opening a sentence is the surname of a person the article names later
        (
            "Walz approaches it calmly. The crowd cheered. “We will win,” he said. Gov. Tim Walz spoke Monday.",
            "Tim Walz",
        ),
        # but not a word that cannot be a surname: a place word, a title
        ("John Smith arrived. North said the vote was close. “We won,” he said.", "John Smith"),
        ("John Smith arrived. Senator said the vote was close. “We won,” he said.", "John Smith"),
    ],
    ids=["later-named-surname", "place-word", "title"],
)
def test_a_lone_word_opening_a_sentence_is_a_person_only_if_it_can_be_a_surname(text, speaker):
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


@pytest.mark.parametrize(
    ("subject", "speaker"),
    [
        ("Ahmed bin Salem", "Ahmed bin Salem"),  # a person's name, with a particle
        # not a person's name: a place, capitals, a weekday inside
        ("New Orleans", "Kerry Dale"),
        ("ACME Widgets", "Kerry Dale"),
        ("Orlando Sunday Market", "Kerry Dale"),
        ("Rio U.S. Landing", "Kerry Dale"),
    ],
)
def test_a_capitalized_phrase_is_somebody_she_can_mean_only_if_it_looks_like_a_personal_name(subject, speaker):
    text = f"Kerry Dale arrived. {subject} hosted the final. “We won,” she said."
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


@pytest.mark.parametrize("suffix", ["Jr.", "Sr."])
def test_a_generational_suffix_stays_with_the_name(suffix):
    assert rows(f"Headline Here\n\n“We won,” said John Smith {suffix} on Monday.")[0][1] == f"John Smith {suffix}"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Mr. Robin Hale met Ms. Kerry Dale. “We won,” she said.", "Kerry Dale"),
        ("Ms. Kerry Dale met Mr. Robin Hale. “We won,” he said.", "Robin Hale"),
        # a role that says no gender ("Mayor") leaves the person able to be "she"
        ("Mayor Kerry Dale met Ms. Robin Hale. “We won,” she said.", "Kerry Dale"),
    ],
    ids=["ms", "mr", "mayor"],
)
def test_a_title_says_a_persons_gender(text, speaker):
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


@pytest.mark.parametrize(
    ("between", "speaker"),
    [
        # two "she" and no "he" close after Kerry Dale: a woman (the "he" after the filler is too far to vote)
        (f" {_FILLER}", "John Smith"),
        # two "she" and one "he" close after her: no clear majority, nothing learned
        ("", "Kerry Dale"),
    ],
    ids=["two-to-none", "two-to-one"],
)
def test_a_gender_is_learned_only_from_a_clear_majority_of_at_least_two(between, speaker):
    text = (
        "John Smith chaired the meeting. Kerry Dale arrived late. "
        f"She apologized, and she sat down.{between} “We won,” he said."
    )
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


@pytest.mark.parametrize("subheading", ["Kerry Dale Speaks", "Kerry Dale Speaks of the Vote"])
def test_a_subheading_in_title_case_names_nobody(subheading):
    text = f"John Smith arrived.\n\n{subheading}\n\n“We won,” he said."
    assert rows("Headline Here\n\n" + text)[-1][1] == "John Smith"


# --- quotemarks: how quotation marks are classified (mutation survivors, round 6) ---


def _marked(text: str) -> list[tuple[str, str]]:
    """Each quotation find_quoted finds in ``text`` taken as one paragraph: its words and the kind of its marks."""
    from annotkit.quotemarks import find_quoted

    return [(text[q.start : q.end], q.kind) for q in find_quoted(text, [(0, len(text))])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said «We won» and left.", [("We won", "double")]),
        ("He said „We won” and left.", [("We won", "double")]),
        ("He said “We won” and left.", [("We won", "double")]),
        ("He said ‘We won’ and left.", [("We won", "single")]),
    ],
    ids=["guillemets", "low-opening-mark", "curly-double", "curly-single"],
)
def test_guillemets_and_low_opening_marks_mark_double_quotations_as_curly_double_marks_do(text, expected):
    assert _marked(text) == expected


def test_a_straight_single_quotation_can_open_the_text_itself():
    assert _marked("'We won,' she said.") == [("We won", "single")]


def test_an_opening_curly_single_mark_opens_a_quotation_even_with_a_space_after_it():
    assert _marked("He said ‘ We won,’ and left.") == [("We won", "single")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no space before the opening mark: nothing is open, so it opens
        ('The sign read"Keep out" all week.', [("Keep out", "double")]),
        # no space after the closing mark: a double quotation is open, so it closes
        ('He said "We won"and left.', [("We won", "double")]),
    ],
    ids=["opens", "closes"],
)
def test_a_straight_double_mark_between_letters_opens_or_closes_by_whether_a_quotation_is_open(text, expected):
    assert _marked(text) == expected


def test_a_straight_double_mark_after_a_stray_space_at_the_end_of_the_paragraph_closes_the_quotation():
    assert _marked('He said "We won. "') == [("We won.", "double")]


@pytest.mark.parametrize(
    "text",
    [
        "The form showed '' where the name should be.",
        "He loves rock ’n’ roll.",
        "Sales peaked in the '80s and fell in the '90s.",
    ],
    ids=["two-straight-marks-between-spaces", "rock-n-roll", "decades"],
)
def test_marks_that_are_apostrophes_or_stand_alone_make_no_quotation(text):
    assert _marked(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an opening single mark typed for the apostrophe of a decade opens nothing
        ("In the ‘80s the plan was called ‘Project Blue’ by staff.", [("Project Blue", "single")]),
        # a lone single mark that opens nothing does not hide the quotation after it
        ("Fans of rock 'n roll came, “We won,” he said.", [("We won", "double")]),
    ],
    ids=["decade", "lone-mark-before-a-quotation"],
)
def test_a_single_mark_that_opens_nothing_leaves_the_rest_of_the_paragraph_to_be_read(text, expected):
    assert _marked(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an earlier quotation's closing mark has no say on where a later one closes
        ("She called it ‘done,’ and he called it ‘a mess’ in his note.", ["done", "a mess"]),
        # a capital letter after the paragraph's end is no closing mark
        ("She called it ‘a mess’ in a note to Malcolm X.", ["a mess"]),
        # the closing mark of a quotation inside it does not stop the outer one closing
        ("He wrote ‘she said ‘we won,'’ and left.", ["she said ‘we won,'"]),
        # a plural possessive's apostrophe just before the closing mark stays in the words
        ("He called it ‘the boys’', she said.", ["the boys’"]),
    ],
    ids=["earlier-quotation", "a-letter-x", "nested", "possessive-before-the-mark"],
)
def test_a_single_quotation_closes_at_the_last_mark_that_can_close_it(text, expected):
    assert [words for words, _ in _marked(text)] == expected


def test_a_quotation_in_the_first_paragraph_continues_no_quotation_before_it():
    from annotkit.quotemarks import find_quoted

    text = "“We won,” she said.\n\n“We lost,” he said."
    found_here = find_quoted(text, [(0, 19), (21, 40)])
    assert [(text[q.start : q.end], q.continues) for q in found_here] == [("We won", False), ("We lost", False)]
    assert all(q.continues is False for q in found_here)


# --- names: where a name begins and ends, and which runs are people (mutation survivors, round 6) ---


def _names_in(text: str):
    from annotkit.names import collect_names

    return collect_names(text, [(0, len(text))], [])


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("Prime Minister May", "May"),  # a surname that is also a month stays: it is all that is left
        ("Kenyan Kiptoo", "Kiptoo"),  # a nationality is not part of the name, and says the name is a person's
        ("Kenyan Daniel Kiptoo", "Daniel Kiptoo"),
        ("Somali American Ana Ruiz", "Ana Ruiz"),
        ("Aug. Ana Ruiz", "Ana Ruiz"),  # a month written short
        ("Board President Okoro", "Okoro"),  # the name is what follows the last role word
        ("Harvard Prof. Ana Ruiz", "Ana Ruiz"),
        # a place glued before a name that starts with a known first name, after "of", "to" or "in"
        ("the governor of Texas John Smith", "John Smith"),
        ("the ambassador to Kenya John Smith", "John Smith"),
        ("our correspondent in Kenya John Smith", "John Smith"),
        # no such preposition: the first word is the person's own first name
        ("the author Chidi John Okafor", "Chidi John Okafor"),
    ],
)
def test_name_without_titles_drops_roles_nationalities_and_places_before_the_name(phrase, name):
    from annotkit.names import name_without_titles

    assert name_without_titles(phrase) == name


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a name particle joined to the name by a hyphen belongs to it
        ("Prime Minister Mustafa al-Kadhimi arrived. “We will act,” he said.", "Mustafa al-Kadhimi"),
        ("Prime Minister Samir al-Hadi-Nour arrived. “We will act,” he said.", "Samir al-Hadi-Nour"),
        # a word in lower case before a hyphen is not: "ex-Governor" is a role
        ("“We will act,” said ex-Governor Ana Ruiz.", "Ana Ruiz"),
        # an abbreviation inside a name does not end it
        ("Ana St. Clair chaired the meeting. “We won,” she said.", "Ana St. Clair"),
        ("“We won,” Acme (U.S.) chief Kerry Dale said.", "Kerry Dale"),
        # a possessive names the person
        ("Mayor Ana Ruiz's office was closed. “We won,” she said.", "Ana Ruiz"),
        ("Mayor Ana Ruiz’s office was closed. “We won,” she said.", "Ana Ruiz"),
        # the end of a sentence or a clause ends the name before it
        ("The crowd cheered Maria Lopez: John Smith said the vote was fair. “We won,” she said.", "Maria Lopez"),
        ("The crowd cheered Maria Lopez! John Smith said the vote was fair. “We won,” she said.", "Maria Lopez"),
        ("The crowd cheered Maria Lopez? John Smith said the vote was fair. “We won,” she said.", "Maria Lopez"),
        ("The crowd cheered Maria Lopez… John Smith said the vote was fair. “We won,” she said.", "Maria Lopez"),
        (
            "The crowd cheered (and so did Maria Lopez.) John Smith said the vote was fair. “We won,” she said.",
            "Maria Lopez",
        ),
        # a short word with a point ends a sentence unless it is an abbreviation
        ("Ana Ruiz met President Xi. John Smith said the talks went well. “We won,” he said.", "John Smith"),
        ("The ads were aimed at GenX. Ana Ruiz said the vote was fair. “We won,” she said.", "Ana Ruiz"),
    ],
    ids=[
        "al-hyphen",
        "al-two-hyphens",
        "ex-hyphen",
        "st",
        "u.s.-in-brackets",
        "possessive",
        "possessive-curly",
        "colon",
        "exclamation",
        "question",
        "ellipsis",
        "point-in-brackets",
        "xi",
        "genx",
    ],
)
def test_where_a_name_begins_and_ends(text, speaker):
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a lone surname before a reporting verb is somebody "he" can mean, and so is a later mention of it
        ("John Smith chaired the meeting. It went well in Lagos, Okafor said. “We won,” he said.", "Okafor"),
        (
            "John Smith chaired the meeting. It went well in Lagos, Okafor said, and the crowd cheered. "
            "“We won,” he said.",
            "Okafor",
        ),
        (
            "It went well in Lagos, Okafor said. John Smith spoke next. Later, Okafor waved. “We won,” he said.",
            "Okafor",
        ),
        # a lone surname of a person named before, and of a name that only looks like a person's
        ("Gov. Tim Walz arrived. John Smith spoke next. At the Capitol, Walz waved. “We won,” he said.", "Tim Walz"),
        (
            "Kerry Ann Dale spoke first. John Smith spoke next. Later, Dale waved. “We won,” he said.",
            "Kerry Ann Dale",
        ),
        # a company named after a person is not the person
        (
            "Mayor Ana Hill spoke. Maria Lopez spoke next. The deal went to Hill LLC in the end. “We won,” she said.",
            "Maria Lopez",
        ),
        # a bare title before "said" is not a name, nor is a group opening a sentence
        ("John Smith arrived. Then the Sgt. said the vote was close. “We won,” he said.", "John Smith"),
        ("John Smith arrived. Officials wanted a recount. “We won,” he said. Officials said no.", "John Smith"),
        # four capitalized words are not taken for a person's name
        ("Kerry Dale arrived. Grand Oak Hill Park hosted the final. “We won,” she said.", "Kerry Dale"),
        # a person named with a reporting verb or an appositive comes before a phrase that only looks like a name
        ("Kerry Dale Park was full, Ana Ruiz said. “We won,” she said.", "Ana Ruiz"),
        ("After meeting Kerry Dale, Robin Hale said the vote was fair. “We won,” he said.", "Robin Hale"),
        # a woman's title in a role of two words says her gender
        ("Committee Chairwoman Kerry Dale met John Smith. “We won,” he said.", "John Smith"),
        # "for" and a name starting with a first name: the whole name
        ("The special envoy for John Paul Jones arrived. “We are ready,” he said.", "John Paul Jones"),
        # "it" is the organization named before
        ("The Army moved in on Monday. “We are ready,” it said.", "Army"),
    ],
    ids=[
        "lone-surname-said-point",
        "lone-surname-said-comma",
        "lone-surname-later",
        "known-surname-later",
        "possible-surname-later",
        "company",
        "bare-title",
        "group",
        "four-words",
        "cue-before-look-alike",
        "appositive-comma-only",
        "chairwoman",
        "envoy-for-first-name",
        "army",
    ],
)
def test_who_a_pronoun_means_among_surnames_titles_groups_and_look_alikes(text, speaker):
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


@pytest.mark.parametrize(
    ("text", "full", "possible"),
    [
        # an appositive says a person
        ("Ana Ruiz, a nurse, spoke.", ["Ana Ruiz"], []),
        ("Ana Ruiz, an engineer, spoke.", ["Ana Ruiz"], []),
        ("Ana Ruiz, the mayor, spoke.", ["Ana Ruiz"], []),
        ("Ana Ruiz, who runs the shelter, spoke.", ["Ana Ruiz"], []),
        # so does a reporting verb, with or without punctuation after it
        ("Ana Ruiz said the vote was fair.", ["Ana Ruiz"], []),
        ("It was fair, Ana Ruiz said.", ["Ana Ruiz"], []),
        ("It was fair, Ana Ruiz said, and left.", ["Ana Ruiz"], []),
        # nothing does: a name that only looks like a person's
        ("Kerry Dale hosted the final.", [], ["Kerry Dale"]),
        # a place glued before a name after "of", "to", "in" (also at the very start of the text)
        ("The envoy of Kenya John Smith spoke.", ["John Smith"], []),
        ("The ambassador to Kenya John Smith spoke.", ["John Smith"], []),
        ("The envoy in Kenya John Smith spoke.", ["John Smith"], []),
        ("in Nairobi John Smith said the talks went well.", ["John Smith"], []),
    ],
)
def test_a_capitalized_run_is_surely_a_person_only_with_a_role_a_reporting_verb_or_an_appositive(text, full, possible):
    names = _names_in(text)
    assert (names.full, names.possible) == (full, possible)


@pytest.mark.parametrize(
    ("text", "mentions", "roles"),
    [
        ("Mayor Kerry Dale arrived.", [(0, "Kerry Dale")], {"Kerry Dale": "Mayor"}),
        ("Prime Minister Kerry Dale arrived at the talks.", [(0, "Kerry Dale")], {"Kerry Dale": "Prime Minister"}),
        ("Kerry Dale hosted the final.", [(0, "Kerry Dale")], {}),
    ],
)
def test_a_mention_starts_where_its_words_start_title_included(text, mentions, roles):
    names = _names_in(text)
    assert (names.mentions, names.roles) == (mentions, roles)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # four capitalized words in five: a subheading, which names nobody
        ("John Smith arrived.\n\nKerry Dale Sums it Up\n\n“We won,” he said.", "John Smith"),
        # a paragraph with fewer is a paragraph ("o’clock" is a word in lower case)
        ("Maria Lopez met John Smith at 5 o’clock.\n\n“We won,” he said.", "John Smith"),
    ],
    ids=["subheading", "paragraph"],
)
def test_a_paragraph_is_a_subheading_when_four_words_in_five_are_capitalized(text, speaker):
    assert rows("Headline Here\n\n" + text)[-1][1] == speaker


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        ("“We will act,” van der Berg said.", "van der Berg", None),
        ("“We will act,” said de Souza.", "de Souza", None),
        ("Mayor Lotte van der Berg arrived. “We will act,” van der Berg said.", "Lotte van der Berg", "Mayor"),
    ],
)
def test_a_name_can_begin_with_a_particle_in_lower_case(text, speaker, role):
    row = Article.from_text("Headline Here\n\n" + text).quotes.iloc[0]
    assert (row.speaker, None if pd.isna(row.role) else row.role) == (speaker, role)


def test_a_speaker_described_after_the_cue_does_not_keep_the_sentences_full_stop():
    speaker = rows("Headline Here\n\n“We won,” said the head of Team 5.")[0][1]
    assert speaker.startswith("the head of Team") and not speaker.endswith(".")


# --- quotes: kinds, the words around a quotation and paragraphs ending in a colon (mutation survivors, round 6) ---


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("Back to Basics", "title"),  # small words ("to") do not count against Title Case
        ("U.S. First", "title"),  # two words are enough; an abbreviation counts
        ("Bring Back Main Street jobs", "title"),  # four capitals in five words are enough
        ("Project X", "title"),
        ("Reform", "title"),  # one capitalized word
        ("Fix it first", "scare quote"),  # a capital only at the start
        ("reform", "scare quote"),
        ("build homes near every train station", "scare quote"),  # six words nobody in the sentence says
        ("build more homes near every new train station", "quotation"),  # seven words are somebody's
    ],
)
def test_a_short_phrase_nobody_says_is_a_title_in_title_case_else_a_scare_quote(phrase, kind):
    assert rows(f"Headline Here\n\nCritics of the “{phrase}” program met.") == [(phrase, None, kind)]


def test_a_nickname_may_have_three_words():
    assert rows("Headline Here\n\nGolfer Ernie “The Big Easy” Els spoke first.") == [("The Big Easy", None, "nickname")]


def test_a_short_phrase_in_a_headline_is_a_quotation():
    assert rows("Council backs “fix it” plan\n\nThe council met on a rainy Monday.") == [("fix it", None, "quotation")]


def test_a_short_phrase_in_a_sentence_with_a_reporting_verb_is_a_quotation():
    text = "Headline Here\n\nIt was, as one might say, a “boondoggle” from the start."
    assert rows(text) == [("boondoggle", None, "quotation")]


def _paragraphs(text):
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ortiz said: “We won.”", [("We won.", "Ortiz", "said")]),
        # without sentences, the words around a quotation still stop at its paragraph
        ("“We won,”\n\nOrtiz said the vote was close.", [("We won", None, None)]),
        ("Lena Ortiz said so.\n\n“We won,” the crowd cheered.", [("We won", None, None)]),
    ],
    ids=["first-word", "after-stops-at-paragraph", "before-starts-at-paragraph"],
)
def test_find_quotes_reads_an_article_given_no_sentences(text, expected):
    from annotkit.quotes import find_quotes

    spans = find_quotes(text, _paragraphs(text), [])
    assert [(text[q.start : q.end], q.speaker, q.cue) for q in spans] == expected


def test_a_paragraph_ending_in_a_colon_and_a_space_hands_the_floor_to_the_next():
    from annotkit.quotes import find_quotes

    text = "Omar Haddad said: \n\n“We won.”"
    spans = find_quotes(text, [(0, 18), (20, len(text))], [(0, 18), (20, len(text))])
    assert [(q.speaker, q.cue) for q in spans] == [("Omar Haddad", "said")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the quotation names its own speaker: the colon before its paragraph does not override it
        ("Omar Haddad spoke to the crowd:\n\n“We won,” Lena Ortiz said.",
         [("We won", "Lena Ortiz", "said", "after quote", None)]),
        # a quotation that does not open its paragraph takes no speaker from the colon
        ("Omar Haddad spoke to the crowd:\n\nThen came “a long pause.”", [("a long pause.", None, None, None, None)]),
        # a group the colon hands the floor to is what a later "they" stands for
        ("The campaign responded in a statement:\n\n“We won.”\n\nLater, “we will keep going,” they said.",
         [("We won.", "The campaign", "responded", "before quote", None),
          ("we will keep going", "The campaign", "said", "after quote", None)]),
    ],
    ids=["own-speaker", "not-opening", "group-then-they"],
)  # fmt: skip
def test_what_a_paragraph_ending_in_a_colon_hands_to_the_next(text, expected):
    assert found("Headline Here\n\n" + text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "“We won” — “Lena Ortiz said so,” Omar Haddad wrote.",
        "“We won” — “we lost” — “Lena Ortiz said so,” Omar Haddad wrote.",
    ],
)
def test_a_name_inside_the_next_quotation_never_speaks_the_one_before(text):
    assert "Lena Ortiz" not in [speaker for _, speaker, _ in rows("Headline Here\n\n" + text)]


# --- names: the people collect_names finds, and what Names keeps of them (mutation survivors, round 6) ---


def _people(text, paragraphs=None, quoted=()):
    from annotkit.names import collect_names

    return collect_names(text, paragraphs or [(0, len(text))], list(quoted))


@pytest.mark.parametrize(
    ("text", "quoted", "named"),
    [
        ("Mayor Ana Ruiz spoke. Gen. Tom Lee agreed.", [], ["Ana Ruiz", "Tom Lee"]),
        ("Mayor Ana Ruiz spoke. Gen. Tom Lee agreed.", [(0, 21)], ["Tom Lee"]),
        # a quotation that starts where a name starts holds it
        ("Dale said no. Gen. Tom Lee agreed.", [], ["Dale", "Tom Lee"]),
        ("Dale said no. Gen. Tom Lee agreed.", [(0, 13)], ["Tom Lee"]),
        # a name in the second of two quotations
        ("“No,” Mayor Ana Ruiz said. “Ask Gen. Tom Lee,” she added.", [(0, 5), (27, 46)], ["Ana Ruiz"]),
        # a quotation's span ends before its end offset: a name starting there is outside it
        ("“No,” Dale said.", [(0, 6)], ["Dale"]),
    ],
    ids=["none", "titled-name", "lone-surname-none", "lone-surname", "second-quotation", "quotation-ends-at-the-name"],
)
def test_a_name_inside_a_quotation_is_nobody_the_article_names(text, quoted, named):
    assert [name for _, name in _people(text, quoted=quoted).mentions] == named


@pytest.mark.parametrize(
    "text",
    [
        "Ana Ruiz, a teacher, spoke.",  # an appositive
        "Ana Ruiz said the vote was close.",  # a reporting verb
        "Ana\nRuiz said the vote was close.",  # a name broken over two lines is still one name
    ],
    ids=["appositive", "reporting-verb", "line-break"],
)
def test_a_name_an_appositive_or_a_reporting_verb_marks_is_a_person(text):
    assert _people(text).full == ["Ana Ruiz"]


@pytest.mark.parametrize(
    "text",
    [
        "The envoy for Ukraine Kurt Volker, a diplomat, arrived.",
        # a full stop missing between two sentences: the capitalized "The" ends the name
        "The special envoy for Ukraine Kurt Volker The Kremlin denied it.",
    ],
    ids=["appositive", "missing-full-stop"],
)
def test_a_place_after_for_is_not_part_of_the_name_that_follows_it(text):
    assert _people(text).full == ["Kurt Volker"]


@pytest.mark.parametrize(
    ("first", "full", "named"),
    [
        ("The trophy went to Dale", [], []),
        ("The trophy went to Kerry Dale", [], ["Kerry Dale"]),
        ("The trophy went to Kerry Dale.", [], ["Kerry Dale"]),
    ],
    ids=["lone-word", "name", "name-with-full-stop"],
)
def test_a_reporting_verb_in_the_next_paragraph_does_not_make_a_person_of_the_name_ending_this_one(first, full, named):
    text = f"{first}\n\nsaid the judges, after a long night."
    names = _people(text, paragraphs=[(0, len(first)), (len(first) + 2, len(text))])
    assert (names.full, [name for _, name in names.mentions]) == (full, named)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a lone surname names the person the article has named in full (after a role, or as a possible name)
        ("Gen. Lloyd Austin arrived. The next day Austin left.", [(0, "Lloyd Austin"), (40, "Lloyd Austin")]),
        ("Ana Ruiz spoke. The next day Ruiz left.", [(0, "Ana Ruiz"), (29, "Ana Ruiz")]),
        # the surname is the last word of a name of three
        ("Mayor Mary Ann Lee arrived. The next day Lee left.", [(0, "Mary Ann Lee"), (41, "Mary Ann Lee")]),
        # a lone word before a reporting verb, even one with a comma after it
        ("In the end Dale said, smiling, that it was close.", [(11, "Dale")]),
        # but not a word that ends its phrase before the verb
        ("The winner was Dale, said the coach.", []),
    ],
    ids=["after-a-role", "possible-name", "three-words", "said-comma", "comma-before-said"],
)
def test_a_lone_capitalized_word_names_a_person_known_by_that_surname_or_before_a_reporting_verb(text, named):
    assert _people(text).mentions == named


@pytest.mark.parametrize("mark", ["'", "’"])
def test_a_possessive_ends_a_name(mark):
    names = _people(f"Ana Ruiz{mark}s Foundation gave money.")
    assert (names.possible, names.organizations) == (["Ana Ruiz"], [])


def test_a_surname_two_people_share_means_the_first_of_them_named():
    assert _people("Gen. Ana Lee arrived. Gen. Tom Lee followed. Later, Lee left.").mentions[-1] == (52, "Ana Lee")


def test_following_he_sentences_back_stops_after_six():
    # seven sentences open with "He": the seventh back is not followed, so "he" means the man met in the first
    met = ["Adam Ames", "Bill Bond", "Carl Cole", "Dan Dorn", "Ed Eads", "Fred Fry", "Gus Gray"]
    he_sentences = " ".join(f"He met {name}." for name in met)
    text = f"Guadalupe Ortiz came to the rally. {he_sentences} “I met a lot of good people,” he said."
    assert rows("Headline Here\n\n" + text)[0][1] == "Adam Ames"


@pytest.mark.parametrize(
    ("pronouns", "gender"),
    [
        ([(50, "f")], None),  # one pronoun is not enough
        ([(50, "f"), (200, "f")], "f"),  # two, each at most 200 characters after the name
        ([(50, "f"), (201, "f")], None),  # one of them too far to count
    ],
    ids=["one", "two-close", "one-too-far"],
)
def test_two_pronouns_close_after_a_name_teach_the_persons_gender(pronouns, gender):
    from annotkit.names import Names

    names = Names()
    names.add("Kerry Dale", 0)
    names.finish()
    names.learn_genders(pronouns)
    assert names.gender("Kerry Dale") == gender


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # "She" opening a sentence carries on the woman named before it, past the person that sentence names
        (
            "Maria Lopez came to the rally. She had met Kerry Dale in Phoenix. “I met good people,” she said.",
            "Maria Lopez",
        ),
        # "His" opening a sentence does not: "he" means the nearest person named
        (
            "Guadalupe Ortiz came to the rally. His brother met Kerry Dale. “I met good people,” he said.",
            "Kerry Dale",
        ),
        # a capitalized word opening a sentence, then a verb that does not report, is no person of its own
        ("John Smith arrived. Tuscany hosted the final. “We won,” he said.", "John Smith"),
    ],
    ids=["she-sentence", "his-sentence", "place-then-verb"],
)
def test_which_words_opening_a_sentence_stand_for_a_person(text, speaker):
    assert rows("Headline Here\n\n" + text)[0][1] == speaker


@pytest.mark.parametrize(
    ("text", "mentions", "surnames"),
    [
        # a lone word opening a sentence is the surname of a person the article names later
        (
            "Ruiz approaches it calmly. The crowd cheered. Ana Ruiz spoke on Monday.",
            [(0, "Ana Ruiz"), (46, "Ana Ruiz")],
            {"Ruiz"},
        ),
        # but not a lone word inside a sentence
        ("The crowd cheered when Ruiz arrived. Ana Ruiz spoke on Monday.", [(37, "Ana Ruiz")], {"Ruiz"}),
        # a lone word opening a sentence before a reporting verb is a surname from then on
        ("John Smith arrived. Dale said.", [(0, "John Smith"), (20, "Dale")], {"Smith", "Dale"}),
    ],
    ids=["named-later", "inside-a-sentence", "reporting-verb"],
)
def test_a_lone_word_opening_a_sentence_before_a_verb_may_be_a_surname(text, mentions, surnames):
    from annotkit.names import collect_names

    starts = [0] + [at + 2 for at in range(len(text)) if text.startswith(". ", at)]
    names = collect_names(text, [(0, len(text))], [], starts)
    assert (names.mentions, names.possible_surnames) == (mentions, surnames)


@pytest.mark.parametrize("verb", ["said a spokesman for", "said an engineer at"])
def test_a_speaker_described_after_the_verb_keeps_the_whole_of_a_company_name_ending_the_sentence(verb):
    assert rows(f"Headline Here\n\n“We won,” {verb} SpaceX.")[0][1] == f"{verb.removeprefix('said ')} SpaceX"


@pytest.mark.parametrize(
    "pronouns",
    [
        "Her car broke down, her phone died, and her bag was lost.",
        "The car was hers, the phone was hers, and the bag was hers.",
    ],
    ids=["her", "hers"],
)
def test_her_and_hers_teach_that_a_person_is_a_woman(pronouns):
    text = f"John Smith chaired the meeting. Kerry Dale arrived late. {pronouns} “We won,” he said."
    assert rows("Headline Here\n\n" + text)[-1][1] == "John Smith"


@pytest.mark.parametrize(
    "subheading",
    [
        "Ruiz returns home",  # a lone word opening a sentence, then a verb
        "She returns home",  # a pronoun
    ],
)
def test_a_subheading_left_out_of_the_paragraphs_is_not_read_for_people_or_pronouns(subheading):
    from annotkit.names import collect_names

    first, last = "Ana Ruiz spoke on Monday. She left early.", "The crowd cheered."
    text = f"{first}\n\n{subheading}\n\n{last}"
    heading_at, last_at = len(first) + 2, len(first) + len(subheading) + 4
    names = collect_names(text, [(0, len(first)), (last_at, len(text))], [], [0, 26, heading_at, last_at])
    # one "she" teaches nothing; the subheading's words are not read
    assert (names.mentions, names.genders) == ([(0, "Ana Ruiz")], {})
