"""How far ``validate --deep`` may trust what a record says about its own extractor.

A record made by another warcite version cannot be re-extracted with that version here,
so differences in what the extractor produces (text, work metadata) are reported as
warnings for it.  That leniency must not be had by editing one field: setting
``text.extractor.version`` to an older version and re-sealing would otherwise turn every
error about a changed title or text into a warning.  The claim is therefore checked
against evidence outside the record, and when it cannot be true every difference stays
an error:

- the version must be a version number, and not newer than the running warcite (a newer
  one's output cannot be judged here: validate with that version);
- it must not be older than the warcite that wrote the record's WARC (the ``software`` of
  its warcinfo record): a record is made from a WARC that exists, by the warcite that
  wrote it or a later one.
"""

from __future__ import annotations

import re

_VERSION = re.compile(r"^(\d+(?:\.\d+)*)")
_WRITER = re.compile(r"^warcite/(\S+)")


def version_tuple(text: object) -> tuple[int, ...] | None:
    """``"0.10.2rc1"`` -> ``(0, 10, 2)``; None for what does not begin with a number."""
    if not isinstance(text, str):
        return None
    match = _VERSION.match(text.strip())
    if match is None:
        return None
    numbers = [int(part) for part in match.group(1).split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()  # 0.1 == 0.1.0
    return tuple(numbers)


def writer_version(software: str | None) -> str | None:
    """The warcite version in a warcinfo ``software`` field, or None (another tool)."""
    match = _WRITER.match(software or "")
    return match.group(1) if match else None


def extractor_claim_doubt(claimed: str, warc_software: str | None, running: str) -> str | None:
    """Why the record's claim to be made by warcite ``claimed`` cannot excuse any
    difference (a message), or None when it is credible."""
    claim = version_tuple(claimed)
    if claim is None:
        return (
            f"the record says warcite {claimed[:40]!r} extracted it, which is no version "
            "number; every difference below is an error"
        )
    now = version_tuple(running)
    if now is not None and claim > now:
        return (
            f"the record says warcite {claimed} extracted it, newer than this warcite "
            f"{running}: its output cannot be judged here (validate with warcite {claimed} "
            "or later); every difference below is an error"
        )
    writer = writer_version(warc_software)
    written_by = version_tuple(writer)
    if written_by is not None and claim < written_by:
        return (
            f"the record says warcite {claimed} extracted it, but its WARC was written by "
            f"warcite {writer}, a later version: a record is made by the warcite that wrote "
            "its WARC or a later one, so the claim does not excuse any difference; every "
            "difference below is an error"
        )
    return None


__all__ = ["extractor_claim_doubt", "version_tuple", "writer_version"]
