"""Tags made on an article survive a change in how annotkit cleans it (issue 13 with the engine's identity).

A teacher saved the bundled VOA article as a web page and the class tagged it with annotkit 0.1, whose own rules
kept the page's "Trending now" list and newsletter box in the text. annotkit 0.2 reads the same file with
trafilatura and leaves them out, so every offset after them moves. The article keeps its identity (the file's
stem), and the store moves every tag of the answer key onto the new text: nothing is orphaned.
"""

import html
import warnings

import pandas as pd
import pytest

import annotkit
from annotkit import pages

FURNITURE_BEFORE = (
    "<div class='trending'><h2>Trending now</h2><ul>"
    "<li><a href='/a/1'>Five things to know about the new budget plan in Congress</a></li>"
    "<li><a href='/a/2'>Photos of the week from around the world, chosen by our editors</a></li>"
    "</ul></div><div class='newsletter'><p>Sign up for the morning newsletter and get the day's top stories "
    "delivered to your inbox before breakfast, every weekday.</p></div>"
)


def saved_page(article: annotkit.Article) -> str:
    """The bundled article as a saved page: its paragraphs in their HTML elements, with furniture before them."""
    parts = []
    for kind, text in zip(article.paragraphs.kind, article.paragraphs.text, strict=True):
        text = html.escape(text, quote=False)
        tag = {"headline": "h1", "caption": "figcaption", "credit": "p"}.get(kind, "p")
        parts.append(f"<figure><{tag}>{text}</{tag}></figure>" if kind == "caption" else f"<{tag}>{text}</{tag}>")
    story = "\n".join(parts)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Biden Announces End to US Combat Mission in Iraq"
        " | VOA</title></head><body><nav><a href='/'>Home</a></nav>"
        f"{FURNITURE_BEFORE}<div class='story'>{story}</div><footer>VOA</footer></body></html>"
    )


@pytest.fixture
def page_file(tmp_path, bundled):
    path = tmp_path / f"{bundled.article_id}.html"
    path.write_text(saved_page(bundled), encoding="utf-8")
    return path


def load_with_old_cleaning(path, monkeypatch):
    """annotkit 0.1's reading of a page: its own rules, no main-text extractor."""
    with monkeypatch.context() as patch:
        patch.setattr(pages, "_main_text", lambda tree: None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", annotkit.ArticleWarning)
            return annotkit.load_article(path)


def test_the_answer_key_moves_onto_the_new_cleaning_with_nothing_orphaned(page_file, monkeypatch, tmp_path, bundled):
    old = load_with_old_cleaning(page_file, monkeypatch)
    new = annotkit.load_article(page_file)
    # The same article, two versions of its text: the old one kept the furniture, before the story.
    assert old.article_id == new.article_id == bundled.article_id
    assert old.text_sha256 != new.text_sha256
    assert "Trending now" in old.text and "Trending now" not in new.text
    assert new.text == bundled.text

    # The class tagged the old text: the key's items, on the same words, where the old text has them.
    shift = old.text.index(new.text)
    assert shift > 0
    key = annotkit.load_key(new)
    store = annotkit.open_store(tmp_path / "class.sqlite", annotator="ana")
    attributes = [c for c in key.columns if c in store.scheme.attribute_names]
    for row in key.itertuples(index=False):
        values = {name: getattr(row, name) for name in attributes if isinstance(getattr(row, name), str)}
        start = None if pd.isna(row.start) else int(row.start) + shift
        end = None if pd.isna(row.end) else int(row.end) + shift
        if start is not None:
            assert old.text[start:end] == row.text
        store.add(old, layer=row.layer, label=row.label, start=start, end=end, **values)

    moved = store.annotations(new)
    assert len(moved) == len(key) == 171
    assert store.orphans(new).empty
    spans = moved[moved.start.notna()]
    for row in spans.itertuples():
        assert new.text[int(row.start) : int(row.end)] == row.text
    # every tag stands where the key puts it on the new text
    placed = key[key.start.notna()]
    assert sorted(zip(spans.start, spans.end, strict=True)) == sorted(zip(placed.start, placed.end, strict=True))
    store.close()
