"""Safe file writing: atomic replacement with a backup, and a lock between processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

LOCK_TIMEOUT_SECONDS = 10.0


class LockTimeout(OSError):
    """Another process held the lock for too long."""


FileIdentity = tuple[int, int, int]


def file_identity(path: Path) -> FileIdentity | None:
    """Inode, modification time and size: tells one version of a file from another
    (every save here is a new file renamed into place). None when there is no file."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _fsync_dir(directory: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temp(path: Path, data: bytes) -> Path:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return Path(temp)


def atomic_write(
    path: Path, data: bytes, *, keep_backup: bool = True, mode: int | None = None
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole.

    With ``keep_backup`` the previous version is first copied to ``<name>.bak`` (itself
    replaced atomically), so a file damaged later can be recovered. The new file has
    ``mode`` (a user's file keeps its own), else 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if keep_backup and path.exists():
        fd, temp_backup = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".bak")
        os.close(fd)
        try:
            shutil.copyfile(path, temp_backup)
            with open(temp_backup, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(temp_backup, backup_path(path))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_backup)
            raise
    temp = _write_temp(path, data)
    try:
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(path.parent)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def locked(lock_path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` between processes (and threads)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        delay = 0.005
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise LockTimeout(f"{lock_path} is held by another process")
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
