"""Properties over any input: URL rules, key cleaning, config loading, classification."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from sipstory_desktop.core.classify import classify_answer
from sipstory_desktop.core.client import Answer
from sipstory_desktop.core.config import ConfigError, ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.keys import MAX_KEY_LENGTH, InvalidKeyText, clean_key
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.urls import (
    UrlError,
    base_url_for_instance,
    normalize_base_url,
    origin_of,
    plain_http_warning,
    suggest_api_base,
)

MANY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)

# --- URLs ------------------------------------------------------------------------------------

_schemes = st.sampled_from(["http", "https", "HTTPS", "Http", "ftp", "file", "javascript", ""])
_separators = st.sampled_from(["://", "://", "://", ":", ":/", "//", ""])
_userinfo = st.sampled_from(["", "", "", "user@", "user:pass@", "@", ":@"])
_label = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?", fullmatch=True)
_hosts = st.one_of(
    st.lists(_label, min_size=1, max_size=4).map(".".join),
    st.sampled_from(
        [
            "localhost",
            "127.0.0.1",
            "[::1]",
            "[::1",
            "::1",
            "[fe80::1%25eth0]",
            "bücher.example",
            "exa_mple.com",
            "-x.com",
            "x..com",
            "x.com.",
            "999.1.1.1",
            "",
            "%41.com",
            "xn--bcher-kva.example",
        ]
    ),
    st.text(max_size=12),
)
_ports = st.one_of(
    st.just(""),
    st.integers(-5, 70_000).map(lambda p: f":{p}"),
    st.text(max_size=4).map(lambda t: ":" + t),
)
_segments = st.one_of(
    st.sampled_from(["api", "public", "v1", "", "API", "%20", ".."]), st.text(max_size=5)
)
_paths = st.one_of(st.just(""), st.lists(_segments, max_size=5).map(lambda s: "/" + "/".join(s)))
_suffixes = st.sampled_from(["", "", "/", "//", "?", "?a=1", "#", "#top", " ", "\n", "\t", "\x00"])
_urlish = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", "", " "]),
    _schemes,
    _separators,
    _userinfo,
    _hosts,
    _ports,
    _paths,
    _suffixes,
)
_wellformed = st.builds(
    lambda scheme, host, port, path, slash: f"{scheme}://{host}{port}{path}{slash}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.one_of(
        st.lists(_label, min_size=1, max_size=4).map(".".join),
        st.sampled_from(["localhost", "127.0.0.1", "[::1]", "bücher.example"]),
    ),
    st.one_of(st.just(""), st.integers(1, 65_535).map(lambda p: f":{p}")),
    st.lists(st.sampled_from(["api", "public", "v1", "x", "A%20b", ""]), max_size=4).map(
        lambda parts: "".join("/" + p for p in parts)
    ),
    st.sampled_from(["", "/", "//"]),
)
_any_text = st.one_of(st.text(), _urlish, _wellformed, _wellformed.map(lambda u: u.split("://")[1]))


@MANY
@given(_any_text)
@example("https://x.com/")
@example("HTTP://LOCALHOST:4007/api/public/v1/")
@example("   ")
def test_normalize_base_url_raises_only_url_error_and_is_idempotent(text: str) -> None:
    try:
        url = normalize_base_url(text)
    except UrlError as exc:
        assert str(exc)
        event("rejected")
        return
    event("accepted")
    assert normalize_base_url(url) == url
    assert url.split("://", 1)[0] in ("http", "https")
    assert not url.endswith("/")
    assert "?" not in url
    assert "#" not in url
    assert "@" not in url.split("/", 3)[2]
    # what is accepted can be used everywhere else without an error
    assert origin_of(url).host
    plain_http_warning(url)
    suggest_api_base(url)


@MANY
@given(_any_text)
@example("sipstory.example.com")
@example("http://localhost:3000/public/v1/")
@example("localhost:4007")
def test_base_url_for_instance_raises_only_url_error_and_is_idempotent(text: str) -> None:
    try:
        url = base_url_for_instance(text)
    except UrlError as exc:
        assert str(exc)
        event("rejected")
        return
    event("accepted")
    assert url.endswith("/public/v1")
    assert base_url_for_instance(url) == url
    assert normalize_base_url(url) == url
    # https unless the address itself said http://
    if url.startswith("http://"):
        assert text.strip().lower().startswith("http://")


# --- keys ------------------------------------------------------------------------------------


@MANY
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127)),
        st.builds(
            lambda pre, key, post: pre + key + post,
            st.sampled_from(["", " ", "Bearer ", "bearer\t", "BEARER", "\n"]),
            st.text(alphabet="0123456789abcdef", max_size=70),
            st.sampled_from(["", " ", "\n", "\x00", "é", " x"]),
        ),
        st.text(alphabet="ab", min_size=MAX_KEY_LENGTH - 2, max_size=MAX_KEY_LENGTH + 2),
    )
)
def test_clean_key_raises_only_invalid_key_text(text: str) -> None:
    try:
        cleaned = clean_key(text)
    except InvalidKeyText as exc:
        message = str(exc)
        assert message
        core = text.strip()
        if len(core) >= 8:
            leaked = core in message
            assert not leaked, "the pasted text appears in the error"
        return
    key = cleaned.key
    # booleans only: a failure must not print the key (hypothesis shows the input anyway)
    plain = bool(key) and key.isascii() and len(key) <= MAX_KEY_LENGTH
    assert plain, "an empty, non-ASCII or too long key was accepted"
    odd = any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in key)
    assert not odd, "a key with spaces or control characters was accepted"
    inside = key in text
    assert inside, "the cleaned key is not part of the pasted text"
    again = clean_key(key)
    same = again.key == key
    assert same, "cleaning a cleaned key changed it"
    assert again.notes == ()


# --- the config file -------------------------------------------------------------------------


def _load_and_check(raw: bytes) -> None:
    """Load ``raw`` as config.json: only ConfigError may escape, and the bytes survive."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        paths = AppPaths(data_dir=root, log_dir=root / "logs")
        paths.config_file.write_bytes(raw)
        store = ConfigStore(paths)
        try:
            entries = store.load()
        except ConfigError as exc:
            event("newer schema")
            assert str(exc)
            assert paths.config_file.read_bytes() == raw  # left untouched
            assert list(root.glob("config.json.corrupt-*")) == []
            return
        aside = list(root.glob("config.json.corrupt-*"))
        if store.notices:  # it was damaged: set aside, whole
            event("damaged")
            assert len(aside) == 1
            assert aside[0].read_bytes() == raw
            assert entries == []
        else:  # it was a valid config: untouched
            event(f"valid, {len(entries)} entries")
            assert aside == []
            assert paths.config_file.read_bytes() == raw
            assert all(isinstance(e, Entry) for e in entries)


@MANY
@given(st.binary(max_size=2_000))
@example(b"")
@example(b'{"schema": 1, "entries": []}')
@example(b'{"schema": 2}')
@example(b"\xef\xbb\xbf{}")
def test_config_load_on_any_bytes(raw: bytes) -> None:
    _load_and_check(raw)


_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
_good_entry = Entry(
    name="Acme", kind=EntryKind.CLOUD, base_url="https://api.sipstory.tech/public/v1"
).to_dict()
_entry_like = st.one_of(
    _json_values,
    st.dictionaries(
        st.sampled_from([*_good_entry, "other"]),
        st.one_of(_json_values, st.sampled_from([*_good_entry.values(), "cloud", "2026-01-01"])),
    ),
    st.just(_good_entry),
    st.builds(lambda k, v: {**_good_entry, k: v}, st.sampled_from(list(_good_entry)), _json_values),
    st.builds(
        lambda name, note, hint: {**_good_entry, "name": name, "note": note, "key_hint": hint},
        st.text(max_size=90),
        st.text(max_size=30),
        st.text(max_size=10),
    ),
)
_config_like = st.one_of(
    _json_values,
    st.fixed_dictionaries(
        {
            "schema": st.one_of(st.just(1), st.integers(-2, 3), _json_values),
            "entries": st.one_of(st.lists(_entry_like, max_size=4), _json_values),
        },
        optional={"extra": _json_values},
    ),
)


@MANY
@given(_config_like)
def test_config_load_on_any_json(document: Any) -> None:
    _load_and_check(json.dumps(document).encode())


# --- classification --------------------------------------------------------------------------

# Header values: any text (odd digits such as '²' included), numbers far too large for a
# timedelta, and HTTP-dates in GMT and in the zone-less '-0000' form.
_no_odd_digits = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_numbers = st.integers(-10, 10**20).map(str)
_http_dates = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(9999, 1, 1)).flatmap(
    lambda d: st.sampled_from(
        [d.strftime("%a, %d %b %Y %H:%M:%S GMT"), d.strftime("%a, %d %b %Y %H:%M:%S -0000")]
    )
)
_header_values = {
    "Content-Type": st.one_of(
        st.sampled_from(
            [
                "application/json",
                "application/json; charset=utf-8",
                "text/html",
                "text/plain",
                "",
                "application/problem+json",
            ]
        ),
        _no_odd_digits,
    ),
    "Retry-After": st.one_of(_numbers, _http_dates, _no_odd_digits),
    "X-RateLimit-Limit": st.one_of(_numbers, _no_odd_digits),
    "X-RateLimit-Remaining": st.one_of(_numbers, _no_odd_digits),
    "X-RateLimit-Reset": st.one_of(_numbers, _no_odd_digits),
    "Location": st.one_of(st.just("https://elsewhere.example/api/public/v1"), _no_odd_digits),
}
_headers = st.fixed_dictionaries({}, optional=_header_values)
_bodies = st.one_of(
    st.binary(max_size=300),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(
        [
            b'{"connected": true}',
            b'{"connected": false}',
            b'{"msg": "Invalid API key"}',
            b'{"msg": "No subscription found"}',
            b'{"msg": "No API Key found"}',
            b"<!DOCTYPE html><html></html>",
            b"",
            b"null",
        ]
    ),
)
_bases = st.sampled_from(
    [
        "https://api.sipstory.tech/public/v1",
        "https://sipstory.example.com",
        "https://sipstory.example.com/api/public/v1",
        "http://localhost:3000/public/v1",
        "http://[::1]:4007/api/public/v1",
    ]
)


@MANY
@given(
    status=st.one_of(st.sampled_from([200, 204, 401, 403, 404, 429, 302]), st.integers(100, 599)),
    headers=_headers,
    body=_bodies,
    truncated=st.booleans(),
    base=_bases,
)
@example(
    status=200,
    headers={"Content-Type": "application/json"},
    body=b'{"connected": true}',
    truncated=False,
    base="https://api.sipstory.tech/public/v1",
)
def test_classify_answer_never_raises(
    status: int, headers: dict[str, str], body: bytes, truncated: bool, base: str
) -> None:
    answer = Answer(status, CaseInsensitiveDict(headers), body, truncated, 7)
    result = classify_answer(answer, base, now=NOW)
    event(result.status.value)
    assert isinstance(result, CheckResult)
    assert isinstance(result.status, Status)
    assert result.message
    assert result.http_status == status
    assert result.ok == (result.status is Status.CONNECTED)
    if result.ok:
        assert status == 200
        assert not truncated
    if 300 <= status < 400:
        assert result.status is Status.REDIRECTED
    if status >= 500:
        assert result.status is Status.SERVER_ERROR
    if status == 429:
        assert result.status is Status.RATE_LIMITED
    if status in (401, 403):
        assert result.status in (Status.INVALID_KEY, Status.NO_SUBSCRIPTION)
        assert not result.counted
    # a result can always be stored and read back
    assert CheckResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
