"""The faults the demo's fake Sipstory server can simulate, and the answer each one gives.

A fault stands for a broken server or a proxy in front of it. It applies to every API
request (:attr:`.fake_api.SipstoryTestServer.fault`) or to every request under
``/fault/NAME/`` (:meth:`.fake_api.SipstoryTestServer.fault_base`).
"""

from __future__ import annotations

from typing import Final

from .canned import LOGIN_PAGE, nginx_page
from .httpd import HTML_TYPE, TEXT_TYPE, Answer, json_answer

__all__ = ["FAULTS", "FAULT_PREFIX", "check_fault", "fault_answer", "split_fault"]

FAULTS: Final[tuple[str, ...]] = (
    "server_error",
    "bad_gateway",
    "slow",
    "reset",
    "redirect",
    "non_json",
    "html",
    "not_connected",
    "payment_required",
)
FAULT_PREFIX: Final = "/fault/"
_REDIRECT_TARGET: Final = "https://sipstory.example.com/api/public/v1/is-connected"


def fault_answer(fault: str) -> Answer | None:
    """The answer of a fault other than ``slow``; ``None`` means: reset the connection."""
    if fault == "server_error":
        return json_answer(500, {"statusCode": 500, "message": "Internal server error"})
    if fault == "bad_gateway":
        return Answer(502, nginx_page("502 Bad Gateway"), HTML_TYPE)
    if fault == "redirect":
        page = nginx_page("301 Moved Permanently")
        return Answer(301, page, HTML_TYPE, (("Location", _REDIRECT_TARGET),))
    if fault == "non_json":
        return Answer(200, b"OK", TEXT_TYPE)
    if fault == "html":
        return Answer(200, LOGIN_PAGE, HTML_TYPE)
    if fault == "not_connected":
        return json_answer(200, {"connected": False})
    if fault == "payment_required":
        return json_answer(402, {"statusCode": 402, "message": "Payment Required"})
    return None  # "reset"


def check_fault(fault: str | None) -> None:
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; expected one of {', '.join(FAULTS)}")


def split_fault(path: str) -> tuple[str | None, str]:
    """The fault named by a ``/fault/NAME/`` prefix of ``path``, and the path without it."""
    if not path.startswith(FAULT_PREFIX):
        return None, path
    name, slash, rest = path[len(FAULT_PREFIX) :].partition("/")
    if name not in FAULTS:
        return None, path
    return name, slash + rest or "/"
