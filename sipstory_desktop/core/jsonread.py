"""Reading a large JSON document in pieces, so that other threads keep running meanwhile.

``json.loads`` parses a whole document in one call of C code, which holds the interpreter
lock from start to end: for a state file of 1000 entries, long enough for the window to
stall (docs/benchmarks.md). :func:`loads_in_pieces` gives the same result, but parses the
members of the top-level object, and of the objects directly in it, one by one; each
is a short C call, and Python runs between them, so a thread waiting for the lock gets it
within one member's parse.
"""

from __future__ import annotations

import json
import re
from typing import Any

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")
DEPTH = 2  # levels of objects read member by member


def loads_in_pieces(text: str) -> Any:
    """``json.loads(text)``, in pieces (see the module). Raises ``ValueError`` where
    ``json.loads`` would (``json.JSONDecodeError`` is one)."""
    try:
        value, end = _value(text, _skip(text, 0), DEPTH)
    except IndexError:  # the document ends inside an object
        raise json.JSONDecodeError("Unterminated object", text, len(text)) from None
    end = _skip(text, end)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _skip(text: str, at: int) -> int:
    match = _WHITESPACE.match(text, at)
    return match.end() if match else at


def _value(text: str, at: int, depth: int) -> tuple[Any, int]:
    if depth > 0 and text[at] == "{":
        return _object(text, at, depth)
    return _DECODER.raw_decode(text, at)


def _object(text: str, at: int, depth: int) -> tuple[dict[str, Any], int]:
    """The object starting at ``text[at] == "{"``, member by member."""
    members: dict[str, Any] = {}
    at = _skip(text, at + 1)
    if text[at] == "}":
        return members, at + 1
    while True:
        if text[at] != '"':
            raise json.JSONDecodeError("Expecting property name", text, at)
        name, at = _DECODER.raw_decode(text, at)
        at = _skip(text, at)
        if text[at] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
        members[name], at = _value(text, _skip(text, at + 1), depth - 1)
        at = _skip(text, at)
        if text[at] == "}":
            return members, at + 1
        if text[at] != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
        at = _skip(text, at + 1)
