"""Local Sipstory test servers in a process of their own, for the benchmarks.

Reads the known keys from standard input (one a line, an empty line ends them: a key is
never on a command line), starts ``--count`` servers on 127.0.0.1, prints each API base URL
on a line, and serves until standard input is closed.

    python bench/servers.py --count 4 --delay 0.2 < keys
"""

from __future__ import annotations

import argparse
import sys

from sipstory_desktop.demo.fake_api import SipstoryTestServer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()
    keys = []
    for line in sys.stdin:
        if not line.strip():
            break
        keys.append(line.strip())
    servers = [SipstoryTestServer(delay=args.delay) for _ in range(args.count)]
    try:
        for number, server in enumerate(servers):
            for key in keys:
                server.add_key(key, org=f"org-{number}-{key[-6:]}")
            server.start()
            print(server.api_base, flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin
    finally:
        for server in servers:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
