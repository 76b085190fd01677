"""The config file: atomic writes, backups, damaged files, newer schemas, and the lock."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

import sipstory_desktop.core.config as config_module
from sipstory_desktop.core.config import SCHEMA_VERSION, ConfigError, ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.fileio import backup_path, locked
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.urls import CLOUD_BASE_URL

REPO_ROOT = Path(__file__).resolve().parents[2]


def _entry(name: str) -> Entry:
    return Entry(name=name, kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL)


def _adder(*names: str):  # type: ignore[no-untyped-def]
    def change(entries: list[Entry]) -> list[Entry]:
        return [*entries, *(_entry(n) for n in names)]

    return change


def _names(entries: list[Entry]) -> list[str]:
    return [e.name for e in entries]


def _leftovers(directory: Path) -> list[str]:
    """Temporary files a write may have left behind."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".config.json."))


def _corrupt_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("config.json.corrupt-*"))


@pytest.fixture
def store(paths: AppPaths) -> ConfigStore:
    return ConfigStore(paths)


# --- reading and writing ---------------------------------------------------------------------


def test_absent_file_means_no_entries(store: ConfigStore) -> None:
    assert store.load() == []
    assert not store.path.exists()
    assert store.notices == []


def test_update_saves_and_load_reads_back(store: ConfigStore, paths: AppPaths) -> None:
    saved = store.update(_adder("one", "two"))
    assert _names(saved) == ["one", "two"]
    assert store.load() == saved
    assert ConfigStore(paths).load() == saved  # a second store (another process) sees it
    document = json.loads(store.path.read_text("utf-8"))
    assert document["schema"] == SCHEMA_VERSION
    assert [e["name"] for e in document["entries"]] == ["one", "two"]


def test_update_sees_the_file_as_it_is_now(paths: AppPaths) -> None:
    a, b = ConfigStore(paths), ConfigStore(paths)
    a.update(_adder("from a"))
    b.update(_adder("from b"))
    assert _names(a.load()) == ["from a", "from b"]


def test_first_write_has_no_backup_second_backs_up_the_first(store: ConfigStore) -> None:
    store.update(_adder("v1"))
    assert not backup_path(store.path).exists()
    first = store.path.read_bytes()
    store.update(_adder("v2"))
    assert backup_path(store.path).read_bytes() == first
    second = store.path.read_bytes()
    store.update(_adder("v3"))
    assert backup_path(store.path).read_bytes() == second
    assert _leftovers(store.path.parent) == []


def test_update_that_raises_writes_nothing(store: ConfigStore) -> None:
    store.update(_adder("one"))
    store.update(_adder("two"))
    before, backup_before = store.path.read_bytes(), backup_path(store.path).read_bytes()

    def change(entries: list[Entry]) -> list[Entry]:
        entries.append(_entry("three"))
        raise RuntimeError("abort")

    with pytest.raises(RuntimeError, match="abort"):
        store.update(change)
    assert store.path.read_bytes() == before
    assert backup_path(store.path).read_bytes() == backup_before
    assert _leftovers(store.path.parent) == []


def test_update_change_gets_a_copy_of_the_list(store: ConfigStore) -> None:
    store.update(_adder("one"))
    seen: list[list[Entry]] = []

    def change(entries: list[Entry]) -> list[Entry]:
        seen.append(entries)
        return [*entries, _entry("two")]

    result = store.update(change)
    assert _names(seen[0]) == ["one"]
    assert _names(result) == ["one", "two"]


def test_failed_rename_leaves_the_old_file_whole(
    store: ConfigStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(_adder("old"))
    old = store.path.read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) == store.path:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(ConfigError, match="Nothing was changed"):
        store.update(_adder("new"))
    monkeypatch.undo()
    assert store.path.read_bytes() == old
    assert _names(store.load()) == ["old"]
    assert _leftovers(store.path.parent) == []


def test_failed_backup_leaves_the_old_file_and_no_temp(
    store: ConfigStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(_adder("old"))
    old = store.path.read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) == backup_path(store.path):
            raise OSError(5, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(ConfigError):
        store.update(_adder("new"))
    monkeypatch.undo()
    assert store.path.read_bytes() == old
    assert _leftovers(store.path.parent) == []


def test_failed_temp_write_leaves_the_old_file(
    store: ConfigStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(_adder("old"))
    old = store.path.read_bytes()

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(ConfigError):
        store.update(_adder("new"))
    monkeypatch.undo()
    assert store.path.read_bytes() == old
    assert _leftovers(store.path.parent) == []


def test_unreadable_config_is_a_config_error_and_not_set_aside(store: ConfigStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.mkdir()  # a directory where the file should be
    with pytest.raises(ConfigError, match="Cannot read"):
        store.load()
    assert store.path.is_dir()
    assert _corrupt_files(store.path.parent) == []


# --- damaged files ---------------------------------------------------------------------------


def _valid_document(*names: str) -> bytes:
    document = {"schema": 1, "entries": [_entry(n).to_dict() for n in names]}
    return json.dumps(document).encode()


DAMAGED = {
    "garbage": b"\x00\xff\xfe not json at all",
    "not utf-8": b'{"schema": 1, "entries": [], "x": "\xff"}',
    "empty file": b"",
    "array": b"[]",
    "string": b'"config"',
    "no schema": b'{"entries": []}',
    "schema is text": b'{"schema": "1", "entries": []}',
    "schema is a bool": b'{"schema": true, "entries": []}',
    "entries not a list": b'{"schema": 1, "entries": {}}',
    "bad entry": b'{"schema": 1, "entries": [{"name": "x"}]}',
    "entry with a bad url": _valid_document("a").replace(b"https://", b"ftp://"),
    "truncated": _valid_document("a", "b")[:-20],
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_damaged_config_is_set_aside_and_restored_from_backup(
    store: ConfigStore, damage: str
) -> None:
    store.update(_adder("first"))
    store.update(_adder("second"))  # the backup now holds ["first"]
    damaged = DAMAGED[damage]
    store.path.write_bytes(damaged)

    entries = store.load()

    assert _names(entries) == ["first"]
    aside = _corrupt_files(store.path.parent)
    assert len(aside) == 1
    assert aside[0].read_bytes() == damaged
    assert _names(ConfigStore(AppPaths(store.path.parent, store.path.parent)).load()) == ["first"]
    assert len(store.notices) == 1
    notice = store.notices[0]
    assert "damaged" in notice
    assert "backup" in notice
    assert aside[0].name in notice
    assert _leftovers(store.path.parent) == []


def test_damaged_config_without_backup_starts_empty_and_keeps_the_file(
    store: ConfigStore,
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"{broken")
    assert store.load() == []
    aside = _corrupt_files(store.path.parent)
    assert len(aside) == 1
    assert aside[0].read_bytes() == b"{broken"
    assert len(store.notices) == 1
    assert "no usable backup" in store.notices[0]
    assert "keyring" in store.notices[0]  # the keys are not lost


def test_damaged_config_with_a_damaged_backup_starts_empty(store: ConfigStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"{broken")
    backup_path(store.path).write_bytes(b"also broken")
    assert store.load() == []
    assert "no usable backup" in store.notices[0]
    assert backup_path(store.path).read_bytes() == b"also broken"


def test_update_on_a_damaged_config_recovers_then_applies(store: ConfigStore) -> None:
    store.update(_adder("first"))
    store.update(_adder("second"))
    store.path.write_bytes(b"garbage")
    result = store.update(_adder("third"))
    assert _names(result) == ["first", "third"]
    assert _names(store.load()) == ["first", "third"]
    assert len(_corrupt_files(store.path.parent)) == 1
    assert len(store.notices) == 1


@pytest.mark.parametrize(
    "document",
    [
        b'{"schema": 2, "entries": []}',
        b'{"schema": 99, "entries": "whatever the future holds"}',
    ],
)
def test_newer_schema_is_refused_and_left_untouched(store: ConfigStore, document: bytes) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(document)
    with pytest.raises(ConfigError, match="newer"):
        store.load()
    called: list[bool] = []

    def change(entries: list[Entry]) -> list[Entry]:
        called.append(True)
        return entries

    with pytest.raises(ConfigError, match="newer"):
        store.update(change)
    assert called == []
    assert store.path.read_bytes() == document
    assert _corrupt_files(store.path.parent) == []
    assert not backup_path(store.path).exists()


def test_config_with_a_huge_integer_is_treated_as_damaged(store: ConfigStore) -> None:
    store.path.parent.mkdir(parents=True)
    damaged = b'{"schema": 1, "entries": [], "n": ' + b"1" * 5000 + b"}"
    store.path.write_bytes(damaged)
    assert store.load() == []
    aside = _corrupt_files(store.path.parent)
    assert [p.read_bytes() for p in aside] == [damaged]


def test_two_damaged_files_in_the_same_second_are_both_kept(
    store: ConfigStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(config_module, "utc_now", lambda: frozen)
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"first damage")
    assert store.load() == []
    store.path.write_bytes(b"second damage")
    assert store.load() == []
    kept = sorted(p.read_bytes() for p in _corrupt_files(store.path.parent))
    assert kept == [b"first damage", b"second damage"]


# --- the lock --------------------------------------------------------------------------------


def test_lock_held_elsewhere_is_a_config_error(
    store: ConfigStore, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(_adder("one"))
    monkeypatch.setattr(config_module, "locked", functools.partial(locked, timeout=0.05))
    with locked(paths.lock_file), pytest.raises(ConfigError, match="Another"):
        store.update(_adder("two"))
    # reading needs no lock
    with locked(paths.lock_file):
        assert _names(store.load()) == ["one"]
    assert _names(store.update(_adder("two"))) == ["one", "two"]


def test_threads_do_not_lose_each_others_updates(paths: AppPaths) -> None:
    threads_count, per_thread = 8, 10
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        store = ConfigStore(paths)
        try:
            start.wait(timeout=10)
            for i in range(per_thread):
                store.update(_adder(f"t{t}-{i}"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    names = _names(ConfigStore(paths).load())
    assert len(names) == threads_count * per_thread
    assert set(names) == {f"t{t}-{i}" for t in range(threads_count) for i in range(per_thread)}


_WORKER = """
import sys
from pathlib import Path
from sipstory_desktop.core.config import ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.urls import CLOUD_BASE_URL

home, worker, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = ConfigStore(AppPaths(home, home / "logs"))
sys.stdin.readline()  # start together
for i in range(count):
    entry = Entry(name=f"p{worker}-{i}", kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL)
    store.update(lambda entries, entry=entry: [*entries, entry])
print("done", worker)
"""


def test_processes_writing_at_once_lose_no_update(paths: AppPaths) -> None:
    processes_count, per_process = 4, 25
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(paths.data_dir), str(p), str(per_process)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO_ROOT,
        )
        for p in range(processes_count)
    ]
    try:
        for process in processes:  # all are started; let them go at once
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=60) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode(errors="replace")
        assert out.startswith(b"done")
    store = ConfigStore(paths)
    names = _names(store.load())
    assert len(names) == processes_count * per_process
    expected = {f"p{p}-{i}" for p in range(processes_count) for i in range(per_process)}
    assert set(names) == expected
    # each process's entries stay in the order it added them
    for p in range(processes_count):
        mine = [n for n in names if n.startswith(f"p{p}-")]
        assert mine == [f"p{p}-{i}" for i in range(per_process)]
    assert store.notices == []
    assert _leftovers(paths.data_dir) == []
    assert _corrupt_files(paths.data_dir) == []
