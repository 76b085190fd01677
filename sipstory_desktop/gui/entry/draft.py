"""What the entry dialog is for, and the validated draft it hands over to be saved."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ...core.entries import EntryKind
from ...core.status import CheckResult


class DialogMode(enum.Enum):
    """What the dialog is for."""

    ADD = "add"
    EDIT = "edit"
    REPLACE_KEY = "replace_key"


@dataclass(frozen=True)
class EntryDraft:
    """What the user asked to save, validated.

    ``address`` is the instance address for ``SELF_HOSTED``, the base URL for ``CUSTOM`` and
    ``""`` for ``CLOUD``; ``base_url`` is what it resolves to. ``key`` is the cleaned key, or
    None in Edit mode, where the key is not changed. The key is left out of ``repr()``.
    ``checked`` is the result of the dialog's own test of exactly this base URL and key
    (None when it was not tested, or the inputs changed since): a request was spent on it.
    """

    name: str
    kind: EntryKind
    address: str
    base_url: str
    key: str | None = field(repr=False)
    note: str
    checked: CheckResult | None = field(default=None, compare=False)
