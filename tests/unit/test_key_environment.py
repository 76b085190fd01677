"""The variables of `sipstory-keys run` and `env`: names, the nesting guard, and quoting
that the real shells (sh, fish where installed) and a real dotenv parser read back exactly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hypothesis import given, settings
from hypothesis import strategies as st

from sipstory_desktop.core.key_environment import (
    KEY_VARIABLE,
    RUN_GUARD,
    URL_VARIABLE,
    KeyVariables,
    VariableError,
    child_environment,
    environment_lines,
    nesting_problem,
)
from sipstory_desktop.core.key_runner import KeyMask

HOSTILE = [
    "ab" * 32,
    "it's a key",
    'say "hi" $HOME `id` $(id) ${PATH}',
    "back\\slash\\'quote\\",
    "semi;colon && pipe | amp & star * ? [x] ~ # hash",
    "unicode: ünïcødé ‘curly’ and “double” quotes, tab\there",
    "-starts-with-dash",
    "%PATH% !bang! ^caret",
]
BASE = "https://sipstory.example.com/api/public/v1?x=$y&z='w'"


def _values(key: str) -> dict[str, str]:
    return KeyVariables.chosen(None, None).values(key, BASE)


SHELLS_HERE = [
    "sh",
    pytest.param("fish", marks=pytest.mark.skipif(shutil.which("fish") is None, reason="no fish")),
]


@pytest.mark.parametrize("shell", SHELLS_HERE)
@pytest.mark.parametrize("value", HOSTILE)
def test_the_shell_reads_back_every_value_exactly(shell: str, value: str) -> None:
    lines = environment_lines(_values(value), shell)
    script = lines + f'printf "%s\\n%s" "${KEY_VARIABLE}" "${URL_VARIABLE}"'
    done = subprocess.run([shell, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == f"{value}\n{BASE}"


@pytest.mark.parametrize("value", HOSTILE)
def test_a_dotenv_parser_reads_back_every_value_exactly(value: str, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(environment_lines(_values(value), "dotenv"), encoding="utf-8")
    expected = {URL_VARIABLE: BASE, KEY_VARIABLE: value}
    assert dotenv_values(env_file, interpolate=False) == expected
    if "${" not in value:  # python-dotenv expands ${VAR} even in single quotes, by default
        assert dotenv_values(env_file) == expected


def test_powershell_lines_are_single_quoted_with_quotes_doubled() -> None:
    # No PowerShell on this machine: the rule itself (a single-quoted string is literal; a
    # single quote, straight or typographic, is written twice).
    lines = environment_lines({"K": "it's ‘x’ $env:HOME `n"}, "powershell")
    assert lines == "$env:K = 'it''s ‘‘x’’ $env:HOME `n'\n"


LINE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\0\n\r", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(LINE_TEXT)
def test_sh_quoting_holds_for_any_text(value: str) -> None:
    lines = environment_lines({"V": value}, "sh")
    done = subprocess.run(["sh", "-c", lines + 'printf "%s" "$V"'], capture_output=True, check=True)
    assert done.stdout.decode("utf-8") == value


def test_several_names_for_the_key_and_the_url() -> None:
    names = KeyVariables.chosen(["SIPSTORY_API_KEY", "POSTIZ_API_KEY"], ["POSTIZ_API_URL"])
    assert names.values("k" * 10, BASE) == {
        "POSTIZ_API_URL": BASE,
        "SIPSTORY_API_KEY": "k" * 10,
        "POSTIZ_API_KEY": "k" * 10,
    }


@pytest.mark.parametrize(
    ("keys", "urls", "said"),
    [
        (["1ABC"], None, "not a variable name"),
        (["A-B"], None, "not a variable name"),
        (["X"], ["X"], "cannot hold both"),
    ],
)
def test_bad_variable_names_are_refused(keys: list[str], urls: list[str] | None, said: str) -> None:
    with pytest.raises(VariableError, match=said):
        KeyVariables.chosen(keys, urls)


def test_a_value_with_a_line_break_is_refused() -> None:
    with pytest.raises(VariableError):
        KeyVariables().values("a\nb", BASE)


def test_the_child_environment_is_new_and_carries_the_guard() -> None:
    parent = {"PATH": "/bin"}
    child = child_environment(parent, {KEY_VARIABLE: "k"}, "Acme")
    assert child == {"PATH": "/bin", KEY_VARIABLE: "k", RUN_GUARD: "Acme"}
    assert parent == {"PATH": "/bin"}


def test_the_nesting_guard_allows_the_same_entry_only() -> None:
    assert nesting_problem({}, "Acme") is None
    assert nesting_problem({RUN_GUARD: "acme"}, "Acme") is None
    problem = nesting_problem({RUN_GUARD: "Globex"}, "Acme")
    assert problem is not None and "Globex" in problem and "Acme" in problem


def test_an_unknown_shell_is_refused() -> None:
    with pytest.raises(VariableError, match="one of sh, fish, powershell, dotenv"):
        environment_lines({"A": "b"}, "csh")


# --- masking the key in a stream -------------------------------------------------------------

KEY = "0123456789abcdef" * 4


@settings(max_examples=300, deadline=None)
@given(
    before=st.binary(max_size=50),
    after=st.binary(max_size=50),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=6),
)
def test_the_key_is_masked_wherever_the_chunks_are_cut(
    before: bytes, after: bytes, cuts: list[int]
) -> None:
    stream = before + KEY.encode() + after + KEY.encode()
    mask = KeyMask(KEY)
    out = b""
    start = 0
    for cut in sorted(min(c, len(stream)) for c in cuts):
        out += mask.feed(stream[start:cut])
        start = cut
    out += mask.feed(stream[start:]) + mask.end()
    assert KEY.encode() not in out
    assert out.count("••••cdef".encode()) >= 2


def test_a_prompt_is_not_held_back() -> None:
    mask = KeyMask(KEY)
    assert mask.feed(b"Password: ") == b"Password: "  # not a start of the key: at once
    assert mask.feed(b"0123") == b""  # could be the key's start: held
    assert mask.feed(b"zz") == b"0123zz"  # it was not
