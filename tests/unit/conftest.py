"""Fixtures of the unit tests of core: HTTP answers mocked with ``responses``, a client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from sipstory_desktop.core.client import ApiClient, Timeouts


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """``responses`` for the test's whole run; requests registered but not made are fine."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def client() -> ApiClient:
    """The real :class:`ApiClient` with short timeouts."""
    return ApiClient(Timeouts(connect=2.0, read=2.0))
