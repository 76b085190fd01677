"""API base URLs: where a key is sent, and the rules a base URL must follow.

Three ways to say where a key belongs:

* Sipstory Cloud: always :data:`CLOUD_BASE_URL`.
* A self-hosted instance by its address (``sipstory.example.com``): the API lives under
  ``/api/public/v1`` there, over ``https://`` unless the address says ``http://``.
* A custom base URL, taken as given (only a trailing slash is dropped).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

from . import messages as M

CLOUD_BASE_URL = "https://api.sipstory.tech/public/v1"
SELF_HOSTED_API_PATH = "/api/public/v1"
BACKEND_API_PATH = "/public/v1"
IS_CONNECTED_PATH = "/is-connected"  # the check: GET {base}/is-connected

_SUPPORTED_SCHEMES = ("http", "https")
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


class UrlError(ValueError):
    """A text that cannot be an API base URL; the message says what is wrong."""


@dataclass(frozen=True)
class Origin:
    """Scheme, host and port: what makes two base URLs the same instance."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")


def _split(text: str, what: str) -> SplitResult:
    if not text or not text.strip():
        raise UrlError(M.URL_EMPTY.format(what=what))
    if text != text.strip():
        text = text.strip()
    if any(ch.isspace() for ch in text):
        raise UrlError(M.URL_SPACES.format(what=what))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise UrlError(M.URL_CONTROL.format(what=what))
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise UrlError(M.URL_INVALID.format(what=what, error=exc)) from None
    if parts.scheme.lower() not in _SUPPORTED_SCHEMES:
        raise UrlError(M.URL_SCHEME.format(what=what, scheme=parts.scheme))
    if "@" in parts.netloc:
        raise UrlError(M.URL_LOGIN.format(what=what))
    if parts.query or text.endswith("?"):
        raise UrlError(M.URL_QUERY.format(what=what))
    if parts.fragment or "#" in text:
        raise UrlError(M.URL_FRAGMENT.format(what=what))
    _check_host(parts.hostname or "", what)
    return parts


def _check_host(host: str, what: str) -> None:
    if not host:
        raise UrlError(M.URL_NO_HOST.format(what=what))
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise UrlError(M.HOST_INVALID.format(host=host)) from None
    labels = ascii_host.rstrip(".").split(".")
    if not all(_HOST_LABEL.match(label) for label in labels):
        raise UrlError(M.HOST_INVALID.format(host=host))


def _rebuild(parts: SplitResult, path: str) -> str:
    netloc = parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc.lower(), path, "", ""))


def normalize_base_url(text: str) -> str:
    """Check a custom base URL and return it as given, less a trailing slash."""
    if text and text.strip() and not _HAS_SCHEME.match(text.strip()):
        raise UrlError(M.URL_NO_SCHEME)
    parts = _split(text, M.BASE_URL)
    return _rebuild(parts, parts.path.rstrip("/"))


def base_url_for_instance(address: str) -> str:
    """The API base URL of a self-hosted instance given by its address.

    ``sipstory.example.com`` gives ``https://sipstory.example.com/api/public/v1``;
    ``http://localhost:4007`` keeps its scheme and port. An address that already ends
    with the API path (``.../public/v1``) is taken as the base URL itself.
    """
    stripped = address.strip() if address else address
    if stripped and not _HAS_SCHEME.match(stripped):
        stripped = "https://" + stripped
    parts = _split(stripped, M.INSTANCE_ADDRESS)
    path = parts.path.rstrip("/")
    if not path.endswith(BACKEND_API_PATH):
        path += SELF_HOSTED_API_PATH
    return _rebuild(parts, path)


def instance_address_of(base_url: str) -> str:
    """The instance address that resolves to ``base_url`` again (see ``base_url_for_instance``).

    ``https://sipstory.example.com/api/public/v1`` gives ``sipstory.example.com``;
    ``http://localhost:4007/api/public/v1`` gives ``http://localhost:4007``; a base URL that
    cannot be shortened is returned as it is (it resolves to itself).
    """
    origin_and_prefix = base_url.removesuffix(SELF_HOSTED_API_PATH)
    for address in (origin_and_prefix.removeprefix("https://"), origin_and_prefix):
        try:
            if base_url_for_instance(address) == base_url:
                return address
        except UrlError:
            continue
    return base_url


def origin_of(base_url: str) -> Origin:
    """Scheme, host and port of a base URL (which must already be valid)."""
    parts = urlsplit(base_url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return Origin(scheme, (parts.hostname or "").lower(), port)


def is_local_host(host: str) -> bool:
    """True for this machine: ``localhost`` and loopback addresses."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_warning(base_url: str) -> str | None:
    """A warning when a key would travel unencrypted to another machine, else None."""
    origin = origin_of(base_url)
    if origin.scheme == "http" and not is_local_host(origin.host):
        return M.PLAIN_HTTP.format(host=origin.host)
    return None


def suggest_api_base(base_url: str) -> str | None:
    """The base URL to try when ``base_url`` answered like a web page, or None."""
    origin = origin_of(base_url)
    path = urlsplit(base_url).path.rstrip("/")
    if origin.host == "api.sipstory.tech":
        return CLOUD_BASE_URL if base_url != CLOUD_BASE_URL else None
    if path.endswith(SELF_HOSTED_API_PATH):
        return None
    prefix = path.removesuffix(BACKEND_API_PATH)
    return f"{origin}{prefix}{SELF_HOSTED_API_PATH}"
