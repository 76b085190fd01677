"""Find my API URL: the candidates of an address, and what each keyless probe's answer means.

Answers come from ``responses`` through the real :class:`ApiClient`; the real servers are
in ``tests/integration/test_find_url_servers.py``.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import time

import pytest
import requests
import responses
from hypothesis import event, example, given
from requests.structures import CaseInsensitiveDict

from sipstory_desktop.core.client import MAX_BODY_BYTES, Answer, ApiClient
from sipstory_desktop.core.find_url import (
    LOCAL_PORTS,
    FindResult,
    Probe,
    ProbeOutcome,
    candidates,
    classify_probe,
    find_api_url,
    probe,
)
from sipstory_desktop.core.urls import UrlError
from tests.support.properties import FUZZ, addresses, assert_valid_base_url, is_clean_text

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sipstory - Log in</title></head>"
    b"<body><form action='/auth/login'>Sign in</form></body></html>"
)
API = "https://sipstory.example.com/api/public/v1"
BACKEND = "https://sipstory.example.com/public/v1"


def _answer(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Answer:
    return Answer(status, CaseInsensitiveDict(headers or {}), body, False, 7)


def _json(status: int, document: object) -> Answer:
    return _answer(status, {"Content-Type": JSON}, json.dumps(document).encode())


# --- candidates ------------------------------------------------------------------------------


def _local(host: str, first: str) -> list[str]:
    """``first``'s two bases, then both bases on each of the usual local ports."""
    bases = [f"{first}/api/public/v1", f"{first}/public/v1"]
    for port in LOCAL_PORTS:
        origin = f"http://{host}:{port}"
        if origin != first:
            bases += [f"{origin}/api/public/v1", f"{origin}/public/v1"]
    return bases


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("sipstory.example.com", [API, BACKEND]),
        ("  sipstory.example.com  ", [API, BACKEND]),
        ("SipStory.Example.COM", [API, BACKEND]),
        ("https://sipstory.example.com", [API, BACKEND]),
        ("https://sipstory.example.com/", [API, BACKEND]),
        ("https://sipstory.example.com/public/v1", [API, BACKEND]),
        ("https://sipstory.example.com/public/v1/", [API, BACKEND]),
        ("https://sipstory.example.com/api", [API, BACKEND]),
        ("https://sipstory.example.com/api/", [API, BACKEND]),
        ("https://sipstory.example.com/api/public", [API, BACKEND]),
        ("https://sipstory.example.com/api/public/v1", [API, BACKEND]),
        ("https://sipstory.example.com/api/public/v1/is-connected", [API, BACKEND]),
        ("https://sipstory.example.com:443", [API, BACKEND]),
        (
            "https://x.example.com:8443",
            ["https://x.example.com:8443/api/public/v1", "https://x.example.com:8443/public/v1"],
        ),
        (
            "x.example.com:8443",
            ["https://x.example.com:8443/api/public/v1", "https://x.example.com:8443/public/v1"],
        ),
        (
            "http://intranet.example.com",
            ["http://intranet.example.com/api/public/v1", "http://intranet.example.com/public/v1"],
        ),
        (
            "https://x.example.com/sipstory",
            [
                "https://x.example.com/sipstory/api/public/v1",
                "https://x.example.com/sipstory/public/v1",
                "https://x.example.com/api/public/v1",
                "https://x.example.com/public/v1",
            ],
        ),
        (
            "https://x.example.com/sipstory/api/public/v1",
            [
                "https://x.example.com/sipstory/api/public/v1",
                "https://x.example.com/sipstory/public/v1",
                "https://x.example.com/api/public/v1",
                "https://x.example.com/public/v1",
            ],
        ),
        ("http://localhost:4007", _local("localhost", "http://localhost:4007")),
        ("localhost:4007", _local("localhost", "http://localhost:4007")),
        ("localhost", _local("localhost", "http://localhost")),
        ("127.0.0.1:5000", _local("127.0.0.1", "http://127.0.0.1:5000")),
        ("http://127.0.0.1:3000/public/v1", _local("127.0.0.1", "http://127.0.0.1:3000")),
        ("https://localhost:8443", _local("localhost", "https://localhost:8443")),
        ("[::1]:5000", _local("[::1]", "http://[::1]:5000")),
        ("app.localhost", _local("app.localhost", "http://app.localhost")),
    ],
)
def test_candidates_of_each_address_form(address: str, expected: list[str]) -> None:
    assert candidates(address) == expected


def test_a_local_address_keeps_its_own_port_first_and_tries_the_usual_ones() -> None:
    bases = candidates("http://127.0.0.1:5000")
    assert bases[:2] == ["http://127.0.0.1:5000/api/public/v1", "http://127.0.0.1:5000/public/v1"]
    ports = [base.split(":")[2].split("/")[0] for base in bases]
    assert ports == ["5000", "5000", "4007", "4007", "3000", "3000"]


def test_candidates_have_no_duplicates_and_a_stable_order() -> None:
    for address in ("localhost:3000", "http://localhost:4007/x/api", "sipstory.example.com"):
        bases = candidates(address)
        assert len(bases) == len(set(bases))
        assert candidates(address) == bases


def test_a_path_prefix_applies_to_the_local_ports_too() -> None:
    bases = candidates("http://localhost:4007/sipstory/")
    assert bases[:4] == [
        "http://localhost:4007/sipstory/api/public/v1",
        "http://localhost:4007/sipstory/public/v1",
        "http://localhost:4007/api/public/v1",
        "http://localhost:4007/public/v1",
    ]
    assert "http://localhost:3000/sipstory/public/v1" in bases
    assert "http://localhost:3000/public/v1" in bases


def test_the_local_ports_can_be_chosen() -> None:
    assert candidates("localhost:1234", local_ports=()) == [
        "http://localhost:1234/api/public/v1",
        "http://localhost:1234/public/v1",
    ]


def test_a_remote_host_gets_no_local_ports() -> None:
    assert all("example.com/" in base for base in candidates("sipstory.example.com"))


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ftp://sipstory.example.com", "ftp://"),
        ("https://user:secret@sipstory.example.com", "user name or password"),
        ("https://sipstory.example.com/?x=1", "query"),
        ("https://sipstory.example.com/#top", "fragment"),
        ("sipstory example.com", "spaces"),
        ("https://sipstory.example.com:99999", "not a valid URL"),
        ("https://bad_host!.example.com", "not valid"),
        ("https://", "no host"),
        ("https://exa\x07mple.com", "control characters"),
    ],
)
def test_what_cannot_be_an_address_is_refused_clearly(address: str, said: str) -> None:
    with pytest.raises(UrlError, match=said):
        candidates(address)


# --- classifying probe answers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "outcome", "said"),
    [
        (_json(401, {"msg": "No API Key found"}), ProbeOutcome.SIPSTORY, "No API Key found"),
        (_json(401, {"msg": "Invalid API key"}), ProbeOutcome.SIPSTORY, "Invalid API key"),
        (_json(200, {"connected": True}), ProbeOutcome.SIPSTORY, "adds one"),
        (_answer(200, {"Content-Type": HTML}, LOGIN_PAGE), ProbeOutcome.WEB_APP, "Sipstory - Log"),
        (_answer(200, {}, LOGIN_PAGE), ProbeOutcome.WEB_APP, "web app"),
        (
            _json(404, {"message": "Cannot GET /api/public/v1/is-connected", "statusCode": 404}),
            ProbeOutcome.NOT_FOUND,
            "Cannot GET",
        ),
        (_answer(404, {"Content-Type": "text/plain"}, b"Not Found"), ProbeOutcome.NOT_FOUND, "404"),
        (
            _answer(301, {"Location": "https://other.example.com/api/public/v1/is-connected"}),
            ProbeOutcome.REDIRECT,
            "to https://other.example.com/api/public/v1/is-connected",
        ),
        (_answer(302), ProbeOutcome.REDIRECT, "without saying where"),
        (
            _answer(502, {"Content-Type": HTML}, b"<html><title>502 Bad Gateway</title></html>"),
            ProbeOutcome.OTHER,
            "502 Bad Gateway",
        ),
        (_json(500, {"message": "Internal server error"}), ProbeOutcome.OTHER, "Internal"),
        (_answer(200, {"Content-Type": "text/plain"}, b"OK"), ProbeOutcome.OTHER, '"OK"'),
        (_answer(401), ProbeOutcome.OTHER, "empty body"),
        (_json(401, {"msg": "Unauthorized"}), ProbeOutcome.OTHER, "Unauthorized"),
        (_json(200, {"connected": False}), ProbeOutcome.OTHER, "JSON"),
        (_json(200, [1, 2]), ProbeOutcome.OTHER, "JSON"),
        (_answer(200, {"Content-Type": JSON}, b"{not json"), ProbeOutcome.OTHER, "HTTP 200"),
        (_answer(401, {"Content-Type": "text/plain"}, b"No API Key found"), ProbeOutcome.OTHER, ""),
    ],
)
def test_each_kind_of_answer_gets_its_outcome(
    answer: Answer, outcome: ProbeOutcome, said: str
) -> None:
    got, detail = classify_probe(answer)
    assert got is outcome
    assert said in detail


def test_what_a_server_says_is_shown_on_one_clean_line() -> None:
    location = "https://evil.example.com/\x1b[2J\u202enext"
    _, detail = classify_probe(_answer(301, {"Location": location}))
    assert "\x1b" not in detail
    assert "\u202e" not in detail
    body = b"\x1b[31mred\nline two\x00" + b"x" * 5000
    _, detail = classify_probe(_answer(200, {"Content-Type": "text/plain"}, body))
    assert "\x1b" not in detail
    assert "\n" not in detail
    assert len(detail) < 200


def test_the_content_type_in_a_probe_detail_is_clean() -> None:
    """A regression test of a bug the fuzz tests found: ``classify_probe`` cleaned ``msg``,
    the title and the Location, not the content type."""
    answer = _answer(200, {"Content-Type": "text/\x1b[31mplain"}, b"OK")
    _, detail = classify_probe(answer)
    assert is_clean_text(detail)


# --- probing over responses ------------------------------------------------------------------


def test_a_probe_sends_no_key(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(API + "/is-connected", json={"msg": "No API Key found"}, status=401)
    done = probe(client, API)
    assert done == Probe(API, ProbeOutcome.SIPSTORY, done.detail, 401, done.latency_ms)
    assert "Authorization" not in mocked.calls[0].request.headers


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (requests.exceptions.ConnectionError("refused"), ProbeOutcome.UNREACHABLE),
        (requests.exceptions.ConnectTimeout("slow"), ProbeOutcome.TIMEOUT),
        (requests.exceptions.ReadTimeout("slow"), ProbeOutcome.TIMEOUT),
        (
            requests.exceptions.SSLError(ssl.SSLCertVerificationError("certificate has expired")),
            ProbeOutcome.TLS_ERROR,
        ),
        (requests.exceptions.InvalidHeader("odd"), ProbeOutcome.OTHER),
    ],
)
def test_failures_are_named(
    mocked: responses.RequestsMock,
    client: ApiClient,
    error: Exception,
    outcome: ProbeOutcome,
) -> None:
    mocked.get(API + "/is-connected", body=error)
    done = probe(client, API)
    assert done.outcome is outcome
    assert done.detail
    assert done.http_status is None
    assert done.latency_ms is not None


def test_a_huge_answer_is_read_only_up_to_the_cap(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    big = json.dumps({"msg": "No API Key found", "pad": "x" * (MAX_BODY_BYTES * 2)})
    mocked.get(API + "/is-connected", body=big, status=401, content_type=JSON)
    done = probe(client, API)
    assert done.outcome is ProbeOutcome.OTHER  # cut JSON is not trusted


def _mock_instance(
    mocked: responses.RequestsMock, api_answers: bool, backend_answers: bool
) -> None:
    if api_answers:
        mocked.get(API + "/is-connected", json={"msg": "No API Key found"}, status=401)
    else:
        mocked.get(API + "/is-connected", body=LOGIN_PAGE, content_type=HTML)
    if backend_answers:
        mocked.get(BACKEND + "/is-connected", json={"msg": "No API Key found"}, status=401)
    else:
        mocked.get(BACKEND + "/is-connected", body=LOGIN_PAGE, content_type=HTML)


def test_find_returns_probes_in_candidate_order_and_the_first_that_answers(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    _mock_instance(mocked, api_answers=True, backend_answers=True)
    result = find_api_url(client, "sipstory.example.com")
    assert result.found == API
    assert [p.base_url for p in result.probes] == [API, BACKEND]
    assert all(p.outcome is ProbeOutcome.SIPSTORY for p in result.probes)
    assert all("Authorization" not in call.request.headers for call in mocked.calls)


def test_find_falls_back_to_the_backend_path(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    _mock_instance(mocked, api_answers=False, backend_answers=True)
    result = find_api_url(client, "https://sipstory.example.com/")
    assert result.found == BACKEND
    assert [p.outcome for p in result.probes] == [ProbeOutcome.WEB_APP, ProbeOutcome.SIPSTORY]


def test_find_with_nothing_like_sipstory(mocked: responses.RequestsMock, client: ApiClient) -> None:
    _mock_instance(mocked, api_answers=False, backend_answers=False)
    result = find_api_url(client, "sipstory.example.com")
    assert result.found is None
    assert {p.outcome for p in result.probes} == {ProbeOutcome.WEB_APP}
    document = json.loads(json.dumps(result.to_dict()))
    assert document["found"] is None
    assert document["address"] == "sipstory.example.com"
    assert [p["outcome"] for p in document["probes"]] == ["web_app", "web_app"]
    assert all(p["detail"] for p in document["probes"])


def test_find_refuses_what_cannot_be_an_address(client: ApiClient) -> None:
    with pytest.raises(UrlError):
        find_api_url(client, "ftp://sipstory.example.com")


def test_find_reports_each_probe_as_it_ends(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    _mock_instance(mocked, api_answers=True, backend_answers=False)
    seen: list[Probe] = []
    lock = threading.Lock()

    def on_probe(done: Probe) -> None:
        with lock:
            seen.append(done)

    result = find_api_url(client, "sipstory.example.com", on_probe=on_probe)
    assert sorted(p.base_url for p in seen) == sorted(p.base_url for p in result.probes)


def test_find_runs_at_most_max_workers_probes_at_once(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def answer(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return 404, {}, "Not Found"

    mocked.add_callback(responses.GET, re.compile(r"http://localhost.*"), answer)
    result = find_api_url(client, "http://localhost:8080/x", max_workers=3)
    assert len(result.probes) == 16  # 4 origins x (prefix, root) x 2 paths
    assert most <= 3
    assert result.found is None
    assert {p.outcome for p in result.probes} == {ProbeOutcome.NOT_FOUND}


def test_a_plain_http_base_on_another_machine_comes_with_a_warning() -> None:
    remote = FindResult("http://intranet.example.com/api/public/v1", [])
    assert remote.warning is not None
    assert "unencrypted" in remote.warning
    assert remote.to_dict()["warning"] == remote.warning
    assert FindResult("http://localhost:4007/api/public/v1", []).warning is None
    assert FindResult(None, []).warning is None


# --- any address ---------------------------------------------------------------------------------


@FUZZ
@given(addresses)
@example("localhost")
@example("https://x.example.com:8443/sipstory/api/public/v1/is-connected")
@example("127.0.0.1:5000/public/v1")
def test_candidates_raise_only_url_error_and_are_idempotent(text: str) -> None:
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
        assert_valid_base_url(url)
        assert url.endswith(("/api/public/v1", "/public/v1"))
    # idempotent: the most likely candidate, as an address, gives the same candidates
    assert candidates(found[0]) == found
    assert candidates(text) == found
