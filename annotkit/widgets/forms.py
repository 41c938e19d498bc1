"""The forms of the widgets, read from the scheme: which fields a tag has, and the words the status line says.

Nothing here names a label or a value: a teacher's own attribute in a copy of the scheme gets its own field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..records import JOURNALIST

if TYPE_CHECKING:
    from ..scheme import Attribute, Layer

__all__ = ["NOTE_FIELD", "attribute_title", "choice_field", "form_fields"]

#: Every tag has a note: the student's own words on why they tagged it so.
NOTE_FIELD = {
    "name": "note",
    "kind": "note",
    "title": "Note",
    "help": "Your own note on this tag: why you tagged it so, or what you were unsure about.",
    "placeholder": "Why? (your teacher sees your notes)",
    "required": False,
}
_TITLES = {"entity": "Who is it?", "said_by": "Said by"}


def attribute_title(attribute: Attribute) -> str:
    """The field's title: ``"claim_type"`` is "Claim type".

    >>> from annotkit import load_scheme
    >>> attribute_title(load_scheme().layer("claim").attribute("claim_type"))
    'Claim type'
    """
    return _TITLES.get(attribute.name) or attribute.name.replace("_", " ").capitalize()


def choice_field(attribute: Attribute) -> dict[str, Any]:
    """A choice attribute as the browser draws it: its choices, with their definitions as help."""
    return {
        "name": attribute.name,
        "kind": "choice",
        "title": attribute_title(attribute),
        "help": attribute.definition,
        "required": attribute.required,
        "choices": [{"id": c.id, "name": c.name, "help": c.definition} for c in attribute.choices],
    }


def form_fields(layer: Layer) -> list[dict[str, Any]]:
    """The fields of a span layer's form, in scheme order, then the note.

    Choice attributes become a row of choices; an actor's ``entity`` a box suggesting the actors already tagged;
    an ``entity`` attribute (a claim's ``said_by``) a choice of the actors tagged and the journalist; a text
    attribute a text box. A ``claims`` attribute (claim ids) belongs to perspectives and is not shown here.

    >>> from annotkit import load_scheme
    >>> [(f["name"], f["kind"]) for f in form_fields(load_scheme().layer("claim"))]
    [('said_by', 'speaker'), ('form', 'choice'), ('claim_type', 'choice'), ('checkable', 'choice'), ('note', 'note')]
    """
    fields: list[dict[str, Any]] = []
    for attribute in layer.attributes:
        base = {
            "name": attribute.name,
            "title": attribute_title(attribute),
            "help": attribute.definition,
            "required": attribute.required,
        }
        if attribute.kind == "choice":
            fields.append(choice_field(attribute))
        elif attribute.kind == "entity":
            fields.append(
                {
                    **base,
                    "kind": "speaker",
                    "fixed": [JOURNALIST],
                    "placeholder": "Type a name, or ↓ for your actors",
                    "hint": f"Choose one of your actors from the list, or {JOURNALIST} for the writer's own words.",
                }
            )
        elif attribute.kind == "text" and layer.name == "actor" and attribute.name == "entity":
            fields.append({**base, "kind": "suggest", "placeholder": "e.g. Joe Biden (↓ for actors you tagged)"})
        elif attribute.kind == "text":
            fields.append({**base, "kind": "text", "placeholder": ""})
    return [*fields, NOTE_FIELD]
