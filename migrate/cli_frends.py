"""``api-migrate frends``: Frends-to-Frends migration of Processes (seed 001): ``list``, ``export``
and ``import`` (``migrate.push.frends.transfer``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from migrate.cli import F, handles_errors

#: seed 001's importConflict values (``migrate.push.frends.transfer.CONFLICTS``, not imported here
#: to keep the CLI's start quick; tests/vendors/test_frends_transfer.py checks they agree)
CONFLICTS = ("Error", "UseExisting", "NewVersion", "NewActiveElement", "NewInactiveElement")


def _connection_options(func: F) -> F:
    opts = [
        click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                     help="Config file with profiles (default ~/.config/api-migrate/config.toml)."),
        click.option("--profile", help="Profile in the config file (a frends one)."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text"),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def _client(config: Path | None, profile: str | None) -> Any:
    from migrate.push.clients import client_for

    return client_for("frends", config, profile)


@click.group()
def frends() -> None:
    """Frends Processes: list, export to a folder, import a folder (Frends to Frends)."""


@frends.command("list")
@click.option("--process-guid", "guid", metavar="GUID", help="Only this Process (the list's processGuid filter).")
@click.option("--process-name", "name", metavar="NAME", help="Only Processes of this name (processName filter).")
@_connection_options
@handles_errors
def list_processes(guid: str | None, name: str | None, config: Path | None, profile: str | None, fmt: str) -> None:
    """The latest live version of each Process, read page by page."""
    from migrate.push.frends.transfer import listed

    found = sorted(listed(_client(config, profile), guid, name).values(),
                   key=lambda p: (str(p.get("name")).casefold(), str(p.get("uniqueIdentifier"))))
    rows = [{"guid": p["uniqueIdentifier"], "name": p.get("name"), "version": p.get("version"), "id": p.get("id"),
             "apiSpecId": p.get("apiSpecId")} for p in found]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, sort_keys=True))
        return
    for row in rows:
        click.echo(f"{row['guid']}  v{row['version']}  {row['name']}")
    click.echo(f"{len(rows)} Process(es)")


@frends.command("export")
@click.option("--process", "guids", multiple=True, metavar="GUID", help="A Process to export (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Every live Process.")
@click.option("--process-name", "name", metavar="NAME", help="Every Process of this name (processName filter).")
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the files and processes.json to.")
@click.option("--one-file", is_flag=True, help="One GET /processes/batch-export file instead of one per Process.")
@_connection_options
@handles_errors
def export_processes(guids: tuple[str, ...], everything: bool, name: str | None, folder: Path, one_file: bool,
                     config: Path | None, profile: str | None, fmt: str) -> None:
    """Write the export file of each chosen Process (its latest live version) to a folder."""
    from migrate.core.errors import UsageError
    from migrate.push.frends.transfer import chosen, export, scope_of

    if sum((bool(guids), everything, bool(name))) != 1:
        raise UsageError("give --process GUID (repeatable), --all or --process-name NAME")
    client = _client(config, profile)
    entries = export(client, chosen(client, list(guids), everything, name), folder, one_file,
                     scope_of(list(guids), everything, name))
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2, sort_keys=True))
        return
    for entry in entries:
        click.echo(f"{entry['guid']}  v{entry['version']}  {entry['name']} -> {folder / entry['file']}")
    click.echo(f"{len(entries)} Process(es) exported to {folder}")


CONFLICT_HELP = ("importConflict for a Process whose GUID Frends already holds (seed 001). NewActiveElement and "
                 "NewInactiveElement make a new Process (a new GUID) of a differing one; the journal records the "
                 "GUID made, so a re-run with the same --journal imports no second copy.")
JOURNAL_HELP = "Push journal (default .api-migrate/journal.jsonl)."


@frends.command("plan")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--conflict", type=click.Choice(CONFLICTS), default="Error", show_default=True,
              help="The importConflict `frends import` would use.")
@click.option("--delete-missing", is_flag=True, help="As `frends import --delete-missing` would.")
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help=JOURNAL_HELP + " Its records of earlier imports are what `frends import` reads.")
@_connection_options
@handles_errors
def plan_processes(folder: Path, conflict: str, delete_missing: bool, journal: Path | None, config: Path | None,
                   profile: str | None, fmt: str) -> None:
    """Which Processes of FOLDER are new, differ or are the same at the target, and which live only
    there (within the export's scope): what `frends import` with the same options would do
    (nothing is sent)."""
    from migrate.push.frends.transfer import copies, plan_import, read_manifest, read_scope
    from migrate.push.journal import DEFAULT_PATH, Journal

    client = _client(config, profile)
    made = copies(Journal(journal or DEFAULT_PATH), client.target)
    planned = plan_import(client, read_manifest(folder), conflict, delete_missing, read_scope(folder), made)
    click.echo(json.dumps(planned.to_json(), indent=2, sort_keys=True) if fmt == "json" else planned.render(),
               nl=fmt == "json")


@frends.command("import")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--conflict", type=click.Choice(CONFLICTS), default="Error", show_default=True, help=CONFLICT_HELP)
@click.option("--dry-run", is_flag=True, help="Show which Processes are new, differ or are the same; send nothing.")
@click.option("--delete-missing", is_flag=True,
              help="Also DELETE the target's live Processes, within the export's scope (--all: every one; "
                   "--process-name: those of the name; --process: none), that the folder does not have.")
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path), help=JOURNAL_HELP)
@_connection_options
@handles_errors
def import_processes(folder: Path, conflict: str, dry_run: bool, delete_missing: bool, journal: Path | None,
                     config: Path | None, profile: str | None, fmt: str) -> None:
    """Import a folder written by `frends export`: new and differing Processes only; exits 1 when a
    new or differing Process is not imported (with --conflict Error or UseExisting)."""
    from migrate.push.frends.transfer import carry_out, copies, plan_import, read_manifest, read_scope
    from migrate.push.journal import DEFAULT_PATH, Journal

    client = _client(config, profile)
    entries = read_manifest(folder)
    log = Journal(journal or DEFAULT_PATH)
    planned = plan_import(client, entries, conflict, delete_missing, read_scope(folder), copies(log, client.target))
    done = [] if dry_run else carry_out(client, folder, entries, planned, conflict, log, client.target)
    if fmt == "json":
        click.echo(json.dumps({**planned.to_json(), "dryRun": dry_run, "done": done}, indent=2, sort_keys=True))
    else:
        click.echo(planned.render() + ("(dry run: nothing was sent)\n" if dry_run else ""), nl=False)
    if any(s.status in ("new", "differs") and s.action == "none" for s in planned.steps):
        sys.exit(1)
