"""push --verify: the API is read back and compared with what was pushed, on the fields we own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.core.diagnostics import Code
from migrate.emitters.base import EmitOptions
from migrate.push.commands import push_spec
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.testsupport import SAMPLES
from tests.vendors.vendor_helpers import ConnMaker

ORDERS = SAMPLES / "orders-openapi30.yaml"


@pytest.mark.parametrize("vendor", ["akamai", "akana"])
def test_a_faithful_vendor_verifies_clean(vendor: str, conn: ConnMaker) -> None:
    result = push_spec(ORDERS, conn(vendor), verify=True)
    assert result.verified == [] and not result.verify_failed


def test_frends_cannot_be_verified_and_says_so(conn: ConnMaker) -> None:
    result = push_spec(ORDERS, conn("frends"), verify=True)
    assert [d.code for d in result.verified or []] == [Code.NOT_VERIFIED]
    assert not result.verify_failed


def test_no_verify_without_the_option(conn: ConnMaker) -> None:
    assert push_spec(ORDERS, conn("akamai")).verified is None


@pytest.fixture
def lossy(tmp_path: Path) -> Iterator[tuple[SandboxHandle, Path]]:
    """An Akamai sandbox that silently drops parameter restrictions on write (a fault mode)."""
    with start_sandbox("akamai", settings={"akamai": {"drop_restrictions": True}}) as handle:
        config = tmp_path / "lossy.toml"
        write_config(handle, config)
        yield handle, config


@pytest.mark.breaks_contract  # the fault mode stores less than the documented create stores
def test_verify_catches_a_vendor_that_drops_a_parameter_restriction(lossy: tuple[SandboxHandle, Path],
                                                                     tmp_path: Path) -> None:
    _, config = lossy
    args = ["push", str(ORDERS), "--to", "akamai", "--config", str(config), "--journal", str(tmp_path / "j.jsonl"),
            "--verify"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    mismatches = [line for line in result.output.splitlines() if "VERIFY_MISMATCH" in line]
    assert any("apiParameterRestriction: GET /orders query pageSize: pushed" in line and "rangeMax" in line
               and "does not hold it" in line for line in mismatches), result.output
    assert "error" in mismatches[0]
    unverified = CliRunner().invoke(main, args[:-1])  # the same lossy push without --verify passes unnoticed
    assert unverified.exit_code == 0


def test_verify_names_what_akana_holds_otherwise(conn: ConnMaker, sandbox: SandboxHandle) -> None:
    """Someone (or the platform) changed an operation right after the push: verify says which."""
    from migrate.conversion.run import convert
    from migrate.push.commands import push_delivery
    from migrate.push.protocol import Delivery
    from migrate.push.verify import verify_push

    connection = conn("akana")
    client = connection.client()
    delivery = Delivery(str(ORDERS), convert(ORDERS, "akana", client.emit_options(EmitOptions())).payload)
    pushed = push_delivery(delivery, client, connection)
    ids = pushed.remote.ids  # type: ignore[union-attr]
    version = sandbox.store.doc("akana")["apis"][ids["apiId"]]["versions"][ids["apiVersionId"]]
    listing = next(op for op in version["Operations"]["Operation"] if op["Name"] == "listOrders")
    listing["Input"] = [i for i in listing["Input"] if i["Name"] != "pageSize"]
    found = verify_push(client, delivery, pushed.remote)
    assert found and {d.code for d in found} == {Code.VERIFY_MISMATCH}
    assert any(d.message.startswith("GET /orders: ") and "query pageSize" in d.message for d in found), found
