"""Find my API URL against real :class:`SipstoryTestServer`s on 127.0.0.1.

The usual local ports (4007, 5000, 3000) are probed as well; whatever listens there on the
machine running the tests, the assertions only rely on the server each test starts, and
on a port nothing listens on where they need one.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator

import pytest

from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.find_url import LOCAL_PORTS, FindResult, ProbeOutcome, find_api_url
from sipstory_desktop.demo.fake_api import Layout, SipstoryTestServer
from tests.support.ports import closed_port

pytestmark = pytest.mark.usefixtures("no_proxy")


@pytest.fixture
def client() -> ApiClient:
    return ApiClient(Timeouts(connect=2.0, read=3.0))


@contextlib.contextmanager
def _server(layout: Layout) -> Iterator[SipstoryTestServer]:
    with SipstoryTestServer(layout=layout) as running:
        running.add_key("4e" * 32, org="acme")  # known to the server, never sent by a probe
        yield running


def _outcomes(result: FindResult) -> dict[str, ProbeOutcome]:
    return {probe.base_url: probe.outcome for probe in result.probes}


def _no_key_was_sent(server: SipstoryTestServer) -> None:
    assert server.requests, "the server saw no probe"
    for request in server.requests:
        names = {name.lower() for name in request.headers}
        assert "authorization" not in names, f"a probe of {request.path} carried a key"
        assert request.method == "GET"
        assert request.path.endswith("/is-connected")


def _local_port_bases(host: str, own_port: int) -> set[str]:
    return {
        f"http://{host}:{port}{path}"
        for port in LOCAL_PORTS
        if port != own_port
        for path in ("/api/public/v1", "/public/v1")
    }


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_finds_the_base_on_the_proxy_layout(client: ApiClient) -> None:
    with _server("proxy") as server:
        result = find_api_url(client, server.url)
        outcomes = _outcomes(result)
        assert result.found == server.url + "/api/public/v1"
        assert outcomes[server.url + "/public/v1"] is ProbeOutcome.WEB_APP
        assert result.probes[0].base_url == result.found  # the address's own port first
        assert result.probes[0].http_status == 401
        assert "No API Key found" in result.probes[0].detail
        assert _local_port_bases("127.0.0.1", server.port) <= set(outcomes)
        _no_key_was_sent(server)


def test_finds_the_base_on_the_backend_layout(client: ApiClient) -> None:
    with _server("backend") as server:
        result = find_api_url(client, server.url)
        outcomes = _outcomes(result)
        assert result.found == server.url + "/public/v1"
        assert outcomes[server.url + "/api/public/v1"] is ProbeOutcome.NOT_FOUND
        assert outcomes[server.url + "/public/v1"] is ProbeOutcome.SIPSTORY
        assert _local_port_bases("127.0.0.1", server.port) <= set(outcomes)
        _no_key_was_sent(server)


@pytest.mark.parametrize(
    ("layout", "path", "api_path"),
    [
        ("proxy", "/public/v1", "/api/public/v1"),  # the classic mistake: /api left out
        ("proxy", "/public/v1/is-connected", "/api/public/v1"),
        ("proxy", "/api", "/api/public/v1"),
        ("backend", "/api/public/v1", "/public/v1"),
        ("backend", "/", "/public/v1"),
    ],
)
def test_an_address_with_a_wrong_api_path(
    client: ApiClient, layout: Layout, path: str, api_path: str
) -> None:
    with _server(layout) as server:
        result = find_api_url(client, server.url + path)
        assert result.found == server.url + api_path
        _no_key_was_sent(server)


def test_an_address_with_a_page_of_the_web_app(client: ApiClient) -> None:
    with _server("proxy") as server:
        result = find_api_url(client, server.url + "/auth/login")
        outcomes = _outcomes(result)
        assert outcomes[server.url + "/auth/login/api/public/v1"] is ProbeOutcome.WEB_APP
        assert result.found == server.url + "/api/public/v1"


def test_a_redirect_is_shown_and_not_followed(client: ApiClient) -> None:
    with _server("proxy") as server:
        result = find_api_url(client, server.url + "/fault/redirect/")
        redirected = result.probes[0]
        assert redirected.base_url == server.url + "/fault/redirect/api/public/v1"
        assert redirected.outcome is ProbeOutcome.REDIRECT
        assert "https://sipstory.example.com/api/public/v1/is-connected" in redirected.detail
        assert result.found == server.url + "/api/public/v1"
        assert all("sipstory.example.com" not in r.path for r in server.requests)


def test_a_server_that_fails_is_no_match(client: ApiClient) -> None:
    with _server("backend") as server:
        result = find_api_url(client, server.url + "/fault/server_error", local_ports=())
        outcomes = _outcomes(result)
        assert outcomes[server.url + "/fault/server_error/public/v1"] is ProbeOutcome.OTHER
        assert result.found == server.url + "/public/v1"


def test_nothing_listening(client: ApiClient) -> None:
    port = closed_port()
    address = f"http://127.0.0.1:{port}"
    result = find_api_url(client, address)
    assert result.found is None
    own = [p for p in result.probes if p.base_url.startswith(address + "/")]
    assert [p.base_url for p in own] == [address + "/api/public/v1", address + "/public/v1"]
    assert _local_port_bases("127.0.0.1", port) <= {p.base_url for p in result.probes}
    for probe in result.probes:
        probe_port = int(probe.base_url.split(":")[2].split("/")[0])
        if probe_port == port or not _listening(probe_port):
            assert probe.outcome is ProbeOutcome.UNREACHABLE, probe
            assert probe.detail
            assert "refused" in probe.detail.lower()
            assert probe.http_status is None
    document = json.loads(json.dumps(result.to_dict()))
    assert document["found"] is None
    assert len(document["probes"]) == 8


def test_nothing_listening_without_the_usual_ports(client: ApiClient) -> None:
    port = closed_port()
    result = find_api_url(client, f"127.0.0.1:{port}", local_ports=())
    assert result.found is None
    assert [p.outcome for p in result.probes] == [ProbeOutcome.UNREACHABLE] * 2
    assert all(p.detail for p in result.probes)
