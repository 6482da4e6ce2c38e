"""Whether a WARC in ``archive/`` is being recorded by a running process right now.

``archive`` publishes a capture's WARC, then makes its record.  A WARC no record refers
to is either *in progress* (a running ``archive`` will record it in a moment) or *kept*
(its process was killed: a rerun completes it, see :mod:`warcite.collection.resume`).  To tell
them apart, ``archive`` holds a shared ``flock`` on the published WARC from just after
publishing it until its record is written (:func:`holding`); the lock dies with the
process.  A rerun adopts a WARC only when it can take the exclusive lock itself
(:func:`claim`), which also keeps two reruns from adopting the same WARC.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

SETTLE_SECONDS = 2.0
"""A WARC published less than this long ago, and not (yet) locked, may be in the instant
between its publication and its writer's lock: a rerun waits this long before claiming."""


@contextlib.contextmanager
def holding(path: Path) -> Iterator[None]:
    """Hold a shared lock on the WARC ``path`` (what a running ``archive`` does)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        yield  # nothing to hold: the record stage reports what is wrong with the file
        return
    try:
        with contextlib.suppress(OSError):  # held by a rerun adopting it: it is claimed
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        yield
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def claim(path: Path) -> Iterator[bool]:
    """True (the WARC is held exclusively until the block ends) when no running process
    holds it; False when one does, or when it cannot be opened."""
    try:
        age = time.time() - os.stat(path).st_mtime
        if 0 <= age < SETTLE_SECONDS:
            time.sleep(SETTLE_SECONDS - age)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


__all__ = ["SETTLE_SECONDS", "claim", "holding"]
