"""The ``warcite serve`` web application (Flask): collection, search, record, reader,
the quote endpoint, replay with Memento, and (with ``allow_capture``) the capture form.

Every page calls warcite's library: warcite.collection.browse (collection), warcite.collection.search,
warcite.collection.timemap and warcite.collection.catalog (captures of a work), warcite.collection.diff, warcite.cite.quote
(the reader's select-to-cite panel is :func:`warcite.cite.quote.find_quotes` and
:func:`warcite.cite.quote.render_quotes`, as ``warcite quote``), warcite.cite, and
warcite.collection.replay (archived responses).  See docs/serve.md.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.wrappers import Response as BaseResponse

from warcite.cite import cite
from warcite.cite.quote import find_quotes, load_rendered_page, record_paragraphs, render_quotes
from warcite.collection.archive import archive
from warcite.collection.browse import SORTS, Catalogue, candidate_paths, collection_page
from warcite.collection.catalog import LIVE_METHODS, CatalogEntry, by_work, fixity_status
from warcite.collection.diff import diff, render_diff
from warcite.collection.live_index import LiveIndex
from warcite.collection.replay import (
    ArchivedResponse,
    Capture,
    CaptureIndex,
    read_resource,
    warc_timestamp,
)
from warcite.collection.search import search
from warcite.collection.timemap import (
    LINK_FORMAT,
    Memento,
    TimeMap,
    build_timemap,
    render_link_format,
)
from warcite.core.citation_styles import STYLES
from warcite.core.config import Config, load_config
from warcite.core.decode import decode_body
from warcite.core.errors import CitationError, RecordError, UsageError, WarciteError
from warcite.core.project import resolve_in_project
from warcite.record.files import load_record, record_text
from warcite.web.downloads import (
    EXPORT_DOWNLOADS,
    MAX_EXPORT_BYTES,
    export_download,
    export_size,
    file_download,
)
from warcite.web.rewrite import Rewriter
from warcite.web.security import (
    CsrfTokens,
    app_policy,
    archived_policy,
    host_allowed,
)

RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,199}")
REPLAY_PATH = re.compile(r"(\d{1,14})(mp_|id_)?/(.+)", re.DOTALL)
MAX_QUOTE_CHARACTERS = 5000
SEARCH_LIMIT = 10  # hits on a search page (each is cited: its record is read)
MAX_SEARCH_LIMIT = 100
HISTORY_AROUND = 25  # captures shown on each side of a record's own
DOWNLOAD_STYLES = {
    "csl-json": ("json", "application/vnd.citationstyles.csl+json"),
    "bibtex": ("bib", "application/x-bibtex"),
    "biblatex": ("bib", "application/x-bibtex"),
    "ris": ("ris", "application/x-research-info-systems"),
}
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "set-cookie",
        "set-cookie2",
        "content-security-policy",
        "content-security-policy-report-only",
        "strict-transport-security",
        "x-frame-options",
        "alt-svc",
        "clear-site-data",
        "service-worker-allowed",
        "refresh",
    }
)
METADATA_FIELDS = (
    "title",
    "published",
    "modified",
    "publisher",
    "container_title",
    "section",
    "genre",
    "language",
    "description",
    "keywords",
    "url",
    "canonical_url",
    "rights",
)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def _fixed_scheme(url: str) -> str:
    """``http:/x`` (a slash lost on the way) as ``http://x``."""
    return re.sub(r"^(https?):/+", r"\1://", url, flags=re.IGNORECASE)


class ServeState:
    """What the app keeps between requests: the project, its config, the capture index."""

    def __init__(
        self,
        project_root: Path,
        *,
        allow_capture: bool,
        bound_host: str,
        max_export_bytes: int = MAX_EXPORT_BYTES,
    ) -> None:
        self.root = project_root.resolve()
        self.allow_capture = allow_capture
        self.max_export_bytes = max_export_bytes
        self.bound_host = bound_host
        self.captures = CaptureIndex(self.root)
        self.index = LiveIndex(self.root)
        self._catalogue: Catalogue | None = None
        self.csrf = CsrfTokens()
        self.capture_lock = threading.Lock()

    @property
    def config(self) -> Config:
        return load_config(self.root)

    def entries(self) -> list[CatalogEntry]:
        return self.index.entries()

    def catalogue(self) -> Catalogue:
        """The collection for browsing, kept until the index's entries change."""
        entries = self.index.entries()
        held = self._catalogue
        if held is None or held.source is not entries:
            held = self._catalogue = Catalogue(entries)
        return held


def create_app(
    project_root: Path,
    *,
    allow_capture: bool = False,
    bound_host: str = "127.0.0.1",
    max_export_bytes: int = MAX_EXPORT_BYTES,
) -> Flask:
    """The WSGI application serving the project at ``project_root`` (see docs/serve.md).

    Read-only unless ``allow_capture``; ``bound_host`` is the address the server listens
    on (a loopback one makes the app answer loopback Host names only);
    ``max_export_bytes`` bounds the files of a record exported as a download.
    """
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    state = ServeState(
        project_root,
        allow_capture=allow_capture,
        bound_host=bound_host,
        max_export_bytes=max_export_bytes,
    )
    app.extensions["warcite"] = state
    app.jinja_env.globals.update(allow_capture=allow_capture, styles=STYLES, stamp=warc_timestamp)
    app.jinja_env.filters["snippet"] = _snippet

    @app.before_request
    def check_host() -> Response | None:
        if not host_allowed(request.host, state.bound_host):
            return Response(
                "warcite serve answers loopback host names only (127.0.0.1, localhost)\n",
                status=421,
                mimetype="text/plain",
            )
        return None

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = app_policy()
        return response

    @app.errorhandler(WarciteError)
    def warcite_error(error: WarciteError) -> tuple[str, int]:
        status = (
            404
            if isinstance(error, RecordError)
            else 400
            if isinstance(error, (UsageError, CitationError))
            else 500
        )
        return render_template("error.html", message=str(error), status=status), status

    # ------------------------------------------------------------------ collection

    @app.get("/")
    def collection() -> str:
        args = request.args
        order = args.get("sort", "captured")
        page_number = _int_argument("page", 1)
        filters = {
            name: (args.get(name) or "").strip() or None for name in ("author", "site", "year")
        }
        catalogue = state.catalogue()
        paths = None
        if filters["author"] or filters["site"]:  # chosen in SQL first, as warcite list does
            with state.index.connection() as (connection, _sync):
                paths = candidate_paths(connection, site=filters["site"], author=filters["author"])
        page = collection_page(
            state.root,
            author=filters["author"],
            site=filters["site"],
            year=filters["year"],
            order=order,
            page=page_number,
            catalogue=catalogue,
            paths=paths,
        )
        return render_template(
            "collection.html",
            page=page,
            filters=filters,
            filter_args={name: value for name, value in filters.items() if value},
            order=order,
            sorts=SORTS,
            csrf=state.csrf.token("capture"),
        )

    @app.get("/search")
    def search_page() -> str:
        query = (request.args.get("q") or "").strip()
        limit = min(_int_argument("limit", SEARCH_LIMIT), MAX_SEARCH_LIMIT)
        results = None
        if query:
            with state.index.connection() as index:
                results = search(state.root, query, limit=limit, index=index)
        return render_template(
            "search.html", query=query, results=results, limit=limit, more=MAX_SEARCH_LIMIT
        )

    # ------------------------------------------------------------------ a record

    def _load(record_id: str) -> dict[str, Any]:
        if not RECORD_ID.fullmatch(record_id) or record_id.endswith(".json"):
            abort(404)
        return load_record(record_id, state.root)

    @app.get("/records/<record_id>")
    def record_page(record_id: str) -> str:
        record = _load(record_id)
        config = state.config
        try:
            text: str | None = record_text(record, state.root)
        except WarciteError:
            text = None
        citations: list[tuple[str, str, str | None]] = []
        for style in STYLES:
            try:
                citations.append((style, cite(record, style, config=config, text=text), None))
            except WarciteError as error:
                citations.append((style, "", str(error)))
        entry = state.catalogue().by_id.get(str(record.get("id")))
        captures = state.catalogue().captures(entry.url) if entry else []
        here = next((i for i, item in enumerate(captures) if item.id == record.get("id")), 0)
        first = max(0, here - HISTORY_AROUND)
        history = captures[first : here + HISTORY_AROUND + 1]
        previous = captures[first - 1] if first > 0 else None
        listed_files = record.get("files")
        files: list[Any] = listed_files if isinstance(listed_files, list) else []
        screenshots = [
            index
            for index, listed in enumerate(files)
            if isinstance(listed, Mapping)
            and (
                "screenshot" in str(listed.get("role", ""))
                or str(listed.get("media_type", "")).startswith("image/")
            )
        ]
        return render_template(
            "record.html",
            record=record,
            entry=entry,
            fixity=fixity_status(entry, state.root) if entry else "unknown",
            metadata=_metadata_rows(record),
            authors=(record.get("work") or {}).get("authors") or [],
            citations=citations,
            history=history,
            history_total=len(captures),
            history_previous=previous,
            replay_of=_replay_path,
            live_methods=LIVE_METHODS,
            files=files,
            screenshots=screenshots,
            download_styles=DOWNLOAD_STYLES,
            export_downloads=EXPORT_DOWNLOADS,
        )

    @app.get("/records/<record_id>/text")
    def reader(record_id: str) -> str:
        record = _load(record_id)
        text = record_text(record, state.root)
        paragraphs = record_paragraphs(record, text)
        return render_template("reader.html", record=record, paragraphs=paragraphs)

    @app.get("/records/<record_id>/quote")
    def quote(record_id: str) -> tuple[Response, int]:
        record = _load(record_id)
        phrase = request.args.get("q") or ""
        if len(phrase) > MAX_QUOTE_CHARACTERS:
            return jsonify(
                error=f"the selection is longer than {MAX_QUOTE_CHARACTERS} characters"
            ), 400
        text = record_text(record, state.root)
        page, problem = load_rendered_page(record, state.root)
        try:
            matches = find_quotes(
                record,
                text,
                phrase,
                config=state.config,
                ignore_case=request.args.get("ignore_case") == "1",
                page=page,
                page_problem=problem,
            )
        except CitationError as error:
            return jsonify(phrase=phrase, error=str(error)), 404
        replay = _replay_path(record)
        return jsonify(
            phrase=phrase,
            matches=json.loads(render_quotes(matches, "json")),
            text=render_quotes(matches, "text"),
            replay=[
                f"{replay['content']}#{match.text_fragment_url.split('#', 1)[1]}"
                if replay and match.text_fragment_url and "#" in match.text_fragment_url
                else None
                for match in matches
            ],
        ), 200

    @app.get("/records/<record_id>/download/<what>")
    def download(record_id: str, what: str) -> Response:
        record = _load(record_id)
        name = str(record.get("id"))
        if what == "json":
            path = resolve_in_project(state.root, f"records/{name}.json")
            return file_download(path, state.root, "application/json", f"{name}.json")
        if what == "text":
            path = resolve_in_project(state.root, str((record.get("text") or {}).get("path")))
            return file_download(path, state.root, "text/plain; charset=utf-8", f"{name}.txt")
        if what == "warc":
            warc = ((record.get("capture") or {}).get("warc") or {}).get("path")
            path = resolve_in_project(state.root, str(warc))
            return file_download(path, state.root, "application/warc", path.name)
        if what in EXPORT_DOWNLOADS:
            if not RECORD_ID.fullmatch(name):
                abort(404)
            json_file = resolve_in_project(state.root, f"records/{name}.json")
            size = export_size(record, json_file)
            if size > state.max_export_bytes:
                message = (
                    f"the files of record {name} add up to {size} bytes, more than this "
                    f"server exports as a download ({state.max_export_bytes} bytes); run "
                    f"`warcite export {what} {name} -o PATH` instead"
                )
                return Response(
                    render_template("error.html", message=message, status=413), status=413
                )
            return export_download(what, json_file, name, project_root=state.root)
        if what in DOWNLOAD_STYLES:
            suffix, media_type = DOWNLOAD_STYLES[what]
            try:
                text: str | None = record_text(record, state.root)
            except WarciteError:
                text = None
            body = cite(record, what, config=state.config, text=text)
            response = Response(body + "\n", mimetype=media_type)
            response.headers["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
            return response
        abort(404)

    @app.get("/records/<record_id>/files/<int:number>")
    def record_file(record_id: str, number: int) -> Response:
        record = _load(record_id)
        files = record.get("files") or []
        if not 0 <= number < len(files) or not isinstance(files[number], Mapping):
            abort(404)
        listed = files[number]
        path = resolve_in_project(state.root, str(listed.get("path")))
        media_type = str(listed.get("media_type") or "application/octet-stream")
        response = file_download(path, state.root, media_type, None)
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    @app.get("/diff/<old>/<new>")
    def diff_page(old: str, new: str) -> str:
        for name in (old, new):
            if not RECORD_ID.fullmatch(name):
                abort(404)
        result = diff(state.root, old, new)
        return render_template("diff.html", old=old, new=new, text=render_diff(result))

    # ------------------------------------------------------------------ capture

    @app.post("/capture")
    def capture() -> BaseResponse:
        if not state.allow_capture:
            abort(403)
        origin = request.headers.get("Origin")
        if origin is not None and origin.rstrip("/") != request.host_url.rstrip("/"):
            abort(403)
        if not state.csrf.valid("capture", request.form.get("csrf")):
            abort(403)
        url = (request.form.get("url") or "").strip()
        if not url.lower().startswith(("http://", "https://")):
            raise UsageError(f"{url!r} is not an http(s) URL to archive")
        with state.capture_lock:
            result = archive(url, project_root=state.root)
        state.captures.refresh(force=True)
        state.index.invalidate()
        return redirect(url_for("record_page", record_id=str(result.record["id"])), code=303)

    # ------------------------------------------------------------------ replay

    def _replay_path(record: Mapping[str, Any]) -> dict[str, str] | None:
        capture = record.get("capture") if isinstance(record.get("capture"), Mapping) else {}
        assert isinstance(capture, Mapping)
        target = str(capture.get("target_uri") or "")
        warc = capture.get("warc") if isinstance(capture.get("warc"), Mapping) else {}
        assert isinstance(warc, Mapping)
        if capture.get("method") not in LIVE_METHODS or not target.lower().startswith(
            ("http://", "https://")
        ):
            return None
        stamp = warc_timestamp(str(warc.get("date") or ""))
        return {
            "frame": f"/web/{stamp}/{target}",
            "content": f"/web/{stamp}mp_/{target}",
            "raw": f"/web/{stamp}id_/{target}",
        }

    def _replay_base() -> str:
        return f"{request.host_url.rstrip('/')}/web"

    def _memento_links(capture: Capture) -> str:
        base = _replay_base()
        original = capture.url
        return ", ".join(
            [
                f'<{original}>; rel="original"',
                f'<{base}/timemap/link/{original}>; rel="timemap"; type="{LINK_FORMAT}"',
                f'<{base}/{original}>; rel="timegate"',
                f'<{base}/{capture.timestamp}/{original}>; rel="memento"; '
                f'datetime="{http_date(capture.moment)}"',
            ]
        )

    def _memento_headers(response: BaseResponse, capture: Capture) -> BaseResponse:
        response.headers["Memento-Datetime"] = http_date(capture.moment)
        response.headers["Link"] = _memento_links(capture)
        return response

    @app.route("/web/<path:rest>", methods=["GET", "HEAD"])
    def replay(rest: str) -> BaseResponse:
        raw = _raw_path()
        if not raw.startswith("/web/"):
            abort(404)
        rest = raw[len("/web/") :]
        if rest.startswith("timemap/link/"):
            return _timemap(_fixed_scheme(rest[len("timemap/link/") :]))
        match = REPLAY_PATH.fullmatch(rest)
        if match is None:
            return _timegate(_fixed_scheme(rest))
        stamp, modifier, url = match.group(1), match.group(2) or "", _fixed_scheme(match.group(3))
        if not url.lower().startswith(("http://", "https://")):
            abort(404)
        try:
            capture = state.captures.closest(url, stamp)
        except RecordError:
            return _not_archived(url)
        response: BaseResponse
        if capture.timestamp != stamp:
            response = redirect(f"/web/{capture.timestamp}{modifier}/{capture.url}", code=302)
            return _memento_headers(response, capture)
        if modifier == "":
            response = Response(
                render_template("frame.html", capture=capture, url=url, entry=_entry_of(capture))
            )
            return _memento_headers(response, capture)
        resource = read_resource(state.root, capture)
        response = _raw_response(resource) if modifier == "id_" else _rewritten_response(resource)
        response.headers["Content-Security-Policy"] = archived_policy(request.host_url)
        return _memento_headers(response, capture)

    def _entry_of(capture: Capture) -> CatalogEntry | None:
        for entry in by_work(state.entries(), capture.url):
            if entry.warc_path == capture.warc_path and entry.warc_record_id == capture.record_id:
                return entry
        return None

    def _not_archived(url: str) -> Response:
        """A 404 in the replay's sandbox: plain HTML, nothing it could load."""
        response = Response(
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Not archived</title>"
            f"</head><body><p>warcite: the archive holds no capture of {escape(url)}.</p>"
            "</body></html>",
            status=404,
            mimetype="text/html",
        )
        response.headers["Content-Security-Policy"] = archived_policy(request.host_url)
        return response

    def _location(resource: ArchivedResponse, modifier: str) -> str | None:
        location = resource.header("Location")
        if location is None:
            return None
        rewriter = Rewriter("/web", resource.capture.timestamp, resource.capture.url)
        rewritten = rewriter.url(location)
        return rewritten.replace("mp_/", f"{modifier}/", 1) if modifier != "mp_" else rewritten

    def _raw_response(resource: ArchivedResponse) -> Response:
        response = Response(resource.payload, status=resource.status)
        response.headers.clear()
        for name, value in resource.headers:
            if name.lower() in HOP_BY_HOP:
                continue
            if name.lower() == "location":
                value = _location(resource, "id_") or value
            response.headers.add(name, value)
        response.headers["Content-Length"] = str(len(resource.payload))
        return response

    def _rewritten_response(resource: ArchivedResponse) -> Response:
        media_type = (resource.header("Content-Type") or "").split(";")[0].strip().lower()
        capture = resource.capture
        rewriter = Rewriter("/web", capture.timestamp, capture.url)
        body: bytes = resource.payload
        content_type = resource.header("Content-Type")
        encoding = resource.header("Content-Encoding")
        textual = media_type in ("text/html", "application/xhtml+xml", "text/css")
        if textual:
            try:
                document = decode_body(resource.payload, headers=resource.headers)
            except WarciteError:
                textual = False
            else:
                if media_type == "text/css":
                    body = rewriter.css(document.text).encode("utf-8")
                    content_type = "text/css; charset=utf-8"
                else:
                    body = rewriter.html(document.text).encode("utf-8")
                    content_type = "text/html; charset=utf-8"
                encoding = None
        response = Response(body, status=resource.status)
        response.headers.clear()
        if content_type:
            response.headers["Content-Type"] = content_type
        if encoding:
            response.headers["Content-Encoding"] = encoding
        location = _location(resource, "mp_")
        if location:
            response.headers["Location"] = location
        response.headers["Content-Length"] = str(len(body))
        return response

    def _timemap(url: str) -> Response:
        if not url.lower().startswith(("http://", "https://")):
            abort(404)
        base = _replay_base()
        config = state.config.with_overrides(replay_base=base)
        try:
            result = build_timemap(url, state.entries(), config)
        except RecordError:
            captures = state.captures.captures(url)
            if not captures:
                return _not_archived(url)
            original = captures[-1].url
            result = TimeMap(
                original=original,
                mementos=tuple(
                    Memento(f"{base}/{capture.timestamp}/{capture.url}", capture.moment, "")
                    for capture in captures
                ),
                self_uri=f"{base}/timemap/link/{original}",
                timegate_uri=f"{base}/{original}",
                left_out=(),
            )
        return Response(render_link_format(result), mimetype=LINK_FORMAT)

    def _timegate(url: str) -> BaseResponse:
        if not url.lower().startswith(("http://", "https://")):
            abort(404)
        captures = state.captures.captures(url)
        if not captures:
            return _not_archived(url)
        wanted = request.headers.get("Accept-Datetime")
        if wanted:
            try:
                moment = parsedate_to_datetime(wanted)
            except (TypeError, ValueError):
                moment = None
            if moment is None or moment.tzinfo is None:
                refused = Response(
                    f"Accept-Datetime {wanted!r} is not an RFC 1123 date "
                    "(e.g. Thu, 26 Nov 2026 12:31:03 GMT)\n",
                    status=400,
                    mimetype="text/plain",
                )
                refused.headers["Vary"] = "accept-datetime"
                return refused
            stamp = moment.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
            capture = state.captures.closest(url, stamp)
        else:
            capture = captures[-1]
        response = redirect(f"/web/{capture.timestamp}/{capture.url}", code=302)
        response.headers["Vary"] = "accept-datetime"
        base = _replay_base()
        response.headers["Link"] = (
            f'<{capture.url}>; rel="original", '
            f'<{base}/timemap/link/{capture.url}>; rel="timemap"; type="{LINK_FORMAT}"'
        )
        return response

    return app


def _raw_path() -> str:
    """The request's path and query as sent (the original URL's escapes kept)."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw.startswith("/"):
        return raw
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def _int_argument(name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise UsageError(f"{name} {value!r} is not a number")
    return int(value)


def _snippet(value: str) -> Markup:
    """A search snippet with its ``[match]`` marks as ``<mark>`` (everything else escaped)."""
    escaped = str(escape(value))
    return Markup(re.sub(r"\[([^\[\]]*)\]", r"<mark>\1</mark>", escaped))


def _metadata_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    work = record.get("work") if isinstance(record.get("work"), Mapping) else {}
    assert isinstance(work, Mapping)
    rows = []
    for name in METADATA_FIELDS:
        value = work.get(name)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, Mapping) and "value" in value:
            rows.append(
                {
                    "field": name,
                    "value": value.get("value"),
                    "source": value.get("source"),
                    "raw": value.get("raw"),
                    "note": value.get("note"),
                }
            )
        else:
            shown = ", ".join(str(v) for v in value) if isinstance(value, list) else value
            rows.append({"field": name, "value": shown, "source": None, "raw": None, "note": None})
    return rows


__all__ = ["create_app"]
