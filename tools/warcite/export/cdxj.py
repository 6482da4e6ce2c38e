"""CDXJ index lines for WARC files, keyed by SURT, as pywb and the WACZ format read them.

A line is ``<SURT key> <14-digit timestamp> <JSON>``, the JSON holding ``url``, ``mime``,
``status`` (HTTP records), ``digest`` (the record's WARC-Payload-Digest), ``length`` and
``offset`` (of the record in the file: its gzip member) and ``filename``; lines are sorted
so a replay tool can binary-search them.  The fields and the key follow what pywb's own
indexer (cdxj-indexer) writes, so a replay tool looking a URL up finds the record.

The SURT key is the URL canonicalised the way the Internet Archive's ``surt`` package does
by default (the key pywb computes for a lookup): fragment, user and password dropped;
percent-escapes normalised; host lower-cased, IDNA-encoded, a leading ``www``/``wwwN``
dropped, its labels reversed and comma-joined (IP addresses too); the default port dropped;
dot segments resolved; path and query lower-cased; well-known session ids removed; query
arguments sorted; a trailing slash dropped.  A URI without an authority (such as
``urn:transcript:https://...``) is kept as ``scheme:rest``, lower-cased, as pywb keys it.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes, unquote_to_bytes

_SAFE = b"!\"$&'()*+,-./:;<=>?@[\\]^_`{|}~"
_URL = re.compile(rb"^(([a-zA-Z][a-zA-Z0-9+.-]*):)?((//([^/?#]*))?([^?#]*)(\?([^#]*))?)?(#(.*))?$")
_PATH_SESSION_IDS = (
    re.compile(rb"^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^\?]+\.aspx.*)$", re.I),
    re.compile(rb"^(.*/)(\([0-9a-z]{24}\)/)([^\?]+\.aspx.*)$", re.I),
)
_QUERY_SESSION_IDS = (
    re.compile(rb"^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$", re.I),
)
_DEFAULT_PORTS = {b"http": 80, b"https": 443}


def _unescape(data: bytes) -> bytes:
    while True:
        once = unquote_to_bytes(data)
        if once == data:
            return data
        data = once


def _escape(data: bytes) -> bytes:
    return quote_from_bytes(data, safe=_SAFE).encode("ascii")


def _normalise_path(path: bytes) -> bytes:
    if not path:
        return b"/"
    kept: list[bytes] = []
    for segment in path.split(b"/")[1:]:
        if segment == b".":
            continue
        if segment == b"..":
            if kept:
                kept.pop()
            else:
                kept.append(segment)
            continue
        kept.append(segment)
    if not kept:
        return b"/"
    return b"/" + b"".join(s + b"/" for s in kept[:-1] if s) + kept[-1]


def _ip(host: bytes) -> bytes | None:
    """A host written as an IPv4 address in any inet_aton form, as a dotted quad."""
    if host.isdigit():
        return socket.inet_ntoa((int(host) & 0xFFFFFFFF).to_bytes(4, "big")).encode()
    if re.fullmatch(rb"[0-9]+(\.[0-9]+){0,3}", host) or re.fullmatch(
        rb"0[0-7]*(\.[0-7]+){0,3}", host
    ):
        try:
            return socket.inet_ntoa(socket.inet_aton(host.decode("ascii"))).encode()
        except OSError:
            return None
    return None


def _strip_session_ids(value: bytes, patterns: Iterable[re.Pattern[bytes]], path: bool) -> bytes:
    for pattern in patterns:
        match = pattern.match(value)
        if match:
            if path:
                value = match.group(1) + match.group(3)
            else:
                value = match.group(1) + (match.group(2) or b"")
    return value


def surt(url: str) -> str:
    """The SURT key of a URL (see the module docstring)."""
    data = re.sub(rb"[\n\r\t]", b"", url.encode("utf-8").strip())
    if not data:
        return "-"
    if not re.match(rb"^[a-zA-Z][a-zA-Z0-9+.-]*:", data):
        data = b"http://" + data
    data = re.sub(rb"^(https?://)+", lambda m: m.group(1), data)
    match = _URL.match(data)
    assert match is not None  # every string matches (all groups optional)
    scheme = match.group(2) or b""
    netloc = match.group(5) or b""
    path = match.group(6) or b""
    query = match.group(8)
    host: bytes | None = None
    port: int | None = None
    if netloc:
        hostport = netloc.rpartition(b"@")[2].rstrip(b":")
        if hostport.startswith(b"["):
            host, _, rest = hostport[1:].partition(b"]")
            port_text = rest[1:] if rest.startswith(b":") else b""
        else:
            host, _, port_text = hostport.partition(b":")
        port = int(port_text) if port_text.isdigit() else None
        host = host or None
    if scheme.lower().startswith(b"http") and host is None and path:
        head, _, tail = path.lstrip(b"/").partition(b"/")
        host, path = head or None, b"/" + tail
    if query is not None:
        query = _escape(_unescape(query))
    if host:
        host = _unescape(host)
        try:
            host.decode("ascii")
        except UnicodeDecodeError:
            with contextlib.suppress(UnicodeError):
                host = host.decode("utf-8", "ignore").encode("idna")
        host = host.replace(b"..", b".").strip(b".")
        host = _ip(host) or _escape(host.lower())
        host = re.sub(rb"^www\d*\.", b"", host)
        if port is not None and port == _DEFAULT_PORTS.get(scheme.lower()):
            port = None
    path = _unescape(path)
    if host:
        path = _normalise_path(path)
    path = _escape(path).lower()
    path = _strip_session_ids(path, _PATH_SESSION_IDS, path=True)
    if path.endswith(b"/") and len(path) > 1:
        path = path[:-1]
    if query:
        query = _strip_session_ids(query, _QUERY_SESSION_IDS, path=False).lower()
        if len(query) > 1:
            pairs = sorted(tuple(arg.split(b"=", 1)) for arg in query.split(b"&"))
            query = b"&".join(b"=".join(pair) for pair in pairs)
    if not host:
        key = scheme + b":" + path + (b"?" + query if query else b"")
        return key.decode("utf-8", "replace")
    key = b",".join(reversed(host.split(b".")))
    if port is not None:
        key += b":%d" % port
    key += b")" + (path or (b"/" if query else b"")) + (b"?" + query if query else b"")
    return key.decode("utf-8", "replace")


def timestamp14(warc_date: str) -> str:
    """The 14-digit timestamp of a WARC-Date (YYYY-MM-DDThh:mm:ss[.f]Z and coarser forms)."""
    digits = re.sub(r"\D", "", warc_date.split(".")[0])
    return (digits + "00000000000000")[:14] if len(digits) < 14 else digits[:14]


def _http_head(block_start: bytes) -> tuple[str | None, str | None]:
    """(status code, media type) from the start of an HTTP response block."""
    head = re.split(rb"\r?\n\r?\n", block_start, maxsplit=1)[0]
    lines = re.split(rb"\r?\n", head)
    status_match = re.match(rb"HTTP/\d+(?:\.\d+)?\s+(\d{3})", lines[0]) if lines else None
    media = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-type":
            media = value.decode("latin-1").split(";")[0].strip().lower()
            break
    return (status_match.group(1).decode() if status_match else None), media


def _drain(stream: Any) -> None:
    """Read a record's block to its end (so the iterator knows the record's length)."""
    while stream.read(1 << 16):
        pass


INDEXED_TYPES = frozenset({"response", "resource", "revisit"})


def cdxj_lines(path: Path, filename: str) -> Iterator[tuple[str, str, str]]:
    """(key, timestamp, JSON) for every response, resource and revisit record of a WARC,
    in file order; ``filename`` is the name the index gives the WARC."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream, no_record_parse=True)
        for record in iterator:
            record_type = record.rec_headers.get_header("WARC-Type")
            uri = record.rec_headers.get_header("WARC-Target-URI")
            if record_type not in INDEXED_TYPES or not uri:
                _drain(record.raw_stream)
                continue
            if uri.startswith("<") and uri.endswith(">"):
                uri = uri[1:-1]
            start = record.raw_stream.read(1 << 16)
            _drain(record.raw_stream)
            fields: dict[str, str] = {"url": uri}
            if record_type == "resource":
                content_type = record.rec_headers.get_header("Content-Type") or ""
                fields["mime"] = content_type.split(";")[0].strip().lower() or "unk"
            else:
                status, media = _http_head(start)
                fields["mime"] = "warc/revisit" if record_type == "revisit" else media or "unk"
                if status:
                    fields["status"] = status
            digest = record.rec_headers.get_header("WARC-Payload-Digest")
            if digest:
                fields["digest"] = digest
            fields["length"] = str(iterator.get_record_length())
            fields["offset"] = str(iterator.get_record_offset())
            fields["filename"] = filename
            date = record.rec_headers.get_header("WARC-Date") or ""
            yield surt(uri), timestamp14(date), json.dumps(fields, ensure_ascii=False)


def cdxj_index(warcs: Iterable[tuple[Path, str]]) -> str:
    """The sorted CDXJ index of WARC files given as (path, name in the index)."""
    lines = [
        f"{key} {stamp} {data}"
        for path, name in warcs
        for key, stamp, data in cdxj_lines(path, name)
    ]
    return "".join(f"{line}\n" for line in sorted(lines))


__all__ = ["cdxj_index", "cdxj_lines", "surt", "timestamp14"]
