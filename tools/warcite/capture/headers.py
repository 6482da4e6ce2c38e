"""Header values warcite sends that come from a user or a config file, checked before use.

A CR or LF in a value would end the header line and start another (header injection:
``--user-agent $'x\\r\\nX-Evil: 1'`` would send, and archive, a request header nobody
asked for); NUL and the other control characters are not allowed in a field value
either (RFC 9110 section 5.5).  Such values are refused with a usage error (exit 2).
"""

from __future__ import annotations

import re

from warcite.core.errors import UsageError

_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
MAX_HEADER_VALUE = 8192
"""Longer than any User-Agent; servers refuse request heads much past this."""


def check_header_value(value: str, what: str) -> str:
    """``value`` when it is a safe HTTP field value; UsageError naming ``what`` otherwise."""
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        character = {"\r": "a carriage return (CR)", "\n": "a line feed (LF)"}.get(
            bad.group(), f"the control character {bad.group()!r}"
        )
        raise UsageError(
            f"{what} holds {character} at position {bad.start()}: a header value is one "
            "line of text, and this one would add or break request headers; nothing was "
            "sent"
        )
    if len(value) > MAX_HEADER_VALUE:
        raise UsageError(f"{what} is {len(value)} characters long, more than {MAX_HEADER_VALUE}")
    return value


__all__ = ["MAX_HEADER_VALUE", "check_header_value"]
