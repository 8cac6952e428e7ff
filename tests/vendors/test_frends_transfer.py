"""``api-migrate frends list / export / import`` between two Frends sandboxes: paged listing with the
documented filters, export files carried byte for byte, an import plan of new / differing / same /
only-in-Frends Processes, idempotent re-import, the conflict settings, deletion only with
--delete-missing, bad folders as one-line usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migrate.cli import main
from migrate.emitters.base import EmitOptions
from migrate.push.commands import push_spec
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.vendors.vendor_helpers import ConnMaker, SpecMaker


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with start_sandbox("frends") as handle:
        yield handle


@pytest.fixture
def other() -> Iterator[SandboxHandle]:
    """The Frends tenant the Processes move to."""
    with start_sandbox("frends") as handle:
        yield handle


@pytest.fixture
def both(config: Path, other: SandboxHandle) -> Path:
    """The config with a second profile, ``to``, for the other tenant."""
    config.write_text(config.read_text() + f'\n[profiles.to]\nvendor = "frends"\nbase_url = '
                      f'"{other.base_urls["frends"]}"\napi_key = "{other.credentials.frends.api_key}"\n')
    return config


def run(*args: Any) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def live(handle: SandboxHandle) -> dict[str, dict[str, Any]]:
    return {p["uniqueIdentifier"]: p for p in handle.store.snapshot()["frends"].get("processes", {}).values()
            if not p["isDeleted"] and not p["isNotLatestVersion"]}


def made(conn: ConnMaker, make_spec: SpecMaker, **kw: Any) -> None:
    push_spec(make_spec("Books", "/books", post=True, **kw), conn("frends"),
              options=EmitOptions(frends_mode="processes"))


def test_list_with_the_documented_filters(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker,
                                          config: Path) -> None:
    made(conn, make_spec)
    listed = run("frends", "list", "--config", config, "--profile", "sandbox-frends", "--format", "json")
    rows = json.loads(listed.output)
    assert [r["name"] for r in rows] == ["Books GET /items/{id}", "Books POST /items"]
    named = run("frends", "list", "--config", config, "--profile", "sandbox-frends", "--process-name",
                "Books POST /items")
    assert "Books POST /items" in named.output and "GET" not in named.output and "1 Process(es)" in named.output
    one = run("frends", "list", "--config", config, "--profile", "sandbox-frends", "--process-guid", rows[0]["guid"])
    assert rows[0]["guid"] in one.output and "1 Process(es)" in one.output


def test_export_then_import_moves_the_processes_once(sandbox: SandboxHandle, other: SandboxHandle, conn: ConnMaker,
                                                     make_spec: SpecMaker, both: Path, tmp_path: Path) -> None:
    made(conn, make_spec)
    out = tmp_path / "moved"
    exported = run("frends", "export", "--all", "-o", out, "--config", both, "--profile", "sandbox-frends")
    assert exported.exit_code == 0 and "2 Process(es) exported" in exported.output
    source = live(sandbox)
    for guid in source:  # the exported bytes, as Frends gave them
        assert json.loads((out / guid).read_bytes())["uniqueIdentifier"] == guid
    target = ("--config", both, "--profile", "to", "--journal", tmp_path / "j.jsonl")
    dry = run("frends", "import", out, "--dry-run", *target)
    assert "Processes: 2 new, 0 differ, 0 the same, 0 only in Frends; 2 write(s)." in dry.output
    planned = run("frends", "plan", out, "--format", "json", "--config", both, "--profile", "to")
    assert sorted((s["guid"], s["status"], s["action"]) for s in json.loads(planned.output)["steps"]) == sorted(
        (g, "new", "import") for g in source)
    assert live(other) == {}
    assert run("frends", "import", out, *target).exit_code == 0
    moved = live(other)
    assert set(moved) == set(source)
    assert all(moved[g]["bpmn"] == source[g]["bpmn"] and moved[g]["name"] == source[g]["name"] for g in source)
    before = other.store.snapshot()["frends"]
    again = run("frends", "import", out, *target)
    assert "0 new, 0 differ, 2 the same, 0 only in Frends; 0 write(s)." in again.output
    assert other.store.snapshot()["frends"] == before  # a re-run writes nothing
    journaled = [json.loads(line) for line in (tmp_path / "j.jsonl").read_text().splitlines()]
    assert sorted(e["key"] for e in journaled) == sorted(f"process:{g}" for g in source)


def test_a_differing_process_needs_new_version_and_deleting_needs_the_flag(
        sandbox: SandboxHandle, other: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker, both: Path,
        tmp_path: Path) -> None:
    made(conn, make_spec)
    first = tmp_path / "first"
    run("frends", "export", "--all", "-o", first, "--config", both, "--profile", "sandbox-frends")
    target = ("--config", both, "--profile", "to", "--journal", tmp_path / "j.jsonl")
    run("frends", "import", first, *target)
    made(conn, make_spec, extra_param=True)  # GET /items/{id} changes: a new version of its Process
    second = tmp_path / "second"
    run("frends", "export", "--all", "-o", second, "--one-file", "--config", both, "--profile", "sandbox-frends")
    assert sorted(p.name for p in second.iterdir()) == ["batch-export", "processes.json"]
    refused = run("frends", "import", second, *target)
    assert refused.exit_code == 1 and "differs" in refused.output and "use --conflict NewVersion" in refused.output
    changed = [g for g, p in live(sandbox).items() if p["version"] == 2]
    assert len(changed) == 1
    batch = run("frends", "import", second, "--conflict", "NewVersion", *target)
    assert batch.exit_code == 0 and "in the same batch file as a Process to import" in batch.output
    assert {g: p["version"] for g, p in live(other).items()} == dict.fromkeys(live(sandbox), 2)  # imported whole
    # a Process only the target has is kept unless --delete-missing is given
    keep_one = tmp_path / "one"
    run("frends", "export", "--process", changed[0], "-o", keep_one, "--config", both, "--profile", "sandbox-frends")
    kept = run("frends", "import", keep_one, *target)
    assert "1 only in Frends; 0 write(s)." in kept.output and len(live(other)) == 2
    deleted = run("frends", "import", keep_one, "--delete-missing", *target)
    assert "1 write(s)." in deleted.output and set(live(other)) == {changed[0]}


def test_bad_input_is_one_line_exit_2(sandbox: SandboxHandle, config: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for args, says in (
            (("import", empty), "not a folder written by `api-migrate frends export`"),
            (("export", "-o", tmp_path / "x"), "give --process GUID (repeatable), --all or --process-name NAME"),
            (("export", "--process", "00000000-0000-4000-8000-000000000000", "-o", tmp_path / "x"),
             "Frends lists no live Process with this GUID")):
        result = CliRunner().invoke(main, ["frends", *map(str, args), "--config", str(config), "--profile",
                                           "sandbox-frends"])
        assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output


def test_a_batch_file_with_a_known_process_is_not_sent_with_error(sandbox: SandboxHandle, other: SandboxHandle,
                                                                   conn: ConnMaker, make_spec: SpecMaker, both: Path,
                                                                   tmp_path: Path) -> None:
    made(conn, make_spec)
    guid = sorted(live(sandbox))[0]
    source = ("--config", both, "--profile", "sandbox-frends")
    target = ("--config", both, "--profile", "to", "--journal", tmp_path / "j.jsonl")
    run("frends", "export", "--process", guid, "-o", tmp_path / "one", *source)
    run("frends", "import", tmp_path / "one", *target)
    run("frends", "export", "--all", "--one-file", "-o", tmp_path / "batch", *source)
    before = other.store.snapshot()["frends"]
    held = run("frends", "import", tmp_path / "batch", *target)
    assert held.exit_code == 1 and "its batch file holds a Process Frends has" in held.output
    assert other.store.snapshot()["frends"] == before


def test_the_cli_offers_the_conflict_settings_of_the_import() -> None:
    from migrate.cli_frends import CONFLICTS
    from migrate.push.frends.transfer import CONFLICTS as IMPORTED

    assert CONFLICTS == IMPORTED


def test_a_real_run_of_the_command(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker, config: Path,
                                   tmp_path: Path) -> None:
    made(conn, make_spec)
    base = [sys.executable, "-m", "migrate", "frends"]
    where = ["--config", str(config), "--profile", "sandbox-frends"]
    out = tmp_path / "out"
    exported = subprocess.run([*base, "export", "--all", "-o", str(out), *where], capture_output=True, text=True,
                              timeout=60, check=False)
    assert exported.returncode == 0, exported.stderr
    planned = subprocess.run([*base, "plan", str(out), *where], capture_output=True, text=True, timeout=60,
                             check=False)
    assert planned.returncode == 0 and "0 new, 0 differ, 2 the same, 0 only in Frends; 0 write(s)." in planned.stdout
    assert sandbox.credentials.frends.api_key not in exported.stdout + exported.stderr + planned.stdout
