"""A key ready to paste elsewhere: a curl command, an environment line. Shell-quoted."""

from __future__ import annotations

import shlex

from .urls import IS_CONNECTED_PATH


def curl_command(base_url: str, key: str) -> str:
    """A curl command that makes the same check as the app (raw key, no ``Bearer``)."""
    url = base_url.rstrip("/") + IS_CONNECTED_PATH
    return f"curl -sS -H {shlex.quote('Authorization: ' + key)} {shlex.quote(url)}"


def environment_line(base_url: str, key: str) -> str:
    """``export SIPSTORY_API_URL=... SIPSTORY_API_KEY=...`` for a shell or a script."""
    return f"export SIPSTORY_API_URL={shlex.quote(base_url)} SIPSTORY_API_KEY={shlex.quote(key)}"
