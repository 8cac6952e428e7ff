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
from migrate.core.errors import PushError
from migrate.emitters.base import EmitOptions
from migrate.push.clients import client_for
from migrate.push.commands import push_spec
from migrate.push.frends.client import FrendsClient
from migrate.push.frends.transfer import carry_out, copies, plan_import, read_manifest, read_scope
from migrate.push.http import MaybeCommitted
from migrate.push.journal import Journal
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker


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
    # --delete-missing deletes only within the export's scope: a --process export has none to delete
    keep_one = tmp_path / "one"
    run("frends", "export", "--process", changed[0], "-o", keep_one, "--config", both, "--profile", "sandbox-frends")
    scoped = run("frends", "import", keep_one, "--delete-missing", *target)
    assert "0 only in Frends; 0 write(s)." in scoped.output and len(live(other)) == 2
    assert "Scope of --delete-missing: the folder's own Processes only (the export named them with --process)" in (
        scoped.output)
    # an --all export of a tenant holding one Process fewer: the other one is kept unless --delete-missing
    gone = next(g for g in live(sandbox) if g != changed[0])
    client_for("frends", both, "sandbox-frends").call("DELETE", f"/processes/{gone}", "delete Process")
    every = tmp_path / "every"
    run("frends", "export", "--all", "-o", every, "--config", both, "--profile", "sandbox-frends")
    kept = run("frends", "import", every, *target)
    assert "1 only in Frends; 0 write(s)." in kept.output and len(live(other)) == 2
    assert "Scope of --delete-missing: every Process of the target (the export was --all)." in kept.output
    deleted = run("frends", "import", every, "--delete-missing", *target)
    assert "1 write(s)." in deleted.output and set(live(other)) == {changed[0]}


def test_delete_missing_keeps_to_the_exported_name(sandbox: SandboxHandle, other: SandboxHandle, conn: ConnMaker,
                                                   make_spec: SpecMaker, both: Path, tmp_path: Path) -> None:
    made(conn, make_spec)
    target = ("--config", both, "--profile", "to", "--journal", tmp_path / "j.jsonl")
    run("frends", "export", "--all", "-o", tmp_path / "all", "--config", both, "--profile", "sandbox-frends")
    run("frends", "import", tmp_path / "all", *target)
    named = tmp_path / "named"
    run("frends", "export", "--process-name", "Books POST /items", "-o", named, "--config", both, "--profile",
        "sandbox-frends")
    planned = run("frends", "plan", named, "--delete-missing", "--config", both, "--profile", "to")
    assert "0 only in Frends; 0 write(s)." in planned.output
    assert "the target's Processes named 'Books POST /items' (the export was --process-name)" in planned.output
    before = other.store.snapshot()["frends"]
    assert run("frends", "import", named, "--delete-missing", *target).exit_code == 0
    assert other.store.snapshot()["frends"] == before  # the GET Process, outside the scope, is not deleted


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


def frends_client(config: Path) -> FrendsClient:
    """A client of the target tenant (profile ``to``) with a quick retry policy."""
    client = client_for("frends", config, "to", policy=FAST)
    assert isinstance(client, FrendsClient)
    return client


def _changed_copy(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker, both: Path, tmp_path: Path) -> Path:
    """Both Processes at the target, then GET /items/{id} changed at the source: the export of that."""
    made(conn, make_spec)
    run("frends", "export", "--all", "-o", tmp_path / "first", "--config", both, "--profile", "sandbox-frends")
    run("frends", "import", tmp_path / "first", "--config", both, "--profile", "to", "--journal", tmp_path / "j.jsonl")
    made(conn, make_spec, extra_param=True)
    run("frends", "export", "--all", "-o", tmp_path / "second", "--config", both, "--profile", "sandbox-frends")
    return tmp_path / "second"


def test_a_new_element_import_is_made_once(sandbox: SandboxHandle, other: SandboxHandle, conn: ConnMaker,
                                           make_spec: SpecMaker, both: Path, tmp_path: Path) -> None:
    second = _changed_copy(sandbox, conn, make_spec, both, tmp_path)
    target = ("--config", both, "--profile", "to", "--journal", tmp_path / "j.jsonl")
    first = run("frends", "import", second, "--conflict", "NewActiveElement", *target)
    assert first.exit_code == 0 and "Frends makes a new Process (a new GUID) of it" in first.output
    after = live(other)
    assert len(after) == 3  # seed 001: 'will create a new Process'
    copy = next(g for g in after if g not in live(sandbox))
    before = other.store.snapshot()["frends"]
    again = run("frends", "import", second, "--conflict", "NewActiveElement", *target)
    assert f"imported before as Process {copy} (journal)" in again.output and "0 write(s)." in again.output
    assert "1 imported before as a new Process" in again.output
    assert other.store.snapshot()["frends"] == before  # a re-run writes nothing
    # the copy is the journal's, not a Process "only in Frends" that --delete-missing would remove
    planned = run("frends", "plan", second, "--conflict", "NewActiveElement", "--delete-missing", *target)
    assert "0 only in Frends; 0 write(s)." in planned.output


def test_a_lost_answer_to_a_new_element_import_is_not_resent(sandbox: SandboxHandle, other: SandboxHandle,
                                                             conn: ConnMaker, make_spec: SpecMaker, both: Path,
                                                             tmp_path: Path) -> None:
    second = _changed_copy(sandbox, conn, make_spec, both, tmp_path)
    client = frends_client(both)
    sent = client.call
    posts: list[str] = []

    def lose_the_answer(method: str, path: str, action: str, **kw: Any) -> Any:
        answer = sent(method, path, action, **kw)
        if path == "/processes/batch-import":
            posts.append(path)
            raise MaybeCommitted("frends", "import Processes: the connection dropped after the request")
        return answer

    client.call = lose_the_answer  # type: ignore[method-assign]
    entries = read_manifest(second)
    planned = plan_import(client, entries, "NewInactiveElement", False, read_scope(second))
    journal = Journal(tmp_path / "j.jsonl")
    done = carry_out(client, second, entries, planned, "NewInactiveElement", journal, client.target)
    assert len(posts) == 1 and len(live(other)) == 3  # looked up, not sent twice
    copy = next(g for g in live(other) if g not in live(sandbox))
    assert any(d.endswith(f" as {copy}") for d in done)
    assert plan_import(client, entries, "NewInactiveElement", False, read_scope(second),
                       copies(journal, client.target)).writes == []


def test_a_partly_stored_batch_is_journaled(sandbox: SandboxHandle, other: SandboxHandle, conn: ConnMaker,
                                            make_spec: SpecMaker, both: Path, tmp_path: Path) -> None:
    """The documents do not say whether a refused batch file stored some of its Processes (the
    sandbox stores those before the refused one): what Frends holds afterwards is journaled."""
    made(conn, make_spec)
    run("frends", "export", "--all", "--one-file", "-o", tmp_path / "batch", "--config", both, "--profile",
        "sandbox-frends")
    client = frends_client(both)
    entries = read_manifest(tmp_path / "batch")
    planned = plan_import(client, entries, "Error", False, read_scope(tmp_path / "batch"))
    assert [s.status for s in planned.steps] == ["new", "new"]
    first, last = json.loads((tmp_path / "batch" / "batch-export").read_bytes())
    # meanwhile, the batch's last Process reaches the target another way
    client.call("POST", "/processes/batch-import", "import", files={"file": ("p.json", json.dumps(last).encode(),
                "application/json")}, data={"importConflict": "Error"})
    journal = Journal(tmp_path / "j.jsonl")
    with pytest.raises(PushError):
        carry_out(client, tmp_path / "batch", entries, planned, "Error", journal, client.target)
    stored = [(e["key"], e["ids"]["created"]) for e in journal.entries()]
    assert stored == [(f"process:{first['uniqueIdentifier']}", first["uniqueIdentifier"])]
    again = plan_import(client, entries, "Error", False, read_scope(tmp_path / "batch"), copies(journal, client.target))
    assert [s.status for s in again.steps] == ["same", "same"] and again.writes == []
