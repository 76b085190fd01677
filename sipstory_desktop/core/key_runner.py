"""Running a command with an entry's key in its environment (``sipstory-keys run``).

The key goes into the command's environment only: not on a command line, not in a file,
not into this process's own environment. Two ways:

- :func:`exec_command` replaces this process with the command (POSIX ``exec``): its
  standard streams, its signals and its exit status are exactly its own.
- :func:`run_masked` runs it as a child whose standard output and error are copied with
  every occurrence of the key replaced by ``••••`` and its last four characters (for logs
  of CI jobs). Signals sent to this process are passed on; a terminal's own signals (Ctrl+C)
  already reach the child, which is in the same process group. The exit status is the
  child's; a child killed by a signal kills this process with the same signal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import BinaryIO, NoReturn

from .keys import masked

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
_SI_KERNEL = 0x80  # si_code of a signal the kernel sent: a terminal's Ctrl+C, a hangup
_COPY_CHUNK = 65536


class CommandError(Exception):
    """The command could not be started; ``status`` is the shell's (126 or 127)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def exec_command(argv: Sequence[str], env: Mapping[str, str]) -> NoReturn:
    """Become ``argv`` with ``env``. Raises :class:`CommandError` when it cannot start."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execvpe(argv[0], list(argv), dict(env))  # noqa: S606 (the user's own command)
    except OSError as error:
        raise _not_started(argv[0], error) from None


class KeyMask:
    """Replaces ``key`` in a stream given in chunks, also where it spans two chunks.

    The end of a chunk that could be the start of the key is held back until the next
    chunk says whether it is (or until :meth:`end`); anything else passes at once, so a
    prompt that waits for input is shown.
    """

    def __init__(self, key: str) -> None:
        self._key = key.encode("utf-8")
        self._shown = masked(key[-4:]).encode("utf-8")
        self._pending = b""

    def feed(self, data: bytes) -> bytes:
        text = (self._pending + data).replace(self._key, self._shown)
        longest = min(len(self._key) - 1, len(text))
        keep = next((n for n in range(longest, 0, -1) if text.endswith(self._key[:n])), 0)
        self._pending = text[len(text) - keep :]
        return text[: len(text) - keep]

    def end(self) -> bytes:
        rest, self._pending = self._pending, b""
        return rest


def run_masked(argv: Sequence[str], env: Mapping[str, str], key: str) -> int:
    """Run ``argv`` with ``env``, its output and errors copied with ``key`` masked; its
    exit status (see the module). Raises :class:`CommandError` when it cannot start."""
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, (*FORWARDED, signal.SIGCHLD))
    try:
        try:
            pid = os.posix_spawnp(
                argv[0],
                list(argv),
                dict(env),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, out_write, 1),
                    (os.POSIX_SPAWN_DUP2, err_write, 2),
                    (os.POSIX_SPAWN_CLOSE, out_read),
                    (os.POSIX_SPAWN_CLOSE, err_read),
                ],
                setsigmask=(),  # the child's own signals, not this process's blocked set
            )
        except OSError as error:
            raise _not_started(argv[0], error) from None
        finally:
            os.close(out_write)
            os.close(err_write)
        copiers = [
            _copier(out_read, sys.stdout.buffer, KeyMask(key)),
            _copier(err_read, sys.stderr.buffer, KeyMask(key)),
        ]
        status = _wait_passing_signals(pid)
        for copier in copiers:
            copier.join(timeout=5)  # a grandchild may keep a pipe open: do not wait for it
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return _exit_status(status)


def _copier(source: int, target: BinaryIO, mask: KeyMask) -> threading.Thread:
    def copy() -> None:
        try:
            while chunk := os.read(source, _COPY_CHUNK):
                target.write(mask.feed(chunk))
                target.flush()
            target.write(mask.end())
            target.flush()
        except (BrokenPipeError, ValueError):
            pass  # nobody reads our output any more: the child's next write fails too
        finally:
            os.close(source)

    thread = threading.Thread(target=copy, name="run-copy", daemon=True)
    thread.start()
    return thread


def _wait_passing_signals(pid: int) -> int:
    """Wait for ``pid``, passing on the signals sent to this process; its wait status."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        info = signal.sigtimedwait((*FORWARDED, signal.SIGCHLD), 0.5)
        if info is None or info.si_signo == signal.SIGCHLD:
            continue
        if info.si_code != _SI_KERNEL:  # sent to us alone: the child has not had it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, info.si_signo)


def _exit_status(status: int) -> int:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, (number,))
        os.kill(os.getpid(), number)  # die as the child did, for whoever waits for us
        return 128 + number
    return os.waitstatus_to_exitcode(status)


def _not_started(command: str, error: OSError) -> CommandError:
    if isinstance(error, FileNotFoundError):
        return CommandError(f"No command '{command}' found (looked in PATH).", 127)
    if isinstance(error, PermissionError):
        return CommandError(f"'{command}' cannot be run: permission denied.", 126)
    return CommandError(f"'{command}' cannot be run: {error.strerror or error}.", 126)
