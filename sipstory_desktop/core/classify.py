"""Turning what a server answered (or failed to) into a status, a message and a fix.

Built on how a real Sipstory server answers (docs/api-facts.md): only ``200``, a JSON
content type and ``connected: true`` mean connected; a web app answers its login page
with 200; a 429 proves the key valid; ``Bearer`` is rejected as an invalid key.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from .budget import RATE_LIMIT
from .client import (
    MAX_BODY_BYTES,
    Answer,
    ApiClient,
    DeadlineExceeded,
    Timeouts,
    proxy_for,
    shown_proxy,
)
from .status import CheckResult, RateLimit, Status
from .text import one_line
from .times import local_clock, utc_now
from .urls import Origin, is_local_host, origin_of, suggest_api_base

log = logging.getLogger(__name__)

ROTATION_HINT = (
    "A key stops working at once when it is rotated in Settings → Developers → API Key. "
    "Copy the current key from there and replace the one saved here."
)


_NOT_JSON = object()  # what _json_body returns for a body that is not JSON (JSON null is None)
MAX_WAIT_SECONDS = 7 * 86400  # a Retry-After longer than a week is not believed


def _json_body(answer: Answer) -> Any:
    if "json" not in answer.content_type or answer.truncated:
        return _NOT_JSON
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: JSONDecodeError too
        return _NOT_JSON


def _looks_like_html(answer: Answer) -> bool:
    if "html" in answer.content_type:
        return True
    start = answer.body[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _int_header(answer: Answer, name: str) -> int | None:
    """A header holding a whole number of plain ASCII digits (at most 12), else None."""
    value = answer.headers.get(name, "").strip()
    digits = value[1:] if value.startswith("-") else value
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    return int(value)


def _rate_limit(answer: Answer) -> RateLimit | None:
    figures = RateLimit(
        limit=_int_header(answer, "X-RateLimit-Limit"),
        remaining=_int_header(answer, "X-RateLimit-Remaining"),
        reset_seconds=_int_header(answer, "X-RateLimit-Reset"),
    )
    return figures if figures != RateLimit() else None


def _retry_at(answer: Answer, now: datetime) -> datetime | None:
    """When a throttled key may be checked again: ``Retry-After`` (seconds or an HTTP date),
    else ``X-RateLimit-Reset`` (seconds); None when neither is usable."""
    seconds = _int_header(answer, "Retry-After")
    value = answer.headers.get("Retry-After", "").strip()
    if seconds is None and value:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            seconds = round((moment - now).total_seconds())
    if seconds is None:
        seconds = _int_header(answer, "X-RateLimit-Reset")
    if seconds is None or seconds < 0:
        return None
    return now + timedelta(seconds=min(seconds, MAX_WAIT_SECONDS))


def _describe_wait(retry_at: datetime | None, now: datetime) -> str:
    if retry_at is None:
        return "The limit resets within the hour."
    minutes = max(1, round((retry_at - now).total_seconds() / 60))
    # Local time, as everywhere the GUI and the CLI write a time of day (budget.py too).
    return f"It may be checked again in {minutes} min, at {local_clock(retry_at)}."


def _message_of(body: Any) -> str:
    """What the server said in its JSON, made safe to show."""
    if isinstance(body, dict):
        for field in ("msg", "message", "error"):
            if isinstance(body.get(field), str):
                return one_line(str(body[field]))
    return ""


def classify_answer(answer: Answer, base_url: str, *, now: datetime | None = None) -> CheckResult:
    """The result of ``GET {base_url}/is-connected`` that got an HTTP answer."""
    now = now or utc_now()
    status = answer.status
    body = _json_body(answer)
    common: dict[str, Any] = {
        "http_status": status,
        "latency_ms": answer.latency_ms,
        "checked_at": now,
        "rate_limit": _rate_limit(answer),
    }

    def result(code: Status, message: str, hint: str = "", **extra: Any) -> CheckResult:
        return CheckResult(code, message, hint, **common, **extra)

    if 300 <= status < 400:
        location = one_line(answer.headers.get("Location", ""), 500)
        target = location or "an address it did not give"
        return result(
            Status.REDIRECTED,
            f"The server redirects to {target} (HTTP {status}); the key was not sent there.",
            "Sipstory Desktop never follows a redirect with your key. If you trust the new "
            "address, use it as the base URL (often http:// → https://, or a missing /api).",
            location=location or None,
        )
    if status == 429:
        retry_at = _retry_at(answer, now)
        figures = common["rate_limit"]
        limit = figures.limit if figures and figures.limit and figures.limit > 0 else RATE_LIMIT
        # The figures of the list's "Last hour" column while a 429 holds a budget back
        # (budget.shown_used): used/limit, all of it used.
        return result(
            Status.RATE_LIMITED,
            "The key is valid, but the organization has used up its requests for this hour "
            f"({limit}/{limit} used; HTTP 429). {_describe_wait(retry_at, now)}",
            f"Wait until then. Each check may count against the organization's {limit} "
            "requests per hour, so avoid checking again and again.",
            retry_at=retry_at,
        )
    if status in (401, 403):
        said = _message_of(body)
        if said == "No subscription found":
            return result(
                Status.NO_SUBSCRIPTION,
                "The key is valid, but its organization has no subscription.",
                "Start or renew the organization's subscription in Sipstory's billing "
                "settings; the key itself is fine.",
            )
        if said == "No API Key found":
            return result(
                Status.INVALID_KEY,
                "The server received no key (No API Key found).",
                "A proxy in front of the server may strip the Authorization header: "
                "check its configuration.",
            )
        if said == "Invalid API key":
            return result(
                Status.INVALID_KEY, "The server rejected the key: Invalid API key.", ROTATION_HINT
            )
        if not answer.body.strip():
            return result(
                Status.INVALID_KEY,
                f"The server rejected the key without a reason (HTTP {status}); its key "
                "lookup may have failed.",
                "Try again in a moment. If it persists, copy the key again from "
                "Settings → Developers → API Key.",
            )
        reason = f": {said}" if said else ""
        return result(
            Status.INVALID_KEY,
            f"The server refused the key (HTTP {status}){reason}.",
            ROTATION_HINT,
        )
    if status >= 500:
        return result(
            Status.SERVER_ERROR,
            f"The server failed with HTTP {status}.",
            "The fault is on the server's side, not your key: try again later, or look at "
            "the instance's logs if it is yours.",
        )
    if status == 404 or (200 <= status < 300 and body is _NOT_JSON and _looks_like_html(answer)):
        return _not_api(result, answer, base_url)
    if 200 <= status < 300:
        if answer.truncated and "json" in answer.content_type:
            return result(
                Status.UNEXPECTED,
                f"The server answered HTTP {status} with more than {MAX_BODY_BYTES // 1024} KiB "
                f"of {answer.content_type}; the rest was not read. A Sipstory API answers "
                '{"connected": true}, a few bytes.',
                "Check the base URL, and that the server really is Sipstory.",
            )
        if body is _NOT_JSON:
            kind = one_line(answer.content_type, 80) or "no content type"
            return result(
                Status.NOT_API,
                f"The server answered HTTP {status} with {kind}, not JSON: this URL is not a "
                "Sipstory API.",
                _suggestion_hint(base_url),
                suggested_base_url=suggest_api_base(base_url),
            )
        if status == 200 and isinstance(body, dict) and body.get("connected") is True:
            return result(Status.CONNECTED, "The key works: the server confirmed the connection.")
        shown = one_line(json.dumps(body), 120)
        return result(
            Status.UNEXPECTED,
            f"The server answered HTTP {status} but did not confirm the connection: {shown}",
            'A Sipstory API answers {"connected": true}. Check the base URL, and that the '
            "server really is Sipstory.",
        )
    said = _message_of(body)
    if status == 402:
        hint = "The server asks for payment: check the organization's billing in Sipstory."
    else:
        hint = "Check the base URL and the server's version; this is not a Sipstory answer."
    return result(
        Status.UNEXPECTED,
        f"Unexpected answer: HTTP {status}{': ' + said if said else ''}.",
        hint,
    )


def _suggestion_hint(base_url: str) -> str:
    suggestion = suggest_api_base(base_url)
    if suggestion:
        return f"Try {suggestion} as the base URL (a self-hosted API lives under /api/public/v1)."
    return (
        "Check the base URL: Sipstory Cloud is https://api.sipstory.tech/public/v1, a "
        "self-hosted instance https://your-domain/api/public/v1."
    )


def _not_api(result: Any, answer: Answer, base_url: str) -> CheckResult:
    suggestion = suggest_api_base(base_url)
    if answer.status == 404:
        message = f"Nothing answers at {base_url.rstrip('/')}/is-connected (HTTP 404): "
        message += "this URL is not a Sipstory API."
    else:
        message = "This is the web app, not the API: the server answered with a web page."
    checked: CheckResult = result(
        Status.NOT_API, message, _suggestion_hint(base_url), suggested_base_url=suggestion
    )
    return checked


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception it wraps (causes, contexts, urllib3 reasons, args)."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if current in seen or len(seen) > 20:
            continue
        seen.append(current)
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                todo.append(linked)
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return seen


def get_or_failure(client: ApiClient, base_url: str, path: str, key: str) -> Answer | CheckResult:
    """``GET {base_url}{path}`` with ``key``: the answer, or the classified failure when no
    answer came. Never raises for network trouble."""
    started = time.monotonic()
    try:
        return client.get(base_url, path, key)
    except (requests.RequestException, OSError, ValueError) as exc:
        elapsed = round((time.monotonic() - started) * 1000)
        log.debug("GET %s on %s failed: %s", path, base_url, type(exc).__name__)
        return classify_failure(
            exc,
            base_url,
            timeout_of(exc, client.timeouts),
            latency_ms=elapsed,
            proxy=proxy_for(base_url),
        )


def timeout_of(exc: BaseException, timeouts: Timeouts) -> float:
    """The timeout that ``exc`` ran into, to be named in its message: the connect timeout
    for a connection not made in time, the overall deadline (``total``) for an answer cut
    by it, else the read timeout (a socket waiting that long for the next bytes)."""
    chain = _chain(exc)
    if any(isinstance(e, DeadlineExceeded) for e in chain):
        return timeouts.total
    if any(isinstance(e, requests.exceptions.ConnectTimeout) for e in chain):
        return timeouts.connect
    return timeouts.read


def unreadable_answer(answer: Answer, error: Exception, base_url: str) -> CheckResult:
    """The result for an answer we failed to read: it must not stop a caller or a run.
    Call it from the ``except`` block that caught ``error`` (the traceback is logged)."""
    log.exception("could not read an answer from %s", base_url)
    return CheckResult(
        Status.UNEXPECTED,
        f"The answer (HTTP {answer.status}) could not be read: {type(error).__name__}.",
        "Check the base URL; if this persists, report it with the app's log.",
        http_status=answer.status,
        latency_ms=answer.latency_ms,
    )


def classify_failure(
    exc: Exception,
    base_url: str,
    timeout: float,
    *,
    latency_ms: int | None = None,
    now: datetime | None = None,
    proxy: str | None = None,
) -> CheckResult:
    """The result of a check that got no usable HTTP answer; ``proxy``: the proxy from the
    environment the request went through (:func:`~.client.proxy_for`), if any."""
    origin = origin_of(base_url)
    where = f"{origin.host}:{origin.port}"
    common: dict[str, Any] = {"latency_ms": latency_ms, "checked_at": now or utc_now()}
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}

    unusable = requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema
    if "ProxyError" in names or (proxy and isinstance(exc, unusable)):
        # requests' and urllib3's ProxyError: the proxy failed, not the server; base URLs
        # are checked before anything is sent, so an unusable URL is the proxy's
        return _proxy_failure(chain, origin, proxy, timeout, common)
    via = f" through the proxy {shown_proxy(proxy)}" if proxy else ""
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain
    ):
        if proxy:
            first = (
                "A proxy that inspects TLS shows certificates of its own authority: add your "
                "organization's certificate authority (or the instance's private one) to "
                "your system's trust store."
            )
        else:
            first = (
                "If the instance uses a private certificate authority, add it to your "
                "system's trust store."
            )
        return CheckResult(
            Status.TLS_ERROR,
            f"The TLS connection to {origin.host}{via} failed: {_tls_reason(chain)}.",
            f"{first} Check that the address is the one on the certificate, and that the "
            "certificate has not expired.",
            **common,
        )
    if isinstance(exc, requests.exceptions.Timeout) or any(
        isinstance(e, TimeoutError | socket.timeout) for e in chain
    ):
        return CheckResult(
            Status.TIMEOUT,
            f"No answer from {where}{via} within {timeout:g} s.",
            "The server may be overloaded, or a firewall may drop the connection; check the "
            "address and try again later.",
            **common,
        )
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in names:
        return CheckResult(
            Status.UNREACHABLE,
            f"The host name {origin.host} could not be found.",
            "Check the spelling of the address and your network connection.",
            **common,
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        if is_local_host(origin.host):
            hint = (
                "Is your instance running? Start it (with the common compose file: "
                "'docker compose up -d') and check the port: 4007 for that file, 5000 inside "
                "the container, 3000 for a backend run from source."
            )
        else:
            hint = "Check the port, that the server is up, and that no firewall blocks it."
        return CheckResult(Status.UNREACHABLE, f"Connection refused by {where}.", hint, **common)
    cut_names = {"RemoteDisconnected", "ProtocolError", "IncompleteRead", "ChunkedEncodingError"}
    if any(isinstance(e, ConnectionResetError | BrokenPipeError) for e in chain) or (
        names & cut_names
    ):
        return CheckResult(
            Status.UNREACHABLE,
            f"The connection to {where} was cut before a full answer came back.",
            "A proxy or firewall may be resetting the connection, or the server crashed; "
            "try again, and check the server if it is yours.",
            **common,
        )
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = next((e.strerror for e in chain if isinstance(e, OSError) and e.strerror), "")
        return CheckResult(
            Status.UNREACHABLE,
            f"Cannot connect to {where}" + (f": {reason}." if reason else "."),
            "Check the address, your network connection, and that the server is up.",
            **common,
        )
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return CheckResult(
            Status.UNEXPECTED,
            f"The answer from {where} could not be decoded: its Content-Encoding is broken "
            "or not one that was asked for (gzip, deflate).",
            "A Sipstory server does not answer like this: check the base URL and any proxy "
            "in front of the server.",
            **common,
        )
    return CheckResult(
        Status.UNEXPECTED,
        f"The check failed: {type(exc).__name__}.",
        "Check the base URL; if this persists, report it with the app's log.",
        **common,
    )


def _proxy_failure(
    chain: list[BaseException],
    origin: Origin,
    proxy: str | None,
    timeout: float,
    common: dict[str, Any],
) -> CheckResult:
    """The proxy could not be used: unreachable, its TLS failed, or it refused the tunnel."""
    where = f"{origin.host}:{origin.port}"
    name = shown_proxy(proxy) if proxy else "from the environment"
    variable = "HTTPS_PROXY" if origin.scheme == "https" else "HTTP_PROXY"
    hint = (
        f"Check the proxy in {variable} (or ALL_PROXY); a host reached without the proxy "
        "belongs in NO_PROXY."
    )
    status, message, first = Status.UNREACHABLE, "", ""
    tunnel = next((str(e) for e in chain if str(e).startswith("Tunnel connection failed")), "")
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain):
        status = Status.TLS_ERROR
        message = f"The TLS connection to the proxy {name} failed: {_tls_reason(chain)}."
        first = "The proxy's certificate must be signed by an authority your system trusts."
    elif any(
        isinstance(e, TimeoutError | socket.timeout | requests.exceptions.Timeout) for e in chain
    ):  # a timeout of requests: the deadline (DeadlineExceeded) may have cut the tunnel
        status, message = Status.TIMEOUT, f"No answer from the proxy {name} within {timeout:g} s."
    elif tunnel:  # the proxy answered CONNECT with something else than 200
        answer = one_line(tunnel.partition(":")[2].strip(), 80)
        message = f"The proxy {name} would not open a connection to {where} ({answer})."
        if answer.startswith("407"):
            first = (
                "The proxy asks for a login: its user name and password go in its URL "
                "(http://user:password@host:port), and were missing or refused."
            )
        elif answer.startswith("5"):
            first = f"The proxy could not reach {where}: check the address, and that it is up."
        else:
            first = "The proxy's rules may block this host: ask whoever runs the proxy."
    elif any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in {
        type(e).__name__ for e in chain
    }:
        message = f"Cannot connect to the proxy {name}: its host name could not be found."
    elif any(isinstance(e, requests.exceptions.InvalidSchema) for e in chain):
        status = Status.UNEXPECTED
        message = f"The proxy {name} is a SOCKS proxy, which this app cannot use."
        first = "Set an HTTP proxy instead, or list the host in NO_PROXY."
    elif any(isinstance(e, requests.exceptions.InvalidURL) for e in chain):
        status, message = Status.UNEXPECTED, f"The proxy {name} is not a URL that can be used."
    else:
        reason = next((e.strerror for e in chain if isinstance(e, OSError) and e.strerror), "")
        message = f"Cannot connect to the proxy {name}" + (f": {reason.lower()}" if reason else "")
        message += "."
    # Whatever failed, it failed before the tunnel: the request never reached the server.
    return CheckResult(status, message, f"{first} {hint}".strip(), request_sent=False, **common)


def _tls_reason(chain: list[BaseException]) -> str:
    return _short_tls_reason(next((str(e) for e in chain if isinstance(e, ssl.SSLError)), ""))


def _short_tls_reason(reason: str) -> str:
    lowered = reason.lower()
    if "expired" in lowered:
        return "the certificate has expired"
    if "self-signed" in lowered or "self signed" in lowered:
        return "the certificate is self-signed"
    if "hostname" in lowered or "doesn't match" in lowered or "ip address mismatch" in lowered:
        return "the certificate is for another host name"
    if "unable to get local issuer" in lowered or "verify failed" in lowered:
        return "the certificate is not signed by an authority this computer trusts"
    return "the handshake failed"
