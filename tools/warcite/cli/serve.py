"""``warcite serve``: the project as a local web site (warcite.web; docs/serve.md)."""

from __future__ import annotations

import sys

import click

from warcite.core.errors import UsageError, WarciteError


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address exposes the archive to the "
    "network: it must be given explicitly, and warcite says so.",
)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--allow-capture",
    is_flag=True,
    help="Add an 'archive this URL' form (the only thing that writes to the project).",
)
def serve_command(host: str, port: int, allow_capture: bool) -> None:
    """Serve the project as a web site: collection, search, records, reader, replay.

    Read-only unless --allow-capture.  Archived pages are replayed under
    /web/<14-digit timestamp>/<URL> (Memento, RFC 7089: TimeGate /web/<URL>, TimeMap
    /web/timemap/link/<URL>), sandboxed and kept off the live web.  Set replay_base in
    warcite.toml to <this address>/web for citations and `warcite timemap` to link here.
    Stop with Ctrl-C.  Exit 2 when the address cannot be used or Flask is missing.
    """
    try:
        _serve(host, port, allow_capture)
    except WarciteError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(error.exit_code)


def _serve(host: str, port: int, allow_capture: bool) -> None:
    from warcite.core.project import find_project_root

    try:
        from werkzeug.serving import make_server

        from warcite.web import create_app
        from warcite.web.security import is_loopback
    except ImportError as error:  # pragma: no cover - the serve extra is missing
        raise UsageError(
            f"warcite serve needs Flask ({error}): pip install 'warcite[serve]'"
        ) from error
    root = find_project_root()
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not a loopback address: anyone who can reach "
            "this machine can read the archive" + (" and capture into it" if allow_capture else ""),
            err=True,
        )
    app = create_app(root, allow_capture=allow_capture, bound_host=host)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as error:
        raise UsageError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; choose another --port"
        ) from error
    except SystemExit:  # werkzeug exits when the address is in use, after saying so
        raise UsageError(
            f"cannot listen on {host}:{port}: the address is in use or not available here; "
            "choose another --port or --host"
        ) from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"warcite serve: {root} at http://{shown}:{server.server_port}/ "
        f"({'capture allowed' if allow_capture else 'read-only'}); Ctrl-C to stop",
        err=True,
    )
    click.echo(f"http://{shown}:{server.server_port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


__all__ = ["serve_command"]
