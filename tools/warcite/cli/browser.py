"""The command-line options of browser and authenticated capture (``capture``, ``archive``).

:func:`browser_options` adds them to a click command, which receives them as keyword
arguments and hands them to :func:`capture_function`: None for a plain capture without
credentials (the command's usual path), else the function that captures a URL
(``capture_in_browser`` with the chosen settings, or ``capture`` with cookies and headers).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from warcite.core.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])

BROWSER_OPTION_NAMES = (
    "browser",
    "chromium",
    "viewport",
    "scroll",
    "pdf",
    "allow_private",
    "cookies",
    "headers",
    "keep_credentials",
)


def browser_options(function: F) -> F:
    """Add --browser, --chromium, --viewport, --no-scroll, --pdf, --allow-private,
    --cookies, --header and --keep-credentials to a command."""
    options = [
        click.option(
            "--browser",
            is_flag=True,
            default=None,
            help=(
                "Load the page in Chromium (through warcite's recording proxy) and keep a "
                "screenshot and the rendered DOM (default from warcite.toml [capture])."
            ),
        ),
        click.option(
            "--chromium",
            default=None,
            metavar="PATH",
            help="The Chromium executable (default: $WARCITE_CHROMIUM, else chromium on the PATH).",
        ),
        click.option(
            "--viewport",
            default="1600x900",
            show_default=True,
            metavar="WxH",
            help="Browser: the window's size in pixels.",
        ),
        click.option(
            "--scroll/--no-scroll",
            default=True,
            show_default=True,
            help="Browser: scroll to the end in steps so that lazy content loads.",
        ),
        click.option("--pdf", is_flag=True, help="Browser: also keep the page printed to PDF."),
        click.option(
            "--allow-private",
            is_flag=True,
            help="Browser: allow requests to private, loopback and link-local addresses.",
        ),
        click.option(
            "--cookies",
            default=None,
            metavar="FILE",
            type=click.Path(dir_okay=False, path_type=str),
            help="Send the cookies of a Netscape cookies.txt file (as wget, yt-dlp read it).",
        ),
        click.option(
            "--header",
            "headers",
            multiple=True,
            metavar="'NAME: VALUE'",
            help="Send this request header (repeatable).",
        ),
        click.option(
            "--keep-credentials",
            is_flag=True,
            help="Keep Cookie and Authorization values in clear in the WARC (default: a digest).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def wants_browser(values: dict[str, Any], default: bool = False) -> bool:
    """Whether the command runs in the browser: --browser, else the project's default."""
    chosen = values.get("browser")
    return default if chosen is None else bool(chosen)


def capture_function(
    values: dict[str, Any], *, browser_default: bool = False, **fixed: Any
) -> Callable[..., Any] | None:
    """The capture function the options ask for, with ``fixed`` keyword arguments bound
    (limits, TLS context); None for a plain capture without credentials."""
    from warcite.capture.credentials import parse_headers, read_cookies

    headers = parse_headers(values.get("headers") or ())
    cookies = read_cookies(values["cookies"]) if values.get("cookies") else ()
    keep_credentials = bool(values.get("keep_credentials"))
    if wants_browser(values, browser_default):
        from warcite.capture.browser import BrowserSettings, capture_in_browser, parse_viewport

        settings = BrowserSettings(
            viewport=parse_viewport(values.get("viewport") or "1600x900"),
            scroll=bool(values.get("scroll", True)),
            pdf=bool(values.get("pdf")),
            allow_private=bool(values.get("allow_private")),
        )
        return functools.partial(
            capture_in_browser,
            chromium=values.get("chromium") or os.environ.get("WARCITE_CHROMIUM") or None,
            settings=settings,
            cookies=cookies,
            headers=headers,
            keep_credentials=keep_credentials,
            **fixed,
        )
    for name in ("pdf", "allow_private"):
        if values.get(name):
            raise UsageError(f"--{name.replace('_', '-')} is for browser capture: add --browser")
    if not values.get("scroll", True):
        raise UsageError("--no-scroll is for browser capture: add --browser")
    if cookies or headers:
        from warcite.capture.live import capture

        return functools.partial(
            capture, cookies=cookies, headers=headers, keep_credentials=keep_credentials, **fixed
        )
    return None


@contextlib.contextmanager
def batch_capture(
    function: Callable[..., Any] | None, jobs: int
) -> Iterator[Callable[..., Any] | None]:
    """For a batch: a browser capture function rebound to one shared Chromium with
    ``jobs`` tabs (:class:`~warcite.capture.pool.BrowserPool`), closed at the end; any
    other function as it is."""
    from warcite.capture.browser import capture_in_browser

    if not isinstance(function, functools.partial) or function.func is not capture_in_browser:
        yield function
        return
    from warcite.capture.pool import BrowserPool

    keywords = dict(function.keywords)
    with BrowserPool(keywords.pop("chromium", None), jobs=jobs) as pool:
        yield functools.partial(pool.capture, **keywords)


def browser_default(root: Path | None = None) -> bool:
    """The project's ``[capture] browser`` setting (warcite.toml), False without one."""
    from warcite.core.config import load_config
    from warcite.core.project import find_project_root

    return load_config(root or find_project_root(required=False)).browser_capture


__all__ = [
    "BROWSER_OPTION_NAMES",
    "batch_capture",
    "browser_default",
    "browser_options",
    "capture_function",
    "wants_browser",
]
