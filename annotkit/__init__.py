"""annotkit: read the news critically — tag actors, claims and perspectives, and analyse articles as data.

>>> import annotkit
>>> article = annotkit.load_bundled_article()
>>> article.quotes[["speaker", "cue"]].head(2).values.tolist()
[['Joe Biden', 'said'], ['the two countries', 'said']]
"""

from ._data import data_path
from .agreement import Agreement, agreement, cohen_kappa, fleiss_kappa, interpret, krippendorff_alpha, span_f1
from .article import Article, Corpus, load_article, load_articles, load_bundled_article
from .errors import (
    AgreementError,
    AnnotationError,
    AnnotkitError,
    AnnotkitWarning,
    ArticleError,
    ArticleWarning,
    FormatError,
    FormatWarning,
    SchemeError,
    StoreError,
    SubmissionError,
)
from .formats import export, export_config, import_annotations
from .handin import hand_in
from .keys import answer_key, load_key, write_key
from .scheme import Scheme, load_scheme
from .scoring import Score, feedback, score, score_class
from .store import AnnotationStore, open_store
from .submissions import Submissions, read_submissions

__version__ = "0.2.0"

__all__ = [
    "Agreement",
    "AgreementError",
    "AnnotationError",
    "AnnotationStore",
    "AnnotkitError",
    "AnnotkitWarning",
    "Article",
    "ArticleError",
    "ArticleWarning",
    "Corpus",
    "FormatError",
    "FormatWarning",
    "Scheme",
    "SchemeError",
    "Score",
    "StoreError",
    "SubmissionError",
    "Submissions",
    "__version__",
    "agreement",
    "answer_key",
    "cohen_kappa",
    "data_path",
    "export",
    "export_config",
    "feedback",
    "fleiss_kappa",
    "hand_in",
    "import_annotations",
    "interpret",
    "krippendorff_alpha",
    "load_article",
    "load_articles",
    "load_bundled_article",
    "load_key",
    "load_scheme",
    "open_store",
    "read_submissions",
    "score",
    "score_class",
    "span_f1",
    "write_key",
]
