"""Progress of a capture on a terminal: requisites written / known, bytes received.

The library never prints: :func:`stderr_progress` makes the callback the CLI passes to
:func:`~warcite.capture.capture`; it writes only when its stream is a terminal, one line
rewritten in place, at most ten times a second, and clears it at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from warcite.capture.common import CaptureProgress


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{count} B"  # pragma: no cover


def stderr_progress(stream: TextIO) -> Callable[[CaptureProgress], None] | None:
    """A progress callback writing to ``stream``, or None when it is not a terminal."""
    isatty = getattr(stream, "isatty", None)
    if not callable(isatty) or not isatty():
        return None
    last = [0.0]

    def show(progress: CaptureProgress) -> None:
        now = time.monotonic()
        final = progress.requisites_done >= progress.requisites_total
        if not final and now - last[0] < 0.1:
            return
        last[0] = now
        line = (
            f"requisites {progress.requisites_done}/{progress.requisites_total}, "
            f"{_size(progress.bytes_received)}"
        )
        stream.write("\r" + line + ("\n" if final else "\x1b[K"))
        stream.flush()

    return show
