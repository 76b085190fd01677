"""The curl command and the environment line run as they say, in a real shell."""

from __future__ import annotations

import shlex
import subprocess

from sipstory_desktop.core.snippets import curl_command, environment_line

BASE = "https://sipstory.example.com/api/public/v1"


def test_curl_command_sends_the_raw_key_to_is_connected() -> None:
    key = "abc'def ghi"  # quoting survives odd characters
    words = shlex.split(curl_command(BASE, key))
    assert words == ["curl", "-sS", "-H", f"Authorization: {key}", BASE + "/is-connected"]
    assert "Bearer" not in curl_command(BASE, key)


def test_environment_line_sets_both_variables_in_a_shell() -> None:
    key = "k3y$with`odd'chars"
    script = (
        environment_line(BASE, key) + '\nprintf "%s\\n%s" "$SIPSTORY_API_URL" "$SIPSTORY_API_KEY"'
    )
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n") == [BASE, key]
