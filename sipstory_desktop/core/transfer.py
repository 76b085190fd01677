"""Export and import of entries, never of their keys.

An export is a JSON file that names each entry, its kind, base URL and note. It holds no
key, no key hint and no entry id (an id names a key in *this* machine's keyring, and means
nothing, or the wrong thing, anywhere else)::

    {"format": "sipstory-desktop/entries", "version": 1, "exported_at": "...Z",
     "entries": [{"name": ..., "kind": ..., "base_url": ..., "note": ...}]}

An import runs in three steps, so that nothing is ever overwritten silently:

1. :func:`read_export` reads a file strictly, as hostile input, and raises
   :class:`TransferError` saying what is wrong and where.
2. :func:`plan_import` compares it with the saved entries: each incoming entry is ``NEW``,
   ``SAME`` (nothing to do) or a ``CONFLICT`` (same name, something differs), with the
   differences listed for a preview.
3. :func:`apply_import` applies the plan with a choice (skip, rename, replace) for every
   conflict, under the config lock, after checking that the saved entries have not changed
   since the plan was made.

Imported entries have no key yet: the outcome lists them in ``needs_key``.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from .config import MAX_CONFIG_BYTES, SCHEMA_VERSION, ConfigStore
from .entries import (
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    Entry,
    EntryError,
    EntryKind,
    check_name,
)
from .times import to_iso, utc_now
from .urls import CLOUD_BASE_URL, UrlError, base_url_for_instance, normalize_base_url

FORMAT = "sipstory-desktop/entries"
VERSION = 1
MAX_EXPORT_BYTES = 5 * 1024 * 1024
_NOTE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab, CR, LF
_SHOWN_LENGTH = 60
_CONFIG_SIZE_MARGIN = 64 * 1024


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


class Action(str, enum.Enum):
    """What an import would do with one incoming entry."""

    NEW = "new"
    SAME = "same"
    CONFLICT = "conflict"


class Resolution(str, enum.Enum):
    """What to do with a conflict; the user chooses, the import never guesses."""

    SKIP = "skip"
    RENAME = "rename"
    REPLACE = "replace"


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


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between a saved entry and the incoming one."""

    field: str  # "kind", "base_url" or "note"
    old: str
    new: str

    @property
    def label(self) -> str:
        return {"base_url": "base URL"}.get(self.field, self.field)


@dataclass(frozen=True)
class PlannedItem:
    """One incoming entry, what importing it would do, and (for a conflict) the choices."""

    incoming: ImportedEntry
    action: Action
    existing: Entry | None = None
    changes: tuple[FieldChange, ...] = ()
    rename_to: str | None = None  # the free name a RENAME would use

    @property
    def name(self) -> str:
        return self.incoming.name

    @property
    def choices(self) -> tuple[Resolution, ...]:
        return tuple(Resolution) if self.action is Action.CONFLICT else ()

    def preview_line(self) -> str:
        """``new: Acme (https://...)``, ``conflict: Globex: base URL https://a -> https://b``."""
        entry = self.incoming
        name, url = _show_plain(entry.name), _show_plain(entry.base_url)
        if self.action is Action.NEW:
            return f"new: {name} ({url})"
        if self.action is Action.SAME:
            return f"same: {name} ({url}), nothing to do"
        diffs = "; ".join(
            f"{change.label} {_show_value(change.field, change.old)} -> "
            f"{_show_value(change.field, change.new)}"
            for change in self.changes
        )
        rename = _show_plain(self.rename_to or "")
        return f"conflict: {name}: {diffs} (skip, replace, or rename to '{rename}')"


@dataclass(frozen=True)
class PlanSummary:
    """How many incoming entries are new, already there, or in conflict."""

    new: int
    same: int
    conflicts: int

    @property
    def total(self) -> int:
        return self.new + self.same + self.conflicts

    def __str__(self) -> str:
        conflicts = "1 conflict" if self.conflicts == 1 else f"{self.conflicts} conflicts"
        return f"{self.new} new, {self.same} already there, {conflicts}"


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would do, entry by entry, in the file's order."""

    items: tuple[PlannedItem, ...]

    @property
    def conflicts(self) -> tuple[PlannedItem, ...]:
        return tuple(item for item in self.items if item.action is Action.CONFLICT)

    def summary(self) -> PlanSummary:
        count = {action: 0 for action in Action}
        for item in self.items:
            count[item.action] += 1
        return PlanSummary(count[Action.NEW], count[Action.SAME], count[Action.CONFLICT])

    def preview_lines(self) -> list[str]:
        """One line per incoming entry, safe to print (odd characters are escaped)."""
        return [item.preview_line() for item in self.items]

    def choose_all(self, resolution: Resolution) -> dict[str, Resolution]:
        """The same choice for every conflict (``--on-conflict`` on the command line)."""
        return {item.name: resolution for item in self.conflicts}


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did. Entries it created have no key yet: see ``needs_key``."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (name in the file, name it was saved under)
    skipped: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    created: tuple[Entry, ...] = ()  # the entries added or renamed, as saved
    updated: tuple[tuple[Entry, Entry], ...] = ()  # each replaced entry: (before, after)

    @property
    def needs_key(self) -> tuple[str, ...]:
        """Names of the entries created without a key (their check says ``no_secret``)."""
        return tuple(entry.name for entry in self.created)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "replaced": len(self.replaced),
            "renamed": len(self.renamed),
            "skipped": len(self.skipped),
            "unchanged": len(self.unchanged),
            "needs_key": len(self.needs_key),
        }

    def __str__(self) -> str:
        return ", ".join(
            f"{count} {what.replace('_', ' ')}" for what, count in self.counts().items()
        )


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
            f"The file names {_show(exc.key)} twice in one object; it is ambiguous and "
            "was not read."
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
                f"{_where(index, entry.name)}: the name is also used by entry {first + 1} "
                f"({_show(result[first].name)}); names must differ (ignoring case).",
                index=index,
                name=entry.name,
            )
        seen[folded] = index
        result.append(entry)
    return result


def _read_item(index: int, item: Any) -> ImportedEntry:
    if not isinstance(item, dict):
        raise TransferError(f"{_where(index)} is not an object.", index=index)
    raw_name = item.get("name")
    shown_name = raw_name if isinstance(raw_name, str) else None
    values: dict[str, str] = {"note": ""}
    for key in ("name", "kind", "base_url", "note"):
        if key not in item:
            if key == "note":
                continue
            raise TransferError(
                f"{_where(index, shown_name)} has no '{key}'.", index=index, name=shown_name
            )
        value = item[key]
        if not isinstance(value, str):
            raise TransferError(
                f"{_where(index, shown_name)}: '{key}' is not text ({_json_type(value)}).",
                index=index,
                name=shown_name,
            )
        values[key] = value
    try:
        kind = cast(EntryKind, values["kind"])  # checked and converted by ImportedEntry
        return ImportedEntry(values["name"], kind, values["base_url"], values["note"])
    except TransferError as exc:
        raise TransferError(
            f"{_where(index, shown_name)}: {_lower_first(exc.message)}",
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
        shown = _show(kind) if isinstance(kind, str) else repr(kind)[:_SHOWN_LENGTH]
        raise TransferError(f"the kind {shown} is not one of {known}.") from None
    try:
        url = normalize_base_url(base_url)
    except UrlError as exc:
        raise TransferError(str(exc)) from None
    if entry_kind is EntryKind.CLOUD and url != CLOUD_BASE_URL:
        raise TransferError(
            f"a 'cloud' entry must use {CLOUD_BASE_URL}, not {_show(url)}; "
            "use the kind 'custom' for another base URL."
        )
    if entry_kind is EntryKind.SELF_HOSTED:
        try:
            consistent = base_url_for_instance(url) == url
        except UrlError:
            consistent = False
        if not consistent:
            raise TransferError(
                f"a 'self_hosted' base URL ends with /public/v1, unlike {_show(url)}; "
                "use the kind 'custom' for another base URL."
            )
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise TransferError(f"the note is longer than {MAX_NOTE_LENGTH} characters.")
    if _NOTE_CONTROLS.search(note):
        raise TransferError("the note contains control characters.")
    return name, entry_kind, url, note


# --- planning --------------------------------------------------------------------------------


def plan_import(existing: Sequence[Entry], incoming: Sequence[ImportedEntry]) -> ImportPlan:
    """What importing ``incoming`` into ``existing`` would do; changes nothing.

    Raises :class:`TransferError` when two incoming entries share a name (ignoring case).
    """
    saved = list(existing)
    checked = list(incoming)  # an ImportedEntry is checked when it is made
    seen: set[str] = set()
    for index, entry in enumerate(checked):
        if entry.name.casefold() in seen:
            raise TransferError(
                f"{_where(index, entry.name)}: the name appears twice in the import.",
                index=index,
                name=entry.name,
            )
        seen.add(entry.name.casefold())

    by_name: dict[str, Entry] = {}
    for saved_entry in saved:  # the first of a name, as find_by_name finds it
        by_name.setdefault(saved_entry.name.casefold(), saved_entry)
    taken = set(by_name) | seen
    items: list[PlannedItem] = []
    for entry in checked:
        match = by_name.get(entry.name.casefold())
        if match is None:
            items.append(PlannedItem(entry, Action.NEW))
            continue
        changes = _differences(match, entry)
        if not changes:
            items.append(PlannedItem(entry, Action.SAME, existing=match))
            continue
        free = _free_name(entry.name, taken)
        taken.add(free.casefold())
        items.append(PlannedItem(entry, Action.CONFLICT, match, changes, rename_to=free))
    return ImportPlan(tuple(items))


def _differences(saved: Entry, incoming: ImportedEntry) -> tuple[FieldChange, ...]:
    changes: list[FieldChange] = []
    if saved.kind is not incoming.kind:
        changes.append(FieldChange("kind", saved.kind.value, incoming.kind.value))
    if saved.base_url != incoming.base_url:
        changes.append(FieldChange("base_url", saved.base_url, incoming.base_url))
    if saved.note.strip() != incoming.note:
        changes.append(FieldChange("note", saved.note, incoming.note))
    return tuple(changes)


def _free_name(name: str, taken: set[str]) -> str:
    """``Name (imported)``, else ``Name (imported 2)``, ...: the first not in ``taken``
    (casefolded), shortened to fit :data:`MAX_NAME_LENGTH`."""
    number = 1
    while True:
        suffix = " (imported)" if number == 1 else f" (imported {number})"
        candidate = name[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1


# --- applying --------------------------------------------------------------------------------


def apply_import(
    config: ConfigStore, plan: ImportPlan, choices: Mapping[str, Resolution | str]
) -> ImportOutcome:
    """Apply ``plan`` with a choice for every conflict (keyed by the incoming name).

    Runs under the config lock on the entries as saved now. If they changed since the plan
    was made in a way that matters (a new name now taken, a conflicting entry edited or
    removed, a rename target taken), raises :class:`TransferError` asking to preview the
    import again, and writes nothing. New entries get a fresh id and no key.
    """
    resolved = _resolve(plan, choices)
    writes = any(
        item.action is Action.NEW
        or (item.action is Action.CONFLICT and resolved[item.name] is not Resolution.SKIP)
        for item in plan.items
    )
    outcomes: list[ImportOutcome] = []

    def change(current: list[Entry]) -> list[Entry]:
        _check_unchanged(plan, resolved, current)
        result = list(current)
        added: list[str] = []
        replaced: list[str] = []
        renamed: list[tuple[str, str]] = []
        skipped: list[str] = []
        unchanged: list[str] = []
        created: list[Entry] = []
        updated: list[tuple[Entry, Entry]] = []
        for item in plan.items:
            incoming = item.incoming
            if item.action is Action.SAME:
                unchanged.append(item.name)
                continue
            if item.action is Action.NEW:
                created.append(_new_entry(incoming, incoming.name))
                added.append(incoming.name)
                continue
            choice = resolved[item.name]
            if choice is Resolution.SKIP:
                skipped.append(item.name)
            elif choice is Resolution.RENAME:
                assert item.rename_to is not None
                created.append(_new_entry(incoming, item.rename_to))
                renamed.append((item.name, item.rename_to))
            else:
                assert item.existing is not None
                target_id = item.existing.id
                before = next(e for e in result if e.id == target_id)
                after = before.edited(
                    kind=incoming.kind, base_url=incoming.base_url, note=incoming.note
                )
                result = [after if e.id == target_id else e for e in result]
                replaced.append(before.name)
                updated.append((before, after))
        outcomes.append(
            ImportOutcome(
                added=tuple(added),
                replaced=tuple(replaced),
                renamed=tuple(renamed),
                skipped=tuple(skipped),
                unchanged=tuple(unchanged),
                created=tuple(created),
                updated=tuple(updated),
            )
        )
        result += created
        if created or updated:
            _check_size(result)
        return result

    if writes:
        config.update(change)
    else:  # nothing to save: check, but do not rewrite the file
        change(config.load())
    return outcomes[-1]


def _check_size(entries: list[Entry]) -> None:
    """Refuse a config the next start would set aside as too large to be one."""
    document = {"schema": SCHEMA_VERSION, "entries": [e.to_dict() for e in entries]}
    size = len((json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    if size > MAX_CONFIG_BYTES - _CONFIG_SIZE_MARGIN:
        raise TransferError(
            f"With these entries the config would be {size / (1024 * 1024):.1f} MB, over "
            f"what Sipstory Desktop reads ({MAX_CONFIG_BYTES // (1024 * 1024)} MB). Import "
            "fewer entries; nothing was imported."
        )


def _new_entry(incoming: ImportedEntry, name: str) -> Entry:
    entry = Entry(name=name, kind=incoming.kind, base_url=incoming.base_url, note=incoming.note)
    # What the config will read back must be what we write: a bad entry would make the
    # whole file look damaged on the next start.
    try:
        same = Entry.from_dict(entry.to_dict()) == entry
    except EntryError:
        same = False
    if not same:
        raise TransferError(f"{_show(name)} cannot be saved as it is; nothing was imported.")
    return entry


def _resolve(plan: ImportPlan, choices: Mapping[str, Resolution | str]) -> dict[str, Resolution]:
    conflicts = {item.name.casefold(): item for item in plan.conflicts}
    given: dict[str, Resolution] = {}
    for key, value in choices.items():
        item = conflicts.get(key.strip().casefold()) if isinstance(key, str) else None
        if item is None:
            raise TransferError(
                f"There is no conflict called {_show(str(key))} in this import; "
                "choices are only for conflicts."
            )
        try:
            resolution = Resolution(value)
        except ValueError:
            known = ", ".join(r.value for r in Resolution)
            raise TransferError(
                f"{_show(str(value))} is not a choice for {_show(item.name)} (one of {known})."
            ) from None
        if given.get(item.name, resolution) is not resolution:
            raise TransferError(f"Two different choices were given for {_show(item.name)}.")
        given[item.name] = resolution
    missing = [item.name for item in plan.conflicts if item.name not in given]
    if missing:
        names = ", ".join(_show(n) for n in missing)
        raise TransferError(
            f"Choose what to do with {len(missing)} conflicting "
            f"{'entry' if len(missing) == 1 else 'entries'} ({names}): skip, rename or "
            "replace. Nothing was imported.",
            name=missing[0],
        )
    return given


def _check_unchanged(
    plan: ImportPlan, resolved: Mapping[str, Resolution], current: list[Entry]
) -> None:
    """Raise when ``plan``, made earlier, no longer describes what importing would do."""
    fresh = plan_import(current, [item.incoming for item in plan.items])
    for old, new in zip(plan.items, fresh.items, strict=True):
        name = _show(old.name)
        reason = None
        if old.action is Action.NEW and new.action is not Action.NEW:
            reason = f"an entry called {name} was added"
        elif old.action is not Action.NEW and new.action is Action.NEW:
            reason = f"the entry {name} was removed or renamed"
        elif old.existing is not None and new.existing is not None:
            if old.existing.id != new.existing.id:
                reason = f"the entry {name} was replaced"
            elif old.action is not new.action or old.changes != new.changes:
                reason = f"the entry {name} was edited"
            elif (
                old.action is Action.CONFLICT
                and resolved.get(old.name) is Resolution.RENAME
                and old.rename_to != new.rename_to
            ):
                reason = f"the name {_show(old.rename_to or '')} was taken"
        if reason:
            raise TransferError(
                f"The saved entries changed since this import was previewed ({reason} "
                "elsewhere). Preview the import again; nothing was imported.",
                name=old.name,
            )


# --- showing values --------------------------------------------------------------------------


def _show(text: str, limit: int = _SHOWN_LENGTH, *, quote: bool = True) -> str:
    """``text`` for a message: odd characters escaped, long texts shortened, quoted."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    escaped = "".join(
        ch if ch.isprintable() and not _is_surrogate(ch) else f"\\u{ord(ch):04x}" for ch in shown
    )
    return f"'{escaped}'" if quote else escaped


def _is_surrogate(ch: str) -> bool:
    return 0xD800 <= ord(ch) <= 0xDFFF


def _show_plain(text: str) -> str:
    return _show(text, 200, quote=False)


def _show_value(field: str, value: str) -> str:
    if field == "note":
        return _show(value) if value else "(none)"
    return _show_plain(value)


def _show_json(value: Any) -> str:
    if isinstance(value, str):
        return _show(value)
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
    return str(exc)[:_SHOWN_LENGTH]


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _where(index: int, name: str | None = None) -> str:
    """``Entry 3 ('Acme')``: 1-based, as a person counts."""
    return f"Entry {index + 1}" + (f" ({_show(name)})" if name is not None else "")
