"""Finding the API base URL of a self-hosted instance from its address.

The most common self-hosting mistake is a base URL without ``/api`` (docs/api-facts.md):
the request reaches the web app, which answers its login page. Given an address, this
tries the likely bases, the official image's ``/api/public/v1`` and the bare backend's
``/public/v1``, and for this machine also the usual ports (4007 for the common compose
file, 5000 inside the container, 3000 for a backend run from source).

A probe sends **no key**: a Sipstory API answers ``401 {"msg":"No API Key found"}`` to a
request without one, which is enough to tell it from a web app, costs nothing against the
rate limit (authentication runs before throttling) and risks no key on a wrong server.
"""

from __future__ import annotations

import enum
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from . import messages as M
from .classify import classify_failure, timeout_of
from .client import Answer, ApiClient, proxy_for
from .status import Status
from .text import one_line
from .urls import (
    BACKEND_API_PATH,
    SELF_HOSTED_API_PATH,
    Origin,
    UrlError,
    base_url_for_instance,
    is_local_host,
    origin_of,
    plain_http_warning,
)

PROBE_PATH = "/is-connected"
LOCAL_PORTS: tuple[int, ...] = (4007, 5000, 3000)
MAX_PARALLEL_PROBES = 6
API_PATHS: tuple[str, ...] = (SELF_HOSTED_API_PATH, BACKEND_API_PATH)

# Endings of a path that the user gave along with the address and that are not a prefix
# under which the instance is served: the API path itself, or part of it.
_API_SUFFIXES = (
    SELF_HOSTED_API_PATH + PROBE_PATH,
    BACKEND_API_PATH + PROBE_PATH,
    PROBE_PATH,
    SELF_HOSTED_API_PATH,
    BACKEND_API_PATH,
    "/api/public",
    "/api",
)
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SIPSTORY_401 = ("No API Key found", "Invalid API key")

log = logging.getLogger(__name__)


class ProbeOutcome(str, enum.Enum):
    """How one candidate base URL answered a request without a key."""

    SIPSTORY = "sipstory"  # a JSON 401 as a Sipstory API gives it
    WEB_APP = "web_app"  # a web page: the web app, not the API
    NOT_FOUND = "not_found"  # 404
    REDIRECT = "redirect"  # 3xx, not followed
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls_error"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ProbeOutcome.SIPSTORY: "Sipstory API",
    ProbeOutcome.WEB_APP: "Web app",
    ProbeOutcome.NOT_FOUND: "Not found",
    ProbeOutcome.REDIRECT: "Redirect",
    ProbeOutcome.UNREACHABLE: "Unreachable",
    ProbeOutcome.TIMEOUT: "Timed out",
    ProbeOutcome.TLS_ERROR: "TLS error",
    ProbeOutcome.OTHER: "Other answer",
}


@dataclass(frozen=True)
class Probe:
    """One candidate base URL and what came back from ``GET {base_url}/is-connected``."""

    base_url: str
    outcome: ProbeOutcome
    detail: str
    http_status: int | None = None
    latency_ms: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is ProbeOutcome.SIPSTORY

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "outcome": self.outcome.value,
            "ok": self.ok,
            "detail": self.detail,
            "http_status": self.http_status,
            "latency_ms": self.latency_ms,
        }


@dataclass(frozen=True)
class FindResult:
    """Every probe, in candidate order, and the first base URL that answered like Sipstory."""

    found: str | None
    probes: list[Probe]
    address: str = ""
    candidates: list[str] = field(default_factory=list)

    @property
    def warning(self) -> str | None:
        """A warning when the base found would send a key unencrypted to another machine."""
        return plain_http_warning(self.found) if self.found else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "found": self.found,
            "warning": self.warning,
            "probes": [probe.to_dict() for probe in self.probes],
        }


# --- candidates ------------------------------------------------------------------------------


def candidates(address: str, *, local_ports: Sequence[int] = LOCAL_PORTS) -> list[str]:
    """The base URLs to try for ``address``, most likely first, without duplicates.

    ``address`` may be a host (``sipstory.example.com``, ``localhost``, ``127.0.0.1:5000``),
    an origin (``https://x.example.com:8443``) or a base URL that is wrong
    (``https://x.example.com/public/v1``, ``.../api``). Without a scheme, a local host gets
    ``http://`` and any other ``https://``. For each origin (the address's own, then, for
    this machine, ``http://`` on ``local_ports``), both API paths are tried under the path
    prefix the address gives (``https://x/sipstory`` -> ``https://x/sipstory/api/public/v1``)
    and then, if there is one, at the root. Raises :class:`UrlError` when ``address``
    cannot be the address of a server.
    """
    url = _with_scheme(address)
    base_url_for_instance(url)  # raises UrlError with a clear message for what cannot be one
    origin = origin_of(url)
    prefix = _prefix(urlsplit(url).path)

    origins = [origin]
    if is_local_host(origin.host):
        origins += [Origin("http", origin.host, port) for port in local_ports]
    prefixes = [prefix, ""] if prefix else [""]

    found: list[str] = []
    for each in origins:
        for start in prefixes:
            for api_path in API_PATHS:
                candidate = f"{each}{start}{api_path}"
                if candidate not in found:
                    found.append(candidate)
    return found


def _with_scheme(address: str) -> str:
    text = address.strip() if isinstance(address, str) else ""
    if not text:
        raise UrlError(M.ADDRESS_EMPTY)
    if _HAS_SCHEME.match(text):
        return text
    try:
        host = urlsplit("http://" + text).hostname or ""
    except ValueError:
        host = ""  # base_url_for_instance says what is wrong
    return ("http://" if is_local_host(host) else "https://") + text


def _prefix(path: str) -> str:
    """The path under which the instance is served: ``path`` less any API part of it."""
    path = re.sub("/+", "/", path).rstrip("/")
    for suffix in _API_SUFFIXES:
        if path.lower().endswith(suffix.lower()):
            path = path[: -len(suffix)]
            break
    return path.rstrip("/")


# --- probing ---------------------------------------------------------------------------------


def probe(client: ApiClient, base_url: str) -> Probe:
    """``GET {base_url}/is-connected`` without a key, and what the answer says."""
    started = time.monotonic()
    try:
        answer = client.get(base_url, PROBE_PATH, None)
    except (requests.RequestException, OSError, ValueError) as exc:
        elapsed = round((time.monotonic() - started) * 1000)
        failed = classify_failure(
            exc,
            base_url,
            timeout_of(exc, client.timeouts),
            latency_ms=elapsed,
            proxy=proxy_for(base_url),
        )
        outcome = _FAILURES.get(failed.status, ProbeOutcome.OTHER)
        return Probe(base_url, outcome, failed.message, None, elapsed)
    try:
        outcome, detail = classify_probe(answer)
    except Exception as exc:  # one unreadable answer must not end the search
        log.exception("could not read the answer of %s", base_url)
        outcome, detail = ProbeOutcome.OTHER, f"unreadable answer ({type(exc).__name__})"
    return Probe(base_url, outcome, detail, answer.status, answer.latency_ms)


_FAILURES = {
    Status.UNREACHABLE: ProbeOutcome.UNREACHABLE,
    Status.TIMEOUT: ProbeOutcome.TIMEOUT,
    Status.TLS_ERROR: ProbeOutcome.TLS_ERROR,
}


def classify_probe(answer: Answer) -> tuple[ProbeOutcome, str]:
    """The outcome of a keyless request to a candidate base URL, and what was seen."""
    status = answer.status
    kind = one_line(answer.content_type, 80) or "no content type"
    body = _json(answer)
    said = _message_of(body)
    if 300 <= status < 400:
        location = one_line(answer.headers.get("Location", ""), 300)
        where = f"to {location}" if location else "without saying where"
        return ProbeOutcome.REDIRECT, f"redirects {where} (HTTP {status}); not followed"
    if status == 401 and said in _SIPSTORY_401:
        return ProbeOutcome.SIPSTORY, f"a Sipstory API: it asks for a key (HTTP 401, {said})"
    if status == 200 and isinstance(body, dict) and body.get("connected") is True:
        return (
            ProbeOutcome.SIPSTORY,
            "a Sipstory API: it confirms a connection without a key, so something in front "
            "of it adds one (HTTP 200)",
        )
    if status == 404:
        seen = f", {said}" if said else ""
        return ProbeOutcome.NOT_FOUND, f"nothing here (HTTP 404{seen})"
    html = _looks_like_html(answer)
    if html and status < 400:
        title = _title(answer.body)
        named = f' "{title}"' if title else ""
        return (
            ProbeOutcome.WEB_APP,
            f"a web page{named} (HTTP {status}, {kind}): the web app, not the API",
        )
    if html:
        title = _title(answer.body)
        return ProbeOutcome.OTHER, f"HTTP {status}, a web page" + (f": {title}" if title else "")
    if body is not _NOT_JSON:
        seen = f": {said}" if said else ""
        return ProbeOutcome.OTHER, f"HTTP {status}, JSON{seen}; not how a Sipstory API answers"
    snippet = one_line(answer.body[:200].decode("utf-8", "replace"), 80)
    seen = f': "{snippet}"' if snippet else ", empty body"
    return ProbeOutcome.OTHER, f"HTTP {status}, {kind}{seen}"


_NOT_JSON = object()


def _json(answer: Answer) -> Any:
    if "json" not in answer.content_type or answer.truncated:
        return _NOT_JSON
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _NOT_JSON


def _message_of(body: Any) -> str:
    if isinstance(body, dict):
        for name in ("msg", "message", "error"):
            value = body.get(name)
            if isinstance(value, str):
                return one_line(value, 120)
    return ""


def _looks_like_html(answer: Answer) -> bool:
    if "html" in answer.content_type:
        return True
    start = answer.body[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _title(body: bytes) -> str:
    match = re.search(rb"<title[^>]*>([^<]{1,200})</title>", body[:8192], re.IGNORECASE)
    return one_line(match.group(1).decode("utf-8", "replace"), 80) if match else ""


def find_api_url(
    client: ApiClient,
    address: str,
    *,
    max_workers: int = MAX_PARALLEL_PROBES,
    local_ports: Sequence[int] = LOCAL_PORTS,
    on_probe: Callable[[Probe], None] | None = None,
) -> FindResult:
    """Probe every candidate of ``address`` (at most ``max_workers`` at a time).

    Returns the probes in candidate order and, as ``found``, the first candidate that
    answered like a Sipstory API (None when none did). ``on_probe`` is called from the
    worker threads as each probe ends. Raises :class:`UrlError` for an address that cannot
    be one; never raises for network trouble.
    """
    bases = candidates(address, local_ports=local_ports)

    def run(base_url: str) -> Probe:
        done = probe(client, base_url)
        if on_probe is not None:
            on_probe(done)
        return done

    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(bases)))) as pool:
        probes = list(pool.map(run, bases))
    found = next((p.base_url for p in probes if p.ok), None)
    return FindResult(found, probes, address.strip(), bases)
