"""plan / push behaviour shared by the vendors: JSON plans, dry runs, the journal, diffs."""

from __future__ import annotations

import json

from migrate.push.commands import plan_command, push_command, push_spec
from migrate.push.journal import Journal
from migrate.push.plan import Change, diff_shapes
from migrate.push.protocol import Shape
from migrate.sandbox import SandboxHandle
from tests.vendors.vendor_helpers import ConnMaker, SpecMaker


def test_plan_json_for_a_new_api(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    plan = json.loads(plan_command(make_spec("Books", "/books"), conn("akamai"), fmt="json"))
    assert plan["action"] == "create" and plan["remote"] is None and plan["key"] == "Books"
    assert {"sign": "+", "what": "method", "where": "GET /items/{id}"} in plan["diff"]


def test_dry_run_sends_nothing(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    text = push_command(make_spec("Books", "/books"), conn("frends"), dry_run=True, publish=True)
    assert "-> create" in text and "dry run" in text and "then: publish" in text
    assert sandbox.state()["frends"].get("specs", {}) == {}
    assert not conn("frends").open_journal().path.exists()


def test_journal_records_each_step(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    push_spec(make_spec("Books", "/books"), conn("akamai"), activate="staging")
    entries = Journal(conn("akamai").journal or "").entries()
    assert [e["step"] for e in entries] == ["start-create", "create", "activate", "done"]
    assert all(e["key"] == "Books" and e["vendor"] == "akamai" for e in entries)
    assert entries[-1]["ids"]["endpointId"] == int(next(iter(sandbox.state()["akamai"]["endpoints"])))
    assert len({e["sourceHash"] for e in entries}) == 1 and len(entries[0]["sourceHash"]) == 64


def test_resume_after_create_finishes_followups(sandbox: SandboxHandle, conn: ConnMaker,
                                                 make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("frends"))  # as if interrupted before publish
    result = push_spec(spec, conn("frends"), publish=True)
    assert result.plan.action == "nothing" and result.done == ["publish"]
    assert len(sandbox.state()["frends"]["specs"]) == 1


def test_unchanged_text_says_so(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_command(spec, conn("akana"))
    assert "nothing to do" in push_command(spec, conn("akana"))


def test_journal_ignores_a_torn_line(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "j.jsonl"
    journal = Journal(path)
    journal.record("frends", "http://x", "/a", "create", "h1", {"specId": 3}, "1")
    with path.open("a") as out:
        out.write('{"vendor": "frends", "ke')
    assert journal.state("frends", "http://x", "/a")["ids"] == {"specId": 3}
    journal.record("frends", "http://x", "/a", "done", "h1", {"specId": 3}, "1")
    assert journal.state("frends", "http://x", "/a")["sourceHash"] == "h1"


def test_diff_shapes() -> None:
    old: Shape = {"/a": {"GET": ["query x"]}, "/gone": {"DELETE": []}}
    new: Shape = {"/a": {"GET": ["query y"], "POST": []}, "/new": {"PUT": ["path id"]}}
    assert diff_shapes(old, new) == [
        Change("+", "parameter", "query y (GET /a)"), Change("-", "parameter", "query x (GET /a)"),
        Change("+", "method", "POST /a"), Change("-", "resource", "/gone"),
        Change("-", "method", "DELETE /gone"), Change("+", "resource", "/new"), Change("+", "method", "PUT /new"),
    ]


def test_push_refuses_a_spec_with_broken_structure(sandbox: SandboxHandle, conn: ConnMaker,
                                                   tmp_path: object) -> None:
    """``paths: 5`` is not an API with no resources: push refuses and the vendor holds nothing."""
    from pathlib import Path

    import pytest

    from migrate.core.errors import PushError
    spec = Path(str(tmp_path)) / "broken.json"
    spec.write_text('{"openapi": "3.0.3", "info": {"title": "Broken", "version": "1"}, '
                    '"servers": [{"url": "https://api.example.com/b"}], "paths": 5}')
    for vendor in ("akamai", "akana", "frends"):
        with pytest.raises(PushError, match=r"not pushed.*SPEC_INVALID at /paths"):
            push_spec(spec, conn(vendor))
    assert sandbox.state()["akamai"].get("endpoints", {}) == {}
    assert sandbox.state()["frends"].get("specs", {}) == {}
    assert sandbox.state()["akana"].get("apis", {}) == {}


def test_plan_names_profile_and_url_diffs_fields_and_totals(sandbox: SandboxHandle, conn: ConnMaker,
                                                            config: object, tmp_path: object) -> None:
    """A change that adds no resource (a description) is shown field by field; the header names
    the profile and URL; --detailed-exitcode says whether push would change something."""
    from pathlib import Path

    from click.testing import CliRunner

    from migrate.cli import CHANGES_PENDING, main
    from tests.vendors.vendor_helpers import spec_document

    spec = Path(str(tmp_path)) / "books.json"
    doc = spec_document("Books", "/books")
    spec.write_text(json.dumps(doc))
    push_spec(spec, conn("akamai"))
    doc["info"]["description"] = "Books, now described"
    spec.write_text(json.dumps(doc))
    args = ["plan", str(spec), "--to", "akamai", "--config", str(config), "--profile", "sandbox-akamai",
            "--journal", str(conn("akamai").journal), "--detailed-exitcode"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == CHANGES_PENDING, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"akamai at {sandbox.base_urls['akamai']} (profile sandbox-akamai)"
    assert '  + field /description: "Books, now described"' in lines  # Akamai's endpoint description
    assert lines[-1] == "Plan: 0 to create, 1 to update, 0 new version(s), 0 unchanged; 0 follow-up step(s)."
    spec.write_text(json.dumps(spec_document("Books", "/books")))
    push_spec(spec, conn("akamai"))
    unchanged = CliRunner().invoke(main, args)
    assert unchanged.exit_code == 0 and unchanged.output.splitlines()[-1].endswith("1 unchanged; 0 follow-up step(s).")


def test_frends_base_path_gives_specs_on_one_server_path_their_own_identity(sandbox: SandboxHandle, conn: ConnMaker,
                                                                           make_spec: SpecMaker) -> None:
    """Most real specs serve "/" and Frends keeps one API per base path: --base-path (a target
    option, also a manifest field) lets them live side by side; the replaced server is reported."""
    from migrate.emitters.base import EmitOptions

    first, second = make_spec("Pets", "/"), make_spec("Stores", "/")
    push_spec(first, conn("frends"), options=EmitOptions(base_path="/pets"))
    result = push_spec(second, conn("frends"), options=EmitOptions(base_path="stores/v1/"))
    assert result.plan.action == "create" and result.plan.key == "/stores/v1"
    assert len(sandbox.state()["frends"]["specs"]) == 2


def test_a_saved_plan_is_carried_out_exactly_or_not_at_all(sandbox: SandboxHandle, conn: ConnMaker,
                                                           config: object, tmp_path: object) -> None:
    """plan -o FILE; push --plan FILE applies it; a plan made before someone else changed the
    vendor (here: another push of a changed spec) is refused and sends nothing."""
    from pathlib import Path

    from click.testing import CliRunner

    from migrate.cli import main
    from tests.vendors.vendor_helpers import spec_document

    folder = Path(str(tmp_path))
    spec, saved, stale = folder / "books.json", folder / "plan.json", folder / "stale.json"
    spec.write_text(json.dumps(spec_document("Books", "/books")))
    common = ["--to", "akana", "--config", str(config), "--profile", "sandbox-akana", "--journal",
              str(conn("akana").journal)]
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(spec), *common, "-o", str(saved)]).exit_code == 0
    assert json.loads(saved.read_text())["action"] == "create"
    applied = runner.invoke(main, ["push", str(spec), *common, "--plan", str(saved)])
    assert applied.exit_code == 0 and "done: create" in applied.output, applied.output
    spec.write_text(json.dumps(spec_document("Books", "/books", extra_param=True)))
    assert runner.invoke(main, ["plan", str(spec), *common, "-o", str(stale)]).exit_code == 0
    push_spec(spec, conn("akana"))  # the vendor moves on after the plan was saved
    before = json.dumps(sandbox.state()["akana"], sort_keys=True)
    refused = runner.invoke(main, ["push", str(spec), *common, "--plan", str(stale)])
    assert refused.exit_code == 2 and "the saved plan is out of date (" in refused.output
    assert "what the vendor holds changed" in refused.output
    assert json.dumps(sandbox.state()["akana"], sort_keys=True) == before
    replayed = runner.invoke(main, ["push", str(spec), *common, "--plan", str(saved)])  # made for the create
    assert replayed.exit_code == 2 and "out of date" in replayed.output


def test_field_changes_show_the_value_each_step_replaces_and_moves() -> None:
    from migrate.push.plan import field_changes

    def lines(old: object, new: object) -> list[str]:
        return [c.render() for c in field_changes(old, new)]

    assert lines({"hosts": ["a", "b", "c", "d"]}, {"hosts": ["b", "c", "X"]}) == [
        '- field /hosts/0: "a"', '~ field /hosts/2: "d" -> "X"']
    assert lines({"tags": ["a", "b", "c"]}, {"tags": ["c", "a", "b"]}) == ["~ field /tags/2 moved to /tags/0"]
    assert lines({"r": [{"n": 1}]}, {"r": [{"n": 1}, {"n": 2}]}) == []  # a whole object: the shape diff says it
    many = lines({"d": list(range(40))}, {"d": [i + 100 for i in range(40)]})
    assert len(many) == 26 and many[-1] == "~ fields ... and 15 more field change(s)"
