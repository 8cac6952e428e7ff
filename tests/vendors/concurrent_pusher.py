"""Run by tests/vendors/test_concurrent_push.py in a process of its own: wait for the start
signal, then push every spec in a folder to one vendor, one after another, through the shared
journal. Prints one JSON line per spec: its name and what the push did."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from migrate.core.errors import MigrateError
from migrate.push.commands import Connection, push_spec
from tests.vendors.vendor_helpers import FAST


def main(vendor: str, specs: str, config: str, journal: str, go: str) -> None:
    while not Path(go).exists():  # both runs start together
        time.sleep(0.005)
    conn = Connection(vendor, Path(config), f"sandbox-{vendor}", journal=Path(journal), policy=FAST)
    for spec in sorted(Path(specs).glob("*.json")):
        try:
            result = push_spec(spec, conn)
            print(json.dumps({"spec": spec.name, "done": result.done}), flush=True)
        except MigrateError as exc:
            print(json.dumps({"spec": spec.name, "error": exc.render()}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
