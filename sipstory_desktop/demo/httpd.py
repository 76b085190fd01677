"""The HTTP plumbing under the demo's fake Sipstory server: a threading server that can
wind down its connection threads, and a handler that writes an :class:`Answer` or resets.

What to answer is not decided here: the server calls ``respond(method, target, headers)``
for each request and writes what it returns (``None``: reset the connection, no answer).
Header values are never logged: the ``Authorization`` header carries a secret.
"""

from __future__ import annotations

import contextlib
import json
import logging
import selectors
import socket
import socketserver
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

__all__ = [
    "HTML_TYPE",
    "JSON_TYPE",
    "TEXT_TYPE",
    "THREAD_NAME",
    "Answer",
    "TrackingHTTPServer",
    "json_answer",
    "json_bytes",
]

logger = logging.getLogger(__name__)

JSON_TYPE: Final = "application/json; charset=utf-8"
HTML_TYPE: Final = "text/html; charset=utf-8"
TEXT_TYPE: Final = "text/plain; charset=utf-8"
_MAX_BODY: Final = 16 * 1024 * 1024
THREAD_NAME: Final = "sipstory-test-server"


@dataclass(frozen=True)
class Answer:
    """What to write back for one request: status, body, content type and other headers."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


def json_bytes(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_answer(status: int, value: object, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, json_bytes(value), JSON_TYPE, headers)


_Respond = Callable[[str, str, dict[str, str]], Answer | None]


class TrackingHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that names, tracks and can wind down its connection threads.

    It serves with :meth:`serve` rather than ``serve_forever``, which notices ``shutdown()``
    only at its next poll: :meth:`wake` ends :meth:`serve` at once once ``stopping`` is set.
    """

    block_on_close = False

    def __init__(
        self, address: tuple[str, int], respond: _Respond, stopping: threading.Event
    ) -> None:
        self.respond = respond
        self.stopping = stopping
        self._tracking = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        self._wake_reader, self._wake_writer = socket.socketpair()  # closed by server_close()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.socket.setblocking(False)  # a connection gone before accept() must not block

    def serve(self) -> None:
        """Accept connections until ``stopping`` is set and :meth:`wake` is called."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self.stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self.socket and not self.stopping.is_set():
                        self._accept()

    def wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")

    def _accept(self) -> None:
        try:
            request, client_address = self.get_request()
        except OSError:  # nothing to accept after all
            return
        request.setblocking(True)
        try:
            self.process_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on a slow resolver.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self._work,
            args=(request, client_address),
            name=f"{THREAD_NAME}-worker:{self.server_port}",
            daemon=True,
        )
        with self._tracking:
            self._connections.add(request)
            self._workers.add(worker)
        worker.start()

    def _work(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._tracking:
                self._connections.discard(request)
                self._workers.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            logger.debug("connection error: %s", type(error).__name__)
        else:
            logger.exception("unexpected error while answering a request")

    def close_connections(self, deadline: float) -> None:
        """Unblock every connection thread (idle keep-alive ones too) and wait for them."""
        with self._tracking:
            connections = list(self._connections)
            workers = list(self._workers)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stall
    server: TrackingHTTPServer

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def handle(self) -> None:
        try:
            super().handle()
        except OSError as error:  # the client went away, or stop() closed the connection
            logger.debug("connection closed: %s", type(error).__name__)

    def send_response(self, code: int, message: str | None = None) -> None:
        # No "Server: BaseHTTP/... Python/..." header: a real Sipstory server does not send it.
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def log_message(self, format: str, *args: Any) -> None:
        # The request line and the status only; headers (and so the key) are never logged.
        logger.debug("%s %s", self.address_string(), format % args)

    def _serve(self) -> None:
        if not self._discard_body():
            self._abort()
            return
        answer = self.server.respond(self.command, self.path, dict(self.headers.items()))
        if answer is None:
            self._abort()
            return
        self._write(answer)
        if self.server.stopping.is_set():
            self.close_connection = True

    def _discard_body(self) -> bool:
        """Read and drop a request body so the connection can be kept alive."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # chunked bodies are not read: answer, then close
            return True
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return True
        try:
            length = int(length_header)
        except ValueError:
            return False
        if length < 0 or length > _MAX_BODY:
            return False
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                return False
            length -= len(chunk)
        return True

    def _write(self, answer: Answer) -> None:
        try:
            self.send_response(answer.status)
            if answer.content_type is not None:
                self.send_header("Content-Type", answer.content_type)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if self.command != "HEAD" and answer.body:
                self.wfile.write(answer.body)
        except OSError as error:
            logger.debug("client went away while answering: %s", type(error).__name__)
            self.close_connection = True

    def _abort(self) -> None:
        """Close the connection at once with a TCP reset and without any answer."""
        self.close_connection = True
        linger = struct.pack("hh" if sys.platform == "win32" else "ii", 1, 0)
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.rfile.close()
        self.connection.close()
