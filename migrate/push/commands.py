"""The bodies of ``api-migrate plan`` and ``push``: each returns the text to print; errors are
``MigrateError`` subclasses (AuthError and other PushErrors exit 2 through the CLI's mapping)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.conversion.run import convert
from migrate.core.errors import PushError
from migrate.core.status import failing_severities
from migrate.emitters.base import EmitOptions
from migrate.push.clients import client_for
from migrate.push.config import load_profile
from migrate.push.http import RetryPolicy, Unreachable
from migrate.push.journal import DEFAULT_PATH, Journal
from migrate.push.plan import Plan, make_plan, render_plan
from migrate.push.protocol import Client, Delivery, PushOptions
from migrate.push.run import PushResult, render_push, run_push
from migrate.readers import ReadOptions


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

    def profile_name(self) -> str:
        """The profile in use: the one named, or the one ``load_profile`` picks."""
        return self.profile or load_profile(self.vendor, self.config).name


@contextmanager
def naming_profile(conn: Connection) -> Iterator[None]:
    """A vendor that cannot be reached is named with the profile that points at it."""
    try:
        yield
    except Unreachable as exc:
        exc.reason += f" [profile {conn.profile_name()}]"
        raise


def prepare(spec: Path | str, conn: Connection, options: EmitOptions | None = None,
            read_options: ReadOptions | None = None) -> tuple[Client, Delivery]:
    """Convert ``spec`` for the vendor with the profile's defaults applied first (``emit_options``),
    so that what is pushed is exactly what ``convert`` or ``batch`` with the same profile writes."""
    client = conn.client()
    conversion = convert(spec, conn.vendor, client.emit_options(options or EmitOptions()), read_options)
    return client, Delivery(conversion.source, conversion.payload)


def plan_command(spec: Path | str, conn: Connection, fmt: str = "text", options: EmitOptions | None = None,
                 read_options: ReadOptions | None = None, push_options: PushOptions | None = None) -> str:
    """What ``push`` with the same options would do (``push_options``: activate, publish, deploy)."""
    found, _ = plan_of(spec, conn, options, read_options, push_options)
    return render_plan(found, fmt)


def plan_of(spec: Path | str, conn: Connection, options: EmitOptions | None = None,
            read_options: ReadOptions | None = None, push_options: PushOptions | None = None) -> tuple[Plan, str]:
    """The plan and the name of the profile it was made with."""
    client, delivery = prepare(spec, conn, options, read_options)
    with naming_profile(conn):
        return make_plan(delivery, client, conn.open_journal(), push_options), conn.profile_name()


def push_command(spec: Path | str, conn: Connection, dry_run: bool = False, activate: str | None = None,
                 publish: bool = False, deploy: int | None = None, fmt: str = "text",
                 options: EmitOptions | None = None, read_options: ReadOptions | None = None,
                 wait: bool = True, wait_timeout: float = 1800.0, adopt: str | None = None,
                 assume_absent: bool = False, planned: dict[str, Any] | None = None,
                 deactivate: str | None = None, verify: bool = False) -> str:
    result = push_spec(spec, conn, dry_run, activate, publish, deploy, options, read_options, wait, wait_timeout,
                       adopt, assume_absent, planned, deactivate, verify)
    return render_push(result, fmt)


def push_spec(spec: Path | str, conn: Connection, dry_run: bool = False, activate: str | None = None,
              publish: bool = False, deploy: int | None = None, options: EmitOptions | None = None,
              read_options: ReadOptions | None = None, wait: bool = True, wait_timeout: float = 1800.0,
              adopt: str | None = None, assume_absent: bool = False,
              planned: dict[str, Any] | None = None, deactivate: str | None = None,
              verify: bool = False) -> PushResult:
    """Convert ``spec`` (``prepare``) and push the payload; ``planned``: a plan saved by
    ``plan -o``, carried out only if it is still what push would do. ``verify``: then read the API
    back and compare it with what was pushed (``PushResult.verified``)."""
    client, delivery = prepare(spec, conn, options, read_options)
    result = push_delivery(delivery, client, conn, dry_run, activate, publish, deploy, wait, wait_timeout, adopt,
                           assume_absent, planned, deactivate=deactivate)
    if verify and not dry_run and not result.held:
        from migrate.push.verify import verify_push

        with naming_profile(conn):
            result.verified = verify_push(client, delivery, result.remote)
    return result


def push_delivery(delivery: Delivery, client: Client, conn: Connection, dry_run: bool = False,
                  activate: str | None = None, publish: bool = False, deploy: int | None = None,
                  wait: bool = True, wait_timeout: float = 1800.0, adopt: str | None = None,
                  assume_absent: bool = False, planned: dict[str, Any] | None = None,
                  change_existing: bool = True, deactivate: str | None = None) -> PushResult:
    """Push one payload; refused when its report has error-level diagnostics (the vendor would
    reject it, or it would lose what the source requires)."""
    errors = [d for d in delivery.diagnostics if d.severity in failing_severities()]
    if errors and not dry_run:
        first = errors[0]
        raise PushError(conn.vendor, f"not pushed: the payload has {len(errors)} error-level diagnostic(s) the "
                        f"vendor would reject, first {first.code.name} at {first.pointer or '/'}: {first.message}")
    with naming_profile(conn):
        return run_push(delivery, client, conn.open_journal(), dry_run, activate, publish, deploy, wait, wait_timeout,
                        adopt, assume_absent, planned, change_existing, deactivate)
