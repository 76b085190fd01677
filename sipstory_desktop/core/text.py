"""Text a server sent, made safe to show: one line, no control characters, bounded."""

from __future__ import annotations

import unicodedata

SHOWN_LENGTH = 200


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
