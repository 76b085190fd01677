"""The export file of entries, never of their keys, and how one is read.

An export is a JSON file that names each entry, its kind, base URL and note. It holds no
key, no key hint and no entry id (an id names a key in *this* machine's keyring, and means
nothing, or the wrong thing, anywhere else)::

    {"format": "sipstory-desktop/entries", "version": 1, "exported_at": "...Z",
     "entries": [{"name": ..., "kind": ..., "base_url": ..., "note": ...}]}

:func:`export_entries` writes one. :func:`read_export` reads a file strictly, as hostile
input, and raises :class:`TransferError` saying what is wrong and where. What importing the
entries it returns would do, and doing it, is :mod:`.import_plan`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from .entries import MAX_NOTE_LENGTH, Entry, EntryError, EntryKind, check_name
from .text import QUOTED_LENGTH, show
from .times import to_iso, utc_now
from .urls import CLOUD_BASE_URL, UrlError, base_url_for_instance, normalize_base_url

FORMAT = "sipstory-desktop/entries"
VERSION = 1
MAX_EXPORT_BYTES = 5 * 1024 * 1024
_NOTE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab, CR, LF


class TransferError(ValueError):
    """An export that cannot be read, or an import that cannot be applied as planned.

    The message says what is wrong and where; ``index`` (0-based, in the file's
    ``entries``) and ``name`` say which entry, when it is about one.
    """

    def __init__(self, message: str, *, index: int | None = None, name: str | None = None):
        super().__init__(message)
        self.message = message
        self.index = index
        self.name = name


@dataclass(frozen=True)
class ImportedEntry:
    """One entry to import: no key, no id. Checked when made, with the config's rules
    (name trimmed, base URL normalized, note trimmed); raises :class:`TransferError`
    saying what is wrong (:func:`read_export` adds where)."""

    name: str
    kind: EntryKind
    base_url: str
    note: str = ""

    def __post_init__(self) -> None:
        name, kind, base_url, note = _checked_fields(self.name, self.kind, self.base_url, self.note)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "base_url", base_url)
        object.__setattr__(self, "note", note)


# --- export ----------------------------------------------------------------------------------


def export_entries(entries: Sequence[Entry], *, now: datetime | None = None) -> bytes:
    """The entries as an export file: names, kinds, base URLs and notes; no key, no hint,
    no id. Pretty-printed UTF-8 JSON with a trailing newline."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": to_iso(now or utc_now()),
        "entries": [
            {
                "name": entry.name,
                "kind": entry.kind.value,
                "base_url": entry.base_url,
                "note": entry.note,
            }
            for entry in entries
        ],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --- reading an export -----------------------------------------------------------------------


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_export(data: bytes) -> list[ImportedEntry]:
    """The entries of an export file, each checked with the core's rules.

    Raises :class:`TransferError` on anything that is not a well-formed export: too large,
    not UTF-8 JSON, another format or version, a bad or duplicated name, a bad base URL...
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TransferError("An export is read as bytes.")
    if len(data) > MAX_EXPORT_BYTES:
        raise TransferError(
            f"The file is {len(data) / (1024 * 1024):.1f} MB; an export of entries is at most "
            f"{MAX_EXPORT_BYTES // (1024 * 1024)} MB. Is this the right file?"
        )
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TransferError("The file is not UTF-8 text: it is not an export of entries.") from None
    try:
        document = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant
        )
    except _DuplicateKey as exc:
        raise TransferError(
            f"The file names {show(exc.key)} twice in one object; it is ambiguous and was not read."
        ) from None
    except (ValueError, RecursionError) as exc:  # ValueError: JSONDecodeError, huge integers
        raise TransferError(
            f"The file is not valid JSON ({_json_reason(exc)}): it is not an export of entries."
        ) from None
    if not isinstance(document, dict):
        raise TransferError("The file is JSON but not an export of entries (not an object).")
    if document.get("format") != FORMAT:
        raise TransferError(
            f"The file is JSON but not an export of Sipstory Desktop entries "
            f"(its 'format' is {_show_json(document.get('format'))}, not {FORMAT!r})."
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise TransferError("The export's 'version' is missing or not a whole number.")
    if version > VERSION:
        raise TransferError(
            f"The export was written by a newer Sipstory Desktop (version {version}); "
            "update the app to import it."
        )
    if version != VERSION:
        raise TransferError(f"The export has an unknown version ({version}).")
    items = document.get("entries")
    if not isinstance(items, list):
        raise TransferError("The export's 'entries' is missing or not a list.")

    result: list[ImportedEntry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        entry = _read_item(index, item)
        folded = entry.name.casefold()
        if folded in seen:
            first = seen[folded]
            raise TransferError(
                f"{item_at(index, entry.name)}: the name is also used by entry {first + 1} "
                f"({show(result[first].name)}); names must differ (ignoring case).",
                index=index,
                name=entry.name,
            )
        seen[folded] = index
        result.append(entry)
    return result


def _read_item(index: int, item: Any) -> ImportedEntry:
    if not isinstance(item, dict):
        raise TransferError(f"{item_at(index)} is not an object.", index=index)
    raw_name = item.get("name")
    shown_name = raw_name if isinstance(raw_name, str) else None
    values: dict[str, str] = {"note": ""}
    for key in ("name", "kind", "base_url", "note"):
        if key not in item:
            if key == "note":
                continue
            raise TransferError(
                f"{item_at(index, shown_name)} has no '{key}'.", index=index, name=shown_name
            )
        value = item[key]
        if not isinstance(value, str):
            raise TransferError(
                f"{item_at(index, shown_name)}: '{key}' is not text ({_json_type(value)}).",
                index=index,
                name=shown_name,
            )
        values[key] = value
    try:
        kind = cast(EntryKind, values["kind"])  # checked and converted by ImportedEntry
        return ImportedEntry(values["name"], kind, values["base_url"], values["note"])
    except TransferError as exc:
        raise TransferError(
            f"{item_at(index, shown_name)}: {_lower_first(exc.message)}",
            index=index,
            name=shown_name,
        ) from None


def _checked_fields(
    name: object, kind: object, base_url: object, note: object
) -> tuple[str, EntryKind, str, str]:
    """The fields of an entry to import, checked with the rules of the config."""
    texts = {"name": name, "base URL": base_url, "note": note}
    for what, value in texts.items():
        if not isinstance(value, str):
            raise TransferError(f"the {what} is not text.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise TransferError(f"the {what} contains invalid characters.") from None
    assert isinstance(name, str) and isinstance(base_url, str) and isinstance(note, str)
    try:
        name = check_name(name)
    except EntryError as exc:
        raise TransferError(str(exc)) from None
    try:
        entry_kind = EntryKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in EntryKind)
        shown = show(kind) if isinstance(kind, str) else repr(kind)[:QUOTED_LENGTH]
        raise TransferError(f"the kind {shown} is not one of {known}.") from None
    try:
        url = normalize_base_url(base_url)
    except UrlError as exc:
        raise TransferError(str(exc)) from None
    if entry_kind is EntryKind.CLOUD and url != CLOUD_BASE_URL:
        raise TransferError(
            f"a 'cloud' entry must use {CLOUD_BASE_URL}, not {show(url)}; "
            "use the kind 'custom' for another base URL."
        )
    if entry_kind is EntryKind.SELF_HOSTED:
        try:
            consistent = base_url_for_instance(url) == url
        except UrlError:
            consistent = False
        if not consistent:
            raise TransferError(
                f"a 'self_hosted' base URL ends with /public/v1, unlike {show(url)}; "
                "use the kind 'custom' for another base URL."
            )
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise TransferError(f"the note is longer than {MAX_NOTE_LENGTH} characters.")
    if _NOTE_CONTROLS.search(note):
        raise TransferError("the note contains control characters.")
    return name, entry_kind, url, note


# --- showing values --------------------------------------------------------------------------


def _show_json(value: Any) -> str:
    if isinstance(value, str):
        return show(value)
    if value is None:
        return "missing"
    return _json_type(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _json_reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    return str(exc)[:QUOTED_LENGTH]


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def item_at(index: int, name: str | None = None) -> str:
    """``Entry 3 ('Acme')``: 1-based, as a person counts."""
    return f"Entry {index + 1}" + (f" ({show(name)})" if name is not None else "")
