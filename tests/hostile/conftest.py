"""Hostile-server tests: no proxy from the environment may stand between client and server."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: waits out a timeout or a deadline (a few seconds each)"
    )


@pytest.fixture(autouse=True)
def _no_proxy(no_proxy: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test here runs without a proxy (the shared ``no_proxy``) or an ``SSL_CERT_FILE``."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
