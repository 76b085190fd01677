"""Text made safe to show: a server's text on one line, a value quoted in a message."""

from __future__ import annotations

import unicodedata

SHOWN_LENGTH = 200
QUOTED_LENGTH = 60


def one_line(text: str, limit: int = SHOWN_LENGTH) -> str:
    """``text`` on one line, without control or bidi-override characters, cut at ``limit``.

    Whatever a hostile server puts in a message, a header or a channel name must not move a
    terminal's cursor, reorder what is shown around it, or fill the screen.
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text[: limit * 4]
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return " ".join(kept.split())[:limit]


def show(text: str, limit: int = QUOTED_LENGTH, *, quote: bool = True) -> str:
    """``text`` for a message: odd characters escaped, long texts shortened, quoted."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    escaped = "".join(
        ch if ch.isprintable() and not _is_surrogate(ch) else f"\\u{ord(ch):04x}" for ch in shown
    )
    return f"'{escaped}'" if quote else escaped


def _is_surrogate(ch: str) -> bool:
    return 0xD800 <= ord(ch) <= 0xDFFF


def show_plain(text: str) -> str:
    """``text`` for a message, unquoted and up to 200 characters: a name or a URL."""
    return show(text, 200, quote=False)
