"""Fetching requisites: what the page names and what its stylesheets name, breadth first.

Requisites are fetched concurrently (a pool of threads; the recorder lets at most
``workers`` requests run at once per host) and written to the WARC in the order they were
found, so the same site gives the same WARC whatever the timing.  What a stylesheet
references is queued when the stylesheet is written.  Fetching stops, with a warning, at
the requisite limit and when the capture's byte or time budget is spent.
"""

from __future__ import annotations

import concurrent.futures
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from warcite.capture.common import REDIRECT_STATUSES, CaptureProgress
from warcite.capture.css import (
    CHARSET_PARAMETER,
    MAX_CSS_IMPORT_DEPTH,
    CssReference,
    css_text,
    find_css_references,
)
from warcite.capture.decoding import ChunkedDecoder, DecodeError, DecoderChain, codings_of
from warcite.capture.html import HtmlRequisiteFinder, Requisite
from warcite.capture.recorder import Exchange, Recorder
from warcite.capture.spool import DiskError, Spool
from warcite.core.errors import CaptureError, UsageError
from warcite.core.urls import normalize_url
from warcite.core.warc.http import HttpMessage

MAX_STYLESHEET_BYTES = 8 * 1024 * 1024
"""The most decoded bytes of one stylesheet searched for references."""


def decoded_body(exchange: Exchange, limit: int) -> Iterator[bytes]:
    """The response's entity body with transfer- and content-codings undone, streamed.

    Raises DecodeError (a DecodeLimitError beyond ``limit`` decoded bytes) for codings
    that cannot be undone or data that is not what its coding says.
    """
    message = exchange.message
    transfer = codings_of(message.header_values("Transfer-Encoding"))
    chunked = ChunkedDecoder() if transfer and transfer[-1] == "chunked" else None
    if chunked is not None:
        transfer = transfer[:-1]
    transfer_chain = DecoderChain([c for c in transfer if c != "identity"], limit, transfer=True)
    content_chain = DecoderChain(
        [c for c in codings_of(message.header_values("Content-Encoding")) if c != "identity"],
        limit,
        transfer=False,
    )
    skip = len(message.head)
    for piece in exchange.response.chunks():
        if skip:
            taken = min(skip, len(piece))
            piece, skip = piece[taken:], skip - taken
        if not piece:
            continue
        if chunked is not None:
            if chunked.done:
                break
            piece = chunked.feed(piece)
        for decoded in transfer_chain.feed(piece):
            yield from content_chain.feed(decoded)
    for decoded in transfer_chain.finish():
        yield from content_chain.feed(decoded)
    yield from content_chain.finish()


def html_requisites(exchange: Exchange, limit: int, warnings: list[str]) -> list[Requisite]:
    """The requisites a fetched HTML page names (its body read from the spool, streamed)."""
    declared = CHARSET_PARAMETER.search(exchange.message.header("Content-Type") or "")
    finder = HtmlRequisiteFinder(declared.group(1) if declared else None)
    try:
        for piece in decoded_body(exchange, limit):
            finder.feed(piece)
    except DecodeError as error:
        warnings.append(
            f"{exchange.url}: requisites searched only in the body up to where it could "
            f"not be decoded ({error})"
        )
    if finder.dropped:
        warnings.append(
            f"{exchange.url}: the page names more than {len(finder.requisites(exchange.url))} "
            f"distinct resources; {finder.dropped} further references were not considered"
        )
    return finder.requisites(exchange.url)


def _is_stylesheet_response(requisite: Requisite, message: HttpMessage) -> bool:
    media_type = (message.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return media_type == "text/css" or (requisite.stylesheet and not media_type)


def _stylesheet_references(exchange: Exchange, url: str, warnings: list[str]) -> list[CssReference]:
    """What a fetched stylesheet references (resolved against ``url``, its final URL)."""
    try:
        body = b"".join(decoded_body(exchange, MAX_STYLESHEET_BYTES))
    except DecodeError as error:
        warnings.append(f"stylesheet {url}: references not followed, body not decodable ({error})")
        return []
    return find_css_references(css_text(body, exchange.message.header("Content-Type")), url)


@dataclass
class _Task:
    """One requisite and its redirect hops, fetched by a worker into its own spool."""

    requisite: Requisite
    spool: Spool
    exchanges: list[Exchange] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    final: tuple[Exchange, str] | None = None  # the last hop and its URL
    skipped: str | None = None  # why it was not fetched at all (a budget ran out)


def _budget_spent(recorder: Recorder) -> str | None:
    """Why no further request may start, or None."""
    budget = recorder.budget
    if budget.bytes_left() <= 0:
        return (
            f"the capture's byte budget of {budget.max_total_bytes} bytes is spent "
            "(raise --max-total-bytes)"
        )
    if budget.time_left() <= 0:
        return (
            f"the capture's time budget of {budget.total_timeout:g} s is spent "
            "(raise --total-timeout)"
        )
    return None


def _fetch_chain(
    requisite: Requisite, recorder: Recorder, spool_folder: Path, max_redirects: int
) -> _Task:
    task = _Task(requisite, Spool(spool_folder))
    hop_url = requisite.url
    try:
        for _hop in range(max_redirects + 1):
            spent = _budget_spent(recorder)
            if spent is not None:
                if not task.exchanges:
                    task.skipped = spent
                    return task
                raise CaptureError(spent)
            fetched = recorder.fetch(
                hop_url, role="requisite", spool=task.spool, referer=requisite.referer
            )
            task.exchanges.append(fetched)
            task.warnings.extend(fetched.warnings)
            hop_status = fetched.message.status or 0
            hop_location = fetched.message.header("Location")
            task.lines.append(f"{hop_status} {hop_url}")
            if hop_status in REDIRECT_STATUSES and hop_location:
                hop_url = normalize_url(urljoin(hop_url, hop_location.strip()))
                continue
            task.final = (fetched, hop_url)
            break
        else:
            task.warnings.append(
                f"requisite {requisite.url} not archived beyond {max_redirects} redirects"
            )
    except DiskError:
        task.spool.close()
        raise
    except (CaptureError, UsageError, ValueError) as error:  # ValueError: bad Location
        task.warnings.append(f"requisite {hop_url} not archived: {error}")
        task.lines.append(f"failed {hop_url}")
    return task


def fetch_requisites(
    initial: Sequence[Requisite],
    *,
    recorder: Recorder,
    spool_folder: Path,
    max_requisites: int,
    max_redirects: int,
    already_fetched: Sequence[str],
    threads: int,
    write: Callable[[Exchange], None],
    progress: Callable[[CaptureProgress], None] | None = None,
) -> tuple[list[str], list[str]]:
    """Fetch the requisites and what their stylesheets reference; ``write`` each exchange.

    Returns the metadata record's ``requisite`` lines and the warnings.  At most
    ``max_requisites`` URLs are fetched (each with its redirect hops); a URL is queued
    once; a stylesheet's references are fetched with the stylesheet's URL as ``Referer``
    and ``@import`` is followed :data:`MAX_CSS_IMPORT_DEPTH` steps deep.
    """
    lines: list[str] = []
    warnings: list[str] = []
    queue = deque(initial)
    seen = {*already_fetched, *(requisite.url for requisite in queue)}
    window = max(4 * threads, 16)  # tasks fetched ahead of the one to write next
    order: list[concurrent.futures.Future[_Task]] = []
    written = 0
    stopped: str | None = None
    skipped: list[str] = []

    def report() -> None:
        if progress is not None:
            total = len(order) + len(queue) if stopped is None else len(order)
            progress(CaptureProgress(written, min(total, max_requisites), recorder.budget.used))

    with concurrent.futures.ThreadPoolExecutor(
        max_workers=threads, thread_name_prefix="warcite-requisite"
    ) as pool:
        try:
            while True:
                while queue and stopped is None and len(order) - written < window:
                    if len(order) >= max_requisites:
                        stopped = (
                            f"the limit of {max_requisites} requisites was reached "
                            "(raise --max-requisites)"
                        )
                    elif _budget_spent(recorder) is not None:
                        stopped = _budget_spent(recorder)
                    else:
                        requisite = queue.popleft()
                        order.append(
                            pool.submit(
                                _fetch_chain, requisite, recorder, spool_folder, max_redirects
                            )
                        )
                report()
                if written == len(order):
                    break
                head = order[written]
                if not head.done():  # wait for any task, then top up the pool
                    pending = [future for future in order[written:] if not future.done()]
                    concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                    continue
                task = head.result()
                if task.skipped is not None:
                    skipped.append(task.requisite.url)
                    stopped = stopped or task.skipped
                try:
                    for exchange in task.exchanges:
                        seen.add(exchange.url)
                        write(exchange)
                    lines.extend(task.lines)
                    warnings.extend(task.warnings)
                    if task.final is not None:
                        _queue_stylesheet_references(task, queue, seen, warnings)
                finally:
                    task.spool.close()
                written += 1
        except BaseException:
            recorder.abort()  # requests in flight end now, not at their timeout
            for future in order[written:]:
                future.cancel()
            for future in order[written:]:
                if not future.cancelled():
                    try:
                        future.result().spool.close()
                    except BaseException:
                        continue  # already failing: the first error is the one reported
            raise
    not_archived = [*skipped, *(requisite.url for requisite in queue)]
    if not_archived and stopped is not None:
        warnings.append(
            f"{len(not_archived)} requisite(s) not archived: {stopped} (first not archived: "
            f"{not_archived[0]})"
        )
    report()
    return lines, warnings


def _queue_stylesheet_references(
    task: _Task, queue: deque[Requisite], seen: set[str], warnings: list[str]
) -> None:
    assert task.final is not None
    fetched, hop_url = task.final
    hop_status = fetched.message.status or 0
    if not (200 <= hop_status < 300 and _is_stylesheet_response(task.requisite, fetched.message)):
        return
    for reference in _stylesheet_references(fetched, hop_url, warnings):
        if reference.url in seen:
            continue
        depth = task.requisite.import_depth + (1 if reference.is_import else 0)
        if reference.is_import and depth > MAX_CSS_IMPORT_DEPTH:
            warnings.append(
                f"stylesheet {reference.url} not archived: imported more than "
                f"{MAX_CSS_IMPORT_DEPTH} @import steps deep (from {hop_url})"
            )
            continue
        seen.add(reference.url)
        queue.append(Requisite(reference.url, hop_url, reference.is_import, depth))
