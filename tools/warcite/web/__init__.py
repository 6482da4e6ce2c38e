"""``warcite serve``: the project as a local web site (see docs/serve.md).

``create_app(project_root)`` is a WSGI application (Flask): any WSGI server can serve it
behind a public web server; ``warcite serve`` runs it with werkzeug's threaded server.
"""

from __future__ import annotations

from warcite.web.app import create_app

__all__ = ["create_app"]
