"""The keys that Replace key took out of the keyring in this session, kept in memory only so
that a replacement can be undone (the new key may be wrong). Nothing is written anywhere;
everything is dropped on quit (:meth:`ReplacedKeys.wipe`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReplacedKey:
    """The key an entry had before Replace key, and its hint; ``replacement``: the key
    Replace key stored (undo puts the old one back only over that one). Keys stay out of
    repr."""

    key: str = field(repr=False)
    hint: str
    replacement: str = field(repr=False, default="")


class ReplacedKeys:
    """Entry id -> the key it had before its last replacement in this session."""

    def __init__(self) -> None:
        self._kept: dict[str, ReplacedKey] = {}

    def __repr__(self) -> str:
        return f"ReplacedKeys({len(self._kept)} kept)"

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._kept

    def keep(self, entry_id: str, previous: ReplacedKey) -> None:
        """Keep the key replaced now: undo goes back one replacement, to the key the
        keyring held right before it."""
        self._kept[entry_id] = previous

    def get(self, entry_id: str) -> ReplacedKey | None:
        return self._kept.get(entry_id)

    def drop(self, entry_id: str) -> None:
        self._kept.pop(entry_id, None)

    def wipe(self) -> None:
        """Forget every kept key (on quit)."""
        self._kept.clear()
