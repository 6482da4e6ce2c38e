"""Write ``warcio-chunked.warc.gz``: a WARC made by warcio holding a chunked HTTP response.

warcio computes the ``WARC-Payload-Digest`` of a chunked response over the still chunked
bytes (warcio issue #74); WARC 1.1 §6.3.2 digests the de-chunked entity body.  The file
lets ``warcite check`` show that warning (see docs/records-and-integrity.md).  Its record
IDs and dates are fixed, so running this script again writes the same bytes.

    python docs/examples/make_warcio_chunked.py docs/examples/warcio-chunked.warc.gz
"""

from __future__ import annotations

import io
import sys

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

BODY = b"<html><body><p>A page sent in chunks, as many servers send pages.</p></body></html>\n"
DATE = "2026-11-26T12:00:00Z"


def chunked(body: bytes, size: int) -> bytes:
    """``body`` in HTTP/1.1 chunked transfer-coding, ``size`` bytes a chunk."""
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
        for i in range(0, len(body), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def record_headers(number: int) -> dict[str, str]:
    return {
        "WARC-Record-ID": f"<urn:uuid:315be0e0-6160-408c-bf34-80fde50868a{number}>",
        "WARC-Date": DATE,
    }


def main(path: str) -> None:
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=True, warc_version="1.1")
        warcinfo = writer.create_warcinfo_record(
            "warcio-chunked.warc.gz", {"software": "warcio", "format": "WARC File Format 1.1"}
        )
        for name, value in record_headers(0).items():
            warcinfo.rec_headers.replace_header(name, value)
        writer.write_record(warcinfo)
        url = "http://example.com/chunked"
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
            protocol="HTTP/1.1",
        )
        payload = chunked(BODY, size=16)
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            length=len(payload),
            http_headers=http,
            warc_headers_dict=record_headers(1),
        )
        writer.write_record(response)
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                "GET /chunked HTTP/1.1", [("Host", "example.com")], is_http_request=True
            ),
            warc_headers_dict=record_headers(2),
        )
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(request)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "warcio-chunked.warc.gz")
