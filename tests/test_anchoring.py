"""Re-anchoring, rule by rule: each test names the rule it guards, and fails when that rule is changed.

The rules are those of :mod:`annotkit.anchoring`: the position wins while its words are there; otherwise the
words are searched, and a place is accepted only on good evidence (a long quote, or most of its context); two
places that fit equally well are a tie, and a tie is never guessed; a long quote with a typo fixed in it is found
near its old place by approximate matching.
"""

import re

import pandas as pd
import pytest

import annotkit
from annotkit import AnnotationError
from annotkit.anchoring import (
    CONTEXT_CHARS,
    FUZZY_LONGEST,
    FUZZY_RATIO,
    FUZZY_WINDOW,
    LONG_QUOTE,
    Utf16Offsets,
    _approximate,
    _by_ends,
    _context_score,
    align_to_tokens,
    anchor,
    context,
    onto,
)
from annotkit.records import empty_annotations

# --- the context remembered -------------------------------------------------------------------------------------


def test_context_is_32_characters_on_each_side():
    text = "p" * 40 + "QUOTE" + "s" * 40
    assert CONTEXT_CHARS == 32
    assert context(text, 40, 45) == ("p" * 32, "s" * 32)


def test_context_is_cut_at_the_ends_of_the_text():
    assert context("Ana Ruiz said so.", 0, 3) == ("", " Ruiz said so.")
    assert context("Ana Ruiz said so.", 14, 17) == ("Ana Ruiz said ", "")


# --- how much context still fits --------------------------------------------------------------------------------


def test_context_score_counts_the_prefix_backwards_and_the_suffix_forwards():
    # "abc[X]def": the prefix is compared from the quote outwards, the suffix likewise.
    assert _context_score("abcXdef", 3, 4, "abc", "def") == 6
    assert _context_score("abcXdef", 3, 4, "bc", "de") == 4
    assert _context_score("abcXdef", 3, 4, "", "") == 0


def test_context_score_stops_at_the_first_difference():
    # prefix: c, b match, then z != a: 2; suffix: d matches, then z != e: 1 (the f after it does not count).
    assert _context_score("abcXdef", 3, 4, "zbc", "dzf") == 3


def test_context_score_counts_the_suffix_too():
    assert _context_score("abcXdef", 3, 4, "", "def") == 3
    assert _context_score("abcXdef", 3, 4, "abc", "") == 3


def test_context_score_never_reads_past_the_text():
    assert _context_score("Xd", 0, 1, "long prefix", "de") == 1


# --- the position first -----------------------------------------------------------------------------------------


def test_the_position_wins_while_its_words_are_there():
    text = "Ruiz met Ruiz."
    # The remembered context fits the first "Ruiz" better, but the second is where the tag was, and still is.
    assert anchor(text, start=9, end=13, exact="Ruiz", prefix="", suffix=" met") == (9, 13)


@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), (0, None), (None, 4), (-1, 3), (10, 14), (20, 24), (2, 2)],
    ids=["none", "no-end", "no-start", "negative", "past-the-end", "outside", "empty"],
)
def test_a_position_that_does_not_hold_the_words_is_not_trusted(start, end):
    text = "Mayor Ana Ruiz"
    assert anchor(text, start=start, end=end, exact="Ana Ruiz", prefix="Mayor ", suffix="") == (6, 14)


def test_a_position_ending_exactly_at_the_end_of_the_text_is_trusted():
    # Two equal occurrences and no context: only the position can tell them apart, and it is valid.
    assert anchor("Ruiz and Ruiz", start=9, end=13, exact="Ruiz") == (9, 13)


def test_a_position_starting_at_zero_is_trusted():
    assert anchor("Ruiz and Ruiz", start=0, end=4, exact="Ruiz") == (0, 4)


def test_no_words_no_anchor():
    assert anchor("Mayor Ana Ruiz", start=0, end=0, exact="") is None


# --- searching the words ----------------------------------------------------------------------------------------


def test_a_long_quote_found_once_is_trusted_without_its_context():
    assert LONG_QUOTE == 8
    text = "In other news, Ana Ruiz left."
    assert anchor(text, start=0, end=8, exact="Ana Ruiz", prefix="Mayor ", suffix=" said") == (15, 23)  # 8 chars


def test_a_short_quote_found_once_needs_half_its_context():
    text = "In other news, Ruiz2 left."
    # 7 characters: not long enough to be trusted alone; only "left" of the remembered context is still there.
    assert anchor(text, start=0, end=5, exact="s, Ruiz", prefix="Mayor Ana ", suffix=" said ") is None
    # half of the context (5 of 10 characters: "xxx" and ". ") is enough: ">=", not ">"
    assert anchor("qxxxANA. q", start=0, end=3, exact="ANA", prefix="yyxxx", suffix=". zzz") == (4, 7)
    assert anchor("qxxxANA. q", start=0, end=3, exact="ANA", prefix="yyyxx", suffix=". zzz") is None  # 4 of 10


def test_one_occurrence_keeping_all_its_context_is_found():
    text = "Storm Hits Coast\n\nOn Monday, Ruiz said the city would rebuild."
    assert anchor(text, start=0, end=4, exact="Ruiz", prefix="Monday, ", suffix=" said") == (29, 33)


def test_a_tie_between_two_occurrences_is_not_guessed():
    text = "Ruiz said yes. Ruiz said no."
    assert anchor(text, start=40, end=44, exact="Ruiz", prefix="", suffix=" said") is None


def test_of_two_occurrences_the_one_keeping_more_context_wins():
    text = "Ruiz said yes. Later, Ruiz said no."
    assert anchor(text, start=40, end=44, exact="Ruiz", prefix="Later, ", suffix=" said") == (22, 26)
    assert anchor(text, start=40, end=44, exact="Ruiz", prefix="", suffix=" said yes") == (0, 4)


def test_the_suffix_alone_can_break_a_tie():
    text = "Mayor Ruiz left. Mayor Ruiz stayed."
    assert anchor(text, start=90, end=94, exact="Ruiz", prefix="Mayor ", suffix=" stayed") == (23, 27)
    assert anchor(text, start=90, end=94, exact="Ruiz", prefix="Mayor ", suffix=" left") == (6, 10)


def test_the_best_of_several_must_still_keep_half_its_context():
    text = "Ruiz left. Ruiz said no."
    # The second keeps " said" (5 characters) of 23: better than the first, but not enough to be trusted.
    assert anchor(text, start=90, end=94, exact="Ruiz", prefix="Yesterday the mayor ", suffix=" said") is None


def test_overlapping_occurrences_are_all_candidates():
    # "haha" occurs at 1 and, overlapping it, at 3; the context fits the second.
    assert anchor("xhahahay", start=50, end=54, exact="haha", prefix="xha", suffix="y") == (3, 7)


def test_with_no_context_remembered_a_short_quote_found_once_is_trusted():
    # Nothing to compare (a tag imported from a format without context): one occurrence is all the evidence.
    assert anchor("In other news, Ruiz left.", start=50, end=54, exact="Ruiz") == (15, 19)
    assert anchor("Ruiz met Ruiz.", start=50, end=54, exact="Ruiz") is None  # ... but two are a tie


def test_every_occurrence_is_a_candidate_not_only_the_first_and_last():
    text = "Ruiz said yes. Then Ruiz said no. Ruiz left."
    assert anchor(text, start=90, end=94, exact="Ruiz", prefix="Then ", suffix=" said no") == (20, 24)


def test_occurrences_one_character_apart_are_both_candidates():
    assert anchor("Beee", start=50, end=52, exact="ee", prefix="Be", suffix="") == (2, 4)


def test_a_long_quote_found_twice_is_still_placed_by_its_context():
    text = "Ana Ruiz spoke first. Then Ana Ruiz spoke again."
    assert anchor(text, start=99, end=107, exact="Ana Ruiz", prefix="Then ", suffix=" spoke") == (27, 35)
    assert anchor(text, start=99, end=107, exact="Ana Ruiz", prefix="", suffix=" spoke") is None  # a tie


# --- a typo fixed inside the words --------------------------------------------------------------------------------


def test_a_quote_with_a_typo_fixed_is_found_near_its_old_place():
    old = "Mayor Ana Ruiz said teh city would rebuild."
    new = "Mayor Ana Ruiz said the city would rebuild."
    start = old.index("teh city would rebuild")
    found = anchor(new, start=start, end=start + 22, exact="teh city would rebuild", prefix="said ", suffix=".")
    assert found == (20, 42)
    assert new[slice(*found)] == "the city would rebuild"


def test_a_short_quote_is_never_matched_approximately():
    # 7 characters with one changed: too short to tell a typo from another word; 8 are enough.
    text = "Mayor Ana Ruiz said the city would rebuild."
    assert anchor(text, start=20, end=27, exact="thE cit", prefix="said ", suffix="y would") is None
    assert anchor(text, start=20, end=28, exact="thE city", prefix="said ", suffix=" would") == (20, 28)


@pytest.mark.parametrize(
    ("quote", "in_text", "found"),
    [
        ("Ana Ruiz", "Ana Rxiz", True),  # 8 characters: one change allowed
        ("Ana Ruiz", "Ana Rxxz", False),  # two is too many
        ("Ana María Ruiz P", "Ana Maria Ruiz Q", True),  # 16 characters: two allowed
        ("Ana María Ruiz P", "Ana Maria Ruix Q", False),  # three is too many
        ("the city would", "teh city would", False),  # a swap is two changes: 14 characters allow one
        ("the city would rebuild", "teh city would rebuild", True),  # 22 characters allow two
    ],
)
def test_approximate_matching_allows_one_change_in_eight(quote, in_text, found):
    assert FUZZY_RATIO == 8
    text = f"Before it all. {in_text}. After it all."
    result = anchor(text, start=15, end=15 + len(quote), exact=quote, prefix="Before it all. ", suffix=". After")
    assert (result is not None) is found
    if found:
        assert result[0] == 15


def test_approximate_matching_allows_an_insertion_or_a_deletion():
    text = "Before it all. Ana Mariia Ruiz spoke."
    assert anchor(text, start=15, end=29, exact="Ana Maria Ruiz", prefix="", suffix="") == (15, 30)
    text = "Before it all. Ana Maria Riz spoke."
    assert anchor(text, start=15, end=29, exact="Ana Maria Ruiz", prefix="", suffix="") == (15, 28)


def test_approximate_matching_looks_only_near_the_old_place():
    quote = "the harbour would be rebuilt"
    near = "x" * 100 + "teh harbour would be rebuilt" + "y" * 100
    assert anchor(near, start=100, end=100 + len(quote), exact=quote) == (100, 128)
    far = "x" * (FUZZY_WINDOW + 200) + "teh harbour would be rebuilt"
    assert FUZZY_WINDOW == 600
    assert anchor(far, start=0, end=len(quote), exact=quote) is None
    # ... and, within the window, up to its edge
    edge = "x" * FUZZY_WINDOW + "teh harbour would be rebuilt"
    assert anchor(edge, start=0, end=len(quote), exact=quote) == (FUZZY_WINDOW, FUZZY_WINDOW + len(quote))
    before = "teh harbour would be rebuilt" + "x" * (FUZZY_WINDOW + 200)
    assert anchor(before, start=FUZZY_WINDOW + 100, end=FUZZY_WINDOW + 128, exact=quote) is None


def test_approximate_matching_looks_around_the_middle_when_the_old_place_is_unknown():
    quote = "the harbour would be rebuilt"
    middle = "x" * 2000 + "teh harbour would be rebuilt" + "y" * 2000
    assert anchor(middle, start=None, end=None, exact=quote) == (2000, 2028)
    assert anchor(middle, start=5000, end=5028, exact=quote) == (2000, 2028)  # an old place past the end
    side = "teh harbour would be rebuilt" + "y" * 2000
    assert anchor(side, start=None, end=None, exact=quote) is None


def test_approximate_matching_trusts_an_old_place_at_the_very_end_of_the_text():
    quote = "the harbour would be rebuilt"
    text = "x" * 2000 + "teh harbour would be rebuilt"
    assert anchor(text, start=len(text), end=len(text) + 28, exact=quote) == (2000, 2028)


def test_approximate_matching_finds_a_quote_at_the_very_start_of_the_text():
    quote = "the harbour would be rebuilt"
    text = "teh harbour would be rebuilt" + "y" * 2000
    assert anchor(text, start=0, end=28, exact=quote) == (0, 28)


def test_a_quote_under_32_characters_is_not_found_by_its_ends_alone():
    # Its middle (8 characters) changed entirely: its ends are there, but too much of it is not.
    quote = "abcdefgh" + "12345678" + "ABCDEFGH"
    assert anchor("Before. abcdefghxxxxxxxxABCDEFGH after", start=8, end=32, exact=quote) is None


def test_a_quote_of_32_characters_is_found_by_its_ends():
    assert 4 * LONG_QUOTE == 32
    quote = "abcdefgh" + "1234567890123456" + "ABCDEFGH"
    assert anchor("Before. abcdefghxxxxxxxxxxxxxxxxABCDEFGH after", start=8, end=40, exact=quote) == (8, 40)


def test_two_approximate_places_that_fit_as_well_are_a_tie():
    text = "One: teh harbour would be rebuilt. Two: teh harbour would be rebuilt."
    quote = "the harbour would be rebuilt"
    assert anchor(text, start=5, end=33, exact=quote) is None
    # ... unless the context says which
    assert anchor(text, start=5, end=33, exact=quote, prefix="Two: ") == (40, 68)
    assert anchor(text, start=5, end=33, exact=quote, suffix=". Two") == (5, 33)


LONG = (
    "The mayor said on Monday that the city would rebuild the harbour by spring, whatever the cost, and that the"
    " council would vote on it."
)


def test_a_long_quote_is_found_by_its_ends_when_its_middle_changed():
    assert len(LONG) > FUZZY_LONGEST  # too long for approximate matching: only its ends can find it
    fixed = LONG.replace("would rebuild", "will rebuild")  # 3 changes, one of them a letter less: within 129 // 8
    text = f"Storm Hits Coast\n\n{fixed} Critics disagreed."
    assert anchor(text, start=18, end=18 + len(LONG), exact=LONG) == (18, 18 + len(fixed))


def test_a_long_quote_whose_ends_moved_apart_is_not_found_by_them():
    longer = LONG.replace("would rebuild", "would, in the end and after much debate, rebuild")
    text = f"Storm Hits Coast\n\n{longer} Critics disagreed."
    assert anchor(text, start=18, end=18 + len(LONG), exact=LONG) is None


def test_a_quote_of_the_longest_length_is_still_matched_approximately():
    quote = "Xy " + "a" * (FUZZY_LONGEST - 3)  # its head changed: only approximate matching can find it
    text = "Before. xY " + "a" * (FUZZY_LONGEST - 3) + " after"
    assert anchor(text, start=8, end=8 + FUZZY_LONGEST, exact=quote) == (8, 8 + FUZZY_LONGEST)


def test_a_quote_over_the_longest_is_matched_by_its_ends_only():
    assert FUZZY_LONGEST == 120
    words = (
        "the council would meet again on Tuesday to decide on the new harbour and the road, the mayor said to the"
        " reporters here"
    )
    quote = f"Xy {words} today."  # a change in its first 8 characters: the ends cannot find it
    assert len(quote) > FUZZY_LONGEST
    text = f"Before. xY {words} today. After."
    assert anchor(text, start=8, end=8 + len(quote), exact=quote) is None
    short = quote[:100]  # the same change in a quote short enough for approximate matching
    assert anchor(text, start=8, end=108, exact=short) == (8, 108)


def test_by_ends_allows_the_length_to_change_by_the_budget():
    quote = "a" * 8 + "-" * 20 + "b" * 8  # 36 characters: a budget of 4
    assert _by_ends("..." + "a" * 8 + "-" * 24 + "b" * 8, quote, 4) == [(3, 43)]
    assert _by_ends("..." + "a" * 8 + "-" * 25 + "b" * 8, quote, 4) == []
    assert _by_ends("..." + "a" * 8 + "-" * 16 + "b" * 8, quote, 4) == [(3, 35)]
    assert _by_ends("..." + "a" * 8 + "-" * 15 + "b" * 8, quote, 4) == []


def test_by_ends_finds_every_place():
    quote = "aaaaaaaa" + "-" * 20 + "bbbbbbbb"
    window = quote + " and " + quote + " and " + quote
    assert _by_ends(window, quote, 4) == [(0, 36), (41, 77), (82, 118)]
    # heads one character apart are two places (the context decides between them)
    assert _by_ends("a" * 9 + "-" * 20 + "b" * 8, quote, 4) == [(0, 37), (1, 37)]


def test_approximate_returns_one_place_per_match_with_its_fewest_edits():
    assert _approximate("xx abcdefgh yy", "abcdefgh", 1) == [(3, 11)]
    assert _approximate("xx abcdXfgh yy", "abcdefgh", 1) == [(3, 11)]
    assert _approximate("xx abcdXfgh yy", "abcdefgh", 0) == []
    assert _approximate("abcdefgh and abcdefgh", "abcdefgh", 1) == [(0, 8), (13, 21)]
    assert _approximate("", "abcdefgh", 1) == []


def test_approximate_keeps_matches_that_touch_apart():
    assert _approximate("abcdefghabcdefgh", "abcdefgh", 1) == [(0, 8), (8, 16)]


def test_approximate_keeps_looking_after_the_neighbouring_ends_of_a_match():
    # "abcdefg" ends a match at 7, and "abcdefg " at 8 (one change each): one place; then the second match.
    assert _approximate("abcdefg xx abcdefg", "abcdefgh", 1) == [(0, 7), (11, 18)]


def test_approximate_counts_what_is_missing_at_the_start_of_the_window():
    assert _approximate("bcdefgh and abcdXfgh", "abcdefgh", 1) == [(0, 7), (12, 20)]


def test_approximate_prefers_an_exact_match_to_a_close_one():
    assert _approximate("abcdXfgh and abcdefgh", "abcdefgh", 2) == [(13, 21)]


def test_approximate_counts_insertions_deletions_and_substitutions_as_one_edit_each():
    assert _approximate("..abcdefghi..", "abcdefgh", 1) in ([(2, 10)], [(2, 11)])
    assert _approximate("..abcefgh..", "abcdefgh", 1) == [(2, 9)]
    assert _approximate("..abcdeXgh..", "abcdefgh", 1) == [(2, 10)]
    assert _approximate("..abXdeXgh..", "abcdefgh", 1) == []
    assert _approximate("..abXdeXgh..", "abcdefgh", 2) == [(2, 10)]


# --- snapping to whole words ------------------------------------------------------------------------------------


@pytest.fixture
def storm():
    return annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so.")


@pytest.mark.parametrize("alignment", ["strict", "contract", "expand"])
def test_a_span_on_word_boundaries_is_kept_in_every_mode(storm, alignment):
    assert align_to_tokens(storm, 24, 32, alignment) == (24, 32)


@pytest.mark.parametrize(
    ("start", "end", "alignment", "expected"),
    [
        (25, 32, "expand", (24, 32)),  # "na Ruiz" grows to "Ana Ruiz"
        (25, 32, "contract", (28, 32)),  # ... or shrinks to "Ruiz"
        (24, 30, "expand", (24, 32)),  # "Ana Ru"
        (24, 30, "contract", (24, 27)),
        (25, 30, "expand", (24, 32)),  # "na Ru": both ends cut
        (23, 28, "expand", (24, 27)),  # a space either side is not a word
        (18, 41, "contract", (18, 41)),  # the sentence with its full stop
    ],
)
def test_expand_and_contract(storm, start, end, alignment, expected):
    assert align_to_tokens(storm, start, end, alignment) == expected


def test_strict_refuses_a_span_that_cuts_a_word(storm):
    message = (
        "The span 'na Ruiz' (start=25, end=32) cuts through a word. Select whole words, or pass "
        "alignment='expand' (grow to whole words) or alignment='contract' (shrink to whole words)."
    )
    with pytest.raises(AnnotationError, match=re.escape(message)):
        align_to_tokens(storm, 25, 32, "strict")
    with pytest.raises(AnnotationError, match="cuts through a word"):
        align_to_tokens(storm, 24, 31, "strict")  # the end cuts "Ruiz"


def test_contract_refuses_a_span_with_no_whole_word_inside(storm):
    message = "The span start=25, end=27 holds no whole word to contract to. Select at least one word."
    with pytest.raises(AnnotationError, match=re.escape(message)):
        align_to_tokens(storm, 25, 27, "contract")


def test_an_unknown_alignment_is_refused_with_the_valid_ones(storm):
    message = "Unknown alignment 'loose'. Use one of: strict, contract, expand."
    with pytest.raises(AnnotationError, match=re.escape(message)):
        align_to_tokens(storm, 24, 32, "loose")


# --- placing a frame on a text ------------------------------------------------------------------------------------


def _frame(old, rows):
    records = []
    for n, (words, occurrence, status) in enumerate(rows):
        at = -1
        for _ in range(occurrence):
            at = old.index(words, at + 1)
        prefix, suffix = context(old, at, at + len(words))
        records.append(
            {"annotation_id": f"a{n}", "annotator": "ana", "layer": "actor", "label": "official", "start": at,
             "end": at + len(words), "text": words, "prefix": prefix, "suffix": suffix, "status": status}
        )  # fmt: skip
    return pd.concat([empty_annotations(), pd.DataFrame(records)], ignore_index=True)


def test_onto_keeps_moves_and_orphans():
    old = "Storm Hits Coast\n\nMayor Ana Ruiz said teh city would rebuild. Ruiz left."
    new = annotkit.Article.from_text("Storm Hits Coast\n\nOn Monday, Mayor Ana Ruiz said the city would rebuild.")
    frame = _frame(old, [("Storm", 1, "ok"), ("Mayor Ana Ruiz", 1, "ok"), ("Ruiz", 2, "ok")])
    placed, moved, lost = onto(frame, new)
    assert (moved, lost) == (1, 1)
    assert placed.status.tolist() == ["ok", "ok", "orphaned"]
    assert placed.start.tolist()[:2] == [0, 29]
    assert placed.start.isna().tolist() == [False, False, True]
    assert placed.end.isna().tolist() == [False, False, True]
    assert str(placed.start.dtype) == str(placed.end.dtype) == "Int64"
    assert str(placed.status.dtype) == "string"
    for row in placed[placed.status == "ok"].itertuples():
        assert new.text[row.start : row.end] == row.text
    assert frame.status.tolist() == ["ok", "ok", "ok"]  # the frame given is not changed


def test_onto_leaves_alone_what_is_already_in_place_and_what_has_no_place():
    old = "Storm Hits Coast\n\nMayor Ana Ruiz said so."
    article = annotkit.Article.from_text(old)
    frame = _frame(old, [("Mayor Ana Ruiz", 1, "ok"), ("Ruiz", 1, "orphaned")])
    frame.loc[1, ["start", "end"]] = pd.NA  # an orphan has no offsets
    frame.loc[2] = frame.loc[0]
    frame.loc[2, "start"] = frame.loc[2, "end"] = pd.NA  # a perspective has none either
    frame.loc[3] = frame.loc[0]
    frame.loc[3, ["start", "end"]] = [0, 14]  # ... and after them, one that has moved
    placed, moved, lost = onto(frame, article)
    assert (moved, lost) == (1, 0)
    assert placed.status.tolist() == ["ok", "orphaned", "ok", "ok"]
    assert placed.start.tolist()[0] == 18
    assert placed.start.tolist()[3] == 18


def test_onto_an_orphan_with_stale_offsets_stays_an_orphan():
    old = "Storm Hits Coast\n\nMayor Ana Ruiz said so."
    article = annotkit.Article.from_text(old)
    frame = _frame(old, [("Ruiz", 1, "orphaned")])
    placed, moved, lost = onto(frame, article)
    assert (moved, lost) == (0, 0)
    assert placed.status.tolist() == ["orphaned"]


def test_onto_counts_every_tag_it_could_not_place():
    old = "Storm Hits Coast\n\nRuiz and Li met. Ruiz left. Li stayed."
    new = annotkit.Article.from_text("Storm Hits Coast\n\nThe council met.")
    placed, moved, lost = onto(_frame(old, [("Ruiz", 2, "ok"), ("Li", 2, "ok")]), new)
    assert (moved, lost) == (0, 2)
    assert str(placed.start.dtype) == str(placed.end.dtype) == "Int64"  # even when no row has a place


def test_onto_an_orphan_is_not_placed_again():
    """What the store could not place stays an orphan here, even if its words are somewhere in this text."""
    old = "Storm Hits Coast\n\nOn Monday, Mayor Ana Ruiz said so."
    article = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so.")
    frame = _frame(old, [("Mayor Ana Ruiz", 1, "orphaned"), ("Mayor Ana Ruiz", 1, "ok")])
    placed, moved, lost = onto(frame, article)
    assert (moved, lost) == (1, 0)
    assert placed.status.tolist() == ["orphaned", "ok"]
    assert placed.start.tolist()[1] == 18


def test_onto_a_row_without_a_status_is_placed():
    old = "Storm Hits Coast\n\nOn Monday, Mayor Ana Ruiz said so."
    article = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so.")
    frame = _frame(old, [("Mayor Ana Ruiz", 1, "ok")])
    frame["status"] = pd.array([pd.NA], dtype="string")
    placed, moved, lost = onto(frame, article)
    assert (moved, lost, placed.start.tolist()) == (1, 0, [18])
    assert str(placed.status.dtype) == "string"


def test_onto_a_span_ending_at_the_end_of_the_text_is_in_place():
    old = "Storm Hits Coast\n\nMayor Ana Ruiz"
    _, moved, lost = onto(_frame(old, [("Ana Ruiz", 1, "ok")]), annotkit.Article.from_text(old))
    assert (moved, lost) == (0, 0)


def test_onto_an_empty_span_has_no_place():
    old = "Storm Hits Coast\n\nMayor Ana Ruiz said so."
    frame = _frame(old, [("Ana Ruiz", 1, "ok")])
    frame.loc[0, ["end", "text"]] = [frame.loc[0, "start"], ""]
    placed, moved, lost = onto(frame, annotkit.Article.from_text(old))
    assert (moved, lost, placed.status.tolist()) == (0, 1, ["orphaned"])


def test_onto_uses_the_remembered_context_on_both_sides():
    old = "Storm Hits Coast\n\nRuiz spoke. Then Ruiz left. Later Ruiz spoke."
    new = annotkit.Article.from_text("Storm Hits Coast\n\nAt first Ruiz spoke. Then Ruiz left. Later Ruiz spoke.")
    frame = _frame(old, [("Ruiz", 2, "ok"), ("Ruiz", 3, "ok")])
    placed, _, _ = onto(frame, new)
    assert placed.start.tolist() == [new.text.index("Ruiz left"), new.text.index("Ruiz spoke.", 40)]
    # "Ruiz spoke." twice: only the prefix ("Later ") tells the third from the first.


def test_onto_a_tag_without_context_is_placed_by_its_words_alone():
    old = "Storm Hits Coast\n\nOn Monday, Ruiz said so."
    frame = _frame(old, [("Ruiz", 1, "ok")])
    frame["prefix"] = pd.array([pd.NA], dtype="string")
    frame["suffix"] = pd.array([pd.NA], dtype="string")
    placed, moved, lost = onto(frame, annotkit.Article.from_text("Storm Hits Coast\n\nRuiz said so."))
    assert (moved, lost, placed.start.tolist()) == (1, 0, [18])


def test_onto_finds_a_corrected_quote_near_its_old_place():
    filler = "Nothing happened here at all today. " * 80  # far from the middle: only its old place finds it
    old = f"Storm Hits Coast\n\nThe mayor said teh harbour would be rebuilt. {filler}"
    new = annotkit.Article.from_text(old.replace("teh harbour", "the harbour"))
    placed, moved, lost = onto(_frame(old, [("teh harbour would be rebuilt", 1, "ok")]), new)
    assert (moved, lost) == (1, 0)
    assert placed.text.tolist() == ["teh harbour would be rebuilt"]  # the frame keeps its words; offsets move
    assert new.text[placed.start[0] : placed.end[0]] == "the harbour would be rebuilt"


def test_onto_an_empty_frame():
    placed, moved, lost = onto(empty_annotations(), annotkit.Article.from_text("Title\n\nText."))
    assert placed.empty and (moved, lost) == (0, 0)


def test_onto_places_the_same_words_the_same_way_each_time():
    old = "Storm Hits Coast\n\nMayor Ana Ruiz said so. Ana Ruiz left."
    new = annotkit.Article.from_text("Storm Hits Coast\n\nToday Mayor Ana Ruiz said so. Ana Ruiz left.")
    frame = _frame(old, [("Ana Ruiz", 2, "ok"), ("Ana Ruiz", 2, "ok"), ("Ana Ruiz", 1, "ok")])
    placed, moved, lost = onto(frame, new)
    assert (moved, lost) == (3, 0)
    assert placed.start.tolist() == [48, 48, 30]


# --- JavaScript's offsets -----------------------------------------------------------------------------------------


def test_utf16_offsets_count_an_emoji_twice():
    offsets = Utf16Offsets("a🎉b é")
    assert [offsets.to_utf16(p) for p in range(6)] == [0, 1, 3, 4, 5, 6]
    assert [offsets.to_points(u) for u in range(7)] == [0, 1, None, 2, 3, 4, 5]
    assert offsets.to_points(7) is None


def test_utf16_offsets_of_a_text_without_astral_characters_are_code_points():
    offsets = Utf16Offsets("José Peña")
    assert [offsets.to_utf16(p) for p in range(10)] == list(range(10))
    assert offsets.to_points(9) == 9


def test_utf16_the_first_astral_character_is_the_boundary():
    offsets = Utf16Offsets("\uffff\U00010000")  # the last character of the BMP, then the first outside it
    assert [offsets.to_utf16(p) for p in range(3)] == [0, 1, 3]
