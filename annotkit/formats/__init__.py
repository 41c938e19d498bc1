"""Annotations in and out of other tools: CSV, JSON Lines, W3C Web Annotation, brat, Label Studio, doccano.

Each format lives in its own module (``csv_format``, ``jsonl_format``, ``w3c_format``, ``brat_format``,
``labelstudio_format``, ``doccano_format``), whose docstring says how annotkit's annotations are encoded in it
and what the format keeps and loses.
"""

from ._api import FORMATS, export, import_annotations
from ._config import CONFIG_FORMATS, export_config

__all__ = ["CONFIG_FORMATS", "FORMATS", "export", "export_config", "import_annotations"]
