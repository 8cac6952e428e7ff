"""Local HTTP servers that behave like the vendors' APIs (Akamai API Endpoint Definition v2, Akana
API Platform, Frends API management), for rehearsing a migration and for tests.

``start_sandbox(...)`` runs them in a background thread and returns a ``SandboxHandle`` (URLs,
credentials, ``.state()``, ``.stop()``; a context manager). ``run_sandbox(...)`` is the blocking
form behind ``api-migrate sandbox``.
"""

from __future__ import annotations

from migrate.sandbox.config import render_config, write_config
from migrate.sandbox.credentials import AkamaiCredentials, AkanaCredentials, Credentials, FrendsCredentials
from migrate.sandbox.faults import KINDS as FAULT_KINDS
from migrate.sandbox.faults import FaultSpec
from migrate.sandbox.run import run_sandbox
from migrate.sandbox.server import SandboxHandle, start_sandbox

__all__ = [
    "FAULT_KINDS", "AkamaiCredentials", "AkanaCredentials", "Credentials", "FaultSpec", "FrendsCredentials",
    "SandboxHandle", "render_config", "run_sandbox", "start_sandbox", "write_config",
]
