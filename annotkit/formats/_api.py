"""Export an annotation frame to an interchange format, and import it back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import FormatError
from ._rows import frame_from_rows, rows_from_frame

if TYPE_CHECKING:
    import pandas as pd

    from ..article import Article
    from ..scheme import Scheme

__all__ = ["FORMATS", "Setup", "export", "import_annotations", "resolve_scheme"]

#: The formats annotkit reads and writes, by the name ``format=`` takes.
FORMATS = ("csv", "jsonl", "w3c", "brat", "labelstudio", "doccano")


@dataclass(frozen=True)
class Setup:
    """What a format needs besides the rows, the file and the article.

    Attributes
    ----------
    scheme
        The annotation scheme: the labels, attributes and kinds of value a tool's controls are made from.
    attributes
        The attribute columns, in order: the frame's when exporting, the scheme's when importing.
    annotators
        Label Studio only: names for its user ids (``completed_by``), e.g. ``{1: "ana", 2: "ben"}``.
    """

    scheme: Scheme
    attributes: tuple[str, ...]
    annotators: Mapping[str, str] = field(default_factory=dict)


def _module(format: str) -> ModuleType:
    if format not in FORMATS:
        msg = f"format={format!r} is not a format annotkit knows. Use one of: {', '.join(FORMATS)}."
        raise FormatError(msg)
    # Imported here so that `import annotkit` does not load every format.
    from importlib import import_module

    return import_module(f"{__package__}.{format}_format")


def resolve_scheme(scheme: Scheme | str | Path | None) -> Scheme:
    """The scheme itself, the scheme in a file, or the course's default scheme."""
    from ..scheme import Scheme, load_scheme

    return scheme if isinstance(scheme, Scheme) else load_scheme(scheme)


def export(
    annotations: pd.DataFrame,
    path: str | Path,
    *,
    format: str,
    article: Article,
    scheme: Scheme | str | Path | None = None,
) -> Path:
    r"""Write one article's annotations to a file another annotation tool can read.

    Each format's module says what it keeps and what it loses (``annotkit.formats.brat_format`` and so on):
    csv, jsonl and w3c keep everything; brat, labelstudio and doccano need anchored spans and leave orphaned
    annotations out, warning once. Every attribute column of the frame is written, a teacher's own included.

    Parameters
    ----------
    annotations
        An annotation frame (see ``annotkit.records``) of ``article``'s annotations.
    path
        The file to write (overwritten if it exists). For brat, a ``.ann`` file; the article text is written
        beside it as ``.txt`` unless a different file of that name is already there (then nothing is written).
    format
        One of ``"csv"``, ``"jsonl"``, ``"w3c"``, ``"brat"``, ``"labelstudio"``, ``"doccano"``.
    article
        The article the annotations are about.
    scheme
        The scheme the annotations follow (a ``Scheme`` or the path of a scheme file; default: the course's).
        Label Studio needs it to tell choices from free text, as its labeling config does.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    FormatError
        For an unknown format, or a path the format cannot use.
    AnnotationError
        For annotations that do not fit the article (missing columns, another article, a span whose text is
        not the article's text at its offsets).

    Examples
    --------
    >>> import tempfile
    >>> import annotkit
    >>> from annotkit.records import empty_annotations
    >>> article = annotkit.load_bundled_article()
    >>> start = article.text.index("Joe Biden")
    >>> mine = empty_annotations().reindex([0]).assign(
    ...     annotation_id="a1", layer="actor", label="official", start=start, end=start + 9,
    ...     text="Joe Biden", status="ok", entity="Joe Biden")
    >>> path = export(mine, Path(tempfile.mkdtemp()) / "biden.ann", format="brat", article=article)
    >>> path.read_text(encoding="utf-8").splitlines()
    ['T1\tofficial 223 232\tJoe Biden', 'A1\tentity T1 Joe_Biden']
    """
    module = _module(format)
    rows, attributes = rows_from_frame(annotations, article)
    written: Path = module.write(rows, Path(path), article, Setup(resolve_scheme(scheme), attributes))
    return written


def import_annotations(
    path: str | Path,
    *,
    format: str,
    article: Article,
    scheme: Scheme | str | Path | None = None,
    annotators: Mapping[int | str, str] | None = None,
) -> pd.DataFrame:
    """Read annotations of ``article`` from a file in an interchange format, as an annotation frame.

    csv, jsonl and w3c files are anchored like web annotations: a span whose words moved is found again by its
    quote and context, and marked ``status="orphaned"`` (with no offsets) when they are gone. brat,
    labelstudio and doccano files carry the article text (or offsets only), so a file for another text is
    refused. A region or line that cannot be read is left out and named in one ``FormatWarning`` for the
    whole file; the rest of the file is imported.

    Parameters
    ----------
    path
        The file to read (for brat, the ``.ann`` file).
    format
        One of ``"csv"``, ``"jsonl"``, ``"w3c"``, ``"brat"``, ``"labelstudio"``, ``"doccano"``.
    article
        The article the annotations are about; their offsets and words are checked against its text.
    scheme
        The scheme whose attributes become the frame's attribute columns (default: the course's). An attribute
        the file holds that the scheme does not name is kept too, as a column after the scheme's.
    annotators
        Label Studio only: a name for each Label Studio user id (``completed_by``), e.g. ``{1: "ana"}``, for
        annotations made in Label Studio itself (annotkit's own exports carry each student's name).

    Returns
    -------
    pandas.DataFrame
        The base columns of ``annotkit.records`` and the attribute columns: ``start``/``end`` as ``Int64``,
        the rest as ``string``. Ids, annotators and times the format cannot hold are made up or left
        ``<NA>``, as its module says.

    Raises
    ------
    FormatError
        For an unknown format, a missing file, a file that does not parse, or a file made for another article.

    Examples
    --------
    >>> import tempfile
    >>> import annotkit
    >>> from annotkit.records import empty_annotations
    >>> article = annotkit.load_bundled_article()
    >>> start = article.text.index("Jen Psaki")
    >>> mine = empty_annotations().reindex([0]).assign(
    ...     annotation_id="a2", layer="actor", label="official", start=start, end=start + 9,
    ...     text="Jen Psaki", status="ok", entity="Jen Psaki")
    >>> path = export(mine, Path(tempfile.mkdtemp()) / "psaki.json", format="labelstudio", article=article)
    >>> back = import_annotations(path, format="labelstudio", article=article)
    >>> back[["annotation_id", "label", "start", "text", "entity"]].values.tolist()
    [['a2', 'official', 1411, 'Jen Psaki', 'Jen Psaki']]
    """
    module = _module(format)
    chosen = resolve_scheme(scheme)
    names = {str(k): str(v) for k, v in (annotators or {}).items()}
    setup = Setup(chosen, chosen.attribute_names, names)
    return frame_from_rows(module.read(Path(path), article, setup), setup.attributes)
