"""Live capture: a URL -> redirects, the page and its requisites -> one new WARC.

The page (and its redirect hops) is fetched first; once it is known to be worth keeping,
the WARC is opened (a temporary file in the archive folder), its warcinfo and the page's
records are written, and requisites are fetched concurrently and written as they come in
(in the order they were found).  The metadata record closes the file, which is then given
its name.  Bodies go from the socket to a spool file and from there into the WARC, so
memory stays flat whatever their size.  On any failure nothing is left in the archive.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from warcite.capture.common import (
    DEFAULT_DELAY,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_MAX_REQUISITES,
    DEFAULT_MAX_TOTAL_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    DEFAULT_USER_AGENT,
    DEFAULT_WORKERS,
    REDIRECT_STATUSES,
    CaptureProgress,
    Clock,
    DedupeLookup,
    RecordIdFactory,
    capture_context,
    context_now,
    exchange_fields,
    warc_date,
)
from warcite.capture.credentials import (
    Cookie,
    credential_fields,
    redact_request,
    request_credentials,
)
from warcite.capture.headers import check_header_value
from warcite.capture.html import Requisite
from warcite.capture.mementos import memento_description, memento_fields, memento_of
from warcite.capture.recorder import Budget, Exchange, Limits, Recorder, is_html
from warcite.capture.requisites import fetch_requisites, html_requisites
from warcite.capture.spool import Spool
from warcite.capture.writer import (
    ArchiveFile,
    RecordDraft,
    checked_revisit_target,
    ensure_folder,
    fields_block,
    first_free_name,
    remove_folders,
    revisit_record,
    warcinfo_record,
    with_file_name,
)
from warcite.core.errors import CaptureError, UsageError
from warcite.core.models import CaptureResult, RevisitTarget
from warcite.core.slugs import check_slug, default_slug, warc_file_name
from warcite.core.urls import has_credentials, normalize_url, redact_url
from warcite.core.version import __version__

if TYPE_CHECKING:  # ssl is imported when a capture first needs TLS (start-up time)
    import ssl

HTTP_VERSIONS = ("1.1", "1.0")


def _verifies(context: ssl.SSLContext) -> bool:
    import ssl  # the caller made a context: ssl is loaded already

    return context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def capture(
    url: str,
    *,
    archive_dir: str | Path,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    user_agent: str | None = None,
    requisites: bool = True,
    keep_errors: bool = False,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    max_requisites: int = DEFAULT_MAX_REQUISITES,
    slug: str | None = None,
    clock: Clock | None = None,
    new_record_id: RecordIdFactory | None = None,
    hostname: str | None = None,
    tls_context: ssl.SSLContext | None = None,
    dedupe: DedupeLookup | None = None,
    workers: int = DEFAULT_WORKERS,
    delay: float = DEFAULT_DELAY,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    http_version: str = "1.1",
    progress: Callable[[CaptureProgress], None] | None = None,
    cookies: Sequence[Cookie] = (),
    headers: Sequence[tuple[str, str]] = (),
    keep_credentials: bool = False,
) -> CaptureResult:
    """Capture a live http(s) page into a new WARC in ``archive_dir``.

    Redirects (301, 302, 303, 307, 308) are followed up to ``max_redirects``, each hop its
    own request/response pair.  With ``requisites``, the page's stylesheets, images,
    scripts and favicon are fetched too (with ``Referer``, same limits, at most
    ``max_requisites``), and so is what stylesheets reference (``url()`` and ``@import``
    in fetched stylesheets, inline ``<style>`` and ``style=""``; a fetched stylesheet is
    the ``Referer`` of what it names; ``@import`` is followed
    :data:`MAX_CSS_IMPORT_DEPTH` steps deep); a requisite that fails is reported, not
    fatal.  Requisites are fetched ``workers`` at a time per host (connections kept open
    between requests), ``delay`` seconds apart per host.

    ``timeout`` bounds each transfer and ``max_bytes`` each body; ``total_timeout`` and
    ``max_total_bytes`` bound the whole capture.  A body cut by any of them is kept,
    marked with ``WARC-Truncated`` (``time`` or ``length``); requisites not yet fetched
    when a budget runs out are listed as a warning.

    ``http_version`` "1.0" sends HTTP/1.0 requests (one connection each): servers then
    answer without chunked framing, whose spec-correct payload digest ``warcio check``
    rejects (warcio issue #74).  ``tls_context`` replaces the system's default trust (for
    example an institution's own CA bundle); it must still verify certificates and host
    names.  ``clock``, ``new_record_id`` and ``hostname`` (of the warcinfo record) are
    injectable for tests; ``progress`` is called as requisites are written.

    Credentials in the URL (``user:password@``) are removed: never sent, never written.
    ``cookies`` (from a cookies.txt, :mod:`warcite.capture.credentials`) and ``headers``
    are sent with every request they apply to; the values of ``Cookie`` and
    ``Authorization`` headers are replaced by their digest in the WARC's request records
    unless ``keep_credentials``, and the metadata record says credentials were used.

    ``dedupe`` is asked ``(target_uri, payload_digest)`` for every complete response with a
    payload (the page's too); when it answers with a :class:`~warcite.core.models.RevisitTarget`
    (an earlier record of the identical payload), that response is written as a WARC 1.1
    ``revisit`` record (profile identical-payload-digest: the HTTP head, no payload,
    ``WARC-Refers-To``, ``-Target-URI``, ``-Date``) and noted in the metadata record.

    The file is named ``<slug>-<UTC yyyymmddHHMMSS>.warc.gz``, or ``...-2.warc.gz``,
    ``-3``, ... when that name is taken; an existing file is never replaced.

    Raises CaptureError (nothing written) for DNS failure, refused connection, timeout
    before a response, TLS failure, a non-HTTP answer, too many redirects, a redirect to
    an invalid URL, a full disk, or a final status >= 400 unless ``keep_errors``;
    UsageError for a URL that is not http(s) or bad settings.
    """
    if timeout <= 0 or max_bytes <= 0 or max_redirects < 0 or max_requisites < 0:
        raise UsageError("timeout and max_bytes must be positive; limits cannot be negative")
    if workers < 1 or delay < 0 or max_total_bytes <= 0 or total_timeout <= 0:
        raise UsageError(
            "workers must be at least 1, the delay cannot be negative, and the total byte "
            "and time budgets must be positive"
        )
    if http_version not in HTTP_VERSIONS:
        raise UsageError(f"http_version must be one of {', '.join(HTTP_VERSIONS)}")
    context = capture_context(archive_dir, clock, new_record_id, hostname)
    requested = normalize_url(url)
    warnings: list[str] = []
    if has_credentials(url):
        warnings.append(
            f"the URL's credentials were removed ({redact_url(url.strip())}): warcite never "
            "sends nor archives credentials"
        )
    if slug:
        check_slug(slug)
    agent = check_header_value(user_agent or DEFAULT_USER_AGENT, "--user-agent")
    if tls_context is not None and not _verifies(tls_context):
        raise UsageError(
            "the TLS context must verify certificates and host names: warcite archives "
            "nothing it could not authenticate"
        )

    clock_lock = threading.Lock()  # requisites are fetched by several threads

    def now() -> datetime:
        with clock_lock:
            return context_now(context)

    budget = Budget(max_total_bytes=max_total_bytes, total_timeout=total_timeout)
    recorder = Recorder(
        limits=Limits(
            timeout=timeout, max_bytes=max_bytes, user_agent=agent, http_version=http_version
        ),
        clock=now,
        budget=budget,
        tls_context=tls_context,
        workers=workers,
        delay=delay,
    )
    if cookies or headers:
        recorder.extra_headers = request_credentials(cookies, headers)
    created = ensure_folder(context.archive_dir)
    spools: list[Spool] = []
    archive: ArchiveFile | None = None
    published = False
    try:
        started = now()
        page_spool = Spool(context.archive_dir)
        spools.append(page_spool)
        exchanges: list[Exchange] = []
        redirects: list[str] = []
        redirect_lines: list[str] = []
        current = requested
        if requisites:  # the page takes the first ready; its requisites find the others
            recorder.preconnect(requested, workers)
        while True:
            exchange = recorder.fetch(current, role="page", spool=page_spool)
            exchanges.append(exchange)
            status = exchange.message.status or 0
            location = exchange.message.header("Location")
            if status in REDIRECT_STATUSES and location:
                target = _redirect_target(requested, current, location)
                if len(redirects) >= max_redirects:
                    raise CaptureError(
                        f"cannot capture {requested}: more than {max_redirects} redirects "
                        f"(last: {current} -> {target}); nothing archived"
                    )
                exchange.role = "redirect"
                redirect_lines.append(f"{status} {current} -> {target}")
                redirects.append(current)
                current = target
                continue
            break
        page = exchanges[-1]
        final_status = page.message.status or 0
        if final_status >= 400 and not keep_errors:
            raise CaptureError(
                f"cannot capture {requested}: "
                + ("the server" if page.url == requested else f"{page.url} (after redirects)")
                + f" answered {page.message.start_line.split(' ', 1)[-1]}; nothing archived "
                "(use --keep-errors to archive error pages)"
            )
        warnings.extend(warning for exchange in exchanges for warning in exchange.warnings)

        memento = memento_of(page, requested)
        method = "import-memento" if memento else "http-capture"
        slug = slug or default_slug(memento.original_uri if memento else requested)
        file_name = first_free_name(context.archive_dir, warc_file_name(slug, started))
        info_id = context.new_record_id()
        settings: list[tuple[str, str | int | None]] = [
            ("http-version", http_version),
            ("workers-per-host", workers),
            ("delay-seconds", f"{delay:g}"),
        ]
        warcinfo = warcinfo_record(
            info_id,
            warc_date(started),
            file_name,
            context.hostname,
            user_agent=agent,
            description=f"warcite capture of {requested}",
            extra_fields=settings,
        )
        archive = ArchiveFile(context.archive_dir, file_name)
        archive.write(warcinfo)
        writer = ExchangeWriter(archive, context.new_record_id, info_id, dedupe)
        writer.redact = not keep_credentials
        for exchange in exchanges:
            writer.write(exchange)

        requisite_lines: list[str] = []
        if requisites and is_html(page.message):
            found = html_requisites(page, max(4 * max_bytes, 8 * 1024 * 1024), warnings)
            requisite_lines, requisite_warnings = fetch_requisites(
                found,
                recorder=recorder,
                spool_folder=context.archive_dir,
                max_requisites=max_requisites,
                max_redirects=max_redirects,
                already_fetched=[exchange.url for exchange in exchanges],
                threads=_threads(workers, found),
                write=writer.write,
                progress=progress,
            )
            warnings.extend(requisite_warnings)
        finished = now()

        content_type = page.message.header("Content-Type")
        if memento:
            description = memento_description(page.url, memento)
        else:
            description = f"Live HTTP capture of {requested} by warcite {__version__}."
        fields: list[tuple[str, str | int | None]] = [
            ("method", method),
            ("source-description", description),
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
        if memento:
            fields.extend(memento_fields(memento))
        fields.extend(("requisite", line) for line in requisite_lines)
        fields.extend(("revisit", line) for line in writer.revisit_lines)
        fields.append(("user-agent", agent))
        fields.append(("bytes-received", budget.used))
        fields.extend(credential_fields(cookies, headers, writer.redacted))
        fields.extend(("warning", warning) for warning in warnings)
        main_id = writer.response_ids[id(page)]
        archive.write(
            RecordDraft(
                "metadata",
                context.new_record_id(),
                warc_date(finished),
                page.url,
                "application/warc-fields",
                fields_block(fields),
                [("WARC-Refers-To", main_id), ("WARC-Warcinfo-ID", info_id)],
            )
        )
        written = archive.publish(lambda name: with_file_name(warcinfo, name))
        published = True
        return CaptureResult(
            path=written,
            method=method,
            records=tuple(archive.infos),
            main_record_id=main_id,
            target_uri=requested,
            final_uri=page.url,
            status=final_status,
            content_type=content_type,
            truncated=page.truncated,
            memento=memento,
            started_at=started,
            user_agent=agent,
            redirects=tuple(redirects),
            warnings=tuple(warnings),
        )
    finally:
        if published:
            recorder.close()
        else:
            recorder.abort()  # a failure: requests still in flight end now
        for spool in spools:
            spool.close()
        if archive is not None:
            archive.close()
        if not published:
            remove_folders(created)


def _threads(workers: int, found: list[Requisite]) -> int:
    """Threads for the requisites: ``workers`` per host named (up to 4 hosts), never idle
    ones (each costs a start), one when requests are to go one at a time."""
    if workers == 1:
        return 1
    hosts = {urlsplit(requisite.url)[:2] for requisite in found}
    return max(1, min(32, workers * min(len(hosts), 4), len(found)))


def _redirect_target(requested: str, current: str, location: str) -> str:
    """Where a redirect leads, as warcite requests it; CaptureError for a bad Location."""
    try:
        return normalize_url(urljoin(current, location.strip()))
    except (UsageError, ValueError) as error:
        shown = redact_url(location.strip())
        shown = shown if len(shown) <= 200 else shown[:197] + "..."
        raise CaptureError(
            f"cannot capture {requested}: {current} redirects to {shown!r}, which is not a "
            f"valid http(s) URL ({error}); nothing archived"
        ) from error


class ExchangeWriter:
    """Writes exchanges as request + response (or revisit) records, in the order given."""

    def __init__(
        self,
        archive: ArchiveFile,
        new_record_id: RecordIdFactory,
        info_id: str,
        dedupe: DedupeLookup | None,
    ) -> None:
        self.archive = archive
        self.new_record_id = new_record_id
        self.info_id = info_id
        self.dedupe = dedupe
        self.response_ids: dict[int, str] = {}
        self.revisit_lines: list[str] = []
        self.timing_lines: list[str] = []
        self.redact = False  # credential values in requests replaced by their digest
        self.redacted = 0

    def write(self, exchange: Exchange) -> None:
        original = exchange
        if self.redact:
            request, count = redact_request(exchange.request)
            if count:
                self.redacted += count
                exchange = dataclasses.replace(exchange, request=request)
        request_id = self.new_record_id()
        response_id = self.new_record_id()
        self.response_ids[id(exchange)] = response_id
        self.response_ids[id(original)] = response_id
        date = warc_date(exchange.date)
        common = [("WARC-Warcinfo-ID", self.info_id), ("WARC-IP-Address", exchange.ip_address)]
        self.archive.write(
            RecordDraft(
                "request",
                request_id,
                date,
                exchange.url,
                "application/http; msgtype=request",
                exchange.request,
                [*common, ("WARC-Concurrent-To", response_id)],
            )
        )
        response_extra = [*common, ("WARC-Concurrent-To", request_id)]
        revisit = _revisit_of(exchange, self.dedupe)
        if revisit is not None:
            payload_digest, earlier = revisit
            self.archive.write(
                revisit_record(
                    response_id,
                    date,
                    exchange.url,
                    exchange.message.head,
                    payload_digest,
                    earlier,
                    response_extra,
                )
            )
            self.revisit_lines.append(f"{exchange.url} {earlier.refers_to_record_id}")
        else:
            if exchange.truncated:
                response_extra.append(("WARC-Truncated", exchange.truncated))
            self.archive.write(
                RecordDraft(
                    "response",
                    response_id,
                    date,
                    exchange.url,
                    "application/http; msgtype=response",
                    exchange.response,
                    response_extra,
                    block_digest=exchange.block_digest,
                    payload_digest=exchange.payload_digest,
                )
            )
        self.timing_lines.append(
            f"{exchange.role} {exchange.url} "
            + " ".join(f"{k}={v}" for k, v in exchange.timings.items())
        )


EMPTY_PAYLOAD_DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def _revisit_of(
    exchange: Exchange, dedupe: DedupeLookup | None
) -> tuple[str, RevisitTarget] | None:
    """The payload digest and the earlier record a response revisits, or None to store it."""
    if dedupe is None or exchange.truncated or not exchange.has_payload:
        return None
    payload_digest = exchange.payload_digest
    if payload_digest is None or payload_digest == EMPTY_PAYLOAD_DIGEST:
        return None
    target = dedupe(exchange.url, payload_digest)
    if target is None:
        return None
    return payload_digest, checked_revisit_target(target, exchange.url)
