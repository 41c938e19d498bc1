"""Answer keys: data files under ``data/keys/`` that a teacher can read, edit and write for new articles.

A key locates each span by its exact words and which occurrence of them it is (counting whole words only, so
"Iraq" is never found inside "Iraqi"), so it stays readable and survives small edits elsewhere in the article.
Loading a key checks all of it — its shape (``annotkit/schemas/key.schema.json``), every label and value against
the scheme, every span against the article's words, every reference between items — and says what to fix.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _schemas
from .anchoring import context
from .errors import AnnotationError, AnnotkitWarning
from .records import JOURNALIST, KEY_COLUMNS, LAYERS, annotations_frame

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article
    from .scheme import Scheme

__all__ = ["KEY_ANNOTATOR", "KEY_FORMAT_VERSION", "answer_key", "find_key", "load_key", "write_key"]

KEY_ANNOTATOR = "key"
#: Version 2 counts occurrences of whole words only; version 1 (annotkit 0.1) counted any match.
KEY_FORMAT_VERSION = 2
_FIELDS = ("id", "layer", "label", "text", "occurrence", "debatable", "note")


def find_key(article: Article) -> Path | None:
    """The key file for an article (matched by the article's identity), if any.

    The course folder's ``data/keys`` is searched first, then the keys that ship with annotkit.
    """
    from ._data import course_data_folders

    for folder in course_data_folders():
        for path in sorted((folder / "keys").glob("*.json")):
            try:
                spec = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue  # load_key says what is wrong with it when it is asked for
            if isinstance(spec, dict) and spec.get("article") == article.article_id:
                return path
    return None


def _whole_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` does not cut a word at either end."""
    left = start == 0 or not (text[start].isalnum() and text[start - 1].isalnum())
    right = end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
    return left and right


def _occurrences(text: str, words: str, *, whole_words: bool) -> list[int]:
    """Where ``words`` start in ``text``, in order (only where they stand as whole words, if asked)."""
    found = [m.start() for m in re.finditer(f"(?={re.escape(words)})", text)]
    return [at for at in found if _whole_word(text, at, at + len(words))] if whole_words else found


def _locate(text: str, item: Mapping[str, Any], *, whole_words: bool) -> tuple[int, int] | str:
    """The span of a key item, or what is wrong with it."""
    words, occurrence = item["text"], item.get("occurrence", 1)
    found = _occurrences(text, words, whole_words=whole_words)
    if occurrence <= len(found):
        return found[occurrence - 1], found[occurrence - 1] + len(words)
    where = f"appear {len(found)} time{'s' if len(found) != 1 else ''} as whole words" if found else "are not"
    return f"the words {words!r} {where} in the article, so occurrence {occurrence} cannot be found"


def _check_references(items: list[Mapping[str, Any]], where: str) -> None:
    ids = [item["id"] for item in items]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if doubles:
        msg = f"{where}: the id {doubles[0]!r} is used twice. Every item needs its own id."
        raise AnnotationError(msg)
    actors = {item.get("entity") for item in items if item["layer"] == "actor"}
    claims = {item["id"] for item in items if item["layer"] == "claim"}
    for item in items:
        said_by = item.get("said_by")
        if item["layer"] == "claim" and said_by not in (None, JOURNALIST) and said_by not in actors:
            msg = f"{where}, item {item['id']}: said_by {said_by!r} is not the entity of any actor in the key."
            raise AnnotationError(msg)
        if item["layer"] == "perspective" and item.get("entity") not in actors:
            msg = f"{where}, item {item['id']}: the entity {item.get('entity')!r} is not an actor in the key."
            raise AnnotationError(msg)
        evidence = item.get("evidence") or []
        for claim in [evidence] if isinstance(evidence, str) else evidence:
            if claim not in claims:
                msg = f"{where}, item {item['id']}: the evidence {claim!r} is not a claim in the key."
                raise AnnotationError(msg)


def _key_frame(spec: Mapping[str, Any], article: Article, scheme: Scheme, where: str) -> pd.DataFrame:
    """Check a key's items against the scheme and the article, and return them as an annotation frame."""
    # The fast check first: the explaining one imports jsonschema, seconds of a student's kernel start.
    if not _schemas.is_valid("key", spec):
        problem = _schemas.first_problem("key", spec, item="item") or "its layout (annotkit/schemas/key.schema.json)"
        msg = f"{where} has a mistake in {problem}. Fix it there, or write the key again with annotkit.write_key."
        raise AnnotationError(msg)
    if spec["article"] != article.article_id:
        msg = (
            f"{where} is for the article {spec['article']!r}, not this one ({article.title or article.article_id!r}). "
            "Load the article the key was made for, or make a key for this article "
            "(notebook teacher/11_make_your_own_assignment)."
        )
        raise AnnotationError(msg)
    items: list[Mapping[str, Any]] = spec["annotations"]
    _check_references(items, where)
    whole_words = spec.get("format_version", 1) >= 2
    text = article.text
    rows, lost = [], []
    for item in items:
        attributes = {k: v for k, v in item.items() if k not in _FIELDS}
        try:
            clean = scheme.validate(item["layer"], item["label"], attributes)
        except AnnotationError as error:
            msg = f"{where}, item {item['id']}: {error}"
            raise AnnotationError(msg) from None
        row: dict[str, Any] = {
            "annotation_id": item["id"],
            "article_id": article.article_id,
            "annotator": KEY_ANNOTATOR,
            "layer": item["layer"],
            "label": item["label"],
            "status": "ok",
            "note": item.get("note"),
            "origin": "python",
            "debatable": bool(item.get("debatable", False)),
            **clean,
        }
        is_span = scheme.layer(item["layer"]).kind == "span"
        if is_span != ("text" in item):
            need = "needs the words it tags (text)" if is_span else "is about an actor, so it has no text"
            msg = f"{where}, item {item['id']}: {with_layer(item['layer'])} {need}."
            raise AnnotationError(msg)
        if is_span:
            found = _locate(text, item, whole_words=whole_words)
            if isinstance(found, str):
                lost.append((item["id"], found))
                continue
            start, end = found
            prefix, suffix = context(text, start, end)
            row.update(start=start, end=end, text=text[start:end], prefix=prefix, suffix=suffix)
        rows.append(row)
    if len(lost) == 1:
        msg = f"{where}, item {lost[0][0]}: {lost[0][1]}. Fix the item in the key file."
        raise AnnotationError(msg)
    if lost:
        listed = "; ".join(f"{item} ({problem})" for item, problem in lost[:5])
        more = f" and {len(lost) - 5} more" if len(lost) > 5 else ""
        msg = f"{where}: {len(lost)} items are not in the article's text: {listed}{more}. Fix them in the key file."
        raise AnnotationError(msg)
    version = spec.get("text_sha256")
    if version and version != article.text_sha256:
        warnings.warn(
            f"{where} was made on another version of the article's text; every item was found by its words, so "
            "it is used as it is. To stop this message, write the key again with annotkit.write_key.",
            AnnotkitWarning,
            stacklevel=3,
        )
    return annotations_frame(rows, attributes=scheme.attribute_names, extra=KEY_COLUMNS, dtypes={"debatable": "bool"})


def with_layer(layer: str) -> str:
    """``"An actor"``, ``"A claim"``: the start of a sentence about an item of a layer."""
    return f"{'An' if layer[:1] in 'aeiou' else 'A'} {layer}"


def load_key(article: Article, path: str | Path | None = None, *, scheme: Scheme | None = None) -> pd.DataFrame:
    """The answer key for an article, checked, as an annotation frame by the annotator ``"key"``.

    It has the annotation columns (the key's explanation of each item is its ``note``) plus ``debatable``
    (reasonable readers differ: score leniently).

    Parameters
    ----------
    article
        The article.
    path
        A key file; default: the key for this article in the course folder, else the one that ships with annotkit.
    scheme
        The scheme to check it against; default the course's.

    Raises
    ------
    AnnotationError
        Saying which item is wrong and how: a file that is not JSON, a missing field, a label or value the scheme
        does not know, words not in the article, a said_by or evidence that points nowhere.

    >>> import annotkit
    >>> key = load_key(annotkit.load_bundled_article())
    >>> sorted(key.layer.unique())
    ['actor', 'claim', 'perspective']
    """
    from .scheme import load_scheme

    if path is None:
        path = find_key(article)
        if path is None:
            msg = (
                f"There is no answer key for {article.title or article.article_id!r} yet. Make one in the notebook "
                "teacher/11_make_your_own_assignment, or pass path= to a key file."
            )
            raise AnnotationError(msg)
    path = Path(path)
    where = f"The key file {path.name}"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"There is no key file at '{path}'. Check the name, or make the key with annotkit.write_key."
        raise AnnotationError(msg) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"{where} is not valid JSON ({error}). Check the commas and quotation marks there."
        raise AnnotationError(msg) from None
    return _key_frame(spec, article, scheme or load_scheme(), where)


#: The name annotkit 0.1 gave :func:`load_key`.
answer_key = load_key


def _value(value: Any) -> Any:
    """A frame cell as JSON: None for ``<NA>``/NaN, plain ints."""
    if value is None or (not isinstance(value, str) and value != value):
        return None
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return int(value) if hasattr(value, "item") and not isinstance(value, str) else value


def write_key(
    annotations: pd.DataFrame,
    path: str | Path,
    *,
    article: Article,
    central_question: str | None = None,
    notes_for_teachers: str | None = None,
    scheme: Scheme | None = None,
    overwrite: bool = False,
) -> Path:
    """Write an answer key file from annotations (a student's, a teacher's, or a key edited as a frame).

    Spans are written as their words and which whole-word occurrence of them they are; items get readable ids
    (``actor-001``, ``claim-001``, ...) in the order of the text, and evidence follows them. ``note`` becomes each
    item's note, and a ``debatable`` column (if there is one) marks debatable items. The key is checked exactly as
    :func:`load_key` checks it before anything is written.

    Parameters
    ----------
    annotations
        An annotation frame (``store.annotations(article)``, or ``load_key(...)`` edited).
    path
        Where to write it (usually ``data/keys/<article>.json`` in the course folder).
    article
        The article the annotations are on.
    central_question, notes_for_teachers
        Text kept with the key for teachers.
    scheme
        The scheme to check against; default the course's.
    overwrite
        Replace an existing file; without it, an existing file is never touched.

    Returns
    -------
    Path
        The file written.

    >>> import tempfile, annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = load_key(article)
    >>> path = write_key(key, Path(tempfile.mkdtemp()) / "copy.json", article=article)
    >>> len(load_key(article, path)) == len(key)
    True
    """
    from .scheme import load_scheme

    scheme = scheme or load_scheme()
    path = Path(path)
    if path.exists() and not overwrite:
        msg = f"'{path}' already exists, so it was not touched. Pass overwrite=True to replace it."
        raise AnnotationError(msg)
    records = [
        {column: _value(value) for column, value in row.items()} for row in annotations.to_dict(orient="records")
    ]
    records = [r for r in records if r.get("status") != "orphaned" and r.get("layer") in LAYERS]
    records.sort(key=lambda r: (LAYERS.index(r["layer"]), r.get("start") or 0, r.get("end") or 0))
    new_ids: dict[str, str] = {}
    counts = dict.fromkeys(LAYERS, 0)
    for record in records:
        counts[record["layer"]] += 1
        new_ids[str(record.get("annotation_id"))] = f"{record['layer']}-{counts[record['layer']]:03d}"
    items = []
    for record in records:
        item: dict[str, Any] = {
            "id": new_ids[str(record.get("annotation_id"))],
            "layer": record["layer"],
            "label": record["label"],
        }
        if record.get("start") is not None:
            start, end = record["start"], record["end"]
            words = article.text[start:end]
            if not _whole_word(article.text, start, end):
                msg = f"The {record['layer']} {words!r} (start={start}) cuts through a word; a key tags whole words."
                raise AnnotationError(msg)
            item["text"] = words
            item["occurrence"] = _occurrences(article.text[:end], words, whole_words=True).index(start) + 1
        for name in scheme.layer(record["layer"]).attributes:
            value = record.get(name.name)
            if value is not None and name.kind == "claims":
                value = [new_ids.get(i, i) for i in str(value).split(";") if i]
            if value is not None:
                item[name.name] = value
        item["debatable"] = bool(record.get("debatable") or False)
        if record.get("note"):
            item["note"] = record["note"]
        items.append(item)
    spec: dict[str, Any] = {
        "format_version": KEY_FORMAT_VERSION,
        "article": article.article_id,
        "title": article.title or "",
        "text_sha256": article.text_sha256,
        "scheme": scheme.name,
        "scheme_version": scheme.version,
    }
    if central_question:
        spec["central_question"] = central_question
    if notes_for_teachers:
        spec["notes_for_teachers"] = notes_for_teachers
    spec["annotations"] = items
    _key_frame(spec, article, scheme, f"The key for {path.name}")  # refuse to write a key load_key would refuse
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
    return path
