"""A fork server for the crash tests: ``sipstory-keys`` processes without the start-up cost.

Starting Python and importing the CLI costs some 0.3-0.5 s of CPU, against a few
milliseconds for what ``add``, ``remove`` or ``check`` then do. This helper imports the CLI
once and forks a fresh process for every run, which executes ``cli.main(argv)`` exactly as
``python -m sipstory_desktop.cli`` does, with its own environment, standard input and
output files, and exits with ``main``'s status. The crash tests kill those processes; the
helper only reports how they ended. It holds no thread, so forking it is safe.

Run as ``python -m tests.support.cli_zygote`` with the repository's root on PYTHONPATH.

Protocol: one JSON object per line on standard input, one answer per line on standard
output.

* ``{"op": "run", "argv": [...], "env": {...}, "stdin": "...", "out": PATH, "err": PATH}``
  answers ``{"pid": PID}`` once the child is started;
* ``{"op": "wait", "pid": PID}`` answers ``{"code": N}`` when it has ended (``-9``: killed
  by SIGKILL, as ``subprocess`` reports it).
"""

from __future__ import annotations

import io
import json
import os
import sys

import tests.support.file_keyring  # noqa: F401  (imported once here, as the child would import it)
from sipstory_desktop import cli


def _child(request: dict[str, object]) -> None:
    """In the forked child: become ``sipstory-keys ARGV``; never returns."""
    code = 1
    try:
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
        reader, writer = os.pipe()
        os.write(writer, str(request["stdin"]).encode())
        os.close(writer)
        os.dup2(reader, 0)
        os.close(reader)
        for fd, path in ((1, request["out"]), (2, request["err"])):
            target = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        encoding = "utf-8"
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=encoding)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=encoding)
        sys.stderr = io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False), encoding=encoding, errors="backslashreplace"
        )
        argv = request["argv"]
        assert isinstance(argv, list)
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "run":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(request)
            answer: dict[str, int] = {"pid": pid}
        else:
            _, status = os.waitpid(int(request["pid"]), 0)
            answer = {"code": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
