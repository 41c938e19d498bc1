"""The annotation scheme: layers, labels and attributes, read from a data file a teacher can edit.

A scheme file is JSON (``data/schemes/default.json`` is the course's). Every label and every choice has a
plain-language definition, an example from the article and a near-miss; ``other`` and ``unsure`` are always
allowed, so a student is never forced to pretend to be sure.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AnnotationError, SchemeError
from .records import BASE_COLUMNS, EXTRA_COLUMNS, LAYERS, with_article

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article

__all__ = ["Attribute", "Choice", "Layer", "Scheme", "default_scheme", "load_scheme"]

ATTRIBUTE_KINDS = ("choice", "text", "entity", "claims")
LAYER_KINDS = ("span", "record")
ALWAYS_ALLOWED = ("other", "unsure")
#: Names an attribute may not take: every annotation already has these columns.
RESERVED_NAMES = frozenset((*BASE_COLUMNS, *EXTRA_COLUMNS))
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Choice:
    """A label of a layer, or a value of a choice attribute.

    Attributes
    ----------
    id
        What is stored (``"official"``, ``"direct_quote"``).
    name
        What a student reads ("Official", "Direct quote").
    definition, example, near_miss
        Plain-language help: what it means, an example from the article, and something that looks like it but
        is not.
    """

    id: str
    name: str
    definition: str
    example: str = ""
    near_miss: str = ""


@dataclass(frozen=True)
class Attribute:
    """An attribute of a layer.

    Attributes
    ----------
    name
        The attribute's column name (``"entity"``, ``"said_by"``).
    kind
        ``"choice"`` (one of ``choices``), ``"text"`` (free text), ``"entity"`` (an actor entity tagged in the
        same article, or "the journalist"), or ``"claims"`` (claim annotation ids).
    definition, example, near_miss
        Plain-language help.
    required
        Whether an annotation of this layer must have it.
    choices
        The allowed values of a choice attribute, ``other`` and ``unsure`` included.
    """

    name: str
    kind: str
    definition: str
    example: str = ""
    near_miss: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        """The ids of the allowed choices."""
        return tuple(c.id for c in self.choices)


@dataclass(frozen=True)
class Layer:
    """One layer of the scheme.

    Attributes
    ----------
    name
        ``"actor"``, ``"claim"`` or ``"perspective"``.
    kind
        ``"span"`` (tags words of the article) or ``"record"`` (about an actor, no span).
    definition
        What the layer is, for students.
    labels
        The layer's labels, ``other`` and ``unsure`` included where the layer has several.
    attributes
        The layer's attributes, in order.
    crosses_paragraphs
        Whether one tag of this span layer may run across a paragraph break (a claim may; an actor's name never
        does).
    """

    name: str
    kind: str
    definition: str
    labels: tuple[Choice, ...]
    attributes: tuple[Attribute, ...]
    crosses_paragraphs: bool = False

    @property
    def label_ids(self) -> tuple[str, ...]:
        """The ids of the layer's labels."""
        return tuple(c.id for c in self.labels)

    def attribute(self, name: str) -> Attribute:
        """The attribute called ``name``; an AnnotationError lists the layer's attributes if there is none."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        allowed = ", ".join(a.name for a in self.attributes)
        msg = f"The {self.name} layer has no attribute {name!r}. Its attributes are: {allowed}."
        raise AnnotationError(msg)


@dataclass(frozen=True)
class Scheme:
    """An annotation scheme; load one with :func:`load_scheme`.

    Attributes
    ----------
    name, version
        Which scheme this is; submissions record both.
    description
        What the scheme is for.
    layers
        The layers, in teaching order.
    central_questions
        The central question of each article, by bundled article name or article id.
    source
        The file it was read from.

    Examples
    --------
    >>> scheme = load_scheme()
    >>> scheme.layer("actor").label_ids[:3]
    ('official', 'government_body', 'military_or_security')
    >>> scheme.layer("claim").attribute("form").values
    ('direct_quote', 'indirect', 'mixed', 'reporter_voice', 'other', 'unsure')
    """

    name: str
    version: str
    description: str
    layers: tuple[Layer, ...]
    central_questions: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None

    def layer(self, name: str) -> Layer:
        """The layer called ``name``; an AnnotationError lists the scheme's layers if there is none."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        allowed = ", ".join(layer.name for layer in self.layers)
        msg = f"Unknown layer {name!r}. The scheme's layers are: {allowed}."
        raise AnnotationError(msg)

    @property
    def attribute_names(self) -> tuple[str, ...]:
        """Every attribute of every layer, once each, in order: the attribute columns of an annotation frame."""
        names: list[str] = []
        for layer in self.layers:
            names += [a.name for a in layer.attributes if a.name not in names]
        return tuple(names)

    def central_question(self, article: Article) -> str | None:
        """The article's central question, looked up by its id or by the name of the file it came from."""
        stem = Path(article.source).stem if article.source else None
        return self.central_questions.get(article.article_id) or (self.central_questions.get(stem) if stem else None)

    def validate(self, layer: str, label: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
        """Check a label and attributes against the scheme; return the attributes, stripped of empty values.

        Raises AnnotationError naming the field, the value and the allowed values.

        >>> load_scheme().validate("actor", "official", {"entity": " Joe Biden ", "affiliation": "united_states"})
        {'entity': 'Joe Biden', 'affiliation': 'united_states'}
        """
        spec = self.layer(layer)
        if label not in spec.label_ids:
            msg = f"Unknown {layer} label {label!r}. Choose one of: {', '.join(spec.label_ids)}."
            raise AnnotationError(msg)
        clean: dict[str, Any] = {}
        for name, value in attributes.items():
            attribute = spec.attribute(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if attribute.kind == "claims":
                ids = [value] if isinstance(value, str) else list(value)
                joined = ";".join(str(v).strip() for v in ids if str(v).strip())
                if joined:  # no claims chosen is no value, not an empty one
                    clean[name] = joined
                continue
            if not isinstance(value, str):
                msg = f"The {name} of a {layer} must be text, not {type(value).__name__} ({value!r})."
                raise AnnotationError(msg)
            value = " ".join(value.split())
            if attribute.kind == "choice" and value not in attribute.values:
                msg = (
                    f"{value!r} is not {with_article(name.replace('_', ' '))} the scheme knows. "
                    f"Choose one of: {', '.join(attribute.values)}."
                )
                raise AnnotationError(msg)
            clean[name] = value
        missing = [a.name for a in spec.attributes if a.required and a.name not in clean]
        if missing:
            needed = " and ".join(missing)
            msg = f"{with_article(layer).capitalize()} needs {needed}: {spec.attribute(missing[0]).definition}"
            raise AnnotationError(msg)
        return clean

    def to_frame(self) -> pd.DataFrame:
        """The whole scheme as one table: ``layer, field, value, name, definition, example, near_miss``."""
        import pandas as pd

        rows = []
        for layer in self.layers:
            for choice in layer.labels:
                rows.append(
                    (layer.name, "label", choice.id, choice.name, choice.definition, choice.example, choice.near_miss)
                )
            for attribute in layer.attributes:
                rows.append(
                    (
                        layer.name,
                        attribute.name,
                        "",
                        attribute.kind,
                        attribute.definition,
                        attribute.example,
                        attribute.near_miss,
                    )
                )
                for choice in attribute.choices:
                    rows.append(
                        (
                            layer.name,
                            attribute.name,
                            choice.id,
                            choice.name,
                            choice.definition,
                            choice.example,
                            choice.near_miss,
                        )
                    )
        columns = ["layer", "field", "value", "name", "definition", "example", "near_miss"]
        return pd.DataFrame(rows, columns=columns).astype("string")


def _choices(spec: Mapping[str, Any], where: str) -> tuple[Choice, ...]:
    if not isinstance(spec, Mapping) or not spec:
        msg = f"{where} needs at least one choice, written as an object of id: {{name, definition, ...}}."
        raise SchemeError(msg)
    choices = []
    for choice_id, info in spec.items():
        if not isinstance(info, Mapping) or not info.get("definition"):
            msg = f"{where}: {choice_id!r} needs a definition, in words a student can follow."
            raise SchemeError(msg)
        choices.append(
            Choice(
                choice_id,
                str(info.get("name", choice_id)),
                str(info["definition"]),
                str(info.get("example", "")),
                str(info.get("near_miss", "")),
            )
        )
    return tuple(choices)


def _layer(name: str, spec: Mapping[str, Any]) -> Layer:
    if name not in LAYERS:
        msg = f"The scheme has a layer {name!r}; annotkit's layers are: {', '.join(LAYERS)}. Rename or remove it."
        raise SchemeError(msg)
    if not isinstance(spec, Mapping):
        msg = f'Layer {name!r} should be an object ({{"kind": ..., "labels": ...}}), not {type(spec).__name__}.'
        raise SchemeError(msg)
    kind = spec.get("kind")
    if kind not in LAYER_KINDS:
        msg = f"Layer {name!r} has kind {kind!r}; it must be one of: {', '.join(LAYER_KINDS)}."
        raise SchemeError(msg)
    labels = _choices(spec.get("labels", {}), f"Layer {name!r} labels")
    if len(labels) > 1:
        _require_other_and_unsure(labels, f"Layer {name!r} labels")
    attributes = []
    for attribute_name, info in spec.get("attributes", {}).items():
        where = f"Attribute {attribute_name!r} of layer {name!r}"
        if attribute_name in RESERVED_NAMES:
            msg = (
                f"{where}: {attribute_name!r} is already a column of every annotation. Give the attribute another name."
            )
            raise SchemeError(msg)
        if not _NAME.fullmatch(attribute_name):
            msg = (
                f"{where}: an attribute's name is its column name, so use lower-case letters, digits and _ only, "
                "starting with a letter (for example: speaker_gender)."
            )
            raise SchemeError(msg)
        if not isinstance(info, Mapping):
            msg = f'{where} should be an object ({{"kind": ..., "definition": ...}}), not {type(info).__name__}.'
            raise SchemeError(msg)
        attribute_kind = info.get("kind")
        if attribute_kind not in ATTRIBUTE_KINDS:
            msg = f"{where} has kind {attribute_kind!r}; it must be one of: {', '.join(ATTRIBUTE_KINDS)}."
            raise SchemeError(msg)
        choices = _choices(info.get("values"), where) if attribute_kind == "choice" else ()
        if choices:
            _require_other_and_unsure(choices, where)
        attributes.append(
            Attribute(
                attribute_name,
                attribute_kind,
                str(info.get("definition", "")),
                str(info.get("example", "")),
                str(info.get("near_miss", "")),
                bool(info.get("required", False)),
                choices,
            )
        )
    crosses = spec.get("crosses_paragraphs", False)
    if not isinstance(crosses, bool):
        msg = f"Layer {name!r}: crosses_paragraphs must be true or false, not {crosses!r}."
        raise SchemeError(msg)
    return Layer(name, kind, str(spec.get("definition", "")), labels, tuple(attributes), crosses)


def _require_other_and_unsure(choices: tuple[Choice, ...], where: str) -> None:
    missing = [value for value in ALWAYS_ALLOWED if value not in {c.id for c in choices}]
    if missing:
        msg = f"{where} must include {' and '.join(missing)}: students may always say other or unsure."
        raise SchemeError(msg)


def _course_scheme() -> Path:
    """The course folder's scheme (a teacher's edits count there), else the one that ships with annotkit."""
    from ._data import course_data_folders, data_path

    for folder in course_data_folders():
        candidate = folder / "schemes" / "default.json"
        if candidate.is_file():
            return candidate
    return data_path("schemes", "default.json")


def load_scheme(path: str | Path | None = None) -> Scheme:
    """Load an annotation scheme from a JSON file (default: the course's ``data/schemes/default.json``).

    Parameters
    ----------
    path
        A scheme file; copy the default one to make your own. Default: the course folder's
        ``data/schemes/default.json`` (found from the working folder, or ``$ANNOTKIT_COURSE``), else the one
        that ships with annotkit.

    Returns
    -------
    Scheme

    Raises
    ------
    SchemeError
        For a missing or malformed file, with what to fix.

    >>> load_scheme().central_questions["voa-2021-07-26-us-combat-mission-iraq"]
    'Should U.S. troops stay in Iraq?'
    """
    path = Path(path) if path is not None else _course_scheme()
    if not path.is_file():
        msg = f"No scheme file at '{path}'. Copy data/schemes/default.json and edit the copy."
        raise SchemeError(msg)
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"The scheme file {path.name} is not valid JSON: {error}. Check commas and quotation marks there."
        raise SchemeError(msg) from None
    if not isinstance(spec, Mapping) or not isinstance(spec.get("layers"), Mapping) or not spec["layers"]:
        msg = f'The scheme file {path.name} needs a "layers" object with at least one layer.'
        raise SchemeError(msg)
    questions = spec.get("central_questions", {})
    if not isinstance(questions, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in questions.items()
    ):
        msg = (
            f'The scheme file {path.name}: "central_questions" must map each article\'s name to its question, '
            'for example {"my-article": "Should the town build the bridge?"}.'
        )
        raise SchemeError(msg)
    layers = tuple(_layer(name, layer) for name, layer in spec["layers"].items())
    return Scheme(
        name=str(spec.get("scheme", path.stem)),
        version=str(spec.get("version", "0")),
        description=str(spec.get("description", "")),
        layers=layers,
        central_questions=dict(questions),
        source=str(path),
    )


@functools.lru_cache(maxsize=1)
def default_scheme() -> Scheme:
    """The course's scheme, read once per process (``load_scheme()`` reads the file every time)."""
    return load_scheme()
