"""``api-migrate pull``: read APIs a vendor holds into the model and write them as OpenAPI 3 or as
the model's JSON form, with a loss report both ways on stderr (``migrate.pull``)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from migrate.cli import F, account_options, handles_errors, plan_lines, report_lines, target_options
from migrate.core.targets import VENDORS

PULL_FORMATS = ("openapi", "json")


def source_options(func: F) -> F:
    """Where and how to reach the vendor read from (as push takes them, without --to)."""
    return account_options(func, "Profile in the config file (default: the config's only one for the vendor).",
                           "Push journal (default .api-migrate/journal.jsonl): resolves Akana names to APIIDs.")


def source_connection(vendor: str, params: dict[str, Any]) -> Any:
    from migrate.push.commands import Connection

    return Connection(vendor, params.pop("config"), params.pop("profile"), params.pop("edgerc"),
                      params.pop("section"), params.pop("account_key"), params.pop("journal"))


def document_text(pulled: Any, fmt: str) -> str:
    """The pulled model as OpenAPI 3 (the openapi emitter) or as the model's JSON form."""
    if fmt == "json":
        return json.dumps(pulled.api.document(), indent=2, ensure_ascii=False) + "\n"
    from migrate.emitters.base import emit

    payload = emit(pulled.api, "openapi")
    pulled.report.extend(payload.report.items)
    return payload.files[0].text


def file_name(name: str, ident: str, fmt: str) -> str:
    """A file name for one API of ``pull --all``: its name made safe, and its id (names may repeat)."""
    safe = re.sub(r"[^0-9A-Za-z._-]+", "-", name).strip("-.") or "api"
    return f"{safe}-{re.sub(r'[^0-9A-Za-z]+', '', ident)[:12]}.{fmt}.json"


@click.command()
@click.argument("vendor", type=click.Choice(VENDORS))
@click.argument("ident", required=False, metavar="ID|NAME")
@click.option("--version", "version", help="Akamai: a version number; Akana: an APIVersionID (default: the latest).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (default: stdout); with --all, the folder (one file per API).")
@click.option("--format", "fmt", type=click.Choice(PULL_FORMATS), default="openapi", show_default=True,
              help="OpenAPI 3.0 document, or the model's JSON form.")
@click.option("--all", "pull_all", is_flag=True, help="Every API the vendor lists, one file each in -o DIR; a "
              "re-run pulls again and rewrites only the files whose API changed.")
@click.option("--resume", is_flag=True, help="With --all: skip the APIs whose file is already there (to finish an "
              "interrupted run quickly; those files are not brought up to date).")
@click.option("--name-contains", help="With --all: only APIs whose name contains this (any case).")
@click.option("--category", help="With --all, Akamai: only endpoints in this category (its name).")
@click.option("--akana-definition", "definition", metavar="SPECIFICATION",
              help="Akana: read the version's description document in this format (the Specification path "
              "segment of GET /api/apis/versions/{APIVersionID}/definition/{Specification}) instead of its operations.")
@source_options
@handles_errors
def pull(vendor: str, ident: str | None, version: str | None, output: Path | None, fmt: str, pull_all: bool,
         resume: bool, name_contains: str | None, category: str | None, definition: str | None,
         **params: Any) -> None:
    """Read API ID|NAME from VENDOR into the model and write it (OpenAPI 3 or the model's JSON),
    with a loss report both ways on stderr: what the vendor holds that the model cannot, and what
    the model needs that the vendor does not hold. Akamai: by endpoint id or name. Akana: by APIID,
    or by a name this folder's push journal knows (Akana documents no readable lookup by name).
    Frends cannot be pulled: its documented API returns a specification's id, name, active version
    and description only, never its text. Exit 0, or 2 when the API cannot be read."""
    from migrate.core.errors import UsageError
    from migrate.pull.run import FRENDS_UNREADABLE, pull_with

    if vendor == "frends":
        raise UsageError(f"pull frends: {FRENDS_UNREADABLE}")
    if definition and vendor != "akana":
        raise UsageError("--akana-definition reads an Akana API's description document: not with " + vendor)
    if pull_all == bool(ident):
        raise UsageError("give either ID|NAME or --all")
    if (version or definition) and pull_all:
        raise UsageError("--version and --akana-definition name one API: not with --all")
    if (name_contains or category or resume) and not pull_all:
        raise UsageError("--name-contains, --category and --resume belong to --all")
    conn = source_connection(vendor, params)
    client, journal = conn.client(), conn.open_journal()
    if pull_all:
        if output is None:
            raise UsageError("--all writes one file per API: give -o DIR")
        sys.exit(_pull_all(client, journal, output, fmt, name_contains, category, resume))
    pulled = pull_with(client, str(ident), version, journal, definition)
    text = document_text(pulled, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_if_changed(output, text)
    _echo_report(pulled)


def _echo_report(pulled: Any) -> None:
    lines = [d.render() for d in pulled.report]
    where = f"{pulled.vendor} {', '.join(f'{k}={v}' for k, v in sorted(pulled.ids.items()))} version {pulled.version}"
    lines.append(f"pulled {pulled.api.title!r} ({where}): {len(pulled.api.resources)} resource(s); "
                 f"{len(pulled.report)} diagnostic(s)")
    click.echo(report_lines("\n".join(lines)), nl=False, err=True)


def _write_if_changed(target: Path, text: str) -> bool:
    """Write ``text`` to ``target`` unless it already holds it (a re-run writes nothing); complete
    files only (written beside, then moved). True when written."""
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return True


def _pull_all(client: Any, journal: Any, outdir: Path, fmt: str, name_contains: str | None,
              category: str | None, resume: bool = False) -> int:
    """One file per API, rewritten only when the API changed (a vendor may change a version in
    place: its id and number say nothing); ``resume``: a file already there is skipped. 1 when
    any API failed."""
    from migrate.core.errors import MigrateError
    from migrate.pull.run import list_apis, pull_with

    outdir.mkdir(parents=True, exist_ok=True)
    apis = list_apis(client, name_contains, journal, category)
    written = unchanged = skipped = failed = 0
    for ident, name in apis:
        target = outdir / file_name(name, ident, fmt)
        if resume and target.exists():
            skipped += 1
            continue
        try:
            pulled = pull_with(client, ident, None, journal)
            text = document_text(pulled, fmt)
        except MigrateError as exc:
            failed += 1
            click.echo(f"{name} ({ident}): not pulled: {exc.render()}", err=True)
            continue
        if _write_if_changed(target, text):
            written += 1
        else:
            unchanged += 1
    click.echo(f"{len(apis)} API(s): {written} written, {unchanged} unchanged, {skipped} skipped (--resume), "
               f"{failed} failed ({outdir})", err=True)
    return 1 if failed else 0


@click.command("migrate")
@click.option("--from", "source", required=True, metavar="VENDOR:ID|NAME",
              help="The API to move (with --all: VENDOR). Only read: the source vendor is never written.")
@click.option("--to", "vendor", type=click.Choice(VENDORS), required=True, help="The vendor to move it to.")
@click.option("--plan", "plan_only", is_flag=True, help="Pull and convert, then show what push would do; send nothing.")
@click.option("--verify/--no-verify", default=True, show_default=True,
              help="After the push, read the API back and compare it with what was pushed (a difference fails).")
@click.option("--from-profile", help="Profile of the source vendor (default: the config's only one for it).")
@click.option("--to-profile", help="Profile of the target vendor (default: the config's only one for it).")
@click.option("--version", "version", help="Akamai: a version number; Akana: an APIVersionID (default: the latest).")
@click.option("--akana-definition", "definition", metavar="SPECIFICATION",
              help="From Akana: read the version's description document in this format instead of its operations "
              "(as pull --akana-definition).")
@click.option("--all", "migrate_all", is_flag=True, help="Every API the source vendor lists, one after the other.")
@click.option("--name-contains", help="With --all: only APIs whose name contains this (any case).")
@click.option("--from-category", "category", help="With --all, from Akamai: only endpoints in this category (its "
              "name). (--category is the target option: the category ids to give the pushed endpoint.)")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="With --all: write migration.json and migration.html (a row per API, a column per step) here.")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file with profiles (default ~/.config/api-migrate/config.toml).")
@click.option("--edgerc", type=click.Path(dir_okay=False, path_type=Path), help="Akamai .edgerc file.")
@click.option("--section", help="Akamai .edgerc section.")
@click.option("--account-key", help="Akamai accountSwitchKey.")
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help="Push journal (default .api-migrate/journal.jsonl).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--activate", type=click.Choice(["staging", "production"]), help="Akamai: activate on a network.")
@click.option("--publish", is_flag=True, help="Frends: publish the new version.")
@click.option("--deploy", type=int, metavar="AGENT_GROUP", help="Frends: deploy to this agent group.")
@click.option("--yes", is_flag=True, help="Also change APIs the target already holds (update, new version); without "
              "it their push is held and its plan shown, and only new APIs are created.")
@target_options
@handles_errors
def migrate_command(source: str, vendor: str, plan_only: bool, verify: bool, from_profile: str | None,
                    to_profile: str | None, version: str | None, definition: str | None, migrate_all: bool,
                    name_contains: str | None,
                    category: str | None, outdir: Path | None, config: Path | None, edgerc: Path | None,
                    section: str | None, account_key: str | None, journal: Path | None, fmt: str,
                    activate: str | None, publish: bool, deploy: int | None, yes: bool, **params: Any) -> None:
    """Move an API from one vendor to another: pull it (--from, only read), convert the model for
    --to with the options of convert, push it (or --plan: only show what push would do) and verify
    the push by reading it back. Frends cannot be a source: its documented API never returns a
    specification's text. Exit 0 ok, 1 a verify difference (or, with --all, any API failed), 2
    unusable input."""
    from migrate.cli import emit_options
    from migrate.core.errors import UsageError
    from migrate.pull.migration import migrate_api, only_profile, parse_source, render_migration
    from migrate.pull.run import FRENDS_UNREADABLE
    from migrate.push.commands import Connection
    from migrate.push.protocol import PushOptions

    from_vendor, ident = (source.rstrip(":"), "") if migrate_all and ":" not in source.rstrip(":") \
        else parse_source(source)
    if from_vendor not in VENDORS:
        raise UsageError(f"--from {source!r}: expected VENDOR (with --all) with VENDOR one of {', '.join(VENDORS)}")
    if from_vendor == "frends":
        raise UsageError(f"--from frends: {FRENDS_UNREADABLE}")
    if definition and from_vendor != "akana":
        raise UsageError(f"--akana-definition reads an Akana API's description document: not with --from {from_vendor}")
    if migrate_all and (ident or definition or version):
        raise UsageError("--all migrates every API as it is listed: give --from VENDOR without an id or name, and "
                         "no --version or --akana-definition")
    if (name_contains or category or outdir) and not migrate_all:
        raise UsageError("--name-contains, --from-category and -o belong to --all")
    if activate == "production" and not plan_only:
        raise UsageError("migrate does not activate on production: migrate to staging, check, then push or "
                         "activate with push --activate production")
    src = Connection(from_vendor, config, only_profile(from_vendor, config, from_profile, "--from-profile"), edgerc,
                     section, account_key, journal)
    dst = Connection(vendor, config, only_profile(vendor, config, to_profile, "--to-profile"), edgerc, section,
                     account_key, journal)
    options, steps = emit_options(params), PushOptions(activate, publish, deploy)
    if migrate_all:
        sys.exit(_migrate_all(src, dst, options, plan_only, verify, steps, (name_contains, category), fmt, outdir,
                              yes))
    done = migrate_api(src, ident, dst, options, version, plan_only, verify, steps, definition, change_existing=yes)
    click.echo(plan_lines(render_migration(done, fmt), fmt), nl=False)
    sys.exit(1 if done.failed else 0)


def _migrate_all(src: Any, dst: Any, options: Any, plan_only: bool, verify: bool, steps: Any,
                 filters: tuple[str | None, str | None], fmt: str, outdir: Path | None, yes: bool = False) -> int:
    """Every listed API in turn; one line per API with its steps (pulled, converted, pushed, verified)."""
    from migrate.core.errors import MigrateError
    from migrate.pull.migration import migrate_api
    from migrate.pull.run import list_apis

    apis = list_apis(src.client(), filters[0], src.open_journal(), filters[1])
    rows: list[dict[str, Any]] = []
    for ident, name in apis:
        try:
            done = migrate_api(src, ident, dst, options, None, plan_only, verify, steps, change_existing=yes)
            kept_back = bool(done.result and done.result.held)
            row = {"api": name, "id": ident, **done.steps, "failed": done.failed and not kept_back, "held": kept_back}
        except MigrateError as exc:
            row = {"api": name, "id": ident, "error": exc.render(), "failed": True, "held": False}
        rows.append(row)
        if fmt == "text":
            shown = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("api", "id", "failed", "held"))
            click.echo(f"{name} ({ident}): {shown}")
    failed, held = sum(bool(r["failed"]) for r in rows), sum(bool(r["held"]) for r in rows)
    if outdir is not None:
        from migrate.pull.report import write_report

        write_report(rows, src.vendor, dst.vendor, outdir)
    if fmt == "json":
        click.echo(json.dumps({"apis": rows, "failed": failed, "held": held}, indent=2, sort_keys=True))
    else:
        click.echo(f"{len(rows)} API(s) from {src.vendor} to {dst.vendor}: {len(rows) - failed - held} ok, "
                   f"{held} held (they would change APIs the target holds: review, then --yes), {failed} failed")
    return 1 if failed or held else 0
