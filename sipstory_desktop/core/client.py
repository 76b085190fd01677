"""HTTP to a Sipstory API, done safely.

Every request has connect and read timeouts and an overall deadline, follows no
redirect, verifies TLS against the OS trust store as well as certifi (``truststore``),
names the app in its ``User-Agent``, reads at most :data:`MAX_BODY_BYTES` of the answer
(after decoding, which is done here, step by step, so that a gzip bomb never inflates
past that), and ignores ``~/.netrc`` (which would replace the key with a password).

A proxy from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, minus the
hosts in ``NO_PROXY``; read at each request) is used, and a request through it trusts
exactly the authorities a direct one does, for the server's certificate inside the
tunnel and for an ``https://`` proxy's own (see :class:`_TrustStoreAdapter`).

The deadline holds against a server that drips its answer: a socket timeout bounds each
read, not the whole answer, so a byte sent just inside the read timeout would otherwise
keep a check open for ever, in the headers (read line by line by ``http.client``) as much
as in the body. A watch thread per request shuts the request's connection down at the
deadline, which ends any read at once (see :class:`_DeadlineWatch`).

Sessions are kept per thread (making one costs about a millisecond of CPU, its TLS context
mostly, which a window running checks on eight threads feels), but every connection is
closed before :meth:`ApiClient.get` returns: none outlives a check, kept alive or not (a
check is one request; nothing is gained by keeping one open).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
import requests.adapters
import requests.utils
import truststore
import urllib3
import urllib3.connection
import urllib3.exceptions
import urllib3.poolmanager
import urllib3.util

from .. import __version__

MAX_BODY_BYTES = 64 * 1024
READ_CHUNK_BYTES = 8192
ACCEPT_ENCODING = "gzip, deflate"  # exactly what _Decoder can undo
USER_AGENT = f"SipstoryDesktop/{__version__} (+sipstory-keys)"


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 10.0

    @property
    def total(self) -> float:
        return self.connect + self.read


@dataclass(frozen=True)
class Answer:
    """What came back: status, headers, at most :data:`MAX_BODY_BYTES` of body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    truncated: bool
    latency_ms: int

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


class DeadlineExceeded(requests.exceptions.Timeout):
    """The answer did not arrive in full within the overall deadline."""


_current = threading.local()  # .watch: the _DeadlineWatch of the request this thread makes


class _DeadlineWatch:
    """Shuts down every connection a request opens once the request's deadline has passed.

    It holds a duplicate of each connection's socket (registered by the connection classes
    below as soon as the TCP connection stands, before any TLS handshake), so it never
    touches a descriptor number that may have been closed and reused meanwhile, and a
    shutdown reaches the TCP connection whichever object (plain or TLS socket) reads from
    it. A shutdown wakes a blocked read at once with an end of file. Its thread starts with
    the first connection and is joined by :meth:`close`.
    """

    def __init__(self, deadline: float) -> None:
        self.expired = False
        self._deadline = deadline  # time.monotonic()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self._done.is_set():
                return
            try:
                duplicate = sock.dup()
            except OSError:
                return
            self._sockets.append(duplicate)
            if self.expired:
                _shut_down(duplicate)
            elif self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sipstory-check-deadline", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        if self._done.wait(max(0.0, self._deadline - time.monotonic())):
            return
        with self._lock:
            if self._done.is_set():
                return
            self.expired = True
            for sock in self._sockets:
                _shut_down(sock)

    def close(self) -> None:
        """Stop watching, join the watch thread and close the duplicates."""
        with self._lock:
            self._done.set()
            thread = self._thread
        if thread is not None:
            thread.join()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shut_down(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(sock: socket.socket) -> socket.socket:
    watch: _DeadlineWatch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.watch(sock)
    return sock


class _HTTPConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _HTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _watch_pools(manager: urllib3.PoolManager) -> None:
    """Make ``manager``'s connections watched, unless it has pools of its own (SOCKS)."""
    if manager.pool_classes_by_scheme is urllib3.poolmanager.pool_classes_by_scheme:
        manager.pool_classes_by_scheme = {
            "http": _HTTPConnectionPool,
            "https": _HTTPSConnectionPool,
        }


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    """Opens connections the request's :class:`_DeadlineWatch` can shut down."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> urllib3.PoolManager:
        manager: urllib3.PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _watch_pools(manager)
        return manager


class _TrustStoreAdapter(_WatchedAdapter):
    """Verifies every certificate against the OS trust store as well as certifi: the
    server's, whether reached directly or through a proxy's tunnel, and an ``https://``
    proxy's own.

    requests hands what :meth:`init_poolmanager` is given to the direct pool manager only;
    the manager it makes for each proxy (:meth:`proxy_manager_for`) gets none of it, so
    through a proxy urllib3 verified the server with a context of its own loaded with
    certifi alone, and a private CA the OS trusts failed there. The same context goes to
    both here. The TLS to an ``https://`` proxy uses ``proxy_ssl_context``, into which
    urllib3 loads no CA file, so that one gets certifi from here.
    """

    def __init__(self) -> None:
        self._tls = _ssl_context()  # before super().__init__(), which calls init_poolmanager
        self._proxy_tls: ssl.SSLContext | None = None
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._tls
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> urllib3.PoolManager:
        if proxy not in self.proxy_manager:  # made once per proxy, then kept by requests
            proxy_kwargs["ssl_context"] = self._tls
            if proxy.lower().startswith("https:"):
                proxy_kwargs["proxy_ssl_context"] = self._proxy_context()
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def _proxy_context(self) -> ssl.SSLContext:
        if self._proxy_tls is None:
            self._proxy_tls = _ssl_context()
            self._proxy_tls.load_verify_locations(requests.utils.DEFAULT_CA_BUNDLE_PATH)
        return self._proxy_tls


def _ssl_context() -> ssl.SSLContext:
    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return context


def new_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no ~/.netrc; proxies are read from the environment per request
    adapter = _TrustStoreAdapter()  # for http:// too: the TLS to an https:// proxy
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update(
        {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
    )
    return session


def proxy_for(url: str) -> str | None:
    """The proxy from the environment a request to ``url`` goes through (``HTTPS_PROXY``,
    ``HTTP_PROXY``, ``ALL_PROXY``, unless ``NO_PROXY`` names the host), or None."""
    proxy: str | None = requests.utils.select_proxy(url, requests.utils.get_environ_proxies(url))
    return proxy


def shown_proxy(proxy: str) -> str:
    """``host:port`` of a proxy URL, to show: never the user name or password it may hold."""
    try:
        parsed = urllib3.util.parse_url(proxy if "://" in proxy else f"http://{proxy}")
    except ValueError:
        parsed = None
    if parsed is None or not parsed.host:
        return (proxy.partition("://")[2] or proxy).rpartition("@")[2]
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return f"{parsed.host}:{port}"


class _Decoder:
    """Undoes one ``gzip`` or ``deflate`` content coding, never inflating past ``room`` bytes.

    ``urllib3`` bounds what it inflates only since 2.6, older versions (which ``requests``
    accepts) inflate a whole read at once, stacked codings included; done here, a few KB
    that inflate to gigabytes cost at most the body cap whatever the version. Stacked
    codings and codings not asked for are refused (:func:`_decoder_for`).
    """

    def __init__(self, coding: str) -> None:
        self._gzip = coding in ("gzip", "x-gzip")
        self._wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(self._wbits)
        self._members = 0  # gzip members finished; garbage after the first one is ignored
        # "deflate" means zlib-wrapped, yet some servers send raw deflate: until the first
        # output, what came is kept (up to the cap) to be read again as raw deflate.
        self._first: bytearray | None = None if self._gzip else bytearray()

    def decode(self, data: bytes, room: int) -> bytes:
        out = bytearray()
        while data and len(out) < room:
            if self._inflater.eof:
                if not self._gzip:
                    break  # data after the end of a deflate stream
                self._members += 1
                self._inflater = zlib.decompressobj(self._wbits)
            if self._first is not None:
                self._first += data
                if len(self._first) > MAX_BODY_BYTES:
                    self._first = None
            try:
                out += self._inflater.decompress(data, room - len(out))
            except zlib.error:
                if self._members:
                    break  # like urllib3: trailing garbage after a whole gzip member
                if self._first is None:
                    raise
                data, self._first = bytes(self._first), None
                self._wbits = -zlib.MAX_WBITS
                self._inflater = zlib.decompressobj(self._wbits)
                continue
            if out:
                self._first = None
            data = self._inflater.unconsumed_tail or self._inflater.unused_data
        return bytes(out)


def _decoder_for(content_encoding: str) -> _Decoder | None:
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return _Decoder(codings[0])
    raise requests.exceptions.ContentDecodingError(
        f"unsupported Content-Encoding: {content_encoding[:60]!r} (asked for {ACCEPT_ENCODING})"
    )


def _read_body(response: requests.Response, deadline: float) -> tuple[bytes, bool]:
    """At most :data:`MAX_BODY_BYTES` of decoded body, and whether there was more.

    Raises ``requests`` exceptions only (``urllib3``'s are translated as ``requests``
    translates them for ``iter_content``), :class:`DeadlineExceeded` past ``deadline``.
    """
    decoder = _decoder_for(response.headers.get("Content-Encoding", ""))
    body = bytearray()
    try:
        for chunk in response.raw.stream(READ_CHUNK_BYTES, decode_content=False):
            room = MAX_BODY_BYTES + 1 - len(body)
            body += chunk if decoder is None else decoder.decode(chunk, room)
            if len(body) > MAX_BODY_BYTES:
                return bytes(body[:MAX_BODY_BYTES]), True
            if time.monotonic() > deadline:
                raise DeadlineExceeded("the answer did not arrive in full in time")
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ReadTimeout(exc) from exc
    except urllib3.exceptions.SSLError as exc:
        raise requests.exceptions.SSLError(exc) from exc
    except urllib3.exceptions.ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except urllib3.exceptions.DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from exc
    except urllib3.exceptions.HTTPError as exc:
        raise requests.exceptions.ConnectionError(exc) from exc
    except zlib.error as exc:
        raise requests.exceptions.ContentDecodingError(f"a bad compressed body: {exc}") from exc
    return bytes(body), False


class ApiClient:
    """Sends GET requests to Sipstory APIs. Safe to share between threads."""

    def __init__(self, timeouts: Timeouts | None = None) -> None:
        self.timeouts = timeouts or Timeouts()
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = new_session()
        return session

    def get(self, base_url: str, path: str, key: str | None) -> Answer:
        """``GET {base_url}{path}`` with the key in ``Authorization`` (raw, no ``Bearer``).

        Raises ``requests`` exceptions only: for transport failures, and
        :class:`DeadlineExceeded` when the whole answer (headers and body) takes longer
        than ``timeouts.total``. It returns or raises within ``timeouts.total`` of being
        called, give or take milliseconds, however slowly the server drips its answer;
        what no socket can bound is name resolution (the system's resolver) and, for a
        host with several addresses, one connect timeout per address tried. A body larger
        than :data:`MAX_BODY_BYTES` (decoded) is cut there and marked ``truncated``.
        """
        url = base_url.rstrip("/") + path
        headers = {"Authorization": key} if key is not None else {}
        total = self.timeouts.total
        started = time.monotonic()
        watch = _DeadlineWatch(started + total)
        outer = getattr(_current, "watch", None)
        _current.watch = watch
        try:
            session = self._session()
            try:
                response = session.get(
                    url,
                    headers=headers,
                    timeout=(self.timeouts.connect, self.timeouts.read),
                    allow_redirects=False,
                    stream=True,
                    proxies=requests.utils.get_environ_proxies(url),
                )
                try:
                    body, truncated = _read_body(response, started + total)
                finally:
                    response.close()
            finally:
                session.close()  # no connection outlives the check; the session stays usable
        except (requests.RequestException, OSError) as exc:
            if watch.expired and not isinstance(exc, DeadlineExceeded):
                raise DeadlineExceeded(f"no complete answer within {total:g} s") from exc
            raise
        finally:
            _current.watch = outer
            watch.close()
        if watch.expired:  # the cut may have looked like the end of a close-delimited answer
            raise DeadlineExceeded(f"no complete answer within {total:g} s")
        return Answer(
            status=response.status_code,
            headers=response.headers,
            body=body,
            truncated=truncated,
            latency_ms=round((time.monotonic() - started) * 1000),
        )
