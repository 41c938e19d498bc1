"""Handing work in: one portable JSON file per student and article, and reading a whole class's files safely.

A submission carries a checksum over everything else in it, so a teacher can tell a file that was edited by hand
(or damaged on the way, or re-saved by an editor) from the student's own export. Reading never stops at a bad
file: each refused file becomes a row in ``problems`` saying which file and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path, PurePosixPath
from types import NoneType
from typing import TYPE_CHECKING, Any

from .errors import SubmissionError
from .records import ATTRIBUTE_COLUMNS, BASE_COLUMNS, LAYERS, frame_from_columns, with_article

if TYPE_CHECKING:
    import pandas as pd

    from .store import AnnotationStore

__all__ = ["FORMAT", "MAX_FILES", "MAX_FILE_BYTES", "Submissions", "export_submission", "read_submissions"]

FORMAT = "annotkit-submission"
FORMAT_VERSION = 1
#: A submission larger than this is refused (a student's work on one article is a few hundred KB at most).
MAX_FILE_BYTES = 5_000_000
#: At most this many files are read from one folder or zip.
MAX_FILES = 10_000


# The checksum is the file's last field and covers every byte before it: verifying it is one SHA-256 over the
# bytes as they are, with no re-encoding (a class of 1,000 files is read in well under a second).
_SEAL = re.compile(rb',\s*"checksum"\s*:\s*"([0-9a-f]{64})"\s*}\s*$')


def seal(payload: dict[str, Any]) -> bytes:
    """A submission file's bytes: the payload as JSON, then a checksum over everything before it."""
    body = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    head = body[: body.rstrip().rfind(b"}")].rstrip()
    checksum = hashlib.sha256(head).hexdigest()
    return head + f',\n "checksum": "{checksum}"\n}}\n'.encode()


def _sealed(data: bytes) -> bool:
    tail = max(0, len(data) - 200)  # the seal is at the very end: search only there
    found = _SEAL.search(data, tail)
    if found is None:
        return False
    return hashlib.sha256(data[: found.start()]).hexdigest() == found.group(1).decode()


def _plain(value: Any) -> Any:
    """A frame cell as JSON: ``<NA>`` becomes null, numpy integers become ints."""
    if value is None or (not isinstance(value, str) and value != value):  # NaN / NA
        return None
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return int(value) if hasattr(value, "item") and not isinstance(value, str) else value


def export_submission(
    store: AnnotationStore, path: str | Path, *, annotator: str | None = None, article_id: str | None = None
) -> Path:
    """Write one annotator's work on one article to a JSON file a teacher can collect.

    The file holds the annotator, the article id and a SHA-256 of the article's text, the scheme and its
    version, the annotations, and a checksum over all of it. Also available as ``store.export_submission``.

    Parameters
    ----------
    store
        The store to read from.
    path
        The file to write (a name ending in ``.json``).
    annotator
        Whose work; default the store's annotator.
    article_id
        Which article; needed only when the annotator has worked on several.

    Returns
    -------
    Path
        The file written.
    """
    annotator = annotator or store.annotator
    frame = store.annotations(annotator=annotator)
    articles = sorted(set(frame["article_id"])) if len(frame) else []
    if not articles:
        msg = f"{annotator} has not tagged anything yet, so there is nothing to hand in. Tag the article, then export."
        raise SubmissionError(msg)
    if article_id is None:
        if len(articles) != 1:
            found = ", ".join(articles) if articles else "none"
            msg = (
                f"{annotator} has annotations on {len(articles)} articles ({found}). Say which one to hand in: "
                "export_submission(path, article_id=...)."
            )
            raise SubmissionError(msg)
        article_id = articles[0]
    frame = frame[frame["article_id"] == article_id]
    text = store.article_text(article_id)
    if text is None or frame.empty:
        msg = (
            f"{annotator} has no annotations on article {article_id!r} to hand in; they have some on: "
            f"{', '.join(articles)}."
        )
        raise SubmissionError(msg)
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "annotator": annotator,
        "article_id": article_id,
        "article_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "scheme": store.scheme.name,
        "scheme_version": store.scheme.version,
        "exported": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "annotations": [
            {column: _plain(value) for column, value in row.items() if _plain(value) is not None}
            for row in frame.to_dict(orient="records")
        ],
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".partial")
    temporary.write_bytes(seal(payload))
    temporary.replace(path)  # atomic: a half-written submission never sits under the real name
    return path


@dataclass(frozen=True)
class Submissions:
    """A class's submissions, as read by :func:`read_submissions`.

    Attributes
    ----------
    annotations
        One annotation frame for the class: the latest submission of each annotator for each article, with a
        ``submission`` column naming the file.
    all_annotations
        The same from every accepted submission, earlier ones included.
    submissions
        One row per accepted file: ``submission, annotator, article_id, exported, n_annotations, latest``.
    problems
        One row per refused file: ``submission, problem``.
    """

    annotations: pd.DataFrame
    all_annotations: pd.DataFrame
    submissions: pd.DataFrame
    problems: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"Submissions({len(self.submissions)} accepted, {len(self.problems)} refused, "
            f"{len(self.annotations)} annotations from the latest of each)"
        )


def _sources(source: str | Path | Iterable[str | Path]) -> Iterator[tuple[str, bytes | str]]:
    """Yield ``(name, bytes or a problem)`` for every candidate file, from a folder, a zip, or a list of files."""
    if isinstance(source, (str, Path)):
        source = Path(source)
        if source.is_dir():
            files = sorted(p for p in source.rglob("*.json") if p.is_file())
            yield from _files(files[:MAX_FILES], root=source)
            return
        if source.suffix.lower() == ".zip":
            yield from _zip(source)
            return
        yield from _files([source], root=source.parent)
        return
    yield from _files([Path(p) for p in source][:MAX_FILES], root=None)


def _files(paths: list[Path], *, root: Path | None) -> Iterator[tuple[str, bytes | str]]:
    for path in paths:
        name = str(path.relative_to(root)) if root else str(path)
        if not path.is_file():
            yield name, "the file does not exist"
        elif path.stat().st_size > MAX_FILE_BYTES:
            yield name, f"the file is {path.stat().st_size:,} bytes, over the limit of {MAX_FILE_BYTES:,}"
        else:
            yield name, path.read_bytes()


def _zip(path: Path) -> Iterator[tuple[str, bytes | str]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        yield path.name, f"not a readable zip file ({error})"
        return
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        for entry in entries[:MAX_FILES]:
            name = entry.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                yield name, "refused: the name points outside the zip (path traversal)"
            elif not name.lower().endswith(".json") or parts[-1].startswith("._"):
                continue  # not a submission (a README, a macOS resource fork ...)
            elif entry.file_size > MAX_FILE_BYTES:
                yield name, f"the file is {entry.file_size:,} bytes, over the limit of {MAX_FILE_BYTES:,}"
            else:
                with archive.open(entry) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)  # never trust the size the zip declares
                if len(data) > MAX_FILE_BYTES:
                    yield name, f"the file unpacks to more than {MAX_FILE_BYTES:,} bytes"
                else:
                    yield name, data


_ALLOWED_FIELDS = frozenset((*BASE_COLUMNS, *ATTRIBUTE_COLUMNS))
_LAYER_NAMES = frozenset(LAYERS)
_OFFSET_TYPES = frozenset((int, NoneType))
_TEXT_TYPES = frozenset((str, NoneType))
_REQUIRED = {
    "format": str,
    "annotator": str,
    "article_id": str,
    "article_sha256": str,
    "exported": str,
    "annotations": list,
    "checksum": str,
}


def _parse(data: bytes) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Check one submission and return it, with its annotations field by field; or say what is wrong with it.

    Raises
    ------
    SubmissionError
        Saying what is wrong.
    """
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"not valid JSON ({error})"
        raise SubmissionError(msg) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        msg = 'not an annotkit submission (no "format": "annotkit-submission")'
        raise SubmissionError(msg)
    for key, kind in _REQUIRED.items():
        if not isinstance(payload.get(key), kind):
            msg = f"the field {key!r} is missing or is not a {kind.__name__}"
            raise SubmissionError(msg)
    if payload.get("format_version", 1) > FORMAT_VERSION:
        msg = "made by a newer annotkit; upgrade annotkit to read it"
        raise SubmissionError(msg)
    payload.pop("checksum")
    if not _sealed(data):
        msg = "the checksum does not match: the file was changed after it was exported"
        raise SubmissionError(msg)
    return payload, _fields(payload["annotations"], payload["annotator"])


def _fields(rows: list[Any], annotator: str) -> dict[str, list[Any]]:
    """A submission's annotations, checked, as one list per field that any of them has.

    Whole fields are checked at once: a class is tens of thousands of annotations, and checking them one by one
    is slow. Only a file that fails is checked one annotation at a time, to say which one is wrong and how.
    """
    if not set(map(type, rows)) <= {dict}:
        _check_rows(rows, annotator)  # raises: an annotation that is not an object
    fields: dict[str, list[Any]] = {}
    for index, row in enumerate(rows):  # row by row, each row's values at once: the fastest way through memory
        for name, value in row.items():
            values = fields.get(name)
            if values is None:
                values = fields[name] = [None] * len(rows)
            values[index] = value
    if not fields.keys() <= _ALLOWED_FIELDS or not _well_formed(fields, rows, annotator):
        _check_rows(rows, annotator)
    return fields


def _well_formed(fields: dict[str, list[Any]], rows: list[dict[str, Any]], annotator: str) -> bool:
    """Whether :func:`_check_rows` passes these annotations: True and False are both certain for JSON values."""
    for name, values in fields.items():
        # a whole number or nothing at start and end (a bool's type is not int), text or nothing elsewhere
        if not set(map(type, values)) <= (_OFFSET_TYPES if name in ("start", "end") else _TEXT_TYPES):
            return False
    if not set(fields.get("layer", [None] * len(rows))) <= _LAYER_NAMES:
        return False
    return "annotator" not in fields or set(map(dict.get, rows, repeat("annotator"), repeat(annotator))) <= {annotator}


def _check_rows(rows: list[Any], annotator: str) -> None:
    """Check a submission's annotations one by one; raise SubmissionError saying what is wrong with the first."""
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or row.get("layer") not in LAYERS:
            msg = f"annotation {index + 1} is malformed (it needs a layer: {', '.join(LAYERS)})"
            raise SubmissionError(msg)
        if not row.keys() <= _ALLOWED_FIELDS:
            unknown = set(row) - _ALLOWED_FIELDS
            msg = f"annotation {index + 1} has unknown fields: {', '.join(sorted(unknown))}"
            raise SubmissionError(msg)
        for key, value in row.items():
            if key in ("start", "end"):
                if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                    msg = f"annotation {index + 1} has {with_article(key)} that is not a whole number"
                    raise SubmissionError(msg)
            elif value is not None and not isinstance(value, str):
                msg = f"annotation {index + 1} has {with_article(key)} that is not text ({type(value).__name__})"
                raise SubmissionError(msg)
        if row.get("annotator", annotator) != annotator:
            msg = f"annotation {index + 1} belongs to another annotator than the submission's"
            raise SubmissionError(msg)


def _add_columns(data: dict[str, list[Any]], name: str, payload: dict[str, Any], fields: dict[str, list[Any]]) -> None:
    """Add a submission's annotations to the class's columns, with the submission's annotator and article."""
    n = len(payload["annotations"])
    for column, values in data.items():
        if column == "submission":
            values += [name] * n
        elif column in ("annotator", "article_id"):  # an annotation may only repeat the submission's
            values += [payload[column]] * n
        else:
            values += fields.get(column) or [None] * n


def read_submissions(source: str | Path | Iterable[str | Path]) -> Submissions:
    """Read a class's submissions from a folder, a zip file, or a list of files, refusing what cannot be trusted.

    Nothing stops the reading: a malformed, tampered, oversized or unsafe file becomes a row in ``problems``.
    When a student handed in several times for the same article, ``annotations`` keeps the latest and
    ``all_annotations`` keeps every one.

    Parameters
    ----------
    source
        A folder (every ``.json`` file under it), a ``.zip`` file, or a list of files.

    Returns
    -------
    Submissions

    >>> import tempfile, annotkit
    >>> folder = Path(tempfile.mkdtemp())
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(folder / "ana.sqlite", annotator="ana")
    >>> start = article.text.index("Lloyd Austin")
    >>> _ = store.add(article, layer="actor", label="official", start=start, end=start + 12, entity="Lloyd Austin")
    >>> _ = store.export_submission(folder / "class" / "ana.json")
    >>> work = read_submissions(folder / "class")
    >>> work.annotations[["annotator", "entity"]].values.tolist(), len(work.problems)
    ([['ana', 'Lloyd Austin']], 0)
    """
    import pandas as pd

    accepted: list[tuple[str, dict[str, Any]]] = []
    problems: list[tuple[str, str]] = []
    columns = [*BASE_COLUMNS, *ATTRIBUTE_COLUMNS, "submission"]
    # Column by column: a class is tens of thousands of rows, and building a frame from dicts is slow.
    data: dict[str, list[Any]] = {c: [] for c in columns}
    for name, content in _sources(source):
        if isinstance(content, str):
            problems.append((name, content))
            continue
        try:
            payload, fields = _parse(content)
        except SubmissionError as error:
            problems.append((name, str(error)))
            continue
        accepted.append((name, payload))
        _add_columns(data, name, payload, fields)  # now, while the file's annotations are fresh in memory

    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for name, payload in accepted:
        key = (payload["annotator"], payload["article_id"])
        if key not in latest or (payload["exported"], name) > latest[key]:
            latest[key] = (payload["exported"], name)
    summary = pd.DataFrame(
        [
            (
                name,
                p["annotator"],
                p["article_id"],
                p["exported"],
                len(p["annotations"]),
                latest[(p["annotator"], p["article_id"])][1] == name,
            )
            for name, p in accepted
        ],
        columns=["submission", "annotator", "article_id", "exported", "n_annotations", "latest"],
    )
    every = frame_from_columns(data)
    latest_names = {name for _, name in latest.values()}
    if len(latest_names) == len(accepted):  # nobody handed in twice: the latest are all there is
        current = every.copy()
    else:
        current = every[every["submission"].isin(latest_names)].reset_index(drop=True)
    return Submissions(
        annotations=current,
        all_annotations=every,
        submissions=summary,
        problems=pd.DataFrame(problems, columns=["submission", "problem"]),
    )
