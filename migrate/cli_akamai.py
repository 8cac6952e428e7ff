"""Akamai-only commands: ``api-migrate akamai contracts`` (what a profile may use as contract,
group and hostname), ``api-migrate akamai deactivate NAME --network N``, and
``api-migrate delete --to akamai NAME --yes`` (refused while a version is active)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from migrate.cli import account_options, handles_errors


def akamai_connection(func: Any) -> Any:
    """The options that say which Akamai account to talk to (as plan and push take them)."""
    return account_options(func, journal_help=None)


def _client(params: dict[str, Any]) -> Any:
    from migrate.push.commands import Connection

    return Connection("akamai", params["config"], params["profile"], params["edgerc"], params["section"],
                      params["account_key"]).client()


@click.group()
def akamai() -> None:
    """Akamai-only commands (contracts, groups and hostnames; deactivation)."""


@akamai.command()
@akamai_connection
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@handles_errors
def contracts(fmt: str, **params: Any) -> None:
    """List the contracts and groups the credentials reach, with each pair's hostnames (what a
    profile's contract_id, group_id and endpoint_host may be)."""
    from migrate.push.akamai.manage import contracts as listed
    from migrate.push.akamai.manage import render_contracts

    found = listed(_client(params))
    click.echo(json.dumps(found, indent=2, sort_keys=True) if fmt == "json" else render_contracts(found), nl=False)
    if fmt == "json":
        click.echo()


@akamai.command()
@click.argument("name")
@click.option("--network", type=click.Choice(["staging", "production"]), required=True)
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait until the version is DEACTIVATED.")
@click.option("--wait-timeout", type=float, default=1800.0, show_default=True, help="Seconds to wait.")
@akamai_connection
@handles_errors
def deactivate(name: str, network: str, wait: bool, wait_timeout: float, **params: Any) -> None:
    """Deactivate the version of endpoint NAME that is active on NETWORK."""
    from migrate.push.akamai.manage import deactivate as run

    click.echo(run(_client(params), name, network, wait, wait_timeout), nl=False)


@click.command()
@click.argument("name")
@click.option("--to", "vendor", type=click.Choice(["akamai"]), required=True)
@click.option("--yes", "confirmed", is_flag=True, help="Really remove it (required).")
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help="Push journal (default .api-migrate/journal.jsonl).")
@akamai_connection
@handles_errors
def delete(name: str, vendor: str, confirmed: bool, journal: Path | None, **params: Any) -> None:
    """Remove the Akamai endpoint NAME and all its versions (only with --yes; refused while a
    version is active or pending on a network: deactivate it first)."""
    from migrate.core.errors import UsageError
    from migrate.push.akamai.manage import delete as run
    from migrate.push.journal import DEFAULT_PATH, Journal

    if not confirmed:
        raise UsageError(f"delete removes endpoint {name!r} and all its versions: add --yes to do it")
    client = _client(params)
    eid = run(client, name)
    Journal(journal or DEFAULT_PATH).record("akamai", client.target, name, "deleted", "", {"endpointId": eid})
    click.echo(f"akamai: endpoint {name!r} ({eid}) removed\n", nl=False)
