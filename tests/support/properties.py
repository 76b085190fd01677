"""What the property (hypothesis) tests share: their settings, the strategies that more than
one module's tests draw from, and the checks they make of what comes back.

Two settings: ``MANY`` (300 examples) for properties of one module's logic, ``FUZZ`` (2000
examples, no example database: nothing is written outside tmp) for the parsers of
everything that comes from outside (addresses, files, server answers).
"""

from __future__ import annotations

import json
import os
import unicodedata
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sipstory_desktop.core.urls import normalize_base_url

MANY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings(
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Temp dirs of the fuzzed file tests: in /dev/shm when there is one (fsync is free there).
FAST_TMP = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None

# --- JSON --------------------------------------------------------------------------------------


def json_documents(
    scalars: st.SearchStrategy[Any], *, items: int, key_size: int, leaves: int
) -> st.SearchStrategy[Any]:
    """JSON values: ``scalars``, and lists and objects of up to ``items`` values."""
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=items),
            st.dictionaries(st.text(max_size=key_size), inner, max_size=items),
        ),
        max_leaves=leaves,
    )


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_values = json_documents(json_scalars, items=3, key_size=8, leaves=8)
# Larger documents: bigger numbers, infinities (json.dumps writes them, json.loads reads
# them back), longer texts, more leaves.
wide_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
wide_json_values = json_documents(wide_json_scalars, items=4, key_size=10, leaves=25)


def serialized(document: Any) -> bytes:
    """``document`` as a UTF-8 JSON file holds it."""
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


# --- addresses and URLs --------------------------------------------------------------------------

_label = st.one_of(
    st.sampled_from(
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
    ),
    st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?", fullmatch=True),
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
    st.text(max_size=12),
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
    st.integers(-5, 70_000).map(lambda p: f":{p}"),
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
    st.sampled_from(
        ["http", "https", "HTTPS", "Http", "hTtP", "ftp", "file", "javascript", "h", ""]
    ),
    st.sampled_from(["://", "://", "://", ":", ":/", "//", "", ":///"]),
    st.sampled_from(["", "", "", "user@", "user:pass@", "@", ":@", "a@b@"]),
    _hosts,
    _ports,
    _paths,
    st.sampled_from(
        [
            "",
            "",
            "",
            "/",
            "//",
            "?",
            "?a=1",
            "#",
            "#top",
            " ",
            "\n",
            "\t",
            "\x00",
            "\x7f",
            "\u2028",
            " x",
        ]
    ),
)
_wellformed = st.builds(
    lambda scheme, host, port, path, slash: f"{scheme}://{host}{port}{path}{slash}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.one_of(
        st.lists(_label, min_size=1, max_size=4).map(".".join),
        st.sampled_from(["localhost", "127.0.0.1", "[::1]", "bücher.example", "10.0.0.7"]),
    ),
    st.one_of(st.just(""), st.integers(1, 65_535).map(lambda p: f":{p}")),
    st.lists(
        st.sampled_from(["api", "public", "v1", "x", "A%20b", "", "is-connected"]), max_size=4
    ).map(lambda parts: "".join("/" + p for p in parts)),
    st.sampled_from(["", "/", "//"]),
)
# What a user may type or paste as an address or a base URL: any text, URL-like text
# (damaged in every part), well-formed URLs, and both without their scheme.
addresses = st.one_of(
    st.text(),
    _urlish,
    _urlish.map(lambda u: u.split("://", 1)[-1]),
    _wellformed,
    _wellformed.map(lambda u: u.split("://", 1)[-1]),
)


def assert_valid_base_url(url: str) -> None:
    """``url`` is a base URL as the app keeps it: normalized, http(s), no query, no user."""
    assert normalize_base_url(url) == url
    assert url.split("://", 1)[0] in ("http", "https")
    assert url == url.strip() and not url.endswith("/")
    assert not any(ch in url for ch in "?#") and "@" not in url.split("/")[2]


# --- server answers ------------------------------------------------------------------------------

header_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
content_types = st.one_of(
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
    header_text,
)
statuses = st.one_of(
    st.sampled_from([200, 201, 204, 301, 302, 304, 401, 402, 403, 404, 429, 500, 502, 503]),
    st.integers(100, 599),
    st.integers(0, 999),
)
# the base URLs of the answers' requests
base_urls = st.sampled_from(
    [
        "https://api.sipstory.tech/public/v1",
        "https://sipstory.example.com",
        "https://sipstory.example.com/api/public/v1",
        "http://localhost:3000/public/v1",
        "http://[::1]:4007/api/public/v1",
        "https://bücher.example/x/public/v1",
    ]
)


# --- text from a server --------------------------------------------------------------------------

BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_clean_text(text: str) -> bool:
    """No control character (terminal escapes, NUL, line breaks) and no bidi override."""
    return not any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in text)
