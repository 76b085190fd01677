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

Its HTTP plumbing is :mod:`.httpd`, its faults :mod:`.faults`, the pages and channels it
serves :mod:`.canned`. Run it by hand with ``python -m sipstory_desktop.demo.server --key KEY``
(see :mod:`.server`).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final, Literal

from .canned import LOGIN_PAGE, default_channels
from .faults import FAULT_PREFIX, check_fault, fault_answer, split_fault
from .httpd import (
    HTML_TYPE,
    JSON_TYPE,
    THREAD_NAME,
    Answer,
    TrackingHTTPServer,
    json_answer,
    json_bytes,
)

__all__ = [
    "KEY_STATES",
    "LAYOUTS",
    "KeyState",
    "Layout",
    "RecordedRequest",
    "SipstoryTestServer",
]

Layout = Literal["proxy", "backend"]
KeyState = Literal["valid", "rotated", "no_subscription", "lookup_failed"]

LAYOUTS: Final[tuple[Layout, ...]] = ("proxy", "backend")
KEY_STATES: Final[tuple[KeyState, ...]] = ("valid", "rotated", "no_subscription", "lookup_failed")

_API_PATHS: Final[Mapping[Layout, str]] = {"proxy": "/api/public/v1", "backend": "/public/v1"}
_STOP_TIMEOUT: Final = 5.0


@dataclass
class RecordedRequest:
    """One request as the server received it (``path`` as sent, fault prefix and query included).

    ``headers`` hold the ``Authorization`` key as sent, so they stay out of ``repr()``.
    """

    method: str
    path: str
    headers: dict[str, str] = field(repr=False)
    at: float  # time.monotonic() when the request head had been read


@dataclass
class _Window:
    """A per-organization fixed rate-limit window."""

    limit: int
    length: float
    started: float | None = None
    count: int = 0


def _nest_not_found(method: str, url: str) -> Answer:
    return json_answer(
        404, {"message": f"Cannot {method} {url}", "error": "Not Found", "statusCode": 404}
    )


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
        self._httpd: TrackingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- configuration -------------------------------------------------------------------

    @property
    def fault(self) -> str | None:
        """The fault applied to every request under the API base, or ``None``."""
        return self._fault

    @fault.setter
    def fault(self, value: str | None) -> None:
        check_fault(value)
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
        encoded = json_bytes(channels)
        with self._lock:
            self._channels[org] = encoded

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> SipstoryTestServer:
        """Bind and serve in a daemon thread; returns ``self``."""
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        self._stopping.clear()
        httpd = TrackingHTTPServer((self._host, self._port), self._respond, self._stopping)
        thread = threading.Thread(
            target=httpd.serve,
            name=f"{THREAD_NAME}:{httpd.server_port}",
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
        check_fault(fault)
        return f"{self.url}{FAULT_PREFIX}{fault}{_API_PATHS[self.layout]}"

    # -- answering (runs on the connection threads) ---------------------------------------

    def _respond(self, method: str, target: str, headers: dict[str, str]) -> Answer | None:
        """The answer to one request; ``None`` means: reset the connection without one."""
        with self._lock:
            self.requests.append(RecordedRequest(method, target, headers, time.monotonic()))
        if not self._pause(self.delay):
            return None
        path, _, query = target.partition("?")
        fault, path = split_fault(path)
        endpoint = self._api_endpoint(path)
        if fault is None and endpoint is not None:
            fault = self._fault
        if fault == "slow":
            if not self._pause(self.slow_seconds):
                return None
        elif fault is not None:
            return fault_answer(fault)
        url = path + ("?" + query if query else "")
        if endpoint is None:
            return self._outside_api(method, path, url)
        return self._api(method, endpoint, url, _header(headers, "Authorization"))

    def _pause(self, seconds: float) -> bool:
        """Wait ``seconds`` unless stop() comes first; False when the server is stopping."""
        if seconds > 0:
            return not self._stopping.wait(seconds)
        return not self._stopping.is_set()

    def _api_endpoint(self, path: str) -> str | None:
        """The part of ``path`` after the API base, or ``None`` when outside the API."""
        base = _API_PATHS[self.layout]
        if path == base or path.startswith(base + "/"):
            return path[len(base) :] or "/"
        return None

    def _backend_url(self, url: str) -> str:
        """The URL as the backend sees it: the proxy strips ``/api`` before passing it on."""
        return url[len("/api") :] if self.layout == "proxy" else url

    def _outside_api(self, method: str, path: str, url: str) -> Answer:
        if self.layout == "proxy" and not path.startswith("/api/"):
            return Answer(200, LOGIN_PAGE, HTML_TYPE)  # the web app
        return _nest_not_found(method, self._backend_url(url))

    def _api(self, method: str, endpoint: str, url: str, authorization: str | None) -> Answer:
        route = endpoint.rstrip("/") or "/"
        if method not in ("GET", "HEAD") or route not in ("/is-connected", "/integrations"):
            return _nest_not_found(method, self._backend_url(url))
        org_or_refusal = self._authenticate(authorization)
        if isinstance(org_or_refusal, Answer):
            return org_or_refusal
        org = org_or_refusal
        headers: tuple[tuple[str, str], ...] = ()
        if route == "/integrations" or self.counts_is_connected:
            allowed, headers = self._count(org)
            if not allowed:
                body = {"statusCode": 429, "message": "ThrottlerException: Too Many Requests"}
                return json_answer(429, body, headers)
        if route == "/is-connected":
            return json_answer(200, {"connected": True}, headers)
        with self._lock:
            channels = self._channels.get(org)
        if channels is None:
            channels = json_bytes(default_channels(org))
        return Answer(200, channels, JSON_TYPE, headers)

    def _authenticate(self, authorization: str | None) -> str | Answer:
        """The key's organization, or the 401 the real server gives."""
        if not authorization:
            return json_answer(401, {"msg": "No API Key found"})
        with self._lock:
            entry = self._keys.get(authorization)
        if authorization.startswith("Bearer ") or entry is None or entry[1] == "rotated":
            return json_answer(401, {"msg": "Invalid API key"})
        org, state = entry
        if state == "no_subscription":
            return json_answer(401, {"msg": "No subscription found"})
        if state == "lookup_failed":
            return Answer(401)
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
