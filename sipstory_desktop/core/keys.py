"""API keys as users paste them: cleaning, checking, and showing them masked."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_KEY_LENGTH = 1024  # Windows' Credential Locker holds 2560 bytes, UTF-16: keep well below.
_BEARER = re.compile(r"^bearer(\s+|$)", re.IGNORECASE)


class InvalidKeyText(ValueError):
    """A pasted text that cannot be an API key; the message says why."""


@dataclass(frozen=True)
class CleanKey:
    """A key ready to store, and what was changed on the way, for the user to read."""

    key: str
    notes: tuple[str, ...] = ()


def clean_key(text: str) -> CleanKey:
    """Trim a pasted key, strip a ``Bearer`` prefix (with a note) and check the rest.

    Raises :class:`InvalidKeyText` with a message for the user when ``text`` cannot be a key.
    The key itself never appears in a message.
    """
    notes: list[str] = []
    key = text.strip()
    if not key:
        raise InvalidKeyText(
            "The key is empty: paste the key from Settings → Developers → API Key."
        )
    if _BEARER.match(key):
        key = _BEARER.sub("", key, count=1).strip()
        notes.append(
            "Removed the 'Bearer ' prefix: Sipstory expects the raw key in the Authorization "
            "header and rejects 'Bearer <key>' as an invalid key."
        )
        if not key:
            raise InvalidKeyText("Only 'Bearer' was pasted, without the key after it.")
    if any(ch.isspace() for ch in key):
        raise InvalidKeyText(
            "The key contains spaces or line breaks; a Sipstory key is one word. "
            "Check that only the key was copied."
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise InvalidKeyText("The key contains control characters; copy it again.")
    if not key.isascii():
        raise InvalidKeyText(
            "The key contains characters outside plain ASCII; a Sipstory key has none. "
            "Copy it again from Settings → Developers → API Key."
        )
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKeyText(f"The key is {len(key)} characters long, over {MAX_KEY_LENGTH}.")
    return CleanKey(key, tuple(notes))


def key_hint(key: str) -> str:
    """The last four characters, the only part of a key ever shown or stored."""
    return key[-4:] if len(key) > 8 else ""


def masked(hint: str) -> str:
    """How a key is shown: dots, then its last four characters when known."""
    return "••••" + hint if hint else "••••••••"
