"""annotkit: read the news critically — tag actors, claims and perspectives, and analyse articles as data.

>>> import annotkit
>>> article = annotkit.load_bundled_article()
>>> article.quotes[["speaker", "cue"]].head(2).values.tolist()
[['Joe Biden', 'said'], ['the two countries', 'said']]
"""

from ._data import data_path
from .article import Article, Corpus, load_article, load_articles, load_bundled_article
from .errors import AnnotkitError, AnnotkitWarning, ArticleError, ArticleWarning

__version__ = "0.1.0"

__all__ = [
    "AnnotkitError",
    "AnnotkitWarning",
    "Article",
    "ArticleError",
    "ArticleWarning",
    "Corpus",
    "__version__",
    "data_path",
    "load_article",
    "load_articles",
    "load_bundled_article",
]
