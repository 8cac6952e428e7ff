"""migrate between the sandboxes, for every ordered pair of vendors the documents allow: the target
holds the same resources, methods and parameters as the source, and a re-run changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.pull import pull_api
from migrate.push.commands import push_spec
from migrate.readers import read_spec
from migrate.sandbox import SandboxHandle
from tests.pull.roundtrip import CORPUS_SPECS, SAMPLE_SPECS, corpus_id, shape
from tests.testsupport import CORPUS, SAMPLES
from tests.vendors.vendor_helpers import ConnMaker

ORDERS = SAMPLES / "orders-openapi30.yaml"
PAIRS = [("akamai", "akana"), ("akamai", "frends"), ("akana", "akamai"), ("akana", "frends")]


def _held_by_frends(sandbox: SandboxHandle) -> list[dict]:
    """The documents the Frends sandbox holds (its state: Frends' API cannot return them)."""
    specs = sandbox.state()["frends"]["specs"]
    return [json.loads(s["versions"][str(s["activeVersion"])]["specification"]) for s in specs.values()]


def _target_shape(vendor: str, ident: str, config: Path, journal: Path, sandbox: SandboxHandle,
                  tmp_path: Path) -> dict[str, dict[str, list[str]]]:
    if vendor == "frends":
        (document,) = _held_by_frends(sandbox)
        path = tmp_path / "held.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return shape(read_spec(path))
    return shape(pull_api(vendor, ident, config=config, journal=journal)[0])


def migrate_and_compare(spec: Path, source: str, target: str, conn: ConnMaker, config: Path, tmp_path: Path,
                        sandbox: SandboxHandle) -> None:
    """Push ``spec`` to ``source``, migrate it to ``target`` through the CLI, and check what the
    target holds against what the source holds: the same resources and methods, no parameter the
    source lacks, and every parameter that did not carry named in the migration's report."""
    journal = tmp_path / "journal.jsonl"
    pushed = push_spec(spec, conn(source))
    ident = str(pushed.remote.ids["endpointId" if source == "akamai" else "apiId"])  # type: ignore[union-attr]
    before = sandbox.state()[source]
    args = ["migrate", "--from", f"{source}:{ident}", "--to", target, "--config", str(config),
            "--journal", str(journal)]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    done = json.loads(result.output)
    assert done["steps"]["pushed"] == "create"
    assert done["steps"]["verified"] in ("ok", "ok (some fields not verifiable)", "not verifiable")
    assert sandbox.state()[source] == before  # the source is only read
    source_shape = shape(pull_api(source, ident, config=config, journal=journal)[0])
    ids = done["push"]["ids"]
    held = _target_shape(target, str(ids.get("endpointId") or ids.get("apiId")), config, journal, sandbox,
                         tmp_path)
    assert set(held) == set(source_shape)
    messages = " ".join(d["message"] for d in done["diagnostics"])
    for path, methods in source_shape.items():
        assert set(held[path]) == set(methods)
        for method, params in methods.items():
            assert set(held[path][method]) <= set(params)  # nothing invented
            for lost in set(params) - set(held[path][method]):  # and whatever did not carry is reported
                assert f"{lost.split()[0]} parameter '{lost.split()[1]}'" in messages, (lost, messages)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "nothing to do" in again.output, again.output


@pytest.mark.parametrize("source, target", PAIRS)
@pytest.mark.parametrize("spec", SAMPLE_SPECS, ids=lambda p: p.name)
def test_migrate_between_vendors(spec: Path, source: str, target: str, conn: ConnMaker, config: Path,
                                 tmp_path: Path, sandbox: SandboxHandle) -> None:
    migrate_and_compare(spec, source, target, conn, config, tmp_path, sandbox)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("source, target", PAIRS)
@pytest.mark.parametrize("spec", CORPUS_SPECS, ids=corpus_id)
def test_migrate_corpus_between_vendors(spec: str, source: str, target: str, conn: ConnMaker, config: Path,
                                        tmp_path: Path, sandbox: SandboxHandle) -> None:
    path = CORPUS / spec
    if not path.exists():
        pytest.skip(f"needs ../shared/corpus/{spec} (reference material beside the project; absent here)")
    migrate_and_compare(path, source, target, conn, config, tmp_path, sandbox)


def test_migrate_plan_sends_nothing(conn: ConnMaker, config: Path, tmp_path: Path, sandbox: SandboxHandle) -> None:
    push_spec(ORDERS, conn("akamai"))
    result = CliRunner().invoke(main, ["migrate", "--from", "akamai:Orders", "--to", "akana", "--plan",
                                       "--config", str(config), "--journal", str(tmp_path / "j.jsonl")])
    assert result.exit_code == 0, result.output
    assert "akana: Orders -> create" in result.output
    assert not sandbox.state().get("akana", {}).get("apis")


@pytest.mark.parametrize("args, message", [
    (["--from", "frends:1", "--to", "akamai"], "never its text"),
    (["--from", "nowhere", "--all", "--to", "akamai"], "expected VENDOR (with --all)"),
    (["--from", "akamai:Orders", "--all", "--to", "akana"], "give --from VENDOR without an id or name"),
    (["--from", "akamai:Orders", "--akana-definition", "openapi", "--to", "akana"], "not with --from akamai"),
    (["--from", "akamai", "--to", "akana"], "expected VENDOR:ID|NAME"),
    (["--from", "akamai:Orders", "--to", "akamai"], "never writes its source"),
    (["--from", "akamai:x", "--to", "akana", "--name-contains", "x"], "--name-contains, --from-category and -o belong"),
])
def test_migrate_usage_errors(args: list[str], message: str, config: Path) -> None:
    result = CliRunner().invoke(main, ["migrate", *args, "--config", str(config)])
    assert result.exit_code == 2 and message in result.output, result.output


def test_migrate_all_moves_every_listed_api(conn: ConnMaker, config: Path, tmp_path: Path) -> None:
    push_spec(ORDERS, conn("akamai"))
    push_spec(SAMPLES / "petstore-swagger2.yaml", conn("akamai"))
    args = ["migrate", "--from", "akamai", "--all", "--to", "frends", "--config", str(config), "--journal",
            str(tmp_path / "j.jsonl"), "-o", str(tmp_path / "report")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "2 API(s) from akamai to frends: 2 ok, 0 held (they would change APIs the target holds: review, then " \
        "--yes), 0 failed" in result.output
    assert result.output.count("pulled ok, converted ok, pushed create, verified not verifiable") == 2
    report = json.loads((tmp_path / "report" / "migration.json").read_text(encoding="utf-8"))
    assert sorted(r["api"] for r in report["apis"]) == ["Orders", "Petstore"]
    page = (tmp_path / "report" / "migration.html").read_text(encoding="utf-8")
    assert "<th>pushed</th><th>verified</th>" in page and "<td>Petstore</td>" in page
    again = CliRunner().invoke(main, args)  # a re-run (resume after an interruption) changes nothing
    assert again.output.count("pushed unchanged") == 2, again.output


def test_two_profiles_for_a_vendor_must_be_named(config: Path, tmp_path: Path) -> None:
    text = config.read_text(encoding="utf-8")
    start = text.index('[profiles."sandbox-akamai"]')
    end = text.index("\n[", start + 1)
    config.write_text(text + "\n" + text[start:end].replace("sandbox-akamai", "second-akamai") + "\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["migrate", "--from", "akamai:Orders", "--to", "akana", "--config", str(config)])
    assert result.exit_code == 2
    assert "2 profiles for akamai (sandbox-akamai, second-akamai): name one with --from-profile" in result.output


def test_migrate_from_an_akana_definition_document_keeps_the_restrictions(conn: ConnMaker, config: Path,
                                                                          tmp_path: Path) -> None:
    """An Akana API imported from a document, migrated from that document: Akamai gets the
    parameter types and restrictions Akana's operations do not hold."""
    from migrate.emitters.base import EmitOptions

    pushed = push_spec(ORDERS, conn("akana"), options=EmitOptions(akana_mode="import"))
    api_id = str(pushed.remote.ids["apiId"])  # type: ignore[union-attr]
    journal = tmp_path / "journal.jsonl"
    result = CliRunner().invoke(main, ["migrate", "--from", f"akana:{api_id}", "--akana-definition", "openapi",
                                       "--to", "akamai", "--config", str(config), "--journal", str(journal)])
    assert result.exit_code == 0, result.output
    api, _ = pull_api("akamai", "Orders", config=config)
    page_size = next(p for _, o in api.operations() for p in o.parameters if p.name == "pageSize")
    assert (page_size.type, page_size.restrictions.minimum, page_size.restrictions.maximum) == ("integer", 1, 200)


def test_migrate_changes_an_api_the_target_holds_only_with_yes(conn: ConnMaker, config: Path, tmp_path: Path,
                                                                sandbox: SandboxHandle) -> None:
    """Issue 11: like batch --push, migrate shows the plan first and needs --yes to change what
    the target already holds; new APIs are created without it."""
    push_spec(ORDERS, conn("akamai"))
    args = ["migrate", "--from", "akamai:Orders", "--to", "akana", "--config", str(config), "--journal",
            str(tmp_path / "j.jsonl")]
    created = CliRunner().invoke(main, args)
    assert created.exit_code == 0 and "done: create" in created.output, created.output
    changed = tmp_path / "orders.yaml"
    changed.write_text(ORDERS.read_text(encoding="utf-8").replace("/orders/{orderId}:", "/orders/{orderId}/x:\n"
                       "    get:\n      responses:\n        '200': {description: ok}\n  /orders/{orderId}:", 1),
                       encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != ORDERS.read_text(encoding="utf-8")
    push_spec(changed, conn("akamai"))  # the source changed since the first migration
    before = sandbox.state()["akana"]
    held = CliRunner().invoke(main, args)
    assert held.exit_code == 1 and "held: nothing was sent" in held.output, held.output
    assert "+ resource /orders/{orderId}/x" in held.output  # the plan is shown
    assert sandbox.state()["akana"] == before
    agreed = CliRunner().invoke(main, [*args, "--yes"])
    assert agreed.exit_code == 0 and "done:" in agreed.output, agreed.output
    assert sandbox.state()["akana"] != before


def test_migrate_never_rewrites_its_source_within_one_account(config: Path, tmp_path: Path, conn: ConnMaker,
                                                             sandbox: SandboxHandle) -> None:
    """Review finding: a second Akamai profile of the same account (another host) found the
    pulled endpoint itself by name and updated it."""
    push_spec(ORDERS, conn("akamai"))
    text = config.read_text(encoding="utf-8")
    block = text[text.index('[profiles."sandbox-akamai"]'):]
    block = block[:block.index("\n[", 1)]
    other = block.replace('[profiles."sandbox-akamai"]', '[profiles."akamai-dev"]').replace(
        'endpoint_host = "api.sandbox.example.com"', 'endpoint_host = "api2.sandbox.example.com"')
    assert "akamai-dev" in other and "api2." in other
    two = tmp_path / "two.toml"
    two.write_text(text + "\n" + other + "\n", encoding="utf-8")
    before = sandbox.state()["akamai"]
    run = CliRunner().invoke(main, ["migrate", "--from", "akamai:Orders", "--to", "akamai", "--from-profile",
                                    "sandbox-akamai", "--to-profile", "akamai-dev", "--config", str(two), "--yes",
                                    "--journal", str(tmp_path / "j.jsonl")])
    assert run.exit_code == 2 and "the push would rewrite the source" in run.output, run.output
    assert sandbox.state()["akamai"] == before
    renamed = CliRunner().invoke(main, ["migrate", "--from", "akamai:Orders", "--to", "akamai", "--from-profile",
                                        "sandbox-akamai", "--to-profile", "akamai-dev", "--config", str(two),
                                        "--name", "Orders copy", "--journal", str(tmp_path / "j.jsonl")])
    assert renamed.exit_code == 0 and "done: create" in renamed.output, renamed.output


def test_quiet_migrate_keeps_the_action_and_the_outcome(conn: ConnMaker, config: Path, tmp_path: Path) -> None:
    push_spec(ORDERS, conn("akamai"))
    args = ["migrate", "--from", "akamai:Orders", "--to", "akana", "--config", str(config), "--journal",
            str(tmp_path / "j.jsonl"), "--plan"]
    loud, quiet = CliRunner().invoke(main, args), CliRunner().invoke(main, [*args, "-q"])
    assert "  + resource /orders" in loud.output and "warning" in loud.output
    assert "+ resource" not in quiet.output and "warning" not in quiet.output
    assert "akana: Orders -> create" in quiet.output
