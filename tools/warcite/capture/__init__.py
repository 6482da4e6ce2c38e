"""URL or local file -> one new WARC 1.1 file on disk.  The only network code in warcite.

The parts, one module each:

``live``        :func:`capture`: redirects, the page, its requisites -> one WARC
``recorder``    the HTTP recorder: a GET over a plain socket, archived exactly as on the wire
``html``        requisite discovery in HTML (links, images, scripts, inline CSS)
``css``         requisite discovery in CSS (``url()``, ``@import``)
``requisites``  fetching requisites and what their stylesheets name
``mementos``    a page that is a web archive's memento
``imports``     :func:`import_file`: saved HTML, transcripts, WARC files
``writer``      the WARC writer: records, digests, atomic exclusive creation
``urls``        URLs as warcite requests and records them
``common``      limits, the clock, record IDs, WARC-Date
``summary``     the JSON summary of a result
``decoding``    bounded streaming decoders (chunked, gzip, deflate, br, zstd)
``spool``       spool files: responses on disk while they arrive
``progress``    a progress line on a terminal (for the CLI)

Two entry points, both returning a :class:`~warcite.core.models.CaptureResult`:

- :func:`capture` fetches a live URL over HTTP(S) with warcite's own recorder (plain sockets,
  so the request is archived exactly as sent and the response exactly as received: status
  line, raw header bytes, chunked framing and content-coding kept), follows redirects
  (each hop its own request/response pair) and fetches the page's requisites, including
  what its stylesheets (fetched and inline) reference through ``url()`` and ``@import``.
- :func:`import_file` archives a file the user already holds: an HTML page, a plain-text
  transcript, or an existing WARC (verified, then copied).

The file written, ``<slug>-<UTC yyyymmddHHMMSS>.warc.gz`` (one gzip member per record,
WARC 1.1 annex D), holds in order:

1. a ``warcinfo`` record: software and versions, format, conformsTo, hostname, the user agent
   (captures), the digest convention (see :mod:`warcite.warc`);
2. the content: ``request`` + ``response`` pairs (sharing a ``WARC-Date`` taken before the
   request was sent, linked both ways by ``WARC-Concurrent-To``, with ``WARC-IP-Address``),
   or one ``resource`` record (imports), or the copied records (WARC imports);
3. a ``metadata`` record (``application/warc-fields``, ``WARC-Refers-To`` the page record)
   with the facts of the capture, one ``name: value`` line each (names below).

Capture methods (the metadata record's ``method``):

``http-capture``       a live HTTP(S) capture;
``import-memento``     a live capture whose page is a web archive's memento (a Wayback-style
                       ``/web/<14 digits>[id_]/<URL>`` URL or a ``Memento-Datetime`` header):
                       the bytes come from the archive, not from the original site, so the
                       content is an import of someone else's capture;
``import-html``        an HTML file the user saved;
``import-transcript``  a plain-text transcript of a page;
``import-warc``        records copied from an existing WARC.

Imported files are not what their URL returned (WARC 1.1 section 6.4.2: a resource record
whose target is an ``http(s)`` URI holds what that URI returned), so their
``WARC-Target-URI`` is a synthetic URN and the original URL is in the metadata record:
``urn:transcript:<URL>`` for transcripts and ``urn:import:<URL>`` for saved HTML (a browser's
"save page" rewrites links, drops or adds markup and loses the HTTP headers; warcite cannot
tell whether a saved file is byte for byte what the server sent, so it never claims so).

Metadata record field names: ``method``, ``source-description``, ``requested-uri``,
``original-uri`` (imports), ``final-uri``, ``http-status``, ``content-type``, ``redirect``
(repeated, ``<status> <from> -> <to>``), ``started-at``, ``finished-at``, ``duration-ms``,
``timing`` (repeated, per exchange: ``<page|redirect|requisite> <URL>
connect-ms=.. first-byte-ms=.. total-ms=..``, measured with the injected clock), ``outcome``, ``truncated``, ``memento-original-uri``,
``memento-datetime``, ``memento-source``, ``requisite`` / ``requisite-failed`` (repeated),
``user-agent``, ``bytes-received``, ``revisit`` (repeated, ``<URL> <WARC-Refers-To>``),
``warning`` (repeated), ``import``, ``source-file-name``, ``source-file-size``,
``source-file-sha256``, ``media-type``, ``observed-at``, ``note``, ``source-warc-records``.

Atomicity: the file is written into an unnamed temporary file in the archive folder
(``O_TMPFILE``; elsewhere a ``.part`` file removed on failure) and linked to its final name
only when complete; responses wait in anonymous spool files meanwhile.  An existing file
is never replaced: a taken name gets the next serial (``-2``, ``-3``, ...) and the
warcinfo's ``WARC-Filename`` follows.  On any failure no file is left behind.  The clock,
the record-ID factory and the host name are injectable so tests can compare WARC headers
exactly.
"""

from typing import TYPE_CHECKING

from warcite.core.lazy import lazy_exports

if TYPE_CHECKING:
    from warcite.capture.common import (
        DEFAULT_MAX_BYTES,
        DEFAULT_MAX_REDIRECTS,
        DEFAULT_MAX_REQUISITES,
        DEFAULT_TIMEOUT,
        DEFAULT_USER_AGENT,
        CaptureProgress,
        Clock,
        DedupeLookup,
        RecordIdFactory,
        new_uuid_record_id,
        utc_now,
        warc_date,
    )
    from warcite.capture.css import (
        MAX_CSS_IMPORT_DEPTH,
        CssReference,
        find_css_references,
        scan_css_references,
    )
    from warcite.capture.html import find_requisites
    from warcite.capture.imports import import_file
    from warcite.capture.live import capture
    from warcite.capture.progress import stderr_progress
    from warcite.capture.recorder import tls_context_from_bundle
    from warcite.capture.summary import capture_summary
    from warcite.core.urls import normalize_url

__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "CaptureProgress": "warcite.capture.common",
        "Clock": "warcite.capture.common",
        "DEFAULT_MAX_BYTES": "warcite.capture.common",
        "DEFAULT_MAX_REDIRECTS": "warcite.capture.common",
        "DEFAULT_MAX_REQUISITES": "warcite.capture.common",
        "DEFAULT_TIMEOUT": "warcite.capture.common",
        "DEFAULT_USER_AGENT": "warcite.capture.common",
        "DedupeLookup": "warcite.capture.common",
        "RecordIdFactory": "warcite.capture.common",
        "new_uuid_record_id": "warcite.capture.common",
        "utc_now": "warcite.capture.common",
        "warc_date": "warcite.capture.common",
        "CssReference": "warcite.capture.css",
        "MAX_CSS_IMPORT_DEPTH": "warcite.capture.css",
        "find_css_references": "warcite.capture.css",
        "scan_css_references": "warcite.capture.css",
        "find_requisites": "warcite.capture.html",
        "import_file": "warcite.capture.imports",
        "capture": "warcite.capture.live",
        "stderr_progress": "warcite.capture.progress",
        "tls_context_from_bundle": "warcite.capture.recorder",
        "capture_summary": "warcite.capture.summary",
        "normalize_url": "warcite.core.urls",
    },
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_MAX_REQUISITES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "MAX_CSS_IMPORT_DEPTH",
    "CaptureProgress",
    "Clock",
    "CssReference",
    "DedupeLookup",
    "RecordIdFactory",
    "capture",
    "capture_summary",
    "find_css_references",
    "find_requisites",
    "import_file",
    "new_uuid_record_id",
    "normalize_url",
    "scan_css_references",
    "stderr_progress",
    "tls_context_from_bundle",
    "utc_now",
    "warc_date",
]
