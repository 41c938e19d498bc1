"""A tool's configuration made from the scheme, so a teacher imports annotkit's export and sees the right controls.

Label Studio gets a labeling config (XML) whose control names are exactly the ``from_name`` values that
``annotkit.formats.labelstudio_format`` writes; brat gets ``annotation.conf`` and ``visual.conf`` with the tags,
the ``said_by`` relation and every choice attribute with its values, as ``brat_format`` writes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from ..errors import FormatError
from ._rows import label_tag, write_text

if TYPE_CHECKING:
    from ..scheme import Attribute, Scheme

__all__ = ["CONFIG_FORMATS", "brat_configs", "export_config", "labelstudio_config"]

#: The tools ``export_config`` writes a configuration for.
CONFIG_FORMATS = ("labelstudio", "brat")

#: Region colours: one per actor label, in order, then claims and perspectives (readable under black text).
_ACTOR_COLOURS = ("#ffd8a8", "#b2f2bb", "#a5d8ff", "#ffc9c9", "#d0bfff", "#99e9f2", "#ffec99", "#fcc2d7")
_CLAIM_COLOUR, _PERSPECTIVE_COLOUR, _GREY = "#74c0fc", "#e599f7", "#dee2e6"


def _colour(layer: str, label: str, number: int) -> str:
    if label in ("other", "unsure"):
        return _GREY
    if layer == "claim":
        return _CLAIM_COLOUR
    return _ACTOR_COLOURS[number % len(_ACTOR_COLOURS)]


def _attributes(scheme: Scheme) -> list[tuple[Attribute, list[str]]]:
    """Each attribute once (the first layer's definition), with the layers that have it."""
    seen: dict[str, tuple[Attribute, list[str]]] = {}
    for layer in scheme.layers:
        for attribute in layer.attributes:
            seen.setdefault(attribute.name, (attribute, []))[1].append(layer.name)
    return list(seen.values())


def labelstudio_config(scheme: Scheme) -> str:
    """Label Studio's labeling config (XML) for annotkit's Label Studio export of ``scheme``.

    >>> from annotkit.scheme import load_scheme
    >>> config = labelstudio_config(load_scheme())
    >>> '<Labels name="label" toName="text"' in config, '<Relation value="said_by"/>' in config
    (True, True)
    """
    from .labelstudio_format import ANNOTATOR, LABEL, NOTE, PERSPECTIVE, RESERVED, choice_attributes

    lines = ["<View>", '  <Header value="Choose a label, then select the words it tags."/>']
    lines.append(f'  <Labels name="{LABEL}" toName="text" showInline="true">')
    for layer in scheme.layers:
        if layer.kind != "span":
            continue
        for number, label in enumerate(layer.labels):
            tag = label_tag(layer.name, label.id)
            hint = f"{layer.name}: {label.name}. {label.definition}"
            colour = _colour(layer.name, label.id, number)
            lines.append(f'    <Label value={quoteattr(tag)} background="{colour}" hint={quoteattr(hint)}/>')
    lines.append("  </Labels>")
    if any(layer.name == PERSPECTIVE for layer in scheme.layers):
        hint = f"A perspective: {scheme.layer(PERSPECTIVE).definition} Put it on a mention of the actor."
        lines.append(f'  <Labels name="{PERSPECTIVE}" toName="text" showInline="true">')
        lines.append(f'    <Label value="{PERSPECTIVE}" background="{_PERSPECTIVE_COLOUR}" hint={quoteattr(hint)}/>')
        lines.append("  </Labels>")
    lines += ['  <Text name="text" value="$text"/>', "  <Relations>", '    <Relation value="said_by"/>']
    lines += ['    <Relation value="evidence"/>', "  </Relations>"]
    lines.append('  <View visibleWhen="region-selected">')
    choices = choice_attributes(scheme)
    for attribute, layers in _attributes(scheme):
        if attribute.name in RESERVED:
            msg = f"The scheme has an attribute called {attribute.name!r}, a name Label Studio's config needs."
            raise FormatError(msg)
        header = f"{' and '.join(layers)}: {attribute.name.replace('_', ' ')}. {attribute.definition}".strip()
        lines.append(f'    <Header value={quoteattr(header)} size="6"/>')
        name = quoteattr(attribute.name)
        if attribute.name in choices:
            lines.append(f'    <Choices name={name} toName="text" perRegion="true" choice="single-radio">')
            lines += [
                f"      <Choice value={quoteattr(c.id)} hint={quoteattr(c.definition)}/>" for c in attribute.choices
            ]
            lines.append("    </Choices>")
        else:
            lines.append(
                f'    <TextArea name={name} toName="text" perRegion="true" editable="true" maxSubmissions="1"/>'
            )
    lines.append('    <Header value="note: why you tagged it so (your own words)" size="6"/>')
    lines.append(f'    <TextArea name="{NOTE}" toName="text" perRegion="true" editable="true" maxSubmissions="1"/>')
    lines.append("  </View>")
    lines.append('  <Header value="Student (annotkit keeps each student\'s work apart by this name)" size="6"/>')
    lines.append(f'  <TextArea name="{ANNOTATOR}" toName="text" editable="true" maxSubmissions="1"/>')
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def brat_configs(scheme: Scheme) -> dict[str, str]:
    r"""Brat's ``annotation.conf`` and ``visual.conf`` for annotkit's brat export of ``scheme``.

    >>> from annotkit.scheme import load_scheme
    >>> configs = brat_configs(load_scheme())
    >>> sorted(configs), "said_by\tArg1:claim|claim-other|claim-unsure" in configs["annotation.conf"]
    (['annotation.conf', 'visual.conf'], True)
    """
    spans = [layer for layer in scheme.layers if layer.kind == "span"]
    tags = {layer.name: [label_tag(layer.name, label.id) for label in layer.labels] for layer in spans}
    entities = [tag for layer in spans for tag in tags[layer.name]]
    conf = ["# annotkit: made from the scheme " + f"{scheme.name} {scheme.version}", "[entities]", *entities]
    conf += ["", "[relations]"]
    if "claim" in tags and "actor" in tags:
        conf.append(f"said_by\tArg1:{'|'.join(tags['claim'])}, Arg2:{'|'.join(tags['actor'])}")
    conf += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "", "[attributes]"]
    for layer_name, attributes in ((layer.name, layer.attributes) for layer in spans):
        for attribute in attributes:
            if attribute.kind == "choice":
                values = "|".join(attribute.values)
                conf.append(f"{attribute.name}\tArg:{'|'.join(tags[layer_name])}, Value:{values}")
    # free-text attributes (entity names, speakers) take any value, which brat's config cannot list: brat
    # shows them on the span and keeps them, and its editor offers the choice attributes above
    visual = ["[labels]"]
    for layer in spans:
        for label in layer.labels:
            shown = label.name if layer.name != "claim" or label.id == "claim" else f"Claim ({label.name})"
            visual.append(f"{label_tag(layer.name, label.id)} | {shown}")
    visual += ["said_by | said by", "", "[drawing]"]
    for layer in spans:
        for number, label in enumerate(layer.labels):
            visual.append(f"{label_tag(layer.name, label.id)}\tbgColor:{_colour(layer.name, label.id, number)}")
    visual.append("said_by\tcolor:#1c7ed6, dashArray:3-3")
    return {"annotation.conf": "\n".join(conf) + "\n", "visual.conf": "\n".join(visual) + "\n"}


def export_config(
    scheme: Scheme | str | Path | None = None, format: str = "labelstudio", path: str | Path = "."
) -> Path:
    """Write a tool's configuration for ``scheme``, so a teacher imports annotkit's export and sees its controls.

    Parameters
    ----------
    scheme
        A ``Scheme``, the path of a scheme file, or None for the course's default scheme.
    format
        ``"labelstudio"`` (a labeling config: paste it into the project's *Labeling Interface* > *Code*) or
        ``"brat"`` (``annotation.conf`` and ``visual.conf``, for the folder that holds the ``.ann`` files).
    path
        For Label Studio the file to write (a folder gets ``labelstudio-config.xml`` inside it); for brat the
        folder to write the two files into (made if needed).

    Returns
    -------
    Path
        The file written (Label Studio) or the folder (brat).

    Raises
    ------
    FormatError
        For a format without a configuration, or a brat folder that already holds different configuration
        files (they are never overwritten).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> export_config(format="labelstudio", path=folder).name
    'labelstudio-config.xml'
    >>> sorted(p.name for p in export_config(format="brat", path=folder / "brat").iterdir())
    ['annotation.conf', 'visual.conf']
    """
    from ._api import resolve_scheme

    if format not in CONFIG_FORMATS:
        msg = f"format={format!r} has no configuration to write. Use one of: {', '.join(CONFIG_FORMATS)}."
        raise FormatError(msg)
    chosen = resolve_scheme(scheme)
    target = Path(path)
    if format == "labelstudio":
        if target.is_dir():
            target = target / "labelstudio-config.xml"
        write_text(target, labelstudio_config(chosen))
        return target
    configs = brat_configs(chosen)
    clashes = [n for n, text in configs.items() if (target / n).exists() and (target / n).read_text("utf-8") != text]
    if clashes:
        msg = (
            f"{target} already has its own {' and '.join(clashes)}; annotkit never overwrites a file you did not "
            "name. Move them away, or write the configuration to another folder."
        )
        raise FormatError(msg)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in configs.items():
        write_text(target / name, text)
    return target
