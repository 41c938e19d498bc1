"""Handing work in: one portable JSON file per student, and reading a whole class's files safely.

A submission holds a student's annotations (with their notes) and reflections on every article they worked on,
the name they gave, the article texts, and a checksum over everything else. The checksum tells a teacher that a
file is exactly as annotkit wrote it: it catches a file damaged on the way, edited by hand or re-saved by an
editor. It does not prove who wrote it — anyone with annotkit can write a file with a valid checksum — and
nothing in a student's own kernel could: the student controls it. Counts of the annotations made by code rather
than by hand (``origin``) are there for the same honest reason: to inform, not to accuse.

Reading never stops at a bad file: every file is checked against a JSON Schema (``annotkit/schemas/``), and each
refused file becomes a row in ``problems`` saying which file and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import _schemas
from ._browserstore import handed_in_as
from ._storefile import now
from .errors import SubmissionError
from .records import BASE_COLUMNS, frame_from_columns

if TYPE_CHECKING:
    import pandas as pd

    from .store import AnnotationStore

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "Parsed",
    "Submissions",
    "export_submission",
    "parse_submission",
    "read_submissions",
    "submission_payload",
]

FORMAT = "annotkit-submission"
FORMAT_VERSION = 2
#: A submission larger than this is refused (a student's work with its article texts is a few hundred KB).
MAX_FILE_BYTES = 5_000_000
#: At most this many files are read from one folder or zip; the rest are reported, not silently dropped.
MAX_FILES = 10_000

# The checksum is the file's last field and covers every byte before it: verifying it is one SHA-256 over the
# bytes as they are, with no re-encoding (a class of 1,000 files is read in well under a second).
_SEAL = re.compile(rb',\s*"checksum"\s*:\s*"([0-9a-f]{64})"\s*}\s*$')
_LEGACY_ID = re.compile(r"a[0-9a-f]{15}")


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


# --- writing ------------------------------------------------------------------------------------------------


def submission_payload(
    store: AnnotationStore, *, annotator: str | None = None, article_ids: Iterable[str] | None = None, draft: bool
) -> dict[str, Any]:
    """Everything one annotator did, article by article, as a submission's fields (without the checksum)."""
    from . import __version__

    annotator = annotator or store.annotator
    chosen = list(article_ids) if article_ids is not None else store.articles(annotator)
    articles = []
    for article_id in chosen:
        version = store.settle(article_id)
        rows = store.rows(version or article_id, annotator)
        reflections = store.reflections(article_id, annotator)
        text = version.text if version else None
        origins: dict[str, int] = {}
        for row in rows:
            origins[row["origin"]] = origins.get(row["origin"], 0) + 1
        articles.append(
            {
                "article_id": article_id,
                "title": store.article_title(article_id),
                "text_sha256": version.text_sha256 if version else _unknown_version(store, article_id, annotator),
                "text": text,
                "origins": origins,
                "annotations": [
                    {
                        k: _plain(v)
                        for k, v in row.items()
                        if _plain(v) is not None and k not in ("article_id", "annotator")
                    }
                    for row in rows
                ],
                "reflections": [
                    {k: row[k] for k in ("question_id", "question", "answer", "modified")}
                    for row in reflections.to_dict(orient="records")
                ],
            }
        )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        # In JupyterLite every student is "web_user": the hand-in names them by the name they gave.
        "annotator": handed_in_as(annotator, store.student_name if annotator == store.annotator else None),
        "student_name": store.student_name if annotator == store.annotator else None,
        "exported": now(),
        "draft": draft,
        "annotkit_version": __version__,
        "scheme": {
            "name": store.scheme.name,
            "version": store.scheme.version,
            "attributes": list(store.scheme.attribute_names),
        },
        "articles": articles,
    }


def _unknown_version(store: AnnotationStore, article_id: str, annotator: str) -> str:
    """The text version of work whose article text the store never saw (restored from an annotkit 0.1 file)."""
    return store.tagged_text_version(article_id, annotator) or hashlib.sha256(b"").hexdigest()


def write_sealed(payload: dict[str, Any], path: str | Path) -> Path:
    """Write a payload with its checksum, atomically: a half-written file never sits under the real name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".partial")
    temporary.write_bytes(seal(payload))
    temporary.replace(path)
    return path


def export_submission(
    store: AnnotationStore,
    path: str | Path,
    *,
    annotator: str | None = None,
    article_id: str | None = None,
    draft: bool = False,
) -> Path:
    """Write one annotator's work to a JSON file a teacher can collect (:func:`annotkit.hand_in` names it for you).

    The file holds the annotator and the name they gave, each article they worked on (its id, title, text and
    text version), their annotations with notes, their reflections, the scheme's name, version and attribute
    names, and a checksum over all of it. Also available as ``store.export_submission``.

    Parameters
    ----------
    store
        The store to read from.
    path
        The file to write (a name ending in ``.json``).
    annotator
        Whose work; default the store's annotator.
    article_id
        Only this article; default every article they worked on.
    draft
        Mark it as work in progress (a live class view collects drafts as students go).

    Returns
    -------
    Path
        The file written.
    """
    annotator = annotator or store.annotator
    worked_on = store.articles(annotator)
    if not worked_on:
        msg = f"{annotator} has not tagged anything yet, so there is nothing to hand in. Tag the article, then export."
        raise SubmissionError(msg)
    if article_id is not None and article_id not in worked_on:
        titles = ", ".join(repr(store.article_title(a) or a) for a in worked_on)
        msg = f"{annotator} has no work on the article {article_id!r} to hand in; they have some on: {titles}."
        raise SubmissionError(msg)
    chosen = [article_id] if article_id is not None else worked_on
    return write_sealed(submission_payload(store, annotator=annotator, article_ids=chosen, draft=draft), path)


# --- reading one file -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """One submission file, checked and read as format 2 (an annotkit 0.1 file is converted).

    Attributes
    ----------
    payload
        The file's fields (format 2), without its checksum.
    attributes
        The attribute names its scheme declares (every attribute an annotation may have).
    """

    payload: dict[str, Any]
    attributes: tuple[str, ...] = field(default=())


def _legacy_identity(article_id: str, text_sha256: str) -> str:
    """Annotkit 0.1 named an article by a hash of its text; find the bundled article it was, if it is one."""
    if not _LEGACY_ID.fullmatch(article_id):
        return article_id
    from ._data import data_path
    from .article import load_article

    for path in sorted(data_path("articles").glob("*.txt")):
        try:
            article = load_article(path)
        except Exception:
            continue
        if article.text_sha256 == text_sha256:
            return article.article_id
    return article_id


def _from_version_1(payload: dict[str, Any]) -> dict[str, Any]:
    """An annotkit 0.1 file's fields as format 2."""
    from .records import default_attributes

    article_id = _legacy_identity(payload["article_id"], payload["article_sha256"])
    return {
        "format": FORMAT,
        "format_version": 2,
        "annotator": payload["annotator"],
        "student_name": None,
        "exported": payload["exported"],
        "draft": False,
        "scheme": {"name": payload.get("scheme", ""), "attributes": list(default_attributes())},
        "articles": [
            {
                "article_id": article_id,
                "text_sha256": payload["article_sha256"],
                "annotations": [
                    {k: v for k, v in row.items() if k != "article_id"} if isinstance(row, dict) else row
                    for row in payload["annotations"]
                ],
            }
        ],
        "checksum": payload["checksum"],
    }


def parse_submission(data: bytes) -> Parsed:
    """Check one submission file's bytes and read it; raise SubmissionError saying what is wrong.

    >>> parse_submission(b'{"format": "something else"}')
    Traceback (most recent call last):
    ...
    annotkit.errors.SubmissionError: not an annotkit submission (no "format": "annotkit-submission")
    """
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        msg = f"not valid JSON ({error})"[:300]
        raise SubmissionError(msg) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        msg = 'not an annotkit submission (no "format": "annotkit-submission")'
        raise SubmissionError(msg)
    version = payload.get("format_version", 1)
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        msg = "made by a newer annotkit; upgrade annotkit to read it"
        raise SubmissionError(msg)
    if version == 1:
        _check("submission-v1", payload)
        payload = _from_version_1(payload)
    _check("submission", payload)
    if not _sealed(data):
        msg = "the checksum does not match: the file was changed after it was exported"
        raise SubmissionError(msg)
    payload.pop("checksum")
    return Parsed(payload, _check_consistency(payload))


def _check(schema: str, payload: dict[str, Any]) -> None:
    if not _schemas.is_valid(schema, payload):
        problem = _schemas.first_problem(schema, payload) or "it does not have the shape of a submission"
        raise SubmissionError(problem)


def _check_consistency(payload: dict[str, Any]) -> tuple[str, ...]:
    """What a schema cannot say: annotations agree with their file, their article and their scheme."""
    declared = tuple(payload.get("scheme", {}).get("attributes") or ())
    allowed = {*BASE_COLUMNS, *declared}
    annotator = payload["annotator"]
    for article in payload["articles"]:
        text = article.get("text")
        if text is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() != article["text_sha256"]:
            msg = f"the text of the article {article['article_id']!r} does not match its text_sha256"
            raise SubmissionError(msg)
        for index, row in enumerate(article["annotations"], start=1):
            if row.get("annotator", annotator) != annotator:
                msg = f"annotation {index} belongs to another annotator than the submission's"
                raise SubmissionError(msg)
            if row.get("article_id", article["article_id"]) != article["article_id"]:
                msg = f"annotation {index} says it is about another article than the one it is filed under"
                raise SubmissionError(msg)
            if declared and not row.keys() <= allowed:
                unknown = ", ".join(sorted(set(row) - allowed))
                msg = f"annotation {index} has fields its scheme does not declare: {unknown}"
                raise SubmissionError(msg)
            start, end = row.get("start"), row.get("end")
            if any(v is not None and type(v) is not int for v in (start, end)):  # JSON Schema lets 3.0 pass
                msg = f"annotation {index} has a start or end that is not a whole number ({start}, {end})"
                raise SubmissionError(msg)
            if (start is None) != (end is None) or (start is not None and start >= end):
                msg = f"annotation {index} has a start and end that do not make a span ({start}, {end})"
                raise SubmissionError(msg)
    return declared


# --- reading a class -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submissions:
    """A class's submissions, as read by :func:`read_submissions`.

    Attributes
    ----------
    annotations
        One annotation frame for the class: the latest submission of each student for each article, with a
        ``submission`` column naming the file.
    all_annotations
        The same from every accepted submission, earlier ones included.
    submissions
        One row per accepted file and article: ``submission, annotator, student_name, article_id, title,
        text_sha256, exported, draft, n_annotations, n_by_code, latest``.
    reflections
        The reflections of the latest submissions: ``submission, annotator, student_name, article_id,
        question_id, question, answer, modified``.
    problems
        One row per refused file: ``submission, problem``.
    texts
        The article texts the submissions carry, by ``(article_id, text_sha256)``.
    """

    annotations: pd.DataFrame
    all_annotations: pd.DataFrame
    submissions: pd.DataFrame
    reflections: pd.DataFrame
    problems: pd.DataFrame
    texts: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        files = self.submissions["submission"].nunique() if len(self.submissions) else 0
        return (
            f"Submissions({files} accepted, {len(self.problems)} refused, "
            f"{len(self.annotations)} annotations from the latest of each)"
        )


def _sources(source: str | Path | Iterable[str | Path]) -> Iterator[tuple[str, bytes | str]]:
    """Yield ``(name, bytes or a problem)`` for every candidate file, from a folder, a zip, or a list of files."""
    if isinstance(source, (str, Path)):
        source = Path(source)
        if source.is_dir():
            # Hidden folders and files (.ipynb_checkpoints, .Trash, ._ resource forks) never hold hand-ins.
            files = sorted(
                p for p in source.rglob("*.json") if p.is_file() and not _hidden(p.relative_to(source).parts)
            )
            yield from _files(files[:MAX_FILES], root=source)
            if len(files) > MAX_FILES:
                yield f"{len(files) - MAX_FILES:,} more files", f"not read: a folder is read up to {MAX_FILES:,} files"
            return
        if source.suffix.lower() == ".zip":
            yield from _zip(source)
            return
        yield from _files([source], root=source.parent)
        return
    paths = [Path(p) for p in source]
    yield from _files(paths[:MAX_FILES], root=None)
    if len(paths) > MAX_FILES:
        yield f"{len(paths) - MAX_FILES:,} more files", f"not read: at most {MAX_FILES:,} files are read at once"


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") for part in parts)


def _files(paths: list[Path], *, root: Path | None) -> Iterator[tuple[str, bytes | str]]:
    for path in paths:
        name = str(path.relative_to(root)) if root else str(path)
        try:
            if not path.is_file():
                yield name, "the file does not exist"
            elif path.stat().st_size > MAX_FILE_BYTES:
                yield name, f"the file is {path.stat().st_size:,} bytes, over the limit of {MAX_FILE_BYTES:,}"
            else:
                yield name, path.read_bytes()
        except OSError as error:  # no permission, a file that vanished while the class was read ...
            yield name, f"the file cannot be read ({error.strerror or error})"


def _zip(path: Path) -> Iterator[tuple[str, bytes | str]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        yield path.name, f"not a readable zip file ({error})"
        return
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        for number, entry in enumerate(entries):
            name = entry.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                yield name, "refused: the name points outside the zip (path traversal)"
            elif not name.lower().endswith(".json") or _hidden(parts) or parts[0] == "__MACOSX":
                continue  # not a submission (a README, a macOS resource fork ...)
            elif number >= MAX_FILES:
                yield name, f"not read: a zip is read up to {MAX_FILES:,} files"
            else:
                yield name, _unpack(archive, entry)


def _unpack(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes | str:
    """A zip member's bytes, read no further than the limit whatever size the zip declares, or a problem."""
    try:
        with archive.open(entry) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as error:
        return f"this file in the zip is damaged and cannot be unpacked ({error})"[:300]
    except RuntimeError as error:  # an encrypted member
        return f"this file in the zip cannot be unpacked ({error})"[:300]
    if len(data) > MAX_FILE_BYTES:
        return f"the file unpacks to more than {MAX_FILE_BYTES:,} bytes"
    return data


def read_submissions(source: str | Path | Iterable[str | Path]) -> Submissions:
    """Read a class's submissions from a folder, a zip file, or a list of files, refusing what cannot be trusted.

    Nothing stops the reading: a malformed, tampered, oversized or unsafe file becomes a row in ``problems``.
    When a student handed in several times, ``annotations`` keeps the latest for each article (a final hand-in
    before any draft) and ``all_annotations`` keeps every one. Hidden files and folders are not read, and the
    made-up sample class that ships with annotkit is left out as soon as there is real work beside it.

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

    accepted: list[tuple[str, Parsed]] = []
    problems: list[tuple[str, str]] = []
    for name, content in _sources(source):
        if isinstance(content, str):
            problems.append((name, content))
            continue
        try:
            accepted.append((name, parse_submission(content)))
        except SubmissionError as error:
            problems.append((name, str(error)))
        except Exception as error:
            problems.append((name, f"the file could not be read ({type(error).__name__})"))
    if any(not parsed.payload.get("sample") for _, parsed in accepted):
        accepted = [(name, parsed) for name, parsed in accepted if not parsed.payload.get("sample")]
    return _class_frames(accepted, problems, pd)


def _class_frames(accepted: list[tuple[str, Parsed]], problems: list[tuple[str, str]], pd: Any) -> Submissions:
    """The class's frames from the accepted files (column by column: a class is tens of thousands of rows)."""
    from .records import default_attributes

    attributes = dict.fromkeys(default_attributes())
    for _, parsed in accepted:
        attributes.update(dict.fromkeys(parsed.attributes))
    columns = [*BASE_COLUMNS, *attributes, "submission"]
    data: dict[str, list[Any]] = {c: [] for c in columns}
    summary, reflections = [], []
    # The latest of each student and article: a final hand-in beats any draft, then the newest wins.
    latest: dict[tuple[str, str], tuple[bool, str, str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for name, parsed in accepted:
        payload = parsed.payload
        for article in payload["articles"]:
            key = (payload["annotator"], article["article_id"])
            rank = (not payload.get("draft"), payload["exported"], name)
            if key not in latest or rank > latest[key]:
                latest[key] = rank
            if article.get("text"):
                texts[(article["article_id"], article["text_sha256"])] = article["text"]
    for name, parsed in accepted:
        payload = parsed.payload
        for article in payload["articles"]:
            rows = article["annotations"]
            is_latest = latest[(payload["annotator"], article["article_id"])][2] == name
            n = len(rows)
            for column, values in data.items():
                if column == "submission":
                    values += [name] * n
                elif column == "annotator":
                    values += [payload["annotator"]] * n
                elif column == "article_id":
                    values += [article["article_id"]] * n
                else:
                    values += [row.get(column) for row in rows]
            by_code = sum(1 for row in rows if row.get("origin", "python") == "python")
            summary.append(
                (name, payload["annotator"], payload.get("student_name"), article["article_id"], article.get("title"),
                 article["text_sha256"], payload["exported"], bool(payload.get("draft")), n, by_code, is_latest)
            )  # fmt: skip
            if is_latest:
                reflections += [
                    (name, payload["annotator"], payload.get("student_name"), article["article_id"], r["question_id"],
                     r.get("question"), r["answer"], r.get("modified"))
                    for r in article.get("reflections", [])
                ]  # fmt: skip
    every = frame_from_columns(data)
    submissions = pd.DataFrame(
        summary,
        columns=["submission", "annotator", "student_name", "article_id", "title", "text_sha256", "exported", "draft",
                 "n_annotations", "n_by_code", "latest"],
    )  # fmt: skip
    latest_pairs = set(
        zip(submissions.submission[submissions.latest], submissions.article_id[submissions.latest], strict=True)
    )
    if len(latest_pairs) == len(submissions):  # nobody handed in twice: the latest are all there is
        current = every.copy()
    else:
        keep = [pair in latest_pairs for pair in zip(every["submission"], every["article_id"], strict=True)]
        current = every[keep].reset_index(drop=True)
    reflection_columns = ["submission", "annotator", "student_name", "article_id", "question_id", "question",
                          "answer", "modified"]  # fmt: skip
    return Submissions(
        annotations=current,
        all_annotations=every,
        submissions=submissions,
        reflections=pd.DataFrame(reflections, columns=reflection_columns).astype("string"),
        problems=pd.DataFrame(problems, columns=["submission", "problem"]),
        texts=texts,
    )
