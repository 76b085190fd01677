"""The config file: atomic writes, backups, damaged files, newer schemas, and the lock."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

import sipstory_desktop.core.config as config_module
from sipstory_desktop.core.config import SCHEMA_VERSION, ConfigError, ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.fileio import backup_path, locked
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from tests.support.properties import (
    FAST_TMP,
    FUZZ,
    json_values,
    serialized,
    wide_json_values,
)

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


# A regression test of a bug the fuzz tests found: ConfigStore._recover_locked set the
# damaged config aside before _read_backup parsed the backup, whose newer schema raised
# ConfigError ('It was left untouched'): config.json was gone, the next load was silently
# empty, and later writes overwrote the newer version's backup.

CUSTOM_URL = "https://sipstory.example.com/api/public/v1"
DAMAGED_BESIDE_NEWER = b'{"schema": 1, "entries": [{"id": "ab'
NEWER_BACKUP = json.dumps(
    {
        "schema": 2,
        "entries": [
            Entry(
                name="Kept", kind=EntryKind.CLOUD, base_url="https://api.sipstory.tech/public/v1"
            ).to_dict()
        ],
    }
).encode()


def _damaged_with_a_newer_backup(root: Path) -> AppPaths:
    paths = AppPaths(data_dir=root, log_dir=root / "logs")
    paths.config_file.write_bytes(DAMAGED_BESIDE_NEWER)
    backup_path(paths.config_file).write_bytes(NEWER_BACKUP)
    return paths


def test_refusing_a_newer_backup_leaves_the_config_untouched_as_promised(tmp_path: Path) -> None:
    paths = _damaged_with_a_newer_backup(tmp_path)
    with pytest.raises(ConfigError, match="left untouched"):
        ConfigStore(paths).load()
    assert paths.config_file.is_file() and paths.config_file.read_bytes() == DAMAGED_BESIDE_NEWER


def test_a_damaged_config_with_a_newer_backup_never_becomes_a_silent_empty_list(
    tmp_path: Path,
) -> None:
    paths = _damaged_with_a_newer_backup(tmp_path)
    with pytest.raises(ConfigError):
        ConfigStore(paths).load()
    store = ConfigStore(paths)
    try:
        entries = store.load()
    except ConfigError:
        entries = None  # still refused: the user is told, nothing is written
    assert entries is None or store.notices, "the second load gives [] without a word"
    if entries is not None:
        for name in ("One", "Two"):  # the user adds keys again; each write makes a backup
            extra = Entry(name=name, kind=EntryKind.CUSTOM, base_url=CUSTOM_URL)
            store.update(lambda current, extra=extra: [*current, extra])
    kept = [p for p in tmp_path.iterdir() if p.is_file() and p.read_bytes() == NEWER_BACKUP]
    assert kept, "the newer version's backup, the only whole copy of the entries, is lost"


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


# --- any file ------------------------------------------------------------------------------------
# ConfigStore.load on any bytes, and on any JSON shaped like a config (with or without a
# backup beside it), raises nothing but ConfigError, never loses the damaged file (it is set
# aside, byte for byte, or left in place), and the store can be written afterwards, after
# which a fresh store reads back what was written.

_entry_names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(["A", "z", "é", "7", "(", "Ω", "名"]),
    st.text(alphabet="abc XYZ é-_.()0123456789Ω名", max_size=11),
)
_entries = st.builds(
    lambda name, kind, url, note, hint: Entry(
        name=name.strip(), kind=kind, base_url=url, note=note, key_hint=hint
    ),
    _entry_names,
    st.sampled_from(list(EntryKind)),
    st.sampled_from(
        [
            "https://api.sipstory.tech/public/v1",
            "http://localhost:4007/api/public/v1",
            "https://bücher.example/api/public/v1",
            "http://[::1]:3000/public/v1",
        ]
    ),
    st.text(max_size=20),
    st.text(alphabet="0123456789abcdef", max_size=4),
)
_good_dicts = st.lists(_entries, max_size=3).map(lambda es: [e.to_dict() for e in es])
_field_names = ["id", "name", "kind", "base_url", "note", "key_hint", "created_at", "updated_at"]


def _spoil(item: dict[str, Any], field: str, value: Any, drop: bool) -> dict[str, Any]:
    spoiled = dict(item)
    if drop:
        spoiled.pop(field, None)
    else:
        spoiled[field] = value
    return spoiled


_entry_likes = st.one_of(
    _entries.map(Entry.to_dict),
    st.builds(
        _spoil,
        _entries.map(Entry.to_dict),
        st.sampled_from(_field_names),
        st.one_of(
            json_values,
            st.sampled_from(
                [
                    "",
                    "cloud",
                    "custom",
                    "self_hosted",
                    "2026-13-01T00:00:00Z",
                    "ftp://x",
                    "a b",
                    "x" * 100,
                    "\x00",
                    "https://x/?q",
                    "0" * 40,
                ]
            ),
        ),
        st.booleans(),
    ),
    json_values,
)
# One whole entry with one field replaced, renamed or dropped; names, notes, hints of any text.
_good_entry = Entry(
    name="Acme", kind=EntryKind.CLOUD, base_url="https://api.sipstory.tech/public/v1"
).to_dict()
_wide_entry_likes = st.one_of(
    wide_json_values,
    st.dictionaries(
        st.sampled_from([*_good_entry, "other"]),
        st.one_of(
            wide_json_values, st.sampled_from([*_good_entry.values(), "cloud", "2026-01-01"])
        ),
    ),
    st.just(_good_entry),
    st.builds(
        lambda k, v: {**_good_entry, k: v}, st.sampled_from(list(_good_entry)), wide_json_values
    ),
    st.builds(
        lambda name, note, hint: {**_good_entry, "name": name, "note": note, "key_hint": hint},
        st.text(max_size=90),
        st.text(max_size=30),
        st.text(max_size=10),
    ),
)
_config_documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "schema": st.one_of(st.just(1), st.integers(-3, 4), json_values),
            "entries": st.one_of(st.lists(_entry_likes, max_size=4), _good_dicts, json_values),
        },
        optional={"extra": json_values},
    ),
    wide_json_values,
    st.fixed_dictionaries(
        {
            "schema": st.one_of(st.just(1), st.integers(-2, 3), wide_json_values),
            "entries": st.one_of(st.lists(_wide_entry_likes, max_size=4), wide_json_values),
        },
        optional={"extra": wide_json_values},
    ),
)
_config_bytes = st.one_of(  # JSON documents have a test of their own, below
    st.binary(max_size=2_000),
    # a valid config, cut short or with a byte flipped: the damage a crash or a disk does
    st.tuples(_good_dicts, st.integers(0, 400), st.integers(0, 255)).map(
        lambda t: (
            serialized({"schema": 1, "entries": t[0]})[: t[1]]
            + bytes([t[2]])
            + serialized({"schema": 1, "entries": t[0]})[t[1] + 1 :]
        )
    ),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf{}",
            b'{"schema": 1, "entries": []}',
            b"null",
            b'{"schema": 2, "entries": []}',
            b'{"schema": 1e400}',
            b"[" * 5000,
            b'{"schema": 1, "entries": [], "schema": 9}',
        ]
    ),
)
_backups = st.one_of(
    st.none(),
    _good_dicts.map(lambda items: serialized({"schema": 1, "entries": items})),
    st.binary(max_size=40),
    st.sampled_from(
        [
            b"",
            b"{}",
            b'{"schema": 1, "entries": [{}]}',
            b'{"schema": 1}',
            b'{"schema": 2, "entries": []}',
            b'{"schema": 0, "entries": []}',
        ]
    ),
)


@contextmanager
def _home() -> Iterator[AppPaths]:
    with tempfile.TemporaryDirectory(dir=FAST_TMP, prefix="sipstory-fuzz-") as directory:
        root = Path(directory)
        yield AppPaths(data_dir=root, log_dir=root / "logs")


def _parses_as_config(raw: bytes | None) -> list[dict[str, Any]] | None:
    """The entries of ``raw`` as a fresh store reads them, or None if it is not a config."""
    if raw is None:
        return None
    with _home() as paths:
        paths.config_file.write_bytes(raw)
        store = ConfigStore(paths)
        try:
            entries = store.load()
        except ConfigError:
            return None
        return None if store.notices else [e.to_dict() for e in entries]


def _load_and_write(raw: bytes, backup: bytes | None) -> None:
    expected_backup = _parses_as_config(backup)
    with _home() as paths:
        paths.config_file.write_bytes(raw)
        if backup is not None:
            backup_path(paths.config_file).write_bytes(backup)
        store = ConfigStore(paths)
        try:
            entries = store.load()
        except ConfigError as exc:
            # only for a config, or the backup of a damaged one, written by a newer
            # version: then nothing is touched
            event("refused (newer schema)")
            assert "newer" in str(exc)
            assert paths.config_file.read_bytes() == raw
            assert not list(paths.data_dir.glob("config.json.corrupt-*"))
            return
        aside = list(paths.data_dir.glob("config.json.corrupt-*"))
        loaded = [e.to_dict() for e in entries]
        if store.notices:
            event("damaged, backup used" if expected_backup is not None else "damaged, no backup")
            assert len(aside) == 1 and aside[0].read_bytes() == raw  # never lost
            assert loaded == (expected_backup or [])
        else:
            event(f"valid, {len(entries)} entries")
            assert not aside
            assert paths.config_file.read_bytes() == raw
        # the store can be written afterwards, and a fresh one reads back what was written
        extra = Entry(
            name="Fuzz écrit", kind=EntryKind.CLOUD, base_url="https://api.sipstory.tech/public/v1"
        )
        if any(e.name.casefold() == extra.name.casefold() for e in entries):
            return
        before = paths.config_file.read_bytes() if paths.config_file.exists() else None
        store.update(lambda current: [*current, extra])
        if before is not None:  # the previous version is kept as the backup
            assert backup_path(paths.config_file).read_bytes() == before
        fresh = ConfigStore(paths)
        assert [e.to_dict() for e in fresh.load()] == [*loaded, extra.to_dict()]
        assert not fresh.notices
        assert aside == list(paths.data_dir.glob("config.json.corrupt-*"))


@FUZZ
@given(_config_bytes, _backups)
@example(b"", None)
@example(b'{"schema": 1, "entries": []}', None)
@example(b'{"schema": 2}', None)
@example(b"\xef\xbb\xbf{}", None)
@example(b'{"schema": 1, "entries": [', None)
@example(b"\x00" * 10, b'{"schema": 1, "entries": []}')
def test_config_load_on_any_bytes(raw: bytes, backup: bytes | None) -> None:
    _load_and_write(raw, backup)


@FUZZ
@given(_config_documents, _backups, st.booleans())
def test_config_load_on_any_json_shaped_like_a_config(
    document: Any, backup: bytes | None, ascii_only: bool
) -> None:
    _load_and_write(json.dumps(document, ensure_ascii=ascii_only).encode("utf-8"), backup)
