"""Through a proxy from the environment, HTTPS trusts the same authorities as directly.

Real parts only: a CONNECT proxy on 127.0.0.1 (``tests/support/proxies.py``), a
``SipstoryTestServer`` behind a TLS front whose certificate a private CA signed
(``tests/support/certificates.py``), and that CA trusted the way an OS trust store that
holds it is (``SSL_CERT_FILE``, read by truststore through OpenSSL). The proxy records the
tunnels it opened: a test tells from them whether a request went through it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from sipstory_desktop.core.channels import fetch_channels
from sipstory_desktop.core.checker import IS_CONNECTED_PATH, check_key
from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.find_url import find_api_url
from sipstory_desktop.core.status import Status
from sipstory_desktop.demo.canned import default_channels
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.certificates import Authority, Certificates, certificate_files, trust_ca_file
from tests.support.cli import Cli, new_key
from tests.support.ports import closed_port
from tests.support.proxies import ConnectProxy, TlsFront

KEY = "7a" * 32
ORG = "acme"
TIMEOUTS = Timeouts(connect=2.0, read=3.0)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    authority = Authority("Sipstory proxy-test CA")
    leaves = {"server": authority.issue(), "proxy": authority.issue()}
    return certificate_files(tmp_path_factory.mktemp("proxy-certs"), authority, leaves)


@pytest.fixture
def trusted_ca(
    certificates: Certificates, no_proxy: None, monkeypatch: pytest.MonkeyPatch
) -> Certificates:
    """The private CA trusted as the OS would; no proxy until a test sets one."""
    return trust_ca_file(certificates, monkeypatch)


@dataclass
class Api:
    server: SipstoryTestServer
    front: TlsFront

    def base(self, hostname: str = "localhost") -> str:
        return self.front.url(hostname) + "/api/public/v1"


@pytest.fixture
def api(trusted_ca: Certificates) -> Iterator[Api]:
    with SipstoryTestServer(layout="proxy") as server:
        server.add_key(KEY, org=ORG)
        with TlsFront(("127.0.0.1", server.port), trusted_ca.context("server")) as front:
            yield Api(server, front)


@pytest.fixture
def proxy(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConnectProxy]:
    """A CONNECT proxy in ``HTTPS_PROXY``."""
    with ConnectProxy() as running:
        monkeypatch.setenv("HTTPS_PROXY", running.url())
        yield running


def _check(base_url: str) -> Status:
    result = check_key(ApiClient(TIMEOUTS), base_url, KEY)
    assert KEY not in result.message + result.hint
    return result.status


# --- the trust -------------------------------------------------------------------------------


@pytest.mark.parametrize("hostname", ["localhost", "127.0.0.1"])
def test_direct_https_trusts_the_private_ca(api: Api, hostname: str) -> None:
    assert _check(api.base(hostname)) is Status.CONNECTED


@pytest.mark.parametrize("hostname", ["localhost", "127.0.0.1"])
def test_through_a_connect_proxy_the_same_ca_is_trusted(
    api: Api, proxy: ConnectProxy, hostname: str
) -> None:
    assert _check(api.base(hostname)) is Status.CONNECTED
    assert proxy.tunnels == [f"{hostname}:{api.front.port}"]


def test_through_an_https_proxy_its_certificate_is_trusted_like_the_servers(
    api: Api, certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TLS to the proxy itself (``HTTPS_PROXY=https://...``) uses the same trust."""
    with ConnectProxy(tls=certificates.context("proxy")) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url("localhost"))
        assert _check(api.base()) is Status.CONNECTED
        assert proxy.tunnels == [f"localhost:{api.front.port}"]
        monkeypatch.delenv("SSL_CERT_FILE")
        result = check_key(ApiClient(TIMEOUTS), api.base(), KEY)
        assert result.status is Status.TLS_ERROR
        assert f"the proxy localhost:{proxy.port} failed" in result.message
        assert len(proxy.tunnels) == 1  # no CONNECT over a connection not trusted


def test_through_the_proxy_an_untrusted_certificate_is_a_tls_error_naming_the_proxy(
    api: Api, proxy: ConnectProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    result = check_key(ApiClient(TIMEOUTS), api.base(), KEY)
    assert result.status is Status.TLS_ERROR
    assert "not signed by an authority" in result.message
    assert f"127.0.0.1:{proxy.port}" in result.message
    assert "proxy" in result.hint
    assert proxy.tunnels == [f"localhost:{api.front.port}"]
    assert not [r for r in api.server.requests if r.path.endswith(IS_CONNECTED_PATH)]


# --- every request of the app ----------------------------------------------------------------


def test_channels_come_through_the_proxy(api: Api, proxy: ConnectProxy) -> None:
    fetched = fetch_channels(ApiClient(TIMEOUTS), api.base(), KEY)
    assert fetched.check.status is Status.CONNECTED, fetched.check.message
    assert fetched.channels is not None
    assert len(fetched.channels) == len(default_channels(ORG))
    assert proxy.tunnels == [f"localhost:{api.front.port}"]


def test_find_url_probes_through_the_proxy(api: Api, proxy: ConnectProxy) -> None:
    found = find_api_url(ApiClient(TIMEOUTS), api.front.url(), local_ports=())
    assert found.found == api.base(), [(p.base_url, p.detail) for p in found.probes]
    assert len(proxy.tunnels) == len(found.probes)
    assert set(proxy.tunnels) == {f"localhost:{api.front.port}"}


# --- what goes around the proxy, and plain http ----------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "hostname"),
    [
        ("NO_PROXY", "127.0.0.1", "127.0.0.1"),
        ("NO_PROXY", "localhost", "localhost"),
        ("no_proxy", "example.com,localhost", "localhost"),
    ],
)
def test_no_proxy_goes_around_the_proxy(
    api: Api,
    proxy: ConnectProxy,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    hostname: str,
) -> None:
    monkeypatch.setenv(variable, value)
    assert _check(api.base(hostname)) is Status.CONNECTED
    assert fetch_channels(ApiClient(TIMEOUTS), api.base(hostname), KEY).ok
    assert proxy.tunnels == []


def test_plain_http_goes_through_http_proxy(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    with ConnectProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url())
        assert _check(api.server.api_base) is Status.CONNECTED
        assert proxy.forwarded == [api.server.api_base + IS_CONNECTED_PATH]
        assert proxy.tunnels == []


# --- a proxy that says no --------------------------------------------------------------------


def test_a_proxy_refusing_the_tunnel_is_unreachable_naming_the_proxy(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ConnectProxy(refuse="403 Forbidden") as proxy:
        monkeypatch.setenv("HTTPS_PROXY", f"http://someone:hunter2@127.0.0.1:{proxy.port}")
        result = check_key(ApiClient(TIMEOUTS), api.base(), KEY)
        assert result.status is Status.UNREACHABLE
        assert f"127.0.0.1:{proxy.port}" in result.message
        assert "403 Forbidden" in result.message
        assert "HTTPS_PROXY" in result.hint
        shown = result.message + result.hint
        assert "hunter2" not in shown and "someone" not in shown and KEY not in shown
        assert proxy.tunnels == [f"localhost:{api.front.port}"]
        assert api.server.requests == []
        assert not result.counted


def test_a_proxy_that_is_down_is_unreachable_naming_the_proxy(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    result = check_key(ApiClient(TIMEOUTS), api.base(), KEY)
    assert result.status is Status.UNREACHABLE
    assert f"127.0.0.1:{port}" in result.message
    assert "proxy" in result.message
    assert api.server.requests == []
    assert not result.counted


# --- sipstory-keys, end to end ---------------------------------------------------------------


def test_sipstory_keys_check_through_the_proxy(
    api: Api, proxy: ConnectProxy, certificates: Certificates, cli: Cli
) -> None:
    """``cli`` comes last: its environment is this test's, without NO_PROXY and the like."""
    key = new_key()
    api.server.add_key(key, org=ORG)
    cli.env.update({"HTTPS_PROXY": proxy.url(), "SSL_CERT_FILE": str(certificates.ca_file)})
    assert cli("add", "Behind", "--base-url", api.base(), stdin=key + "\n").code == 0
    run = cli("check", "--json", "Behind")
    assert run.code == 0, run.everything
    [checked] = json.loads(run.out)
    assert checked["status"] == "connected"
    assert proxy.tunnels == [f"localhost:{api.front.port}"]
    assert key not in run.everything
