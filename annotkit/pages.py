"""Saved web pages: the article's main text, its headline, captions and credits, and its metadata.

And a plain word when the page is not an article at all.

Which parts of a page are the article is trafilatura's decision (it is the best-kept open extractor, and the
anchor annotkit is measured against). trafilatura returns the main text but not what annotkit's paragraph kinds
need, so the page is also read here, block by block (a paragraph, a heading, a caption), in order: a block is
kept when trafilatura kept its words, and the article's frame that trafilatura leaves out (the ``<h1>``, photo
captions and the byline between the headline and the end of the text) is put back with its kind. A page
trafilatura finds nothing in (a fragment, a hand-made page) is read by annotkit's own rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ArticleError

__all__ = ["Page", "read_page"]

# Elements whose content is never article text (code, controls, embedded media).
_SKIP = frozenset(
    """script style noscript template svg iframe button select textarea object canvas dialog head title input
    option datalist math video audio map""".split()
)
# Page furniture: kept out of the article whatever an extractor says.
_FURNITURE = frozenset("nav footer aside menu".split())
_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li figcaption blockquote pre dt dd td th caption".split())
_BREAKS = frozenset("div section article main figure ul ol dl table tr body header hr address form fieldset".split())
_LINE_BREAKS = frozenset(("br",))
# Regions whose words are told apart from the rest (furniture, page header, a story): each starts a block.
_REGIONS = _FURNITURE | {"header", "article"}


@dataclass(frozen=True)
class _Block:
    text: str
    tag: str
    in_article: int  # which <article> element it stands in, counting from 1; 0 outside any
    in_header: bool
    in_furniture: bool
    linked: bool  # every word is inside a link: a teaser, a menu entry, a "related" item


@dataclass(frozen=True)
class Page:
    """What a web page gave: its blocks in order (``(kind hint, text)``), its metadata, and doubts about it.

    Attributes
    ----------
    blocks
        ``(hint, text)`` for each kept block; hint is ``"headline"``, ``"caption"`` or ``"body"``.
    metadata
        Facts found in the page: ``title``, ``outlet`` (the site's name), ``published`` (a date),
        ``contributors`` (a list of names), ``url``; only those the page gives.
    doubts
        Sentences saying why the page may not be one article (a home page, a paywall teaser ...), for a warning.
    """

    blocks: tuple[tuple[str, str], ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    doubts: tuple[str, ...] = ()


# --- reading blocks ------------------------------------------------------------------------------------------


def _hidden(element: Any) -> bool:
    attrib = element.attrib
    if "hidden" in attrib or attrib.get("aria-hidden") == "true":
        return True
    style = attrib.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def _collect_blocks(tree: Any) -> list[_Block]:
    """Every visible block of text, in document order, with where it stood (article, header, furniture)."""
    from lxml import etree

    blocks: list[_Block] = []
    buffer: list[str] = []
    linked: list[bool] = []
    state: dict[str, Any] = {
        "tag": "div",
        "article": 0,
        "articles": 0,
        "current": 0,
        "header": 0,
        "furniture": 0,
        "link": 0,
    }

    def add(text: str | None) -> None:
        if text:
            buffer.append(text)
            if text.strip():
                linked.append(state["link"] > 0)

    def flush() -> None:
        text = " ".join(" ".join(buffer).split())
        if text:
            blocks.append(
                _Block(
                    text,
                    str(state["tag"]),
                    state["current"] if state["article"] else 0,
                    state["header"] > 0,
                    state["furniture"] > 0,
                    bool(linked) and all(linked),
                )
            )
        buffer.clear()
        linked.clear()
        state["tag"] = "div"

    # Comments are not walked, and their tails would be lost with them: "his doctor<!-- --> assumed".
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if not tag or tag in _SKIP or _hidden(element):
                walker.skip_subtree()  # no "end" comes for a skipped element: its tail is read here
                if tag in _LINE_BREAKS or tag == "hr":
                    buffer.append(" ")
                add(element.tail)
                continue
            if tag in _LINE_BREAKS:
                buffer.append(" ")
                continue
            if tag in _BLOCKS or tag in _BREAKS or tag in _REGIONS:
                flush()
                if tag in _BLOCKS:
                    state["tag"] = tag
            if tag == "article":
                if not state["article"]:
                    state["articles"] += 1
                    state["current"] = state["articles"]
                state["article"] += 1
            elif tag == "header":
                state["header"] += 1
            elif tag in _FURNITURE:
                state["furniture"] += 1
            elif tag == "a":
                state["link"] += 1
            add(element.text)
        else:
            if tag in _LINE_BREAKS:
                add(element.tail)
                continue
            if tag in _BLOCKS or tag in _BREAKS or tag in _REGIONS:
                flush()  # before leaving a region, so its words are counted as standing in it
            if tag == "article":
                state["article"] -= 1
            elif tag == "header":
                state["header"] -= 1
            elif tag in _FURNITURE:
                state["furniture"] -= 1
            elif tag == "a":
                state["link"] -= 1
            add(element.tail)
    flush()
    return blocks


# --- what trafilatura keeps ----------------------------------------------------------------------------------

_WORDS = re.compile(r"\w+")


def _main_text(tree: Any) -> str | None:
    """The page's main text as trafilatura extracts it (comments left out), or None when it finds none."""
    import trafilatura

    document = trafilatura.bare_extraction(tree, include_comments=False, include_tables=True)
    text = getattr(document, "text", None) if document is not None else None
    return " ".join(text.split()) if text else None


def _kept_by(main: str, main_trigrams: set[tuple[str, ...]], text: str) -> bool:
    if text in main:
        return True
    words = _WORDS.findall(text.lower())
    if len(words) < 3:
        return False
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return sum(t in main_trigrams for t in trigrams) >= 0.6 * len(trigrams)


# --- metadata --------------------------------------------------------------------------------------------------

_META = {
    "title": ("og:title", "twitter:title", "dc.title", "headline"),
    "outlet": ("og:site_name", "application-name", "twitter:site"),
    "published": (
        "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
        "publish-date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
        "article.published", "published_time",
    ),
    "contributors": ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"),
    "url": ("og:url",),
}  # fmt: skip
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _meta_tags(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = " ".join((meta.get("content") or "").split())
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return items


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() and "://" not in value else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _date(value: str) -> str | None:
    match = _ISO_DATE.search(value)
    return "-".join(match.groups()) if match else None


def _metadata(tree: Any, title: str) -> dict[str, Any]:
    """Title, outlet, date, authors and address from the page's ``<meta>`` tags and JSON-LD."""
    meta = _meta_tags(tree)
    found: dict[str, Any] = {}
    for key, names in _META.items():
        for name in names:
            if meta.get(name):
                found[key] = meta[name]
                break
    for item in _json_ld(tree):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and k.endswith(("Article", "Posting", "Report")) for k in kinds):
            continue
        if "title" not in found and isinstance(item.get("headline"), str):
            found["title"] = " ".join(item["headline"].split())
        if "published" not in found and isinstance(item.get("datePublished"), str):
            found["published"] = item["datePublished"]
        if "contributors" not in found and _names(item.get("author")):
            found["contributors"] = _names(item.get("author"))
        if "outlet" not in found and _names(item.get("publisher")):
            found["outlet"] = _names(item.get("publisher"))[0]
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            found.setdefault("url", link.get("href"))
            break
    if "published" in found:
        date = _date(str(found["published"]))
        if date:
            found["published"] = date
        else:
            del found["published"]
    if isinstance(found.get("contributors"), str):
        author = re.sub(r"^by\s+", "", found["contributors"], flags=re.IGNORECASE)
        found["contributors"] = [a.strip() for a in re.split(r"\s*(?:,|\band\b|&)\s*", author) if a.strip()]
    if "outlet" not in found and title:
        head, sep, tail = _split_title(title)
        if sep and head:
            found["outlet"] = tail
    return found


def _split_title(title: str) -> tuple[str, str, str]:
    """``"Storm hits coast | The Daily Planet"`` -> ``("Storm hits coast", " | ", "The Daily Planet")``."""
    head, sep, tail = max(title.rpartition(" | "), title.rpartition(" - "), key=lambda p: len(p[0]))
    if sep and head and len(tail.split()) <= 4:
        return head, sep, tail
    return title, "", ""


# --- is it an article? -----------------------------------------------------------------------------------------

_FEED = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL | re.IGNORECASE)
_ERROR_TITLE = re.compile(
    r"\b(?:40[0134]|410|50[0234])\b|\bpage not found\b|\bnot found\b|\baccess denied\b|\bforbidden\b"
    r"|\bpage (?:is )?unavailable\b|\bsomething went wrong\b|\berror\b",
    re.IGNORECASE,
)
_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|keep) reading|to continue reading|continue reading with|"
    r"already a subscriber|this (?:article|story|content) is (?:only )?(?:available|reserved|exclusive) (?:to|for)"
    r" (?:subscribers|members)|subscribers? only|for subscribers|create a free account to (?:continue|read)|"
    r"log ?in to (?:continue|read)|sign in to (?:continue|read)|you have reached your (?:free )?(?:article )?limit|"
    r"unlock this article|start your (?:free )?trial)\b",
    re.IGNORECASE,
)


def _word_count(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)


def _doubts(blocks: list[_Block], kept: list[str], title: str, meta: dict[str, str], source: str) -> list[str]:
    words = _word_count(kept)
    visible = _word_count([b.text for b in blocks])
    doubts = []
    teasers = sum(1 for b in blocks if b.linked and b.tag in ("h2", "h3", "h4") and len(b.text.split()) >= 4)
    if teasers >= 8 and words < 40 * teasers:
        doubts.append(
            f"{source} looks like a home page or a section front (a list of {teasers} stories), not one article. "
            "Open the story you want and save that page."
        )
    if any(_PAYWALL.search(b.text) for b in blocks if len(b.text) < 300) and words < 350:
        doubts.append(
            f"{source} looks like the start of an article behind a paywall: only {words} words could be read. "
            "Log in, open the whole article and save the page again."
        )
    if not doubts and words < 150 and visible > 5 * max(words, 1) and visible > 300:
        doubts.append(
            f"annotkit kept only {words} of the {visible} words on {source} as the article; the rest looked like "
            "menus, links and other parts of the page. Check the text: if the article is longer, copy it into a "
            ".txt file."
        )
    return doubts


def _refuse_if_not_an_article(text: str, source: str) -> None:
    if _FEED.match(text[:2000]):
        msg = (
            f"{source} is a news feed (RSS or Atom): a list of stories, not one article. "
            "Open one story in your browser and save that page."
        )
        raise ArticleError(msg)


# --- the page ------------------------------------------------------------------------------------------------


def read_page(text: str, *, source: str = "The page") -> Page:
    """Read a saved web page into paragraph blocks with kind hints, metadata and doubts.

    Parameters
    ----------
    text
        The page's HTML, decoded.
    source
        The file's name, for messages.

    >>> page = read_page("<title>Storm | Daily Planet</title><h1>Storm Hits</h1><p>Rain fell all week.</p>")
    >>> page.blocks, page.metadata["outlet"]
    ((('headline', 'Storm Hits'), ('body', 'Rain fell all week.')), 'Daily Planet')
    """
    _refuse_if_not_an_article(text, source)
    tree = _parse(text)
    if tree is None:
        msg = f"{source} has no web page in it that annotkit can read. Save the article's page again as .html."
        raise ArticleError(msg)
    title_element = tree.find(".//title")
    title = " ".join((title_element.text_content() if title_element is not None else "").split())
    blocks = _collect_blocks(tree)
    metadata = _metadata(tree, title)
    candidates = [b for b in blocks if not b.in_furniture and not (b.in_header and b.tag != "h1")]
    main = _main_text(tree) if candidates else None
    chosen = _choose_with(main, candidates) if main else _choose_by_rules(candidates)
    hinted = _hints(chosen, title)
    body = [text for hint, text in hinted if hint == "body"]
    headline = next((text for hint, text in hinted if hint == "headline"), None)
    error_page = bool(_ERROR_TITLE.search(headline or title)) and _word_count(body) < 150
    if error_page:
        msg = (
            f"{source} looks like an error page ({(headline or title)[:80]!r}), not an article. "
            "Open the article in your browser, check that it shows, and save the page again."
        )
        raise ArticleError(msg)
    if headline:
        metadata.setdefault("title", headline)
    return Page(tuple(hinted), metadata, tuple(_doubts(blocks, body, title, {}, source)))


def _parse(text: str) -> Any:
    from lxml import etree
    from lxml import html as lxml_html

    # lxml refuses a str that declares its own encoding; the text is already decoded.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        return lxml_html.document_fromstring(text)
    except (ValueError, etree.ParserError):
        return None


def _choose_with(main: str, candidates: list[_Block]) -> list[_Block]:
    """The blocks trafilatura kept, and the article's frame around them (headline, captions, byline)."""
    words = _WORDS.findall(main.lower())
    trigrams = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
    kept = [_kept_by(main, trigrams, b.text) for b in candidates]
    if not any(kept):
        return _choose_by_rules(candidates)
    articles = {b.in_article for b in candidates if b.in_article}
    if len(articles) == 1 and any(k and b.in_article for k, b in zip(kept, candidates, strict=True)):
        # One <article> holding some of the main text: the page marks its story; what stands outside is not it.
        candidates = [b for b in candidates if b.in_article or b.tag == "h1"]
        kept = [_kept_by(main, trigrams, b.text) for b in candidates]
    first = kept.index(True)
    last = len(kept) - 1 - kept[::-1].index(True)
    # The headline: the first <h1> before the text (trafilatura often leaves it out).
    headline = next((i for i in range(first, -1, -1) if candidates[i].tag == "h1"), None)
    start = headline if headline is not None else first
    chosen = []
    for index, block in enumerate(candidates):
        in_frame = start <= index <= last
        if kept[index] or index == headline:
            chosen.append(block)
        elif block.linked:
            continue
        elif in_frame and (block.tag == "figcaption" or _looks_like_byline(block.text)):
            chosen.append(block)
        elif start <= index < first and block.tag == "p":
            chosen.append(block)  # between the headline and the text: the standfirst, the byline
        elif index == last + 1 and _SOURCE_LINE.match(block.text):
            chosen.append(block)  # "Source: Al Jazeera", "Reporting by ..." right after the text
    return chosen


_BYLINE = re.compile(r"^by\s+\S", re.IGNORECASE)
_SOURCE_LINE = re.compile(
    r"^\(?\s*(?:sources?:|(?:additional )?reporting by|writing by|editing by|compiled by)"
    r"|.*\bcontributed to this report",
    re.IGNORECASE,
)


def _looks_like_byline(text: str) -> bool:
    return bool(_BYLINE.match(text)) and len(text.split()) <= 12


def _choose_by_rules(candidates: list[_Block]) -> list[_Block]:
    """Annotkit's own rules, for a page trafilatura reads nothing in: prefer what stands in ``<article>``."""
    if any(b.in_article for b in candidates):
        return [b for b in candidates if b.in_article or b.tag == "h1"]
    return candidates


def _hints(chosen: list[_Block], title: str) -> list[tuple[str, str]]:
    hinted: list[tuple[str, str]] = []
    seen_headline = False
    for block in chosen:
        if block.tag == "h1" and not seen_headline:
            seen_headline = True
            hinted.append(("headline", block.text))
        elif block.tag == "figcaption":
            hinted.append(("caption", block.text))
        else:
            hinted.append(("body", block.text))
    if not seen_headline and title:
        # "Storm hits coast | The Daily Planet": the site's name is not part of the headline.
        hinted.insert(0, ("headline", _split_title(title)[0]))
    return hinted
