"""API keys as users paste them: cleaning, checking, and showing them masked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import messages as M

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
        raise InvalidKeyText(M.KEY_EMPTY)
    if _BEARER.match(key):
        key = _BEARER.sub("", key, count=1).strip()
        notes.append(M.BEARER_REMOVED)
        if not key:
            raise InvalidKeyText(M.ONLY_BEARER)
    if any(ch.isspace() for ch in key):
        raise InvalidKeyText(M.KEY_SPACES)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise InvalidKeyText(M.KEY_CONTROL)
    if not key.isascii():
        raise InvalidKeyText(M.KEY_NOT_ASCII)
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKeyText(M.KEY_TOO_LONG.format(length=len(key), limit=MAX_KEY_LENGTH))
    return CleanKey(key, tuple(notes))


def key_hint(key: str) -> str:
    """The last four characters, the only part of a key ever shown or stored."""
    return key[-4:] if len(key) > 8 else ""


def masked(hint: str) -> str:
    """How a key is shown: dots, then its last four characters when known."""
    return "••••" + hint if hint else "••••••••"
