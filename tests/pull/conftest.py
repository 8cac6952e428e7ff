"""Fixtures for pull, verify and migrate: a sandbox per test, its config file and journal, the
same as the vendor-client tests have them (taken from there, not written again)."""

from __future__ import annotations

from tests.vendors.conftest import config, conn, sandbox

__all__ = ["config", "conn", "sandbox"]
