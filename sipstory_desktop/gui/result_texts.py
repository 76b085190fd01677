"""A check result's message and hint in the user's language.

The core writes them in English (the command line and state.json keep them so), from the
templates of core/messages.py. :func:`translated` recognises a text by its template,
translates the template (context ``CheckMessages``) and fills in the same values; a
value that is itself a template ("the certificate has expired") is translated too.
What the server said stays as it is inside its template; a text from no template is
shown as it is.
"""

from __future__ import annotations

import re
import string
from functools import cache, lru_cache

from PySide6.QtCore import QCoreApplication

from sipstory_desktop.core.messages import CONTEXT, TEMPLATES

# Placeholders that always hold a number (an HTTP status, a count, seconds): matched as
# digits, so "{listed} {skipped} item(s)" splits where the number is.
NUMBERS = frozenset(
    {"status", "limit", "minutes", "kib", "kb", "count", "skipped", "used", "planned", "timeout"}
)


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    seen: set[str] = set()
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field in seen:
            parts.append(f"(?P={field})")
        else:
            seen.add(field)
            value = r"\d+(?:\.\d+)?" if field in NUMBERS else ".*?"
            parts.append(f"(?P<{field}>{value})")
    return re.compile("".join(parts), re.DOTALL)


@cache
def _catalogue() -> list[tuple[str, re.Pattern[str]]]:
    """Every template with its pattern, the most specific (most literal text) first."""

    def literal_length(template: str) -> int:
        return sum(len(part[0]) for part in string.Formatter().parse(template))

    ordered = sorted(TEMPLATES, key=literal_length, reverse=True)
    return [(template, _pattern(template)) for template in ordered]


@lru_cache(maxsize=4096)  # the same few texts, in every row, tooltip and repaint
def template_of(text: str) -> tuple[str, dict[str, str]] | None:
    """The template ``text`` was made from and its values, or None."""
    for template, pattern in _catalogue():
        found = pattern.fullmatch(text)
        if found:
            return template, found.groupdict()
    return None


def translated(text: str) -> str:
    """``text`` (a result's message or hint, in English) in the user's language."""
    if not text:
        return text
    made = template_of(text)
    if made is None:
        return text
    template, values = made
    filled = {name: translated(value) if value else value for name, value in values.items()}
    wording = QCoreApplication.translate(CONTEXT, template)
    try:
        return wording.format(**filled)
    except (KeyError, IndexError, ValueError):  # a translation with broken placeholders
        return template.format(**filled)
