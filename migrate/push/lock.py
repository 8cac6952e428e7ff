"""One push of an API at a time on this machine: a lock per (vendor, target URL, API key) in a
per-user folder (``$API_MIGRATE_LOCK_DIR``, else ``$XDG_RUNTIME_DIR/api-migrate/locks``, else
``~/.cache/api-migrate/locks``), whatever journal each run uses, held while ``push`` plans against
the vendor and carries the plan out. A second run of the same API waits, then plans again against
what the first one left (the re-check at the vendor before a create), so two runs at once end with
one object where the vendor can be asked by name (Akamai, Frends); Akana's documented API cannot
be, so there the second run knows the first one's API only through a shared journal. The lock is
an OS file lock (``filelock``): a run that dies releases it with its process."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from filelock import FileLock, Timeout

from migrate.core.errors import PushError

log = logging.getLogger("migrate.push")

#: How long a push waits for another push of the same API before giving up.
WAIT = 900.0


def lock_folder() -> Path:
    given = os.environ.get("API_MIGRATE_LOCK_DIR")
    if given:
        return Path(given)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return (Path(runtime) / "api-migrate" if runtime else Path.home() / ".cache" / "api-migrate") / "locks"


def lock_path(vendor: str, target: str, key: str) -> Path:
    digest = hashlib.sha256(f"{vendor}\n{target}\n{key}".encode()).hexdigest()[:32]
    return lock_folder() / f"{vendor}-{digest}.lock"


class PushLock:
    """``with PushLock(...)``: hold the API's lock, waiting up to ``wait`` seconds for it."""

    def __init__(self, vendor: str, target: str, key: str, wait: float = WAIT) -> None:
        self.path = lock_path(vendor, target, key)
        self.vendor, self.key, self.wait = vendor, key, wait
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(str(self.path))

    def __enter__(self) -> PushLock:
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            log.info("%s: waiting for another push of %s (lock %s)", self.vendor, self.key, self.path)
            try:
                self.lock.acquire(timeout=self.wait)
            except Timeout:
                raise PushError(self.vendor, f"another push of {self.key!r} has held its lock for {self.wait:.0f} s "
                                f"({self.path}); nothing was sent. Run again when it has finished.") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()
