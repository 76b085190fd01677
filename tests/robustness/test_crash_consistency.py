"""Crash consistency: ``sipstory-keys`` killed with SIGKILL at random points of ``add``,
``remove`` and ``check``.

Each trial runs the real CLI as a subprocess (``python -m sipstory_desktop.cli``) against a
local :class:`SipstoryTestServer`, with a file-backed test keyring (``robust_file_keyring``,
selected through keyring's own ``PYTHON_KEYRING_BACKEND``), and kills it with SIGKILL:

* ``timed``: after a random delay spread over the command's whole run time (measured once
  per command first), so kills land anywhere: start-up, imports, reading, writing, exit;
* ``pause``: the test keyring stops the process (SIGSTOP) right before or after its write
  (``before-set``/``after-set`` for add, ``before-delete``/``after-delete`` for remove,
  ``after-get`` for check); the test then kills it at once, or lets it run on for a random
  fraction of what is left of its run and kills it then. This lands kills exactly in the
  critical windows (between the keyring write and the config write, and inside the
  config and state writes that follow).

After every trial: the config loads (no ``.corrupt-*`` set aside, no notice), ``state.json``
parses, every entry has its key in the keyring (the very key that was added), every key in
the keyring belongs to an entry or is listed by ``Vault.orphans()`` (and can be cleaned),
and every entry committed before the trial is still there, unchanged, except the one a
``remove`` was asked to remove. Trials run in lanes (one app home each, trials chained so
that each starts from what the crashes before it left); lanes run two at a time.

The outcome of each kill is classified from what is on disk afterwards and printed (run
with ``-s`` to see the table).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from robust_file_keyring import BACKEND_NAME, FILE_VARIABLE, PAUSE_VARIABLE, FileKeyring, read_store

from sipstory_desktop.core.entries import EntryKind
from sipstory_desktop.core.paths import HOME_VARIABLE, AppPaths
from sipstory_desktop.core.secrets import SERVICE_NAME, SecretStore
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.server import SipstoryTestServer

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="SIGKILL/SIGSTOP trials and waitid(WSTOPPED) need Linux",
)

SEED = int(os.environ.get("SIPSTORY_CRASH_SEED", "20261128"))
LANES = 8
TRIALS_PER_LANE = 30  # 240 trials in all
PARALLEL_LANES = 2
SEEDED_ENTRIES = 3
ROBUST_DIR = Path(__file__).resolve().parent
KILLED = -signal.SIGKILL

PAUSE_POINTS = {
    "add": ("before-set", "after-set", "after-set"),
    "remove": ("before-delete", "before-delete", "after-delete"),
    "check": ("after-get",),
}


def _new_key(rng: random.Random) -> str:
    return rng.randbytes(32).hex()  # 64 hex characters, like secrets.token_hex(32)


# --- one home ----------------------------------------------------------------------------


@dataclass
class Lane:
    """One app home with its keyring file, and what the test knows must be in them."""

    number: int
    root: Path
    rng: random.Random
    server: SipstoryTestServer
    keys: dict[str, str] = field(default_factory=dict)  # entry id -> the key it was given
    outputs: list[str] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def keyring_file(self) -> Path:
        return self.root / "keyring.json"

    @property
    def paths(self) -> AppPaths:
        return AppPaths(data_dir=self.home, log_dir=self.home / "logs")

    def vault(self) -> Vault:
        return Vault(self.paths, SecretStore(backend=FileKeyring(self.keyring_file), timeout=10))

    def env(self, pause: str = "") -> dict[str, str]:
        env = {
            **os.environ,
            HOME_VARIABLE: str(self.home),
            "PYTHON_KEYRING_BACKEND": BACKEND_NAME,
            FILE_VARIABLE: str(self.keyring_file),
            "PYTHONPATH": os.pathsep.join(
                [str(ROBUST_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "NO_COLOR": "1",
        }
        env.pop(PAUSE_VARIABLE, None)
        if pause:
            env[PAUSE_VARIABLE] = pause
        return env

    def new_key(self) -> str:
        key = _new_key(self.rng)
        self.server.add_key(key, org=f"lane-{self.number}")
        return key

    def stored_keys(self) -> dict[str, str]:
        return read_store(self.keyring_file).get(SERVICE_NAME, {})

    def requests_sent(self) -> int:
        mine = set(self.keys.values())
        return sum(1 for r in list(self.server.requests) if r.headers.get("Authorization") in mine)


@dataclass(frozen=True)
class Snapshot:
    entries: dict[str, dict[str, object]]  # id -> to_dict(), as on disk
    keyring: dict[str, str]
    secret_ids: frozenset[str]
    results: int
    requests: int


def _snapshot(lane: Lane) -> Snapshot:
    config = lane.paths.config_file
    entries: dict[str, dict[str, object]] = {}
    if config.exists():
        for item in json.loads(config.read_bytes())["entries"]:
            entries[item["id"]] = item
    secret_ids: frozenset[str] = frozenset()
    results = 0
    if lane.paths.state_file.exists():
        state = json.loads(lane.paths.state_file.read_bytes())
        secret_ids = frozenset(state.get("secret_ids", []))
        results = sum(len(h) for h in state.get("results", {}).values())
    return Snapshot(entries, lane.stored_keys(), secret_ids, results, lane.requests_sent())


# --- running and killing -----------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str
    killed: bool
    paused: bool
    tail: float = 0.0  # seconds from the resume after a pause to the end of the process


def _wait_until_stopped(process: subprocess.Popen[bytes], timeout: float = 30.0) -> bool:
    """True once ``process`` stopped itself (SIGSTOP); False if it exited instead."""
    deadline = time.monotonic() + timeout
    flags = os.WSTOPPED | os.WEXITED | os.WNOHANG | os.WNOWAIT
    while True:
        info = os.waitid(os.P_PID, process.pid, flags)
        if info is not None:
            return info.si_code == os.CLD_STOPPED
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the CLI neither stopped at its pause point nor exited")
        time.sleep(0.0003)


def _run(
    lane: Lane,
    args: list[str],
    *,
    stdin: str = "",
    kill_after: float | None = None,
    pause: str = "",
    after_pause: float | None = None,
) -> Run:
    """Run the CLI; kill it ``kill_after`` s after start, or at its ``pause`` point plus
    ``after_pause`` s (0: at once); neither: let it finish."""
    reader, writer = os.pipe()  # the key goes in before the start: no write to a dead pipe
    os.write(writer, stdin.encode())
    os.close(writer)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "sipstory_desktop.cli", *args],
            stdin=reader,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=lane.env(pause),
        )
    finally:
        os.close(reader)
    paused = False
    if pause:
        paused = _wait_until_stopped(process)
        if paused and after_pause is not None:
            if after_pause > 0:
                os.kill(process.pid, signal.SIGCONT)
                time.sleep(after_pause)
            process.send_signal(signal.SIGKILL)
        elif paused:
            os.kill(process.pid, signal.SIGCONT)
    resumed = time.monotonic()
    if kill_after is not None:
        time.sleep(kill_after)
        process.send_signal(signal.SIGKILL)  # a no-op if it has already exited
    out, err = process.communicate(timeout=60)
    run = Run(
        process.returncode,
        out.decode(errors="replace"),
        err.decode(errors="replace"),
        killed=process.returncode == KILLED,
        paused=paused,
        tail=time.monotonic() - resumed,
    )
    lane.outputs.append(run.out + run.err)
    return run


# --- checking what a crash left ----------------------------------------------------------


def _invariants(lane: Lane, before: Snapshot, command: str, target: str | None) -> list[str]:
    """What is wrong with the home after a trial (empty: all is well). Never holds a key."""
    problems: list[str] = []
    aside = sorted(p.name for p in lane.home.glob("config.json.corrupt-*"))
    if aside:
        problems.append(f"the config was set aside as damaged: {aside}")
    vault = lane.vault()
    try:
        entries = vault.entries()
    except Exception as exc:
        return [*problems, f"the config does not load: {type(exc).__name__}: {exc}"]
    if vault.notices:
        problems.append(f"loading the config gave notices: {vault.notices}")
    try:
        if lane.paths.state_file.exists():
            state = json.loads(lane.paths.state_file.read_bytes())
            assert isinstance(state, dict)
        vault.load_state()
    except Exception as exc:
        problems.append(f"state.json does not load: {type(exc).__name__}")

    stored = lane.stored_keys()
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        problems.append("an entry id appears twice")
    for entry in entries:
        if entry.id not in stored:
            problems.append(f"entry {entry.name!r} ({entry.id}) has no key in the keyring")
        elif stored[entry.id] != lane.keys.get(entry.id):
            problems.append(f"entry {entry.name!r} holds another key than the one added")
    for entry_id in stored:
        if entry_id not in lane.keys:
            problems.append(f"the keyring holds a key {entry_id} that no add stored")
    loose = set(stored) - set(ids)
    orphans = set(vault.orphans())
    if loose - orphans:
        problems.append(f"keys without an entry that orphans() does not list: {sorted(loose)}")
    if orphans - loose:
        problems.append(f"orphans() lists keys that are not loose: {sorted(orphans - loose)}")

    after = {e.id: e.to_dict() for e in entries}
    for entry_id, saved in before.entries.items():
        if command == "remove" and entry_id == target:
            continue
        if after.get(entry_id) != saved:
            problems.append(f"committed entry {saved['name']!r} was lost or changed")
    added = set(after) - set(before.entries)
    if command != "add" and added:
        problems.append(f"a {command} created entries: {sorted(added)}")
    if len(added) > 1:
        problems.append(f"an add created {len(added)} entries")
    return problems


def _outcome(lane: Lane, run: Run, before: Snapshot, command: str, target: str | None) -> str:
    """Where the kill landed, as the files on disk tell it."""
    if not run.killed:
        return "completed (exited before the kill)"
    after = _snapshot(lane)
    if command == "add":
        new_keys = set(after.keyring) - set(before.keyring)
        new_entries = set(after.entries) - set(before.entries)
        noted = after.secret_ids - before.secret_ids
        if new_entries:
            return "killed after the config write (add done)"
        if new_keys:
            return "killed between the keyring write and the config write"
        if noted:
            return "killed after noting the id, before the keyring write"
        return "killed before any write"
    if command == "remove":
        assert target is not None
        if target in after.entries:
            return "killed before any write"
        if target in after.keyring:
            return "killed between the config write and the keyring delete"
        if target in after.secret_ids:
            return "killed after the keyring delete, before the state update"
        return "killed after every write (remove done)"
    if after.results > before.results:
        return "killed after the results were saved"
    if after.requests > before.requests:
        return "killed after the request, before the results were saved"
    return "killed before any request or write"


@dataclass
class Trial:
    lane: int
    number: int
    command: str
    mode: str
    outcome: str
    problems: list[str]


def _choose_command(lane: Lane, count: int) -> str:
    if count < 2:
        return "add"
    if count >= 6:
        return lane.rng.choice(["remove", "remove", "check"])
    return lane.rng.choices(["add", "remove", "check"], weights=[4, 4, 2])[0]


def _trial(lane: Lane, number: int, timings: dict[str, float]) -> Trial:
    rng = lane.rng
    before = _snapshot(lane)
    entries = lane.vault().entries()
    command = _choose_command(lane, len(entries))
    target: str | None = None
    stdin = ""
    if command == "add":
        key = lane.new_key()
        name = f"L{lane.number}-T{number}"
        # the model learns the key now: wherever it turns up, it must be this one
        args = ["add", name, "--base-url", lane.server.api_base]
        stdin = ("Bearer " if rng.random() < 0.2 else "") + key + "\n"
    elif command == "remove":
        victim = rng.choice(entries)
        target = victim.id
        args = ["remove", victim.name]
    else:
        args = ["check", "--json", "--timeout", "5"]

    if rng.random() < 0.45:
        mode = "timed"
        delay = rng.uniform(0, 1.1 * timings[command])
        run = _run(lane, args, stdin=stdin, kill_after=delay)
    else:
        point = rng.choice(PAUSE_POINTS[command])
        rest = timings[f"{command}:{point}"]
        after_pause = 0.0 if rng.random() < 0.4 else rng.uniform(0, 1.1 * rest)
        mode = f"pause {point} " + ("+ kill at once" if after_pause == 0 else "+ random delay")
        run = _run(lane, args, stdin=stdin, pause=point, after_pause=after_pause)

    if command == "add":
        new_ids = set(lane.stored_keys()) - set(before.keyring)
        for entry_id in new_ids:
            lane.keys[entry_id] = key
    problems = _invariants(lane, before, command, target)
    if not run.killed:
        expected = (0,) if command != "check" else (0, 1)
        if run.code not in expected:
            problems.append(f"{command} exited with {run.code}: {run.err.strip()[-300:]}")
    if command == "check" and not run.killed and run.code == 0:
        statuses = {item["status"] for item in json.loads(run.out)}
        if statuses - {"connected"}:
            problems.append(f"a completed check did not connect: {statuses}")
    return Trial(lane.number, number, command, mode, _outcome(lane, run, before, command, target),
                 problems)


def _clean_orphans(lane: Lane) -> list[str]:
    """Clean what ``orphans()`` lists; then the keyring holds the entries' keys, no more."""
    vault = lane.vault()
    for entry_id in vault.orphans():
        vault.remove_orphan(entry_id)
    left = set(lane.stored_keys())
    ids = {e.id for e in vault.entries()}
    if left != ids:
        return [f"after cleaning the orphans the keyring holds {sorted(left ^ ids)} in excess"]
    return []


def _seed(lane: Lane) -> None:
    vault = lane.vault()
    for index in range(SEEDED_ENTRIES):
        key = lane.new_key()
        saved = vault.add(f"L{lane.number}-seed{index}", EntryKind.CUSTOM, lane.server.api_base, key)
        lane.keys[saved.entry.id] = key


def _run_lane(lane: Lane, timings: dict[str, float]) -> tuple[list[Trial], list[str]]:
    _seed(lane)
    trials: list[Trial] = []
    extra: list[str] = []
    for number in range(TRIALS_PER_LANE):
        trials.append(_trial(lane, number, timings))
        if number % 7 == 6:
            extra += [f"lane {lane.number} after trial {number}: {p}" for p in _clean_orphans(lane)]
    # The CLI itself lists and cleans what is left, and every entry still works.
    listed = _run(lane, ["orphans"])
    cleaned = _run(lane, ["orphans", "--clean"])
    if listed.code != 0 or cleaned.code != 0:
        extra.append(f"lane {lane.number}: orphans failed: {listed.err}{cleaned.err}")
    left = set(lane.stored_keys())
    ids = {e.id for e in lane.vault().entries()}
    if left != ids:
        extra.append(f"lane {lane.number}: 'orphans --clean' left {sorted(left - ids)}")
    final = _run(lane, ["check", "--json", "--timeout", "5"])
    if final.code != 0:
        extra.append(f"lane {lane.number}: the final check exited {final.code}: {final.err[-300:]}")
    for output in lane.outputs:
        if any(key in output for key in lane.keys.values()):
            extra.append(f"lane {lane.number}: a key appeared in the CLI's output")
            break
    return trials, extra


# --- calibration -------------------------------------------------------------------------


def _calibrate(root: Path, server: SipstoryTestServer) -> dict[str, float]:
    """How long each command runs, in all, and from each pause point to its end."""
    lane = Lane(-1, root, random.Random(SEED - 1), server)
    _seed(lane)
    timings: dict[str, float] = {}

    def timed(args: list[str], stdin: str = "", pause: str = "") -> float:
        started = time.monotonic()
        run = _run(lane, args, stdin=stdin, pause=pause)
        assert run.code == 0, run.err
        return time.monotonic() - started

    for round_ in range(2):
        durations = {
            "add": timed(["add", f"cal-{round_}", "--base-url", server.api_base],
                         lane.new_key() + "\n"),
            "check": timed(["check", "--json"]),
            "remove": timed(["remove", f"cal-{round_}"]),
        }
        for command, seconds in durations.items():
            timings[command] = max(timings.get(command, 0.0), seconds)
    # From a pause point to the end: time a run that pauses there and is let go at once.
    for command, points in PAUSE_POINTS.items():
        for point in set(points):
            name = f"cal-{command}-{point}"
            if command == "remove":
                timed(["add", name, "--base-url", server.api_base], lane.new_key() + "\n")
                args, stdin = ["remove", name], ""
            elif command == "add":
                args, stdin = ["add", name, "--base-url", server.api_base], lane.new_key() + "\n"
            else:
                args, stdin = ["check", "--json"], ""
            run = _run(lane, args, stdin=stdin, pause=point)
            assert run.paused and run.code == 0, run.err
            timings[f"{command}:{point}"] = run.tail
    return timings


# --- the test ----------------------------------------------------------------------------


@pytest.fixture
def crash_server() -> Iterator[SipstoryTestServer]:
    with SipstoryTestServer(layout="proxy") as server:
        yield server


@pytest.mark.timeout(600)
def test_sigkill_at_random_points_never_breaks_config_keyring_or_state(
    tmp_path: Path, crash_server: SipstoryTestServer
) -> None:
    started = time.monotonic()
    timings = _calibrate(tmp_path / "calibration", crash_server)
    lanes = [
        Lane(n, tmp_path / f"lane-{n}", random.Random(f"{SEED}-{n}"), crash_server)
        for n in range(LANES)
    ]
    lock = threading.Lock()
    trials: list[Trial] = []
    extra: list[str] = []

    def work(lane: Lane) -> None:
        done, more = _run_lane(lane, timings)
        with lock:
            trials.extend(done)
            extra.extend(more)

    with ThreadPoolExecutor(PARALLEL_LANES) as pool:
        for future in [pool.submit(work, lane) for lane in lanes]:
            future.result()
    elapsed = time.monotonic() - started

    by_command = Counter(t.command for t in trials)
    by_outcome = Counter((t.command, t.outcome) for t in trials)
    by_mode = Counter((t.command, t.mode, t.outcome) for t in trials)
    print(f"\ncrash trials: {len(trials)} in {elapsed:.1f} s (seed {SEED}); "
          f"calibrated run times: "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in sorted(timings.items())))
    for command in sorted(by_command):
        print(f"  {command}: {by_command[command]} trials")
        for (cmd, outcome), count in sorted(by_outcome.items()):
            if cmd == command:
                print(f"    {count:4d}  {outcome}")
    print("  by kill mode:")
    for (cmd, mode, outcome), count in sorted(by_mode.items()):
        print(f"    {count:4d}  {cmd:6s} {mode:38s} {outcome}")

    failures = [f"lane {t.lane} trial {t.number} ({t.command}, {t.mode}, {t.outcome}): {p}"
                for t in trials for p in t.problems]
    assert not failures + extra, "\n".join(failures + extra)
    assert len(trials) >= 200
    # The kills really landed inside the operations, in each critical window.
    outcomes = {o for _, o in by_outcome}
    assert "killed between the keyring write and the config write" in outcomes
    assert "killed between the config write and the keyring delete" in outcomes
    assert "killed after the request, before the results were saved" in outcomes
    assert "killed before any write" in outcomes
