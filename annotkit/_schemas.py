"""JSON Schemas for the files annotkit reads from people it cannot trust (submissions, answer keys).

The schema files in ``annotkit/schemas/`` are the one statement of what such a file may hold. Two engines read
them: ``fastjsonschema`` compiles a schema into plain Python, fast enough to check a class of a thousand files;
``jsonschema`` explains a failure in words, and is asked only when a file fails.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

__all__ = ["describe", "first_problem", "is_valid", "schema"]

_FOLDER = Path(__file__).parent / "schemas"


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The schema ``annotkit/schemas/<name>.schema.json``."""
    loaded: dict[str, Any] = json.loads((_FOLDER / f"{name}.schema.json").read_text(encoding="utf-8"))
    return loaded


@functools.cache
def _fast(name: str) -> Callable[[Any], Any]:
    import fastjsonschema

    return fastjsonschema.compile(schema(name))


@functools.cache
def _explaining(name: str) -> jsonschema.protocols.Validator:
    import jsonschema

    validator_class = jsonschema.validators.validator_for(schema(name))
    return validator_class(schema(name))


def is_valid(name: str, instance: Any) -> bool:
    """Whether ``instance`` fits the schema (fast)."""
    import fastjsonschema

    try:
        _fast(name)(instance)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


_ITEMS = {"articles": "article", "annotations": "annotation", "reflections": "reflection"}
_KINDS = {"string": "text", "null": "empty", "integer": "a whole number", "number": "a number", "array": "a list",
          "object": "an object ({...})", "boolean": "true or false"}  # fmt: skip


def describe(path: Iterable[Any], *, item: str = "annotation") -> str:
    """Where in a file a problem is, in words: ``article 1, annotation 3, field "label"``."""
    words: list[str] = []
    previous: Any = None
    for part in path:
        if isinstance(part, int):
            words.append(f"{item if previous == 'annotations' else _ITEMS.get(previous, item)} {part + 1}")
        elif part not in _ITEMS:
            words.append(f'field "{part}"')
        previous = part
    return ", ".join(words) or "the file"


def first_problem(name: str, instance: Any, *, item: str = "annotation") -> str | None:
    """What is wrong with ``instance``, the most relevant problem first, or None if nothing is."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_explaining(name).iter_errors(instance))
    if error is None:
        return None
    where = describe(error.absolute_path, item=item)
    return f"{where}: {_plain(error)}"


def _plain(error: ValidationError) -> str:
    """Jsonschema's message, made shorter for a reader who never heard of JSON Schema."""
    if error.validator == "required":
        return str(error.message).replace(" is a required property", " is missing")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        where = error.schema if isinstance(error.schema, Mapping) else {}  # the object's schema, never a bool
        patterns = where.get("patternProperties", {})
        extra = [
            k for k in error.instance
            if k not in where.get("properties", {}) and not any(re.search(p, k) for p in patterns)
        ]  # fmt: skip
        return f"fields annotkit does not know: {', '.join(map(repr, extra))}"[:300]
    if error.validator == "enum" and isinstance(error.validator_value, list):
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        kinds = " or ".join(_KINDS.get(str(k), str(k)) for k in expected)
        return f"should be {kinds}, not {json.dumps(error.instance)[:60]}"
    if error.validator == "const":
        return f"should be {json.dumps(error.validator_value)}, not {json.dumps(error.instance)[:60]}"
    return str(error.message)[:300]
