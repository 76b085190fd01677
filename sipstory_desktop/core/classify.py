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

from . import messages as M
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

ROTATION_HINT = M.ROTATION_HINT


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


def _rate_limited_message(retry_at: datetime | None, now: datetime, limit: int) -> str:
    if retry_at is None:
        return M.RATE_LIMITED_RESETS.format(limit=limit)
    minutes = max(1, round((retry_at - now).total_seconds() / 60))
    # Local time, as everywhere the GUI and the CLI write a time of day (budget.py too).
    return M.RATE_LIMITED_AT.format(limit=limit, minutes=minutes, clock=local_clock(retry_at))


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
        redirect = M.REDIRECTED.format(target=location, status=status) if location else ""
        return result(
            Status.REDIRECTED,
            redirect or M.REDIRECTED_NOWHERE.format(status=status),
            M.REDIRECTED_HINT,
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
            _rate_limited_message(retry_at, now, limit),
            M.RATE_LIMITED_HINT.format(limit=limit),
            retry_at=retry_at,
        )
    if status in (401, 403):
        said = _message_of(body)
        if said == "No subscription found":
            return result(
                Status.NO_SUBSCRIPTION,
                M.NO_SUBSCRIPTION,
                M.NO_SUBSCRIPTION_HINT,
            )
        if said == "No API Key found":
            return result(
                Status.INVALID_KEY,
                M.NO_KEY_RECEIVED,
                M.NO_KEY_RECEIVED_HINT,
            )
        if said == "Invalid API key":
            return result(Status.INVALID_KEY, M.INVALID_KEY, ROTATION_HINT)
        if not answer.body.strip():
            return result(
                Status.INVALID_KEY,
                M.REJECTED_SILENTLY.format(status=status),
                M.REJECTED_SILENTLY_HINT,
            )
        return result(
            Status.INVALID_KEY,
            M.REFUSED_SAYING.format(status=status, said=said)
            if said
            else M.REFUSED.format(status=status),
            ROTATION_HINT,
        )
    if status >= 500:
        return result(
            Status.SERVER_ERROR,
            M.SERVER_ERROR.format(status=status),
            M.SERVER_ERROR_HINT,
        )
    if status == 404 or (200 <= status < 300 and body is _NOT_JSON and _looks_like_html(answer)):
        return _not_api(result, answer, base_url)
    if 200 <= status < 300:
        if answer.truncated and "json" in answer.content_type:
            return result(
                Status.UNEXPECTED,
                M.TRUNCATED.format(
                    status=status, kib=MAX_BODY_BYTES // 1024, content_type=answer.content_type
                ),
                M.NOT_SIPSTORY_HINT,
            )
        if body is _NOT_JSON:
            kind = one_line(answer.content_type, 80) or M.NO_CONTENT_TYPE
            return result(
                Status.NOT_API,
                M.NOT_JSON.format(status=status, kind=kind),
                _suggestion_hint(base_url),
                suggested_base_url=suggest_api_base(base_url),
            )
        if status == 200 and isinstance(body, dict) and body.get("connected") is True:
            return result(Status.CONNECTED, M.CONNECTED)
        shown = one_line(json.dumps(body), 120)
        return result(
            Status.UNEXPECTED,
            M.NOT_CONFIRMED.format(status=status, shown=shown),
            M.NOT_CONFIRMED_HINT.format(),
        )
    said = _message_of(body)
    hint = M.PAYMENT_HINT if status == 402 else M.UNKNOWN_ANSWER_HINT
    return result(
        Status.UNEXPECTED,
        M.UNEXPECTED_SAYING.format(status=status, said=said)
        if said
        else M.UNEXPECTED.format(status=status),
        hint,
    )


def _suggestion_hint(base_url: str) -> str:
    suggestion = suggest_api_base(base_url)
    if suggestion:
        return M.SUGGESTION_HINT.format(suggestion=suggestion)
    return M.BASE_URL_HINT


def _not_api(result: Any, answer: Answer, base_url: str) -> CheckResult:
    suggestion = suggest_api_base(base_url)
    message = M.NOTHING_AT.format(url=base_url.rstrip("/")) if answer.status == 404 else M.WEB_APP
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
        M.UNREADABLE.format(status=answer.status, error=type(error).__name__),
        M.REPORT_HINT,
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
    via = shown_proxy(proxy) if proxy else ""
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain
    ):
        reason = _tls_reason(chain)
        return CheckResult(
            Status.TLS_ERROR,
            M.TLS_FAILED_VIA.format(host=origin.host, proxy=via, reason=reason)
            if via
            else M.TLS_FAILED.format(host=origin.host, reason=reason),
            M.TLS_HINT_VIA if via else M.TLS_HINT,
            **common,
        )
    if isinstance(exc, requests.exceptions.Timeout) or any(
        isinstance(e, TimeoutError | socket.timeout) for e in chain
    ):
        return CheckResult(
            Status.TIMEOUT,
            M.TIMEOUT_VIA.format(where=where, proxy=via, timeout=f"{timeout:g}")
            if via
            else M.TIMEOUT.format(where=where, timeout=f"{timeout:g}"),
            M.TIMEOUT_HINT,
            **common,
        )
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in names:
        return CheckResult(
            Status.UNREACHABLE,
            M.HOST_NOT_FOUND.format(host=origin.host),
            M.HOST_NOT_FOUND_HINT,
            **common,
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        hint = M.REFUSED_LOCAL_HINT if is_local_host(origin.host) else M.REFUSED_HINT
        message = M.REFUSED_CONNECTION.format(where=where)
        return CheckResult(Status.UNREACHABLE, message, hint, **common)
    cut_names = {"RemoteDisconnected", "ProtocolError", "IncompleteRead", "ChunkedEncodingError"}
    if any(isinstance(e, ConnectionResetError | BrokenPipeError) for e in chain) or (
        names & cut_names
    ):
        return CheckResult(
            Status.UNREACHABLE,
            M.CUT.format(where=where),
            M.CUT_HINT,
            **common,
        )
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = next((e.strerror for e in chain if isinstance(e, OSError) and e.strerror), "")
        return CheckResult(
            Status.UNREACHABLE,
            M.CANNOT_CONNECT_BECAUSE.format(where=where, reason=reason)
            if reason
            else M.CANNOT_CONNECT.format(where=where),
            M.CANNOT_CONNECT_HINT,
            **common,
        )
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return CheckResult(
            Status.UNEXPECTED,
            M.UNDECODABLE.format(where=where),
            M.UNDECODABLE_HINT,
            **common,
        )
    return CheckResult(
        Status.UNEXPECTED,
        M.CHECK_FAILED.format(error=type(exc).__name__),
        M.REPORT_HINT,
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
    name = shown_proxy(proxy) if proxy else M.PROXY_FROM_ENVIRONMENT
    variable = "HTTPS_PROXY" if origin.scheme == "https" else "HTTP_PROXY"
    status, message, first = Status.UNREACHABLE, "", ""
    tunnel = next((str(e) for e in chain if str(e).startswith("Tunnel connection failed")), "")
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain):
        status = Status.TLS_ERROR
        message = M.PROXY_TLS.format(name=name, reason=_tls_reason(chain))
        first = M.PROXY_TLS_FIRST
    elif any(
        isinstance(e, TimeoutError | socket.timeout | requests.exceptions.Timeout) for e in chain
    ):  # a timeout of requests: the deadline (DeadlineExceeded) may have cut the tunnel
        status = Status.TIMEOUT
        message = M.PROXY_TIMEOUT.format(name=name, timeout=f"{timeout:g}")
    elif tunnel:  # the proxy answered CONNECT with something else than 200
        answer = one_line(tunnel.partition(":")[2].strip(), 80)
        message = M.PROXY_TUNNEL.format(name=name, where=where, answer=answer)
        if answer.startswith("407"):
            first = M.PROXY_LOGIN_FIRST
        elif answer.startswith("5"):
            first = M.PROXY_UNREACHED_FIRST.format(where=where)
        else:
            first = M.PROXY_RULES_FIRST
    elif any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in {
        type(e).__name__ for e in chain
    }:
        message = M.PROXY_HOST_NOT_FOUND.format(name=name)
    elif any(isinstance(e, requests.exceptions.InvalidSchema) for e in chain):
        status = Status.UNEXPECTED
        message = M.PROXY_SOCKS.format(name=name)
        first = M.PROXY_SOCKS_FIRST
    elif any(isinstance(e, requests.exceptions.InvalidURL) for e in chain):
        status, message = Status.UNEXPECTED, M.PROXY_INVALID.format(name=name)
    else:
        reason = next((e.strerror for e in chain if isinstance(e, OSError) and e.strerror), "")
        message = (
            M.PROXY_CANNOT_CONNECT_BECAUSE.format(name=name, reason=reason.lower())
            if reason
            else M.PROXY_CANNOT_CONNECT.format(name=name)
        )
    # Whatever failed, it failed before the tunnel: the request never reached the server.
    hint = (
        M.PROXY_HINT_AFTER.format(first=first, variable=variable)
        if first
        else M.PROXY_HINT.format(variable=variable)
    )
    return CheckResult(status, message, hint, request_sent=False, **common)


def _tls_reason(chain: list[BaseException]) -> str:
    return _short_tls_reason(next((str(e) for e in chain if isinstance(e, ssl.SSLError)), ""))


def _short_tls_reason(reason: str) -> str:
    lowered = reason.lower()
    if "expired" in lowered:
        return M.TLS_EXPIRED
    if "self-signed" in lowered or "self signed" in lowered:
        return M.TLS_SELF_SIGNED
    if "hostname" in lowered or "doesn't match" in lowered or "ip address mismatch" in lowered:
        return M.TLS_OTHER_HOST
    if "unable to get local issuer" in lowered or "verify failed" in lowered:
        return M.TLS_UNTRUSTED
    return M.TLS_HANDSHAKE
