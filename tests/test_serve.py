"""``warcite serve``: the pages, the quote endpoint, replay, Memento (RFC 7089) and the
safety rules, through Flask's test client over a project archived from a loopback site
(tests/serve_site.py).  The browser tests are in tests/test_serve_browser.py."""

from __future__ import annotations

import json
import re
import socket
import sys
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_site import QUOTED_SENTENCE, ServeSite, build_project
from warcite.cli import cli
from warcite.collection.replay import warc_timestamp
from warcite.core.project import resolve_in_project
from warcite.core.warc.records import read_record_at, record_payload
from warcite.web import create_app


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    info = build_project(tmp_path_factory.mktemp("serve"))
    yield info
    info["canary"].stop()


@pytest.fixture(scope="module")
def client(project: dict[str, Any]) -> Any:
    return create_app(project["root"]).test_client()


def _cli(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.chdir(root)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _stamp(record: dict[str, Any]) -> str:
    return warc_timestamp(record["capture"]["warc"]["date"])


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- collection and search


def test_collection_lists_every_record_with_its_columns(client: Any, project: dict) -> None:
    page = _text(client.get("/"))
    assert "5 records" in page
    for key in ("first", "second", "hostile", "gzip"):
        assert f'href="/records/{project[key]}"' in page
    assert "Why North Korean Elites Defect" in page
    assert "Maren Solberg" in page and "The Loopback Chronicle" in page
    assert "2023-05-17" in page  # published
    assert "size ok" in page  # fixity
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", page)  # captured


def test_collection_filters_by_author_site_and_year(client: Any, project: dict) -> None:
    by_author = _text(client.get("/?author=solberg"))
    assert "2 records" in by_author and project["hostile"] not in by_author
    by_form = _text(client.get("/?author=In+Ae+Hyun"))  # an alternate form of a name
    assert "1 record<" in by_form and "opednews-160829-249" in by_form
    by_site = _text(client.get("/?site=opednews"))
    assert "1 record<" in by_site
    by_year = _text(client.get("/?year=2016"))
    assert "1 record<" in by_year and "opednews-160829-249" in by_year
    assert client.get("/?year=16").status_code == 400
    assert client.get("/?sort=nonsense").status_code == 400


def test_collection_sorts(client: Any, project: dict) -> None:
    page = _text(client.get("/?sort=title"))
    titles = re.findall(r'<a href="/records/[^"]+">([^<]+)</a>', page)
    assert titles == sorted(titles, key=str.casefold)
    oldest = _text(client.get("/?sort=published-asc"))
    assert oldest.index("opednews-160829-249") < oldest.index(project["first"])


def test_search_shows_the_paragraph_and_its_number(client: Any, project: dict) -> None:
    page = _text(client.get('/search?q="forty-two ships"'))
    assert "2 matches<" in page  # both captures of the article
    assert f'href="/records/{project["first"]}/text#p10"' in page
    assert f'href="/records/{project["second"]}/text#p10"' in page
    assert "paragraph 10" in page
    assert "<mark>" in page


def test_search_finds_an_alternate_name_form(client: Any) -> None:
    page = _text(client.get('/search?q="In Ae Hyun"'))
    assert "opednews-160829-249" in page
    assert "(Hyeon, 2016" in page


def test_search_escapes_what_it_shows(client: Any) -> None:
    page = _text(client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E"))
    assert "<script>alert(1)" not in page


# ---------------------------------------------------------------- record page


def test_record_page_metadata_sources_history_and_downloads(client: Any, project: dict) -> None:
    page = _text(client.get(f"/records/{project['second']}"))
    assert "meta:og:site_name" in page and "meta:article:published_time" in page
    assert f'href="/records/{project["first"]}"' in page
    assert f"/diff/{project['first']}/{project['second']}" in page
    assert f"/web/{_stamp(project['records']['first'])}/{project['article']}" in page
    assert "/web/timemap/link/" in page
    for what in ("text", "json", "warc", "csl-json", "bibtex", "ris"):
        assert f"/records/{project['second']}/download/{what}" in page


def test_record_page_citations_equal_warcite_cite(
    client: Any, project: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import html

    page = html.unescape(_text(client.get(f"/records/{project['first']}")))
    for style in ("apa", "mla", "chicago-note", "bibtex", "ris"):
        expected = _cli(project["root"], monkeypatch, "cite", project["first"], "--style", style)
        assert expected.exit_code == 0
        assert f'<pre id="cite-{style}">{expected.output.rstrip(chr(10))}</pre>' in page
    assert 'class="copy" data-target="cite-apa"' in page


def test_downloads_are_the_files_and_citations(
    client: Any, project: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project["root"]
    record_id = project["first"]
    assert (
        client.get(f"/records/{record_id}/download/json").data
        == (root / "records" / f"{record_id}.json").read_bytes()
    )
    assert (
        client.get(f"/records/{record_id}/download/text").data
        == (root / "records" / f"{record_id}.txt").read_bytes()
    )
    warc = project["records"]["first"]["capture"]["warc"]["path"]
    assert client.get(f"/records/{record_id}/download/warc").data == (root / warc).read_bytes()
    # streamed from disk, never read whole: with its length, and a Range request answered
    whole = (root / warc).read_bytes()
    streamed = client.get(f"/records/{record_id}/download/warc")
    assert streamed.headers["Content-Length"] == str(len(whole))
    assert streamed.headers["Accept-Ranges"] == "bytes"
    streamed.close()  # not read: closed as a WSGI server closes a dropped download
    part = client.get(f"/records/{record_id}/download/warc", headers={"Range": "bytes=10-29"})
    assert part.status_code == 206 and part.data == whole[10:30]
    assert part.headers["Content-Range"] == f"bytes 10-29/{len(whole)}"
    part.close()  # what the WSGI server does: closes the file the range stopped in
    bibtex = _cli(root, monkeypatch, "cite", record_id, "--style", "bibtex").output
    assert client.get(f"/records/{record_id}/download/bibtex").get_data(as_text=True) == bibtex
    assert client.get(f"/records/{record_id}/download/nonsense").status_code == 404
    premis = client.get(f"/records/{record_id}/download/premis")
    assert premis.status_code == 200 and b"premis" in premis.data[:2000]
    wacz = client.get(f"/records/{record_id}/download/wacz")
    assert wacz.status_code == 200 and wacz.data.startswith(b"PK")


def test_diff_page_is_warcite_diff(
    client: Any, project: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import html

    page = html.unescape(_text(client.get(f"/diff/{project['first']}/{project['second']}")))
    expected = _cli(project["root"], monkeypatch, "diff", project["first"], project["second"])
    assert expected.output.rstrip("\n") in page
    assert "harbour master" in page


# ---------------------------------------------------------------- reader and quotes


def test_reader_numbers_and_anchors_every_paragraph(client: Any, project: dict) -> None:
    page = _text(client.get(f"/records/{project['first']}/text"))
    count = project["records"]["first"]["text"]["paragraphs"]
    for number in range(1, count + 1):
        assert f'id="p{number}"' in page and f'href="#p{number}" data-n="{number}"' in page
    assert QUOTED_SENTENCE in page


def test_quote_endpoint_is_warcite_quote(
    client: Any, project: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = project["first"]
    data = client.get(f"/records/{record_id}/quote", query_string={"q": QUOTED_SENTENCE}).json
    as_json = _cli(
        project["root"], monkeypatch, "quote", record_id, QUOTED_SENTENCE, "--format", "json"
    )
    as_text = _cli(project["root"], monkeypatch, "quote", record_id, QUOTED_SENTENCE)
    assert data["matches"] == json.loads(as_json.output)
    assert data["text"] == as_text.output.rstrip("\n")
    match = data["matches"][0]
    assert match["exact"] == QUOTED_SENTENCE and match["paragraph"] == 10
    assert match["citation"] == "(Solberg, 2023, para. 10)"
    stamp = _stamp(project["records"]["first"])
    directive = match["text_fragment"].split("#", 1)[1]
    assert data["replay"] == [f"/web/{stamp}mp_/{project['article']}#{directive}"]


def test_quote_endpoint_says_when_a_phrase_is_not_in_the_text(client: Any, project: dict) -> None:
    response = client.get(f"/records/{project['first']}/quote", query_string={"q": "sea serpents"})
    assert response.status_code == 404
    assert "is not in the text" in response.json["error"]
    assert "Closest passage" in response.json["error"]


# ---------------------------------------------------------------- replay


def _payload(project: dict, key: str) -> bytes:
    warc = project["records"][key]["capture"]["warc"]
    path = resolve_in_project(project["root"], warc["path"])
    payload = record_payload(path, read_record_at(path, warc["offset"]))
    assert payload is not None
    return payload


@pytest.mark.parametrize("key", ["first", "gzip"])
def test_id_replay_is_the_archived_payload_byte_for_byte(
    client: Any, project: dict, key: str
) -> None:
    record = project["records"][key]
    url = record["capture"]["target_uri"]
    response = client.get(f"/web/{_stamp(record)}id_/{url}")
    assert response.status_code == 200
    assert response.data == _payload(project, key)
    assert response.headers["X-Original-Header"] == "kept"
    assert "Set-Cookie" not in response.headers
    if key == "gzip":
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.data[:2] == b"\x1f\x8b"


def test_rewritten_page_names_nothing_outside_the_replay(client: Any, project: dict) -> None:
    stamp = _stamp(project["records"]["hostile"])
    url = project["records"]["hostile"]["capture"]["target_uri"]
    page = _text(client.get(f"/web/{stamp}mp_/{url}"))
    references = re.findall(r'(?:href|src|action)="([^"]*)"', page)
    assert len(references) >= 8
    refresh = re.search(r'http-equiv="refresh" content="\d+; url=([^"]*)"', page)
    assert refresh is not None
    for reference in [*references, refresh.group(1)]:
        assert reference.startswith(("/web/", "#", "data:")), reference
    assert "<base" not in page
    assert "javascript:" not in page
    css = _text(
        client.get(f"/web/{_stamp(project['records']['first'])}mp_/{project['site']}/style.css")
    )
    assert '@import "/web/' in css and 'url("/web/' in css


def test_requisites_come_from_the_closest_capture(client: Any, project: dict) -> None:
    stamp = _stamp(project["records"]["first"])
    response = client.get(f"/web/{stamp}mp_/{project['site']}/pic.png")
    if response.status_code == 302:  # the image's capture is a second or two off
        assert response.headers["Location"].endswith(f"mp_/{project['site']}/pic.png")
        response = client.get(response.headers["Location"])
    assert response.status_code == 200
    assert response.data.startswith(b"\x89PNG")


def test_closest_capture_by_time_redirects_to_it(client: Any, project: dict) -> None:
    first, second = _stamp(project["records"]["first"]), _stamp(project["records"]["second"])
    early = client.get(f"/web/20000101/{project['article']}")
    assert early.status_code == 302
    assert early.headers["Location"] == f"/web/{first}/{project['article']}"
    late = client.get(f"/web/29991231235959mp_/{project['article']}")
    assert late.headers["Location"] == f"/web/{second}mp_/{project['article']}"


def test_what_is_not_archived_is_a_404_from_warcite(client: Any, project: dict) -> None:
    response = client.get(f"/web/20260101000000mp_/{project['site']}/never-captured.js")
    assert response.status_code == 404
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get("/web/20260101000000mp_/http://example.com/").status_code == 404


def test_frame_page_has_a_banner_outside_the_sandboxed_frame(client: Any, project: dict) -> None:
    stamp = _stamp(project["records"]["first"])
    page = _text(client.get(f"/web/{stamp}/{project['article']}"))
    assert 'class="banner"' in page
    assert f'sandbox="allow-scripts allow-forms" src="/web/{stamp}mp_/{project["article"]}"' in page
    assert f'href="/records/{project["first"]}"' in page


# ---------------------------------------------------------------- Memento, RFC 7089


def _links(header: str) -> list[tuple[str, dict[str, str]]]:
    links = []
    for uri, parameters in re.findall(r"<([^>]*)>((?:\s*;\s*[\w-]+=\"[^\"]*\")*)", header):
        links.append((uri, dict(re.findall(r'([\w-]+)="([^"]*)"', parameters))))
    return links


@pytest.mark.parametrize("modifier", ["", "mp_", "id_"])
def test_every_replay_response_carries_memento_headers(
    client: Any, project: dict, modifier: str
) -> None:
    record = project["records"]["first"]
    stamp = _stamp(record)
    response = client.get(f"/web/{stamp}{modifier}/{project['article']}")
    moment = parsedate_to_datetime(response.headers["Memento-Datetime"])
    assert response.headers["Memento-Datetime"].endswith(" GMT")
    assert moment.strftime("%Y%m%d%H%M%S") == stamp
    relations = {parameters["rel"]: uri for uri, parameters in _links(response.headers["Link"])}
    assert relations["original"] == project["article"]
    assert relations["timegate"] == f"http://localhost/web/{project['article']}"
    assert relations["timemap"] == f"http://localhost/web/timemap/link/{project['article']}"


def test_timegate_negotiates_on_accept_datetime(client: Any, project: dict) -> None:
    first, second = project["records"]["first"], project["records"]["second"]
    early = client.get(
        f"/web/{project['article']}", headers={"Accept-Datetime": "Thu, 01 Jan 2015 00:00:00 GMT"}
    )
    assert early.status_code == 302
    assert early.headers["Vary"].lower() == "accept-datetime"
    assert early.headers["Location"] == f"/web/{_stamp(first)}/{project['article']}"
    relations = {parameters["rel"]: uri for uri, parameters in _links(early.headers["Link"])}
    assert relations["original"] == project["article"] and "timemap" in relations
    latest = client.get(f"/web/{project['article']}")
    assert latest.headers["Location"] == f"/web/{_stamp(second)}/{project['article']}"
    bad = client.get(f"/web/{project['article']}", headers={"Accept-Datetime": "yesterday"})
    assert bad.status_code == 400


def test_timemap_is_warcite_timemap_with_replay_urls(
    client: Any, project: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = client.get(f"/web/timemap/link/{project['article']}")
    assert response.headers["Content-Type"] == "application/link-format"
    expected = _cli(
        project["root"],
        monkeypatch,
        "timemap",
        project["article"],
        "--replay-base",
        "http://localhost/web",
    )
    assert _text(response) == expected.stdout
    mementos = [(uri, p) for uri, p in _links(_text(response)) if "memento" in p["rel"].split()]
    assert len(mementos) == 2
    for uri, parameters in mementos:
        replayed = client.get(uri.removeprefix("http://localhost"))
        assert replayed.status_code == 200
        assert replayed.headers["Memento-Datetime"] == parameters["datetime"]


def test_citations_with_this_replay_base_link_to_a_replayed_memento(
    project: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(project["root"], root)
    (root / "warcite.toml").write_text(
        '[archive]\nname = "test archive"\nreplay_base = "http://localhost/web"\n'
    )
    client = create_app(root).test_client()
    citation = _cli(root, monkeypatch, "cite", project["first"]).output
    link = re.search(r"http://localhost/web/\d{14}/\S+?\.html", citation)
    assert link is not None, citation
    replayed = client.get(link.group(0).removeprefix("http://localhost"))
    assert replayed.status_code == 200 and "Memento-Datetime" in replayed.headers
    assert link.group(0) in _text(client.get(f"/records/{project['first']}"))


def test_a_requisite_has_a_timemap_from_the_warcs(client: Any, project: dict) -> None:
    response = client.get(f"/web/timemap/link/{project['site']}/style.css")
    assert response.status_code == 200
    assert 'rel="original"' in _text(response) and "memento" in _text(response)


# ---------------------------------------------------------------- safety


@pytest.mark.parametrize(
    "path",
    [
        "/records/..%2f..%2fetc%2fpasswd",
        "/records/../warcite.toml",
        "/records/%2e%2e/text",
        "/records/opednews-160829-249.json",
        "/static/../app.py",
        "/static/..%2fapp.py",
        "/web/20260101000000id_/file:///etc/passwd",
        "/web/20260101000000mp_/../../../etc/passwd",
        "/web/timemap/link/file:///etc/passwd",
        "/diff/..%2frecords/x",
    ],
)
def test_no_path_leaves_the_project(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert b"root:" not in response.data and b"def create_app" not in response.data


def test_a_record_naming_a_file_outside_the_project_is_refused(
    project: dict, tmp_path: Path
) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(project["root"], root)
    path = root / "records" / f"{project['gzip']}.json"
    record = json.loads(path.read_text())
    record["files"][0]["path"] = "../../../../etc/passwd"
    record["capture"]["warc"]["path"] = "../../../../etc/passwd"
    path.write_text(json.dumps(record))
    client = create_app(root).test_client()
    for url in (f"/records/{project['gzip']}/files/0", f"/records/{project['gzip']}/download/warc"):
        response = client.get(url)
        assert response.status_code == 404
        assert b"root:" not in response.data


def test_archived_content_is_sandboxed_and_kept_on_the_replay(client: Any, project: dict) -> None:
    stamp = _stamp(project["records"]["first"])
    for modifier in ("mp_", "id_"):
        policy = client.get(f"/web/{stamp}{modifier}/{project['article']}").headers[
            "Content-Security-Policy"
        ]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["sandbox"] == ["allow-scripts", "allow-forms"]  # no same-origin, no top
        for name in ("default-src", "connect-src", "img-src", "script-src", "form-action"):
            sources = [s for s in directives[name] if not s.startswith("'")]
            assert all(s in ("http://localhost/web/", "data:", "blob:") for s in sources), name
    app_policy = client.get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in app_policy and "script-src 'self'" in app_policy


def test_only_loopback_host_names_are_answered(client: Any) -> None:
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 421
    assert client.get("/", headers={"Host": "127.0.0.1:8080"}).status_code == 200
    public = create_app(Path(client.application.extensions["warcite"].root), bound_host="0.0.0.0")
    assert public.test_client().get("/", headers={"Host": "archive.example"}).status_code == 200


def test_read_only_pages_write_nothing_to_the_project(project: dict, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(project["root"], root)

    def snapshot() -> dict[str, bytes]:
        return {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file() and ".warcite" not in path.relative_to(root).parts
        }

    before = snapshot()
    client = create_app(root).test_client()
    stamp = _stamp(project["records"]["first"])
    for url in (
        "/",
        "/search?q=ships",
        f"/records/{project['first']}",
        f"/records/{project['first']}/text",
        f"/records/{project['first']}/quote?q=ships",
        f"/web/{stamp}/{project['article']}",
        f"/web/{stamp}mp_/{project['article']}",
        f"/web/timemap/link/{project['article']}",
    ):
        assert client.get(url).status_code == 200, url
    assert client.post("/capture", data={"url": "http://127.0.0.1:9/"}).status_code in (403, 405)
    assert snapshot() == before


def test_capture_form_needs_the_flag_and_a_csrf_token(project: dict, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(project["root"], root)
    app = create_app(root, allow_capture=True)
    client = app.test_client()
    page = _text(client.get("/"))
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert token and "Archive this URL" in page
    site = ServeSite(project["canary"].origin)
    try:
        url = f"{site.origin}/gzip.html"
        assert client.post("/capture", data={"url": url}).status_code == 403
        assert client.post("/capture", data={"url": url, "csrf": "0" * 64}).status_code == 403
        cross = client.post(
            "/capture",
            data={"url": url, "csrf": token.group(1)},
            headers={"Origin": "http://attacker.example"},
        )
        assert cross.status_code == 403
        records = len(list((root / "records").glob("*.json")))
        done = client.post(
            "/capture",
            data={"url": url, "csrf": token.group(1)},
            headers={"Origin": "http://localhost"},
        )
        assert done.status_code == 303 and done.headers["Location"].startswith("/records/")
        assert len(list((root / "records").glob("*.json"))) == records + 1
    finally:
        site.stop()
    assert "Archive this URL" not in _text(create_app(root).test_client().get("/"))


# ---------------------------------------------------------------- the command


def test_serve_command_prints_its_address_and_warns_off_loopback(
    project: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import werkzeug.serving

    started: list[tuple[str, int]] = []

    class FakeServer:
        server_port = 8123

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def server_close(self) -> None:
            pass

    def fake_make_server(host: str, port: int, app: Any, threaded: bool) -> FakeServer:
        started.append((host, port))
        return FakeServer()

    monkeypatch.setattr(werkzeug.serving, "make_server", fake_make_server)
    monkeypatch.chdir(project["root"])
    local = CliRunner().invoke(cli, ["serve", "--port", "8123"])
    assert local.exit_code == 0
    assert local.stdout == "http://127.0.0.1:8123/\n"
    assert "read-only" in local.stderr and "warning" not in local.stderr
    public = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert public.exit_code == 0
    assert "warning: listening on 0.0.0.0, not a loopback address" in public.stderr
    assert started == [("127.0.0.1", 8123), ("0.0.0.0", 8123)]


def test_serve_command_refuses_a_port_in_use(
    project: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        monkeypatch.chdir(project["root"])
        result = CliRunner().invoke(cli, ["serve", "--port", str(taken.getsockname()[1])])
    finally:
        taken.close()
    assert result.exit_code == 2
    assert "cannot listen on 127.0.0.1" in result.stderr


def test_warcite_serve_runs_and_answers(project: dict) -> None:
    import subprocess
    import urllib.request

    process = subprocess.Popen(
        [sys.executable, "-m", "warcite", "serve", "--port", "0"],
        cwd=project["root"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", address), address
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy
        with opener.open(address, timeout=30) as response:
            page = response.read().decode()
        assert "5 records" in page
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
