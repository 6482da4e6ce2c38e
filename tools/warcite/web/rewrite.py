"""Rewriting archived HTML and CSS so that every reference stays inside the replay.

Each URL an archived page names (links, sources, ``srcset``, forms, ``style`` attributes,
``<style>`` blocks, ``@import``, ``url()``, ``<meta http-equiv=refresh>``) is made
absolute against the page's URL (a ``<base href>`` is honoured, then removed) and
rewritten to ``<prefix>/<timestamp>mp_/<absolute URL>``: the replay serves the capture of
that URL closest in time, or a 404 from warcite; nothing names the live web.
``javascript:`` URLs and schemes other than http(s), ``data:``, ``blob:``, ``mailto:``,
``tel:`` and fragments are replaced by ``#``.  ``integrity`` attributes are dropped (the
rewritten bytes no longer match them).

This is a best effort on the markup (scripts that build URLs are not rewritten): the
Content-Security-Policy of the replay (warcite.web.security) is what keeps every request
of a replayed page on the serve origin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

import lxml.html
from lxml import etree

KEEP_SCHEMES = ("data:", "blob:", "mailto:", "tel:", "about:blank")

URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "background",
    "cite",
    "data",
    "longdesc",
    "usemap",
    "manifest",
    "codebase",
    "xlink:href",
)

_CSS_REFERENCE = re.compile(
    r"""url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)'"\s]*))\s*\)"""
    r"""|(@import\s+)(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""",
    re.IGNORECASE,
)
_REFRESH = re.compile(r"^(\s*\d*\.?\d*\s*[;,]\s*(?:url\s*=\s*)?)(['\"]?)(.*?)\2\s*$", re.I)


class Rewriter:
    """Rewrites URLs seen from an archived resource at ``base_url`` captured at ``timestamp``."""

    def __init__(self, prefix: str, timestamp: str, base_url: str) -> None:
        self.prefix = prefix.rstrip("/")
        self.timestamp = timestamp
        self.base_url = base_url

    def url(self, reference: str, base: str | None = None) -> str:
        """The replay URL of ``reference`` (see the module docstring)."""
        value = reference.strip()
        if not value or value.startswith("#"):
            return value
        lowered = value.lower()
        if lowered.startswith(KEEP_SCHEMES):
            return value
        absolute = urljoin(base or self.base_url, value)
        if not absolute.lower().startswith(("http://", "https://")):
            return "#"
        if absolute.startswith(f"{self.prefix}/"):
            return absolute
        return f"{self.prefix}/{self.timestamp}mp_/{absolute}"

    def css(self, text: str, base: str | None = None) -> str:
        """CSS with every ``url()`` and ``@import`` string rewritten."""

        def replace(match: re.Match[str]) -> str:
            if match.group(4):
                target = match.group(5) if match.group(5) is not None else match.group(6)
                return f'{match.group(4)}"{_css_string(self.url(_css_unescape(target), base))}"'
            target = next((group for group in match.group(1, 2, 3) if group is not None), "")
            return f'url("{_css_string(self.url(_css_unescape(target), base))}")'

        return _CSS_REFERENCE.sub(replace, text)

    def srcset(self, value: str, base: str | None = None) -> str:
        candidates = []
        for candidate in value.split(","):
            parts = candidate.strip().split(None, 1)
            if not parts:
                continue
            parts[0] = self.url(parts[0], base)
            candidates.append(" ".join(parts))
        return ", ".join(candidates)

    def html(self, text: str) -> str:
        """An HTML document with every reference rewritten (serialised as HTML, UTF-8)."""
        if not text.strip():
            return text
        try:
            document = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError):
            return ""
        base = self.base_url
        for element in document.iter("base"):
            href = element.get("href")
            if href and base == self.base_url:
                base = urljoin(self.base_url, href.strip())
        for element in list(document.iter("base")):
            element.drop_tree()
        rewrite: Callable[[str], str] = lambda value: self.url(value, base)  # noqa: E731
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue
            for name in URL_ATTRIBUTES:
                value = element.get(name)
                if value is not None:
                    element.set(name, rewrite(value))
            for name in ("srcset", "imagesrcset"):
                value = element.get(name)
                if value is not None:
                    element.set(name, self.srcset(value, base))
            style = element.get("style")
            if style is not None:
                element.set("style", self.css(style, base))
            if "integrity" in element.attrib:
                del element.attrib["integrity"]
            if element.tag == "style" and element.text:
                element.text = self.css(element.text, base)
            if element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
                content = element.get("content") or ""
                match = _REFRESH.match(content)
                if match and match.group(3):
                    element.set("content", f"{match.group(1)}{rewrite(match.group(3))}")
        doctype = document.getroottree().docinfo.doctype or "<!DOCTYPE html>"
        body = lxml.html.tostring(document, encoding="unicode", method="html")
        return f"{doctype}\n{body}"


def _css_unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")


__all__ = ["Rewriter"]
