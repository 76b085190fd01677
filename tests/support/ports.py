"""Ports on this machine for the tests."""

from __future__ import annotations

import socket


def closed_port() -> int:
    """A port on 127.0.0.1 on which nothing listens (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
