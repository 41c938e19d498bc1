"""Bytes to text: which character encoding an article file is in.

The order is a browser's: a byte-order mark first, then (for a web page) what the page declares in
``<meta charset>``, then detection. Valid UTF-8 wins over a declaration, because a page saved by a browser is
written as UTF-8 but keeps the ``<meta charset>`` of the site it came from. Detection is charset_normalizer's
(it comes with trafilatura); it reads Cyrillic, Greek, Chinese, Korean and the other legacy encodings, and a file
in a Western European one is read as Windows-1252, the encoding such files are nearly always in.
"""

from __future__ import annotations

import codecs
import re
import warnings

from .errors import ArticleError, ArticleWarning

__all__ = ["declared_charset", "decode_article_bytes"]

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
# What detection may call a Western European single-byte file; such files are read as Windows-1252.
_WESTERN = frozenset(
    """ascii cp1252 cp1250 cp1254 cp1257 latin_1 iso8859_1 iso8859_2 iso8859_9 iso8859_13 iso8859_15 mac_roman
    mac_latin2 mac_iceland mac_turkish cp850 cp437 cp858 cp775 cp1258""".split()
)
# Names for messages: what a teacher would find in a text editor's "Save as" menu.
_DISPLAY = {
    "cp1252": "Windows-1252",
    "cp1251": "Windows-1251 (Cyrillic)",
    "koi8_r": "KOI8-R (Cyrillic)",
    "koi8_u": "KOI8-U (Cyrillic)",
    "iso8859_5": "ISO-8859-5 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "iso8859_7": "ISO-8859-7 (Greek)",
    "gb18030": "GB18030 (Chinese)",
    "gbk": "GBK (Chinese)",
    "gb2312": "GB2312 (Chinese)",
    "big5": "Big5 (Chinese)",
    "cp949": "EUC-KR (Korean)",
    "euc_kr": "EUC-KR (Korean)",
    "shift_jis": "Shift JIS (Japanese)",
    "cp932": "Shift JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
}


def _display(encoding: str) -> str:
    name = codecs.lookup(encoding).name.replace("-", "_")
    return _DISPLAY.get(name, encoding.upper().replace("_", "-"))


def declared_charset(data: bytes) -> str | None:
    """The encoding a web page declares in its first 4 KB (``<meta charset="...">``), if Python knows it.

    >>> declared_charset(b'<html><head><meta charset="windows-1251"><title>')
    'cp1251'
    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">')
    'koi8_r'
    """
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii").strip(".:")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # The WHATWG encoding standard reads a page that says latin-1 or ASCII as Windows-1252, like every browser.
    name = name.replace("-", "_")
    return "cp1252" if name in ("latin_1", "iso8859_1", "ascii") else name


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no byte-order mark: one byte of each pair is nearly always 0 in Latin-script text."""
    sample = data[:4000]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0) / (len(sample) // 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) // 2)
    if odd_zeros > 0.4 and even_zeros < 0.05:
        return "utf_16_le"
    if even_zeros > 0.4 and odd_zeros < 0.05:
        return "utf_16_be"
    return None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    encoding = codecs.lookup(best.encoding).name.replace("-", "_")
    if encoding in _WESTERN:
        return "cp1252"
    # A few stray bytes in English text also "decode" as Cyrillic or Japanese: trust another script only when
    # most of the letters are in it, as in a real Russian, Greek or Chinese article.
    letters = [ch for ch in str(best) if ch.isalpha()]
    foreign = sum(1 for ch in letters if not ch.isascii())
    return encoding if letters and foreign / len(letters) >= 0.3 else None


def decode_article_bytes(data: bytes, *, source: str = "the article", html: bool = False) -> str:
    """Decode an article's bytes.

    A byte-order mark decides, else valid UTF-8, else (a web page) its ``<meta charset>``, else the encoding
    detected, with a warning that names it.

    Parameters
    ----------
    data
        The file's bytes.
    source
        The file's name, for messages.
    html
        True for a web page: its ``<meta charset>`` is read.

    >>> decode_article_bytes("Café au lait".encode("utf-8-sig"))  # a byte-order mark is dropped
    'Café au lait'
    """
    if not data.strip():
        msg = f"{source} is empty. Paste the article's text into it, save, and load it again."
        raise ArticleError(msg)
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), source)
            except UnicodeDecodeError:
                break
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), source)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        msg = (
            f"{source} looks like binary data (a PDF, a Word file or an image?), not text. "
            "Copy the article's text into a .txt file, or save the web page as .html."
        )
        raise ArticleError(msg)
    try:
        return _checked(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data) if html else None
    if declared and declared not in ("utf_8", "utf_16", "utf_16_le", "utf_16_be"):
        try:
            return _checked(data.decode(declared), source)
        except UnicodeDecodeError:
            pass  # the page's word was wrong: detect instead
    encoding = _detect(data) or "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        msg = (
            f"{source} contains bytes that are not text in any encoding annotkit knows (UTF-8, Windows-1252). "
            "Open it in a text editor and save it again as UTF-8."
        )
        raise ArticleError(msg) from None
    warnings.warn(
        f"{source} is not UTF-8; it was read as {_display(encoding)}. Check accented letters and quotation marks, "
        "and save the file as UTF-8 to silence this warning.",
        ArticleWarning,
        stacklevel=4,
    )
    return _checked(text, source)


def _checked(text: str, source: str) -> str:
    text = text.removeprefix("\ufeff")
    controls = len(_CONTROL_CHARACTERS.findall(text))
    if controls > max(2, len(text) // 100):
        msg = f"{source} does not look like text: it has {controls} control characters. Is it really an article?"
        raise ArticleError(msg)
    return text
