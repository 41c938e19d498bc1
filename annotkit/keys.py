"""Answer keys: data files under ``data/keys/`` that a teacher can read, edit and write for new articles.

A key locates each span by its exact words and which occurrence of them it is, so it stays readable and
survives small edits elsewhere in the article; loading it checks every span against the article's text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .anchoring import context
from .errors import AnnotationError
from .records import ATTRIBUTE_COLUMNS, BASE_COLUMNS, KEY_COLUMNS, annotations_frame

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article

__all__ = ["KEY_ANNOTATOR", "answer_key", "find_key"]

KEY_ANNOTATOR = "key"


def find_key(article: Article) -> Path | None:
    """The key file for an article (matched by article id, or by the name of its source file), if any."""
    from ._data import data_path

    stem = Path(article.source).stem if article.source else None
    for path in sorted(data_path("keys").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec.get("article_id") == article.article_id or (stem and spec.get("article") == stem):
            return path
    return None


def _locate(text: str, words: str, occurrence: int, item: str) -> tuple[int, int]:
    at = -1
    for _ in range(occurrence):
        at = text.find(words, at + 1)
        if at < 0:
            msg = f"Key item {item}: {words!r} (occurrence {occurrence}) is not in the article. Fix the key file."
            raise AnnotationError(msg)
    return at, at + len(words)


def answer_key(article: Article, path: str | Path | None = None) -> pd.DataFrame:
    """The answer key for an article, as an annotation frame by the annotator ``"key"``.

    It has the columns of ``annotkit.records`` plus ``debatable`` (reasonable readers differ: score leniently)
    and ``note`` (why, in words a teacher can read out).

    Parameters
    ----------
    article
        The article.
    path
        A key file; default: the bundled key for this article.

    >>> import annotkit
    >>> key = answer_key(annotkit.load_bundled_article())
    >>> sorted(key.layer.unique())
    ['actor', 'claim', 'perspective']
    """
    if path is None:
        path = find_key(article)
        if path is None:
            msg = (
                f"There is no answer key for {article.title or article.article_id!r} yet. Make one in the notebook "
                "teacher/11_make_your_own_assignment, or pass path= to a key file."
            )
            raise AnnotationError(msg)
    spec: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    if spec.get("article_id") not in (None, article.article_id):
        msg = (
            f"The key {Path(path).name} is for article {spec['article_id']!r}, not this one "
            f"({article.article_id!r}, {article.title!r}). Load the article the key was made for, or make a key for "
            "this article (notebook teacher/11_make_your_own_assignment)."
        )
        raise AnnotationError(msg)
    text = article.text
    rows = []
    for item in spec["annotations"]:
        row: dict[str, Any] = dict.fromkeys((*BASE_COLUMNS, *ATTRIBUTE_COLUMNS, *KEY_COLUMNS))
        row.update(
            annotation_id=item["id"],
            article_id=article.article_id,
            annotator=KEY_ANNOTATOR,
            layer=item["layer"],
            label=item["label"],
            status="ok",
            debatable=bool(item.get("debatable", False)),
            note=item.get("note"),
        )
        if "text" in item:
            start, end = _locate(text, item["text"], int(item.get("occurrence", 1)), item["id"])
            prefix, suffix = context(text, start, end)
            row.update(start=start, end=end, text=text[start:end], prefix=prefix, suffix=suffix)
        for name in ATTRIBUTE_COLUMNS:
            value = item.get(name)
            row[name] = (";".join(value) or None) if isinstance(value, list) else value
        rows.append(row)
    return annotations_frame(rows, extra=KEY_COLUMNS, dtypes={"debatable": "bool"})
