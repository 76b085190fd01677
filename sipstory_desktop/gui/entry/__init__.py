"""The dialog that adds an entry, edits one, or replaces an entry's key, in pieces.

``dialog`` holds :class:`~.dialog.EntryDialog`; ``draft`` what it is for and what it hands
over; ``section`` the base of its sections, one module each: ``name``, ``server`` (Cloud,
instance address or custom base URL), ``key`` and ``note``.
"""
