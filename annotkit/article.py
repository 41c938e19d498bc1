"""The Article: an article's cleaned text and its paragraphs, sentences, tokens and quotations as DataFrames.

Every frame keeps the invariant ``article.text[row.start:row.end] == row.text``: offsets are half-open
code-point offsets into ``Article.text``, the one string that every annotation refers to.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cleaning import clean_blocks
from .errors import ArticleError, ArticleWarning
from .quotes import QuoteSpan, find_quotes
from .sources import DEFAULT_MAX_BYTES, FORMATS, SUPPORTED_SUFFIXES, read_article_file, read_blocks
from .text import sentence_spans, token_spans

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["Article", "Corpus", "load_article", "load_articles", "load_bundled_article"]

PARAGRAPH_SEPARATOR = "\n\n"

#: The documented columns of each frame, in order.
COLUMNS = {
    "paragraphs": ("para_id", "kind", "start", "end", "text"),
    "sentences": ("sent_id", "para_id", "start", "end", "text"),
    "tokens": ("token_id", "sent_id", "para_id", "start", "end", "text", "is_word", "quote_id"),
    "quotes": (
        "quote_id",
        "para_id",
        "start",
        "end",
        "text",
        "speaker",
        "cue",
        "attribution",
        "continues",
        "kind",
        "role",
    ),
}
BUNDLED_ARTICLE = "voa-2021-07-26-us-combat-mission-iraq"


def _ints(values: Iterable[int]) -> Any:
    import numpy as np

    return np.fromiter(values, dtype="int64")


def _text_id(text: str) -> str:
    return "a" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:15]


def _identity(article_id: str | None, metadata: Mapping[str, Any], source: str | None, text: str) -> str:
    """Who the article is, whatever version of its text: the id given, the metadata's ``id``, the file's name.

    Only text with no name at all is known by its words (a hash of the cleaned text).
    """
    for where, value in (("article_id", article_id), ("the metadata's id", metadata.get("id"))):
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            msg = f"{where} must be a short piece of text naming the article (like 'town-bridge-2024'), not {value!r}."
            raise ArticleError(msg)
        return value.strip()
    if source:
        return Path(source).stem
    return _text_id(text)


@dataclass(frozen=True)
class Article:
    """A news article, cleaned and segmented; build one with :func:`load_article` or :meth:`Article.from_text`.

    Attributes
    ----------
    article_id
        Who the article is: the ``id`` in its metadata file, else its file name without the extension
        (``voa-2021-07-26-us-combat-mission-iraq``), else one derived from the text. It stays the same when the
        text is corrected or annotkit cleans it differently, so tags follow the article; ``text_sha256`` tells
        the versions apart.
    title
        The title from the metadata, else the headline, else None.
    text
        The cleaned text (paragraphs joined by a blank line) that every offset refers to.
    metadata
        Facts about the article (outlet, published, contributors, licence ...), from its metadata file.
    source
        Where the article was loaded from, or None for text given directly.

    Examples
    --------
    Every row of every frame points at exactly its own words in ``text``:

    >>> article = load_bundled_article()
    >>> quote = article.quotes.iloc[3]
    >>> quote.speaker, article.text[quote.start : quote.end] == quote.text
    ('Lloyd Austin', True)
    """

    article_id: str
    title: str | None
    text: str
    metadata: Mapping[str, Any] = field(default_factory=dict, repr=False)
    source: str | None = field(default=None, repr=False)
    _paragraphs: tuple[tuple[str, int, int], ...] = field(default=(), repr=False, compare=False)
    _sentences: tuple[tuple[int, int, int], ...] = field(default=(), repr=False, compare=False)
    _quotes: tuple[QuoteSpan, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        title: str | None = None,
        article_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        format: str = "txt",
        source: str | None = None,
    ) -> Article:
        r"""Build an Article from text: plain text (the default), Markdown (``format="md"``) or HTML.

        Parameters
        ----------
        text
            The article as it was copied or saved, boilerplate and all.
        title
            The title to use; default: the metadata's title, else the headline found in the text.
        article_id
            An id of your own; default: the metadata's ``id``, else the name of ``source`` without its extension,
            else one derived from the cleaned text.
        metadata
            Facts about the article to keep with it.
        format
            ``"txt"``, ``"md"`` or ``"html"``.
        source
            Where the text came from, for messages.

        Returns
        -------
        Article

        >>> article = Article.from_text("Storm Hits Coast\n\nRain fell. \"It was loud,\" said Ana Ruiz.")
        >>> article.title, len(article.sentences), article.quotes.speaker.tolist()
        ('Storm Hits Coast', 3, ['Ana Ruiz'])
        """
        if not isinstance(text, str):
            msg = f"Article.from_text needs a str, not {type(text).__name__}. To read a file, use load_article(path)."
            raise ArticleError(msg)
        if format not in FORMATS:
            msg = f"Unknown format {format!r}. Use one of: {', '.join(FORMATS)}."
            raise ArticleError(msg)
        where = source or "The text"
        if not text.strip():
            msg = f"{where} is empty. Paste the article's text and try again."
            raise ArticleError(msg)
        blocks, found = read_blocks(text, format, source=source)
        metadata = {**found, **(metadata or {})}  # the sidecar's word wins over the page's
        cleaned = clean_blocks(blocks, find_headline=format == "txt")
        if not any(kind == "body" for kind, _ in cleaned):
            msg = (
                f"{where} has no article text left after cleaning (only headings, captions, credits or site "
                "menus were found). Check that you copied the article itself, not just the page around it."
            )
            raise ArticleError(msg)
        return cls._build(cleaned, title=title, article_id=article_id, metadata=metadata or {}, source=source)

    @classmethod
    def _build(
        cls,
        cleaned: list[tuple[str, str]],
        *,
        title: str | None,
        article_id: str | None,
        metadata: Mapping[str, Any],
        source: str | None,
    ) -> Article:
        paragraphs: list[tuple[str, int, int]] = []
        offset = 0
        for kind, para_text in cleaned:
            paragraphs.append((kind, offset, offset + len(para_text)))
            offset += len(para_text) + len(PARAGRAPH_SEPARATOR)
        text = PARAGRAPH_SEPARATOR.join(para_text for _, para_text in cleaned)
        sentences = tuple(
            (para_id, start, end)
            for para_id, (_, p_start, p_end) in enumerate(paragraphs)
            for start, end in sentence_spans(text, p_start, p_end)
        )
        quotes = find_quotes(
            text,
            [(s, e) for _, s, e in paragraphs],
            [(s, e) for _, s, e in sentences],
            headlines=frozenset(i for i, (kind, _, _) in enumerate(paragraphs) if kind == "headline"),
        )
        headline = next((text[s:e] for kind, s, e in paragraphs if kind == "headline"), None)
        return cls(
            article_id=_identity(article_id, metadata, source, text),
            title=title or metadata.get("title") or headline,
            text=text,
            metadata=dict(metadata),
            source=source,
            _paragraphs=tuple(paragraphs),
            _sentences=sentences,
            _quotes=tuple(quotes),
        )

    def __len__(self) -> int:
        return len(self.text)

    @cached_property
    def text_sha256(self) -> str:
        """The SHA-256 of the cleaned text, in hex: which version of the article's text this is.

        >>> len(load_bundled_article().text_sha256)
        64
        """
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def __str__(self) -> str:
        return self.text

    # The frames are built on first use: loading a thousand articles should not pay for frames nobody reads.

    def _span_columns(self, spans: list[tuple[int, int]]) -> dict[str, Any]:
        """The ``start, end, text`` columns every frame shares, so ``text[start:end] == text`` by construction."""
        import pandas as pd

        return {
            "start": _ints(s for s, _ in spans),
            "end": _ints(e for _, e in spans),
            "text": pd.array([self.text[s:e] for s, e in spans], dtype="string"),
        }

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        """One row per paragraph: ``para_id, kind, start, end, text`` (kind: headline, caption, body, credit)."""
        import pandas as pd

        rows = self._paragraphs
        return pd.DataFrame(
            {
                "para_id": _ints(range(len(rows))),
                "kind": pd.array([k for k, _, _ in rows], dtype="string"),
                **self._span_columns([(s, e) for _, s, e in rows]),
            }
        )

    @cached_property
    def sentences(self) -> pd.DataFrame:
        """One row per sentence: ``sent_id, para_id, start, end, text``."""
        import pandas as pd

        rows = self._sentences
        return pd.DataFrame(
            {
                "sent_id": _ints(range(len(rows))),
                "para_id": _ints(p for p, _, _ in rows),
                **self._span_columns([(s, e) for _, s, e in rows]),
            }
        )

    @cached_property
    def tokens(self) -> pd.DataFrame:
        """One row per token: ``token_id, sent_id, para_id, start, end, text, is_word, quote_id``.

        ``is_word`` is True for tokens with a letter or digit (not punctuation); ``quote_id`` names the
        quotation a token stands in (``<NA>`` outside quotations), so words per speaker is one merge away.
        """
        import numpy as np
        import pandas as pd

        text = self.text
        sent_ids, para_ids, starts, ends = [], [], [], []
        for sent_id, (para_id, s_start, s_end) in enumerate(self._sentences):
            spans = token_spans(text, s_start, s_end)
            sent_ids += [sent_id] * len(spans)
            para_ids += [para_id] * len(spans)
            starts += [s for s, _ in spans]
            ends += [e for _, e in spans]
        texts = [text[s:e] for s, e in zip(starts, ends, strict=True)]
        start_array, end_array = np.array(starts, dtype="int64"), np.array(ends, dtype="int64")
        # The quotation each token stands in: the last quotation starting at or before it, if it ends after it.
        quote_starts = np.array([q.start for q in self._quotes], dtype="int64")
        quote_ends = np.array([q.end for q in self._quotes], dtype="int64")
        index = np.searchsorted(quote_starts, start_array, side="right") - 1
        inside = (index >= 0) & (end_array <= quote_ends[np.maximum(index, 0)] if len(quote_ends) else False)
        return pd.DataFrame(
            {
                "token_id": np.arange(len(starts), dtype="int64"),
                "sent_id": np.array(sent_ids, dtype="int64"),
                "para_id": np.array(para_ids, dtype="int64"),
                "start": start_array,
                "end": end_array,
                "text": pd.array(texts, dtype="string"),
                # Tokens are words, numbers, clitics ('s, n't) or single punctuation marks: the edges tell.
                "is_word": np.array([t[0].isalnum() or t[-1].isalnum() for t in texts], dtype=bool),
                "quote_id": pd.arrays.IntegerArray(np.where(inside, index, 0), ~np.asarray(inside, dtype=bool)),
            }
        )

    @cached_property
    def _token_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The tokens' ``start`` and ``end`` offsets as two arrays: what every tag is snapped to, read once."""
        tokens = self.tokens
        return tokens["start"].to_numpy(), tokens["end"].to_numpy()

    @cached_property
    def quotes(self) -> pd.DataFrame:
        """One row per quotation in quotation marks.

        Columns: ``quote_id, para_id, start, end, text, speaker, cue, attribution, continues, kind, role``.

        ``text`` is the quoted words inside the quotation marks; ``speaker`` is who said them as the article
        names them (``<NA>`` when nobody is named); ``cue`` the reporting words ("said", "told", "according
        to"); ``attribution`` how the speaker was found; ``continues`` the ``quote_id`` this quotation runs on
        from when it spans paragraphs; ``kind`` is ``"quotation"`` for somebody's words, or ``"scare quote"``,
        ``"title"`` or ``"nickname"`` for marks that quote nobody (no speaker); ``role`` the speaker's title or
        role as the article gives it ("Defense Secretary").
        """
        import pandas as pd

        rows = self._quotes
        return pd.DataFrame(
            {
                "quote_id": _ints(range(len(rows))),
                "para_id": _ints(q.para_id for q in rows),
                **self._span_columns([(q.start, q.end) for q in rows]),
                "speaker": pd.array([q.speaker for q in rows], dtype="string"),
                "cue": pd.array([q.cue for q in rows], dtype="string"),
                "attribution": pd.array([q.attribution for q in rows], dtype="string"),
                "continues": pd.array([q.continues for q in rows], dtype="Int64"),
                "kind": pd.array([q.kind for q in rows], dtype="string"),
                "role": pd.array([q.role for q in rows], dtype="string"),
            }
        )


def paragraph_at(article: Article, offsets: Any) -> Any:
    """The ``para_id`` of the paragraph each offset (into ``article.text``) falls in, as a numpy array.

    >>> article = load_bundled_article()
    >>> paragraph_at(article, [0, article.text.index("In response")]).tolist()
    [0, 3]
    """
    import numpy as np

    starts = article.paragraphs["start"].to_numpy()
    return np.searchsorted(starts, np.asarray(offsets, dtype="int64"), side="right") - 1


def _read_metadata(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"The metadata file {sidecar.name} is not valid JSON ({error}). Fix it, or move it away."
        raise ArticleError(msg) from None
    if not isinstance(data, dict):
        msg = f"The metadata file {sidecar.name} should hold a JSON object ({{...}}), not {type(data).__name__}."
        raise ArticleError(msg)
    return data


def load_article(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Load an article from a ``.txt``, ``.md`` or ``.html`` file, with its metadata file if there is one.

    A metadata file is a JSON file beside the article with the same name (``story.txt`` and ``story.json``).

    Parameters
    ----------
    path
        The article file.
    max_bytes
        Refuse files larger than this (default 5 MB).

    Returns
    -------
    Article

    Raises
    ------
    ArticleError
        For a missing file, a folder, an unsupported type, an empty, binary or oversized file, or a file with
        no article text left after cleaning.

    >>> from annotkit import data_path
    >>> article = load_article(data_path("articles", "voa-2021-07-26-us-combat-mission-iraq.txt"))
    >>> article.title
    'Biden Announces End to US Combat Mission in Iraq'
    >>> article.paragraphs.kind.value_counts().to_dict()
    {'body': 19, 'caption': 2, 'headline': 1, 'credit': 1}
    """
    path = Path(path)
    text, fmt = read_article_file(path, max_bytes=max_bytes)
    metadata = _read_metadata(path)
    return Article.from_text(text, format=fmt, metadata=metadata, source=path.name)


def load_bundled_article(name: str = BUNDLED_ARTICLE) -> Article:
    """Load an article that ships with annotkit (by default VOA's report of 26 July 2021).

    >>> load_bundled_article().metadata["outlet"]
    'Voice of America'
    """
    from ._data import data_path

    path = data_path("articles", f"{name}.txt")
    if not path.is_file():
        available = sorted(p.stem for p in data_path("articles").glob("*.txt"))
        msg = f"No bundled article called {name!r}. The bundled articles are: {', '.join(available)}."
        raise ArticleError(msg)
    return load_article(path)


@dataclass(frozen=True)
class Corpus:
    """Several articles, with their frames stacked and an ``article_id`` column in front.

    Attributes
    ----------
    articles
        The articles, in the order they were loaded.
    """

    articles: tuple[Article, ...]

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __getitem__(self, key: int | str) -> Article:
        if isinstance(key, int):
            return self.articles[key]
        for article in self.articles:
            if key in (article.article_id, article.source):
                return article
        msg = f"No article {key!r} in this corpus. Use an article_id or a file name from corpus.info."
        raise KeyError(msg)

    def _stack(self, frame: str) -> pd.DataFrame:
        import pandas as pd

        parts = [getattr(a, frame).assign(article_id=a.article_id) for a in self.articles]
        if not parts:  # an empty corpus still has the documented columns, so code written for it runs
            return pd.DataFrame(columns=["article_id", *COLUMNS[frame]])
        stacked = pd.concat(parts, ignore_index=True)
        return stacked[["article_id", *[c for c in stacked.columns if c != "article_id"]]]

    @cached_property
    def info(self) -> pd.DataFrame:
        """One row per article: ``article_id, title, source, n_chars``."""
        import pandas as pd

        return pd.DataFrame(
            {
                "article_id": pd.array([a.article_id for a in self.articles], dtype="string"),
                "title": pd.array([a.title for a in self.articles], dtype="string"),
                "source": pd.array([a.source for a in self.articles], dtype="string"),
                "n_chars": pd.array([len(a.text) for a in self.articles], dtype="int64"),
            }
        )

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        """Every article's paragraphs, with ``article_id`` first."""
        return self._stack("paragraphs")

    @cached_property
    def sentences(self) -> pd.DataFrame:
        """Every article's sentences, with ``article_id`` first."""
        return self._stack("sentences")

    @cached_property
    def tokens(self) -> pd.DataFrame:
        """Every article's tokens, with ``article_id`` first."""
        return self._stack("tokens")

    @cached_property
    def quotes(self) -> pd.DataFrame:
        """Every article's quotations, with ``article_id`` first."""
        return self._stack("quotes")


def _article_files(paths_or_folder: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths_or_folder, (str, Path)):
        folder = Path(paths_or_folder)
        if not folder.exists():
            msg = f"No file or folder at '{folder}'. Check the path (it is relative to {Path.cwd()})."
            raise ArticleError(msg)
        if not folder.is_dir():
            return [folder]
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        if not files:
            msg = f"The folder '{folder}' has no article files. Put .txt, .md or .html files in it."
            raise ArticleError(msg)
        return files
    return [Path(p) for p in paths_or_folder]


def load_articles(
    paths_or_folder: str | Path | Iterable[str | Path],
    *,
    errors: str = "raise",
    progress: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Corpus:
    """Load many articles (a folder, or a list of files) into a :class:`Corpus`.

    Parameters
    ----------
    paths_or_folder
        A folder (every ``.txt``, ``.md`` and ``.html`` file in it) or a list of files.
    errors
        ``"raise"`` stops at the first file that cannot be loaded; ``"skip"`` leaves it out and warns once,
        naming every file left out.
    progress
        Show a progress bar (in a notebook and in a terminal); default: when there are 50 files or more.
    max_bytes
        Refuse files larger than this (default 5 MB).

    >>> from annotkit import data_path
    >>> corpus = load_articles(data_path("articles"))
    >>> len(corpus), corpus.sentences.columns[0]
    (2, 'article_id')
    """
    if errors not in ("raise", "skip"):
        msg = f"errors={errors!r} is not an option. Use errors='raise' or errors='skip'."
        raise ValueError(msg)
    files = _article_files(paths_or_folder)
    show = len(files) >= 50 if progress is None else progress
    iterator: Iterable[Path] = files
    if show:
        from tqdm.auto import tqdm

        iterator = tqdm(files, desc="Loading articles", unit="article")
    articles: list[Article] = []
    skipped: list[str] = []
    texts: set[str] = set()
    names: dict[str, Path] = {}
    duplicates: list[str] = []
    same_names: list[str] = []
    for path in iterator:
        try:
            article = load_article(path, max_bytes=max_bytes)
        except ArticleError as error:
            if errors == "raise":
                raise
            skipped.append(f"{path.name} ({error})")
            continue
        if article.text_sha256 in texts:
            duplicates.append(path.name)
            continue
        if article.article_id in names:  # two different articles would share their tags
            same_names.append(f"{path} (the same name as {names[article.article_id]})")
            continue
        texts.add(article.text_sha256)
        names[article.article_id] = path
        articles.append(article)
    if skipped:
        warnings.warn(
            f"{len(skipped)} file(s) could not be loaded and were left out: " + "; ".join(skipped),
            ArticleWarning,
            stacklevel=2,
        )
    if duplicates:
        warnings.warn(
            f"{len(duplicates)} file(s) have the same text as another file and were loaded once: "
            + ", ".join(duplicates),
            ArticleWarning,
            stacklevel=2,
        )
    if same_names:
        warnings.warn(
            f"{len(same_names)} file(s) were left out because another article has the same name, and articles are "
            "told apart by name: " + "; ".join(same_names) + ". Rename one, or give it a metadata file (story.json "
            'beside story.txt) with its own "id".',
            ArticleWarning,
            stacklevel=2,
        )
    return Corpus(tuple(articles))
