"""Channels: platforms, reading ``GET /integrations`` with suspicion, failures, the cache.

Answers come from ``responses`` through the real :class:`ApiClient`, and from a real
:class:`SipstoryTestServer` on 127.0.0.1.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
import responses
from hypothesis import event, given
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from sipstory_desktop.core.channels import (
    ALIASES,
    INTEGRATIONS_PATH,
    MAX_CHANNELS,
    MAX_PICTURE_LENGTH,
    MAX_TEXT_LENGTH,
    PLATFORMS,
    Category,
    Channel,
    ChannelCache,
    ChannelsResult,
    NoKeyError,
    cache_from_dict,
    cache_to_dict,
    fetch_channels,
    parse_channels,
    platform_of,
    read_channels_answer,
    refresh_channels,
)
from sipstory_desktop.core.client import MAX_BODY_BYTES, Answer, ApiClient, Timeouts
from sipstory_desktop.core.entries import EntryKind
from sipstory_desktop.core.secrets import SERVICE_NAME
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.times import utc_now
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.canned import default_channels
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.demo.memory_keyring import MemoryKeyring
from tests.support.properties import (
    FUZZ,
    base_urls,
    content_types,
    is_clean_text,
    json_scalars,
    json_values,
    serialized,
    statuses,
)

KEY = "5d" * 32
BASE = "https://sipstory.example.com/api/public/v1"
URL = BASE + INTEGRATIONS_PATH
JSON = "application/json; charset=utf-8"
WHEN = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)

IDENTIFIERS = {
    "x": "X",
    "linkedin": "LinkedIn",
    "linkedin-page": "LinkedIn Page",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "instagram-standalone": "Instagram Standalone",
    "threads": "Threads",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "warpcast": "Warpcast",
    "nostr": "Nostr",
    "vk": "VK",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "reddit": "Reddit",
    "lemmy": "Lemmy",
    "discord": "Discord",
    "slack": "Slack",
    "telegram": "Telegram",
    "pinterest": "Pinterest",
    "dribbble": "Dribbble",
    "medium": "Medium",
    "devto": "Dev.to",
    "hashnode": "Hashnode",
    "wordpress": "WordPress",
    "gmb": "Google My Business",
    "listmonk": "Listmonk",
}


def _item(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "c1",
        "name": "Acme on X",
        "identifier": "x",
        "picture": "https://cdn.example.com/a.png",
        "disabled": False,
        "profile": "acme",
        "customer": {"id": "cu1", "name": "Acme Marketing"},
    }
    item.update(changes)
    return {k: v for k, v in item.items() if v is not _DROP}


_DROP = object()


def _fetch(client: ApiClient) -> ChannelsResult:
    return fetch_channels(client, BASE, KEY)


# --- platforms -------------------------------------------------------------------------------


def test_the_27_platforms_of_the_api_description() -> None:
    assert len(PLATFORMS) == 27
    assert {k: p.name for k, p in PLATFORMS.items()} == IDENTIFIERS


@pytest.mark.parametrize(("identifier", "name"), sorted(IDENTIFIERS.items()))
def test_platform_of_each_identifier(identifier: str, name: str) -> None:
    platform = platform_of(identifier)
    assert platform.identifier == identifier
    assert platform.name == name
    assert platform.known
    assert platform.category is not Category.OTHER
    assert 1 <= len(platform.monogram) <= 3
    assert platform.color.startswith("#")
    assert len(platform.color) == 7


def test_every_platform_has_a_distinct_name_and_icon() -> None:
    platforms = [platform_of(identifier) for identifier in IDENTIFIERS]
    assert len({p.name for p in platforms}) == 27
    assert len({(p.monogram, p.color) for p in platforms}) == 27


def test_platforms_fall_in_the_categories_of_the_api_description() -> None:
    counts: dict[Category, int] = {}
    for platform in PLATFORMS.values():
        counts[platform.category] = counts.get(platform.category, 0) + 1
    assert counts == {
        Category.SOCIAL: 12,
        Category.VIDEO: 2,
        Category.COMMUNITY: 5,
        Category.DESIGN: 2,
        Category.BLOGGING: 4,
        Category.BUSINESS: 2,
    }


def test_identifiers_are_read_loosely_and_aliases_known() -> None:
    assert platform_of("LinkedIn-Page ").name == "LinkedIn Page"
    assert platform_of("wrapcast") is PLATFORMS["warpcast"]  # the backend's own spelling
    for alias, target in ALIASES.items():
        assert platform_of(alias) is PLATFORMS[target]


def test_an_unknown_identifier_gets_a_generic_platform() -> None:
    platform = platform_of("myspace")
    assert platform.name == "myspace"
    assert platform.identifier == "myspace"
    assert platform.category is Category.OTHER
    assert not platform.known
    assert platform.monogram == "M"
    hostile = platform_of("\x1b[31mevil" + "x" * 10_000)
    assert "\x1b" not in hostile.name
    assert len(hostile.name) <= MAX_TEXT_LENGTH
    assert platform_of("").name == "Unknown"


# --- reading channels ------------------------------------------------------------------------


def test_a_channel_as_the_api_gives_it() -> None:
    channel = Channel.from_dict(_item())
    assert channel == Channel(
        id="c1",
        name="Acme on X",
        identifier="x",
        picture="https://cdn.example.com/a.png",
        disabled=False,
        profile="acme",
        customer="Acme Marketing",
    )
    assert channel.platform.name == "X"
    assert Channel.from_dict(channel.to_dict()) == channel
    assert channel.to_json()["platform"] == "X"
    assert channel.to_json()["category"] == "social"


@pytest.mark.parametrize(
    "item",
    [
        None,
        1,
        "x",
        [],
        [_item()],
        {},
        _item(id=_DROP),
        _item(id=""),
        _item(id=None),
        _item(id={"a": 1}),
        _item(id=True),
        _item(identifier=_DROP),
        _item(identifier=7),
        _item(identifier=["x"]),
        _item(identifier="   "),
        _item(disabled="yes"),
        _item(disabled=1),
    ],
)
def test_what_cannot_be_a_channel_is_refused(item: Any) -> None:
    with pytest.raises(ValueError):
        Channel.from_dict(item)


def test_odd_optional_fields_are_read_as_empty() -> None:
    channel = Channel.from_dict(
        _item(name=["x"], picture=5, profile={"a": 1}, disabled=None, customer=[1], id=42)
    )
    assert channel.id == "42"
    assert channel.name == "X"  # no name, no profile: the platform's name
    assert channel.picture == ""
    assert channel.profile == ""
    assert channel.disabled is False
    assert channel.customer is None
    bare = Channel.from_dict({"id": "c9", "identifier": "bluesky", "profile": "me.bsky.social"})
    assert bare.name == "me.bsky.social"
    assert bare.customer is None
    assert Channel.from_dict(_item(customer="Acme")).customer == "Acme"
    assert Channel.from_dict(_item(customer={"id": "cu1"})).customer == "cu1"


def test_text_from_the_server_is_cleaned_and_cut() -> None:
    channel = Channel.from_dict(
        _item(
            name="\x1b[2J\x1b[31mEvil\u202e name\x00",
            profile="p" * 60_000,
            picture="javascript:alert(1)",
        )
    )
    assert channel.name == "[2J[31mEvil name"
    assert len(channel.profile) == MAX_TEXT_LENGTH
    assert channel.picture == ""


def test_parse_skips_malformed_items_and_counts_them() -> None:
    items: list[Any] = [
        _item(id="a"),
        1,
        "x",
        None,
        [],
        {},
        _item(id="b", disabled="no"),
        _item(id="c", identifier="bluesky"),
    ]
    channels, skipped = parse_channels(items)
    assert [c.id for c in channels] == ["a", "c"]
    assert skipped == 6


def test_parse_reads_at_most_max_channels() -> None:
    channels, skipped = parse_channels([_item(id=str(i)) for i in range(MAX_CHANNELS + 5)])
    assert len(channels) == MAX_CHANNELS
    assert skipped == 5


# --- fetching over responses -----------------------------------------------------------------


def test_fetch_reads_the_channels(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, json=[_item(), _item(id="c2", identifier="youtube", disabled=True)])
    result = _fetch(client)
    assert result.ok
    assert result.channels is not None
    assert [(c.id, c.platform.name, c.disabled) for c in result.channels] == [
        ("c1", "X", False),
        ("c2", "YouTube", True),
    ]
    assert result.skipped == 0
    assert result.check.status is Status.CONNECTED
    assert result.check.http_status == 200
    assert result.check.latency_ms is not None
    assert result.check.counted
    assert "2 channels" in result.check.message
    assert result.fetched_at == result.check.checked_at
    request = mocked.calls[0].request
    assert request.headers["Authorization"] == KEY  # raw, no Bearer
    assert request.url == URL


def test_an_empty_list_is_no_channels(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, json=[])
    result = _fetch(client)
    assert result.channels == []
    assert result.check.ok
    assert "0 channels" in result.check.message


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "counted"),
    [
        (401, {"msg": "Invalid API key"}, {}, Status.INVALID_KEY, False),
        (401, {"msg": "No subscription found"}, {}, Status.NO_SUBSCRIPTION, False),
        (401, {"msg": "No API Key found"}, {}, Status.INVALID_KEY, False),
        (401, None, {}, Status.INVALID_KEY, False),
        (403, {"message": "Forbidden"}, {}, Status.INVALID_KEY, False),
        (
            429,
            {"statusCode": 429, "message": "ThrottlerException: Too Many Requests"},
            {"Retry-After": "600"},
            Status.RATE_LIMITED,
            True,
        ),
        (
            500,
            {"statusCode": 500, "message": "Internal server error"},
            {},
            Status.SERVER_ERROR,
            True,
        ),
        (402, {"statusCode": 402, "message": "Payment Required"}, {}, Status.UNEXPECTED, True),
        (418, {"message": "teapot"}, {}, Status.UNEXPECTED, True),
        (
            301,
            None,
            {"Location": "https://elsewhere.example.com/api/public/v1/integrations"},
            Status.REDIRECTED,
            False,
        ),
    ],
)
def test_failures_are_classified_like_a_check(
    mocked: responses.RequestsMock,
    client: ApiClient,
    status: int,
    body: Any,
    headers: dict[str, str],
    expected: Status,
    counted: bool,
) -> None:
    if body is None:
        mocked.get(URL, status=status, headers=headers, body=b"")
    else:
        mocked.get(URL, status=status, headers=headers, json=body)
    result = _fetch(client)
    assert result.channels is None
    assert not result.ok
    assert result.cache is None
    assert result.check.status is expected
    assert result.check.http_status == status
    assert result.check.counted is counted
    assert result.check.message
    if expected is Status.RATE_LIMITED:
        assert result.check.retry_at is not None
    if expected is Status.REDIRECTED:
        assert result.check.location == headers["Location"]


def test_a_web_page_is_not_the_api(mocked: responses.RequestsMock, client: ApiClient) -> None:
    web = "https://sipstory.example.com"
    mocked.get(
        web + INTEGRATIONS_PATH, body=b"<!DOCTYPE html><html></html>", content_type="text/html"
    )
    result = fetch_channels(client, web, KEY)
    assert result.check.status is Status.NOT_API
    assert result.check.suggested_base_url == BASE
    assert not result.check.counted


def test_a_404_names_the_integrations_path(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, status=404, json={"message": "Cannot GET /public/v1/integrations"})
    result = _fetch(client)
    assert result.check.status is Status.NOT_API
    assert URL in result.check.message
    assert "is-connected" not in result.check.message


def test_plain_text_is_not_the_api(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, body="OK", content_type="text/plain")
    assert _fetch(client).check.status is Status.NOT_API


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (requests.exceptions.ConnectionError("refused"), Status.UNREACHABLE),
        (requests.exceptions.ReadTimeout("slow"), Status.TIMEOUT),
        (
            requests.exceptions.SSLError(ssl.SSLCertVerificationError("self-signed certificate")),
            Status.TLS_ERROR,
        ),
    ],
)
def test_transport_failures_are_classified_like_a_check(
    mocked: responses.RequestsMock, client: ApiClient, error: Exception, expected: Status
) -> None:
    mocked.get(URL, body=error)
    result = _fetch(client)
    assert result.channels is None
    assert result.check.status is expected
    assert result.check.http_status is None


# --- hostile JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "said"),
    [
        ({"connected": True}, "JSON object (connected)"),
        ({"items": []}, "JSON object (items)"),
        ({}, "empty JSON object"),
        ("channels", "JSON string"),
        (3, "JSON number"),
        (2.5, "JSON number"),
        (True, "JSON boolean"),
        (None, "JSON null"),
    ],
)
def test_json_that_is_not_a_list_is_unexpected(
    mocked: responses.RequestsMock, client: ApiClient, document: Any, said: str
) -> None:
    mocked.get(URL, body=json.dumps(document), content_type=JSON)
    result = _fetch(client)
    assert result.channels is None
    assert result.check.status is Status.UNEXPECTED
    assert said in result.check.message
    assert result.check.counted  # it reached the API


def test_keys_of_a_hostile_object_are_shown_cleaned(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, json={"\x1b[2J" + "k" * 500: 1})
    message = _fetch(client).check.message
    assert "\x1b" not in message
    assert len(message) < 200


@pytest.mark.parametrize(
    "body",
    [b"[{", b"\xff\xfe[]", b"[" * 60_000, b""],
)
def test_json_that_cannot_be_read_is_unexpected(
    mocked: responses.RequestsMock, client: ApiClient, body: bytes
) -> None:
    mocked.get(URL, body=body, content_type=JSON)
    result = _fetch(client)
    assert result.channels is None
    assert result.check.status is Status.UNEXPECTED


def test_deeply_nested_json_does_not_crash(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    nested = b"[" * 30_000 + b"]" * 30_000  # valid JSON, 60 KB, deeper than the recursion limit
    mocked.get(URL, body=nested, content_type=JSON)
    assert _fetch(client).check.status is Status.UNEXPECTED
    mocked.replace(responses.GET, URL, json=[_item(customer=[[[[[]]]]], name={"a": {"b": {}}})])
    result = _fetch(client)
    assert result.channels is not None
    assert result.channels[0].customer is None


def test_a_60_kb_list_is_read_in_full(mocked: responses.RequestsMock, client: ApiClient) -> None:
    items = [_item(id=f"c{i}", name=f"Channel {i}", profile="p" * 180) for i in range(165)]
    body = json.dumps(items).encode()
    assert 55_000 < len(body) < MAX_BODY_BYTES
    mocked.get(URL, body=body, content_type=JSON)
    result = _fetch(client)
    assert result.channels is not None
    assert len(result.channels) == 165


def test_a_single_60_kb_field_is_cut(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, json=[_item(name="n" * 60_000)])
    result = _fetch(client)
    assert result.channels is not None
    assert len(result.channels[0].name) == MAX_TEXT_LENGTH


def test_a_list_larger_than_the_cap_is_unexpected_not_misread(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    items = [_item(id=f"c{i}", profile="p" * 180) for i in range(400)]
    mocked.get(URL, json=items)
    result = _fetch(client)
    assert result.channels is None
    assert result.check.status is Status.UNEXPECTED
    assert "64 KB" in result.check.message


def test_malformed_items_are_skipped_and_counted(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(
        URL,
        json=[
            _item(id="good"),
            "x",
            7,
            None,
            [],
            {"id": "no-identifier"},
            _item(id=None),
            _item(id="bad-disabled", disabled="true"),
            _item(id="also-good", identifier="myspace"),
        ],
    )
    result = _fetch(client)
    assert result.channels is not None
    assert [c.id for c in result.channels] == ["good", "also-good"]
    assert result.skipped == 7
    assert "7 item(s)" in result.check.message
    assert result.check.ok


def test_a_wrong_status_with_a_list_is_unexpected(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, json=[_item()], status=201)
    result = _fetch(client)
    assert result.channels is None
    assert result.check.status is Status.UNEXPECTED


# --- the cache -------------------------------------------------------------------------------


def test_cache_round_trip_through_json() -> None:
    channels = (Channel.from_dict(_item()), Channel.from_dict(_item(id="c2", customer=None)))
    caches = {"entry-1": ChannelCache(WHEN, channels), "entry-2": ChannelCache(WHEN, ())}
    stored = json.loads(json.dumps(cache_to_dict(caches)))
    assert stored["entry-1"]["fetched_at"] == "2026-11-28T12:00:00Z"
    assert stored["entry-1"]["channels"][0]["customer"] == "Acme Marketing"
    assert cache_from_dict(stored) == caches


def test_a_successful_fetch_gives_a_cache(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, json=[_item()])
    result = _fetch(client)
    cache = result.cache
    assert cache is not None
    assert cache.fetched_at == result.fetched_at
    assert list(cache.channels) == result.channels
    assert cache_from_dict(cache_to_dict({"e": cache})) == {"e": cache}


@pytest.mark.parametrize("data", [None, [], "x", 3, {"e": None}, {"e": []}, {"e": "x"}])
def test_a_damaged_cache_reads_as_empty(data: Any) -> None:
    assert cache_from_dict(data) == {}


def test_damaged_parts_of_a_cache_are_skipped() -> None:
    good = ChannelCache(WHEN, (Channel.from_dict(_item()),)).to_dict()
    data = {
        "good": good,
        "no-time": {"channels": good["channels"]},
        "bad-time": {"fetched_at": "yesterday", "channels": []},
        "time-not-text": {"fetched_at": 12, "channels": []},
        "channels-not-list": {"fetched_at": "2026-11-28T12:00:00Z", "channels": {"a": 1}},
        "some-bad-channels": {
            "fetched_at": "2026-11-28T12:00:00Z",
            "channels": [*good["channels"], 1, {"id": "x"}, None],
        },
        7: good,
    }
    caches = cache_from_dict(data)
    assert set(caches) == {"good", "channels-not-list", "some-bad-channels", "7"}
    assert caches["channels-not-list"].channels == ()
    assert caches["some-bad-channels"] == caches["good"]


# --- against a real test server --------------------------------------------------------------


@pytest.fixture(params=["proxy", "backend"])
def server(request: pytest.FixtureRequest) -> Iterator[SipstoryTestServer]:
    with SipstoryTestServer(layout=request.param, slow_seconds=5.0) as running:
        running.add_key(KEY, org="acme")
        yield running


@pytest.mark.usefixtures("no_proxy")
def test_the_default_channels_of_a_real_server(
    server: SipstoryTestServer, client: ApiClient
) -> None:
    result = fetch_channels(client, server.api_base, KEY)
    assert result.check.status is Status.CONNECTED
    assert result.channels is not None
    expected = [Channel.from_dict(item) for item in default_channels("acme")]
    assert result.channels == expected
    assert {c.platform.name for c in result.channels} == {
        "X",
        "LinkedIn Page",
        "Bluesky",
        "Mastodon",
        "YouTube",
    }
    assert [c.disabled for c in result.channels].count(True) == 1
    assert sum(1 for c in result.channels if c.customer == "Acme Marketing") == 2
    sent = [r for r in server.requests if r.path.endswith(INTEGRATIONS_PATH)]
    assert len(sent) == 1  # one request per fetch
    assert sent[0].headers.get("Authorization") == KEY


@pytest.mark.usefixtures("no_proxy")
def test_channels_set_on_a_real_server(server: SipstoryTestServer, client: ApiClient) -> None:
    server.set_channels(
        "acme",
        [
            _item(id="a", identifier="gmb", name="Shop"),
            {"not": "a channel"},
            _item(id="b", identifier="wrapcast", disabled=True, customer=None),
        ],
    )
    result = fetch_channels(client, server.api_base, KEY)
    assert result.channels is not None
    assert [(c.id, c.platform.name, c.disabled) for c in result.channels] == [
        ("a", "Google My Business", False),
        ("b", "Warpcast", True),
    ]
    assert result.skipped == 1
    server.set_channels("acme", {"items": []})  # type: ignore[arg-type]
    assert fetch_channels(client, server.api_base, KEY).check.status is Status.UNEXPECTED


@pytest.mark.usefixtures("no_proxy")
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("rotated", Status.INVALID_KEY),
        ("no_subscription", Status.NO_SUBSCRIPTION),
        ("lookup_failed", Status.INVALID_KEY),
    ],
)
def test_rejected_keys_on_a_real_server(
    server: SipstoryTestServer, client: ApiClient, state: Any, expected: Status
) -> None:
    server.add_key(KEY, org="acme", state=state)
    result = fetch_channels(client, server.api_base, KEY)
    assert result.channels is None
    assert result.check.status is expected
    assert not result.check.counted


@pytest.mark.usefixtures("no_proxy")
def test_unknown_and_bearer_keys_on_a_real_server(
    server: SipstoryTestServer, client: ApiClient
) -> None:
    assert fetch_channels(client, server.api_base, "ab" * 32).check.status is Status.INVALID_KEY
    bearer = fetch_channels(client, server.api_base, "Bearer " + KEY)
    assert bearer.check.status is Status.INVALID_KEY


@pytest.mark.usefixtures("no_proxy")
def test_rate_limited_on_a_real_server(server: SipstoryTestServer, client: ApiClient) -> None:
    server.set_rate_limit("acme", 1)
    first = fetch_channels(client, server.api_base, KEY)
    assert first.check.ok
    assert first.check.rate_limit is not None
    assert first.check.rate_limit.remaining == 0
    second = fetch_channels(client, server.api_base, KEY)
    assert second.channels is None
    assert second.check.status is Status.RATE_LIMITED
    assert second.check.retry_at is not None
    assert second.check.counted


@pytest.mark.usefixtures("no_proxy")
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("server_error", Status.SERVER_ERROR),
        ("bad_gateway", Status.SERVER_ERROR),
        ("redirect", Status.REDIRECTED),
        ("non_json", Status.NOT_API),
        ("html", Status.NOT_API),
        ("not_connected", Status.UNEXPECTED),
        ("payment_required", Status.UNEXPECTED),
        ("reset", Status.UNREACHABLE),
    ],
)
def test_faults_of_a_real_server(
    server: SipstoryTestServer, client: ApiClient, fault: str, expected: Status
) -> None:
    server.fault = fault
    result = fetch_channels(client, server.api_base, KEY)
    assert result.channels is None
    assert result.check.status is expected


@pytest.mark.usefixtures("no_proxy")
def test_a_slow_real_server_times_out(server: SipstoryTestServer) -> None:
    server.fault = "slow"
    result = fetch_channels(ApiClient(Timeouts(connect=1.0, read=0.3)), server.api_base, KEY)
    assert result.channels is None
    assert result.check.status is Status.TIMEOUT


@pytest.mark.usefixtures("no_proxy")
def test_the_web_app_of_a_real_server(client: ApiClient) -> None:
    with SipstoryTestServer(layout="proxy") as running:
        running.add_key(KEY, org="acme")
        result = fetch_channels(client, running.url + "/public/v1", KEY)
        assert result.check.status is Status.NOT_API
        assert result.check.suggested_base_url == running.url + "/api/public/v1"


@pytest.mark.usefixtures("no_proxy")
def test_nothing_listening(client: ApiClient) -> None:
    with SipstoryTestServer() as running:
        base = running.api_base
    result = fetch_channels(client, base, KEY)
    assert result.check.status is Status.UNREACHABLE
    assert result.channels is None


# --- any answer --------------------------------------------------------------------------------
# read_channels_answer and fetch_channels on any JSON never raise, and what they keep is
# clean and survives a trip through state.json.


def _mostly(usual: st.SearchStrategy[Any], other: st.SearchStrategy[Any]) -> Any:
    """``usual`` four times in five, else ``other``."""
    return st.integers(0, 4).flatmap(lambda n: usual if n else other)


_odd_texts = st.sampled_from(
    [
        "",
        " ",
        "\x1b[31mred\x1b[0m",
        "\u202eevil",
        "n" * 300,
        " padded " + "p" * 195 + " end",
        "tab\there",
        "名前",
        "\x00",
        "\r\n",
    ]
)
_channel_text = st.one_of(st.text(max_size=20), _odd_texts, json_scalars)
_channel_likes = _mostly(
    st.fixed_dictionaries(
        {
            "id": _mostly(st.uuids().map(str), st.one_of(st.integers(-5, 10**6), _channel_text)),
            "identifier": _mostly(
                st.sampled_from(
                    [
                        "x",
                        "linkedin-page",
                        "bluesky",
                        "wrapcast",
                        "Twitter",
                        " x ",
                        "unknown-platform",
                    ]
                ),
                _channel_text,
            ),
        },
        optional={
            "name": _channel_text,
            "picture": st.one_of(
                st.sampled_from(
                    [
                        "https://cdn.example/p.png",
                        "javascript:x",
                        "HTTP://X/p",
                        "http://x/" + "p" * 3000,
                    ]
                ),
                _channel_text,
            ),
            "disabled": st.one_of(st.booleans(), st.none(), json_scalars),
            "profile": _channel_text,
            "customer": st.one_of(
                st.fixed_dictionaries({}, optional={"id": _channel_text, "name": _channel_text}),
                _channel_text,
            ),
        },
    ),
    json_scalars,
)
_channel_bodies = _mostly(
    st.lists(_channel_likes, max_size=4).map(serialized),
    st.one_of(
        json_values.map(serialized),
        st.binary(max_size=100),
        st.sampled_from(
            [b"[]", b"{}", b"null", b"[" * 3000, b"[{}]", b'[{"id": 1, "identifier": "x"}]']
        ),
    ),
)


class _StubClient:
    """An ApiClient that answers every request with one fixed answer."""

    timeouts = Timeouts(1.0, 1.0)

    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    def get(self, base_url: str, path: str, key: str | None) -> Answer:
        return self.answer


@FUZZ
@given(
    status=_mostly(st.just(200), statuses),
    content_type=_mostly(st.just("application/json; charset=utf-8"), content_types),
    body=_channel_bodies,
    truncated=_mostly(st.just(False), st.booleans()),
    base=base_urls,
)
def test_read_channels_answer_never_raises_and_keeps_clean_channels(
    status: int, content_type: str, body: bytes, truncated: bool, base: str
) -> None:
    answer = Answer(
        status, CaseInsensitiveDict({"Content-Type": content_type}), body, truncated, 12
    )
    fetched = read_channels_answer(answer, base, now=WHEN)
    assert isinstance(fetched.check.status, Status)
    assert fetched.check.message
    assert fetched.ok == (fetched.channels is not None)
    if fetched.channels is None:
        event(f"failed: {fetched.check.status.value}")
        assert fetched.cache is None
        assert fetched.check.status is not Status.CONNECTED
    else:
        event(f"{len(fetched.channels)} channels, {fetched.skipped} skipped")
        assert status == 200 and not truncated
        assert fetched.check.status is Status.CONNECTED
        items = json.loads(body.decode("utf-8"))
        assert len(fetched.channels) + fetched.skipped == len(items)
        assert len(fetched.channels) <= MAX_CHANNELS
        for channel in fetched.channels:
            assert channel.id and channel.identifier and channel.name
            for text in (
                channel.id,
                channel.identifier,
                channel.name,
                channel.profile,
                channel.customer or "",
            ):
                assert len(text) <= MAX_TEXT_LENGTH and is_clean_text(text)
            assert len(channel.picture) <= MAX_PICTURE_LENGTH and is_clean_text(channel.picture)
            assert channel.picture == "" or channel.picture.lower().startswith("http")
            channel.to_json()  # the platform of any identifier can be named
        # what is kept survives state.json: every channel comes back, by id, in order
        assert fetched.cache is not None
        stored = json.loads(json.dumps(cache_to_dict({"e": fetched.cache})))
        back = cache_from_dict(stored)["e"]
        assert back.fetched_at == fetched.cache.fetched_at
        assert len(back.channels) == len(fetched.channels)
    # fetch_channels on the same answer reads it without reaching its safety net
    through_fetch = fetch_channels(_StubClient(answer), base, "k" * 64)  # type: ignore[arg-type]
    assert "could not be read:" not in through_fetch.check.message
    assert through_fetch.check.status is fetched.check.status


# --- refresh_channels: what the window's Refresh and `sipstory-keys channels` share ----------


@pytest.mark.usefixtures("no_proxy")
def test_refresh_fetches_with_the_stored_key_and_keeps_the_list(
    vault: Vault, client: ApiClient
) -> None:
    with SipstoryTestServer() as running:
        running.add_key(KEY, org="acme")
        saved = vault.add("Acme", EntryKind.CUSTOM, running.api_base, KEY)
        fetched = refresh_channels(client, vault, saved.entry)
        assert fetched.channels is not None and fetched.check.status is Status.CONNECTED
        state = vault.load_state()
        assert state.channels[saved.entry.id].channels == tuple(fetched.channels)
        assert state.latest(saved.entry.id) == fetched.check  # the entry's latest result
        assert sum(1 for r in running.requests if r.path.endswith(INTEGRATIONS_PATH)) == 1


@pytest.mark.usefixtures("no_proxy")
def test_refresh_after_a_429_sends_nothing_unless_forced(vault: Vault, client: ApiClient) -> None:
    with SipstoryTestServer() as running:
        running.add_key(KEY, org="acme")
        saved = vault.add("Acme", EntryKind.CUSTOM, running.api_base, KEY)
        throttled = CheckResult(
            Status.RATE_LIMITED, "slow down", http_status=429, retry_at=utc_now() + timedelta(1)
        )
        vault.record([(saved.entry.id, throttled)])

        held = refresh_channels(client, vault, saved.entry)
        assert held.channels is None and held.check.status is Status.RATE_LIMITED
        assert held.check.request_sent is False
        assert not any(r.path.endswith(INTEGRATIONS_PATH) for r in running.requests)
        assert vault.load_state().latest(saved.entry.id) == throttled  # nothing kept of it

        forced = refresh_channels(client, vault, saved.entry, force=True)
        assert forced.channels is not None
        assert sum(1 for r in running.requests if r.path.endswith(INTEGRATIONS_PATH)) == 1


def test_refresh_without_a_stored_key_says_so(
    vault: Vault, client: ApiClient, memory_keyring: MemoryKeyring
) -> None:
    saved = vault.add("Acme", EntryKind.CLOUD, "", KEY)
    memory_keyring.delete_password(SERVICE_NAME, saved.entry.id)  # removed by another program
    with pytest.raises(NoKeyError):
        refresh_channels(client, vault, saved.entry)
