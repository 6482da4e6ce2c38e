"""Requisite discovery in CSS: ``url()`` and ``@import`` after CSS Syntax Level 3."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from warcite.core.errors import UsageError
from warcite.core.urls import normalize_url

MAX_CSS_IMPORT_DEPTH = 3
"""How many ``@import`` steps deep warcite follows stylesheets (page stylesheets are 0)."""

_CSS_WHITESPACE = " \t\n\r\f"
_ASCII_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _is_name_char(char: str) -> bool:
    """A CSS name code point (letters, digits, ``_``, ``-``, anything non-ASCII)."""
    return char in _ASCII_NAME_CHARS or char >= "\u0080"


def _starts_name(css: str, index: int) -> bool:
    """Whether a CSS identifier can start at ``index`` (a name-start code point or an escape).

    (Plain functions rather than a regular expression over U+0080..U+10FFFF, whose
    compilation took 15 ms of every start-up.)
    """
    char = css[index]
    if char == "\\":
        return index + 1 < len(css) and css[index + 1] not in "\n\r\f"
    return (char in _ASCII_NAME_CHARS and not char.isdigit()) or char >= "\u0080"


_CSS_HEX = re.compile(r"[0-9A-Fa-f]{1,6}")
_CSS_CHARSET_RULE = re.compile(rb'@charset "([A-Za-z0-9._:\-]{1,40})";')
CHARSET_PARAMETER = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)


class CssReference(NamedTuple):
    """One resource a stylesheet names: its URL, and whether ``@import`` names it.

    ``url`` is as written (escapes undone) from :func:`scan_css_references`, absolute
    from :func:`find_css_references`.
    """

    url: str
    is_import: bool


def _css_escape(css: str, index: int) -> tuple[str, int]:
    """The character a CSS escape at ``css[index] == '\\'`` stands for, and where it ends."""
    index += 1
    if index >= len(css):
        return "\ufffd", index
    digits = _CSS_HEX.match(css, index)
    if digits is None:
        return css[index], index + 1
    index = digits.end()
    if css.startswith("\r\n", index):
        index += 2
    elif index < len(css) and css[index] in _CSS_WHITESPACE:
        index += 1
    code_point = int(digits.group(), 16)
    if code_point == 0 or 0xD800 <= code_point <= 0xDFFF or code_point > 0x10FFFF:
        return "\ufffd", index
    return chr(code_point), index


def _css_name(css: str, index: int) -> tuple[str, int]:
    """An identifier (escapes undone) starting at ``index``, and where it ends."""
    name: list[str] = []
    while index < len(css):
        char = css[index]
        if _is_name_char(char):
            name.append(char)
            index += 1
        elif char == "\\" and index + 1 < len(css) and css[index + 1] not in "\n\r\f":
            unescaped, index = _css_escape(css, index)
            name.append(unescaped)
        else:
            break
    return "".join(name), index


def _css_string(css: str, index: int) -> tuple[str | None, int]:
    """A quoted string at ``index`` (escapes undone), or None for a bad (unclosed) string."""
    quote_char = css[index]
    index += 1
    value: list[str] = []
    while index < len(css):
        char = css[index]
        if char == quote_char:
            return "".join(value), index + 1
        if char in "\n\r\f":  # a bad string: the line ends before the quote
            return None, index
        if char == "\\":
            following = css[index + 1 : index + 2]
            if following == "":
                index += 1
            elif following in "\n\r\f":  # an escaped newline continues the string
                index += 3 if css.startswith("\r\n", index + 1) else 2
            else:
                unescaped, index = _css_escape(css, index)
                value.append(unescaped)
            continue
        value.append(char)
        index += 1
    return "".join(value), index  # end of file closes the string


def _skip_css_whitespace(css: str, index: int) -> int:
    while index < len(css) and css[index] in _CSS_WHITESPACE:
        index += 1
    return index


def _skip_to_close_parenthesis(css: str, index: int) -> int:
    """Past the ``)`` that closes the current function (nested ones and strings skipped)."""
    depth = 1
    while index < len(css):
        char = css[index]
        if char == "\\":
            index += 2
            continue
        if char in "\"'":
            index = _css_string(css, index)[1]
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _css_url(css: str, index: int) -> tuple[str | None, int]:
    """The URL of ``url(`` whose ``(`` ends just before ``index``; None for a bad URL."""
    index = _skip_css_whitespace(css, index)
    if index < len(css) and css[index] in "\"'":  # url("...") is a function with a string
        quoted, index = _css_string(css, index)
        return quoted, _skip_to_close_parenthesis(css, index)
    value: list[str] = []
    while index < len(css):
        char = css[index]
        if char == ")":
            return "".join(value), index + 1
        if char in _CSS_WHITESPACE:
            index = _skip_css_whitespace(css, index)
            if index >= len(css) or css[index] == ")":
                return "".join(value), index + 1
            break
        if char in "\"'(" or ord(char) < 0x20 or ord(char) == 0x7F:
            break
        if char == "\\":
            if css[index + 1 : index + 2] in ("\n", "\r", "\f"):
                break
            unescaped, index = _css_escape(css, index)
            value.append(unescaped)
            continue
        value.append(char)
        index += 1
    else:
        return "".join(value), index  # end of file closes the URL
    return None, _skip_to_close_parenthesis(css, index)  # a bad URL: skipped


def scan_css_references(css: str) -> list[CssReference]:
    """Every ``url(...)`` and ``@import`` target in a stylesheet, as written, in order.

    A small tokenizer after CSS Syntax Level 3: comments are skipped, quoted strings and
    escapes are undone, ``url(`` must be a whole identifier (so ``content: "url(x)"`` and
    ``my-url(x)`` name nothing), a bad string or bad URL names nothing.  ``@import`` takes
    a string or a ``url()``; its references have ``is_import`` set.  Nothing is resolved or
    filtered here: see :func:`find_css_references`.
    """
    references: list[CssReference] = []
    index = 0
    after_import = False  # the last token (comments and whitespace aside) was @import
    while index < len(css):
        char = css[index]
        if css.startswith("/*", index):
            end = css.find("*/", index + 2)
            index = len(css) if end < 0 else end + 2
            continue
        if char in _CSS_WHITESPACE:
            index += 1
            continue
        if char in "\"'":
            value, index = _css_string(css, index)
            if after_import and value is not None:
                references.append(CssReference(value, True))
            after_import = False
            continue
        if char == "@":
            name, index = _css_name(css, index + 1)
            after_import = name.lower() == "import"
            continue
        if _starts_name(css, index):
            name, index = _css_name(css, index)
            if css.startswith("(", index) and name.lower() == "url":
                url_value, index = _css_url(css, index + 1)
                if url_value is not None:
                    references.append(CssReference(url_value, after_import))
            after_import = False
            continue
        index += 2 if char == "\\" else 1
        after_import = False
    return references


def requisite_url(base_url: str, reference: str) -> str | None:
    """A reference resolved against ``base_url`` as warcite requests it, or None to skip it."""
    reference = reference.strip(_CSS_WHITESPACE)
    if not reference or reference.startswith("#"):
        return None
    try:
        if urlsplit(reference).scheme.lower() not in ("", "http", "https"):
            return None  # data:, javascript:, about:, ...
        absolute = urljoin(base_url, reference)
        if urlsplit(absolute).scheme.lower() not in ("http", "https"):
            return None
        return normalize_url(absolute)
    except (UsageError, ValueError):  # ValueError: unparseable, e.g. "http://[bad"
        return None


def find_css_references(css: str, base_url: str) -> list[CssReference]:
    """The http(s) resources a stylesheet references, absolute, in order, deduplicated.

    ``base_url`` is the stylesheet's own URL (a fetched stylesheet) or the document's base
    URL (an inline ``<style>`` or ``style=""``).  ``data:`` and other non-http(s) URLs,
    fragment-only references (``url(#gradient)``) and references inside comments are
    skipped; fragments are dropped.  A URL that is both imported and used otherwise is
    kept once, as an import (it is fetched as a stylesheet).
    """
    found: dict[str, bool] = {}
    for reference in scan_css_references(css):
        url = requisite_url(base_url, reference.url)
        if url is not None:
            found[url] = found.get(url, False) or reference.is_import
    return [CssReference(url, is_import) for url, is_import in found.items()]


def css_text(body: bytes, content_type: str | None) -> str:
    """A fetched stylesheet as text: BOM, then the Content-Type charset, then ``@charset``.

    Without any of them UTF-8 is tried, then latin-1 (which decodes any bytes and keeps
    the ASCII syntax of CSS intact, so references can still be found).
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")
    declared = CHARSET_PARAMETER.search(content_type or "")
    charset = declared.group(1) if declared else None
    if charset is None:
        rule = _CSS_CHARSET_RULE.match(body)
        if rule is not None:
            charset = rule.group(1).decode("ascii")
            if charset.lower().startswith(("utf-16", "utf-32")):
                charset = "utf-8"  # CSS Syntax 3: @charset can only name an ASCII superset
    if charset is not None:
        try:
            return body.decode(charset, errors="replace")
        except (LookupError, UnicodeError, TypeError):
            pass  # an unknown or non-text charset: fall through
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")
