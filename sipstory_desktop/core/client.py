"""HTTP to a Sipstory API, done safely.

Every request has connect and read timeouts and an overall deadline, follows no
redirect, verifies TLS against the OS trust store as well as certifi (``truststore``),
names the app in its ``User-Agent``, reads at most :data:`MAX_BODY_BYTES` of the answer,
and ignores ``~/.netrc`` (which would replace the key with a password).
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
import requests.adapters
import requests.utils
import truststore

from .. import __version__

MAX_BODY_BYTES = 64 * 1024
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


class _TrustStoreAdapter(requests.adapters.HTTPAdapter):
    """Verifies certificates with the OS trust store; certifi is loaded on top by requests."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = _ssl_context()
        super().init_poolmanager(*args, **kwargs)


def _ssl_context() -> ssl.SSLContext:
    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return context


def new_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no ~/.netrc; proxies are read from the environment per request
    adapter = _TrustStoreAdapter(max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", requests.adapters.HTTPAdapter(max_retries=0))
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


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

        Raises ``requests`` exceptions for transport failures, :class:`DeadlineExceeded`
        when the whole answer takes longer than the timeouts allow. A body larger than
        :data:`MAX_BODY_BYTES` is cut there and marked ``truncated``.
        """
        url = base_url.rstrip("/") + path
        headers = {"Authorization": key} if key is not None else {}
        started = time.monotonic()
        deadline = started + self.timeouts.total
        response = self._session().get(
            url,
            headers=headers,
            timeout=(self.timeouts.connect, self.timeouts.read),
            allow_redirects=False,
            stream=True,
            proxies=requests.utils.get_environ_proxies(url),
        )
        try:
            body = bytearray()
            truncated = False
            for chunk in response.iter_content(chunk_size=8192):
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    truncated = True
                    break
                if time.monotonic() > deadline:
                    raise DeadlineExceeded(f"no complete answer within {self.timeouts.total:g} s")
        finally:
            response.close()
        return Answer(
            status=response.status_code,
            headers=response.headers,
            body=bytes(body[:MAX_BODY_BYTES]),
            truncated=truncated,
            latency_ms=round((time.monotonic() - started) * 1000),
        )
