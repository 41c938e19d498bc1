import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annotkit
from annotkit import Article, ArticleError, ArticleWarning, Corpus, data_path, load_article, load_articles
from annotkit.article import COLUMNS as MODULE_COLUMNS

# The bundled article's id, a hash of its cleaned text. If a deliberate change to the cleaning rules changes
# the cleaned text, update this value to `annotkit.load_bundled_article().article_id` and say so in the
# CHANGELOG: every saved annotation of the bundled article refers to this id.
BUNDLED_ARTICLE_ID = "voa-2021-07-26-us-combat-mission-iraq"
BUNDLED_TEXT_SHA256 = "aa91f2c72e71a0f5dca81f1dbaafcbaa23621c124fcf1760c7ee62c187f6599b"
BUNDLED_PATH = data_path("articles", "voa-2021-07-26-us-combat-mission-iraq.txt")

COLUMNS = {
    "paragraphs": ["para_id", "kind", "start", "end", "text"],
    "sentences": ["sent_id", "para_id", "start", "end", "text"],
    "tokens": ["token_id", "sent_id", "para_id", "start", "end", "text", "is_word", "quote_id"],
    "quotes": [
        "quote_id",
        "para_id",
        "start",
        "end",
        "text",
        "speaker",
        "cue",
        "attribution",
        "continues",
        "kind",
        "role",
    ],
}
ID_COLUMN = {"paragraphs": "para_id", "sentences": "sent_id", "tokens": "token_id", "quotes": "quote_id"}

SMALL_TEXTS = {
    "plain": 'Storm Hits Town\n\nRain fell. "It was loud," said Ana Ruiz.\n\nRoads closed on Monday.',
    "curly": "Zoë’s Café Reopens\n\n“We are back,” José Núñez told reporters. “Come in.”\n\nIt rained 😀 all day.",
    "dateline": "WASHINGTON —\n\nThe U.S. Senate met at 9 a.m. Monday. Dr. Lee said: “It’s done.”",
    "quote across paragraphs": 'Floods Rise\n\n"The water came fast.\n\n"Then it stayed," said Amina Bello.',
}


def check_frames(article: Article) -> None:
    """Assert every invariant the frames document; used on the bundled article, small texts and random ones."""
    text = article.text
    frames = {name: getattr(article, name) for name in COLUMNS}
    for name, frame in frames.items():
        assert list(frame.columns) == COLUMNS[name], name
        assert frame[ID_COLUMN[name]].tolist() == list(range(len(frame))), name
        for row in frame.itertuples():
            assert 0 <= row.start <= row.end <= len(text), (name, row)
            assert text[row.start : row.end] == row.text, (name, row)
    paragraphs, sentences, tokens, quotes = (frames[n] for n in COLUMNS)
    spans = {p.para_id: (p.start, p.end) for p in paragraphs.itertuples()}
    for sentence in sentences.itertuples():
        p_start, p_end = spans[sentence.para_id]
        assert p_start <= sentence.start < sentence.end <= p_end, sentence
    sentence_spans = {s.sent_id: (s.start, s.end, s.para_id) for s in sentences.itertuples()}
    quote_spans = {q.quote_id: (q.start, q.end) for q in quotes.itertuples()}
    for token in tokens.itertuples():
        s_start, s_end, para_id = sentence_spans[token.sent_id]
        assert s_start <= token.start < token.end <= s_end, token
        assert token.para_id == para_id, token
        if not pd.isna(token.quote_id):
            q_start, q_end = quote_spans[token.quote_id]
            assert q_start <= token.start < token.end <= q_end, token
    for quote in quotes.itertuples():
        p_start, p_end = spans[quote.para_id]
        assert p_start <= quote.start <= quote.end <= p_end, quote
        if not pd.isna(quote.continues):
            assert quote.continues < quote.quote_id, quote


# --- the bundled article ------------------------------------------------------------------------------------


def kinds(article: Article) -> list[str]:
    return article.paragraphs.kind.tolist()


def test_bundled_article_paragraph_kinds(bundled):
    assert kinds(bundled) == ["headline", "caption", *["body"] * 4, "caption", *["body"] * 15, "credit"]


def test_bundled_article_keeps_each_caption_once(bundled):
    captions = bundled.paragraphs.query("kind == 'caption'").text.tolist()
    assert captions == [
        "FILE - U.S. Marines prepare to build a military site in western Anbar, Iraq, Nov. 7, 2017.",
        "President Joe Biden, right, speaks as Iraqi Prime Minister Mustafa al-Kadhimi listens during their "
        "meeting in the Oval Office of the White House in Washington, July 26, 2021.",
    ]
    assert all(bundled.text.count(caption) == 1 for caption in captions)


def test_bundled_article_first_body_and_credit(bundled):
    body = bundled.paragraphs.query("kind == 'body'").text.tolist()
    assert body[0].startswith("Within months")
    last = bundled.paragraphs.iloc[-1]
    assert (last.kind, last.text) == ("credit", "Carla Babb in Singapore and Jeff Seldin contributed to this report.")


@pytest.mark.parametrize("furniture", ["Accessibility links", "Breaking News"])
def test_bundled_article_has_no_site_furniture(bundled, furniture):
    assert furniture not in bundled.text


def test_bundled_article_title_and_metadata(bundled):
    assert bundled.title == "Biden Announces End to US Combat Mission in Iraq"
    assert bundled.metadata["outlet"] == "Voice of America"
    assert bundled.metadata["published"] == "2021-07-26"
    assert bundled.source == "voa-2021-07-26-us-combat-mission-iraq.txt"


def test_bundled_article_id_is_stable(bundled):
    assert bundled.article_id == BUNDLED_ARTICLE_ID  # its file's name: it stays when the text is corrected
    assert bundled.text_sha256 == BUNDLED_TEXT_SHA256  # the version of its cleaned text


def test_the_same_text_is_the_same_version_from_text_as_from_the_file(bundled):
    raw = BUNDLED_PATH.read_text(encoding="utf-8")
    assert Article.from_text(raw).text_sha256 == bundled.text_sha256
    assert Article.from_text(raw, source=BUNDLED_PATH.name).article_id == bundled.article_id


def test_text_without_a_name_is_known_by_its_words(bundled):
    raw = BUNDLED_PATH.read_text(encoding="utf-8")
    changed = Article.from_text(raw.replace("Within months", "Within weeks"))
    assert changed.article_id != Article.from_text(raw).article_id
    assert changed.text_sha256 != bundled.text_sha256
    assert Article.from_text(raw).article_id == "a" + bundled.text_sha256[:15]


def test_identity_comes_from_the_metadata_id_then_the_file_name(tmp_path):
    (tmp_path / "story.txt").write_text("Storm Hits Coast\n\nRain fell all night.", encoding="utf-8")
    assert load_article(tmp_path / "story.txt").article_id == "story"
    (tmp_path / "story.json").write_text('{"id": "storm-2024"}', encoding="utf-8")
    assert load_article(tmp_path / "story.txt").article_id == "storm-2024"
    assert Article.from_text("Rain fell.", article_id="mine", source="x.txt").article_id == "mine"
    (tmp_path / "story.json").write_text('{"id": 7}', encoding="utf-8")
    with pytest.raises(ArticleError, match=re.escape("the metadata's id must be a short piece of text")):
        load_article(tmp_path / "story.txt")


def test_two_different_articles_with_one_name_are_not_both_loaded(tmp_path):
    for folder, text in (("a", "Storm Hits Coast\n\nRain fell."), ("b", "Vote Delayed\n\nThe council waited.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(text, encoding="utf-8")
    with pytest.warns(ArticleWarning, match="because another article has the same name"):
        corpus = load_articles([tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"])
    assert len(corpus) == 1


def test_article_id_ignores_site_furniture():
    assert (
        Article.from_text("Accessibility links\n\nRain fell.").article_id == Article.from_text("Rain fell.").article_id
    )


def test_own_article_id_is_kept():
    assert Article.from_text("Rain fell.", article_id="storm-1").article_id == "storm-1"


def test_load_bundled_article_with_an_unknown_name():
    msg = (
        "No bundled article called 'nope'. "
        "The bundled articles are: example-tarn-pass, voa-2021-07-26-us-combat-mission-iraq."
    )
    with pytest.raises(ArticleError, match=re.escape(msg)):
        annotkit.load_bundled_article("nope")


# --- frame invariants ---------------------------------------------------------------------------------------


def test_bundled_article_frames(bundled):
    check_frames(bundled)


@pytest.mark.parametrize("text", SMALL_TEXTS.values(), ids=SMALL_TEXTS.keys())
def test_small_article_frames(text):
    check_frames(Article.from_text(text))


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("# Storm Hits Town\n\nRain fell. **“Loud,”** said [Ana Ruiz](https://x.org).", "md"),
        ("<h1>Storm</h1><p>Rain fell. &ldquo;Loud,&rdquo; said Ana Ruiz.</p>", "html"),
    ],
)
def test_markdown_and_html_article_frames(text, fmt):
    check_frames(Article.from_text(text, format=fmt))


def test_tokens_inside_a_quotation_carry_its_id():
    article = Article.from_text('Storm Hits Town\n\n"It was loud," said Ana Ruiz.')
    tokens = article.tokens
    assert tokens[tokens.quote_id == 0].text.tolist() == ["It", "was", "loud"]
    assert tokens.quote_id.isna().sum() == len(tokens) - 3


def test_paragraphs_are_separated_by_a_blank_line():
    assert Article.from_text("Storm Hits Town\n\nRain fell.\n\n\n\nRoads closed.").text == (
        "Storm Hits Town\n\nRain fell.\n\nRoads closed."
    )


# --- Article.from_text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "type_name"), [(b"Rain fell.", "bytes"), (None, "NoneType")])
def test_from_text_needs_a_str(value, type_name):
    msg = f"Article.from_text needs a str, not {type_name}. To read a file, use load_article(path)."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        Article.from_text(value)


def test_from_text_unknown_format():
    with pytest.raises(ArticleError, match=re.escape("Unknown format 'pdf'. Use one of: txt, md, html.")):
        Article.from_text("Rain fell.", format="pdf")


@pytest.mark.parametrize("text", ["", "  \n\n\t "])
def test_from_text_empty(text):
    with pytest.raises(ArticleError, match=re.escape("The text is empty. Paste the article's text and try again.")):
        Article.from_text(text)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("# Storm Hits Town\n\nRain fell.", "md"), ("<h1>Storm Hits Town</h1><p>Rain fell.</p>", "html")],
)
def test_from_text_markdown_and_html(text, fmt):
    article = Article.from_text(text, format=fmt)
    assert article.title == "Storm Hits Town"
    assert article.text == "Storm Hits Town\n\nRain fell."


def test_from_text_title_argument_wins():
    assert Article.from_text("Storm Hits Town\n\nRain fell.", title="My title").title == "My title"


def test_str_and_len_are_the_text():
    article = Article.from_text("Rain fell.")
    assert (str(article), len(article)) == ("Rain fell.", 10)


# --- metadata files -----------------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_metadata_file_beside_the_article(tmp_path):
    story = write(tmp_path / "story.txt", "Storm Hits Town\n\nRain fell.")
    write(tmp_path / "story.json", '{"title": "The Storm", "outlet": "The Planet"}')
    article = load_article(story)
    assert article.title == "The Storm"
    assert article.metadata == {"title": "The Storm", "outlet": "The Planet"}


def test_no_metadata_file(tmp_path):
    article = load_article(write(tmp_path / "story.txt", "Storm Hits Town\n\nRain fell."))
    assert (article.title, article.metadata) == ("Storm Hits Town", {})


def test_metadata_file_with_invalid_json(tmp_path):
    story = write(tmp_path / "story.txt", "Rain fell.")
    write(tmp_path / "story.json", "{title: 'The Storm'}")
    msg = (
        "The metadata file story.json is not valid JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)). Fix it, or move it away."
    )
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(story)


def test_metadata_file_with_a_list(tmp_path):
    story = write(tmp_path / "story.txt", "Rain fell.")
    write(tmp_path / "story.json", '["The Storm"]')
    msg = "The metadata file story.json should hold a JSON object ({...}), not list."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(story)


# --- load_articles and Corpus -------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    write(tmp_path / "a.txt", 'Storm Hits Town\n\nRain fell. "It was loud," said Ana Ruiz.')
    write(tmp_path / "a.json", '{"title": "The Storm"}')
    write(tmp_path / "b.md", "# Floods Rise\n\nThe river rose. Roads closed.")
    write(tmp_path / "c.html", "<h1>Bridge Reopens</h1><p>Cars crossed on Monday.</p>")
    write(tmp_path / "notes.csv", "not,an,article")
    return tmp_path


def test_load_articles_from_a_folder(folder):
    corpus = load_articles(folder)
    assert isinstance(corpus, Corpus)
    assert [a.source for a in corpus] == ["a.txt", "b.md", "c.html"]
    assert [a.title for a in corpus] == ["The Storm", "Floods Rise", "Bridge Reopens"]


def test_load_articles_from_a_list_of_paths(folder):
    corpus = load_articles([folder / "c.html", str(folder / "a.txt")])
    assert [a.source for a in corpus] == ["c.html", "a.txt"]


@pytest.mark.parametrize("frame", list(COLUMNS))
def test_corpus_frames_stack_the_articles(folder, frame):
    corpus = load_articles(folder)
    stacked = getattr(corpus, frame)
    assert list(stacked.columns) == ["article_id", *COLUMNS[frame]]
    assert len(stacked) == sum(len(getattr(a, frame)) for a in corpus)
    assert stacked.article_id.unique().tolist() == [a.article_id for a in corpus if len(getattr(a, frame))]


def test_corpus_info(folder):
    info = load_articles(folder).info
    assert list(info.columns) == ["article_id", "title", "source", "n_chars"]
    assert info.source.tolist() == ["a.txt", "b.md", "c.html"]


def test_corpus_lookup_by_file_name_id_and_position(folder):
    corpus = load_articles(folder)
    article = corpus.articles[1]
    assert corpus["b.md"] is article
    assert corpus[article.article_id] is article
    assert corpus[1] is article
    assert len(corpus) == 3


def test_corpus_lookup_of_an_unknown_key(folder):
    msg = "No article 'z.txt' in this corpus. Use an article_id or a file name from corpus.info."
    with pytest.raises(KeyError, match=re.escape(msg)):
        load_articles(folder)["z.txt"]


def test_errors_skip_leaves_a_bad_file_out_with_one_warning(folder):
    write(folder / "bad.txt", "")
    write(folder / "menu.txt", "Accessibility links\n\nBreaking News")
    with pytest.warns(ArticleWarning) as record:
        corpus = load_articles(folder, errors="skip")
    assert [a.source for a in corpus] == ["a.txt", "b.md", "c.html"]
    assert len(record) == 1
    message = str(record[0].message)
    assert message.startswith("2 file(s) could not be loaded and were left out: bad.txt (bad.txt is empty.")
    assert "; menu.txt (menu.txt has no article text left after cleaning" in message


def test_errors_raise_stops_at_a_bad_file(folder):
    write(folder / "bad.txt", "")
    msg = "bad.txt is empty. Paste the article's text into it, save, and load it again."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_articles(folder, errors="raise")


def test_errors_must_be_raise_or_skip(folder):
    msg = "errors='bogus' is not an option. Use errors='raise' or errors='skip'."
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_articles(folder, errors="bogus")


def test_identical_texts_are_loaded_once(folder):
    write(folder / "d.txt", 'Storm Hits Town\n\nRain fell. "It was loud," said Ana Ruiz.')
    msg = "1 file(s) have the same text as another file and were loaded once: d.txt"
    with pytest.warns(ArticleWarning, match=re.escape(msg)):
        corpus = load_articles(folder)
    assert [a.source for a in corpus] == ["a.txt", "b.md", "c.html"]


def test_empty_folder(tmp_path):
    msg = f"The folder '{tmp_path}' has no article files. Put .txt, .md or .html files in it."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_articles(tmp_path)


def test_missing_folder(tmp_path):
    missing = tmp_path / "nope"
    msg = f"No file or folder at '{missing}'. Check the path (it is relative to {Path.cwd()})."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_articles(missing)


def test_progress_bar(folder, capsys):
    corpus = load_articles(folder, progress=True)
    assert len(corpus) == 3
    err = capsys.readouterr().err
    assert "Loading articles" in err
    assert "3/3" in err


def test_no_progress_bar_for_a_few_files(folder, capsys):
    load_articles(folder)
    assert capsys.readouterr().err == ""


# --- property test ------------------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "rain", "Ana", "Ruiz", "said", "told", "the", "U.S.", "Dr.", "Sen.", "a.m.", "Nov.", "José", "Zoë",
        "Núñez", "café", "😀", "👍🏽", "2,500", "3.5", "al-Kadhimi", "O'Brien", "don't", "WASHINGTON", "—", "-",
    ]
)  # fmt: skip
PUNCTUATION = st.sampled_from(
    [".", ",", "!", "?", ":", ";", "...", '"', "'", "“", "”", "‘", "’", "(", ")", " ", " ", " ", "\n", "\r\n",
     "\n\n", "\r\n\r\n", "\u00a0", "\t"]
)  # fmt: skip
PARAGRAPH_BREAKS = st.sampled_from(["\n\n", "\r\n\r\n", "\n", "\n\n\n"])
# Loose soup of words and marks (finds the error paths), and paragraphs of sentences (finds the articles).
SOUP = st.lists(st.one_of(WORDS, PUNCTUATION), max_size=80).map("".join)
SENTENCE = st.tuples(
    st.lists(st.tuples(WORDS, PUNCTUATION).map("".join), min_size=1, max_size=12).map(" ".join),
    st.sampled_from([".", "?", "!", ".”", '."', "", ","]),
).map("".join)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
ARTICLES = st.tuples(st.lists(PARAGRAPH, min_size=1, max_size=6), PARAGRAPH_BREAKS).map(lambda p: p[1].join(p[0]))
TEXTS = st.one_of(SOUP, ARTICLES)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_any_text_gives_consistent_frames_or_an_article_error(text):
    try:
        article = Article.from_text(text)
    except ArticleError:
        return
    assert "\r" not in article.text
    check_frames(article)


def test_an_empty_corpus_still_has_the_documented_columns(tmp_path):
    (tmp_path / "empty.txt").write_text("   ", encoding="utf-8")
    with pytest.warns(annotkit.ArticleWarning):
        corpus = annotkit.load_articles(tmp_path, errors="skip")
    assert len(corpus) == 0
    assert list(corpus.quotes.columns) == ["article_id", *MODULE_COLUMNS["quotes"]]
    assert corpus.tokens.empty


@pytest.mark.parametrize("frame", ["paragraphs", "sentences", "tokens", "quotes"])
def test_frames_have_the_columns_the_module_documents(bundled, frame):
    assert tuple(getattr(bundled, frame).columns) == MODULE_COLUMNS[frame] == tuple(COLUMNS[frame])
