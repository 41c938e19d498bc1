"""Saved web pages (issue 13): main text without the page's furniture, metadata, encodings, and pages that are
not one article. Every page here is hand-written (tests/html_pages.py); no third-party text."""

import re
import warnings

import pytest
from html_pages import BODY, FURNITURE, page

import annotkit
from annotkit import Article, ArticleError, ArticleWarning, load_article
from annotkit.charsets import declared_charset, decode_article_bytes


def kinds_and_texts(article: Article) -> list[tuple[str, str]]:
    return list(article.paragraphs[["kind", "text"]].itertuples(index=False, name=None))


EXPECTED = [
    ("headline", "Council votes to turn rail yard into park"),
    ("credit", "By Dana Whitaker"),
    ("caption", "The old rail yard in Riverton, where the park will be built."),
    *[("body", text) for text in BODY],
]
WORDPRESS_COMMENTS = (
    '<div id="comments"><h3>2 Responses</h3><ol class="commentlist"><li class="comment"><p>'
    f"{FURNITURE['comment']}</p></li></ol></div>"
)


@pytest.mark.parametrize(
    "html",
    [
        page(),
        # no <article> element: annotkit used to keep every block of the page
        page().replace("<article", "<div").replace("</article>", "</div>"),
        # teaser cards in <article> elements of their own
        page().replace('<div class="card">', '<article class="card">').replace("</h3></div>", "</h3></article>"),
        # WordPress puts the readers' comments inside the story's <article>
        page(extra_article=WORDPRESS_COMMENTS).replace('<section id="comments"', '<section id="more"'),
    ],
    ids=["article-element", "no-article-element", "teaser-cards-in-articles", "comments-inside-article"],
)
def test_the_page_furniture_is_dropped_and_the_kinds_kept(html):
    article = Article.from_text(html, format="html")
    assert kinds_and_texts(article) == EXPECTED
    for furniture in FURNITURE.values():
        assert furniture not in article.text


def test_an_article_wrapped_in_a_form_is_read():
    # Two real pages wrap their whole body in an ASP.NET <form>; they were refused with wrong advice.
    assert kinds_and_texts(Article.from_text(page(wrap_form=True), format="html")) == EXPECTED


def test_offsets_hold_on_a_real_looking_page():
    article = Article.from_text(page(), format="html")
    for frame in (article.paragraphs, article.sentences, article.tokens, article.quotes):
        for row in frame.itertuples():
            assert article.text[row.start : row.end] == row.text
    assert article.quotes.speaker.dropna().tolist() == ["Rosa Delgado", "Rosa Delgado", "Tom Becker", "Tom Becker"]


def test_the_page_metadata_goes_into_article_metadata():
    article = Article.from_text(page(), format="html")
    assert article.metadata == {
        "outlet": "Riverton Daily",
        "published": "2024-05-14",
        "contributors": ["Dana Whitaker"],
        "title": "Council votes to turn rail yard into park",
    }


def test_json_ld_and_canonical_address_are_read():
    head = (
        '<link rel="canonical" href="https://riverton.example/park">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "Rail yard park approved", "datePublished": "2024-05-15", '
        '"author": [{"@type": "Person", "name": "Dana Whitaker"}, {"@type": "Person", "name": "Sam Ortiz"}], '
        '"publisher": {"@type": "Organization", "name": "Riverton Daily Media"}}</script>'
    )
    html = re.sub(r"<meta (?:name|property)=\"(?:author|article:published_time|og:site_name)\"[^>]*>", "", page())
    metadata = Article.from_text(html.replace("</head>", head + "</head>"), format="html").metadata
    assert metadata["contributors"] == ["Dana Whitaker", "Sam Ortiz"]
    assert metadata["published"] == "2024-05-15"
    assert metadata["outlet"] == "Riverton Daily Media"
    assert metadata["url"] == "https://riverton.example/park"


def test_a_sidecar_file_wins_over_the_page(tmp_path):
    (tmp_path / "story.html").write_text(page(), encoding="utf-8")
    (tmp_path / "story.json").write_text('{"outlet": "The Riverton Daily (print)"}', encoding="utf-8")
    metadata = load_article(tmp_path / "story.html").metadata
    assert metadata["outlet"] == "The Riverton Daily (print)"
    assert metadata["published"] == "2024-05-14"


# --- encodings ----------------------------------------------------------------------------------------------

# Sentences written for these tests, one language each.
TEXTS = {
    "cp1251": "Дождь шёл весь день, и городской совет закрыл мост через реку. Жители говорят, что вода поднялась "
    "очень быстро. Мэр обещал открыть мост в пятницу, когда уровень воды упадёт.",
    "koi8-r": "Дождь шёл весь день, и городской совет закрыл мост через реку. Жители говорят, что вода поднялась "
    "очень быстро. Мэр обещал открыть мост в пятницу, когда уровень воды упадёт.",
    "iso-8859-7": "Η βροχή έπεσε όλη την ημέρα και το δημοτικό συμβούλιο έκλεισε τη γέφυρα πάνω από το ποτάμι. "
    "Οι κάτοικοι λένε ότι το νερό ανέβηκε πολύ γρήγορα.",
    "gbk": "大雨下了一整天，市议会关闭了河上的桥。居民们说，水涨得很快。市长承诺在星期五水位下降后重新开放这座桥。",
    "euc-kr": "하루 종일 비가 내려 시의회는 강 위의 다리를 닫았습니다. 주민들은 물이 매우 빨리 불어났다고 "
    "말합니다. 시장은 금요일에 다리를 다시 열겠다고 약속했습니다.",
}


@pytest.mark.parametrize("encoding", TEXTS)
def test_a_page_in_a_legacy_encoding_is_read_by_its_meta_charset_without_a_warning(tmp_path, encoding):
    html = page([TEXTS[encoding]], charset=encoding)
    path = tmp_path / "story.html"
    path.write_bytes(html.encode(encoding))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        article = load_article(path)
    assert TEXTS[encoding] in article.text


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("cp1251", "Windows-1251 (Cyrillic)"),
        ("koi8-r", "KOI8-R (Cyrillic)"),
        ("gbk", "GB18030 (Chinese)"),
        ("euc-kr", "EUC-KR (Korean)"),
    ],
)
def test_a_text_file_in_a_legacy_encoding_is_detected_and_named(tmp_path, encoding, name):
    path = tmp_path / "story.txt"
    path.write_bytes(TEXTS[encoding].encode(encoding))
    with pytest.warns(ArticleWarning) as record:
        article = load_article(path)
    assert article.text == TEXTS[encoding]
    assert [str(w.message) for w in record] == [
        f"story.txt is not UTF-8; it was read as {name}. Check accented letters and quotation marks, "
        "and save the file as UTF-8 to silence this warning."
    ]


def test_valid_utf8_wins_over_a_page_that_says_otherwise(tmp_path):
    # A browser saves a page as UTF-8 but keeps the site's <meta charset>.
    path = tmp_path / "story.html"
    path.write_bytes(page([TEXTS["cp1251"]], charset="windows-1251").encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert TEXTS["cp1251"] in load_article(path).text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes("Storm Hits Town\n\n“Fine,” said José Peña. Rain fell.".encode(encoding))
    assert load_article(path).quotes.speaker.tolist() == ["José Peña"]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="windows-1251">', "cp1251"),
        (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=koi8-r'>", "koi8_r"),
        (b'<meta charset="ISO-8859-1">', "cp1252"),  # as every browser reads it
        (b'<meta charset="no-such-thing">', None),
        (b"<p>No declaration here.</p>", None),
    ],
)
def test_declared_charset(head, expected):
    assert declared_charset(b"<html><head>" + head) == expected


def test_decoding_a_page_by_its_declaration_needs_html_true():
    data = page([TEXTS["cp1251"]], charset="windows-1251").encode("cp1251")
    assert TEXTS["cp1251"] in decode_article_bytes(data, html=True)


# --- pages that are not one article ---------------------------------------------------------------------------


def test_a_news_feed_is_refused(tmp_path):
    path = tmp_path / "feed.html"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Riverton Daily</title>'
        "<item><title>Council votes</title><description>The council voted.</description></item></channel></rss>",
        encoding="utf-8",
    )
    msg = (
        "feed.html is a news feed (RSS or Atom): a list of stories, not one article. "
        "Open one story in your browser and save that page."
    )
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path)


@pytest.mark.parametrize("title", ["403 Forbidden", "Page not found", "Access Denied"])
def test_an_error_page_is_refused(tmp_path, title):
    path = tmp_path / "story.html"
    path.write_text(
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<p>You don't have permission to access this page on this server.</p></body></html>",
        encoding="utf-8",
    )
    msg = (
        f"story.html looks like an error page ({title!r}), not an article. "
        "Open the article in your browser, check that it shows, and save the page again."
    )
    with pytest.raises(ArticleError, match=re.escape(msg)):
        load_article(path)


def _home_page() -> str:
    stories = "".join(
        f'<div class="teaser"><h3><a href="/story/{i}">Story number {i} about the city council and its budget'
        f"</a></h3><p>A short summary of story {i}.</p></div>"
        for i in range(12)
    )
    return f"<html><head><title>Riverton Daily | Home</title></head><body><main>{stories}</main></body></html>"


def test_a_home_page_loads_with_a_warning(tmp_path):
    path = tmp_path / "home.html"
    path.write_text(_home_page(), encoding="utf-8")
    with pytest.warns(ArticleWarning) as record:
        load_article(path)
    assert [str(w.message) for w in record] == [
        "home.html looks like a home page or a section front (a list of 12 stories), not one article. "
        "Open the story you want and save that page."
    ]


def test_a_paywall_teaser_loads_with_a_warning(tmp_path):
    path = tmp_path / "story.html"
    teaser = page(BODY[:2], extra_article="<div class='paywall'><p>Subscribe to continue reading.</p></div>")
    path.write_text(teaser, encoding="utf-8")
    with pytest.warns(ArticleWarning, match="looks like the start of an article behind a paywall") as record:
        load_article(path)
    assert len(record) == 1
    assert "Log in, open the whole article and save the page again." in str(record[0].message)


def test_a_page_where_most_words_were_dropped_warns(tmp_path):
    menu = "".join(f"<li><a href='/{i}'>Section {i} of the site with its own long name</a></li>" for i in range(60))
    html = (
        "<html><head><title>Tiny note | Riverton Daily</title></head><body>"
        f"<nav><ul>{menu}</ul></nav><div class='sidebar'><ul>{menu}</ul></div>"
        "<article><h1>Tiny note</h1><p>The library opens late on Monday because of a staff meeting.</p></article>"
        f"<div class='more'><ul>{menu}</ul></div></body></html>"
    )
    path = tmp_path / "note.html"
    path.write_text(html, encoding="utf-8")
    with pytest.warns(ArticleWarning, match=r"annotkit kept only \d+ of the \d+ words on note.html") as record:
        load_article(path)
    assert len(record) == 1


def test_a_real_article_page_loads_without_any_warning(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(page(), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_article(path)


def test_import_annotkit_does_not_load_the_page_extractor():
    import subprocess
    import sys

    code = "import sys, annotkit; print(sorted(m for m in ('trafilatura', 'lxml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert annotkit.load_bundled_article().source.endswith(".txt")
