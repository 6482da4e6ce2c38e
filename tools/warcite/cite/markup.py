"""How citations mark italics: plain text, HTML or Markdown."""

from __future__ import annotations

import html
import re
from enum import Enum

_MARKDOWN_SPECIAL = re.compile(r"([\\*_`\[\]])")


class Markup(str, Enum):
    """The output markup of a citation: ``plain`` drops italics, the others mark them."""

    PLAIN = "plain"
    HTML = "html"
    MARKDOWN = "markdown"

    def text(self, value: str) -> str:
        """``value`` as literal text in this markup (escaped for HTML and Markdown)."""
        if self is Markup.HTML:
            return html.escape(value, quote=False)
        if self is Markup.MARKDOWN:
            return _MARKDOWN_SPECIAL.sub(r"\\\1", value)
        return value

    def italic(self, value: str) -> str:
        """``value`` in italics: ``<i>..</i>``, ``*..*``, or unchanged in plain text."""
        if self is Markup.HTML:
            return f"<i>{self.text(value)}</i>"
        if self is Markup.MARKDOWN:
            return f"*{self.text(value)}*"
        return value

    def link(self, value: str) -> str:
        """A URL or locator, printed as is (HTML: a link when it is an http(s) URL)."""
        if self is Markup.HTML:
            escaped = html.escape(value, quote=True)
            if value.startswith(("http://", "https://")):
                return f'<a href="{escaped}">{html.escape(value, quote=False)}</a>'
            return html.escape(value, quote=False)
        return value


__all__ = ["Markup"]
