"""A synthetic class for the scale benchmarks: submissions written straight to disk, as students would hand in."""

from __future__ import annotations

import random
from pathlib import Path

import annotkit
from annotkit.submissions import FORMAT, FORMAT_VERSION, seal


def write_class(folder: Path, *, students: int, per_student: int, seed: int = 0) -> annotkit.Article:
    """Write one submission per student: a sample of the key's spans, some with shifted boundaries."""
    rng = random.Random(seed)
    article = annotkit.load_bundled_article()
    key = annotkit.answer_key(article)
    spans = key[key["layer"] != "perspective"].to_dict(orient="records")
    words = article.tokens[article.tokens["is_word"]]
    starts, ends = words["start"].tolist(), words["end"].tolist()
    digest = article.text_sha256
    attributes = annotkit.load_scheme().attribute_names
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(students):
        rows = []
        for i, item in enumerate(rng.sample(spans, min(per_student, len(spans)))):
            start, end = int(item["start"]), int(item["end"])
            if rng.random() < 0.2:  # a boundary error: one word more at the end
                end = next((e for e in ends if e > end), end)
            if rng.random() < 0.1:  # a word less at the start, where the span has more than one
                start = next((s for s in starts if start < s < end), start)
            row = {
                k: v
                for k, v in item.items()
                if isinstance(v, (str, int)) and k not in ("debatable", "note", "article_id", "annotator")
            }
            row.update(
                annotation_id=f"s{n}-{i}",
                start=start,
                end=end,
                text=article.text[start:end],
                created="2026-11-23T10:00:00",
                modified="2026-11-23T10:00:00",
            )
            rows.append(row)
        payload = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "annotator": f"student-{n:04d}",
            "student_name": f"Student {n}",
            "exported": "2026-11-23T10:00:00.000Z",
            "draft": False,
            "scheme": {"name": "annotkit-default", "version": "1.0", "attributes": list(attributes)},
            "articles": [
                {"article_id": article.article_id, "title": article.title, "text_sha256": digest, "annotations": rows}
            ],
        }
        (folder / f"student-{n:04d}.json").write_bytes(seal(payload))
    return article
