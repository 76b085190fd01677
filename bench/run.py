"""Run every benchmark and print one line per figure: ``NAME: VALUE (target ...) PASS|FAIL``.

    python bench/run.py [--write-docs] [--only startup,check_all,responsiveness] [--runs N]

Every figure is a ratio (or a difference) against a baseline measured in the same run, since
the machines are noisy; every measurement runs in a fresh subprocess (offscreen Qt for the
window), several times, and the median is taken. Lines ending in INFO carry no target and
never fail the run. Exit status 1 when any target fails.

Nothing is written unless ``--write-docs``: then ``docs/benchmarks.md`` is rewritten with the
figures, the date and the machine (the hand-written notes at its end are kept).

The groups (see docs/benchmarks.md for the definitions):
  startup         bare QMainWindow / the app with 0 / with 1000 entries, to the first paint;
                  no keyring call before that paint; peak RSS of the same processes
  check_all       100 entries on 4 local test servers answering after 200 ms: the window,
                  the CLI (real Secret Service), 100 sequential curl calls, the ideal
  responsiveness  the longest event-loop stall while 500 checks run, and while 1000
                  entries load
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

import _common as c

DOCS = c.ROOT / "docs" / "benchmarks.md"
NOTES_MARK = "<!-- bench/run.py keeps everything below this line when it rewrites the file -->"

POOL = 8  # CheckSession's max threads and `sipstory-keys check --jobs`' default
SERVERS = 4


@dataclass
class Figure:
    name: str
    value: str
    target: str | None  # None: information only
    ok: bool | None

    def line(self) -> str:
        if self.target is None:
            return f"{self.name}: {self.value} (no target) INFO"
        return f"{self.name}: {self.value} (target {self.target}) {'PASS' if self.ok else 'FAIL'}"


FIGURES: list[Figure] = []
DETAILS: dict[str, Any] = {}


def report(figure: Figure) -> None:
    FIGURES.append(figure)
    print(figure.line(), flush=True)


def ratio_figure(
    name: str, value: float, base: float, limit: float, detail: str, *, wrong: Sequence[str] = ()
) -> None:
    """A ratio against a baseline; ``wrong`` lists runs whose results were not all as
    expected (such a figure fails whatever its time: the work was not done)."""
    ratio = value / base
    if wrong:
        detail += f"; {len(wrong)} run(s) not all connected: {'; '.join(wrong)}"
    report(Figure(name, f"{ratio:.2f}x ({detail})", f"<= {limit}x", ratio <= limit and not wrong))


def runs_text(values: Sequence[float], unit: str = "s", digits: int = 2) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values) + f" {unit}"


# --- startup and memory ------------------------------------------------------------------


def bench_startup(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="sipstory-bench-") as tmp:
        home0, home1000 = Path(tmp) / "home-0", Path(tmp) / "home-1000"
        home0.mkdir()
        c.write_home(home1000, c.plan_entries(1000, c.fake_base_urls()))
        backend = {"PYTHON_KEYRING_BACKEND": "recording_keyring.RecordingKeyring"}
        variants = {
            "bare": (["bare"], c.bench_env()),
            "app_0": (["app"], c.bench_env(home0, **backend)),
            "app_1000": (["app"], c.bench_env(home1000, **backend)),
        }
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
        for _ in range(runs):  # interleaved, so that all see the same machine
            for name, (argv, env) in variants.items():
                results[name].append(
                    c.run_json([c.PYTHON, str(c.BENCH / "startup.py"), *argv], env, timeout=60)
                )
    DETAILS["startup"] = results
    painted = {name: [r["painted_s"] for r in rs] for name, rs in results.items()}
    imported = {name: [r["import_s"] for r in rs] for name, rs in results.items()}
    med = {name: c.median(values) for name, values in painted.items()}
    imp = {name: c.median(values) for name, values in imported.items()}
    if any(r["entries"] != 1000 for r in results["app_1000"]):
        raise RuntimeError("the app did not show the 1000 entries")
    ratio_figure(
        "startup.app_0_entries_vs_bare",
        med["app_0"],
        med["bare"],
        1.5,
        f"{med['app_0']:.3f} s vs bare {med['bare']:.3f} s to the first paint",
    )
    ratio_figure(
        "startup.app_1000_entries_vs_bare",
        med["app_1000"],
        med["bare"],
        1.5,
        f"{med['app_1000']:.3f} s vs bare {med['bare']:.3f} s",
    )
    ratio_figure(
        "startup.app_1000_vs_0_entries",
        med["app_1000"],
        med["app_0"],
        1.2,
        f"{med['app_1000']:.3f} s vs {med['app_0']:.3f} s",
    )
    report(
        Figure(
            "startup.import_app_vs_bare",
            f"{imp['app_0'] / imp['bare']:.2f}x (imports {imp['app_0']:.3f} s vs PySide6 alone "
            f"{imp['bare']:.3f} s; part of the figures above)",
            None,
            None,
        )
    )
    listed = c.median([r["listed_s"] - r["painted_s"] for r in results["app_1000"]])
    report(
        Figure(
            "startup.app_1000_list_shown",
            f"the 1000 rows shown {listed * 1000:.0f} ms after the first paint (the list is "
            "read on a worker after it, and its rows made a few per turn)",
            None,
            None,
        )
    )
    early = []
    leads = []
    for run in results["app_0"] + results["app_1000"]:
        first = run["first_keyring_call_s"]
        if first is not None:
            leads.append((first - run["painted_s"]) * 1000)
            if first < run["painted_s"]:
                early.append(run)
    what = next(
        (
            r["first_keyring_call"]
            for r in results["app_0"] + results["app_1000"]
            if r.get("first_keyring_call")
        ),
        "",
    )
    if not leads:
        value = "no keyring call within 0.5 s after the paint"
    else:
        lead = c.median(leads)
        value = (
            f"{len(early)} of {len(leads)} starts called the keyring before the paint was "
            f"complete (first call {abs(lead):.0f} ms {'before' if lead < 0 else 'after'} it, "
            f"median; {what})"
        )
    report(Figure("startup.no_keyring_before_paint", value, "0 starts", not early))

    rss = {name: c.median([r["peak_rss_mb"] for r in rs]) for name, rs in results.items()}
    extra = rss["app_1000"] - rss["bare"]
    report(
        Figure(
            "memory.app_1000_entries_vs_bare",
            f"{extra:+.1f} MB (peak RSS {rss['app_1000']:.1f} MB vs bare {rss['bare']:.1f} MB)",
            "<= +40 MB",
            extra <= 40,
        )
    )
    report(
        Figure(
            "memory.app_0_entries_vs_bare",
            f"{rss['app_0'] - rss['bare']:+.1f} MB (peak RSS {rss['app_0']:.1f} MB)",
            None,
            None,
        )
    )


# --- check all ---------------------------------------------------------------------------


def _keys_cli() -> list[str]:
    script = Path(c.PYTHON).with_name("sipstory-keys")
    return [str(script)] if script.exists() else [c.PYTHON, "-m", "sipstory_desktop.cli"]


def _curl_all(planned: Sequence[c.Planned], folder: Path) -> float:
    """100 sequential curl calls, each entry's key read from a header file (-H @file)."""
    headers = []
    for number, entry in enumerate(planned):
        header = folder / f"header-{number}"
        header.touch(mode=0o600)
        header.write_text(f"Authorization: {entry.key}\n")
        headers.append(header)
    started = time.perf_counter()
    codes = []
    for entry, header in zip(planned, headers, strict=True):
        done = subprocess.run(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                f"@{header}",
                entry.base_url + "/is-connected",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        codes.append(done.stdout)
    elapsed = time.perf_counter() - started
    if set(codes) != {"200"}:
        raise RuntimeError(f"curl got {sorted(set(codes))}, not only 200")
    return elapsed


@contextlib.contextmanager
def _secret_service(root: Path) -> Iterator[dict[str, str]]:
    from tests.support.real_parts import running_secret_service

    try:
        with running_secret_service(root) as bus:
            yield bus
    except BaseException as exc:  # pytest's skip/fail outcomes are BaseExceptions
        if type(exc).__name__ in ("Skipped", "Failed"):
            raise RuntimeError(f"no Secret Service: {exc}") from None
        raise


def bench_check_all(runs: int, curl_runs: int, entries: int = 100, delay: float = 0.2) -> None:
    ideal = math.ceil(entries / POOL) * delay
    planned = c.plan_entries(entries, ["unset"])
    medians: dict[str, float] = {}
    with (
        c.server_process(SERVERS, delay, [p.key for p in planned]) as urls,
        tempfile.TemporaryDirectory(prefix="sipstory-bench-") as tmp_name,
    ):
        tmp = Path(tmp_name)
        planned = [c.Planned(p.name, urls[n % SERVERS], p.key) for n, p in enumerate(planned)]
        _check_all_window(planned, tmp, runs, ideal, medians)
        try:
            _check_all_cli(planned, tmp, runs, ideal, medians)
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            report(
                Figure("check_all.cli_vs_ideal", f"could not be measured: {exc}", "<= 1.3x", False)
            )
        curl_s = [_curl_all(planned, tmp) for _ in range(curl_runs)]
    DETAILS.setdefault("check_all", {}).update({"ideal_s": ideal, "curl_s": curl_s})
    curl = c.median(curl_s)
    against = ", ".join(
        f"{label} {medians[key] / curl:.2f}x"
        for key, label in (
            ("window", "window"),
            ("cli", "CLI in-process"),
            ("process", "CLI process"),
        )
        if key in medians
    )
    report(
        Figure(
            "check_all.vs_curl",
            f"{against} of {entries} sequential curl calls ({curl:.2f} s; ideal "
            f"{ideal / curl:.2f}x)",
            None,
            None,
        )
    )


def _check_all_window(
    planned: Sequence[c.Planned], tmp: Path, runs: int, ideal: float, medians: dict[str, float]
) -> None:
    times, wrong = [], []
    for run in range(runs):
        home = tmp / f"window-{run}"
        c.write_home(home, planned)
        result = c.run_json(
            [c.PYTHON, str(c.BENCH / "window_check.py")],
            c.bench_env(home),
            stdin=c.keys_stdin(planned),
        )
        times.append(result["wall_s"])
        wrong += _not_connected(result["statuses"], len(planned))
    DETAILS.setdefault("check_all", {})["window_s"] = times
    medians["window"] = window = c.median(times)
    ratio_figure(
        "check_all.window_vs_ideal",
        window,
        ideal,
        1.3,
        f"{window:.2f} s from F5 to idle vs ideal {ideal:.2f} s; runs {runs_text(times)}",
        wrong=wrong,
    )


def _check_all_cli(
    planned: Sequence[c.Planned], tmp: Path, runs: int, ideal: float, medians: dict[str, float]
) -> None:
    in_process, process, wrong, failed = [], [], [], []
    with _secret_service(tmp / "bus") as bus:
        home = tmp / "cli"
        c.write_home(home, planned)
        env = c.bench_env(home, **bus)
        c.run_json([c.PYTHON, str(c.BENCH / "cli_inprocess.py")], env, stdin=c.keys_stdin(planned))
        for _ in range(runs):  # interleaved
            result = c.run_json([c.PYTHON, str(c.BENCH / "cli_inprocess.py"), "--check"], env)
            in_process.append(result["check_s"])
            wrong += _not_connected(result["statuses"], len(planned))
            started = time.perf_counter()
            done = subprocess.run(
                [*_keys_cli(), "check"], env=env, capture_output=True, text=True, check=False
            )
            process.append(time.perf_counter() - started)
            if done.returncode != 0:
                reason = done.stderr.strip().splitlines()[-1:] or ["no message"]
                failed.append(f"`sipstory-keys check` exited {done.returncode}: {reason[0]}")
    DETAILS.setdefault("check_all", {}).update(
        {"cli_check_entries_s": in_process, "cli_process_s": process}
    )
    medians["cli"] = cli = c.median(in_process)
    medians["process"] = whole = c.median(process)
    ratio_figure(
        "check_all.cli_vs_ideal",
        cli,
        ideal,
        1.3,
        f"check_entries in-process {cli:.2f} s vs ideal {ideal:.2f} s, Secret Service; "
        f"runs {runs_text(in_process)}",
        wrong=wrong,
    )
    report(
        Figure(
            "check_all.cli_process_vs_ideal",
            f"{whole / ideal:.2f}x (`sipstory-keys check` process {whole:.2f} s, with "
            f"interpreter start, imports, saving; runs {runs_text(process)}"
            + "".join(f"; {text}" for text in failed)
            + ")",
            None,
            None,
        )
    )


def _not_connected(statuses: dict[str, int], expected: int) -> list[str]:
    """What a run got besides ``connected`` (a check run must check, not only be quick)."""
    if statuses.get("connected") == expected:
        return []
    return [", ".join(f"{n} {status}" for status, n in statuses.items() if status != "connected")]


# --- responsiveness ------------------------------------------------------------------------


def bench_responsiveness(runs: int) -> None:
    entries, delay = 500, 0.05
    planned = c.plan_entries(entries, ["unset"])
    checking: list[dict[str, Any]] = []
    loading: list[dict[str, Any]] = []
    with (
        c.server_process(SERVERS, delay, [p.key for p in planned]) as urls,
        tempfile.TemporaryDirectory(prefix="sipstory-bench-") as tmp_name,
    ):
        tmp = Path(tmp_name)
        planned = [c.Planned(p.name, urls[n % SERVERS], p.key) for n, p in enumerate(planned)]
        source = tmp / "source-1000"
        c.write_home(source, c.plan_entries(1000, c.fake_base_urls()))
        for run in range(runs):
            home = tmp / f"check-{run}"
            c.write_home(home, planned)
            result = c.run_json(
                [c.PYTHON, str(c.BENCH / "window_check.py"), "--tick-ms", "5"],
                c.bench_env(home),
                stdin=c.keys_stdin(planned),
            )
            result["wrong"] = _not_connected(result["statuses"], entries)
            checking.append(result)

            stage, empty = tmp / f"stage-{run}", tmp / f"load-{run}"
            stage.mkdir()
            empty.mkdir()
            for name in ("config.json", "state.json"):
                shutil.copyfile(source / name, stage / name)
            result = c.run_json(
                [c.PYTHON, str(c.BENCH / "window_load.py"), str(stage), "--tick-ms", "5"],
                c.bench_env(empty),
            )
            loading.append(result)
    DETAILS["responsiveness"] = {"check_500": checking, "load_1000": loading}
    for name, results, what in (
        (
            "responsiveness.check_500_entries",
            checking,
            f"{entries} checks, {delay * 1000:.0f} ms server delay",
        ),
        ("responsiveness.load_1000_entries", loading, "1000 entries reloaded from disk"),
    ):
        gaps = [r["longest_gap_ms"] for r in results]
        idle = c.median([r["idle_longest_gap_ms"] for r in results])
        longest = c.median(gaps)
        wrong = [text for r in results for text in r.get("wrong", [])]
        note = f"; {len(wrong)} run(s) not all connected: {'; '.join(wrong)}" if wrong else ""
        report(
            Figure(
                name,
                f"{longest:.0f} ms longest stall, median of runs {runs_text(gaps, 'ms', 0)} "
                f"({longest / idle:.0f}x the idle window's {idle:.1f} ms; {what}{note})",
                "<= 50 ms",
                longest <= 50 and not wrong,
            )
        )


# --- the machine and the docs --------------------------------------------------------------


def machine() -> dict[str, str]:
    uname = subprocess.run(
        ["uname", "-a"], capture_output=True, text=True, check=False
    ).stdout.strip()
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    qt = subprocess.run(
        [
            c.PYTHON,
            "-c",
            "import PySide6; from PySide6 import QtCore; "
            "print(QtCore.qVersion(), PySide6.__version__)",
        ],
        capture_output=True,
        text=True,
        env=c.bench_env(),
        check=False,
    ).stdout.split()
    return {
        "uname": uname,
        "cpu": f"{cpu} ({os.cpu_count()} logical CPUs)",
        "python": platform.python_version(),
        "qt": f"Qt {qt[0]}, PySide6 {qt[1]}" if len(qt) == 2 else "unknown",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def write_docs(info: dict[str, str], started: datetime.datetime, seconds: float) -> None:
    kept = ""
    if DOCS.exists():
        text = DOCS.read_text(encoding="utf-8")
        if NOTES_MARK in text:
            kept = text.split(NOTES_MARK, 1)[1].lstrip("\n")
    rows = "\n".join(
        f"| `{f.name}` | {f.value.replace('|', '/')} | {f.target or '-'} | "
        f"{'INFO' if f.ok is None else 'PASS' if f.ok else '**FAIL**'} |"
        for f in FIGURES
    )
    failed = sum(1 for f in FIGURES if f.ok is False)
    targets = sum(1 for f in FIGURES if f.ok is not None)
    raw = "\n".join(_raw_lines(DETAILS))
    DOCS.write_text(
        f"""# Benchmarks

Written by `python bench/run.py --write-docs` on {started:%Y-%m-%d %H:%M} UTC
({seconds:.0f} s for the whole run). {targets - failed} of {targets} targets pass.

## Machine

- `{info["uname"]}`
- CPU: {info["cpu"]}
- Python {info["python"]}, {info["qt"]}
- load average when the run ended: {info["load"]} (other work shares this machine: the
  figures are ratios against baselines measured in the same run for that reason)

## Results

| figure | value | target | |
|---|---|---|---|
{rows}

<details><summary>Every run's figures (seconds, MB, ms)</summary>

```text
{raw}
```
</details>

## How each figure is measured

Every measurement runs in a fresh subprocess, with `QT_QPA_PLATFORM=offscreen` for the
window; each is repeated (`--runs`, 3 by default, 9 for startup) and the median is taken.
`python bench/run.py` prints the same lines; it exits 1 when a target fails.

- **Startup** (`bench/startup.py`): from the first line of the measuring script
  (`time.perf_counter()` before any import) to the first complete paint of the main window:
  its first `QEvent.Paint`, then the zero timer posted from it, which runs once every child
  widget has been painted in that pass. The baseline is a bare `QMainWindow` of the app
  window's size, shown the same way in the same run (interleaved runs). The app starts
  through `sipstory_desktop.gui.app.main`, as users start it, on a home with no entries or
  with 1000 entries (written with `ConfigStore.update`, with a `state.json` holding 5 results
  per entry and their budgets' requests). Import time is part of the figure and shown on its own.
  The window reads its list on a worker after its first paint: when the 1000 rows are all
  in the list is shown beside (`startup.app_1000_list_shown`). The package is compiled to
  bytecode first, as an installed app is (the environment here sets
  `PYTHONDONTWRITEBYTECODE`).
- **No keyring call before the paint**: the keyring backend is
  `bench/recording_keyring.py` (`PYTHON_KEYRING_BACKEND`), an in-memory backend that notes
  when keyring creates it and every call on it, and `bench/keyring_watch.py` notes every
  call of `keyring.get_keyring()` and keyring's other module functions (wrapped when the app
  imports keyring); the first note must come after the paint above. (A cheap backend: with
  keyring's own detection the probe imports and tries every installed backend, about 0.1 s
  of work competing with the paint.)
- **Memory**: peak RSS (`ru_maxrss`) of those same processes, read 0.5 s after the first
  paint and at least 0.2 s after the list is shown (so the deferred start-up work, the
  keyring probe and the 1000 rows are in it): the app with 1000 entries against the bare
  window.
- **Check all** (`bench/window_check.py`, `bench/cli_inprocess.py`): 100 entries, 25 on each
  of 4 `SipstoryTestServer`s (200 ms per answer) run in a separate process
  (`bench/servers.py`; keys over stdin), each entry with its own key. Ideal =
  ceil(100 / 8) x 200 ms = 2.6 s, 8 being `CheckSession`'s pool and `--jobs`' default.
  Window: from the Check all action (what F5 triggers) to `CheckSession.idle`, with an
  in-memory keyring. CLI: `check_entries` timed inside a process, as `sipstory-keys check`
  calls it, against the real Secret Service (gnome-keyring on a private D-Bus): this figure
  carries the target; the wall time of the `sipstory-keys check` process (interpreter start,
  imports, saving included) is shown beside it. curl: 100 sequential calls, each entry's key
  read from a header file (`-H @file`), never from the command line.
- **Responsiveness** (`bench/window_check.py --tick-ms 5`, `bench/window_load.py`): a 5 ms
  `QTimer` notes its ticks; the longest gap between two ticks is the longest stall. First on
  the idle window (the baseline), then (a) while Check all runs on 500 entries (50 ms per
  answer, 4 servers in a separate process) until 0.5 s after idle, and (b) while the window,
  open on an empty home, picks up 1000 entries that another process moved into its home
  (file watcher, reload) until 0.5 s after they are shown.
- `--trace` on `window_check.py` / `window_load.py` explains the longest gaps (time per
  GUI-thread call, and what other threads ran meanwhile; `bench/gaptrace.py`).

{NOTES_MARK}

{kept}""",
        encoding="utf-8",
    )


def _raw_lines(details: dict[str, Any]) -> Iterator[str]:
    """One line per run: ``group.figure: {json}``."""
    for group, content in details.items():
        for key, runs in content.items():
            for run in runs if isinstance(runs, list) else [runs]:
                yield f"{group}.{key}: {json.dumps(_rounded(run))}"


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


# --- main ----------------------------------------------------------------------------------

GROUPS: dict[str, Callable[[argparse.Namespace], None]] = {
    "startup": lambda a: bench_startup(a.startup_runs),
    "check_all": lambda a: bench_check_all(a.runs, a.curl_runs),
    "responsiveness": lambda a: bench_responsiveness(a.runs),
}
TARGETS_OF = {
    "startup": [
        "startup.app_0_entries_vs_bare",
        "startup.app_1000_entries_vs_bare",
        "startup.app_1000_vs_0_entries",
        "startup.no_keyring_before_paint",
        "memory.app_1000_entries_vs_bare",
    ],
    "check_all": ["check_all.window_vs_ideal", "check_all.cli_vs_ideal"],
    "responsiveness": ["responsiveness.check_500_entries", "responsiveness.load_1000_entries"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/benchmarks.md")
    parser.add_argument("--only", default=",".join(GROUPS), help="groups, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--startup-runs", type=int, default=9, help="startup runs (default 9)")
    parser.add_argument("--curl-runs", type=int, default=1, help="curl series (default 1)")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    started_at = datetime.datetime.now(datetime.timezone.utc)
    started = time.perf_counter()
    # Bytecode, as an installed app has it (pip compiles at install; the bundle holds .pyc):
    # with PYTHONDONTWRITEBYTECODE every start would compile the package (~45 ms) instead.
    compileall.compile_dir(str(c.ROOT / "sipstory_desktop"), quiet=1)
    for name in chosen:
        try:
            GROUPS[name](args)
        except Exception as exc:  # a group that cannot run fails its targets, the rest go on
            traceback.print_exc(file=sys.stderr)
            done = {f.name for f in FIGURES}
            for target in TARGETS_OF[name]:
                if target not in done:
                    report(
                        Figure(
                            target,
                            f"could not be measured: {exc}".splitlines()[0],
                            "a measurement",
                            False,
                        )
                    )
    seconds = time.perf_counter() - started
    failed = [f for f in FIGURES if f.ok is False]
    targets = [f for f in FIGURES if f.ok is not None]
    print(f"{len(targets) - len(failed)} of {len(targets)} targets pass ({seconds:.0f} s)")
    if args.write_docs:
        write_docs(machine(), started_at, seconds)
        print(f"wrote {DOCS.relative_to(c.ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
