"""Real relays on 127.0.0.1 for the proxy tests: an HTTP proxy, and a TLS front for a server.

:class:`ConnectProxy` is what a company network puts between the app and the internet. It
answers ``CONNECT host:port`` with ``200 Connection established`` and relays bytes both
ways (a tunnel: TLS runs inside it, from the client to the server), forwards a plain
``http`` request sent to it in absolute form (``GET http://host:port/path``), and can
refuse every ``CONNECT`` the way a proxy whose rules deny the host does, or speak TLS
itself (an ``https://`` proxy). It records each tunnel it was asked for and each request
it forwarded, so a test can tell whether a request went through it.

:class:`TlsFront` ends TLS with a given certificate and relays the plain bytes to a server
behind it: an HTTPS origin in front of the plain-HTTP ``SipstoryTestServer``.

Both are ``socketserver`` threading servers: one thread per connection, each connection
relayed until either side closes it (HTTP answers here end with the server closing).
:meth:`stop` shuts every open connection down and joins every thread. Nothing here
records or logs a header value (the key travels in one).
"""

from __future__ import annotations

import contextlib
import select
import socket
import socketserver
import ssl
import threading
from typing import TypeVar
from urllib.parse import urlsplit

_HEAD_LIMIT = 64 * 1024
_TIMEOUT = 5.0  # no test waits for a relay longer than this
_POLL_SECONDS = 0.05
_R = TypeVar("_R", bound="_Relay")


class _Relay(socketserver.ThreadingTCPServer):
    """Serves each connection on its own thread (TLS first, with ``tls``), tracks the
    sockets it opens and, on :meth:`stop`, shuts them down and joins the threads."""

    daemon_threads = False
    block_on_close = True  # server_close() joins every connection's thread
    allow_reuse_address = True

    def __init__(self, tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), socketserver.BaseRequestHandler)
        self.tls = tls
        self.port: int = self.server_address[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._serving = threading.Thread(
            target=self.serve_forever,
            args=(_POLL_SECONDS,),
            name=f"{type(self).__name__}-{self.port}",
            daemon=True,
        )

    def start(self: _R) -> _R:
        self._serving.start()
        return self

    def __enter__(self: _R) -> _R:
        return self.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._serving.is_alive():
            self.shutdown()
            self._serving.join(_TIMEOUT)
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self.server_close()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def process_request_thread(  # type: ignore[override]  # TCP: never a datagram tuple
        self, request: socket.socket, client_address: object
    ) -> None:
        # Instead of a handler class: what to do with a connection is the server's job.
        conn = request
        self._track(request)
        try:
            request.settimeout(_TIMEOUT)
            if self.tls is not None:
                conn = self.tls.wrap_socket(request, server_side=True)
                self._track(conn)
            self.handle(conn)
        except OSError:  # ssl.SSLError included: a client that gave up, or a stop
            pass
        finally:
            for sock in (conn, request):
                self._untrack(sock)
                with contextlib.suppress(OSError):
                    sock.close()

    def handle(self, client: socket.socket) -> None:
        raise NotImplementedError

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)
        if self._stopping.is_set():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def _connect(self, host: str, port: int) -> socket.socket:
        upstream = socket.create_connection((host, port), timeout=_TIMEOUT)
        self._track(upstream)
        return upstream

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        """Relay bytes both ways until one side closes (then the other is closed too)."""
        peers = {client: upstream, upstream: client}
        try:
            while not self._stopping.is_set():
                # A TLS socket may hold decrypted bytes that select() cannot see.
                ready: list[socket.socket] = [
                    s for s in peers if isinstance(s, ssl.SSLSocket) and s.pending()
                ]
                if not ready:
                    ready = select.select(list(peers), [], [], _POLL_SECONDS)[0]
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        finally:
            self._untrack(upstream)
            upstream.close()


def _read_head(conn: socket.socket) -> tuple[bytes, bytes] | None:
    """The request's head (without the blank line) and what came after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > _HEAD_LIMIT:
            return None
        piece = conn.recv(4096)
        if not piece:
            return None
        data += piece
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _answer(conn: socket.socket, status: str) -> None:
    conn.sendall(f"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())


class ConnectProxy(_Relay):
    """An HTTP proxy on 127.0.0.1: ``CONNECT`` tunnels and plain-``http`` forwarding.

    ``refuse`` (a status line such as ``"403 Forbidden"``) answers every ``CONNECT`` with
    it and opens no tunnel; ``tls`` makes it an ``https://`` proxy.
    """

    def __init__(self, *, refuse: str = "", tls: ssl.SSLContext | None = None) -> None:
        super().__init__(tls)
        self.refuse = refuse
        self.tunnels: list[str] = []  # the host:port of every CONNECT received
        self.forwarded: list[str] = []  # the absolute URL of every plain request forwarded

    def url(self, hostname: str = "127.0.0.1") -> str:
        """The proxy's URL, as ``HTTPS_PROXY`` or ``HTTP_PROXY`` would hold it."""
        return f"{'https' if self.tls else 'http'}://{hostname}:{self.port}"

    def handle(self, client: socket.socket) -> None:
        read = _read_head(client)
        if read is None:
            return
        head, rest = read
        first, _, headers = head.partition(b"\r\n")
        method, target, version = first.decode("latin-1").split(" ", 2)
        if method == "CONNECT":
            with self._lock:
                self.tunnels.append(target)
            if self.refuse:
                _answer(client, self.refuse)
                return
            host, _, port = target.rpartition(":")
            upstream = self._upstream(client, host, int(port))
            if upstream is None:
                return
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            url = urlsplit(target)
            if url.scheme != "http" or not url.hostname:
                _answer(client, "400 Bad Request")
                return
            with self._lock:
                self.forwarded.append(target)
            upstream = self._upstream(client, url.hostname, url.port or 80)
            if upstream is None:
                return
            path = (url.path or "/") + (f"?{url.query}" if url.query else "")
            rest = f"{method} {path} {version}\r\n".encode("latin-1") + headers + b"\r\n\r\n" + rest
        if rest:
            upstream.sendall(rest)
        self._pump(client, upstream)

    def _upstream(self, client: socket.socket, host: str, port: int) -> socket.socket | None:
        try:
            return self._connect(host, port)
        except OSError:
            _answer(client, "502 Bad Gateway")
            return None


class TlsFront(_Relay):
    """HTTPS on 127.0.0.1 with ``tls``'s certificate, relayed in plain to ``upstream``."""

    def __init__(self, upstream: tuple[str, int], tls: ssl.SSLContext) -> None:
        super().__init__(tls)
        self.upstream = upstream

    def url(self, hostname: str = "localhost") -> str:
        return f"https://{hostname}:{self.port}"

    def handle(self, client: socket.socket) -> None:
        self._pump(client, self._connect(*self.upstream))
