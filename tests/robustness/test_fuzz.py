"""Fuzzing (hypothesis) of URL, config, state-file and server-response handling: 2000
examples each.

* URLs: ``normalize_base_url``, ``base_url_for_instance`` and ``find_url.candidates`` raise
  nothing but ``UrlError`` and are idempotent: what they return, given back, comes back
  unchanged, and is a valid base URL.
* The config file: ``ConfigStore.load`` on any bytes, and on any JSON shaped like a config
  (with or without a backup beside it), raises nothing but ``ConfigError``, never loses the
  damaged file (it is set aside, byte for byte, or left in place), and the store can be
  written afterwards, after which a fresh store reads back what was written.
* Server answers: ``classify_answer`` (and the keyless probe's ``classify_probe``) on any
  status, headers and body never raises, always gives a ``Status``, and ``connected`` only
  for 200 with a JSON content type and ``connected: true``; ``read_channels_answer`` and
  ``fetch_channels`` on any JSON never raise, and what they keep is clean and survives a
  trip through ``state.json``.

The whole file runs in well under a minute: small strategies, temp dirs in /dev/shm when
there is one (fsync is free there), no example database (nothing written outside tmp).
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from sipstory_desktop.core.channels import (
    MAX_CHANNELS,
    MAX_PICTURE_LENGTH,
    MAX_TEXT_LENGTH,
    cache_from_dict,
    cache_to_dict,
    fetch_channels,
    read_channels_answer,
)
from sipstory_desktop.core.classify import classify_answer
from sipstory_desktop.core.client import Answer, Timeouts
from sipstory_desktop.core.config import ConfigError, ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.fileio import backup_path
from sipstory_desktop.core.find_url import ProbeOutcome, candidates, classify_probe
from sipstory_desktop.core.jsonread import loads_in_pieces
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.urls import UrlError, base_url_for_instance, normalize_base_url

FUZZ = settings(
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
FAST_TMP = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None

# --- URLs ------------------------------------------------------------------------------------

_label = st.sampled_from(
    [
        "sipstory",
        "example",
        "com",
        "api",
        "x",
        "a-b",
        "my-host",
        "localhost",
        "Sipstory",
        "xn--bcher-kva",
        "0",
        "123",
        "tech",
        "internal",
    ]
)
_hosts = st.one_of(
    st.lists(_label, min_size=1, max_size=4).map(".".join),
    st.sampled_from(
        [
            "localhost",
            "LOCALHOST",
            "app.localhost",
            "127.0.0.1",
            "127.1",
            "0.0.0.0",  # noqa: S104
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[fe80::1%25eth0]",
            "[::1",
            "::1",
            "[]",
            "bücher.example",
            "xn--bcher-kva.example",
            "exa_mple.com",
            "-x.com",
            "x..com",
            "x.com.",
            ".x.com",
            "999.1.1.1",
            "1.2.3.4.5",
            "%41.com",
            "a" * 64 + ".com",
            "ex\u200bample.com",
            "例え.テスト",
            "",
        ]
    ),
    st.text(max_size=10),
)
_ports = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            ":",
            ":0",
            ":80",
            ":443",
            ":4007",
            ":65535",
            ":65536",
            ":-1",
            ":+1",
            ":٤٠٠٧",
            ": 80",
            ":0x50",
        ]
    ),
    st.integers(0, 70_000).map(lambda p: f":{p}"),
    st.text(max_size=4).map(lambda t: ":" + t),
)
_segments = st.one_of(
    st.sampled_from(
        [
            "api",
            "public",
            "v1",
            "API",
            "Public",
            "is-connected",
            "",
            ".",
            "..",
            "%2F",
            "%20",
            "sipstory",
            "~user",
            "a;b",
            "@",
            "é",
        ]
    ),
    st.text(max_size=5),
)
_paths = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "/api/public/v1",
            "/public/v1",
            "/api",
            "/api/public",
            "/api/public/v1/is-connected",
            "/x/api/public/v1/",
            "//api//public//v1",
        ]
    ),
    st.lists(_segments, max_size=5).map(lambda s: "/" + "/".join(s)),
)
_urlish = st.builds(
    lambda lead, scheme, sep, user, host, port, path, tail: (
        lead + scheme + sep + user + host + port + path + tail
    ),
    st.sampled_from(["", "", "", " ", "\t", "\u00a0"]),
    st.sampled_from(["http", "https", "HTTPS", "hTtP", "ftp", "file", "javascript", "h", ""]),
    st.sampled_from(["://", "://", "://", ":", ":/", "//", "", ":///"]),
    st.sampled_from(["", "", "", "user@", "user:pass@", "@", ":@", "a@b@"]),
    _hosts,
    _ports,
    _paths,
    st.sampled_from(
        ["", "", "", "/", "//", "?", "?a=1", "#", "#top", " ", "\n", "\x00", "\x7f", "\u2028", " x"]
    ),
)
_wellformed = st.builds(
    lambda scheme, host, port, path, slash: f"{scheme}://{host}{port}{path}{slash}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.one_of(
        st.lists(_label, min_size=1, max_size=3).map(".".join),
        st.sampled_from(["localhost", "127.0.0.1", "[::1]", "bücher.example", "10.0.0.7"]),
    ),
    st.one_of(st.just(""), st.integers(1, 65_535).map(lambda p: f":{p}")),
    st.lists(
        st.sampled_from(["api", "public", "v1", "x", "A%20b", "", "is-connected"]), max_size=4
    ).map(lambda parts: "".join("/" + p for p in parts)),
    st.sampled_from(["", "/", "//"]),
)
_addresses = st.one_of(
    st.text(max_size=30),
    _urlish,
    _urlish.map(lambda u: u.split("://", 1)[-1]),  # without the scheme
    _wellformed,
    _wellformed.map(lambda u: u.split("://", 1)[-1]),
)


def _valid_base_url(url: str) -> None:
    assert normalize_base_url(url) == url
    assert url.split("://", 1)[0] in ("http", "https")
    assert url == url.strip() and not url.endswith("/")
    assert not any(ch in url for ch in "?#") and "@" not in url.split("/")[2]


@FUZZ
@given(_addresses)
@example("HTTP://LOCALHOST:4007/api/public/v1/")
@example("https://[fe80::1%25eth0]/")
def test_normalize_base_url(text: str) -> None:
    try:
        url = normalize_base_url(text)
    except UrlError as exc:
        assert str(exc)
        event("rejected")
        return
    event("accepted")
    _valid_base_url(url)


@FUZZ
@given(_addresses)
@example("sipstory.example.com")
@example("localhost:4007/sipstory/api")
def test_base_url_for_instance(text: str) -> None:
    try:
        url = base_url_for_instance(text)
    except UrlError as exc:
        assert str(exc)
        event("rejected")
        return
    event("accepted")
    _valid_base_url(url)
    assert url.endswith("/public/v1")
    assert base_url_for_instance(url) == url


@FUZZ
@given(_addresses)
@example("localhost")
@example("https://x.example.com:8443/sipstory/api/public/v1/is-connected")
@example("127.0.0.1:5000/public/v1")
def test_find_url_candidates(text: str) -> None:
    try:
        found = candidates(text)
    except UrlError as exc:
        assert str(exc)
        event("rejected")
        return
    event(f"accepted, {len(found)} candidates")
    assert found
    assert len(set(found)) == len(found)
    for url in found:
        _valid_base_url(url)
        assert url.endswith(("/api/public/v1", "/public/v1"))
    # idempotent: the most likely candidate, as an address, gives the same candidates
    assert candidates(found[0]) == found
    assert candidates(text) == found


# --- the config file -------------------------------------------------------------------------

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(["A", "z", "é", "7", "(", "Ω", "名"]),
    st.text(alphabet="abc XYZ é-_.()0123456789Ω名", max_size=11),
)
_entries = st.builds(
    lambda name, kind, url, note, hint: Entry(
        name=name.strip(), kind=kind, base_url=url, note=note, key_hint=hint
    ),
    _names,
    st.sampled_from(list(EntryKind)),
    st.sampled_from(
        [
            "https://api.sipstory.tech/public/v1",
            "http://localhost:4007/api/public/v1",
            "https://bücher.example/api/public/v1",
            "http://[::1]:3000/public/v1",
        ]
    ),
    st.text(max_size=20),
    st.text(alphabet="0123456789abcdef", max_size=4),
)
_good_dicts = st.lists(_entries, max_size=3).map(lambda es: [e.to_dict() for e in es])
_field_names = ["id", "name", "kind", "base_url", "note", "key_hint", "created_at", "updated_at"]


def _spoil(item: dict[str, Any], field: str, value: Any, drop: bool) -> dict[str, Any]:
    spoiled = dict(item)
    if drop:
        spoiled.pop(field, None)
    else:
        spoiled[field] = value
    return spoiled


_entry_likes = st.one_of(
    _entries.map(Entry.to_dict),
    st.builds(
        _spoil,
        _entries.map(Entry.to_dict),
        st.sampled_from(_field_names),
        st.one_of(
            _json_values,
            st.sampled_from(
                [
                    "",
                    "cloud",
                    "custom",
                    "self_hosted",
                    "2026-13-01T00:00:00Z",
                    "ftp://x",
                    "a b",
                    "x" * 100,
                    "\x00",
                    "https://x/?q",
                    "0" * 40,
                ]
            ),
        ),
        st.booleans(),
    ),
    _json_values,
)
_config_documents = st.one_of(
    _json_values,
    st.fixed_dictionaries(
        {
            "schema": st.one_of(st.just(1), st.integers(-3, 4), _json_values),
            "entries": st.one_of(st.lists(_entry_likes, max_size=4), _good_dicts, _json_values),
        },
        optional={"extra": _json_values},
    ),
)


def _serialized(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


_config_bytes = st.one_of(  # JSON documents have a test of their own, below
    st.binary(max_size=300),
    # a valid config, cut short or with a byte flipped: the damage a crash or a disk does
    st.tuples(_good_dicts, st.integers(0, 400), st.integers(0, 255)).map(
        lambda t: (
            _serialized({"schema": 1, "entries": t[0]})[: t[1]]
            + bytes([t[2]])
            + _serialized({"schema": 1, "entries": t[0]})[t[1] + 1 :]
        )
    ),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf{}",
            b'{"schema": 1, "entries": []}',
            b"null",
            b'{"schema": 2, "entries": []}',
            b'{"schema": 1e400}',
            b"[" * 5000,
            b'{"schema": 1, "entries": [], "schema": 9}',
        ]
    ),
)
_backups = st.one_of(
    st.none(),
    _good_dicts.map(lambda items: _serialized({"schema": 1, "entries": items})),
    st.binary(max_size=40),
    st.sampled_from(
        [
            b"",
            b"{}",
            b'{"schema": 1, "entries": [{}]}',
            b'{"schema": 1}',
            b'{"schema": 2, "entries": []}',
            b'{"schema": 0, "entries": []}',
        ]
    ),
)


@contextmanager
def _home() -> Iterator[AppPaths]:
    with tempfile.TemporaryDirectory(dir=FAST_TMP, prefix="sipstory-fuzz-") as directory:
        root = Path(directory)
        yield AppPaths(data_dir=root, log_dir=root / "logs")


def _parses_as_config(raw: bytes | None) -> list[dict[str, Any]] | None:
    """The entries of ``raw`` as a fresh store reads them, or None if it is not a config."""
    if raw is None:
        return None
    with _home() as paths:
        paths.config_file.write_bytes(raw)
        store = ConfigStore(paths)
        try:
            entries = store.load()
        except ConfigError:
            return None
        return None if store.notices else [e.to_dict() for e in entries]


def _newer_schema(raw: bytes | None) -> bool:
    """Whether ``raw`` is a config document of a newer schema (which the app refuses)."""
    try:
        document = json.loads((raw or b"").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    schema = document.get("schema") if isinstance(document, dict) else None
    return isinstance(schema, int) and not isinstance(schema, bool) and schema > 1


def _load_and_write(raw: bytes, backup: bytes | None) -> None:
    expected_backup = _parses_as_config(backup)
    with _home() as paths:
        paths.config_file.write_bytes(raw)
        if backup is not None:
            backup_path(paths.config_file).write_bytes(backup)
        store = ConfigStore(paths)
        try:
            entries = store.load()
        except ConfigError as exc:
            assert "newer" in str(exc)
            if _newer_schema(backup) and not _newer_schema(raw):
                # BUG, see test_found_bugs.py: a damaged config is set aside before the
                # backup is found to be from a newer version; only that is known to fail
                event("refused: backup of a newer version (known bug)")
                return
            # only for a config written by a newer version: then nothing is touched
            event("refused (newer schema)")
            assert paths.config_file.read_bytes() == raw
            assert not list(paths.data_dir.glob("config.json.corrupt-*"))
            return
        aside = list(paths.data_dir.glob("config.json.corrupt-*"))
        loaded = [e.to_dict() for e in entries]
        if store.notices:
            event("damaged, backup used" if expected_backup is not None else "damaged, no backup")
            assert len(aside) == 1 and aside[0].read_bytes() == raw  # never lost
            assert loaded == (expected_backup or [])
        else:
            event("valid")
            assert not aside
            assert paths.config_file.read_bytes() == raw
        # the store can be written afterwards, and a fresh one reads back what was written
        extra = Entry(
            name="Fuzz écrit", kind=EntryKind.CLOUD, base_url="https://api.sipstory.tech/public/v1"
        )
        if any(e.name.casefold() == extra.name.casefold() for e in entries):
            return
        before = paths.config_file.read_bytes() if paths.config_file.exists() else None
        store.update(lambda current: [*current, extra])
        if before is not None:  # the previous version is kept as the backup
            assert backup_path(paths.config_file).read_bytes() == before
        fresh = ConfigStore(paths)
        assert [e.to_dict() for e in fresh.load()] == [*loaded, extra.to_dict()]
        assert not fresh.notices
        assert aside == list(paths.data_dir.glob("config.json.corrupt-*"))


@FUZZ
@given(_config_bytes, _backups)
@example(b'{"schema": 1, "entries": [', None)
@example(b"\x00" * 10, b'{"schema": 1, "entries": []}')
def test_config_load_on_any_bytes(raw: bytes, backup: bytes | None) -> None:
    _load_and_write(raw, backup)


@FUZZ
@given(_config_documents, _backups)
def test_config_load_on_any_json_shaped_like_a_config(document: Any, backup: bytes | None) -> None:
    _load_and_write(_serialized(document), backup)


# --- server answers --------------------------------------------------------------------------

_header_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24)
_numbers = st.integers(-10, 10**15).map(str)
_http_dates = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 1)).map(
    lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")
)
_content_types = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            "application/problem+json",
            "text/json",
            "text/html",
            "text/plain",
            "application/octet-stream",
            "",
            ";",
            "json",
        ]
    ),
    _header_text,
)
_headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Type": _content_types,
        "Retry-After": st.one_of(_numbers, _http_dates, _header_text),
        "X-RateLimit-Limit": st.one_of(_numbers, _header_text),
        "X-RateLimit-Remaining": st.one_of(_numbers, _header_text),
        "X-RateLimit-Reset": st.one_of(_numbers, _header_text),
        "Location": st.one_of(st.just("https://elsewhere.example/api/public/v1"), _header_text),
    },
)
_bodies = st.one_of(
    st.binary(max_size=200),
    _json_values.map(_serialized),
    st.fixed_dictionaries(
        {"connected": st.one_of(st.just(True), _json_values)},
        optional={"msg": _json_values, "message": _json_values, "error": _json_values},
    ).map(_serialized),
    st.sampled_from(
        [
            b'{"connected": true}',
            b'{"connected": "true"}',
            b'{"connected": 1}',
            b'{"msg": "Invalid API key"}',
            b'{"msg": "No subscription found"}',
            b'{"msg": "No API Key found"}',
            b"<!DOCTYPE html><html></html>",
            b"",
            b"null",
            b"[" * 3000,
            b'{"connected": true, "connected": false}',
            b'\xef\xbb\xbf{"connected": true}',
            b'{"connected": NaN}',
        ]
    ),
)
_statuses = st.one_of(
    st.sampled_from([200, 201, 204, 301, 302, 304, 401, 402, 403, 404, 429, 500, 502, 503]),
    st.integers(100, 599),
    st.integers(0, 999),
)
_bases = st.sampled_from(
    [
        "https://api.sipstory.tech/public/v1",
        "https://sipstory.example.com",
        "https://sipstory.example.com/api/public/v1",
        "http://localhost:3000/public/v1",
        "http://[::1]:4007/api/public/v1",
        "https://bücher.example/x/public/v1",
    ]
)


_CLOUD = "https://api.sipstory.tech/public/v1"


def _answer(status: int, headers: dict[str, str], body: bytes, truncated: bool) -> Answer:
    return Answer(status, CaseInsensitiveDict(headers), body, truncated, 12)


def _should_connect(status: int, headers: dict[str, str], body: bytes, truncated: bool) -> bool:
    """The rule of design.md, independently: 200, JSON, ``connected`` is true."""
    kind = CaseInsensitiveDict(headers).get("Content-Type", "").split(";")[0].strip().lower()
    if status != 200 or "json" not in kind or truncated:
        return False
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(document, dict) and document.get("connected") is True


_json_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON ; q=1",
        "application/problem+json",
        "text/json",
        "text/plain",
        "text/html",
        "",
    ]
)
_near_connected = st.fixed_dictionaries(
    {
        "status": st.sampled_from([200, 200, 200, 201, 204, 299]),
        "headers": st.fixed_dictionaries({"Content-Type": _json_types}),
        "body": st.one_of(
            st.sampled_from(
                [
                    b'{"connected": true}',
                    b'{"connected":true,"x":1}',
                    b'{"connected": false}',
                    b'{"connected": "true"}',
                    b"true",
                    b'[{"connected": true}]',
                    b'{"connected": true',
                ]
            ),
            st.fixed_dictionaries(
                {"connected": st.one_of(st.just(True), _json_scalars)},
                optional={"msg": _json_scalars},
            ).map(_serialized),
        ),
        "truncated": st.sampled_from([False, False, False, True]),
    }
)
_answers = st.one_of(
    st.fixed_dictionaries(
        {"status": _statuses, "headers": _headers, "body": _bodies, "truncated": st.booleans()}
    ),
    _near_connected,
)


@FUZZ
@given(answer=_answers, base=_bases)
@example(
    {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": b'{"connected": true}',
        "truncated": False,
    },
    _CLOUD,
)
@example(
    {
        "status": 200,
        "headers": {"Content-Type": "text/plain"},
        "body": b'{"connected": true}',
        "truncated": False,
    },
    _CLOUD,
)
@example(
    {
        "status": 429,
        "headers": {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"},
        "body": b"",
        "truncated": False,
    },
    _CLOUD,
)
def test_classify_answer(answer: dict[str, Any], base: str) -> None:
    status, headers, body, truncated = (
        answer["status"],
        answer["headers"],
        answer["body"],
        answer["truncated"],
    )
    answer = _answer(status, headers, body, truncated)
    result = classify_answer(answer, base, now=NOW)
    event(result.status.value)
    assert isinstance(result, CheckResult)
    assert isinstance(result.status, Status)
    assert result.status is not Status.UNCHECKED
    assert result.message
    assert result.http_status == status
    assert (result.status is Status.CONNECTED) == _should_connect(status, headers, body, truncated)
    assert result.ok == (result.status is Status.CONNECTED)
    if result.retry_at is not None:
        assert result.retry_at >= NOW
    # a result can always be stored in state.json and read back
    assert CheckResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    # the keyless probe of find-url reads the same answers without raising
    outcome, detail = classify_probe(answer)
    assert isinstance(outcome, ProbeOutcome) and isinstance(detail, str)


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
_channel_text = st.one_of(st.text(max_size=20), _odd_texts, _json_scalars)
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
            "disabled": st.one_of(st.booleans(), st.none(), _json_scalars),
            "profile": _channel_text,
            "customer": st.one_of(
                st.fixed_dictionaries({}, optional={"id": _channel_text, "name": _channel_text}),
                _channel_text,
            ),
        },
    ),
    _json_scalars,
)
_channel_bodies = _mostly(
    st.lists(_channel_likes, max_size=4).map(_serialized),
    st.one_of(
        _json_values.map(_serialized),
        st.binary(max_size=100),
        st.sampled_from(
            [b"[]", b"{}", b"null", b"[" * 3000, b"[{}]", b'[{"id": 1, "identifier": "x"}]']
        ),
    ),
)


def _clean_text(text: str) -> bool:
    return not any(
        unicodedata.category(ch) == "Cc"
        or ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for ch in text
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
    status=_mostly(st.just(200), _statuses),
    content_type=_mostly(st.just("application/json; charset=utf-8"), _content_types),
    body=_channel_bodies,
    truncated=_mostly(st.just(False), st.booleans()),
    base=_bases,
)
def test_read_channels_answer(
    status: int, content_type: str, body: bytes, truncated: bool, base: str
) -> None:
    answer = _answer(status, {"Content-Type": content_type}, body, truncated)
    fetched = read_channels_answer(answer, base, now=NOW)
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
                assert len(text) <= MAX_TEXT_LENGTH and _clean_text(text)
            assert len(channel.picture) <= MAX_PICTURE_LENGTH and _clean_text(channel.picture)
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


# --- reading a JSON document in pieces ---------------------------------------------------------

_json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
)
_json_values = st.recursive(
    _json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


def _document_texts(draw: st.DrawFn) -> str:
    document = draw(_json_values)
    text = json.dumps(
        document, indent=draw(st.sampled_from([None, 0, 2])), ensure_ascii=draw(st.booleans())
    )
    if draw(st.booleans()):  # damaged: a cut, a character dropped or one added
        where = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["cut", "drop", "add"]))
        if how == "cut":
            text = text[:where]
        elif how == "drop":
            text = text[:where] + text[where + 1 :]
        else:
            text = text[:where] + draw(st.sampled_from(list('{}[],:" \\n0a'))) + text[where:]
    return " " * draw(st.integers(0, 2)) + text


@FUZZ
@given(st.composite(_document_texts)())
@example("")
@example('{"a": {"b": 1,}}')
@example('{"results": {"x": [1, 2]}, "extra": 1} 2')
def test_loads_in_pieces_is_json_loads(text: str) -> None:
    try:
        expected = json.loads(text)
    except ValueError:
        event("damaged")
        try:
            loads_in_pieces(text)
        except ValueError:
            return
        raise AssertionError(f"read what json.loads refuses: {text!r}") from None
    event("valid")
    assert loads_in_pieces(text) == expected
