"""Pasted keys: cleaning, rejections (never quoting the key), hints and masking.

The keys are made up; still, no assertion puts a key on either side of a comparison that
pytest would print on failure.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sipstory_desktop.core.keys import (
    MAX_KEY_LENGTH,
    CleanKey,
    InvalidKeyText,
    clean_key,
    key_hint,
    masked,
)
from tests.support.properties import MANY

HEX_KEY = "3f" * 32
OAUTH_KEY = "pos_" + "Q7" * 20


def _cleaned_is(result: CleanKey, expected: str) -> None:
    same = result.key == expected
    assert same, "the cleaned key is not the expected one"


def _no_key_in(text: str, key: str) -> None:
    leaked = bool(key) and key in text
    assert not leaked, "the key text appears in a message"


@pytest.mark.parametrize("key", [HEX_KEY, OAUTH_KEY, "a", "x" * MAX_KEY_LENGTH, "ab.cd-ef_gh=="])
def test_valid_keys_are_kept_as_they_are(key: str) -> None:
    result = clean_key(key)
    _cleaned_is(result, key)
    assert result.notes == ()


@pytest.mark.parametrize("wrapped", [f"  {HEX_KEY}  ", f"\n{HEX_KEY}\n", f"\t{HEX_KEY}\r\n"])
def test_surrounding_whitespace_is_trimmed_without_a_note(wrapped: str) -> None:
    result = clean_key(wrapped)
    _cleaned_is(result, HEX_KEY)
    assert result.notes == ()


@pytest.mark.parametrize(
    "prefix", ["Bearer ", "bearer ", "BEARER ", "BeArEr  ", "  Bearer\t", "Bearer \n"]
)
def test_bearer_prefix_is_stripped_with_a_note(prefix: str) -> None:
    result = clean_key(prefix + HEX_KEY)
    _cleaned_is(result, HEX_KEY)
    assert len(result.notes) == 1
    assert "Bearer" in result.notes[0]
    assert "raw key" in result.notes[0]
    _no_key_in(result.notes[0], HEX_KEY)


def test_bearer_without_a_space_is_part_of_the_key() -> None:
    result = clean_key("Bearer" + HEX_KEY)
    _cleaned_is(result, "Bearer" + HEX_KEY)
    assert result.notes == ()


def test_only_the_first_bearer_is_stripped() -> None:
    with pytest.raises(InvalidKeyText, match="spaces"):
        clean_key(f"Bearer Bearer {HEX_KEY}")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\n\t", "empty"),
        (f"{HEX_KEY[:10]} {HEX_KEY[10:]}", "spaces"),
        (f"{HEX_KEY[:10]}\n{HEX_KEY[10:]}", "line breaks"),
        (f"{HEX_KEY[:10]}\u00a0{HEX_KEY[10:]}", "spaces"),
        (f"Bearer {HEX_KEY[:10]} {HEX_KEY[10:]}", "spaces"),
        (f"{HEX_KEY[:10]}\x00{HEX_KEY[10:]}", "control characters"),
        (f"{HEX_KEY[:10]}\x07{HEX_KEY[10:]}", "control characters"),
        (f"{HEX_KEY[:10]}\x7f{HEX_KEY[10:]}", "control characters"),
        (f"{HEX_KEY[:10]}é{HEX_KEY[10:]}", "ASCII"),
        (f"{HEX_KEY[:10]}\u200b{HEX_KEY[10:]}", "ASCII"),
        (f"{HEX_KEY}\u2026", "ASCII"),
        ("x" * (MAX_KEY_LENGTH + 1), str(MAX_KEY_LENGTH)),
    ],
)
def test_rejections_explain_without_quoting_the_key(text: str, words: str) -> None:
    with pytest.raises(InvalidKeyText) as caught:
        clean_key(text)
    message = str(caught.value)
    assert words.lower() in message.lower()
    _no_key_in(message, text.strip())
    # no fragment of the key either (the halves around the bad character)
    _no_key_in(message, HEX_KEY[:10])


def test_too_long_message_gives_the_length_not_the_key() -> None:
    key = "k" * (MAX_KEY_LENGTH + 5)
    with pytest.raises(InvalidKeyText) as caught:
        clean_key(key)
    assert str(MAX_KEY_LENGTH + 5) in str(caught.value)
    _no_key_in(str(caught.value), "kkkkkk")


@pytest.mark.parametrize("text", ["Bearer   ", "Bearer\t\n", " bearer  "])
def test_only_bearer_with_spaces_is_rejected(text: str) -> None:
    """A paste of 'Bearer' and spaces leaves no key; it must not be saved as the key 'Bearer'."""
    with pytest.raises(InvalidKeyText, match="Bearer"):
        clean_key(text)


@pytest.mark.parametrize("text", ["Bearer", "bearer", "BEARER"])
def test_only_bearer_is_rejected(text: str) -> None:
    with pytest.raises(InvalidKeyText, match="Only 'Bearer'"):
        clean_key(text)


def test_invalid_key_text_is_a_value_error() -> None:
    assert issubclass(InvalidKeyText, ValueError)


# --- hints and masking -----------------------------------------------------------------------


def test_key_hint_is_the_last_four_characters_of_a_long_key() -> None:
    assert key_hint("abcdefghij") == "ghij"
    assert key_hint("123456789") == "6789"
    assert len(key_hint(HEX_KEY)) == 4
    tail = HEX_KEY.endswith(key_hint(HEX_KEY))
    assert tail, "the hint is not the end of the key"


@pytest.mark.parametrize("short", ["", "a", "abcd", "abcdefgh"])
def test_short_keys_get_no_hint(short: str) -> None:
    """Four characters of an eight-character key would be half of it."""
    assert key_hint(short) == ""


def test_masked_shows_dots_and_the_hint() -> None:
    assert masked("ghij") == "••••ghij"
    assert masked("") == "••••••••"
    assert masked(key_hint(HEX_KEY)).endswith(HEX_KEY[-4:])
    _no_key_in(masked(key_hint(HEX_KEY)), HEX_KEY[:8])


# --- any text ----------------------------------------------------------------------------------


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
