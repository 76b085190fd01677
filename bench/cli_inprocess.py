"""``sipstory-keys check``'s work, timed inside the process: no interpreter start, no imports.

    python bench/cli_inprocess.py            store the keys: name<TAB>key lines on stdin
    python bench/cli_inprocess.py --check    time one check of every entry

Runs against keyring's own backend (the benchmark points it at a real Secret Service) and
``SIPSTORY_DESKTOP_HOME``. ``--check`` does what ``cmd_check`` (``sipstory_desktop/cli/checks.py``)
does (same client timeouts, same pool size, the results recorded) and times ``check_entries``
alone, and ``check_entries`` plus the record; prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

from sipstory_desktop.core.checker import MAX_PARALLEL_CHECKS, check_entries
from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.paths import app_paths
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.vault import Vault


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--jobs", type=int, default=MAX_PARALLEL_CHECKS)
    args = parser.parse_args()
    vault = Vault(app_paths(), SecretStore())
    entries = vault.entries()
    if not args.check:
        keys = dict(line.rstrip("\n").split("\t", 1) for line in sys.stdin if line.strip())
        started = time.perf_counter()
        for entry in entries:
            vault.secrets.set(entry.id, keys[entry.name])
        print(json.dumps({"stored": len(entries), "seconds": time.perf_counter() - started}))
        return 0
    client = ApiClient(Timeouts(connect=5.0, read=10.0))  # the CLI's defaults
    state = vault.load_state()
    budgets: dict[str, str] = {}
    started = time.perf_counter()
    results = check_entries(
        client, vault.secrets, entries, max_workers=args.jobs, state=state, budgets_out=budgets
    )
    checked = time.perf_counter()
    vault.record(((e.id, r) for e, r in zip(entries, results, strict=True)), budgets=budgets)
    recorded = time.perf_counter()
    print(
        json.dumps(
            {
                "entries": len(entries),
                "check_s": checked - started,
                "check_and_record_s": recorded - started,
                "statuses": dict(Counter(r.status.value for r in results)),
                "backend": vault.backend_info().technical_name,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
