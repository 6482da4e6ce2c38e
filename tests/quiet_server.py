"""The loopback test sites' HTTP server: a client that went away is not an error.

``socketserver`` prints the traceback of an error in a handler to whatever ``sys.stderr``
is at that moment, which may be a later test's captured command output (and fail its
"no traceback" check).  A browser closing its tab mid-answer, or a capture stopped by a
limit, is a client that went away: nothing to report.  Every other error still is.
"""

from __future__ import annotations

import http.server
import sys
from typing import Any


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """ThreadingHTTPServer, silent about clients that went away."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


__all__ = ["QuietHTTPServer"]
