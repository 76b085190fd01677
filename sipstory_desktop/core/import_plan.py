"""Importing the entries of an export: a plan first, then applying it, never a silent overwrite.

An import runs in three steps, so that nothing is ever overwritten silently:

1. :func:`.export_format.read_export` reads the file (and raises
   :class:`.export_format.TransferError` saying what is wrong and where).
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .config import MAX_CONFIG_BYTES, SCHEMA_VERSION, ConfigStore
from .entries import Entry, EntryError, free_name
from .export_format import ImportedEntry, TransferError, item_at
from .text import show, show_plain

_CONFIG_SIZE_MARGIN = 64 * 1024


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
        name, url = show_plain(entry.name), show_plain(entry.base_url)
        if self.action is Action.NEW:
            return f"new: {name} ({url})"
        if self.action is Action.SAME:
            return f"same: {name} ({url}), nothing to do"
        diffs = "; ".join(
            f"{change.label} {_show_value(change.field, change.old)} -> "
            f"{_show_value(change.field, change.new)}"
            for change in self.changes
        )
        rename = show_plain(self.rename_to or "")
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
    found_keys: tuple[str, ...] = ()  # created entries whose key a shared vault held

    @property
    def needs_key(self) -> tuple[str, ...]:
        """Names of the entries created without a key (their check says ``no_secret``)."""
        return tuple(e.name for e in self.created if e.name not in self.found_keys)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "replaced": len(self.replaced),
            "renamed": len(self.renamed),
            "skipped": len(self.skipped),
            "unchanged": len(self.unchanged),
            "needs_key": len(self.needs_key),
            **({"keys_found": len(self.found_keys)} if self.found_keys else {}),
        }

    def __str__(self) -> str:
        return ", ".join(
            f"{count} {what.replace('_', ' ')}" for what, count in self.counts().items()
        )


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
                f"{item_at(index, entry.name)}: the name appears twice in the import.",
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
        free = free_name(entry.name, taken)
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
        raise TransferError(f"{show(name)} cannot be saved as it is; nothing was imported.")
    return entry


def _resolve(plan: ImportPlan, choices: Mapping[str, Resolution | str]) -> dict[str, Resolution]:
    conflicts = {item.name.casefold(): item for item in plan.conflicts}
    given: dict[str, Resolution] = {}
    for key, value in choices.items():
        item = conflicts.get(key.strip().casefold()) if isinstance(key, str) else None
        if item is None:
            raise TransferError(
                f"There is no conflict called {show(str(key))} in this import; "
                "choices are only for conflicts."
            )
        try:
            resolution = Resolution(value)
        except ValueError:
            known = ", ".join(r.value for r in Resolution)
            raise TransferError(
                f"{show(str(value))} is not a choice for {show(item.name)} (one of {known})."
            ) from None
        if given.get(item.name, resolution) is not resolution:
            raise TransferError(f"Two different choices were given for {show(item.name)}.")
        given[item.name] = resolution
    missing = [item.name for item in plan.conflicts if item.name not in given]
    if missing:
        names = ", ".join(show(n) for n in missing)
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
        name = show(old.name)
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
                reason = f"the name {show(old.rename_to or '')} was taken"
        if reason:
            raise TransferError(
                f"The saved entries changed since this import was previewed ({reason} "
                "elsewhere). Preview the import again; nothing was imported.",
                name=old.name,
            )


# --- showing values --------------------------------------------------------------------------


def _show_value(field: str, value: str) -> str:
    if field == "note":
        return show(value) if value else "(none)"
    return show_plain(value)
