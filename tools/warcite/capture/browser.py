"""Browser capture: the page as a reader saw it, every byte through warcite's own recorder.

:func:`capture_in_browser` loads a page in the system's Chromium, driven over the DevTools
protocol by Playwright for Python, with all of the browser's traffic sent through a
:class:`~warcite.capture.proxy.RecordingProxy` on 127.0.0.1.  The WARC holds what the
origins sent (request/response pairs, exactly as on the wire, with the same digests,
limits, truncation marks and revisit deduplication as ``capture``), not what the browser
made of it.  Then, as evidence of what the reader saw, records that refer to the page's
response:

``resource``  ``urn:screenshot:<URL>``      a full-page screenshot (image/png)
``resource``  ``urn:rendered-dom:<URL>``    the DOM after scripts ran (text/html)
``resource``  ``urn:pdf:<URL>``             the page printed to PDF (with ``pdf``)
``resource``  ``urn:capture-summary:<URL>`` the capture summary (application/json):
              browser and version, user agent, viewport, times, the proxy, each origin's
              certificate fingerprint, requests refused and why, what was cut short
``resource``  ``urn:tls-certificates:<origin>`` each https origin's certificate chain (PEM,
              as the origin presented it to warcite's recorder, leaf first)

Each carries ``WARC-Concurrent-To`` the page's response.  Requests Chromium makes on its
own (not for a page: background services) go through the proxy too but are not archived;
the summary lists them.  The capture's own metadata record (``method: http-capture``,
``capture-agent: browser``) comes last, as in every warcite WARC.

Steps, each bounded by ``timeout`` and all by ``total_timeout``
(:mod:`warcite.capture.browser_page`): navigate and wait for the ``load`` event, wait for
the network to settle (the proxy knows exactly which requests are in flight), scroll to
the end in steps of one viewport so that lazy content loads (``scroll=False`` skips it),
on through whatever arrived meanwhile, and take the evidence once no request has started
or ended for :data:`~warcite.capture.browser_page.NETWORK_QUIET` seconds.  A browser
that is not found, Playwright not installed, or a page that never answers: CaptureError
(exit 3), nothing written.

The browser runs with a fresh profile that Playwright deletes when it closes, the
flags of :data:`CHROMIUM_FLAGS`, and trusts the proxy's throwaway authority by its
public key only (``--ignore-certificate-errors-spki-list``).  Each capture has its own
browser context (no cookies, cache or storage shared with another capture) and its own
proxy; a session reused by a batch opens the next capture's context and proxy while the
current page settles, and that proxy forwards nothing until its capture starts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import signal
import ssl
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcite.capture.authority import CertificateAuthority
from warcite.capture.browser_page import NETWORK_IDLE_WAIT, Evidence, PageOptions, drive_page
from warcite.capture.common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_TOTAL_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    REDIRECT_STATUSES,
    Clock,
    DedupeLookup,
    RecordIdFactory,
    capture_context,
    context_now,
    exchange_fields,
    warc_date,
)
from warcite.capture.credentials import Cookie, credential_fields, redact_request
from warcite.capture.live import ExchangeWriter
from warcite.capture.proxy import RecordingProxy, address_policy, is_private_address
from warcite.capture.recorder import Budget, Exchange, Limits, Recorder
from warcite.capture.writer import (
    ArchiveFile,
    RecordDraft,
    ensure_folder,
    fields_block,
    first_free_name,
    remove_folders,
    warcinfo_record,
    with_file_name,
)
from warcite.core.errors import CaptureError, UsageError
from warcite.core.models import CaptureResult
from warcite.core.slugs import check_slug, default_slug, warc_file_name
from warcite.core.urls import normalize_url
from warcite.core.version import __version__

CHROMIUM_ENV = "WARCITE_CHROMIUM"
"""Environment variable naming the Chromium executable (``--chromium`` wins)."""
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
)
DEFAULT_VIEWPORT = (1600, 900)
EVIDENCE_TARGETS = {
    "screenshot": "urn:screenshot:",
    "rendered-dom": "urn:rendered-dom:",
    "pdf": "urn:pdf:",
    "capture-summary": "urn:capture-summary:",
}
"""The WARC-Target-URI prefix of each kind of evidence record (followed by the page URL)."""
CERTIFICATES_TARGET = "urn:tls-certificates:"


def find_chromium(explicit: str | None = None) -> str:
    """The Chromium executable: ``explicit``, else $WARCITE_CHROMIUM, else on the PATH.

    Raises CaptureError saying how to install one when there is none.
    """
    for given, where in ((explicit, "--chromium"), (os.environ.get(CHROMIUM_ENV), CHROMIUM_ENV)):
        if given:
            found = shutil.which(given) if os.sep not in given else given
            if found and os.path.isfile(found) and os.access(found, os.X_OK):
                return found
            raise CaptureError(
                f"{where} {given}: no executable Chromium there; give the path of a "
                "Chromium or Chrome executable; nothing was archived"
            )
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise CaptureError(
        "browser capture needs Chromium, and none was found (looked for "
        f"{', '.join(CHROMIUM_NAMES)} on the PATH); install it (Debian/Ubuntu: "
        "sudo apt-get install chromium) or name one with --chromium PATH or "
        f"{CHROMIUM_ENV}; nothing was archived"
    )


def parse_viewport(text: str) -> tuple[int, int]:
    """``'1600x900'`` -> (1600, 900); UsageError otherwise."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise UsageError(f"--viewport {text!r}: expected WIDTHxHEIGHT in pixels, like 1600x900")
    size = (int(width), int(height))
    if not (200 <= size[0] <= 10_000 and 200 <= size[1] <= 10_000):
        raise UsageError(f"--viewport {text!r}: each side must be 200 to 10000 pixels")
    return size


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise CaptureError(
            "browser capture needs Playwright for Python: pip install 'warcite[browser]' "
            "(it drives the system's Chromium; no browser is downloaded); nothing was archived"
        ) from error
    return sync_playwright


#: The longest temporary folder handed to Chromium: its singleton socket is made at
#: ``TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket``, and a Unix socket's path has
#: at most 107 bytes (Chromium exits without one).
_MAX_TEMPORARY_PATH = 60


def chromium_environment(folder: str | None) -> dict[str, str]:
    """The environment Chromium is started with: warcite's own, its temporary files in
    ``folder`` (deleted by warcite when the browser is closed), unless the path is too long
    for Chromium's socket, when the inherited temporary folder is kept."""
    environment = dict(os.environ)
    if folder is not None and len(os.fsencode(folder)) <= _MAX_TEMPORARY_PATH:
        environment["TMPDIR"] = folder
    return environment


class BrowserSession:
    """One Chromium for one or more captures (a batch reuses it); a context manager.

    Its throwaway :class:`CertificateAuthority` lives as long as the browser, which trusts
    its key and nothing else of it.  Playwright's sync API is bound to the thread that
    opened the session: captures run on that thread.

    With ``prepare`` (the default), while a page settles the session opens the browser
    context (and its tab, behind its own recording proxy) for the next capture, which a
    batch would otherwise wait for; the proxy forwards nothing until that capture gives it
    its recorder.  A context serves one capture only, so nothing is shared.
    """

    def __init__(
        self,
        chromium: str | None = None,
        *,
        launch_timeout: float = 60.0,
        connect: str | None = None,
        authority: CertificateAuthority | None = None,
        prepare: bool = True,
    ) -> None:
        """Start Chromium; or, with ``connect`` (a DevTools WebSocket URL) and the
        ``authority`` that browser trusts, attach to a running one (a
        :class:`~warcite.capture.pool.BrowserPool`'s: closing the session then only
        detaches)."""
        self.executable = chromium if connect is not None and chromium else find_chromium(chromium)
        sync_playwright = _playwright()
        self._own_authority = authority is None
        self.authority = authority or CertificateAuthority()
        self.prepares = prepare
        self._prepared: _Prepared | None = None
        self._driver: Any = None
        self.browser: Any = None
        # Chromium's own temporary files (TMPDIR: the folder of its singleton socket, which
        # it leaves behind when it is killed) go in a folder of warcite's, deleted by close()
        self._temporary = (
            None if connect is not None else tempfile.mkdtemp(prefix="warcite-chromium-")
        )
        try:
            self._driver = sync_playwright().start()
            if connect is not None:
                self.browser = self._driver.chromium.connect_over_cdp(
                    connect, timeout=launch_timeout * 1000
                )
            else:
                self.browser = self._driver.chromium.launch(
                    executable_path=self.executable,
                    headless=True,
                    args=[
                        *CHROMIUM_FLAGS,
                        f"--ignore-certificate-errors-spki-list={self.authority.spki_sha256}",
                    ],
                    # every context names its own proxy; this one (nothing listens) is only
                    # for what the browser would fetch outside a capture's context
                    proxy={"server": "http://127.0.0.1:9"},
                    timeout=launch_timeout * 1000,
                    env=chromium_environment(self._temporary),
                )
        except Exception as error:
            self.close()
            if isinstance(error, CaptureError):
                raise
            raise CaptureError(
                f"cannot start Chromium ({self.executable}): {str(error).strip()[:400]}; "
                "nothing was archived"
            ) from error
        self.version = str(self.browser.version)

    def __enter__(self) -> BrowserSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def take_context(self, key: _ContextKey) -> _Prepared:
        """A fresh browser context for one capture: the one prepared, if it was made for
        the same viewport and user agent; else a new one."""
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared.key == key:
            return prepared
        if prepared is not None:
            prepared.discard()
        return _Prepared.open(self, key)

    def prepare_next(self, key: _ContextKey) -> None:
        """Open the next capture's context now (see the class); a failure is only a
        context not made ahead."""
        if not self.prepares or self._prepared is not None or self.browser is None:
            return
        with contextlib.suppress(Exception):
            self._prepared = _Prepared.open(self, key)

    def stop_stuck(self, notes: list[str]) -> None:
        """Kill this session's Chromium: a tab that never answers a DevTools call (its page's
        scripts never yield) can be ended no other way.  The browser is found by the flag
        only it was started with (its authority's key hash); its other processes end with
        it, and the capture's pending call then fails and the capture goes on without the
        evidence.  The session is unusable afterwards.  Linux (``/proc``) only."""
        flag = f"--ignore-certificate-errors-spki-list={self.authority.spki_sha256}".encode()
        killed = []
        with contextlib.suppress(OSError):
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    arguments = Path(entry.path, "cmdline").read_bytes().split(b"\0")
                except OSError:
                    continue
                if flag in arguments and not any(a.startswith(b"--type=") for a in arguments):
                    with contextlib.suppress(OSError):
                        os.kill(int(entry.name), signal.SIGKILL)
                        killed.append(entry.name)
        notes.append(
            "the page's tab stopped answering while its evidence was taken (its scripts never "
            "yield): the browser was stopped"
            + ("" if killed else " (it could not be found: the capture may not end)")
        )

    def close(self) -> None:
        """Close the browser (Playwright deletes its profile) and forget the authority."""
        if self._prepared is not None:
            self._prepared.discard()
            self._prepared = None
        if self.browser is not None:
            with contextlib.suppress(Exception):
                self.browser.close()
            self.browser = None
        if self._driver is not None:
            with contextlib.suppress(Exception):
                self._driver.stop()
            self._driver = None
        if self._own_authority:
            self.authority.close()
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None


_ContextKey = tuple[tuple[int, int], str | None]
"""What a browser context is made for: the viewport and the user agent (None: Chromium's)."""


@dataclass
class _Prepared:
    """A capture's browser context: its own recording proxy (which forwards nothing until
    the capture attaches its recorder), a blank tab, the URLs its pages requested."""

    key: _ContextKey
    proxy: RecordingProxy
    context: Any
    page: Any
    requested_urls: set[str]

    @classmethod
    def open(cls, session: BrowserSession, key: _ContextKey) -> _Prepared:
        proxy = RecordingProxy(None, session.authority, None)
        proxy.start()
        browser_context = None
        try:
            viewport, user_agent = key
            browser_context = session.browser.new_context(
                proxy={"server": proxy.address},
                viewport={"width": viewport[0], "height": viewport[1]},
                service_workers="block",
                accept_downloads=False,
                user_agent=user_agent,
            )
            requested_urls: set[str] = set()
            browser_context.on("request", lambda request: requested_urls.add(request.url))
            page = browser_context.new_page()
        except BaseException:
            if browser_context is not None:
                with contextlib.suppress(Exception):
                    browser_context.close()
            proxy.close()
            raise
        return cls(key, proxy, browser_context, page, requested_urls)

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()
        self.proxy.close()


@dataclass(frozen=True)
class BrowserSettings:
    """How a browser capture behaves (see :func:`capture_in_browser`)."""

    viewport: tuple[int, int] = DEFAULT_VIEWPORT
    scroll: bool = True
    pdf: bool = False
    allow_private: bool = False
    network_idle_wait: float = NETWORK_IDLE_WAIT


def capture_in_browser(
    url: str,
    *,
    archive_dir: str | Path,
    session: BrowserSession | None = None,
    chromium: str | None = None,
    settings: BrowserSettings | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    keep_errors: bool = False,
    slug: str | None = None,
    tls_context: ssl.SSLContext | None = None,
    dedupe: DedupeLookup | None = None,
    cookies: Sequence[Cookie] = (),
    headers: Sequence[tuple[str, str]] = (),
    keep_credentials: bool = False,
    user_agent: str | None = None,
    clock: Clock | None = None,
    new_record_id: RecordIdFactory | None = None,
    hostname: str | None = None,
) -> CaptureResult:
    """Capture ``url`` in Chromium into a new WARC in ``archive_dir`` (see the module).

    ``session`` reuses a running browser (a batch); without one, a browser is started
    (``chromium``: its path) and closed.  ``cookies`` (from a cookies.txt) and ``headers``
    are sent by the browser; their values are redacted in the WARC's request records
    unless ``keep_credentials``.  Requests to private, loopback and link-local addresses
    are refused unless the page itself is on one or ``settings.allow_private``.

    Raises CaptureError (nothing written) when no browser is found or it cannot start, the
    page cannot be loaded, or its final status is >= 400 (unless ``keep_errors``).
    """
    settings = settings or BrowserSettings()
    if timeout <= 0 or max_bytes <= 0 or max_total_bytes <= 0 or total_timeout <= 0:
        raise UsageError("timeouts and byte limits must be positive")
    if slug:
        check_slug(slug)
    requested = normalize_url(url)
    call = _Call(
        archive_dir=Path(archive_dir),
        settings=settings,
        timeout=timeout,
        max_bytes=max_bytes,
        max_total_bytes=max_total_bytes,
        total_timeout=total_timeout,
        keep_errors=keep_errors,
        slug=slug,
        tls_context=tls_context,
        dedupe=dedupe,
        cookies=tuple(cookies),
        headers=tuple(headers),
        keep_credentials=keep_credentials,
        user_agent=user_agent,
        clock=clock,
        new_record_id=new_record_id,
        hostname=hostname,
    )
    if session is None:
        with BrowserSession(chromium, prepare=False) as own:
            return _capture(requested, own, call)
    return _capture(requested, session, call)


@dataclass(frozen=True)
class _Call:
    archive_dir: Path
    settings: BrowserSettings
    timeout: float
    max_bytes: int
    max_total_bytes: int
    total_timeout: float
    keep_errors: bool
    slug: str | None
    tls_context: ssl.SSLContext | None
    dedupe: DedupeLookup | None
    cookies: tuple[Cookie, ...]
    headers: tuple[tuple[str, str], ...]
    keep_credentials: bool
    user_agent: str | None
    clock: Clock | None
    new_record_id: RecordIdFactory | None
    hostname: str | None


def _page_is_private(url: str) -> bool:
    import socket

    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return any(is_private_address(str(info[4][0])) for info in infos)


def _same_url(first: str, second: str) -> bool:
    def key(value: str) -> str:
        try:
            return normalize_url(value.split("#", 1)[0])
        except (UsageError, ValueError):
            return value

    return key(first) == key(second)


def _capture(requested: str, session: BrowserSession, call: _Call) -> CaptureResult:
    settings = call.settings
    context = capture_context(call.archive_dir, call.clock, call.new_record_id, call.hostname)
    clock_lock = threading.Lock()

    def now() -> datetime:
        with clock_lock:
            return context_now(context)

    allow_private = settings.allow_private or _page_is_private(requested)
    budget = Budget(max_total_bytes=call.max_total_bytes, total_timeout=call.total_timeout)
    recorder = Recorder(
        limits=Limits(timeout=call.timeout, max_bytes=call.max_bytes, user_agent=""),
        clock=now,
        budget=budget,
        tls_context=call.tls_context,
    )
    recorder.address_check = address_policy(allow_private)
    created = ensure_folder(context.archive_dir)
    archive: ArchiveFile | None = None
    published = False
    notes: list[str] = []  # what was cut short, in the record and the summary
    key: _ContextKey = (settings.viewport, call.user_agent)
    started = now()
    try:
        prepared = session.take_context(key)
    except BaseException as error:
        recorder.abort()
        remove_folders(created)
        if isinstance(error, CaptureError) or not isinstance(error, Exception):
            raise
        raise CaptureError(
            f"cannot capture {requested}: the browser could not open a context for it "
            f"({str(error).splitlines()[0][:200]}); nothing was archived"
        ) from error
    proxy = prepared.proxy
    proxy.attach(recorder, context.archive_dir)
    browser_context = prepared.context
    requested_urls = prepared.requested_urls
    try:
        try:
            if call.cookies:
                browser_context.add_cookies([_playwright_cookie(c) for c in call.cookies])
            if call.headers:
                browser_context.set_extra_http_headers(dict(call.headers))
            observed = drive_page(
                browser_context,
                requested,
                PageOptions(
                    viewport=settings.viewport,
                    scroll=settings.scroll,
                    pdf=settings.pdf,
                    network_idle_wait=settings.network_idle_wait,
                    timeout=call.timeout,
                ),
                proxy.activity,
                budget,
                notes,
                page=prepared.page,
                meanwhile=lambda: session.prepare_next(key),
                on_stuck=lambda: session.stop_stuck(notes),
            )
        finally:
            with contextlib.suppress(Exception):
                browser_context.close()
            proxy.close()
        finished = now()
        exchanges, dropped = _page_traffic(proxy.log.exchanges, requested_urls)
        observed["dropped"] = dropped
        wanted = _normalized(requested_urls)
        failed = [
            line
            for line, failed_url in zip(proxy.log.failed, proxy.log.failed_urls, strict=True)
            if _normalized([failed_url]) <= wanted
        ]
        observed["failed"] = failed
        ordered, page, redirect_lines = _order(exchanges, observed, requested)
        final_status = page.message.status or 0
        if final_status >= 400 and not call.keep_errors:
            raise CaptureError(
                f"cannot capture {requested}: "
                + ("the server" if page.url == requested else f"{page.url} (after redirects)")
                + f" answered {page.message.start_line.split(' ', 1)[-1]}; nothing archived "
                "(use --keep-errors to archive error pages)"
            )
        warnings = [w for exchange in ordered for w in exchange.warnings]
        redacted = 0
        if not call.keep_credentials:
            for index, exchange in enumerate(ordered):
                request, count = redact_request(exchange.request)
                if count:
                    redacted += count
                    ordered[index] = dataclasses.replace(exchange, request=request)
                    if exchange is page:
                        page = ordered[index]
        slug = call.slug or default_slug(requested)
        file_name = first_free_name(context.archive_dir, warc_file_name(slug, started))
        info_id = context.new_record_id()
        agent = observed.get("user_agent") or ""
        warcinfo = warcinfo_record(
            info_id,
            warc_date(started),
            file_name,
            context.hostname,
            user_agent=agent,
            description=f"warcite browser capture of {requested}",
            extra_fields=[
                ("browser", f"Chromium {session.version}"),
                ("viewport", f"{settings.viewport[0]}x{settings.viewport[1]}"),
            ],
        )
        archive = ArchiveFile(context.archive_dir, file_name)
        archive.write(warcinfo)
        writer = ExchangeWriter(archive, context.new_record_id, info_id, call.dedupe)
        for exchange in ordered:
            writer.write(exchange)
        main_id = writer.response_ids[id(page)]
        evidence_date = warc_date(finished)
        common = [("WARC-Warcinfo-ID", info_id)]
        certificates = dict(recorder.certificate_chains)
        for origin, chain in sorted(certificates.items()):
            archive.write(
                RecordDraft(
                    "resource",
                    context.new_record_id(),
                    evidence_date,
                    CERTIFICATES_TARGET + origin,
                    "application/x-pem-file",
                    "".join(chain).encode("ascii"),
                    [("WARC-Concurrent-To", main_id), *common],
                )
            )
        evidence: list[Evidence] = observed["evidence"]
        for item in evidence:
            archive.write(
                RecordDraft(
                    "resource",
                    context.new_record_id(),
                    evidence_date,
                    EVIDENCE_TARGETS[item.kind] + page.url,
                    item.media_type,
                    item.data,
                    [("WARC-Concurrent-To", main_id), *common],
                )
            )
        summary = _summary(
            session, proxy, settings, observed, started, finished, certificates, notes, page
        )
        archive.write(
            RecordDraft(
                "resource",
                context.new_record_id(),
                evidence_date,
                EVIDENCE_TARGETS["capture-summary"] + page.url,
                "application/json",
                json.dumps(summary, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                [("WARC-Concurrent-To", main_id), *common],
            )
        )
        content_type = page.message.header("Content-Type")
        fields: list[tuple[str, str | int | None]] = [
            ("method", "http-capture"),
            ("capture-agent", "browser"),
            (
                "source-description",
                f"Live browser capture of {requested} by warcite {__version__} in "
                f"Chromium {session.version}, every request recorded by warcite's proxy.",
            ),
            ("requested-uri", requested),
        ]
        fields.extend(
            exchange_fields(
                redirect_lines,
                page.url,
                final_status,
                content_type,
                started,
                finished,
                writer.timing_lines,
                page.truncated,
            )
        )
        fields.extend(("revisit", line) for line in writer.revisit_lines)
        fields.append(("user-agent", agent))
        fields.append(("browser", f"Chromium {session.version}"))
        fields.append(("viewport", f"{settings.viewport[0]}x{settings.viewport[1]}"))
        fields.append(("bytes-received", budget.used))
        fields.extend(("browser-cut", note) for note in notes)
        fields.extend(("blocked", line) for line in proxy.log.blocked)
        fields.extend(("request-failed", line) for line in observed["failed"])
        fields.extend(credential_fields(call.cookies, call.headers, redacted))
        fields.extend(("warning", warning) for warning in warnings)
        archive.write(
            RecordDraft(
                "metadata",
                context.new_record_id(),
                warc_date(finished),
                page.url,
                "application/warc-fields",
                fields_block(fields),
                [("WARC-Refers-To", main_id), *common],
            )
        )
        written = archive.publish(lambda name: with_file_name(warcinfo, name))
        published = True
        return CaptureResult(
            path=written,
            method="http-capture",
            records=tuple(archive.infos),
            main_record_id=main_id,
            target_uri=requested,
            final_uri=page.url,
            status=final_status,
            content_type=content_type,
            truncated=page.truncated,
            memento=None,
            started_at=started,
            user_agent=agent,
            redirects=tuple(line.split(" ", 2)[1] for line in redirect_lines),
            warnings=tuple(warnings + notes),
        )
    finally:
        if published:
            recorder.close()
        else:
            recorder.abort()
        proxy.close(wait=0.5)
        proxy.close_spools()
        if archive is not None:
            archive.close()
        if not published:
            remove_folders(created)


def _playwright_cookie(cookie: Cookie) -> dict[str, Any]:
    scheme = "https" if cookie.secure else "http"
    result: dict[str, Any] = {
        "name": cookie.name,
        "value": cookie.value,
        "path": cookie.path or "/",
        "secure": cookie.secure,
        "httpOnly": cookie.http_only,
    }
    if cookie.include_subdomains:
        result["domain"] = "." + cookie.domain
    else:
        result["url"] = f"{scheme}://{cookie.domain}{cookie.path or '/'}"
        del result["path"]
    if cookie.expires:
        result["expires"] = float(cookie.expires)
    return result


def _order(
    exchanges: list[Exchange], observed: dict[str, Any], requested: str
) -> tuple[list[Exchange], Exchange, list[str]]:
    """The exchanges in WARC order (redirects, the page, then the rest as they ended),
    the page's exchange and the redirect lines."""
    final_url = observed.get("final_url") or requested
    page = next(
        (
            exchange
            for exchange in exchanges
            if _same_url(exchange.url, final_url)
            and (exchange.message.status or 0) not in REDIRECT_STATUSES
        ),
        None,
    )
    if page is None:
        raise CaptureError(
            f"cannot capture {requested}: the browser never received the page through the "
            "recording proxy (it could not be loaded); nothing archived"
            + (f" ({'; '.join(observed.get('failed', []))})" if observed.get("failed") else "")
        )
    page.role = "page"
    redirects: list[Exchange] = []
    lines: list[str] = []
    chain = observed.get("redirect_chain", [])
    for hop_url in chain:
        hop = next(
            (
                exchange
                for exchange in exchanges
                if _same_url(exchange.url, hop_url)
                and (exchange.message.status or 0) in REDIRECT_STATUSES
                and exchange not in redirects
            ),
            None,
        )
        if hop is not None:
            hop.role = "redirect"
            redirects.append(hop)
    for index, hop in enumerate(redirects):
        target = redirects[index + 1].url if index + 1 < len(redirects) else page.url
        lines.append(f"{hop.message.status} {hop.url} -> {target}")
    rest = [e for e in exchanges if e is not page and e not in redirects]
    return [*redirects, page, *rest], page, lines


def _normalized(urls: Iterable[str]) -> set[str]:
    found = set()
    for value in urls:
        with contextlib.suppress(UsageError, ValueError):
            found.add(normalize_url(value.split("#", 1)[0]))
    return found


def _page_traffic(
    exchanges: Sequence[Exchange], requested_urls: set[str]
) -> tuple[list[Exchange], list[str]]:
    """The exchanges the pages asked for, and the URLs of the others: requests Chromium
    makes on its own (background services) are not the page's and are not archived."""
    wanted = _normalized(requested_urls)
    kept: list[Exchange] = []
    dropped: list[str] = []
    for exchange in exchanges:
        try:
            key = normalize_url(exchange.url)
        except (UsageError, ValueError):
            key = exchange.url
        if key in wanted:
            kept.append(exchange)
        else:
            dropped.append(exchange.url)
    return kept, dropped


def _summary(
    session: BrowserSession,
    proxy: RecordingProxy,
    settings: BrowserSettings,
    observed: dict[str, Any],
    started: datetime,
    finished: datetime,
    certificates: dict[str, list[str]],
    notes: list[str],
    page: Exchange,
) -> dict[str, Any]:
    origins = []
    for origin, chain in sorted(certificates.items()):
        leaf = ssl.PEM_cert_to_DER_cert(chain[0]) if chain else b""
        origins.append(
            {
                "origin": origin,
                "certificates": len(chain),
                "leaf_sha256_fingerprint": hashlib.sha256(leaf).hexdigest() if leaf else None,
            }
        )
    return {
        "warcite": __version__,
        "browser": {
            "name": "Chromium",
            "version": session.version,
            "executable": session.executable,
        },
        "user_agent": observed.get("user_agent"),
        "viewport": {"width": settings.viewport[0], "height": settings.viewport[1]},
        "page": {
            "url": page.url,
            "status": page.message.status,
            "height": observed.get("page_height"),
        },
        "times": {
            "started": warc_date(started),
            "finished": warc_date(finished),
            **observed["times"],
        },
        "network_idle": observed.get("network_idle"),
        "scroll_steps": observed.get("scroll_steps"),
        "proxy": {
            "address": proxy.address,
            "authority_spki_sha256": session.authority.spki_sha256,
            "exchanges": len(proxy.log.exchanges),
        },
        "origins": origins,
        "blocked": list(proxy.log.blocked),
        "failed": list(observed.get("failed", [])),
        "not_archived_browser_requests": list(observed.get("dropped", [])),
        "cut_short": list(notes),
        "evidence": [item.kind for item in observed["evidence"]],
    }


__all__ = [
    "CERTIFICATES_TARGET",
    "CHROMIUM_ENV",
    "CHROMIUM_FLAGS",
    "DEFAULT_VIEWPORT",
    "EVIDENCE_TARGETS",
    "BrowserSession",
    "BrowserSettings",
    "capture_in_browser",
    "find_chromium",
    "parse_viewport",
]
