"""``api-migrate akamai contracts``, ``akamai deactivate`` and ``delete --to akamai`` against the
sandbox over loopback: the account's contract/group pairs with their hostnames; deactivation until
DEACTIVATED; no delete without --yes, none while a version is active, then the endpoint is gone;
``--category NAME`` found by name or created once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migrate.cli import main
from migrate.emitters.base import EmitOptions
from migrate.push.commands import plan_of, push_spec
from migrate.push.protocol import PushOptions
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


def test_categories_by_name_are_created_once_and_reused(sandbox: SandboxHandle, conn: ConnMaker,
                                                        make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    options = EmitOptions(categories=("Reading",))
    plan, _ = plan_of(spec, conn("akamai"), options)
    assert plan.action == "create" and sandbox.state()["akamai"].get("categories", {}) == {}
    assert push_spec(spec, conn("akamai"), options=options).done == ["create"]
    (category,) = sandbox.state()["akamai"]["categories"].values()
    assert category["apiCategoryName"] == "Reading"
    (entry,) = sandbox.state()["akamai"]["endpoints"].values()
    assert entry["versions"]["1"]["endpoint"]["apiCategoryIds"] == [category["apiCategoryId"]]
    assert push_spec(spec, conn("akamai"), options=options).plan.action == "nothing"
    more = EmitOptions(categories=("reading", "Fiction"))  # names match whatever their case
    plan, _ = plan_of(spec, conn("akamai"), more)
    assert [c.render() for c in plan.diff] == ['+ field /apiCategoryIds/1: "(new) Fiction"']
    assert push_spec(spec, conn("akamai"), options=more).done == ["update"]
    names = sorted(c["apiCategoryName"] for c in sandbox.state()["akamai"]["categories"].values())
    assert names == ["Fiction", "Reading"]
    assert push_spec(spec, conn("akamai"), options=more).plan.action == "nothing"


def test_push_deactivate_after_the_definition_and_not_again(sandbox: SandboxHandle, config: Path,
                                                            conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("akamai"), activate="staging")
    plan, _ = plan_of(spec, conn("akamai"), push_options=PushOptions(deactivate="staging"))
    assert [f.description for f in plan.followups] == ["deactivate version 1 on STAGING"]
    result = push_spec(spec, conn("akamai"), deactivate="staging")
    assert result.done == ["deactivate"]
    (entry,) = sandbox.state()["akamai"]["endpoints"].values()
    assert entry["versions"]["1"]["endpoint"]["stagingStatus"] == "DEACTIVATED"
    assert push_spec(spec, conn("akamai"), deactivate="staging").changed is False
    both = CliRunner().invoke(main, ["push", str(spec), "--to", "akamai", "--config", str(config), "--profile",
                                     "sandbox-akamai", "--activate", "staging", "--deactivate", "staging"])
    assert both.exit_code == 2 and "--activate and --deactivate both name STAGING" in both.output
    other = CliRunner().invoke(main, ["push", str(spec), "--to", "frends", "--deactivate", "staging"])
    assert other.exit_code == 2 and "--deactivate is for Akamai" in other.output
