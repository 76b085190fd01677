"""An organization's channels (the API calls them integrations), fetched on demand.

``GET /integrations`` answers an array of ``{id, name, identifier, picture, disabled,
profile, customer?}``; ``identifier`` names the platform (``x``, ``linkedin-page``, ...).
One fetch is one request that may count against the organization's 30 per hour, like a
check: :func:`fetch_channels` returns a :class:`~.status.CheckResult` beside the channels,
classified exactly as a check is, for the caller to count in the entry's budget.

The answer comes from a server, so it is read with suspicion: anything that is not a
list of well-formed channels is skipped or reported, never trusted, and the text kept from
it (names, profiles) is cut to a sane length and stripped of control characters.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import messages as M
from .status import CheckResult, RateLimit, Status
from .text import one_line
from .times import from_iso, to_iso, utc_now

if TYPE_CHECKING:  # the network modules (requests) load when a list is fetched:
    from .client import Answer, ApiClient  # the cache below is read at every start
    from .entries import Entry
    from .vault import Vault

INTEGRATIONS_PATH = "/integrations"
MAX_CHANNELS = 1000  # more items than this in one answer are not read
MAX_TEXT_LENGTH = 200  # names, profiles, identifiers, ids
MAX_PICTURE_LENGTH = 2048

log = logging.getLogger(__name__)


# --- platforms -------------------------------------------------------------------------------


class Category(str, enum.Enum):
    """The groups of the API description's "Supported Platforms"."""

    SOCIAL = "social"
    VIDEO = "video"
    COMMUNITY = "community"
    DESIGN = "design"
    BLOGGING = "blogging"
    BUSINESS = "business"
    OTHER = "other"


@dataclass(frozen=True)
class Platform:
    """A platform a channel publishes to.

    ``monogram`` (one to three letters or a sign) on a badge of ``color`` (the brand's
    colour, ``#RRGGBB``) makes an icon that is recognisable without shipping brand logos;
    no two known platforms share both.
    """

    identifier: str
    name: str
    category: Category
    monogram: str = "?"
    color: str = "#6B7280"

    @property
    def known(self) -> bool:
        return self.identifier in PLATFORMS


def _platforms(*rows: tuple[str, str, Category, str, str]) -> dict[str, Platform]:
    return {row[0]: Platform(*row) for row in rows}


_S, _V, _C = Category.SOCIAL, Category.VIDEO, Category.COMMUNITY
_D, _B, _BIZ = Category.DESIGN, Category.BLOGGING, Category.BUSINESS

PLATFORMS: dict[str, Platform] = _platforms(
    # The 27 platforms of the API description, by the identifier Sipstory gives them.
    ("x", "X", _S, "X", "#000000"),
    ("linkedin", "LinkedIn", _S, "in", "#0A66C2"),
    ("linkedin-page", "LinkedIn Page", _S, "in", "#004182"),
    ("facebook", "Facebook", _S, "f", "#1877F2"),
    ("instagram", "Instagram", _S, "IG", "#E4405F"),
    ("instagram-standalone", "Instagram Standalone", _S, "IG", "#C13584"),
    ("threads", "Threads", _S, "@", "#101010"),
    ("bluesky", "Bluesky", _S, "B", "#1185FE"),
    ("mastodon", "Mastodon", _S, "M", "#6364FF"),
    ("warpcast", "Warpcast", _S, "W", "#855DCD"),
    ("nostr", "Nostr", _S, "N", "#8E30EB"),
    ("vk", "VK", _S, "VK", "#0077FF"),
    ("youtube", "YouTube", _V, "YT", "#FF0000"),
    ("tiktok", "TikTok", _V, "TT", "#010101"),
    ("reddit", "Reddit", _C, "r/", "#FF4500"),
    ("lemmy", "Lemmy", _C, "L", "#00BC8C"),
    ("discord", "Discord", _C, "D", "#5865F2"),
    ("slack", "Slack", _C, "S", "#4A154B"),
    ("telegram", "Telegram", _C, "TG", "#26A5E4"),
    ("pinterest", "Pinterest", _D, "P", "#BD081C"),
    ("dribbble", "Dribbble", _D, "Dr", "#EA4C89"),
    ("medium", "Medium", _B, "Me", "#000000"),
    ("devto", "Dev.to", _B, "DEV", "#0A0A0A"),
    ("hashnode", "Hashnode", _B, "#", "#2962FF"),
    ("wordpress", "WordPress", _B, "W", "#21759B"),
    ("gmb", "Google My Business", _BIZ, "G", "#4285F4"),
    ("listmonk", "Listmonk", _BIZ, "LM", "#0055D4"),
)

# Other spellings a server may use for a known platform. The open-source backend names
# Warpcast (Farcaster) ``wrapcast``.
ALIASES: dict[str, str] = {"wrapcast": "warpcast", "farcaster": "warpcast", "twitter": "x"}


def platform_of(identifier: str) -> Platform:
    """The platform named by a channel's ``identifier``; a generic one when unknown."""
    wanted = identifier.strip().lower()
    known = PLATFORMS.get(ALIASES.get(wanted, wanted))
    if known is not None:
        return known
    shown = one_line(identifier, MAX_TEXT_LENGTH) or "Unknown"
    letter = next((ch.upper() for ch in shown if ch.isalnum()), "?")
    return Platform(shown, shown, Category.OTHER, letter, "#6B7280")


# --- channels --------------------------------------------------------------------------------

# Characters that would let a server's text rewrite a terminal line or reorder what it shows.


def _text(value: Any, limit: int = MAX_TEXT_LENGTH) -> str:
    return one_line(value, limit) if isinstance(value, str) else ""


def _required(value: Any, field: str) -> str:
    text = _text(value)
    if not text:
        raise ValueError(f"a channel without a usable {field}")
    return text


def _picture(value: Any) -> str:
    text = _text(value, MAX_PICTURE_LENGTH)
    return text if text.lower().startswith(("https://", "http://")) else ""


def _customer(value: Any) -> str | None:
    """The customer's name: the API gives ``{id, name}``, a stored channel the name."""
    if isinstance(value, Mapping):
        return _text(value.get("name")) or _text(value.get("id")) or None
    return _text(value) or None


@dataclass(frozen=True)
class Channel:
    """One channel of an organization (an *integration* in the API)."""

    id: str
    name: str
    identifier: str
    picture: str
    disabled: bool
    profile: str
    customer: str | None = None

    @property
    def platform(self) -> Platform:
        return platform_of(self.identifier)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "identifier": self.identifier,
            "picture": self.picture,
            "disabled": self.disabled,
            "profile": self.profile,
            "customer": self.customer,
        }

    def to_json(self) -> dict[str, Any]:
        """:meth:`to_dict` with the platform's name and category, for ``channels --json``."""
        platform = self.platform
        return {
            **self.to_dict(),
            "platform": platform.name,
            "category": platform.category.value,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Channel:
        """Read a channel as the API gives it or as :meth:`to_dict` wrote it.

        Raises ``ValueError`` for what cannot be a channel: not an object, no ``id`` or
        ``identifier``, or a ``disabled`` that is neither true, false nor null. Other
        fields of the wrong type are read as empty.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a channel must be a JSON object")
        channel_id = data.get("id")
        if isinstance(channel_id, int) and not isinstance(channel_id, bool):
            channel_id = str(channel_id)  # a numeric id is still an id
        channel_id = _required(channel_id, "id")
        identifier = _required(data.get("identifier"), "identifier")
        disabled = data.get("disabled")
        if disabled is None:
            disabled = False
        if not isinstance(disabled, bool):
            raise ValueError("a channel's 'disabled' must be true or false")
        profile = _text(data.get("profile"))
        name = _text(data.get("name")) or profile or platform_of(identifier).name
        return cls(
            id=channel_id,
            name=name,
            identifier=identifier,
            picture=_picture(data.get("picture")),
            disabled=disabled,
            profile=profile,
            customer=_customer(data.get("customer")),
        )


def parse_channels(items: list[Any]) -> tuple[list[Channel], int]:
    """The channels among ``items`` and how many items were skipped as unreadable."""
    channels: list[Channel] = []
    skipped = max(0, len(items) - MAX_CHANNELS)
    for item in items[:MAX_CHANNELS]:
        try:
            channels.append(Channel.from_dict(item))
        except (ValueError, TypeError):
            skipped += 1
    return channels, skipped


# --- fetching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelsResult:
    """One fetch: the channels (None when it failed), when, and the request's outcome.

    ``check`` is classified like a check (``check.status`` is ``connected`` when the list
    was read); count it in the entry's budget when ``check.counted``.
    """

    channels: list[Channel] | None
    fetched_at: datetime
    check: CheckResult
    skipped: int = 0  # items of the answer that could not be read as channels

    @property
    def ok(self) -> bool:
        return self.channels is not None

    @property
    def cache(self) -> ChannelCache | None:
        """What to keep of a successful fetch; None for a failed one (keep the old cache)."""
        if self.channels is None:
            return None
        return ChannelCache(self.fetched_at, tuple(self.channels))


class NoKeyError(LookupError):
    """The keyring holds no key for the entry whose channels were asked for."""


def refresh_channels(
    client: ApiClient, vault: Vault, entry: Entry, *, force: bool = False
) -> ChannelsResult:
    """Fetch the entry's channels and keep them, for the window and ``sipstory-keys
    channels`` alike: one request, unless the entry's budget is held back after a 429
    (then nothing is sent and the result says until when), or ``force``.

    Blocks (keyring and network). Raises :class:`NoKeyError` when the keyring holds no
    key for the entry, ``SecretStoreError`` when the keyring fails.
    """
    from .checker import plan_checks

    if not force:
        held = plan_checks(vault.load_state(), [entry]).result_of(entry)
        if held is not None:
            return ChannelsResult(None, held.checked_at, held)
    key = vault.secrets.get(entry.id)
    if key is None:
        raise NoKeyError(entry.name)
    fetched = fetch_channels(client, entry.base_url, key)
    vault.save_channels(entry.id, fetched)
    return fetched


def fetch_channels(client: ApiClient, base_url: str, key: str) -> ChannelsResult:
    """``GET /integrations`` with ``key``: one request. Never raises for network trouble."""
    from .classify import get_or_failure, unreadable_answer

    answer = get_or_failure(client, base_url, INTEGRATIONS_PATH, key)
    if isinstance(answer, CheckResult):
        return ChannelsResult(None, answer.checked_at, answer)
    try:
        return read_channels_answer(answer, base_url)
    except Exception as exc:  # an answer we failed to read must not crash the caller
        check = unreadable_answer(answer, exc, base_url)
        return ChannelsResult(None, check.checked_at, check)


def read_channels_answer(
    answer: Answer, base_url: str, *, now: datetime | None = None
) -> ChannelsResult:
    """The result of ``GET {base_url}/integrations`` that got an HTTP answer."""
    from .classify import classify_answer

    now = now or utc_now()
    if 200 <= answer.status < 300 and "json" in answer.content_type:
        # Classified as a check only for what every answer carries (the rate-limit headers).
        rate_limit = classify_answer(answer, base_url, now=now).rate_limit
        return _read_json_list(answer, now, rate_limit)
    check = classify_answer(answer, base_url, now=now)
    if answer.status == 404:
        check = replace(
            check,
            message=M.CHANNELS_NOTHING_AT.format(url=base_url.rstrip("/") + INTEGRATIONS_PATH),
        )
    return ChannelsResult(None, now, check)


def _read_json_list(answer: Answer, now: datetime, rate_limit: RateLimit | None) -> ChannelsResult:
    common: dict[str, Any] = {
        "http_status": answer.status,
        "latency_ms": answer.latency_ms,
        "checked_at": now,
        "rate_limit": rate_limit,
    }
    hint = M.CHANNELS_HINT

    def failed(message: str, hint: str = hint) -> ChannelsResult:
        return ChannelsResult(None, now, CheckResult(Status.UNEXPECTED, message, hint, **common))

    if answer.truncated:
        from .client import MAX_BODY_BYTES

        return failed(
            M.CHANNELS_TOO_LARGE.format(kb=MAX_BODY_BYTES // 1024),
            M.CHANNELS_TOO_LARGE_HINT,
        )
    try:
        body = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return failed(M.CHANNELS_UNREADABLE.format(status=answer.status))
    if answer.status != 200 or not isinstance(body, list):
        return failed(M.CHANNELS_NOT_A_LIST.format(status=answer.status, shape=_shape(body)))
    channels, skipped = parse_channels(body)
    if len(channels) == 1:
        message = M.CHANNELS_LISTED_ONE
    else:
        message = M.CHANNELS_LISTED.format(count=len(channels))
    if skipped:
        message = M.CHANNELS_SKIPPED.format(listed=message, skipped=skipped)
    check = CheckResult(Status.CONNECTED, message, **common)
    return ChannelsResult(channels, now, check, skipped)


def _shape(body: Any) -> str:
    """A short, safe description of a JSON value: its type, and an object's first keys."""
    if isinstance(body, dict):
        keys = ", ".join(one_line(str(k), 30) for k in list(body)[:5])
        return M.JSON_OBJECT.format(keys=keys) if keys else M.JSON_EMPTY_OBJECT
    if isinstance(body, list):
        return M.JSON_ARRAY
    if body is None:
        return M.JSON_NULL
    names = {bool: M.JSON_BOOLEAN, str: M.JSON_STRING, int: M.JSON_NUMBER}
    return names.get(type(body), M.JSON_NUMBER)


# --- cache -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelCache:
    """The channels of one entry as last fetched, and when."""

    fetched_at: datetime
    channels: tuple[Channel, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "fetched_at": to_iso(self.fetched_at),
            "channels": [channel.to_dict() for channel in self.channels],
        }

    @classmethod
    def from_dict(cls, data: Any) -> ChannelCache:
        """Read a stored cache; unreadable channels are skipped. Raises ``ValueError``
        when there is no usable ``fetched_at`` (without it the list means nothing)."""
        if not isinstance(data, Mapping):
            raise ValueError("a channel cache must be a JSON object")
        fetched_at = data.get("fetched_at")
        if not isinstance(fetched_at, str):
            raise ValueError("a channel cache needs 'fetched_at'")
        moment = from_iso(fetched_at)  # ValueError when damaged
        items = data.get("channels")
        channels, _ = parse_channels(items if isinstance(items, list) else [])
        return cls(moment, tuple(channels))


def cache_to_dict(caches: Mapping[str, ChannelCache]) -> dict[str, Any]:
    """``{entry_id: {"fetched_at": iso, "channels": [...]}}`` for ``state.json``."""
    return {entry_id: cache.to_dict() for entry_id, cache in caches.items()}


def cache_from_dict(data: Any) -> dict[str, ChannelCache]:
    """Read what :func:`cache_to_dict` wrote, skipping every part that is damaged."""
    caches: dict[str, ChannelCache] = {}
    if not isinstance(data, Mapping):
        return caches
    for entry_id, stored in data.items():
        try:
            caches[str(entry_id)] = ChannelCache.from_dict(stored)
        except (ValueError, TypeError, OverflowError):
            continue
    return caches
