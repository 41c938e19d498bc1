import pytest

from annotkit import Article
from annotkit.cleaning import clean_blocks, normalize_space
from annotkit.sources import Block

HEADLINE = "Storm Hits Town"
BODY = "Rain fell on the town for a week. Roads were closed."


def paragraphs(text: str) -> list[tuple[str, str]]:
    return list(Article.from_text(text).paragraphs[["kind", "text"]].itertuples(index=False, name=None))


def around(line: str) -> str:
    """The line between a headline and a body paragraph, each a block of its own."""
    return f"{HEADLINE}\n\n{line}\n\n{BODY}"


# --- furniture ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Accessibility links",
        "Breaking News",
        "BREAKING NEWS",
        "Skip to main content",
        "Print Options",
        "Share",
        "Share this story:",
        "Advertisement",
        "Listen to this article",
        "No media source currently available",
        "See all News",
        "Follow us on Twitter",
        "Sign up for our newsletter",
        "Copyright 2021 Voice of America",
        "© 2021 The Daily Planet",
    ],
)
def test_boilerplate_line_is_dropped(line):
    assert paragraphs(around(line)) == [("headline", HEADLINE), ("body", BODY)]


def test_boilerplate_lines_inside_a_block_are_dropped():
    assert paragraphs(f"{HEADLINE}\n\nPrint\nShare\nEmail\n\n{BODY}") == [("headline", HEADLINE), ("body", BODY)]


@pytest.mark.parametrize(
    "line",
    [
        "July 26, 2021 6:18 PM",
        "Updated: 26 July 2021",
        "Monday, July 26, 2021",
        "Published July 26, 2021",
        "Last updated on 26 July 2021 at 18:18 BST",
        "2021-07-26",
        "7/26/2021",
        "6:18 PM EDT",
    ],
)
def test_date_only_line_is_dropped(line):
    assert paragraphs(around(line)) == [("headline", HEADLINE), ("body", BODY)]


@pytest.mark.parametrize(
    "text",
    [
        "Share prices fell sharply on Monday as investors weighed the news from the central bank.",
        "Print newspapers are closing across the region, the report found.",
        "Advertisement spending rose by a tenth last year.",
        "July 26, 2021 was the hottest day on record in the town.",
    ],
)
def test_body_paragraph_starting_with_a_boilerplate_word_is_kept(text):
    assert paragraphs(f"{HEADLINE}\n\n{text}") == [("headline", HEADLINE), ("body", text)]


def test_related_heading_drops_link_titles_but_not_the_prose_after():
    text = f"{HEADLINE}\n\nRelated\n\nFloods hit Lagos\n\nWhy rivers rise\n\n{BODY}"
    assert paragraphs(text) == [("headline", HEADLINE), ("body", BODY)]


def test_related_list_in_one_block():
    text = (
        f"{HEADLINE}\n\n{BODY}\n\nMore stories:\nFloods hit Lagos\nWhy rivers rise\nThe town rebuilt its bridge in May."
    )
    assert paragraphs(text) == [
        ("headline", HEADLINE),
        ("body", BODY),
        ("body", "The town rebuilt its bridge in May."),
    ]


# --- captions and credits -----------------------------------------------------------------------------------


def test_caption_repeated_as_alt_text_is_kept_once():
    caption = "A flooded road in Dhaka, July 1, 2021."
    assert paragraphs(f"{HEADLINE}\n\n{caption}\n{caption}\n\n{BODY}") == [
        ("headline", HEADLINE),
        ("caption", caption),
        ("body", BODY),
    ]


@pytest.mark.parametrize(
    "caption",
    [
        "FILE - U.S. Marines prepare to build a military site in western Anbar, Iraq, Nov. 7, 2017.",
        "FILE PHOTO: A flooded road in Dhaka.",
    ],
)
def test_file_photo_line_is_a_caption(caption):
    assert paragraphs(around(caption)) == [("headline", HEADLINE), ("caption", caption), ("body", BODY)]


@pytest.mark.parametrize(
    "credit",
    [
        "Ana Ruiz and Tom Lee contributed to this report.",
        "Some information for this report came from AP and Reuters.",
        "Reporting by Ana Ruiz; Editing by Tom Lee",
        "(Reporting by Ana Ruiz in Lagos; Writing by Tom Lee)",
        "By JANE DOE",
        "By Helen Marsh, environment correspondent",
    ],
)
def test_credit_line(credit):
    assert paragraphs(f"{HEADLINE}\n\n{BODY}\n\n{credit}") == [
        ("headline", HEADLINE),
        ("body", BODY),
        ("credit", credit),
    ]


def test_sentence_starting_with_by_is_body():
    text = "By the end of the week the river had risen two metres."
    assert paragraphs(f"{HEADLINE}\n\n{text}") == [("headline", HEADLINE), ("body", text)]


# --- datelines ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dateline", ["WASHINGTON —", "LAGOS, Nigeria (AP) —", "GENEVA (Reuters) -"])
def test_lone_dateline_is_joined_to_the_next_paragraph(dateline):
    assert paragraphs(around(dateline)) == [("headline", HEADLINE), ("body", f"{dateline} {BODY}")]


def test_dateline_in_the_first_paragraph_stays_there():
    text = f"{HEADLINE}\n\nWASHINGTON - {BODY}\n\nOfficials agreed."
    assert paragraphs(text) == [
        ("headline", HEADLINE),
        ("body", f"WASHINGTON - {BODY}"),
        ("body", "Officials agreed."),
    ]


def test_dateline_paragraph_is_never_the_headline():
    text = "WASHINGTON - The Pentagon said more on Monday"
    assert paragraphs(text) == [("body", text)]


# --- the headline rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{HEADLINE}\n\n{BODY}", [("headline", HEADLINE), ("body", BODY)]),
        (f"Is the Storm Over?\n\n{BODY}", [("headline", "Is the Storm Over?"), ("body", BODY)]),
        # a first paragraph ending with a full stop is body
        (f"Storm hits town.\n\n{BODY}", [("body", "Storm hits town."), ("body", BODY)]),
        # a text of one paragraph is the article itself, never a headline with nothing under it
        (BODY, [("body", BODY)]),
        ("Rain fell on Monday", [("body", "Rain fell on Monday")]),
        (f"{HEADLINE}\n\nBy JANE DOE", [("body", HEADLINE), ("credit", "By JANE DOE")]),
        # a long first paragraph is body
        (" ".join(["word"] * 30) + f"\n\n{BODY}", [("body", " ".join(["word"] * 30)), ("body", BODY)]),
        # captions and credits before the headline are passed over
        (
            f"FILE - A flooded road.\n\n{HEADLINE}\n\n{BODY}",
            [("caption", "FILE - A flooded road."), ("headline", HEADLINE), ("body", BODY)],
        ),
    ],
)
def test_headline_rule(text, expected):
    assert paragraphs(text) == expected


def test_only_the_first_short_paragraph_is_a_headline():
    assert paragraphs(f"{HEADLINE}\n\nWhat happened next\n\n{BODY}") == [
        ("headline", HEADLINE),
        ("body", "What happened next"),
        ("body", BODY),
    ]


def test_find_headline_false_leaves_kinds_from_hints():
    blocks = [Block(("Storm Hits Town",), "body"), Block((BODY,), "body")]
    assert clean_blocks(blocks, find_headline=False) == [("body", HEADLINE), ("body", BODY)]


# --- white space and Unicode --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Rain\u00a0fell on the town.", "Rain fell on the town."),  # no-break space
        ("Rain\tfell  on   the town.", "Rain fell on the town."),
        ("Rain fell\u200b on the town.", "Rain fell on the town."),  # zero-width space
        ("Rain fell on the to\u00adwn.", "Rain fell on the town."),  # soft hyphen
        ("Rain fell on the town.\u2060", "Rain fell on the town."),  # word joiner
        ("  Rain fell on the town.  ", "Rain fell on the town."),
        ("Jose\u0301 fell on the town.", "Jos\u00e9 fell on the town."),  # NFC: e + combining acute is é
    ],
)
def test_white_space_and_unicode_normalize(raw, expected):
    assert paragraphs(f"{HEADLINE}\n\n{raw}") == [("headline", HEADLINE), ("body", expected)]


def test_lines_of_a_block_join_with_one_space():
    assert paragraphs(f"{HEADLINE}\n\nRain fell\non the town.") == [
        ("headline", HEADLINE),
        ("body", "Rain fell on the town."),
    ]


def test_normalize_space():
    assert normalize_space("  Prime\u00a0Minister \u200b  Mustafa\nal-Kadhimi ") == "Prime Minister Mustafa al-Kadhimi"
