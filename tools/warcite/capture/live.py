"""Live capture: a URL -> redirects, the page and its requisites -> one new WARC."""

from __future__ import annotations

import ssl
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from warcite import __version__
from warcite.capture.common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_MAX_REQUISITES,
    DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
    REDIRECT_STATUSES,
    Clock,
    DedupeLookup,
    RecordIdFactory,
    _context,
    _ms,
    _now,
    warc_date,
)
from warcite.capture.mementos import _memento_description, _memento_fields, _memento_of
from warcite.capture.recorder import _entity, _Exchange, _fetch, _is_html, _Limits
from warcite.capture.requisites import _fetch_requisites
from warcite.capture.urls import normalize_url
from warcite.capture.writer import (
    _check_revisit_target,
    _fields_block,
    _Record,
    _revisit_record,
    _warcinfo,
    _write_archive,
)
from warcite.errors import CaptureError, UsageError, WarcReadError
from warcite.models import CaptureResult, RevisitTarget
from warcite.slugs import check_slug, default_slug, warc_file_name
from warcite.warc import compute_payload_digest, decode_content, labelled_digest

EMPTY_PAYLOAD_DIGEST = labelled_digest(b"")


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
) -> CaptureResult:
    """Capture a live http(s) page into a new WARC in ``archive_dir``.

    Redirects (301, 302, 303, 307, 308) are followed up to ``max_redirects``, each hop its
    own request/response pair.  With ``requisites``, the page's stylesheets, images,
    scripts and favicon are fetched too (with ``Referer``, same limits, at most
    ``max_requisites``), and so is what stylesheets reference (``url()`` and ``@import``
    in fetched stylesheets, inline ``<style>`` and ``style=""``; a fetched stylesheet is
    the ``Referer`` of what it names; ``@import`` is followed
    :data:`MAX_CSS_IMPORT_DEPTH` steps deep); a requisite that fails is reported, not fatal.  ``timeout`` bounds
    each transfer and ``max_bytes`` each body: a body cut by either is kept, marked with
    ``WARC-Truncated``.

    ``tls_context`` replaces the system's default trust (for example an institution's own
    CA bundle); it must still verify certificates and host names.  ``clock``,
    ``new_record_id`` and ``hostname`` (of the warcinfo record) are injectable for tests.

    ``dedupe`` is asked ``(target_uri, payload_digest)`` for every complete response with a
    payload (the page's too); when it answers with a :class:`~warcite.models.RevisitTarget`
    (an earlier record of the identical payload), that response is written as a WARC 1.1
    ``revisit`` record (profile identical-payload-digest: the HTTP head, no payload,
    ``WARC-Refers-To``, ``-Target-URI``, ``-Date``) and noted in the metadata record.

    Raises CaptureError (nothing written) for DNS failure, refused connection, timeout
    before a response, TLS failure, a non-HTTP answer, too many redirects, or a final
    status >= 400 unless ``keep_errors``; UsageError for a URL that is not http(s);
    ArchiveExistsError when the target file exists.
    """
    if timeout <= 0 or max_bytes <= 0 or max_redirects < 0 or max_requisites < 0:
        raise UsageError("timeout and max_bytes must be positive; limits cannot be negative")
    context = _context(archive_dir, clock, new_record_id, hostname)
    requested = normalize_url(url)
    if slug:
        check_slug(slug)
    agent = user_agent or DEFAULT_USER_AGENT
    if tls_context is not None and (
        tls_context.verify_mode != ssl.CERT_REQUIRED or not tls_context.check_hostname
    ):
        raise UsageError(
            "the TLS context must verify certificates and host names: warcite archives "
            "nothing it could not authenticate"
        )
    limits = _Limits(
        timeout=timeout, max_bytes=max_bytes, user_agent=agent, tls_context=tls_context
    )

    def now() -> datetime:
        return _now(context)

    started = now()
    exchanges: list[_Exchange] = []
    redirects: list[str] = []
    redirect_lines: list[str] = []
    current = requested
    while True:
        exchange = _fetch(current, limits=limits, clock=now, role="page")
        exchanges.append(exchange)
        status = exchange.message.status or 0
        location = exchange.message.header("Location")
        if status in REDIRECT_STATUSES and location:
            target = normalize_url(urljoin(current, location.strip()))
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
    warnings = [warning for exchange in exchanges for warning in exchange.warnings]

    requisite_lines: list[str] = []
    if requisites and _is_html(page.message):
        try:
            html = decode_content(_entity(page), page.message.header("Content-Encoding"))
        except (ValueError, OSError) as error:
            html = b""
            warnings.append(f"{page.url}: requisites not fetched, body not decodable ({error})")
        fetched, requisite_lines, requisite_warnings = _fetch_requisites(
            page,
            html,
            limits=limits,
            clock=now,
            max_requisites=max_requisites,
            max_redirects=max_redirects,
            already_fetched=[exchange.url for exchange in exchanges],
        )
        exchanges.extend(fetched)
        warnings.extend(requisite_warnings)

    memento = _memento_of(page, requested)
    method = "import-memento" if memento else "http-capture"
    slug = slug or default_slug(memento.original_uri if memento else requested)
    file_name = warc_file_name(slug, started)
    finished = now()

    info_id = context.new_record_id()
    records: list[_Record] = [
        _warcinfo(
            info_id,
            warc_date(started),
            file_name,
            context.hostname,
            user_agent=agent,
            description=f"warcite capture of {requested}",
        )
    ]
    response_ids: dict[int, str] = {}
    revisit_lines: list[str] = []
    for index, exchange in enumerate(exchanges):
        request_id = context.new_record_id()
        response_id = context.new_record_id()
        response_ids[index] = response_id
        date = warc_date(exchange.date)
        common = [("WARC-Warcinfo-ID", info_id), ("WARC-IP-Address", exchange.ip_address)]
        records.append(
            _Record(
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
        revisit = _revisit_of(exchange, dedupe)
        if revisit is not None:
            payload_digest, earlier = revisit
            records.append(
                _revisit_record(
                    response_id,
                    date,
                    exchange.url,
                    exchange.message.head,
                    payload_digest,
                    earlier,
                    response_extra,
                )
            )
            revisit_lines.append(f"{exchange.url} {earlier.refers_to_record_id}")
            continue
        if exchange.truncated:
            response_extra.append(("WARC-Truncated", exchange.truncated))
        records.append(
            _Record(
                "response",
                response_id,
                date,
                exchange.url,
                "application/http; msgtype=response",
                exchange.response,
                response_extra,
            )
        )
    page_index = exchanges.index(page)
    main_id = response_ids[page_index]
    content_type = page.message.header("Content-Type")
    if page.truncated:
        outcome = f"truncated ({page.truncated})"
    elif final_status >= 400:
        outcome = f"HTTP error {final_status} archived at the user's request (--keep-errors)"
    else:
        outcome = "complete"
    if memento:
        description = _memento_description(page.url, memento)
    else:
        description = f"Live HTTP capture of {requested} by warcite {__version__}."
    fields: list[tuple[str, str | int | None]] = [
        ("method", method),
        ("source-description", description),
        ("requested-uri", requested),
    ]
    fields.extend(("redirect", line) for line in redirect_lines)
    fields.extend(
        [
            ("final-uri", page.url),
            ("http-status", final_status),
            ("content-type", content_type),
            ("started-at", warc_date(started)),
            ("finished-at", warc_date(finished)),
            ("duration-ms", _ms(started, finished)),
        ]
    )
    fields.extend(
        (
            "timing",
            f"{exchange.role} {exchange.url} "
            + " ".join(f"{k}={v}" for k, v in exchange.timings.items()),
        )
        for exchange in exchanges
    )
    fields.append(("outcome", outcome))
    fields.append(("truncated", page.truncated))
    if memento:
        fields.extend(_memento_fields(memento))
    fields.extend(("requisite", line) for line in requisite_lines)
    fields.extend(("revisit", line) for line in revisit_lines)
    fields.append(("user-agent", agent))
    fields.extend(("warning", warning) for warning in warnings)
    records.append(
        _Record(
            "metadata",
            context.new_record_id(),
            warc_date(finished),
            page.url,
            "application/warc-fields",
            _fields_block(fields),
            [("WARC-Refers-To", main_id), ("WARC-Warcinfo-ID", info_id)],
        )
    )
    written, infos = _write_archive(context.archive_dir, file_name, records)
    truncated = page.truncated
    return CaptureResult(
        path=written,
        method=method,
        records=tuple(infos),
        main_record_id=main_id,
        target_uri=requested,
        final_uri=page.url,
        status=final_status,
        content_type=content_type,
        truncated=truncated,
        memento=memento,
        started_at=started,
        user_agent=agent,
        redirects=tuple(redirects),
        warnings=tuple(warnings),
    )


def _revisit_of(
    exchange: _Exchange, dedupe: DedupeLookup | None
) -> tuple[str, RevisitTarget] | None:
    """The payload digest and the earlier record a response revisits, or None to store it."""
    if dedupe is None or exchange.truncated or not exchange.message.body:
        return None
    try:
        payload_digest = compute_payload_digest("response", exchange.response)
    except WarcReadError:
        return None  # a transfer-coding warcite cannot undo: no payload digest to compare
    if payload_digest is None or payload_digest == EMPTY_PAYLOAD_DIGEST:
        return None
    target = dedupe(exchange.url, payload_digest)
    if target is None:
        return None
    return payload_digest, _check_revisit_target(target, exchange.url)
