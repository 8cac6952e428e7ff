"""pull against the sandboxes: push a spec, pull it back, and the CLI (one API, --all, refusals)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.core.diagnostics import Code
from migrate.emitters.base import EmitOptions
from migrate.pull import PullError, pull_api
from migrate.push.commands import push_spec
from tests.testsupport import SAMPLES
from tests.vendors.vendor_helpers import ConnMaker

ORDERS = SAMPLES / "orders-openapi30.yaml"


def _params(api: object) -> dict[tuple[str, str], list[tuple[str, str]]]:
    return {(r.path, o.method): sorted((p.location, p.name) for p in o.parameters)
            for r, o in api.operations()}  # type: ignore[attr-defined]


def test_akamai_pull_by_name_and_by_id(conn: ConnMaker, config: Path, tmp_path: Path) -> None:
    pushed = push_spec(ORDERS, conn("akamai"))
    eid = str(pushed.remote.ids["endpointId"])  # type: ignore[union-attr]
    by_name, diagnostics = pull_api("akamai", "orders", config=config, profile="sandbox-akamai")
    by_id, _ = pull_api("akamai", eid, version="1", config=config, profile="sandbox-akamai")
    assert by_name.document() == by_id.document()
    page_size = next(p for _, o in by_name.operations() for p in o.parameters if p.name == "pageSize")
    assert (page_size.type, page_size.restrictions.minimum, page_size.restrictions.maximum) == ("integer", 1, 200)
    assert any(d.code is Code.VENDOR_LACKS and "responses" in d.message for d in diagnostics)
    with pytest.raises(PullError, match="no version 7"):
        pull_api("akamai", eid, version="7", config=config, profile="sandbox-akamai")
    with pytest.raises(PullError, match="no endpoint named 'Nothing'"):
        pull_api("akamai", "Nothing", config=config, profile="sandbox-akamai")


def test_akamai_pull_reads_the_version_settings(conn: ConnMaker, config: Path) -> None:
    pushed = push_spec(ORDERS, conn("akamai"))
    eid = pushed.remote.ids["endpointId"]  # type: ignore[union-attr]
    client = conn("akamai").client()
    cors = {"enabled": True, "allowedOrigins": ["https://shop.example.com"], "preflightMaxAge": 600}
    client.call("PUT", f"/endpoints/{eid}/versions/1/settings/cors", "write cors settings", json=cors)
    _, diagnostics = pull_api("akamai", str(eid), config=config, profile="sandbox-akamai")
    held = [d for d in diagnostics if d.pointer.startswith("/settings/")]
    assert [(d.code, d.pointer) for d in held] == [(Code.VENDOR_FEATURE_NOT_READ, "/settings/cors")]
    assert "https://shop.example.com" in held[0].message


def test_akana_pull_by_apiid_and_by_a_name_the_journal_knows(conn: ConnMaker, config: Path, tmp_path: Path) -> None:
    pushed = push_spec(ORDERS, conn("akana"))
    api_id = pushed.remote.ids["apiId"]  # type: ignore[union-attr]
    journal = tmp_path / "journal.jsonl"
    by_id, _ = pull_api("akana", api_id, config=config, profile="sandbox-akana")
    by_name, _ = pull_api("akana", "Orders", config=config, profile="sandbox-akana", journal=journal)
    assert by_id.document() == by_name.document()
    assert _params(by_id)[("/orders/{orderId}", "GET")] == [("header", "X-Trace"), ("path", "orderId")]
    with pytest.raises(PullError, match="Akana documents no lookup by name"):
        pull_api("akana", "Orders", config=config, profile="sandbox-akana", journal=tmp_path / "other.jsonl")


def test_akana_definition_document_is_read_with_our_readers(conn: ConnMaker, config: Path) -> None:
    """An API imported from a document: its definition, read back, has the types and restrictions
    the legacy operations lack."""
    pushed = push_spec(ORDERS, conn("akana"), options=EmitOptions(akana_mode="import"))
    api_id = pushed.remote.ids["apiId"]  # type: ignore[union-attr]
    api, diagnostics = pull_api("akana", api_id, config=config, profile="sandbox-akana", definition="openapi")
    page_size = next(p for _, o in api.operations() for p in o.parameters if p.name == "pageSize")
    assert (page_size.type, page_size.restrictions.maximum) == ("integer", 200)
    assert not any(d.code is Code.VENDOR_LACKS for d in diagnostics)


def test_frends_cannot_be_pulled_and_says_why(conn: ConnMaker, config: Path) -> None:
    pushed = push_spec(ORDERS, conn("frends"))
    sid = str(pushed.remote.ids["specId"])  # type: ignore[union-attr]
    with pytest.raises(PullError, match=r"API specification \d+ \('Orders'.*never its text"):
        pull_api("frends", sid, config=config, profile="sandbox-frends")
    result = CliRunner().invoke(main, ["pull", "frends", sid, "--config", str(config)])
    assert result.exit_code == 2 and "never its text" in result.output
    assert "never its text" in " ".join(CliRunner().invoke(main, ["pull", "--help"]).output.split())


def test_cli_pull_writes_openapi_and_the_loss_report(conn: ConnMaker, config: Path, tmp_path: Path) -> None:
    push_spec(ORDERS, conn("akamai"))
    out = tmp_path / "orders.json"
    result = CliRunner().invoke(main, ["pull", "akamai", "Orders", "-o", str(out), "--config", str(config),
                                       "--profile", "sandbox-akamai"])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.0") and "/orders/{orderId}" in document["paths"]
    assert "VENDOR_LACKS" in result.output and "pulled 'Orders'" in result.output
    as_json = CliRunner().invoke(main, ["pull", "akamai", "Orders", "--format", "json", "--config", str(config)])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["api"]["title"] == "Orders"


def test_cli_pull_all_is_resumable(conn: ConnMaker, config: Path, tmp_path: Path) -> None:
    push_spec(ORDERS, conn("akamai"))
    push_spec(SAMPLES / "petstore-swagger2.yaml", conn("akamai"))
    outdir = tmp_path / "pulled"
    args = ["pull", "akamai", "--all", "-o", str(outdir), "--config", str(config)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "2 written, 0 already there" in first.output
    assert len(list(outdir.glob("*.openapi.json"))) == 2
    again = CliRunner().invoke(main, args)
    assert "0 written, 2 already there" in again.output
    only = CliRunner().invoke(main, [*args[:-2], "-o", str(tmp_path / "some"), "--config", str(config),
                                     "--name-contains", "ORD"])
    assert "1 API(s): 1 written" in only.output


def test_cli_pull_all_by_akamai_category(conn: ConnMaker, config: Path, tmp_path: Path) -> None:
    client = conn("akamai").client()
    made = client.call("POST", "/categories", "create category", json={"apiCategoryName": "Shop"}).json()
    push_spec(ORDERS, conn("akamai"), options=EmitOptions(categories=(str(made["apiCategoryId"]),)))
    push_spec(SAMPLES / "petstore-swagger2.yaml", conn("akamai"))
    outdir = tmp_path / "shop"
    result = CliRunner().invoke(main, ["pull", "akamai", "--all", "--category", "Shop", "-o", str(outdir),
                                       "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert [p.name.split("-")[0] for p in outdir.glob("*.json")] == ["Orders"]
    refused = CliRunner().invoke(main, ["pull", "akana", "--all", "--category", "Shop", "-o", str(outdir),
                                        "--config", str(config)])
    assert refused.exit_code == 2 and "only Akamai lists APIs by category" in refused.output


@pytest.mark.parametrize("args, message", [
    (["pull", "akamai"], "give either ID|NAME or --all"),
    (["pull", "akamai", "x", "--akana-definition", "openapi"], "not with akamai"),
    (["pull", "akamai", "--all"], "give -o DIR"),
    (["pull", "akamai", "x", "--name-contains", "y"], "--name-contains and --category filter --all"),
])
def test_cli_pull_usage_errors(args: list[str], message: str, config: Path) -> None:
    result = CliRunner().invoke(main, [*args, "--config", str(config)])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
