"""The bodies of ``api-migrate plan`` and ``push``: each returns the text to print; errors are
``MigrateError`` subclasses (AuthError and other PushErrors exit 2 through the CLI's mapping)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrate.convert import Conversion, convert
from migrate.emitters import EmitOptions
from migrate.errors import PushError
from migrate.readers import ReadOptions
from migrate.vendors.base import Client
from migrate.vendors.clients import client_for
from migrate.vendors.http import RetryPolicy
from migrate.vendors.journal import DEFAULT_PATH, Journal
from migrate.vendors.plan import make_plan, render_plan
from migrate.vendors.push import PushResult, render_push, run_push


@dataclass(frozen=True)
class Connection:
    """Where and how to reach the vendor (the options shared by ``plan`` and ``push``)."""

    vendor: str
    config: Path | None = None
    profile: str | None = None
    edgerc: Path | None = None
    section: str | None = None
    account_key: str | None = None
    journal: Path | None = None
    policy: RetryPolicy | None = None

    def client(self) -> Client:
        return client_for(self.vendor, self.config, self.profile, self.edgerc, self.section,
                          self.account_key, self.policy)

    def open_journal(self) -> Journal:
        return Journal(self.journal or DEFAULT_PATH)


def prepare(spec: Path | str, conn: Connection, options: EmitOptions | None = None,
            read_options: ReadOptions | None = None) -> tuple[Client, Conversion]:
    client = conn.client()
    return client, convert(spec, conn.vendor, client.emit_options(options or EmitOptions()), read_options)


def plan_command(spec: Path | str, conn: Connection, fmt: str = "text", options: EmitOptions | None = None,
                 read_options: ReadOptions | None = None) -> str:
    client, conversion = prepare(spec, conn, options, read_options)
    return render_plan(make_plan(conversion, client, conn.open_journal()), fmt)


def push_command(spec: Path | str, conn: Connection, dry_run: bool = False, activate: str | None = None,
                 publish: bool = False, deploy: int | None = None, fmt: str = "text",
                 options: EmitOptions | None = None, read_options: ReadOptions | None = None) -> str:
    result = push_spec(spec, conn, dry_run, activate, publish, deploy, options, read_options)
    return render_push(result, fmt)


def push_spec(spec: Path | str, conn: Connection, dry_run: bool = False, activate: str | None = None,
              publish: bool = False, deploy: int | None = None, options: EmitOptions | None = None,
              read_options: ReadOptions | None = None) -> PushResult:
    client, conversion = prepare(spec, conn, options, read_options)
    errors = [d for d in conversion.diagnostics if d.severity.value == "error"]
    if errors and not dry_run:
        first = errors[0]
        raise PushError(conn.vendor, f"not pushed: the payload has {len(errors)} error-level diagnostic(s) the "
                        f"vendor would reject, first {first.code.name} at {first.pointer or '/'}: {first.message}")
    return run_push(conversion, client, conn.open_journal(), dry_run, activate, publish, deploy)
