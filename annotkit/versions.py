"""Versions of an article's text in a store, and moving tags made on one version onto another.

An article is known by its identity (``article_id``) and the version of its text (``text_sha256``). When a
store holds tags made on another version of an article's text (a typo fixed, a new annotkit cleaning pages
differently), opening the article moves them onto the version in use: by position if their words are still
there, else by their words and context (:func:`annotkit.anchoring.anchor`). Those that cannot be found keep their
old place and version, so they are found again if that text comes back; a *different* article that merely
shares the name is left alone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._storefile import now
from .anchoring import anchor, context

if TYPE_CHECKING:
    from .article import Article

__all__ = ["SAME_ARTICLE", "StoredText", "anchored", "newest", "remember", "same_article", "sync"]

#: Two texts with the same name are versions of one article when this share of their words is common to both.
SAME_ARTICLE = 0.6


@dataclass(frozen=True)
class StoredText:
    """A version of an article's text as the store keeps it (what re-anchoring needs of an Article)."""

    article_id: str
    text_sha256: str
    text: str
    title: str | None
    source: str | None


def remember(db: sqlite3.Connection, article: Article | StoredText) -> None:
    """Record (or touch) this version of an article: its text, title, and when it was last used."""
    db.execute(
        "INSERT INTO article_versions VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, text_sha256) DO UPDATE"
        " SET text = coalesce(article_versions.text, excluded.text),"
        " title = coalesce(excluded.title, article_versions.title), used = excluded.used",
        (article.article_id, article.text_sha256, article.title, article.source, article.text, now()),
    )


def newest(db: sqlite3.Connection, article_id: str) -> StoredText | None:
    """The most recently used version of an article whose text the store knows, or None."""
    row = db.execute(
        "SELECT text_sha256, text, title, source FROM article_versions WHERE article_id = ? AND text IS NOT NULL"
        " ORDER BY used DESC LIMIT 1",
        (article_id,),
    ).fetchone()
    return StoredText(article_id, *row) if row else None


def anchored(article: Article | StoredText, start: int | None, end: int | None) -> tuple[Any, Any, Any]:
    """A span's ``text, prefix, suffix`` in this version (all None for a perspective, which has no span)."""
    if start is None or end is None:
        return None, None, None
    return (article.text[start:end], *context(article.text, start, end))


def same_article(db: sqlite3.Connection, article: Article | StoredText, other_version: str) -> bool:
    """Whether a stored version shares enough words with this text to be the same article, corrected."""
    from difflib import SequenceMatcher

    row = db.execute(
        "SELECT text FROM article_versions WHERE article_id = ? AND text_sha256 = ?",
        (article.article_id, other_version),
    ).fetchone()
    if row is None or row[0] is None:
        return True  # the old text is unknown: trust the name, and let each tag's words decide
    # quick_ratio compares the words as bags: linear time, and enough to tell a corrected text from another.
    return SequenceMatcher(None, row[0].split(), article.text.split(), autojunk=False).quick_ratio() >= SAME_ARTICLE


def sync(db: sqlite3.Connection, article: Article | StoredText) -> list[tuple[str, str, int | None, int | None]]:
    """Move the tags of this article made on other versions of its text onto this one.

    Returns ``(annotation_id, status, old_start, start)`` for each tag looked at.
    """
    from ._storefile import Transaction

    stale = db.execute(
        'SELECT annotation_id, start, "end", text, prefix, suffix, text_sha256 FROM annotations'
        " WHERE article_id = ? AND (text_sha256 IS NOT ? OR status = 'orphaned')",
        (article.article_id, article.text_sha256),
    ).fetchall()
    results: list[tuple[str, str, int | None, int | None]] = []
    if not stale:
        return results
    others = {row[6] for row in stale if row[6] != article.text_sha256}
    unrelated = {version for version in others if not same_article(db, article, version)}
    with Transaction(db):
        remember(db, article)
        for annotation_id, start, end, text, prefix, suffix, old_version in stale:
            if old_version in unrelated:
                continue
            if start is None and text is None:  # a perspective: about an entity, not a span
                db.execute(
                    "UPDATE annotations SET text_sha256 = ?, status = 'ok' WHERE annotation_id = ?",
                    (article.text_sha256, annotation_id),
                )
                results.append((annotation_id, "ok", None, None))
                continue
            found = anchor(
                article.text, start=start, end=end, exact=text or "", prefix=prefix or "", suffix=suffix or ""
            )
            if found is None:
                # Keep its old place and version: if that text comes back, it is found there again.
                db.execute("UPDATE annotations SET status = 'orphaned' WHERE annotation_id = ?", (annotation_id,))
                results.append((annotation_id, "orphaned", start, None))
                continue
            db.execute(
                'UPDATE annotations SET start = ?, "end" = ?, text = ?, prefix = ?, suffix = ?,'
                " status = 'ok', text_sha256 = ? WHERE annotation_id = ?",
                (*found, *anchored(article, *found), article.text_sha256, annotation_id),
            )
            results.append((annotation_id, "ok", start, found[0]))
    return results
