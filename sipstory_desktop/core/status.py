"""What a check found: a status from design.md's table, its light, and the details."""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .times import from_iso, to_iso, utc_now


class Light(str, enum.Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"

    @property
    def severity(self) -> int:
        """How bad: red 3, amber 2, grey 1, green 0 (the list sorts and sums by it)."""
        return _SEVERITY[self]


_SEVERITY = {Light.RED: 3, Light.AMBER: 2, Light.GREY: 1, Light.GREEN: 0}


class Status(str, enum.Enum):
    """The status names are a public contract (``check --json``): never rename one."""

    CONNECTED = "connected"
    RATE_LIMITED = "rate_limited"
    INVALID_KEY = "invalid_key"
    NO_SUBSCRIPTION = "no_subscription"
    NOT_API = "not_api"
    REDIRECTED = "redirected"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls_error"
    SERVER_ERROR = "server_error"
    UNEXPECTED = "unexpected"
    NO_SECRET = "no_secret"  # noqa: S105  (a status name, not a password)
    KEYRING_ERROR = "keyring_error"
    UNCHECKED = "unchecked"

    @property
    def light(self) -> Light:
        if self is Status.CONNECTED:
            return Light.GREEN
        if self is Status.RATE_LIMITED:
            return Light.AMBER
        if self is Status.UNCHECKED:
            return Light.GREY
        return Light.RED

    @property
    def label(self) -> str:
        """A short name for people: ``Invalid key``."""
        return _LABELS[self]


def worst(statuses: list[Status]) -> Status:
    """The status with the worst light (unchecked when there is none)."""
    return max(statuses, key=lambda s: s.light.severity, default=Status.UNCHECKED)


_LABELS = {
    Status.CONNECTED: "Connected",
    Status.RATE_LIMITED: "Rate limited",
    Status.INVALID_KEY: "Invalid key",
    Status.NO_SUBSCRIPTION: "No subscription",
    Status.NOT_API: "Not the API",
    Status.REDIRECTED: "Redirected",
    Status.UNREACHABLE: "Unreachable",
    Status.TIMEOUT: "Timed out",
    Status.TLS_ERROR: "TLS error",
    Status.SERVER_ERROR: "Server error",
    Status.UNEXPECTED: "Unexpected answer",
    Status.NO_SECRET: "No key stored",
    Status.KEYRING_ERROR: "Keyring error",
    Status.UNCHECKED: "Not checked",
}


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The server's ``X-RateLimit-*`` headers; ``reset_seconds`` counts from ``checked_at``."""

    limit: int | None = None
    remaining: int | None = None
    reset_seconds: int | None = None

    def to_dict(self) -> dict[str, int | None]:
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "reset_seconds": self.reset_seconds,
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check. Holds no key, only what may be shown and stored.

    Slotted, and its texts shared when read back (:meth:`from_dict`): a state file holds
    up to 50 per entry, and most say the same few things."""

    status: Status
    message: str
    hint: str = ""
    http_status: int | None = None
    latency_ms: int | None = None
    checked_at: datetime = field(default_factory=utc_now)
    retry_at: datetime | None = None
    rate_limit: RateLimit | None = None
    location: str | None = None
    suggested_base_url: str | None = None
    request_sent: bool = True

    @property
    def ok(self) -> bool:
        return self.status is Status.CONNECTED

    @property
    def light(self) -> Light:
        return self.status.light

    @property
    def counted(self) -> bool:
        """Whether the server may have counted this request against the hourly limit.

        Authentication runs first, so a rejected key costs nothing; neither does a
        request that never reached the API (no connection, a web page, a redirect).
        """
        if not self.request_sent or self.http_status in (401, 403):
            return False
        return self.status not in (
            Status.UNREACHABLE,
            Status.TLS_ERROR,
            Status.NOT_API,
            Status.REDIRECTED,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "ok": self.ok,
            "http_status": self.http_status,
            "latency_ms": self.latency_ms,
            "message": self.message,
            "hint": self.hint,
            "checked_at": to_iso(self.checked_at),
            "retry_at": to_iso(self.retry_at) if self.retry_at else None,
            "rate_limit": self.rate_limit.to_dict() if self.rate_limit else None,
            "location": self.location,
            "suggested_base_url": self.suggested_base_url,
            "request_sent": self.request_sent,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        """Read a stored result; raises ``ValueError``, ``KeyError`` or ``TypeError`` if odd."""
        limit = data.get("rate_limit")
        retry = data.get("retry_at")
        return cls(
            status=Status(data["status"]),
            message=sys.intern(str(data["message"])),
            hint=sys.intern(str(data.get("hint") or "")),
            http_status=_opt_int(data.get("http_status")),
            latency_ms=_opt_int(data.get("latency_ms")),
            checked_at=from_iso(str(data["checked_at"])),
            retry_at=from_iso(str(retry)) if retry else None,
            rate_limit=RateLimit(
                _opt_int(limit.get("limit")),
                _opt_int(limit.get("remaining")),
                _opt_int(limit.get("reset_seconds")),
            )
            if isinstance(limit, dict)
            else None,
            location=_opt_str(data.get("location")),
            suggested_base_url=_opt_str(data.get("suggested_base_url")),
            request_sent=bool(data.get("request_sent", True)),
        )


def _opt_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an integer")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
