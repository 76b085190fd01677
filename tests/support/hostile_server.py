"""A deliberately hostile HTTP(S) server for tests: raw sockets on 127.0.0.x.

One behaviour per path: the client's base URL is ``{scheme}://{host}:{port}/{behaviour}``,
so ``GET /{behaviour}/is-connected`` picks the behaviour (see :data:`BEHAVIOURS`). A
server may also be ``silent``: it accepts connections and never sends a byte (no HTTP
answer, no TLS handshake).

Every request is recorded (method, path, headers), with the bytes each behaviour
managed to hand to the kernel, so a test can tell that a 50 MB body was not read, that a
redirect target saw nothing, and which host got the ``Authorization`` header.

Each connection is served on its own thread; :meth:`HostileServer.stop` shuts every
connection down, wakes every waiting behaviour and joins every thread it started, so a
test can check that no thread is left behind. Nothing here logs a header value.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import ssl
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType

MiB = 1024 * 1024
BIG_BODY_BYTES = 50 * MiB
_SEND_CHUNK = 64 * 1024
_STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str] = field(repr=False)  # names in lower case; values are secret

    @property
    def behaviour(self) -> str:
        return self.path.lstrip("/").split("/", 1)[0]


@dataclass
class Outcome:
    """How one behaviour's answer went, seen from the server."""

    bytes_sent: int = 0
    ended: str = ""  # "complete", "peer closed", "stopped"


@dataclass
class _Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _PeerClosed(Exception):
    pass


class _Stopped(Exception):
    pass


def _json_answer(body: bytes, status: str = "200 OK", version: str = "HTTP/1.1") -> bytes:
    head = (
        f"{version} {status}\r\nContent-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def _gzip_zeros() -> tuple[bytes, bytes]:
    """The start of a gzip stream and a unit that, repeated, inflates to 1 MiB of zeros each.

    After a full flush deflate forgets its history, so compressing the same MiB again gives
    the same bytes: a stream of any size can be sent without compressing it (about 1 KB a MiB).
    """
    zeros = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    unit = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head, unit


GZIP_HEAD, GZIP_UNIT = _gzip_zeros()
GZIP_BOMB_INFLATED = 8 * 1024 * MiB  # what the single-layer bomb would inflate to: 8 GiB
# gzip inside gzip: a few KB that inflate to 1 MB that inflate to 1 GiB.
NESTED_GZIP_BOMB = gzip.compress(GZIP_HEAD + GZIP_UNIT * 1023, 9)


class HostileServer:
    """Serves :data:`BEHAVIOURS` on ``host`` (plain HTTP, or TLS with ``tls``)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        *,
        tls: ssl.SSLContext | None = None,
        silent: bool = False,
        drip_seconds: float = 1.0,
        big_bytes: int = BIG_BODY_BYTES,
        redirect_to: str = "",
    ) -> None:
        self.host = host
        self.tls = tls
        self.silent = silent
        self.drip_seconds = drip_seconds
        self.big_bytes = big_bytes
        self.redirect_to = redirect_to
        self.requests: list[SeenRequest] = []
        self.outcomes: dict[str, Outcome] = {}
        self.connections = 0
        self.tls_failures: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"hostile-accept-{self.port}", daemon=True
        )

    # --- life -----------------------------------------------------------------------------

    def start(self) -> HostileServer:
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):  # wakes accept() at once on Linux
            self._listener.shutdown(socket.SHUT_RDWR)
        self._acceptor.join(_STOP_TIMEOUT)
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            threads = list(self._threads)
        for thread in threads:
            thread.join(_STOP_TIMEOUT)
        self._listener.close()
        alive = [t.name for t in [self._acceptor, *threads] if t.is_alive()]
        if alive:
            raise RuntimeError(f"hostile server threads still running: {alive}")

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def url(self, behaviour: str, *, hostname: str | None = None) -> str:
        """The base URL that makes the client's ``/is-connected`` meet ``behaviour``."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{hostname or self.host}:{self.port}/{behaviour}"

    def outcome(self, behaviour: str) -> Outcome:
        with self._lock:
            return self.outcomes.setdefault(behaviour, Outcome())

    def requests_with_header(self, name: str, value: str) -> int:
        """How many recorded requests carried ``name: value`` (without showing the value)."""
        with self._lock:
            return sum(r.headers.get(name.lower()) == value for r in self.requests)

    # --- serving --------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.add(conn)
                thread = threading.Thread(
                    target=self._serve,
                    args=(conn,),
                    name=f"hostile-conn-{self.port}-{self.connections}",
                    daemon=True,
                )
                self._threads.append(thread)
            thread.start()

    def _serve(self, raw: socket.socket) -> None:
        conn = raw
        try:
            raw.settimeout(5.0)
            if self.silent:
                self._stop.wait()
                return
            if self.tls is not None:
                try:
                    conn = self.tls.wrap_socket(raw, server_side=True)
                except (ssl.SSLError, OSError) as exc:
                    with self._lock:
                        self.tls_failures.append(type(exc).__name__)
                    return
                with self._lock:
                    self._open.add(conn)
            request = self._read_request(conn)
            if request is None:
                return
            seen = SeenRequest(request.method, request.path, dict(request.headers))
            with self._lock:
                self.requests.append(seen)
            behaviour = BEHAVIOURS.get(seen.behaviour, _not_found)
            outcome = self.outcome(seen.behaviour)
            try:
                behaviour(self, _Sender(conn, outcome, self._stop))
                outcome.ended = "complete"
            except _PeerClosed:
                outcome.ended = "peer closed"
            except _Stopped:
                outcome.ended = "stopped"
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(raw)
                self._open.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()
            with contextlib.suppress(OSError):
                raw.close()

    def _read_request(self, conn: socket.socket) -> _Request | None:
        data = b""
        while b"\r\n\r\n" not in data:
            if len(data) > 64 * 1024 or self._stop.is_set():
                return None
            piece = conn.recv(4096)
            if not piece:
                return None
            data += piece
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2:
            return None
        request = _Request(parts[0], parts[1])
        for line in lines[1:]:
            name, _, value = line.partition(":")
            request.headers[name.strip().lower()] = value.strip()
        return request


class _Sender:
    """Sends for one behaviour: counts bytes, notices a closed peer and a stopping server."""

    def __init__(self, conn: socket.socket, outcome: Outcome, stop: threading.Event) -> None:
        self.conn = conn
        self.outcome = outcome
        self._stop = stop

    def send(self, data: bytes) -> None:
        if self._stop.is_set():
            raise _Stopped
        try:
            self.conn.sendall(data)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError) as exc:
            raise _PeerClosed from exc
        except OSError as exc:
            if self._stop.is_set():
                raise _Stopped from exc
            raise _PeerClosed from exc
        self.outcome.bytes_sent += len(data)

    def wait(self, seconds: float | None = None) -> None:
        """Sleep ``seconds`` (for ever when None) unless the server stops first."""
        if self._stop.wait(seconds):
            raise _Stopped

    def small_send_buffer(self) -> None:
        """So that the bytes counted as sent are close to the bytes the client took."""
        self.conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SEND_CHUNK)

    def reset(self) -> None:
        """Close with an RST instead of a FIN."""
        self.conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00" * 2)
        self.conn.close()


# --- behaviours ----------------------------------------------------------------------------

Behaviour = Callable[[HostileServer, _Sender], None]


def _connected(server: HostileServer, out: _Sender) -> None:
    out.send(_json_answer(b'{"connected":true}'))


def _keep_alive(server: HostileServer, out: _Sender) -> None:
    """A well-behaved HTTP/1.1 answer that keeps the connection open for the next request."""
    out.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18\r\n"
        b"Keep-Alive: timeout=600\r\n\r\n"
        b'{"connected":true}'
    )
    out.wait()


def _not_found(server: HostileServer, out: _Sender) -> None:
    out.send(_json_answer(b'{"message":"Cannot GET","statusCode":404}', "404 Not Found"))


def _hang_after_headers(server: HostileServer, out: _Sender) -> None:
    out.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n")
    out.wait()


def _drip(data: bytes, server: HostileServer, out: _Sender) -> None:
    for index in range(len(data)):
        out.send(data[index : index + 1])
        out.wait(server.drip_seconds)


def _drip_headers(server: HostileServer, out: _Sender) -> None:
    _drip(_json_answer(b'{"connected":true}'), server, out)


def _drip_body(server: HostileServer, out: _Sender) -> None:
    body = b'{"connected":true}' + b" " * 100
    out.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    _drip(body, server, out)


def _big(content_type: str, start: bytes, server: HostileServer, out: _Sender) -> None:
    out.small_send_buffer()
    out.send(
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {server.big_bytes}\r\nConnection: close\r\n\r\n".encode()
    )
    out.send(start)
    left = server.big_bytes - len(start)
    filler = b"a" * _SEND_CHUNK
    while left > 0:
        piece = filler[: min(left, _SEND_CHUNK)]
        out.send(piece)
        left -= len(piece)


def _big_html(server: HostileServer, out: _Sender) -> None:
    _big("text/html; charset=utf-8", b"<!DOCTYPE html><html><body><p>", server, out)


def _big_json(server: HostileServer, out: _Sender) -> None:
    _big("application/json", b'{"connected": true, "padding": "', server, out)


def _endless_chunked_json(server: HostileServer, out: _Sender) -> None:
    out.small_send_buffer()
    out.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b'{"connected": true, "padding": "'.ljust(_SEND_CHUNK, b"a")
    while True:
        out.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        chunk = b"a" * _SEND_CHUNK


def _reset_mid_body(server: HostileServer, out: _Sender) -> None:
    out.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        + b'{"connected": true, "padding": "'
        + b"a" * 100
    )
    out.wait(0.1)
    out.reset()


def _body(data: bytes) -> Behaviour:
    def answer(server: HostileServer, out: _Sender) -> None:
        out.send(_json_answer(data))

    return answer


def _no_content(server: HostileServer, out: _Sender) -> None:
    out.send(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")


def _redirect(status: str) -> Behaviour:
    def answer(server: HostileServer, out: _Sender) -> None:
        out.send(
            f"HTTP/1.1 {status}\r\nLocation: {server.redirect_to}\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )

    return answer


def _http10_without_length(server: HostileServer, out: _Sender) -> None:
    out.send(b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"connected": true}')


def _gzip_bomb(server: HostileServer, out: _Sender) -> None:
    """A body of ~8 MB of gzip that inflates to 8 GiB of zeros, sent only as far as read."""
    out.small_send_buffer()
    out.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        b"Connection: close\r\n\r\n" + GZIP_HEAD
    )
    for _ in range(GZIP_BOMB_INFLATED // MiB - 1):
        out.send(GZIP_UNIT * 16)


def _nested_gzip_bomb(server: HostileServer, out: _Sender) -> None:
    out.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip, gzip\r\n"
        + f"Content-Length: {len(NESTED_GZIP_BOMB)}\r\nConnection: close\r\n\r\n".encode()
        + NESTED_GZIP_BOMB
    )


def _encoded(coding: str, data: bytes) -> Behaviour:
    def answer(server: HostileServer, out: _Sender) -> None:
        out.send(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Encoding: {coding}\r\nContent-Length: {len(data)}\r\n".encode()
            + b"Connection: close\r\n\r\n"
            + data
        )

    return answer


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _continue_forever(server: HostileServer, out: _Sender) -> None:
    while True:
        out.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        out.wait(0.2)


BEHAVIOURS: dict[str, Behaviour] = {
    "connected": _connected,
    "keep-alive": _keep_alive,
    "hang-after-headers": _hang_after_headers,
    "drip-headers": _drip_headers,
    "drip-body": _drip_body,
    "big-html": _big_html,
    "big-json": _big_json,
    "endless-chunked-json": _endless_chunked_json,
    "reset-mid-body": _reset_mid_body,
    "invalid-json": _body(b'{"connected": true'),
    "json-array": _body(b'[{"connected": true}]'),
    "connected-string": _body(b'{"connected": "true"}'),
    "connected-false": _body(b'{"connected": false}'),
    "no-content": _no_content,
    "redirect-301": _redirect("301 Moved Permanently"),
    "redirect-302": _redirect("302 Found"),
    "http10-no-length": _http10_without_length,
    "gzip-bomb": _gzip_bomb,
    "nested-gzip-bomb": _nested_gzip_bomb,
    "continue-forever": _continue_forever,
    # Honest compressed answers, so that the bounded decoding is seen to still decode.
    "gzip-connected": _encoded("gzip", gzip.compress(b'{"connected": true}')),
    "deflate-connected": _encoded("deflate", zlib.compress(b'{"connected": true}')),
    "raw-deflate-connected": _encoded("deflate", _raw_deflate(b'{"connected": true}')),
    "brotli-claimed": _encoded("br", b'{"connected": true}'),
}


@contextlib.contextmanager
def running(*servers: HostileServer) -> Iterator[tuple[HostileServer, ...]]:
    """Start ``servers``; stop every one of them afterwards, even when one fails to stop."""
    started: list[HostileServer] = []
    try:
        for server in servers:
            started.append(server.start())
        yield servers
    finally:
        errors = []
        for server in started:
            try:
                server.stop()
            except RuntimeError as exc:
                errors.append(exc)
        if errors:
            raise errors[0]
