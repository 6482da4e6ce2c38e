"""Checking each record of a WARC against WARC 1.1 sections 4 to 6: named fields, their
values, record types and the references between records."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcite.core.errors import WarcReadError
from warcite.core.project import open_regular_stream
from warcite.integrity.check.problems import (
    ALLOWED_FIELDS,
    MAX_HEADER_BYTES,
    MEDIA_TYPE_PATTERN,
    NO_PAYLOAD,
    PIECE,
    PROFILES,
    RECORD_TYPES,
    TARGET_REQUIRED,
    TOKEN,
    TRUNCATION_REASONS,
    URI_PATTERN,
    W3CDTF,
    CheckProblem,
    CheckReport,
)
from warcite.integrity.check.reading import BrokenSource, ByteSource, HttpPayload, StreamingDigest

# --------------------------------------------------------------------------- records


@dataclass
class _Reference:
    offset: int
    inner: int | None
    record_id: str | None
    field: str
    section: str
    target: str


@dataclass
class _Record:
    offset: int
    inner: int | None
    version: str
    fields: list[tuple[str, str]]
    record_id: str | None = None

    def values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.fields if key.lower() == wanted]

    def get(self, name: str) -> str | None:
        found = self.values(name)
        return found[0] if found else None


def _strip_id(value: str) -> str:
    value = value.strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


def _date_problem(value: str) -> str | None:
    match = W3CDTF.fullmatch(value.strip())
    if match is None:
        return f"{value!r} is not a W3C-profile ISO 8601 UTC timestamp (e.g. 2016-09-19T17:20:24Z)"
    parts = match.groupdict()
    try:
        datetime(
            int(parts["y"]),
            int(parts["mo"] or 1),
            int(parts["d"] or 1),
            int(parts["h"] or 0),
            int(parts["mi"] or 0),
            int(parts["s"] or 0),
        )
    except ValueError as error:
        return f"{value!r} is not a real date and time ({error})"
    return None


class RecordChecker:
    """Checks the records of one or more WARC files; references resolved over all of them."""

    def __init__(self) -> None:
        self.ids: dict[str, tuple[str, int, str]] = {}  # id -> (file, offset, type)
        self.references: list[tuple[CheckReport, _Reference]] = []

    # -- problems
    @staticmethod
    def _add(
        report: CheckReport,
        record: _Record | None,
        section: str,
        message: str,
        severity: str = "error",
        *,
        offset: int | None = None,
    ) -> None:
        report.problems.append(
            CheckProblem(
                report.file,
                record.offset if record is not None else offset,
                record.record_id if record is not None else None,
                section,
                message,
                severity,
                record.inner if record is not None else None,
            )
        )

    # -- files
    def check_file(self, path: Path, display: str) -> CheckReport:
        try:
            raw = open_regular_stream(path, "WARC file", WarcReadError)
        except OSError as error:
            raise WarcReadError(
                f"cannot open WARC file {display}: {error.strerror or error}"
            ) from error
        with raw:
            magic = raw.read(2)
            raw.seek(0)
            report = CheckReport(display, compressed=magic == b"\x1f\x8b")
            if report.compressed != display.endswith(".gz"):
                message = (
                    "the file is gzip-compressed but its name does not end in .warc.gz"
                    if report.compressed
                    else "the file's name ends in .gz but it is not gzip-compressed"
                )
                self._add(report, None, "Annex D.3", message, "warning")
            source = ByteSource(raw, report.compressed)
            try:
                self._records(source, report)
            except BrokenSource as broken:
                self._add(report, None, "Annex D.2", str(broken), offset=broken.offset)
            if report.records == 0 and report.ok:
                self._add(report, None, "4", "the file holds no WARC record", offset=0)
        return report

    def _records(self, source: ByteSource, report: CheckReport) -> None:
        while True:
            start = source.tell()
            source.forget_members_before(start)
            if source.at_end():
                return
            if source.gzipped:
                offset, member_start = source.member_of(start)
                inner = start - member_start or None
            else:
                offset, inner = start, None
            if not self._record(source, report, offset, inner, start) and not (
                source.skip_to_next_member(start)
            ):
                return

    def _record(
        self, source: ByteSource, report: CheckReport, offset: int, inner: int | None, start: int
    ) -> bool:
        """Check one record; False when the file cannot be read on from here."""
        record = _Record(offset, inner, "", [])
        line = source.readline(MAX_HEADER_BYTES)
        if not line.startswith(b"WARC/"):
            shown = line[:40]
            if not line.strip(b"\r\n"):
                blank = len(line)
                while source.peek(1) in (b"\r", b"\n"):
                    blank += len(source.read(1))
                if source.at_end():
                    self._add(
                        report,
                        record,
                        "4",
                        f"{blank} bytes of blank lines after the last record's CRLF CRLF",
                    )
                    return True
                self._add(
                    report,
                    record,
                    "4",
                    f"{blank} bytes of blank lines between records (a record ends with "
                    "exactly CRLF CRLF after its block)",
                )
                return True
            self._add(
                report,
                record,
                "4",
                f"no WARC record starts here: expected a version line 'WARC/1.1', found {shown!r}",
            )
            return False
        version = line.rstrip(b"\r\n").decode("latin-1")
        record.version = version
        header_ok = self._header(source, report, record)
        record.record_id = record.get("WARC-Record-ID")
        if not line.endswith(b"\r\n"):
            self._add(report, record, "4", f"the version line {version!r} does not end in CRLF")
        if version == "WARC/1.0":
            if not report.older_version_seen:
                self._add(
                    report,
                    record,
                    "4",
                    "version WARC/1.0 (this record and any later WARC/1.0 record of the file): "
                    "checked against the WARC 1.1 rules",
                    "warning",
                )
            report.older_version_seen = True
        elif version != "WARC/1.1":
            self._add(report, record, "4", f"unknown WARC version line {version!r}")
        if not header_ok:
            return False
        report.records += 1
        return self._block(source, report, record, start)

    def _header(self, source: ByteSource, report: CheckReport, record: _Record) -> bool:
        total = 0
        bad_endings = 0
        while True:
            line = source.readline(MAX_HEADER_BYTES)
            total += len(line)
            if not line.endswith(b"\n"):
                if total >= MAX_HEADER_BYTES or len(line) >= MAX_HEADER_BYTES:
                    self._add(
                        report,
                        record,
                        "4",
                        f"the header block is longer than {MAX_HEADER_BYTES} bytes; not read on",
                    )
                else:
                    self._add(report, record, "4", "the file ends inside the record's header block")
                return False
            if not line.endswith(b"\r\n"):
                bad_endings += 1
            content = line.rstrip(b"\r\n")
            if not content:
                break
            if content[:1] in (b" ", b"\t"):
                if not record.fields:
                    self._add(report, record, "4", "a continuation line before any field")
                    continue
                previous_name, previous_value = record.fields[-1]
                continued = self._text(content, report, record).strip()
                record.fields[-1] = (previous_name, f"{previous_value} {continued}")
                continue
            name, separator, value = content.partition(b":")
            if not separator or not TOKEN.fullmatch(name):
                self._add(
                    report,
                    record,
                    "4",
                    f"header line {content[:60]!r} is not 'Field-Name: value' "
                    "(a field name is a token)",
                )
                continue
            record.fields.append(
                (name.decode("ascii"), self._text(value, report, record).strip(" \t"))
            )
            if total > MAX_HEADER_BYTES:
                self._add(
                    report,
                    record,
                    "4",
                    f"the header block is longer than {MAX_HEADER_BYTES} bytes; not read on",
                )
                return False
        if bad_endings:
            self._add(
                report,
                record,
                "4",
                f"{bad_endings} header line{'s' if bad_endings > 1 else ''} end in LF, not CRLF",
            )
        return True

    def _text(self, value: bytes, report: CheckReport, record: _Record) -> str:
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as error:
            self._add(
                report,
                record,
                "4",
                f"a field value is not UTF-8 (byte {error.start}: {value[:60]!r})",
            )
            return value.decode("utf-8", "replace")

    # -- fields
    def _fields(self, report: CheckReport, record: _Record) -> tuple[str | None, int | None]:
        """Check the named fields; returns (record type, content length)."""
        seen: dict[str, int] = {}
        for name, _ in record.fields:
            seen[name.lower()] = seen.get(name.lower(), 0) + 1
        for name, count in seen.items():
            if count > 1 and name != "warc-concurrent-to":
                self._add(
                    report,
                    record,
                    "5.1",
                    f"{count} {name} fields; a field may appear once "
                    "(only WARC-Concurrent-To may repeat)",
                )
        record_id = record.get("WARC-Record-ID")
        if record_id is None:
            self._add(report, record, "5.2", "no WARC-Record-ID (mandatory)")
        else:
            record.record_id = record_id
            self._id_syntax(report, record, "WARC-Record-ID", record_id, "5.2")
        length: int | None = None
        declared = record.get("Content-Length")
        if declared is None:
            self._add(report, record, "5.3", "no Content-Length (mandatory)")
        elif not re.fullmatch(r"\d+", declared):
            self._add(report, record, "5.3", f"Content-Length {declared!r} is not a number")
        else:
            length = int(declared)
        date = record.get("WARC-Date")
        if date is None:
            self._add(report, record, "5.4", "no WARC-Date (mandatory)")
        else:
            problem = _date_problem(date)
            if problem:
                self._add(report, record, "5.4", f"WARC-Date {problem}")
        record_type = record.get("WARC-Type")
        if record_type is None:
            self._add(report, record, "5.5", "no WARC-Type (mandatory)")
        elif record_type not in RECORD_TYPES:
            self._add(
                report,
                record,
                "5.5",
                f"WARC-Type {record_type!r} is not a WARC 1.1 type (readers skip it)",
                "warning",
            )
        kind = record_type or ""
        content_type = record.get("Content-Type")
        if content_type is not None and not MEDIA_TYPE_PATTERN.fullmatch(content_type):
            self._add(report, record, "5.6", f"Content-Type {content_type!r} is not a media type")
        if content_type is None and length and kind != "continuation":
            self._add(
                report,
                record,
                "5.6",
                "no Content-Type on a record with a non-empty block (it should have one)",
                "warning",
            )
        for name, (section, allowed, forbidden) in ALLOWED_FIELDS.items():
            if name not in seen or not kind or kind not in RECORD_TYPES:
                continue
            if (allowed is not None and kind not in allowed) or kind in forbidden:
                if name == "warc-payload-digest" and kind == "metadata":
                    # warcio (and so most Python tools) writes one on every metadata record:
                    # reported, but not fatal, so their WARCs stay usable
                    self._add(
                        report,
                        record,
                        section,
                        f"{self._canonical(record, name)} should not be on a metadata record "
                        "(no well-defined payload); warcio writes one on every record",
                        "warning",
                    )
                    continue
                self._add(
                    report,
                    record,
                    section,
                    f"{self._canonical(record, name)} is not allowed on a {kind} record",
                )
        for name, section in (
            ("WARC-Concurrent-To", "5.7"),
            ("WARC-Refers-To", "5.11"),
            ("WARC-Warcinfo-ID", "5.16"),
            ("WARC-Segment-Origin-ID", "5.21"),
        ):
            for value in record.values(name):
                if self._id_syntax(report, record, name, value, section) and name != (
                    "WARC-Segment-Origin-ID"
                ):
                    self.references.append(
                        (
                            report,
                            _Reference(
                                record.offset,
                                record.inner,
                                record.record_id,
                                name,
                                section,
                                _strip_id(value),
                            ),
                        )
                    )
        address = record.get("WARC-IP-Address")
        if address is not None:
            try:
                ipaddress.ip_address(address.strip())
            except ValueError:
                self._add(
                    report, record, "5.10", f"WARC-IP-Address {address!r} is not an IP address"
                )
        refers_date = record.get("WARC-Refers-To-Date")
        if refers_date is not None and (problem := _date_problem(refers_date)):
            self._add(report, record, "5.13", f"WARC-Refers-To-Date {problem}")
        for name, section in (("WARC-Target-URI", "5.14"), ("WARC-Refers-To-Target-URI", "5.12")):
            uri = record.get(name)
            if uri is None:
                continue
            value = uri
            if value.startswith("<") and value.endswith(">"):
                self._add(
                    report,
                    record,
                    section,
                    f"{name} is written in angle brackets (as wget 1.21.3+ does); "
                    "the value is a bare URI",
                    "warning",
                )
                value = value[1:-1]
            if not URI_PATTERN.fullmatch(value):
                self._add(
                    report,
                    record,
                    section,
                    f"{name} {value[:200]!r} is not a URI written per RFC 3986 "
                    "(a scheme, no whitespace)",
                )
        target = record.get("WARC-Target-URI")
        if kind in TARGET_REQUIRED and target is None:
            self._add(report, record, "5.14", f"a {kind} record must have a WARC-Target-URI")
        if kind == "warcinfo" and target is not None:
            self._add(report, record, "5.14", "a warcinfo record must not have a WARC-Target-URI")
        truncated = record.get("WARC-Truncated")
        if truncated is not None and truncated.strip() not in TRUNCATION_REASONS:
            self._add(
                report,
                record,
                "5.15",
                f"WARC-Truncated {truncated!r} is not one of length, time, disconnect, unspecified",
                "warning",
            )
        identified = record.get("WARC-Identified-Payload-Type")
        if identified is not None and not MEDIA_TYPE_PATTERN.fullmatch(identified):
            self._add(
                report,
                record,
                "5.19",
                f"WARC-Identified-Payload-Type {identified!r} is not a media type",
            )
        self._segments(report, record, kind)
        self._type_rules(report, record, kind, content_type, length)
        return record_type, length

    @staticmethod
    def _canonical(record: _Record, lowered: str) -> str:
        for name, _ in record.fields:
            if name.lower() == lowered:
                return name
        return lowered

    def _id_syntax(
        self, report: CheckReport, record: _Record, name: str, value: str, section: str
    ) -> bool:
        stripped = value.strip()
        if not (stripped.startswith("<") and stripped.endswith(">")):
            severity = "warning" if record.version == "WARC/1.0" else "error"
            self._add(
                report,
                record,
                section,
                f"{name} {value!r} is not written '<uri>' (WARC 1.1 encloses IDs in angle "
                "brackets)",
                severity,
            )
        inner = _strip_id(stripped)
        if not URI_PATTERN.fullmatch(inner):
            self._add(
                report,
                record,
                section,
                f"{name} {value!r} is not a URI with a scheme and no whitespace",
            )
            return False
        return True

    def _segments(self, report: CheckReport, record: _Record, kind: str) -> None:
        number = record.get("WARC-Segment-Number")
        if number is not None and not re.fullmatch(r"\d+", number.strip()):
            self._add(report, record, "5.20", f"WARC-Segment-Number {number!r} is not a number")
        total = record.get("WARC-Segment-Total-Length")
        if total is not None and not re.fullmatch(r"\d+", total.strip()):
            self._add(
                report, record, "5.22", f"WARC-Segment-Total-Length {total!r} is not a number"
            )
        if kind == "continuation":
            if record.get("WARC-Segment-Origin-ID") is None:
                self._add(
                    report, record, "6.9", "a continuation record needs WARC-Segment-Origin-ID"
                )
            if number is None:
                self._add(report, record, "6.9", "a continuation record needs WARC-Segment-Number")
        elif number is not None and number.strip() != "1":
            self._add(
                report,
                record,
                "7",
                f"WARC-Segment-Number {number} on a {kind} record: the first segment is 1",
            )

    def _type_rules(
        self,
        report: CheckReport,
        record: _Record,
        kind: str,
        content_type: str | None,
        length: int | None,
    ) -> None:
        media = (content_type or "").split(";")[0].strip().lower()
        target = _strip_id(record.get("WARC-Target-URI") or "")
        http = target.lower().startswith(("http:", "https:"))
        if kind in ("warcinfo", "metadata") and content_type and media != "application/warc-fields":
            self._add(
                report,
                record,
                "6.2" if kind == "warcinfo" else "6.6",
                f"a {kind} block of type {media!r}: application/warc-fields is recommended "
                "(section 8)",
                "warning",
            )
        if kind in ("response", "request") and http and length and media != "application/http":
            self._add(
                report,
                record,
                "6.3.2" if kind == "response" else "6.5.2",
                f"an {kind} record for an {target.split(':')[0]} URI should have Content-Type "
                f"application/http;msgtype={kind}, not {content_type!r}",
                "warning",
            )
        if kind == "revisit":
            profile = record.get("WARC-Profile")
            if profile is None:
                self._add(report, record, "6.7.1", "a revisit record must have a WARC-Profile")
            elif profile.strip() not in PROFILES:
                self._add(
                    report,
                    record,
                    "5.18",
                    f"unknown WARC-Profile {profile!r}: readers will not interpret this record",
                    "warning",
                )
            elif PROFILES[profile.strip()] == "identical":
                if record.get("WARC-Payload-Digest") is None:
                    self._add(
                        report,
                        record,
                        "6.7.2",
                        "an identical-payload-digest revisit must have a WARC-Payload-Digest",
                    )
                if length and record.get("WARC-Truncated") is None:
                    self._add(
                        report,
                        record,
                        "6.7.2",
                        "an identical-payload-digest revisit with a block should say "
                        "WARC-Truncated: length (the duplicate payload is left out)",
                        "warning",
                    )

    # -- block
    def _block(self, source: ByteSource, report: CheckReport, record: _Record, start: int) -> bool:
        record_type, length = self._fields(report, record)
        kind = record_type or ""
        if record.record_id is not None:
            key = _strip_id(record.record_id)
            if key in self.ids:
                first_file, first_offset, _ = self.ids[key]
                where = "" if first_file == report.file else f" of {first_file}"
                self._add(
                    report,
                    record,
                    "5.2",
                    f"duplicate WARC-Record-ID: the record at offset {first_offset}{where} "
                    "has it too (IDs are globally unique)",
                )
            else:
                self.ids[key] = (report.file, record.offset, kind)
        if length is None:
            self._add(report, record, "5.3", "without a Content-Length the block cannot be read")
            return False
        digests: list[StreamingDigest] = []
        block_digest = record.get("WARC-Block-Digest")
        block = StreamingDigest("WARC-Block-Digest", block_digest) if block_digest else None
        if block is not None:
            digests.append(block)
        payload_value = record.get("WARC-Payload-Digest")
        payload = StreamingDigest("WARC-Payload-Digest", payload_value) if payload_value else None
        http: HttpPayload | None = None
        payload_sink: Callable[[bytes], None] | None = None
        target = _strip_id(record.get("WARC-Target-URI") or "").lower()
        if payload is not None and payload.hasher is not None and kind not in NO_PAYLOAD:
            media = (record.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind in ("response", "request") and (
                media == "application/http" or target.startswith(("http:", "https:"))
            ):
                http = HttpPayload(payload)
                payload_sink = http.feed
            elif kind in ("resource", "conversion"):
                payload_sink = payload.update
        remaining = length
        while remaining:
            data = source.read(min(PIECE, remaining))
            if not data:
                break
            remaining -= len(data)
            for digest in digests:
                digest.update(data)
            if payload_sink is not None:
                payload_sink(data)
        if remaining:
            self._add(
                report,
                record,
                "5.3",
                f"the record is truncated: its block holds {length - remaining} of the "
                f"{length} bytes its Content-Length declares (the file ends)",
            )
            return False
        self._verify(report, record, block, "5.8", "block")
        if payload is not None and kind not in NO_PAYLOAD:
            self._verify_payload(report, record, payload, http, payload_sink, kind)
        end = source.peek(4)
        if end != b"\r\n\r\n":
            self._add(
                report,
                record,
                "4",
                f"the block is not followed by CRLF CRLF (found {end!r}): Content-Length "
                "may be wrong",
            )
            return not end
        source.read(4)
        if source.gzipped:
            if record.inner:
                self._add(
                    report,
                    record,
                    "Annex D.2",
                    "the record does not start its own gzip member (it shares one with the "
                    "record before): one gzip member per record",
                )
            inside = source.members_within(start, source.tell())
            if inside:
                self._add(
                    report,
                    record,
                    "Annex D.2",
                    f"the record spans {inside + 1} gzip members: one gzip member per record",
                )
        return True

    def _verify(
        self,
        report: CheckReport,
        record: _Record,
        digest: StreamingDigest | None,
        section: str,
        what: str,
    ) -> None:
        if digest is None:
            return
        if digest.problem is not None:
            self._add(report, record, section, digest.problem, "warning")
            return
        expected = digest.expected()
        if expected is None:
            self._add(
                report,
                record,
                section,
                f"{digest.header} {digest.value!r}: the value is not base16, base32 or base64 "
                f"of a {digest.algorithm} digest",
            )
            return
        if digest.hasher.digest() != expected:
            self._add(
                report,
                record,
                section,
                f"{digest.header} {digest.value} does not match the {what} ({digest.computed()})",
            )

    def _verify_payload(
        self,
        report: CheckReport,
        record: _Record,
        digest: StreamingDigest,
        http: HttpPayload | None,
        sink: Callable[[bytes], None] | None,
        kind: str,
    ) -> None:
        if digest.problem is not None:
            self._add(report, record, "5.9", digest.problem, "warning")
            return
        if sink is None:
            return  # revisit, continuation, unknown types: the payload is not in this block
        if http is not None:
            http.finish()
            if http.failed is not None:
                self._add(
                    report,
                    record,
                    "6.3.2" if kind == "response" else "6.5.2",
                    f"WARC-Payload-Digest not verified: {http.failed}",
                    "warning",
                )
                return
        expected = digest.expected()
        if expected is None:
            self._add(
                report,
                record,
                "5.9",
                f"WARC-Payload-Digest {digest.value!r}: the value is not base16, base32 or "
                f"base64 of a {digest.algorithm} digest",
            )
            return
        if digest.hasher.digest() == expected:
            return
        if (
            http is not None
            and http.chunked is not None
            and http.raw_hasher is not None
            and http.raw_hasher.digest() == expected
        ):
            self._add(
                report,
                record,
                "5.9",
                f"WARC-Payload-Digest {digest.value} covers the chunked transfer-coding "
                "framing, as warcio computes it (warcio issue #74); WARC 1.1 §6.3.2 "
                f"digests the de-chunked entity body ({digest.computed()})",
                "warning",
            )
            return
        where = "the entity body with the transfer-coding removed" if http else "the payload"
        self._add(
            report,
            record,
            "5.9",
            f"WARC-Payload-Digest {digest.value} does not match {where} ({digest.computed()})",
        )

    # -- references
    def resolve(self, known_elsewhere: Callable[[str], bool] | None = None) -> None:
        for report, reference in self.references:
            found = self.ids.get(reference.target)
            record = _Record(reference.offset, reference.inner, "", [], reference.record_id)
            if (
                found is None
                and known_elsewhere is not None
                and reference.field == "WARC-Refers-To"
                and known_elsewhere(reference.target)
            ):
                continue  # a revisit of a record in another WARC of the project
            if found is None:
                severity = "warning" if reference.field == "WARC-Refers-To" else "error"
                tail = (
                    " (it may be in another WARC file: give that file too)"
                    if severity == "warning"
                    else "; give the WARC files holding it too, if it is elsewhere"
                )
                self._add(
                    report,
                    record,
                    reference.section,
                    f"{reference.field} <{reference.target}> names no record in the files "
                    f"checked{tail}",
                    severity,
                )
            elif reference.field == "WARC-Warcinfo-ID" and found[2] != "warcinfo":
                self._add(
                    report,
                    record,
                    "5.16",
                    f"WARC-Warcinfo-ID <{reference.target}> names a {found[2]} record, "
                    "not a warcinfo record",
                )
