"""A local HTTP server that answers like a real Sipstory server.

Used by the end-to-end tests (a CLI subprocess talks to it over real HTTP), by the GUI's
``--demo`` mode and by the benchmarks. It binds to 127.0.0.1 by default and follows the
facts in ``shared/docs/api-facts.md``:

* two layouts: ``proxy`` (the official container image: ``/api/public/v1`` is the API, every
  other path outside ``/api/`` gets the web app's HTML login page with a 200) and ``backend``
  (the backend run from source: ``/public/v1`` is the API, everything else a NestJS 404);
* authentication before throttling, with the real 401 bodies;
* a per-organization fixed-window rate limit with ``X-RateLimit-*`` and ``Retry-After``;
* faults that simulate a broken server or proxy in front of it, either for every API request
  (:attr:`SipstoryTestServer.fault`) or per request under :meth:`SipstoryTestServer.fault_base`.

The server never logs header values: the ``Authorization`` header carries a secret.

Run it by hand with ``python -m sipstory_desktop.demo.server --key KEY`` (see :func:`main`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import selectors
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any, Final, Literal

__all__ = [
    "FAULTS",
    "KEY_STATES",
    "LAYOUTS",
    "KeyState",
    "Layout",
    "RecordedRequest",
    "SipstoryTestServer",
    "default_channels",
    "main",
]

logger = logging.getLogger(__name__)

Layout = Literal["proxy", "backend"]
KeyState = Literal["valid", "rotated", "no_subscription", "lookup_failed"]

LAYOUTS: Final[tuple[Layout, ...]] = ("proxy", "backend")
KEY_STATES: Final[tuple[KeyState, ...]] = ("valid", "rotated", "no_subscription", "lookup_failed")
FAULTS: Final[tuple[str, ...]] = (
    "server_error",
    "bad_gateway",
    "slow",
    "reset",
    "redirect",
    "non_json",
    "html",
    "not_connected",
    "payment_required",
)

_API_PATHS: Final[Mapping[Layout, str]] = {"proxy": "/api/public/v1", "backend": "/public/v1"}
_FAULT_PREFIX: Final = "/fault/"
_REDIRECT_TARGET: Final = "https://sipstory.example.com/api/public/v1/is-connected"
_JSON: Final = "application/json; charset=utf-8"
_HTML: Final = "text/html; charset=utf-8"
_TEXT: Final = "text/plain; charset=utf-8"
_MAX_BODY: Final = 16 * 1024 * 1024
_STOP_TIMEOUT: Final = 5.0
_THREAD_NAME: Final = "sipstory-test-server"

_LOGIN_PAGE: Final = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sipstory - Log in</title>
<link rel="icon" href="/favicon.ico">
</head>
<body>
<div id="__next">
<main class="auth">
<h1>Sipstory</h1>
<p>Log in to your account</p>
<form method="post" action="/auth/login">
<label for="email">Email</label>
<input id="email" type="email" name="email" autocomplete="email" required>
<label for="password">Password</label>
<input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p><a href="/auth/forgot">Forgot password?</a> &middot; <a href="/auth">Create an account</a></p>
</main>
</div>
</body>
</html>
"""


def _nginx_page(status: str) -> bytes:
    return (
        f"<html>\r\n<head><title>{status}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode("ascii")


@dataclass
class RecordedRequest:
    """One request as the server received it (``path`` as sent, fault prefix and query included).

    ``headers`` hold the ``Authorization`` key as sent, so they stay out of ``repr()``.
    """

    method: str
    path: str
    headers: dict[str, str] = field(repr=False)
    at: float  # time.monotonic() when the request head had been read


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class _Window:
    """A per-organization fixed rate-limit window."""

    limit: int
    length: float
    started: float | None = None
    count: int = 0


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _json(status: int, value: object, headers: tuple[tuple[str, str], ...] = ()) -> _Answer:
    return _Answer(status, _json_bytes(value), _JSON, headers)


def _nest_not_found(method: str, url: str) -> _Answer:
    return _json(
        404, {"message": f"Cannot {method} {url}", "error": "Not Found", "statusCode": 404}
    )


def _fault_answer(fault: str) -> _Answer | None:
    """The answer of a fault other than ``slow``; ``None`` means: reset the connection."""
    if fault == "server_error":
        return _json(500, {"statusCode": 500, "message": "Internal server error"})
    if fault == "bad_gateway":
        return _Answer(502, _nginx_page("502 Bad Gateway"), _HTML)
    if fault == "redirect":
        page = _nginx_page("301 Moved Permanently")
        return _Answer(301, page, _HTML, (("Location", _REDIRECT_TARGET),))
    if fault == "non_json":
        return _Answer(200, b"OK", _TEXT)
    if fault == "html":
        return _Answer(200, _LOGIN_PAGE, _HTML)
    if fault == "not_connected":
        return _json(200, {"connected": False})
    if fault == "payment_required":
        return _json(402, {"statusCode": 402, "message": "Payment Required"})
    return None  # "reset"


def _check_fault(fault: str | None) -> None:
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; expected one of {', '.join(FAULTS)}")


def default_channels(org: str) -> list[dict[str, object]]:
    """A few realistic channels for ``org``, with ids that stay the same from run to run."""
    handle = "".join(ch for ch in org.lower() if ch.isalnum()) or "org"
    title = " ".join(org.replace("-", " ").replace("_", " ").split()).title() or "Org"
    customer = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sipstory-demo/{org}/customer")),
        "name": f"{title} Marketing",
    }
    specs: tuple[tuple[str, str, str, bool, bool], ...] = (
        # identifier, name, profile, disabled, has customer
        ("x", f"{title} on X", handle, False, False),
        ("linkedin-page", title, f"{handle}-company", False, True),
        ("bluesky", f"{title} (Bluesky)", f"{handle}.bsky.social", False, False),
        ("mastodon", f"{title} (Mastodon)", f"{handle}@mastodon.social", False, True),
        ("youtube", f"{title} Videos", f"@{handle}", True, False),
    )
    channels: list[dict[str, object]] = []
    for identifier, name, profile, disabled, has_customer in specs:
        channel_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"sipstory-demo/{org}/{identifier}"))
        channel: dict[str, object] = {
            "id": channel_id,
            "name": name,
            "identifier": identifier,
            "picture": f"https://cdn.sipstory.example.com/avatars/{channel_id}.png",
            "disabled": disabled,
            "profile": profile,
        }
        if has_customer:
            channel["customer"] = dict(customer)
        channels.append(channel)
    return channels


_Respond = Callable[[str, str, dict[str, str]], _Answer | None]


class _HTTPServer(ThreadingHTTPServer):
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
            name=f"{_THREAD_NAME}-worker:{self.server_port}",
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
    server: _HTTPServer

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

    def _write(self, answer: _Answer) -> None:
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


class SipstoryTestServer:
    """A real HTTP server on 127.0.0.1 that answers like a Sipstory server.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`::

        with SipstoryTestServer(layout="proxy") as server:
            server.add_key(key, org="acme")
            server.set_rate_limit("acme", 30)
            requests.get(server.api_base + "/is-connected", headers={"Authorization": key})

    ``fault`` and ``delay`` may be changed while the server runs; ``requests`` lists every
    request received, in order.
    """

    def __init__(
        self,
        *,
        layout: Layout = "proxy",
        delay: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        slow_seconds: float = 30.0,
        counts_is_connected: bool = True,
    ) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
        self.layout: Layout = layout
        self.delay = delay
        self.slow_seconds = slow_seconds
        self.counts_is_connected = counts_is_connected
        self.requests: list[RecordedRequest] = []
        self._fault: str | None = None
        self._host = host
        self._port = port
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[str, KeyState]] = {}
        self._windows: dict[str, _Window] = {}
        self._channels: dict[str, bytes] = {}
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- configuration -------------------------------------------------------------------

    @property
    def fault(self) -> str | None:
        """The fault applied to every request under the API base, or ``None``."""
        return self._fault

    @fault.setter
    def fault(self, value: str | None) -> None:
        _check_fault(value)
        self._fault = value

    def add_key(self, key: str, *, org: str = "default", state: KeyState = "valid") -> None:
        """Make ``key`` known as the key of ``org`` (adding it again replaces its org and state)."""
        if not key:
            raise ValueError("a key must not be empty")
        if state not in KEY_STATES:
            raise ValueError(
                f"unknown key state {state!r}; expected one of {', '.join(KEY_STATES)}"
            )
        with self._lock:
            self._keys[key] = (org, state)

    def set_rate_limit(self, org: str, limit: int | None, window: float = 3600.0) -> None:
        """Limit ``org`` to ``limit`` counted requests per fixed window (``None``: unlimited).

        Setting a limit starts afresh: the next counted request opens a new window.
        """
        with self._lock:
            if limit is None:
                self._windows.pop(org, None)
                return
            if limit < 0:
                raise ValueError("a rate limit must not be negative")
            if window <= 0:
                raise ValueError("a rate-limit window must be longer than zero seconds")
            self._windows[org] = _Window(limit, window)

    def set_channels(self, org: str, channels: list[dict[str, object]]) -> None:
        """Replace the channels ``GET /integrations`` lists for ``org`` (JSON-serializable)."""
        encoded = _json_bytes(channels)
        with self._lock:
            self._channels[org] = encoded

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> SipstoryTestServer:
        """Bind and serve in a daemon thread; returns ``self``."""
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        self._stopping.clear()
        httpd = _HTTPServer((self._host, self._port), self._respond, self._stopping)
        thread = threading.Thread(
            target=httpd.serve,
            name=f"{_THREAD_NAME}:{httpd.server_port}",
            daemon=True,
        )
        self._httpd, self._thread = httpd, thread
        thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake any waiting request and close every connection. Idempotent."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        deadline = time.monotonic() + _STOP_TIMEOUT
        self._stopping.set()  # wakes requests waiting out a delay or the "slow" fault
        httpd.wake()
        thread.join(max(0.0, deadline - time.monotonic()))  # no connection is accepted after
        httpd.close_connections(deadline)
        httpd.server_close()
        self._httpd = self._thread = None

    def __enter__(self) -> SipstoryTestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on (the chosen one when started with ``port=0``)."""
        if self._httpd is not None:
            return self._httpd.server_port
        if self._port == 0:
            raise RuntimeError("the server has no port before start()")
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    @property
    def api_base(self) -> str:
        """``url`` + ``/api/public/v1`` (proxy layout) or ``/public/v1`` (backend layout)."""
        return self.url + _API_PATHS[self.layout]

    def fault_base(self, fault: str) -> str:
        """An API base URL under which every request gets ``fault``."""
        _check_fault(fault)
        return f"{self.url}{_FAULT_PREFIX}{fault}{_API_PATHS[self.layout]}"

    # -- answering (runs on the connection threads) ---------------------------------------

    def _respond(self, method: str, target: str, headers: dict[str, str]) -> _Answer | None:
        """The answer to one request; ``None`` means: reset the connection without one."""
        with self._lock:
            self.requests.append(RecordedRequest(method, target, headers, time.monotonic()))
        if not self._pause(self.delay):
            return None
        path, _, query = target.partition("?")
        fault, path = self._split_fault(path)
        endpoint = self._api_endpoint(path)
        if fault is None and endpoint is not None:
            fault = self._fault
        if fault == "slow":
            if not self._pause(self.slow_seconds):
                return None
        elif fault is not None:
            return _fault_answer(fault)
        url = path + ("?" + query if query else "")
        if endpoint is None:
            return self._outside_api(method, path, url)
        return self._api(method, endpoint, url, _header(headers, "Authorization"))

    def _pause(self, seconds: float) -> bool:
        """Wait ``seconds`` unless stop() comes first; False when the server is stopping."""
        if seconds > 0:
            return not self._stopping.wait(seconds)
        return not self._stopping.is_set()

    @staticmethod
    def _split_fault(path: str) -> tuple[str | None, str]:
        if not path.startswith(_FAULT_PREFIX):
            return None, path
        name, slash, rest = path[len(_FAULT_PREFIX) :].partition("/")
        if name not in FAULTS:
            return None, path
        return name, slash + rest or "/"

    def _api_endpoint(self, path: str) -> str | None:
        """The part of ``path`` after the API base, or ``None`` when outside the API."""
        base = _API_PATHS[self.layout]
        if path == base or path.startswith(base + "/"):
            return path[len(base) :] or "/"
        return None

    def _backend_url(self, url: str) -> str:
        """The URL as the backend sees it: the proxy strips ``/api`` before passing it on."""
        return url[len("/api") :] if self.layout == "proxy" else url

    def _outside_api(self, method: str, path: str, url: str) -> _Answer:
        if self.layout == "proxy" and not path.startswith("/api/"):
            return _Answer(200, _LOGIN_PAGE, _HTML)  # the web app
        return _nest_not_found(method, self._backend_url(url))

    def _api(self, method: str, endpoint: str, url: str, authorization: str | None) -> _Answer:
        route = endpoint.rstrip("/") or "/"
        if method not in ("GET", "HEAD") or route not in ("/is-connected", "/integrations"):
            return _nest_not_found(method, self._backend_url(url))
        org_or_refusal = self._authenticate(authorization)
        if isinstance(org_or_refusal, _Answer):
            return org_or_refusal
        org = org_or_refusal
        headers: tuple[tuple[str, str], ...] = ()
        if route == "/integrations" or self.counts_is_connected:
            allowed, headers = self._count(org)
            if not allowed:
                body = {"statusCode": 429, "message": "ThrottlerException: Too Many Requests"}
                return _json(429, body, headers)
        if route == "/is-connected":
            return _json(200, {"connected": True}, headers)
        with self._lock:
            channels = self._channels.get(org)
        if channels is None:
            channels = _json_bytes(default_channels(org))
        return _Answer(200, channels, _JSON, headers)

    def _authenticate(self, authorization: str | None) -> str | _Answer:
        """The key's organization, or the 401 the real server gives."""
        if not authorization:
            return _json(401, {"msg": "No API Key found"})
        with self._lock:
            entry = self._keys.get(authorization)
        if authorization.startswith("Bearer ") or entry is None or entry[1] == "rotated":
            return _json(401, {"msg": "Invalid API key"})
        org, state = entry
        if state == "no_subscription":
            return _json(401, {"msg": "No subscription found"})
        if state == "lookup_failed":
            return _Answer(401)
        return org

    def _count(self, org: str) -> tuple[bool, tuple[tuple[str, str], ...]]:
        """Count one request of ``org``: whether it is allowed, and the headers to send."""
        with self._lock:
            window = self._windows.get(org)
            if window is None:
                return True, ()
            now = time.monotonic()
            if window.started is None or now - window.started >= window.length:
                window.started, window.count = now, 0
            window.count += 1
            # length - elapsed, not end - now: (now + length) - now may round above length
            seconds_left = max(1, math.ceil(window.length - (now - window.started)))
            if window.count > window.limit:
                return False, (("Retry-After", str(seconds_left)),)
            return True, (
                ("X-RateLimit-Limit", str(window.limit)),
                ("X-RateLimit-Remaining", str(window.limit - window.count)),
                ("X-RateLimit-Reset", str(seconds_left)),
            )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


# -- command line ----------------------------------------------------------------------------


def _key_argument(text: str) -> tuple[str, KeyState, str]:
    # Error messages never repeat the argument: it holds a key.
    parts = text.split(":")
    if len(parts) > 3 or not parts[0]:
        raise argparse.ArgumentTypeError("expected KEY[:STATE[:ORG]]")
    state = parts[1] if len(parts) > 1 and parts[1] else "valid"
    org = parts[2] if len(parts) > 2 and parts[2] else "default"
    for known in KEY_STATES:
        if state == known:
            return parts[0], known, org
    raise argparse.ArgumentTypeError(f"unknown key state; expected one of {', '.join(KEY_STATES)}")


def _rate_limit_argument(text: str) -> tuple[str, int]:
    org, _, number = text.rpartition(":")
    try:
        limit = int(number)
    except ValueError:
        limit = -1
    if not org or limit < 0:
        raise argparse.ArgumentTypeError(f"expected ORG:N with N >= 0, got {text!r}")
    return org, limit


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sipstory_desktop.demo.server",
        description="A local server that answers like a Sipstory server (for tests and demos). "
        "Prints the API base URL, then serves until Ctrl+C.",
    )
    parser.add_argument(
        "--port", type=int, default=4007, help="port on 127.0.0.1 (0: any free port; default 4007)"
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="proxy",
        help="proxy: API under /api/public/v1 (default); backend: API under /public/v1",
    )
    parser.add_argument(
        "--delay", type=_non_negative, default=0.0, help="seconds to wait before every answer"
    )
    parser.add_argument(
        "--key",
        type=_key_argument,
        action="append",
        default=[],
        metavar="KEY[:STATE[:ORG]]",
        help=f"a known key (repeatable); STATE is one of {', '.join(KEY_STATES)} "
        "(default valid); ORG defaults to 'default'",
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate_limit_argument,
        action="append",
        default=[],
        metavar="ORG:N",
        help="allow ORG N counted requests per hour (repeatable; default unlimited)",
    )
    parser.add_argument(
        "--fault", choices=FAULTS, default=None, help="a fault for every API request"
    )
    parser.add_argument(
        "--slow-seconds",
        type=_non_negative,
        default=30.0,
        help="how long the 'slow' fault waits (default 30)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server until Ctrl+C (or SIGTERM). Prints the API base URL on standard output."""
    args = _parser().parse_args(argv)
    server = SipstoryTestServer(
        layout=args.layout, delay=args.delay, port=args.port, slow_seconds=args.slow_seconds
    )
    for key, state, org in args.key:
        server.add_key(key, org=org, state=state)
    for org, limit in args.rate_limit:
        server.set_rate_limit(org, limit)
    server.fault = args.fault
    try:
        server.start()
    except OSError as error:
        reason = error.strerror or error
        print(f"error: cannot listen on port {args.port}: {reason}", file=sys.stderr)
        return 1
    print(server.api_base, flush=True)
    keys = len(args.key)
    note = "" if keys else "; no keys given, so every API request gets 401"
    print(
        f"Sipstory test server ({server.layout} layout) on {server.url}, "
        f"{keys} key(s){note}. Ctrl+C stops it.",
        file=sys.stderr,
        flush=True,
    )
    done = threading.Event()
    previous: Callable[[int, FrameType | None], Any] | int | None = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: done.set())
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
