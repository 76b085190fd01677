"""API base URLs: the cloud's, an instance's by its address, a custom one; and their rejections."""

from __future__ import annotations

import pytest
from hypothesis import event, example, given

from sipstory_desktop.core.urls import (
    BACKEND_API_PATH,
    CLOUD_BASE_URL,
    SELF_HOSTED_API_PATH,
    Origin,
    UrlError,
    base_url_for_instance,
    instance_address_of,
    is_local_host,
    normalize_base_url,
    origin_of,
    plain_http_warning,
    suggest_api_base,
)
from tests.support.properties import FUZZ, addresses, assert_valid_base_url


def test_cloud_base_url_is_the_documented_one() -> None:
    assert CLOUD_BASE_URL == "https://api.sipstory.tech/public/v1"
    assert SELF_HOSTED_API_PATH == "/api/public/v1"
    assert BACKEND_API_PATH == "/public/v1"


# --- instance addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("sipstory.example.com", "https://sipstory.example.com/api/public/v1"),
        ("sipstory.example.com/", "https://sipstory.example.com/api/public/v1"),
        ("  sipstory.example.com  ", "https://sipstory.example.com/api/public/v1"),
        ("https://sipstory.example.com", "https://sipstory.example.com/api/public/v1"),
        ("HTTPS://Sipstory.Example.COM", "https://sipstory.example.com/api/public/v1"),
        ("http://localhost:4007", "http://localhost:4007/api/public/v1"),
        ("localhost:4007", "https://localhost:4007/api/public/v1"),
        ("sipstory.example.com:8443", "https://sipstory.example.com:8443/api/public/v1"),
        ("http://192.168.1.20:5000/", "http://192.168.1.20:5000/api/public/v1"),
        ("http://[::1]:4007", "http://[::1]:4007/api/public/v1"),
        ("example.com/sipstory", "https://example.com/sipstory/api/public/v1"),
        # already the API base: kept as it is
        ("http://localhost:3000/public/v1", "http://localhost:3000/public/v1"),
        ("http://localhost:3000/public/v1/", "http://localhost:3000/public/v1"),
        (
            "https://sipstory.example.com/api/public/v1",
            "https://sipstory.example.com/api/public/v1",
        ),
        ("sipstory.example.com/api/public/v1/", "https://sipstory.example.com/api/public/v1"),
    ],
)
def test_base_url_for_instance(address: str, expected: str) -> None:
    assert base_url_for_instance(address) == expected


@pytest.mark.parametrize(
    ("base_url", "address"),
    [
        ("https://sipstory.example.com/api/public/v1", "sipstory.example.com"),
        ("https://example.com/sipstory/api/public/v1", "example.com/sipstory"),
        ("http://192.168.1.20:5000/api/public/v1", "http://192.168.1.20:5000"),
        ("http://[::1]:4007/api/public/v1", "http://[::1]:4007"),
        (CLOUD_BASE_URL, "api.sipstory.tech/public/v1"),  # resolves to itself, less https://
    ],
)
def test_instance_address_of_gives_the_address_that_resolves_back(
    base_url: str, address: str
) -> None:
    assert instance_address_of(base_url) == address
    assert base_url_for_instance(address) == base_url


def test_instance_address_of_a_base_url_no_address_resolves_to_is_the_base_url() -> None:
    # No address resolves to a base URL with a trailing slash: it comes back unchanged.
    assert instance_address_of("https://sipstory.example.com/api/public/v1/") == (
        "https://sipstory.example.com/api/public/v1/"
    )


def test_instance_address_gets_https_unless_it_says_http() -> None:
    assert base_url_for_instance("sipstory.example.com").startswith("https://")
    assert base_url_for_instance("http://sipstory.example.com").startswith("http://")


# --- custom base URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://api.sipstory.tech/public/v1", "https://api.sipstory.tech/public/v1"),
        ("https://api.sipstory.tech/public/v1/", "https://api.sipstory.tech/public/v1"),
        ("https://api.sipstory.tech/public/v1///", "https://api.sipstory.tech/public/v1"),
        ("  https://example.com/x  ", "https://example.com/x"),
        # taken as given: no /api added, no path changed
        ("http://localhost:3000", "http://localhost:3000"),
        ("https://example.com/Some/Path", "https://example.com/Some/Path"),
        ("https://example.com:8443/v1", "https://example.com:8443/v1"),
        ("http://127.0.0.1:4007/api/public/v1", "http://127.0.0.1:4007/api/public/v1"),
        ("http://[::1]:3000/public/v1", "http://[::1]:3000/public/v1"),
        ("https://bücher.example/api", "https://bücher.example/api"),
    ],
)
def test_normalize_base_url_keeps_the_url_less_trailing_slash(text: str, expected: str) -> None:
    assert normalize_base_url(text) == expected


def test_normalize_base_url_does_not_add_the_api_path() -> None:
    assert normalize_base_url("https://sipstory.example.com") == "https://sipstory.example.com"


# --- rejections ------------------------------------------------------------------------------

_BOTH = (normalize_base_url, base_url_for_instance)


@pytest.mark.parametrize("func", _BOTH)
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("https://", "no host"),
        ("https:///public/v1", "no host"),
        ("https://exa mple.com", "spaces"),
        ("https://example.com/a b", "spaces"),
        ("https://example.com/\tx", "spaces"),
        ("ftp://example.com", "ftp://"),
        ("file://example.com/x", "file://"),
        ("https://user:password@example.com", "user:password@"),
        ("https://user@example.com", "user name"),
        ("https://example.com/public/v1?key=1", "query"),
        ("https://example.com/public/v1?", "query"),
        ("https://example.com/public/v1#top", "fragment"),
        ("https://example.com/public/v1#", "fragment"),
        ("https://example.com:99999", "not a valid URL"),
        ("https://example.com:port", "not a valid URL"),
        ("https://exa_mple.com", "not valid"),
        ("https://-example.com", "not valid"),
        ("https://example..com", "not valid"),
        ("https://example.com\x00/x", "control characters"),
    ],
)
def test_rejections_say_what_is_wrong(func, text: str, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UrlError) as caught:
        func(text)
    assert words.lower() in str(caught.value).lower()


def test_normalize_base_url_needs_a_scheme() -> None:
    with pytest.raises(UrlError, match="scheme"):
        normalize_base_url("sipstory.example.com/api/public/v1")


def test_instance_address_in_the_error_message_is_named() -> None:
    with pytest.raises(UrlError, match="instance address"):
        base_url_for_instance("ftp://example.com")
    with pytest.raises(UrlError, match="base URL"):
        normalize_base_url("ftp://example.com")


def test_instance_address_with_a_bad_scheme_is_rejected_not_prefixed() -> None:
    with pytest.raises(UrlError, match="ftp://"):
        base_url_for_instance("ftp://sipstory.example.com")


def test_whitespace_only_instance_address_is_empty() -> None:
    with pytest.raises(UrlError, match="empty"):
        base_url_for_instance("   ")


def test_whitespace_only_base_url_is_reported_as_empty() -> None:
    with pytest.raises(UrlError, match="empty"):
        normalize_base_url("   ")


# --- plain http ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:4007/api/public/v1",
        "http://LOCALHOST:3000/public/v1",
        "http://127.0.0.1:4007/api/public/v1",
        "http://127.8.9.10/api/public/v1",
        "http://[::1]:3000/public/v1",
        "http://app.localhost/api/public/v1",
        "https://sipstory.example.com/api/public/v1",
        "https://10.0.0.5/api/public/v1",
        CLOUD_BASE_URL,
    ],
)
def test_no_plain_http_warning_for_this_machine_or_https(url: str) -> None:
    assert plain_http_warning(url) is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://sipstory.example.com/api/public/v1", "sipstory.example.com"),
        ("http://192.168.1.20:5000/api/public/v1", "192.168.1.20"),
        ("http://localhost.example.com/api/public/v1", "localhost.example.com"),
    ],
)
def test_plain_http_warning_for_another_host(url: str, host: str) -> None:
    warning = plain_http_warning(url)
    assert warning is not None
    assert host in warning
    assert "unencrypted" in warning
    assert "https://" in warning


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("localhost.", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("x.localhost", True),
        ("example.com", False),
        ("10.0.0.1", False),
        ("notlocalhost", False),
    ],
)
def test_is_local_host(host: str, local: bool) -> None:
    assert is_local_host(host) is local


# --- suggestions and origins -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "suggestion"),
    [
        ("https://sipstory.example.com", "https://sipstory.example.com/api/public/v1"),
        ("https://sipstory.example.com/public/v1", "https://sipstory.example.com/api/public/v1"),
        ("http://localhost:4007/public/v1", "http://localhost:4007/api/public/v1"),
        ("https://example.com/sipstory", "https://example.com/sipstory/api/public/v1"),
        ("https://sipstory.example.com/api/public/v1", None),
        ("https://api.sipstory.tech", CLOUD_BASE_URL),
        ("https://api.sipstory.tech/api/public/v1", CLOUD_BASE_URL),
        (CLOUD_BASE_URL, None),
    ],
)
def test_suggest_api_base(base: str, suggestion: str | None) -> None:
    assert suggest_api_base(base) == suggestion


@pytest.mark.parametrize(
    ("url", "origin", "text"),
    [
        (CLOUD_BASE_URL, Origin("https", "api.sipstory.tech", 443), "https://api.sipstory.tech"),
        ("http://localhost:4007/api", Origin("http", "localhost", 4007), "http://localhost:4007"),
        ("http://Example.COM/x", Origin("http", "example.com", 80), "http://example.com"),
        ("https://example.com:443/x", Origin("https", "example.com", 443), "https://example.com"),
        ("https://example.com:80/x", Origin("https", "example.com", 80), "https://example.com:80"),
        ("http://[::1]:3000/public/v1", Origin("http", "::1", 3000), "http://[::1]:3000"),
    ],
)
def test_origin_of(url: str, origin: Origin, text: str) -> None:
    assert origin_of(url) == origin
    assert str(origin_of(url)) == text


def test_same_instance_same_origin() -> None:
    a = origin_of(base_url_for_instance("sipstory.example.com"))
    b = origin_of("https://SIPSTORY.example.com:443/other")
    assert a == b
    assert a != origin_of("http://sipstory.example.com/api/public/v1")


# --- any text ----------------------------------------------------------------------------------


@FUZZ
@given(addresses)
@example("https://x.com/")
@example("HTTP://LOCALHOST:4007/api/public/v1/")
@example("   ")
@example("https://[fe80::1%25eth0]/")
def test_normalize_base_url_raises_only_url_error_and_is_idempotent(text: str) -> None:
    try:
        url = normalize_base_url(text)
    except UrlError as exc:
        assert str(exc)
        event("rejected")
        return
    event("accepted")
    assert_valid_base_url(url)  # idempotent among others
    # what is accepted can be used everywhere else without an error
    assert origin_of(url).host
    plain_http_warning(url)
    suggest_api_base(url)


@FUZZ
@given(addresses)
@example("sipstory.example.com")
@example("http://localhost:3000/public/v1/")
@example("localhost:4007")
@example("localhost:4007/sipstory/api")
def test_base_url_for_instance_raises_only_url_error_and_is_idempotent(text: str) -> None:
    try:
        url = base_url_for_instance(text)
    except UrlError as exc:
        assert str(exc)
        event("rejected")
        return
    event("accepted")
    assert_valid_base_url(url)
    assert url.endswith("/public/v1")
    assert base_url_for_instance(url) == url
    # https unless the address itself said http://
    if url.startswith("http://"):
        assert text.strip().lower().startswith("http://")
