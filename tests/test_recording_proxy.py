"""The recording proxy without a browser: urllib as the client, loopback sites as origins.

Plain HTTP forwarding, HTTPS through CONNECT with the throwaway CA (the client trusts
only it, the proxy verifies the origin against the site's own CA), the exact bytes kept,
the origin's certificate chain kept, private destinations refused.
"""

from __future__ import annotations

import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_site import Site
from warcite.capture.authority import CertificateAuthority
from warcite.capture.proxy import RecordingProxy, address_policy, is_private_address
from warcite.capture.recorder import Budget, Limits, Recorder


def make_recorder(
    tls_context: ssl.SSLContext | None = None, allow_private: bool = True
) -> Recorder:
    from datetime import datetime, timezone

    lock = threading.Lock()

    def clock() -> datetime:
        with lock:
            return datetime.now(timezone.utc)

    recorder = Recorder(
        limits=Limits(timeout=10.0, max_bytes=1_000_000, user_agent=""),
        clock=clock,
        budget=Budget(max_total_bytes=10_000_000, total_timeout=60.0),
        tls_context=tls_context,
    )
    recorder.address_check = address_policy(allow_private)
    return recorder


@pytest.fixture
def authority() -> Iterator[CertificateAuthority]:
    ca = CertificateAuthority()
    yield ca
    ca.close()


def opener(
    proxy: RecordingProxy, client_trust: ssl.SSLContext | None = None
) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler({"http": proxy.address, "https": proxy.address})
    ]
    if client_trust is not None:
        handlers.append(urllib.request.HTTPSHandler(context=client_trust))
    return urllib.request.build_opener(*handlers)


def region_bytes(exchange: object) -> bytes:
    return b"".join(exchange.response.chunks())  # type: ignore[attr-defined]


def test_plain_http_is_forwarded_and_recorded_exactly(
    tmp_path: Path, authority: CertificateAuthority
) -> None:
    recorder = make_recorder()
    with Site() as site, RecordingProxy(recorder, authority, tmp_path) as proxy:
        with opener(proxy).open(site.url("/static"), timeout=10) as response:
            body = response.read()
        assert response.status == 200 and b"A Plain Static Article" in body
    assert [e.url for e in proxy.log.exchanges] == [site.url("/static")]
    exchange = proxy.log.exchanges[0]
    request_line = exchange.request.split(b"\r\n", 1)[0]
    assert request_line == b"GET /static HTTP/1.1"  # origin form, not the proxy's form
    assert b"Proxy-Connection" not in exchange.request
    recorded = region_bytes(exchange)
    assert recorded.startswith(b"HTTP/1.1 200 OK\r\n") and recorded.endswith(b"\r\n\r\n" + body)
    assert exchange.block_digest.startswith("sha256:")
    proxy.close_spools()
    recorder.close()


def test_https_through_connect_with_the_throwaway_ca(
    tmp_path: Path, authority: CertificateAuthority
) -> None:
    site_ca = CertificateAuthority()  # the origin's own CA, which the proxy is told to trust
    ca_file = tmp_path / "site-ca.pem"
    ca_file.write_bytes(site_ca.certificate_pem())
    upstream_trust = ssl.create_default_context(cafile=str(ca_file))
    client_trust = ssl.create_default_context(cadata=authority.certificate_pem().decode())
    recorder = make_recorder(upstream_trust)
    try:
        with (
            Site(tls=site_ca.server_context("127.0.0.1")) as site,
            RecordingProxy(recorder, authority, tmp_path) as proxy,
        ):
            with opener(proxy, client_trust).open(site.url("/static"), timeout=10) as response:
                body = response.read()
            assert b"A Plain Static Article" in body
            origin = site.url("")
        assert [e.url for e in proxy.log.exchanges] == [site.url("/static")]
        chain = recorder.certificate_chains[origin]
        assert chain and all(pem.startswith("-----BEGIN CERTIFICATE-----") for pem in chain)
        # the chain is the origin's (signed by the site's CA), not the proxy's own
        assert ssl.PEM_cert_to_DER_cert(site_ca.certificate_pem().decode()) in [
            ssl.PEM_cert_to_DER_cert(pem) for pem in chain
        ]
        proxy.close_spools()
    finally:
        recorder.close()
        site_ca.close()


def test_https_origin_not_trusted_is_not_forwarded(
    tmp_path: Path, authority: CertificateAuthority
) -> None:
    site_ca = CertificateAuthority()
    client_trust = ssl.create_default_context(cadata=authority.certificate_pem().decode())
    recorder = make_recorder()  # the system's trust: the site's CA is unknown to it
    try:
        with (
            Site(tls=site_ca.server_context("127.0.0.1")) as site,
            RecordingProxy(recorder, authority, tmp_path) as proxy,
        ):
            with pytest.raises(urllib.error.HTTPError) as caught:
                opener(proxy, client_trust).open(site.url("/static"), timeout=10)
            caught.value.close()
            assert caught.value.code == 502
        assert proxy.log.exchanges == []
        assert "certificate verification failed" in proxy.log.failed[0]
        proxy.close_spools()
    finally:
        recorder.close()
        site_ca.close()


def test_private_destinations_are_refused_unless_allowed(
    tmp_path: Path, authority: CertificateAuthority
) -> None:
    recorder = make_recorder(allow_private=False)
    with Site() as site, RecordingProxy(recorder, authority, tmp_path) as proxy:
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener(proxy).open(site.url("/static"), timeout=10)
        caught.value.close()
        assert caught.value.code == 403
    assert proxy.log.exchanges == [] and site.requests == []
    assert "private, loopback or link-local" in proxy.log.blocked[0]
    proxy.close_spools()
    recorder.close()


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("fe80::1", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", True),
        ("93.184.216.34", False),
        ("2606:2800:220:1::1", False),
    ],
)
def test_private_addresses(address: str, private: bool) -> None:
    assert is_private_address(address) is private


def test_the_proxy_listens_only_while_open(tmp_path: Path, authority: CertificateAuthority) -> None:
    import socket

    recorder = make_recorder()
    proxy = RecordingProxy(recorder, authority, tmp_path)
    port = proxy.start()
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    proxy.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    recorder.close()


def test_activity_counts_each_request_while_it_is_in_flight(
    tmp_path: Path, authority: CertificateAuthority
) -> None:
    """The proxy knows exactly what is in flight: browser capture waits on it."""
    from browser_site import ok, standard_routes

    arrived, release = threading.Event(), threading.Event()

    def held(path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        arrived.set()
        release.wait(10)
        return ok("text/plain", b"held")

    routes = standard_routes()
    routes["/held"] = held
    recorder = make_recorder()
    with Site(routes) as site, RecordingProxy(recorder, authority, tmp_path) as proxy:
        assert proxy.activity.snapshot()[:2] == (0, 0)
        answers: list[bytes] = []
        client = threading.Thread(
            target=lambda: answers.append(opener(proxy).open(site.url("/held"), timeout=10).read())
        )
        client.start()
        assert arrived.wait(10)
        in_flight, started, during = proxy.activity.snapshot()
        assert (in_flight, started) == (1, 1)
        release.set()
        client.join(10)
        deadline = time.monotonic() + 10  # the answer is sent just before the count drops
        while proxy.activity.snapshot()[0] and time.monotonic() < deadline:
            time.sleep(0.01)
        in_flight, started, after = proxy.activity.snapshot()
        assert answers == [b"held"] and (in_flight, started) == (0, 1) and after > during
    proxy.close_spools()
    recorder.close()


def test_more_connections_over_its_life_than_it_serves_at_once(
    tmp_path: Path, authority: CertificateAuthority
) -> None:
    """Each browser connection that ends frees its place: a page may open many more
    than :data:`MAX_CONNECTIONS` one after the other."""
    from warcite.capture.proxy import MAX_CONNECTIONS

    recorder = make_recorder()
    with Site() as site, RecordingProxy(recorder, authority, tmp_path) as proxy:
        for _ in range(MAX_CONNECTIONS + 6):  # urllib opens a connection for each request
            with opener(proxy).open(site.url("/static"), timeout=5) as response:
                assert response.status == 200
    assert len(proxy.log.exchanges) == MAX_CONNECTIONS + 6
    proxy.close_spools()
    recorder.close()


def test_a_proxy_prepared_ahead_forwards_nothing_until_its_recorder_comes(
    tmp_path: Path, authority: CertificateAuthority
) -> None:
    recorder = make_recorder()
    with Site() as site, RecordingProxy(None, authority, None) as proxy:
        answers: list[bytes] = []
        client = threading.Thread(
            target=lambda: answers.append(
                opener(proxy).open(site.url("/static"), timeout=10).read()
            )
        )
        client.start()
        client.join(0.5)
        assert client.is_alive() and site.requests == [] and proxy.log.exchanges == []
        proxy.attach(recorder, tmp_path)
        client.join(10)
        assert b"A Plain Static Article" in answers[0]
        assert [e.url for e in proxy.log.exchanges] == [site.url("/static")]
    proxy.close_spools()
    recorder.close()


def test_a_connection_reset_as_soon_as_it_opens_is_a_capture_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server that resets the connection between the handshake and the first call made
    on it: ``getpeername`` fails with ENOTCONN.  That was an OSError escaping from the
    pre-connecting thread (seen in a CI run); it is a CaptureError, and the socket is closed."""
    import errno
    import socket

    from warcite.core.errors import CaptureError

    class ResetSocket:
        closed = False

        def setsockopt(self, *arguments: object) -> None:
            pass

        def getpeername(self) -> tuple[str, int]:
            raise OSError(errno.ENOTCONN, "Transport endpoint is not connected")

        def close(self) -> None:
            ResetSocket.closed = True

        def shutdown(self, how: int) -> None:
            pass

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: ResetSocket())
    recorder = make_recorder()
    with pytest.raises(CaptureError, match="closed by the server as soon as it opened"):
        recorder._connect("http://127.0.0.1:9/", time.monotonic() + 5)
    assert ResetSocket.closed
