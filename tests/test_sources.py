import re
from pathlib import Path

import pytest

import annotkit
from annotkit import Article, ArticleError, ArticleWarning, load_article
from annotkit.sources import Block, decode_article_bytes, read_article_file, split_blocks

BODY = "Rain fell on the town for a week. Roads were closed."


def paragraphs(article: Article) -> list[tuple[str, str]]:
    return list(article.paragraphs[["kind", "text"]].itertuples(index=False, name=None))


def html(markup: str) -> list[tuple[str, str]]:
    return paragraphs(Article.from_text(markup, format="html"))


def markdown(text: str) -> list[tuple[str, str]]:
    return paragraphs(Article.from_text(text, format="md"))


# --- bad files ----------------------------------------------------------------------------------------------


def test_article_error_is_a_value_error():
    assert issubclass(ArticleError, ValueError)
    assert issubclass(ArticleError, annotkit.AnnotkitError)


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    msg = f"No article file at '{path}'. Check the name and the folder (the path is relative to {Path.cwd()})."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path)


def test_a_folder_is_not_an_article_file(tmp_path):
    msg = f"'{tmp_path}' is a folder, not an article file. Give one file, or use load_articles() for a folder."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(tmp_path)


@pytest.mark.parametrize(("name", "ending"), [("story.pdf", ".pdf"), ("story.docx", ".docx"), ("story", "(no ending)")])
def test_unsupported_file_type(tmp_path, name, ending):
    path = tmp_path / name
    path.write_text(BODY, encoding="utf-8")
    msg = (
        f"annotkit cannot read '{name}': '{ending}' files are not supported. "
        "Save the article as one of: .htm, .html, .markdown, .md, .text, .txt."
    )
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path)


@pytest.mark.parametrize("name", ["story.TXT", "story.Md", "story.HTML"])
def test_file_endings_are_case_insensitive(tmp_path, name):
    path = tmp_path / name
    path.write_text(BODY, encoding="utf-8")
    assert load_article(path).text == BODY


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \r\n"], ids=["empty", "whitespace-only"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "story.txt"
    path.write_bytes(content)
    msg = "story.txt is empty. Paste the article's text into it, save, and load it again."
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path)


@pytest.mark.parametrize(
    ("data", "msg"),
    [
        (
            b"%PDF-1.4\x00\x00\x01\x02 stream",
            "story.txt looks like binary data (a PDF, a Word file or an image?), not text. "
            "Copy the article's text into a .txt file, or save the web page as .html.",
        ),
        (
            b"Rain fell \x81\x8d\x8f on the town.",
            "story.txt contains bytes that are not text in any encoding annotkit knows (UTF-8, Windows-1252). "
            "Open it in a text editor and save it again as UTF-8.",
        ),
    ],
    ids=["binary", "no-known-encoding"],
)
def test_unreadable_bytes(tmp_path, data, msg):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path)


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("word " * 30, encoding="utf-8")
    msg = (
        "'story.txt' is 150 bytes, more than the limit of 100 bytes for one article. "
        "Check it is a single article; if it is, pass a larger max_bytes=."
    )
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path, max_bytes=100)


def test_file_at_the_size_limit_loads(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("x" * 49 + ". " + "y" * 48 + ".", encoding="utf-8")
    assert len(load_article(path, max_bytes=100).text) == 100


def test_file_with_only_site_furniture(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Accessibility links\n\nBreaking News\n", encoding="utf-8")
    msg = (
        "story.txt has no article text left after cleaning (only headings, captions, credits or site "
        "menus were found). Check that you copied the article itself, not just the page around it."
    )
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path)


def test_split_blocks_refuses_an_unknown_format():
    with pytest.raises(ArticleError, match=re.escape("Unknown article format 'pdf'. Use one of: txt, md, html.")):
        split_blocks(BODY, "pdf")


# --- encodings ----------------------------------------------------------------------------------------------


def test_utf8_with_byte_order_mark_and_crlf(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes("Storm Hits Town\r\n\r\nJosé said: “Stay in.”\r\nThen he left.\r\n".encode("utf-8-sig"))
    article = load_article(path)
    assert "\ufeff" not in article.text
    assert "\r" not in article.text
    assert paragraphs(article) == [("headline", "Storm Hits Town"), ("body", "José said: “Stay in.” Then he left.")]


def test_read_article_file_returns_text_and_format(tmp_path):
    path = tmp_path / "story.md"
    path.write_bytes("# Title\n".encode("utf-8-sig"))
    assert read_article_file(path) == ("# Title\n", "md")


def test_windows_1252_file_loads_with_a_warning(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"Storm Hits Town\r\n\r\n\x93We stay,\x94 Jos\xe9 said. It\x92s late.\r\n")
    with pytest.warns(ArticleWarning, match="read as Windows-1252") as record:
        article = load_article(path)
    assert len(record) == 1
    assert str(record[0].message) == (
        "story.txt is not UTF-8; it was read as Windows-1252. Check accented letters and quotation marks, "
        "and save the file as UTF-8 to silence this warning."
    )
    assert article.text == "Storm Hits Town\n\n“We stay,” José said. It’s late."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café au lait".encode(), "Café au lait"),
        ("Café au lait".encode("utf-8-sig"), "Café au lait"),
        ("😀 Zoë".encode(), "😀 Zoë"),
    ],
)
def test_decode_utf8(data, expected):
    assert decode_article_bytes(data) == expected


def test_decode_names_the_source_in_its_message():
    with pytest.raises(ArticleError, match=re.escape("notes.txt is empty.")):
        decode_article_bytes(b"  ", source="notes.txt")


def test_decode_refuses_text_full_of_control_characters():
    msg = "the article does not look like text: it has 6 control characters. Is it really an article?"
    with pytest.raises(ArticleError, match=re.escape(msg)):
        decode_article_bytes(b"abc\x01\x02\x03\x04\x05\x06")


# --- plain text blocks --------------------------------------------------------------------------------------


def test_text_blocks_keep_their_lines():
    assert split_blocks("  One\nTwo  \n\n\n\nThree\r\nFour", "txt") == [
        Block(("One", "Two")),
        Block(("Three", "Four")),
    ]


# --- HTML ---------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<title>Storm hits coast | The Daily Planet</title>
<style>p { color: red; } .said { content: "said"; }</style>
<script>var x = "He said \\"hello\\""; if (a < b && c > d) { alert('said'); }</script>
</head><body>
<header><a href="/">Home</a> <span>World news</span><h1>Storm Hits Coast</h1><p>By the desk</p></header>
<nav><ul><li>Politics</li><li>Sport</li></ul></nav>
<p>Rain fell &ldquo;hard&rdquo; on Tom &amp; Jerry&rsquo;s farm.</p>
<figure><img src="waves.jpg" alt="Alt text of the photo"><figcaption>Waves break on the shore.</figcaption></figure>
<aside>Most read: cats</aside>
<p>Roads closed for a week.</p>
<footer><p>Copyright 2024 The Daily Planet</p></footer>
</body></html>"""


def test_html_page():
    assert html(PAGE) == [
        ("headline", "Storm Hits Coast"),
        ("body", "Rain fell “hard” on Tom & Jerry’s farm."),
        ("caption", "Waves break on the shore."),
        ("body", "Roads closed for a week."),
    ]


@pytest.mark.parametrize(
    "hidden",
    ["He said", "alert", "color", "Politics", "World news", "By the desk", "Most read", "Copyright", "Alt text"],
)
def test_html_furniture_never_reaches_the_text(hidden):
    assert hidden not in Article.from_text(PAGE, format="html").text


def test_html_title_is_the_headline_without_the_site_name():
    page = "<title>Storm hits coast | The Daily Planet</title><p>Rain fell.</p>"
    assert html(page) == [("headline", "Storm hits coast"), ("body", "Rain fell.")]


def test_html_h1_wins_over_title():
    page = "<title>Storm hits coast | The Daily Planet</title><h1>Storm Hits Coast</h1><p>Rain fell.</p>"
    assert html(page) == [("headline", "Storm Hits Coast"), ("body", "Rain fell.")]


def test_html_only_the_article_element_and_an_h1_outside_it():
    page = (
        "<body><h1>Storm Hits Coast</h1><p>Subscribe for more.</p>"
        "<figure><figcaption>Logo of the site</figcaption></figure>"
        "<article><p>Rain fell.</p><figure><figcaption>A flooded road.</figcaption></figure></article>"
        "<p>Comments are closed.</p></body>"
    )
    assert html(page) == [("headline", "Storm Hits Coast"), ("body", "Rain fell."), ("caption", "A flooded road.")]


@pytest.mark.parametrize(
    "element",
    [
        "<p hidden>Secret words.</p>",
        '<p aria-hidden="true">Secret words.</p>',
        '<div style="display: none"><p>Secret words.</p></div>',
        '<div style="DISPLAY:NONE">Secret words.</div>',
    ],
)
def test_html_hidden_elements_are_dropped(element):
    assert html(f"<p>Rain fell.</p>{element}<p>Roads closed.</p>") == [
        ("body", "Rain fell."),
        ("body", "Roads closed."),
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        "<nav><ul><li>Home<li>World</ul></nav>",  # <li> may be left unclosed in HTML
        "<footer><p>Contact<p>About</footer>",
        "<div hidden><p>Secret</div>",
    ],
)
def test_html_unclosed_tags_inside_skipped_elements_do_not_hide_the_article(furniture):
    assert html(f"{furniture}<p>Rain fell.</p>") == [("body", "Rain fell.")]


def test_html_escaped_markup_stays_as_text():
    page = "<article><p>The payload &lt;img src=x onerror=alert(1)&gt; was shown as text.</p></article>"
    assert html(page) == [("body", "The payload <img src=x onerror=alert(1)> was shown as text.")]


def test_html_line_breaks_and_spaces_collapse():
    assert html("<p>Rain\n   fell<br>hard.</p>") == [("body", "Rain fell hard.")]


# --- Markdown -----------------------------------------------------------------------------------------------


def test_markdown_headline_and_subheading():
    assert markdown("# Storm Hits Coast\n\n## What happened\n\nRain fell.") == [
        ("headline", "Storm Hits Coast"),
        ("body", "What happened"),
        ("body", "Rain fell."),
    ]


def test_markdown_heading_keeps_a_hash_that_is_part_of_a_word():
    assert markdown("# Learn C#\n\nRain fell.")[0] == ("headline", "Learn C#")


def test_markdown_closing_hashes_are_dropped():
    assert markdown("# Storm Hits Coast ##\n\nRain fell.")[0] == ("headline", "Storm Hits Coast")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Rain fell **hard** today.", "Rain fell hard today."),
        ("Rain fell *hard* today.", "Rain fell hard today."),
        ("Rain fell _hard_ today.", "Rain fell hard today."),
        ("Read [the report](https://example.org/report) now.", "Read the report now."),
        ("The snake_case_words stay.", "The snake_case_words stay."),
        ("Run `make test` now.", "Run make test now."),
        ("2 * 3 * 4 is 24.", "2 * 3 * 4 is 24."),
    ],
)
def test_markdown_inline_markers(line, expected):
    assert markdown(line) == [("body", expected)]


def test_markdown_image_line_is_a_caption():
    assert markdown("Rain fell.\n\n![A flooded road in Lagos](road.jpg)\n\nRoads closed.") == [
        ("body", "Rain fell."),
        ("caption", "A flooded road in Lagos"),
        ("body", "Roads closed."),
    ]


def test_markdown_image_without_alt_text_is_dropped():
    assert markdown("Rain fell.\n\n![](road.jpg)\n\nRoads closed.") == [
        ("body", "Rain fell."),
        ("body", "Roads closed."),
    ]


def test_markdown_front_matter_is_dropped():
    text = "---\ntitle: Storm\nauthor: Ana Ruiz\n---\n# Storm Hits Coast\n\nRain fell."
    assert markdown(text) == [("headline", "Storm Hits Coast"), ("body", "Rain fell.")]


def test_markdown_quote_and_list_markers_are_stripped():
    text = "> Rain fell.\n> Roads closed.\n\n- first item\n* second item\n1. third item"
    assert markdown(text) == [
        ("body", "Rain fell. Roads closed."),
        ("body", "first item"),
        ("body", "second item"),
        ("body", "third item"),
    ]


def test_a_utf16_file_from_windows_notepad_loads(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes("Headline Here\r\n\r\n“Fine,” said José Peña. Rain fell.".encode("utf-16"))
    article = annotkit.load_article(path)
    assert article.quotes.speaker.tolist() == ["José Peña"]
