"""Akana policies through plan and push against the sandbox: the profile's ``akana_policies`` table
maps the petstore sample's schemes to policy keys; the created version holds them; a re-run writes
nothing; a changed mapping shows in the plan's diff and reaches the platform as a new version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.core.errors import UsageError
from migrate.emitters.base import EmitOptions, emit
from migrate.push.akana.client import AkanaClient
from migrate.push.akana.owned import Owned, version_part
from migrate.push.commands import Connection
from migrate.push.journal import Journal
from migrate.push.plan import make_plan, render_plan
from migrate.push.protocol import Delivery
from migrate.push.run import run_push
from migrate.readers import read_spec
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.testsupport import SAMPLES
from tests.vendors.vendor_helpers import FAST

SPEC = SAMPLES / "petstore-swagger2.yaml"


def _client(handle: SandboxHandle, path: Path, policies: str) -> AkanaClient:
    write_config(handle, path)
    text = path.read_text(encoding="utf-8").replace('[profiles."sandbox-akana"]\n',
                                                    f'[profiles."sandbox-akana"]\nakana_policies = {policies}\n')
    path.write_text(text, encoding="utf-8")
    client = Connection("akana", path, "sandbox-akana", policy=FAST).client()
    assert isinstance(client, AkanaClient)
    return client


def _delivery(client: AkanaClient, **options: Any) -> Delivery:
    return Delivery("petstore", emit(read_spec(SPEC), "akana", client.emit_options(EmitOptions(**options))))


def _keys(handle: SandboxHandle) -> list[list[str]]:
    entry = next(iter(handle.state()["akana"]["apis"].values()))
    return [[p["PolicyKey"] for p in v["Policies"]["Policy"]] for v in entry["versions"].values()]


@pytest.fixture
def handle() -> Iterator[SandboxHandle]:
    with start_sandbox("akana") as found:
        yield found
        assert found.violations == []


def test_mapped_policies_are_pushed_and_a_rerun_writes_nothing(handle: SandboxHandle, tmp_path: Path) -> None:
    client = _client(handle, tmp_path / "c.toml", '{ apiKey = "10001-App", oauth2 = "10001-OAuth" }')
    journal = Journal(tmp_path / "j.jsonl")
    assert run_push(_delivery(client), client, journal).done == ["create"]
    assert _keys(handle) == [["10001-App", "10001-OAuth"]]
    again = run_push(_delivery(client), client, journal)
    assert again.done == [] and again.plan.action == "nothing", again.plan.reason


def test_the_command_line_wins_and_a_changed_policy_is_planned_then_versioned(handle: SandboxHandle,
                                                                            tmp_path: Path) -> None:
    client = _client(handle, tmp_path / "c.toml", '{ apiKey = "10001-App" }')
    journal = Journal(tmp_path / "j.jsonl")
    run_push(_delivery(client), client, journal)
    changed = _delivery(client, akana_policies=("apiKey=10001-App-v2",))
    plan = make_plan(changed, client, journal)
    assert plan.action == "new-version"
    # compared with what the last push sent (the platform need not return policies: akana.yaml x-silent)
    assert ('~ field /version/policies/0: "10001-App" -> "10001-App-v2" [old: as the last push sent it '
            "(local state)") in render_plan(plan)
    assert run_push(changed, client, journal).done == ["new-version"]
    assert _keys(handle) == [["10001-App"], ["10001-App-v2"]]
    assert run_push(changed, client, journal).done == []


def test_policies_the_platform_adds_are_not_ours() -> None:
    desired = {"Policies": {"Policy": [{"PolicyKey": "A", "PolicyType": "Operational Policy"}]}}
    held = {"Policies": {"Policy": [{"PolicyKey": "10001-DetailedAuditing", "PolicyType": "Operational Policy"},
                                    {"PolicyKey": "A", "PolicyType": "Operational Policy"}]}}
    owned = Owned.of(desired)
    assert version_part(held, owned) == version_part(desired, owned)
    assert version_part({"Policies": {"Policy": []}}, owned)["policies"] == []


def test_a_malformed_profile_table_is_a_usage_error(handle: SandboxHandle, tmp_path: Path) -> None:
    client = _client(handle, tmp_path / "c.toml", '"10001-App"')
    with pytest.raises(UsageError, match="akana_policies must be a table"):
        client.emit_options(EmitOptions())
