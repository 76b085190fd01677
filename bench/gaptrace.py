"""Where a stall's time goes: timing wrappers around the app's GUI-thread and worker calls.

Used by ``window_check.py --trace`` and ``window_load.py --trace`` (never for the figures:
the wrappers cost a little). :func:`instrument` must run before the window is built (slots
are bound when connected). :func:`explain` lists, for the longest gaps between two timer
ticks, the outermost traced calls on the GUI thread inside each gap and the traced calls
running on other threads meanwhile (they compete for the interpreter lock). Time in a gap
that no traced GUI-thread call covers is Qt's own work (layout, painting outside the
delegates) or waiting for the interpreter lock.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

# (module, class, method) traced; delegate paints are summed under one name.
TARGETS: tuple[tuple[str, str, str], ...] = (
    ("sipstory_desktop.gui.list_loader", "ListLoader", "reload"),
    ("sipstory_desktop.gui.list_loader", "ListLoader", "_read_disk"),
    ("sipstory_desktop.gui.list_loader", "ListLoader", "_show_read"),
    ("sipstory_desktop.gui.list_loader", "ListLoader", "_rows_shown"),
    ("sipstory_desktop.gui.list_loader", "ListLoader", "_watch_files"),
    ("sipstory_desktop.gui.entry_list", "EntryListView", "select"),
    ("sipstory_desktop.gui.entry_list", "EntryListView", "visible_entry_ids"),
    ("sipstory_desktop.gui.window", "MainWindow", "check_all"),
    ("sipstory_desktop.gui.window", "MainWindow", "_rows_changed"),
    ("sipstory_desktop.gui.window", "MainWindow", "_list_settled"),
    ("sipstory_desktop.gui.window", "MainWindow", "_update_details"),
    ("sipstory_desktop.gui.check_controller", "CheckController", "_started"),
    ("sipstory_desktop.gui.check_controller", "CheckController", "_delivered"),
    ("sipstory_desktop.gui.check_controller", "CheckController", "_noted_progress"),
    ("sipstory_desktop.gui.check_controller", "CheckController", "_idle"),
    ("sipstory_desktop.gui.check_controller", "CheckController", "_spin"),
    ("sipstory_desktop.gui.watch_mode", "WatchMode", "update_tray"),
    ("sipstory_desktop.gui.workers", "Worker", "_deliver"),
    ("sipstory_desktop.gui.check_session", "CheckSession", "_deliver"),
    ("sipstory_desktop.gui.check_session", "CheckSession", "_save"),
    ("sipstory_desktop.gui.check_session", "CheckSession", "_check"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "set_entries"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "_build_some"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "_next_turn"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "show_checking"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "set_state"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "set_results"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "same_entries"),
    ("sipstory_desktop.core.vault", "Vault", "entries"),
    ("sipstory_desktop.core.vault", "Vault", "load_state"),
    ("sipstory_desktop.core.vault", "Vault", "record"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "advance_spinner"),
    ("sipstory_desktop.gui.entry_model", "EntryModel", "refresh_times"),
)

_records: list[tuple[bool, str, float, float, int]] = []  # main?, name, start, end, depth
_local = threading.local()
_lock = threading.Lock()


def _wrap(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def traced(*args: Any, **kwargs: Any) -> Any:
        depth = getattr(_local, "depth", 0)
        _local.depth = depth + 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            ended = time.perf_counter()
            _local.depth = depth
            main = threading.current_thread() is threading.main_thread()
            with _lock:
                _records.append((main, name, started, ended, depth))

    return traced


def instrument() -> None:
    for module_name, class_name, method in TARGETS:
        cls = getattr(importlib.import_module(module_name), class_name)
        name = f"{class_name}.{method}"
        setattr(cls, method, _wrap(name, getattr(cls, method)))
    from PySide6.QtWidgets import QTreeView

    original = QTreeView.expandAll
    QTreeView.expandAll = _wrap("QTreeView.expandAll", original)  # type: ignore[method-assign]


def _overlap(a: float, b: float, start: float, end: float) -> float:
    return max(0.0, min(b, end) - max(a, start))


def explain(ticks: Sequence[float], top: int = 5) -> str:
    """A text report on the ``top`` longest gaps between ``ticks`` (perf_counter times),
    and the traced calls' totals from the first tick on."""
    since = ticks[0] if ticks else 0.0
    gaps = sorted(
        ((b - a, a, b) for a, b in itertools.pairwise(ticks) if a >= since), reverse=True
    )[:top]
    with _lock:
        records = list(_records)
    lines = []
    origin = ticks[0] if ticks else 0.0
    for length, a, b in gaps:
        lines.append(f"gap of {length * 1000:.0f} ms at +{(a - origin) * 1000:.0f} ms:")
        gui: dict[str, float] = defaultdict(float)
        calls: dict[str, int] = defaultdict(int)
        other: dict[str, float] = defaultdict(float)
        for main, name, start, end, depth in records:
            share = _overlap(a, b, start, end)
            if not share:
                continue
            if main and depth == 0:
                gui[name] += share
                calls[name] += 1
            elif not main and depth == 0:
                other[name] += share
        covered = sum(gui.values())
        for name, share in sorted(gui.items(), key=lambda item: -item[1]):
            lines.append(f"    GUI thread  {share * 1000:7.1f} ms  {name} (x{calls[name]})")
        lines.append(
            f"    GUI thread  {(length - covered) * 1000:7.1f} ms  not in a traced call "
            "(Qt's own work, or waiting for the interpreter lock)"
        )
        for name, share in sorted(other.items(), key=lambda item: -item[1]):
            lines.append(f"    other threads {share * 1000:5.0f} ms  {name} (summed over threads)")
    totals: dict[str, list[float]] = defaultdict(list)
    for main, name, start, end, _depth in records:
        if start >= since:
            totals[("GUI  " if main else "pool ") + name].append(end - start)
    lines.append("totals over the measured run (count, sum, longest):")
    for name, times in sorted(totals.items(), key=lambda item: -sum(item[1])):
        lines.append(
            f"    {name:60s} {len(times):5d}  {sum(times) * 1000:8.1f} ms  "
            f"{max(times) * 1000:7.1f} ms"
        )
    return "\n".join(lines)
