"""The blocking form behind ``api-migrate sandbox``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from migrate.sandbox.config import write_config
from migrate.sandbox.faults import FaultSpec
from migrate.sandbox.server import start_sandbox


def run_sandbox(vendor: str = "all", port: int = 0, faults: str | None = None, state: Path | None = None,
                write_config_to: Path | None = None, token_ttl: float = 1800.0,
                echo: Callable[[str], None] = print, stop: threading.Event | None = None,
                rate_limit: float | None = None) -> None:
    """Serve until Ctrl-C (or until ``stop`` is set). Prints the URLs (never the credentials:
    use ``--write-config``). Raises ValueError for a bad ``faults``/``vendor`` value and OSError
    when a port is taken."""
    spec = FaultSpec.parse(faults) if faults else None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    handle = start_sandbox(vendor, port=port, faults=spec, state=state, token_ttl=token_ttl, access_log=True,
                           rate_limit=rate_limit)
    try:
        for name, url in handle.base_urls.items():
            echo(f"{name:7} {url}")
        echo(f"state   {handle.root_url(handle.vendors[0])}/_sandbox/state")
        if write_config_to is not None:
            write_config(handle, write_config_to)
            echo(f"config  {write_config_to} (profiles sandbox-{', sandbox-'.join(handle.vendors)})")
        waiter = stop or threading.Event()
        while not waiter.wait(0.5):
            pass
    except KeyboardInterrupt:
        echo("stopping")
    finally:
        handle.stop()
