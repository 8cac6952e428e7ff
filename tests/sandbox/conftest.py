"""Sandbox fixtures (liftable to tests/conftest.py for the push tests): a fresh sandbox per test,
and requests sessions already authenticated against each vendor."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from migrate.sandbox import SandboxHandle, start_sandbox
from tests.sandbox.sandbox_helpers import akamai_session_for, akana_login


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    """All three vendors on free loopback ports, empty state, fresh credentials."""
    with start_sandbox("all") as handle:
        yield handle


@pytest.fixture
def akamai(sandbox: SandboxHandle) -> Iterator[requests.Session]:
    with akamai_session_for(sandbox) as session:
        yield session


@pytest.fixture
def akana(sandbox: SandboxHandle) -> Iterator[requests.Session]:
    with akana_login(sandbox) as session:
        yield session


@pytest.fixture
def frends(sandbox: SandboxHandle) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {sandbox.credentials.frends.api_key}"
        yield session
