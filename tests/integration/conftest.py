"""Fixtures of the end-to-end tests: ``sipstory-keys`` as a subprocess, a local server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.cli import Cli


@pytest.fixture
def cli(tmp_path: Path, secret_service: dict[str, str]) -> Cli:
    home = tmp_path / "sipstory-home"
    env = {**os.environ, **secret_service, "SIPSTORY_DESKTOP_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return Cli(home, env)


@pytest.fixture
def server() -> Iterator[SipstoryTestServer]:
    with SipstoryTestServer(layout="proxy", slow_seconds=30) as running:
        yield running
