"""Archive many pages in one run: ``warcite archive SRC [SRC ...]`` and ``--from FILE``.

Each source goes through the single-page job, :func:`warcite.collection.archive.archive` (capture or
import, extract, record, validate), in a pool of ``jobs`` threads: the network waits
overlap, while the record stage (choosing the record's id and writing it) is serialised by
one lock so two pages can never claim the same id.

* A failure is reported for its item and the batch goes on; :func:`run_batch` returns a
  :class:`BatchReport` with one :class:`ItemResult` per source, in input order.
* **Resumable**: a source that is *already archived* is skipped (status ``skipped``)
  unless ``recapture``.  Already archived means a record exists for it: for a URL, a
  record whose original URL, final URL, WARC-Target-URI or requested URL has the same
  work key (warcite.collection.catalog.work_key); for a WARC in ``archive/``, a record made from
  that file; for another file, a record whose imported payload has the file's sha256 (for
  a WARC to import: the payload digest of its page).  Records are written atomically, so
  an interrupted run leaves only complete records and a rerun continues where it stopped.
  A capture that an interrupted run kept without its record (a WARC in ``archive/`` no
  record refers to, see :func:`kept_captures`) is finished from that WARC, not fetched
  again, unless ``recapture``.
* A source given twice (the same work key) is archived once; the repeat is ``duplicate``.

Source lists (``--from``): UTF-8 text, one source a line, optionally followed by the
original URL of a saved file (``saved/page.html https://example.org/page``); blank lines
and lines starting with ``#`` are ignored, and so is a `` #`` comment after a source.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcite.collection.catalog import CatalogEntry
from warcite.collection.catalog_by_work import CatalogueByWork, CatalogueRow
from warcite.collection.run_dedupe import RunDedupe
from warcite.core import run_scope
from warcite.core.errors import ArchiveExistsError, UsageError, WarciteError
from warcite.core.project import archive_warcs, display_path, relative_to_project
from warcite.core.urls import work_key

MAX_LIST_BYTES = 64 * 1024 * 1024
"""A source list larger than this is refused (a list of a million URLs is ~100 MB: split it)."""
MAX_LINE_CHARACTERS = 16 * 1024
MAX_JOBS = 64
ARCHIVE_EXISTS_RETRIES = 3


@dataclass(frozen=True)
class Source:
    """One item of a batch: what to archive, the original URL of a file, where it was given."""

    source: str
    url: str | None = None
    origin: str = "argument"  # "argument" or "<list file>:<line>"


@dataclass(frozen=True)
class ItemResult:
    """What happened to one source.

    ``status``: ``archived`` (a new record), ``unchanged`` (a WARC in archive/ whose record
    was rebuilt identical), ``skipped`` (already archived), ``duplicate`` (given earlier in
    this batch) or ``failed`` (``message`` says why, ``exit_code`` is its kind's exit code).
    ``position`` is the source's place in the batch, from 0.
    """

    source: str
    origin: str
    status: str
    record: str | None = None
    path: str | None = None
    warc: str | None = None
    message: str | None = None
    exit_code: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "origin": self.origin,
            "status": self.status,
            "record": self.record,
            "path": self.path,
            "warc": self.warc,
            "message": self.message,
            "exit_code": self.exit_code,
            "seconds": round(self.seconds, 3),
        }

    position: int = 0

    def line(self) -> str:
        """One line of the text report."""
        if self.status == "failed":
            return f"failed     {self.source}  (exit {self.exit_code}) {self.message}"
        if self.status in ("skipped", "duplicate"):
            return f"{self.status:<10} {self.source}  {self.message or ''}".rstrip()
        return f"{self.status:<10} {self.source}  {self.path}"


@dataclass(frozen=True)
class BatchReport:
    items: tuple[ItemResult, ...]
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        parts = [
            f"{self.count(status)} {status}"
            for status in ("archived", "unchanged", "skipped", "duplicate", "failed")
            if self.count(status) or status in ("archived", "failed")
        ]
        return f"{len(self.items)} sources: {', '.join(parts)} ({self.seconds:.1f} s)"

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": [item.as_dict() for item in self.items],
            "summary": {
                status: self.count(status)
                for status in ("archived", "unchanged", "skipped", "duplicate", "failed")
            }
            | {"total": len(self.items), "seconds": round(self.seconds, 3)},
        }


# --------------------------------------------------------------------------- sources


def parse_source_list(text: str, name: str) -> list[Source]:
    """The sources of a list file's text (see the module docstring); UsageError for a line
    that is too long or holds more than a source and a URL."""
    sources = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_LINE_CHARACTERS:
            raise UsageError(
                f"{name}:{number}: the line is {len(line)} characters long "
                f"(at most {MAX_LINE_CHARACTERS}); one source a line"
            )
        words = []
        for word in line.split():
            if word.startswith("#"):
                break  # a comment after the source
            words.append(word)
        if len(words) > 2:
            raise UsageError(
                f"{name}:{number}: expected a URL or a file (and, for a file, its original "
                f"URL), found {len(words)} fields: {line[:200]!r}"
            )
        sources.append(Source(words[0], words[1] if len(words) == 2 else None, f"{name}:{number}"))
    return sources


def read_source_list(path: str, *, stdin: Any = None) -> list[Source]:
    """The sources listed in a file (``-``: standard input), read with a size limit."""
    if path == "-":
        import sys

        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_LIST_BYTES + 1)
        name = "<stdin>"
    else:
        file = Path(path)
        try:
            if not file.is_file():
                raise UsageError(f"--from {path}: no such file (a list of URLs, one a line)")
            with file.open("rb") as stream:
                data = stream.read(MAX_LIST_BYTES + 1)
        except OSError as error:
            raise UsageError(
                f"--from {path}: cannot read it ({error.strerror or error})"
            ) from error
        name = path
    if len(data) > MAX_LIST_BYTES:
        raise UsageError(
            f"--from {name}: the list is larger than {MAX_LIST_BYTES // (1024 * 1024)} MiB; "
            "split it into several lists"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"--from {name}: not UTF-8 text (byte {error.start}); save the list as UTF-8"
        ) from error
    return parse_source_list(text, name)


# --------------------------------------------------------------------------- what is archived


def _is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


@dataclass
class ArchivedSet:
    """What the collection holds, for the already-archived test (see the module docstring)."""

    project_root: Path
    keys: dict[str, str] = field(default_factory=dict)  # work key -> record id
    warcs: dict[str, str] = field(default_factory=dict)  # archive/... path -> record id
    payloads: dict[str, str] = field(default_factory=dict)  # imported payload digest -> id

    @classmethod
    def from_entries(cls, entries: Iterable[CatalogEntry], project_root: Path) -> ArchivedSet:
        held = cls(project_root)
        for entry in entries:
            held.add(entry)
        return held

    @classmethod
    def from_rows(cls, rows: Iterable[CatalogueRow], project_root: Path) -> ArchivedSet:
        """From the index's catalogue columns (no entry decoded)."""
        held = cls(project_root)
        for row in rows:
            held._add(row.id, row.keys, row.warc_path, row.payload_digest, row.method)
        return held

    def add(self, entry: CatalogEntry) -> None:
        self._add(entry.id, entry.keys, entry.warc_path, entry.payload_digest, entry.method)

    def _add(
        self,
        record: str,
        keys: Iterable[str],
        warc_path: str | None,
        payload_digest: str | None,
        method: str | None,
    ) -> None:
        for key in keys:
            self.keys.setdefault(key, record)
        if warc_path:
            self.warcs.setdefault(warc_path, record)
        if payload_digest and (method or "").startswith("import-"):
            self.payloads.setdefault(payload_digest, record)

    def record_for(self, source: Source) -> str | None:
        """The id of a record that already archives ``source``, or None."""
        if _is_url(source.source):
            return self.keys.get(work_key(source.source))
        path = Path(source.source)
        if not path.is_file():
            return None
        try:
            relative = relative_to_project(path, self.project_root)
        except WarciteError:
            relative = None
        if relative is not None and relative in self.warcs:
            return self.warcs[relative]
        if source.source.lower().endswith((".warc", ".warc.gz")):
            from warcite.core.warc.pages import read_page

            try:
                digest = read_page(path).payload_digest
            except WarciteError:
                return None
        else:
            try:
                digest = _file_sha256(path)
            except OSError:
                return None
        return self.payloads.get(digest) if digest else None


def source_key(source: Source) -> str:
    """What makes two sources of one batch the same: the work key of a URL, else the
    resolved path of a file."""
    if _is_url(source.source):
        return work_key(source.source)
    try:
        return str(Path(source.source).resolve())
    except OSError:
        return source.source


def kept_captures(project_root: Path, recorded: Iterable[str] = ()) -> dict[str, str]:
    """What interrupted runs left to finish: for each WARC in ``archive/`` that no record
    refers to, the key of the source it archived -> the WARC (relative to the project; the
    newest when there are several).  Keys are :func:`source_key`'s for a URL (the work key
    of the URL requested, or of the page's original URL) and ``sha256:<hex>`` for an
    imported file.  ``recorded``: WARCs known to be records' own (the catalogue's); when
    they are all of archive/, no record file needs reading."""
    from warcite.core.warc.pages import read_page
    from warcite.integrity.validate import unrecorded_warcs

    if set(archive_warcs(project_root)) <= set(recorded):
        return {}
    kept: dict[str, str] = {}
    for relative in unrecorded_warcs(project_root):  # in name order: the newest last
        try:
            page = read_page(project_root / relative)
        except WarciteError:
            continue  # not a page warcite can record: validate reports it
        fields = {name.lower(): value for name, value in page.source_metadata}
        for url in (fields.get("requested-uri"), page.url):
            if url:
                kept[work_key(url)] = relative
        digest = fields.get("source-file-sha256")
        if digest:
            kept[f"sha256:{digest}"] = relative
    return kept


def _kept_for(source: Source, kept: dict[str, str]) -> str | None:
    if not kept:
        return None
    if _is_url(source.source):
        return kept.get(work_key(source.source))
    path = Path(source.source)
    if source.source.lower().endswith((".warc", ".warc.gz")) or not path.is_file():
        return None
    try:
        return kept.get(_file_sha256(path))
    except OSError:
        return None


# --------------------------------------------------------------------------- running

ArchiveFunction = Callable[..., Any]


def archive_one(
    source: Source,
    *,
    project_root: Path,
    lock: Any,
    catalogue: Sequence[CatalogEntry] = (),
    **options: Any,
) -> Any:
    """The single-page job for one source (warcite.collection.archive.archive), the record stage
    under ``lock``, recaptures linked from ``catalogue`` (the entries at the batch's start:
    a batch archives each work once).  A WARC name taken in the same second is retried
    after a pause."""
    from warcite.collection.archive import archive

    for attempt in range(ARCHIVE_EXISTS_RETRIES + 1):
        try:
            return archive(
                source.source,
                project_root=project_root,
                url=source.url,
                record_lock=lock,
                catalogue=catalogue,
                **options,
            )
        except ArchiveExistsError:
            if attempt == ARCHIVE_EXISTS_RETRIES or not _is_url(source.source):
                raise
            time.sleep(1.0)
    raise AssertionError("unreachable")  # pragma: no cover


def run_batch(
    sources: Sequence[Source],
    *,
    project_root: Path,
    jobs: int = 4,
    recapture: bool = False,
    on_item: Callable[[ItemResult], None] | None = None,
    archive_function: ArchiveFunction | None = None,
    **options: Any,
) -> BatchReport:
    """Archive every source, ``jobs`` at a time; never raises for one source's failure.

    ``on_item`` is called in the calling thread as each item finishes (for a progress bar
    or a streamed report).  ``options`` go to warcite.collection.archive.archive (operator, note,
    observed_at).  ``archive_function`` replaces :func:`archive_one` (tests, benchmarks).
    Raises UsageError for ``jobs`` out of range; KeyboardInterrupt stops starting new
    items, lets the running ones finish their atomic writes, and is raised again.
    """
    from warcite.collection.index import index_path, open_index
    from warcite.collection.revisit import payloads_in

    if not 1 <= jobs <= MAX_JOBS:
        raise UsageError(f"--jobs must be between 1 and {MAX_JOBS}, not {jobs}")
    started = time.monotonic()
    # opened once for the run; by the folder check (warcite.collection.index.CHECKS): a
    # record written in place by another program does not change what a batch skips or
    # links (the full check's stat of every file cost a second at 100,000 records)
    with open_index(project_root, check="folder") as (connection, _):
        # recaptures looked up by work, not by a scan; entries decoded only when asked for
        entries = CatalogueByWork.from_index(connection, index_path(project_root))
        responses = payloads_in(connection) if archive_function is None else {}
    held = ArchivedSet.from_rows(entries.rows, project_root)
    run = archive_function or archive_one
    lock = threading.Lock()
    results: dict[int, ItemResult] = {}
    first_seen: dict[str, int] = {}
    todo: list[tuple[int, Source]] = []

    def finish(index: int, result: ItemResult) -> None:
        result = dataclasses.replace(result, position=index)
        results[index] = result
        if on_item is not None:
            on_item(result)

    for index, source in enumerate(sources):
        key = source_key(source)
        if key in first_seen:
            finish(
                index,
                ItemResult(
                    source.source,
                    source.origin,
                    "duplicate",
                    message=f"the same as {sources[first_seen[key]].origin} "
                    f"({sources[first_seen[key]].source})",
                ),
            )
            continue
        first_seen[key] = index
        if not recapture:
            existing = held.record_for(source)
            if existing is not None:
                finish(
                    index,
                    ItemResult(
                        source.source,
                        source.origin,
                        "skipped",
                        record=existing,
                        path=f"records/{existing}.json",
                        message=f"already archived as {existing} (--recapture to capture again)",
                    ),
                )
                continue
        todo.append((index, source))

    recorded = [row.warc_path for row in entries.rows if row.warc_path]
    kept = kept_captures(project_root, recorded) if todo and not recapture else {}
    dedupe = RunDedupe(project_root, responses) if todo and archive_function is None else None
    if dedupe is not None:  # the archive's responses read once for the run, not per page
        options = {**options, "dedupe": dedupe}

    def work(source: Source) -> ItemResult:
        began = time.monotonic()
        finished = _kept_for(source, kept)
        message = None
        try:
            result = None
            if finished is not None:  # an interrupted run captured it: make its record
                url = source.source if _is_url(source.source) else source.url
                kept_source = Source(str(project_root / finished), url, source.origin)
                try:
                    result = run(kept_source, project_root=project_root, lock=lock, **options)
                    message = f"completed from {finished}, which an interrupted run kept"
                except WarciteError as error:  # e.g. the page was empty then: fetch it again
                    reason = str(error).splitlines()[0]
                    message = f"{finished}, kept by an earlier run, was not recordable ({reason})"
            if result is None:
                result = run(
                    source, project_root=project_root, lock=lock, catalogue=entries, **options
                )
        except WarciteError as error:
            return ItemResult(
                source.source,
                source.origin,
                "failed",
                message=str(error) if message is None else f"{error} ({message})",
                exit_code=error.exit_code,
                seconds=time.monotonic() - began,
            )
        except Exception as error:  # a bug must not stop the other items; reported as exit 1
            return ItemResult(
                source.source,
                source.origin,
                "failed",
                message=f"unexpected {type(error).__name__}: {error}",
                exit_code=1,
                seconds=time.monotonic() - began,
            )
        record = result.record
        if dedupe is not None:
            dedupe.add_record(record)  # later pages of the run revisit what this one stored
        warc = record.get("capture", {}).get("warc", {}).get("path")
        return ItemResult(
            source.source,
            source.origin,
            "unchanged" if result.status == "unchanged" else "archived",
            record=record.get("id"),
            path=display_path(result.path, project_root),
            warc=warc,
            message=message,
            seconds=time.monotonic() - began,
        )

    pending = iter(todo)
    running: dict[Future[ItemResult], int] = {}
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="warcite-batch")
    scope = contextlib.ExitStack()
    scope.enter_context(run_scope.run(project_root))  # leftovers recovered once per run
    try:
        for index, source in pending:
            running[executor.submit(work, source)] = index
            if len(running) >= jobs:
                break
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                finish(running.pop(future), future.result())
                following = next(pending, None)
                if following is not None:
                    running[executor.submit(work, following[1])] = following[0]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        scope.close()
    ordered = tuple(results[index] for index in sorted(results))
    return BatchReport(ordered, time.monotonic() - started)


__all__ = [
    "ArchivedSet",
    "BatchReport",
    "ItemResult",
    "Source",
    "archive_one",
    "kept_captures",
    "parse_source_list",
    "read_source_list",
    "run_batch",
    "source_key",
]
