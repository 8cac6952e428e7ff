"""``api-migrate akamai contracts``, ``akamai deactivate`` and ``delete --to akamai`` against the
sandbox over loopback: the account's contract/group pairs with their hostnames; deactivation until
DEACTIVATED; no delete without --yes, none while a version is active, then the endpoint is gone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migrate.cli import main
from migrate.push.commands import push_spec
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.vendors.vendor_helpers import ConnMaker, SpecMaker


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with start_sandbox("akamai", settings={"akamai": {"activation_seconds": 0.05}}) as handle:
        yield handle


def cli(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--config", str(config), "--profile", "sandbox-akamai"])


def test_contracts_lists_pairs_and_hostnames(sandbox: SandboxHandle, config: Path) -> None:
    result = cli(config, "akamai", "contracts", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert [(p["contractId"], p["groupId"], p["hosts"]) for p in found] == [
        ("C-SANDBOX", 12345, ["api.sandbox.example.com", "api2.sandbox.example.com"]),
        ("C-SANDBOX", 23456, ["dev.sandbox.example.com"])]
    text = cli(config, "akamai", "contracts").output
    assert "contract C-SANDBOX  group 12345  Sandbox group\n  hosts: api.sandbox.example.com" in text


def test_deactivate_then_delete(sandbox: SandboxHandle, config: Path, conn: ConnMaker, make_spec: SpecMaker,
                                tmp_path: Path) -> None:
    push_spec(make_spec("Books", "/books"), conn("akamai"), activate="staging")
    refused = cli(config, "delete", "--to", "akamai", "Books")
    assert refused.exit_code == 2 and "add --yes" in refused.output
    active = cli(config, "delete", "--to", "akamai", "Books", "--yes", "--journal", str(tmp_path / "j.jsonl"))
    assert active.exit_code == 2
    assert "version 1 is ACTIVE on STAGING" in active.output and "akamai deactivate 'Books' --network staging" \
        in active.output
    done = cli(config, "akamai", "deactivate", "Books", "--network", "staging")
    assert done.exit_code == 0, done.output
    assert done.output == "akamai: Books: version 1 is DEACTIVATED on STAGING\n"
    again = cli(config, "akamai", "deactivate", "Books", "--network", "staging")
    assert "no version is active on STAGING; nothing to do" in again.output
    removed = cli(config, "delete", "--to", "akamai", "Books", "--yes", "--journal", str(tmp_path / "j.jsonl"))
    assert removed.exit_code == 0, removed.output
    assert sandbox.state()["akamai"]["endpoints"] == {}
    steps = [json.loads(line)["step"] for line in (tmp_path / "j.jsonl").read_text().splitlines()]
    assert steps == ["deleted"]
    gone = cli(config, "delete", "--to", "akamai", "Books", "--yes", "--journal", str(tmp_path / "j.jsonl"))
    assert gone.exit_code == 2 and "no endpoint named 'Books'" in gone.output
