import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotkit.text import sentence_spans, token_spans


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def tokens(text: str) -> list[str]:
    return [text[s:e] for s, e in token_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops left. The base closed.", ["Troops left.", "The base closed."]),
        ("Is it over? Nobody knows! Wait.", ["Is it over?", "Nobody knows!", "Wait."]),
        # abbreviations that do not end a sentence
        ("U.S. Marines arrived. They stayed.", ["U.S. Marines arrived.", "They stayed."]),
        ("The U.N. Security Council met.", ["The U.N. Security Council met."]),
        ("Dr. Maya Lee spoke. Sen. Ruiz left.", ["Dr. Maya Lee spoke.", "Sen. Ruiz left."]),
        ("Gen. Mark Milley said so.", ["Gen. Mark Milley said so."]),
        ("It was Nov. 7, 2017, in Anbar.", ["It was Nov. 7, 2017, in Anbar."]),
        ("They met at 9 a.m. Monday in Baghdad.", ["They met at 9 a.m. Monday in Baghdad."]),
        ("John F. Kennedy spoke.", ["John F. Kennedy spoke."]),
        # ... and abbreviations that do
        (
            "They flew back to the U.S. The next day they met.",
            ["They flew back to the U.S.", "The next day they met."],
        ),
        (
            "The talks began at 9 a.m. They ended at noon.",
            ["The talks began at 9 a.m.", "They ended at noon."],
        ),
        # quotations
        (
            '"This is a shift in mission. It is not a removal," Psaki said.',
            ['"This is a shift in mission.', 'It is not a removal," Psaki said.'],
        ),
        ('"Why now?" asked Dr. Lee. She waited.', ['"Why now?" asked Dr. Lee.', "She waited."]),
        (
            '"Are we ready?" Ortega asked. Nobody answered.',
            ['"Are we ready?" Ortega asked.', "Nobody answered."],
        ),
        ('He left. "We are done." Then silence.', ["He left.", '"We are done."', "Then silence."]),
        # datelines and ellipses
        (
            "WASHINGTON — The Pentagon said more. Officials agreed.",
            ["WASHINGTON — The Pentagon said more.", "Officials agreed."],
        ),
        ("We waited... and waited. Then it came.", ["We waited... and waited.", "Then it came."]),
        (
            "Biden Announces End to US Combat Mission in Iraq",
            ["Biden Announces End to US Combat Mission in Iraq"],
        ),
        (
            "Growth was 2.4% in 2021. Prices rose 3.5 percent.",
            ["Growth was 2.4% in 2021.", "Prices rose 3.5 percent."],
        ),
    ],
)
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_sentences_respect_the_range_they_are_given():
    text = "Skip me. Keep this. And this.\n\nNot this."
    start = text.index("Keep")
    end = text.index("\n")
    assert [text[s:e] for s, e in sentence_spans(text, start, end)] == ["Keep this.", "And this."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iraq's forces", ["Iraq", "'s", "forces"]),
        ("didn't", ["did", "n't"]),
        ("we're here", ["we", "'re", "here"]),
        ("U.S. and U.N.", ["U.S.", "and", "U.N."]),
        ("Dr. Lee", ["Dr.", "Lee"]),
        ("Mustafa al-Kadhimi", ["Mustafa", "al-Kadhimi"]),
        ("O'Brien spoke", ["O'Brien", "spoke"]),
        ("2,500 troops", ["2,500", "troops"]),
        ("2.4% growth", ["2.4%", "growth"]),
        ("the 1990s", ["the", "1990s"]),
        ('"Hi," she said.', ['"', "Hi", ",", '"', "she", "said", "."]),
        ("José Peña 🎉!", ["José", "Peña", "🎉", "!"]),
        ("‘mission accomplished,'", ["‘", "mission", "accomplished", ",", "'"]),
    ],
)
def test_tokens(text, expected):
    assert tokens(text) == expected


_PIECES = st.sampled_from(
    ["word", "Word", "U.S.", "Dr.", "a.m.", ".", "?", "!", ",", '"', "“", "”", "'", "’", "…", "2,500", "3.5",
     "José", "🎉", "al-Kadhimi", "(", ")", "—", "Iraq's"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PIECES, st.sampled_from([" ", "", "  ", "\n"])), max_size=40))
def test_sentences_and_tokens_are_ordered_trimmed_and_cover_every_visible_character(pieces):
    text = "".join(p + sep for p, sep in pieces)
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert not text[previous_end:start].strip()  # nothing but white space between sentences
        previous_end = end
    assert not text[previous_end:].strip()
    for start, end in spans:
        toks = token_spans(text, start, end)
        covered = "".join(text[s:e] for s, e in toks)
        assert covered == "".join(text[start:end].split())


# --- issue 13: sentence splits seen on real news (hand-written fixtures) ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a middle initial before a quoted nickname
        ("Rep. Robert C. “Bobby” Scott spoke. He left.", ["Rep. Robert C. “Bobby” Scott spoke.", "He left."]),
        ('Marine John T. "Tig" Tiegen spoke.', ['Marine John T. "Tig" Tiegen spoke.']),
        # a.m. and p.m. before a time zone or a word that goes with the time
        ("Polls close at 8 p.m. Eastern time in most states.", ["Polls close at 8 p.m. Eastern time in most states."]),
        ("The debate starts at 9 p.m. E.T. on Tuesday.", ["The debate starts at 9 p.m. E.T. on Tuesday."]),
        # the attribution after a quoted question stays with it, whatever the cue
        (
            "“Did he say ‘why not?’” Holmes testified. She paused.",
            ["“Did he say ‘why not?’” Holmes testified.", "She paused."],
        ),
        ('"Are we ready?" Ana Ruiz wondered aloud.', ['"Are we ready?" Ana Ruiz wondered aloud.']),
        # an ellipsis is never a sentence of its own
        ("He spoke. ... Then he left.", ["He spoke.", "... Then he left."]),
        # Chinese and Japanese full stops, with no space after them
        ("大雨下了一整天。居民们说水涨得很快。", ["大雨下了一整天。", "居民们说水涨得很快。"]),
        ("雨が降った！道が閉じた。", ["雨が降った！", "道が閉じた。"]),
    ],
    ids=[
        "nickname-curly",
        "nickname-straight",
        "pm-eastern",
        "pm-et",
        "question-testified",
        "question-wondered",
        "ellipsis",
        "chinese",
        "japanese",
    ],
)
def test_sentence_splits_seen_on_real_news(text, expected):
    assert sentences(text) == expected


def test_sentences_and_quotes_share_one_list_of_titles():
    # "Atty." is a title in the shared word list: no sentence ends after it, and it is no part of a name.
    from annotkit import Article
    from annotkit.words import TITLES

    assert "atty" in TITLES
    assert sentences("Atty. Gen. Ana Ruiz spoke. Then she left.") == ["Atty. Gen. Ana Ruiz spoke.", "Then she left."]
    article = Article.from_text('Headline Here\n\n"We will appeal," Atty. Ana Ruiz said.')
    assert article.quotes.speaker.tolist() == ["Ana Ruiz"]
