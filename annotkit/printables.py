"""Printables for the classroom: the numbered article, a scheme card, the answer sheet with notes, an exit ticket.

Each is one self-contained HTML page with print styles (A4 and Letter, page breaks where they help, no
colours that vanish in black and white): open it in a browser and print, or *Save as PDF*. Every piece of text
from an article, a scheme, a key or a rubric is escaped.

>>> import annotkit
>>> page = numbered_article_html(annotkit.load_bundled_article())
>>> page.count('class="para body"') > 10, "<script" in page
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._cells import cell_text, is_missing

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article
    from .rubric import Rubric
    from .scheme import Scheme

__all__ = [
    "PRINTABLES",
    "answer_sheet_html",
    "exit_ticket_html",
    "numbered_article_html",
    "scheme_card_html",
    "write_printables",
]

#: The printables :func:`write_printables` can write, and their file names.
PRINTABLES = {
    "article": "article.html",
    "scheme": "scheme-card.html",
    "key": "answer-sheet.html",
    "exit": "exit-ticket.html",
}

_STYLE = """
@page { size: auto; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 11.5pt/1.45 Georgia, "Times New Roman", serif; color: #000; background: #fff; max-width: 46em;
       margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 17pt; margin: 0 0 .2em; } h2 { font-size: 13.5pt; margin: 1.2em 0 .4em; break-after: avoid; }
h3 { font-size: 11.5pt; margin: .9em 0 .3em; break-after: avoid; }
.meta, .small { font-size: 9.5pt; color: #333; }
.question { border: 1.5pt solid #000; padding: .5em .8em; margin: .8em 0; }
.para { display: grid; grid-template-columns: 2.6em 1fr; column-gap: .6em; margin: 0 0 .7em; break-inside: avoid; }
.para .n { font: bold 9.5pt/1.9 Arial, sans-serif; text-align: right; }
.para.body .t { line-height: 1.9; }
.para.caption .t, .para.credit .t { font-style: italic; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; font-size: 10pt; }
th, td { border: .75pt solid #555; padding: .25em .4em; vertical-align: top; text-align: left; }
th { background: #eee; } tr { break-inside: avoid; }
.debatable { font-weight: bold; } .note { color: #222; }
.lines { border-bottom: .75pt solid #000; height: 2.1em; }
.ticket { border: 1.5pt dashed #000; padding: .8em 1em; margin: 0 0 1.2em; break-inside: avoid; }
.teacher { border: 1.5pt solid #000; padding: .3em .6em; display: inline-block; font: bold 10pt Arial, sans-serif; }
@media print { body { margin: 0; max-width: none; } a { color: #000; text-decoration: none; } }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _meta(article: Article) -> str:
    metadata = getattr(article, "metadata", None) or {}
    parts = [str(metadata.get(k)) for k in ("outlet", "date", "author") if metadata.get(k)]
    return f'<p class="meta">{escape(" · ".join(parts))}</p>' if parts else ""


def _question(article: Article, scheme: Scheme | None) -> str:
    from .scheme import load_scheme

    question = (scheme or load_scheme()).central_question(article)
    return f'<p class="question"><b>Central question:</b> {escape(question)}</p>' if question else ""


def numbered_article_html(article: Article, *, scheme: Scheme | None = None) -> str:
    """The article with its paragraphs numbered as annotkit numbers them (hints say "paragraph 7").

    Body paragraphs get wide line spacing, for underlining and notes by hand.
    """
    rows = []
    for para in article.paragraphs.itertuples(index=False):
        rows.append(
            f'<div class="para {escape(str(para.kind))}"><span class="n">{int(para.para_id)}</span>'
            f'<span class="t">{escape(str(para.text))}</span></div>'
        )
    body = f"<h1>{escape(article.title or 'Article')}</h1>\n{_meta(article)}\n{_question(article, scheme)}\n"
    return _page(article.title or "Article", body + "\n".join(rows))


def scheme_card_html(scheme: Scheme | None = None) -> str:
    """A card of the scheme: every layer, label and attribute with its definition, example and near-miss."""
    from .scheme import load_scheme

    scheme = scheme or load_scheme()
    parts = [f"<h1>How to tag: {escape(scheme.name)}</h1>", f'<p class="small">{escape(scheme.description)}</p>']
    for layer in scheme.layers:
        parts.append(f"<h2>{escape(layer.name.capitalize())}s</h2><p>{escape(layer.definition)}</p>")
        if len(layer.labels) > 1:
            parts.append(_choices_table("Label", layer.labels))
        for attribute in layer.attributes:
            parts.append(f"<h3>{escape(attribute.name.replace('_', ' '))}</h3><p>{escape(attribute.definition)}</p>")
            if attribute.choices:
                parts.append(_choices_table("Value", attribute.choices))
    return _page(f"Scheme card: {scheme.name}", "\n".join(parts))


def _choices_table(what: str, choices: Iterable[Any]) -> str:
    rows = "".join(
        f"<tr><td><b>{escape(c.name)}</b></td><td>{escape(c.definition)}</td><td>{escape(c.example)}</td>"
        f"<td>{escape(c.near_miss)}</td></tr>"
        for c in choices
    )
    header = f"<tr><th>{what}</th><th>Means</th><th>Example</th><th>Not to be confused with</th></tr>"
    return f"<table>{header}{rows}</table>"


def _star(row: dict[str, Any]) -> str:
    """The debatable mark of a key item."""
    value = row.get("debatable")
    return "★ " if not is_missing(value) and bool(value) else ""


def answer_sheet_html(article: Article, key: pd.DataFrame, *, scheme: Scheme | None = None) -> str:
    """The teacher's answer sheet: the key's items paragraph by paragraph, debatable ones marked, with notes."""
    paragraphs = article.paragraphs
    parts = [
        '<p class="teacher">Teacher\'s copy: not for students</p>',
        f"<h1>Answer sheet: {escape(article.title or 'Article')}</h1>",
        _question(article, scheme),
        '<p class="small">★ debatable: reasonable readers differ; not held against a student who reads it '
        "another way.</p>",
    ]
    spans = key[key["layer"] != "perspective"].copy()
    if len(spans):
        starts = paragraphs["start"].to_numpy()
        spans["para"] = [int(paragraphs["para_id"].iloc[max(0, (starts <= s).sum() - 1)]) for s in spans["start"]]
        for layer in ("actor", "claim"):
            rows = spans[spans["layer"] == layer].sort_values("start")
            if rows.empty:
                continue
            detail = ["entity", "affiliation"] if layer == "actor" else ["said_by", "form", "claim_type"]
            detail = [c for c in detail if c in rows]
            header = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in detail)
            body = "".join(
                f"<tr><td>{r['para']}</td><td>{_star(r)}{escape(cell_text(r['text']))}</td>"
                f"<td>{escape(cell_text(r['label']))}</td>"
                + "".join(f"<td>{escape(cell_text(r[c]))}</td>" for c in detail)
                + f'<td class="note">{escape(cell_text(r.get("note")))}</td></tr>'
                for r in rows.to_dict("records")
            )
            parts.append(
                f"<h2>{layer.capitalize()}s ({len(rows)})</h2><table><tr><th>¶</th><th>Words</th><th>Label</th>"
                f"{header}<th>Note</th></tr>{body}</table>"
            )
    stances = key[key["layer"] == "perspective"]
    if len(stances):
        body = "".join(
            f"<tr><td>{_star(r)}{escape(cell_text(r.get('entity')))}</td>"
            f"<td>{escape(cell_text(r.get('stance')))}</td><td>{escape(cell_text(r.get('frame')))}</td>"
            f'<td class="note">{escape(cell_text(r.get("rationale")) or cell_text(r.get("note")))}</td></tr>'
            for r in stances.to_dict("records")
        )
        parts.append(
            f"<h2>Perspectives ({len(stances)})</h2><table><tr><th>Actor</th><th>Stance</th><th>Frame</th>"
            f"<th>Why</th></tr>{body}</table>"
        )
    return _page(f"Answer sheet: {article.title}", "\n".join(p for p in parts if p))


def exit_ticket_html(
    article: Article, *, questions: Iterable[str] | None = None, rubric: Rubric | None = None, copies: int = 2
) -> str:
    """An exit ticket: the article's title and a few questions with lines to write on, ``copies`` to a page.

    The questions come from the rubric's ``exit_ticket`` list unless given.
    """
    from .rubric import load_rubric

    asked = list(questions) if questions is not None else list((rubric or load_rubric()).exit_ticket)
    lines = '<div class="lines"></div>' * 3
    ticket = (
        '<div class="ticket"><p><b>Exit ticket</b> · Name: ____________________ · Date: __________</p>'
        f'<p class="small">{escape(article.title or "")}</p>'
        + "".join(f"<p>{i}. {escape(q)}</p>{lines}" for i, q in enumerate(asked, 1))
        + "</div>"
    )
    return _page(f"Exit ticket: {article.title}", ticket * max(1, copies))


def write_printables(
    folder: str | Path,
    article: Article,
    *,
    key: pd.DataFrame | None = None,
    scheme: Scheme | None = None,
    rubric: Rubric | None = None,
    which: Iterable[str] = tuple(PRINTABLES),
) -> dict[str, Path]:
    """Write the printables (HTML files) into a folder; the answer sheet only when there is a key.

    Returns
    -------
    dict
        ``{"article": path, ...}`` for each file written.

    >>> import annotkit, tempfile
    >>> written = write_printables(tempfile.mkdtemp(), annotkit.load_bundled_article(), which=["article", "exit"])
    >>> sorted(p.name for p in written.values())
    ['article.html', 'exit-ticket.html']
    """
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    chosen = list(which)
    unknown = [w for w in chosen if w not in PRINTABLES]
    if unknown:
        from .errors import AnnotkitError

        msg = f"No printable called {', '.join(unknown)}. Choose from: {', '.join(PRINTABLES)}."
        raise AnnotkitError(msg)
    pages: dict[str, Callable[[], str | None]] = {
        "article": lambda: numbered_article_html(article, scheme=scheme),
        "scheme": lambda: scheme_card_html(scheme),
        "key": lambda: answer_sheet_html(article, key, scheme=scheme) if key is not None else None,
        "exit": lambda: exit_ticket_html(article, rubric=rubric),
    }
    written = {}
    for name in chosen:
        page = pages[name]()
        if page is None:
            continue
        path = folder / PRINTABLES[name]
        path.write_text(page, encoding="utf-8")
        written[name] = path
    return written
