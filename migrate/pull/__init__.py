"""Pull: read what a vendor holds back into the model (vendor -> model), with a loss report both
ways. ``pull_api`` is the entry point for other stages (``migrate``, ``assess``)."""

from __future__ import annotations

from pathlib import Path

from migrate.core.diagnostics import Diagnostic
from migrate.core.model import Api
from migrate.pull.run import FRENDS_UNREADABLE, Pulled, PullError, pull_with
from migrate.push.http import RetryPolicy

__all__ = ["FRENDS_UNREADABLE", "PullError", "Pulled", "pull_api", "pull_with"]


def pull_api(vendor: str, ident: str, *, version: str | None = None, config: Path | None = None,
             profile: str | None = None, edgerc: Path | None = None, section: str | None = None,
             account_key: str | None = None, journal: Path | None = None, policy: RetryPolicy | None = None,
             definition: str | None = None) -> tuple[Api, list[Diagnostic]]:
    """Read API ``ident`` (an id, or a name where the vendor can look one up) from ``vendor``
    (akamai, akana; frends raises ``PullError``: its API cannot return a specification's text),
    reached through ``profile`` of ``config`` as ``push`` would be. ``version``: Akamai's version
    number or Akana's APIVersionID (default: the latest). ``journal``: the push journal that
    resolves Akana names. ``definition``: Akana only, read the version's description document in
    this Specification format instead of its operations. Returns the model and the loss report
    (what the vendor holds that the model cannot, and what the model needs that the vendor lacks).
    Raises ``PullError``/``PushError`` (a ``MigrateError``) when the API cannot be read."""
    from migrate.push.commands import Connection

    conn = Connection(vendor, config, profile, edgerc, section, account_key, journal, policy)
    pulled = pull_with(conn.client(), ident, version, conn.open_journal(), definition)
    return pulled.api, pulled.report.items
