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
