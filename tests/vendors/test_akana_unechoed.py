"""Tags and policies the platform need not return (seed 003: 3 policies and 3 tags sent, 1 policy
and no tag returned; akana.yaml info.x-silent). Against a sandbox that returns them as that sample
does (``echo="sample"``): a re-run writes nothing, a changed policy key makes exactly one new
version, and the plan says the old value came from the local state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.emitters.base import EmitOptions, emit
from migrate.push.akana.client import AkanaClient, _sent_before
from migrate.push.commands import Connection
from migrate.push.journal import Journal
from migrate.push.plan import make_plan, render_plan
from migrate.push.protocol import Delivery, PushOptions
from migrate.push.run import run_push
from migrate.readers import read_spec
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.testsupport import SAMPLES
from tests.vendors.vendor_helpers import FAST

SPEC = SAMPLES / "petstore-swagger2.yaml"
POLICIES = ("apiKey=10001-App", "oauth2=10001-OAuth")


@pytest.fixture
def handle() -> Iterator[SandboxHandle]:
    with start_sandbox("akana", settings={"akana": {"echo": "sample"}}) as found:
        yield found
        assert found.violations == []


def _client(handle: SandboxHandle, path: Path) -> AkanaClient:
    write_config(handle, path)
    client = Connection("akana", path, "sandbox-akana", policy=FAST).client()
    assert isinstance(client, AkanaClient)
    return client


def _delivery(client: AkanaClient, policies: tuple[str, ...] = POLICIES) -> Delivery:
    options = client.emit_options(EmitOptions(akana_policies=policies))
    return Delivery("petstore", emit(read_spec(SPEC), "akana", options))


def _versions(handle: SandboxHandle) -> list[dict[str, Any]]:
    entry = next(iter(handle.state()["akana"]["apis"].values()))
    return list(entry["versions"].values())


def test_the_sample_sandbox_returns_no_tag_and_only_the_last_policy(handle: SandboxHandle, tmp_path: Path) -> None:
    client = _client(handle, tmp_path / "c.toml")
    sent = json.loads(next(f.text for f in _delivery(client).payload.files if f.name == "akana.json"))["APIVersion"]
    assert sent["Tag"] and len(sent["Policies"]["Policy"]) == 2
    run_push(_delivery(client), client, Journal(tmp_path / "j.jsonl"))
    version_id = _versions(handle)[0]["APIVersionID"]
    shown = client.call("GET", f"/apis/versions/{version_id}", "read").json()
    assert shown["Tag"] == []
    assert [p["PolicyKey"] for p in shown["Policies"]["Policy"]] == ["10001-OAuth"]


def test_a_rerun_writes_nothing_when_the_platform_does_not_return_tags_and_policies(
        handle: SandboxHandle, tmp_path: Path) -> None:
    client = _client(handle, tmp_path / "c.toml")
    journal = Journal(tmp_path / "j.jsonl")
    assert run_push(_delivery(client), client, journal).done == ["create"]
    lines = journal.path.read_text(encoding="utf-8")
    again = run_push(_delivery(client), client, journal)
    assert again.done == [] and again.plan.action == "nothing", again.plan.reason
    assert journal.path.read_text(encoding="utf-8") == lines  # nothing written, not even locally
    assert len(_versions(handle)) == 1


def test_a_changed_policy_key_makes_exactly_one_new_version(handle: SandboxHandle, tmp_path: Path) -> None:
    client = _client(handle, tmp_path / "c.toml")
    journal = Journal(tmp_path / "j.jsonl")
    run_push(_delivery(client), client, journal)
    changed = _delivery(client, ("apiKey=10001-App-v2", "oauth2=10001-OAuth"))
    plan = make_plan(changed, client, journal)
    assert plan.action == "new-version"
    # the old value is what the last push sent, and the plan says so
    assert ('~ field /version/policies/0: "10001-App" -> "10001-App-v2" [old: as the last push sent it '
            "(local state); Akana need not return it]") in render_plan(plan)
    assert run_push(changed, client, journal).done == ["new-version"]
    assert run_push(changed, client, journal).done == []
    assert run_push(changed, client, journal).done == []
    assert len(_versions(handle)) == 2


def test_without_local_state_the_returned_values_decide_once_then_the_journal_does(
        handle: SandboxHandle, tmp_path: Path) -> None:
    """A journal lost (or written before it kept what was sent), the API adopted: Akana's answer is
    all there is; the plan says so, the push makes one new version, then the journal decides."""
    client = _client(handle, tmp_path / "c.toml")
    made = run_push(_delivery(client), client, Journal(tmp_path / "lost.jsonl"))
    assert made.remote is not None
    api_id = str(made.remote.ids["apiId"])
    journal = Journal(tmp_path / "j.jsonl")
    plan = make_plan(_delivery(client), client, journal, PushOptions(adopt=api_id))
    assert plan.action == "new-version"
    assert "[old: as Akana returns it (no local state for this version)" in render_plan(plan)
    assert run_push(_delivery(client), client, journal, adopt=api_id).done == ["new-version"]
    assert run_push(_delivery(client), client, journal).done == []
    assert len(_versions(handle)) == 2


def test_a_local_state_of_another_version_is_not_used(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.record("akana", "t", "k", "new-version", "h", {"apiId": "a", "apiVersionId": "v1"}, "1.0",
                   {"tags": ["x"], "policies": []})
    journal.record("akana", "t", "k", "done", "h", {"apiId": "a", "apiVersionId": "v1"}, "1.0")
    known = journal.state("akana", "t", "k")
    assert known["local"] == {"tags": ["x"], "policies": []} and known["localIds"]["apiVersionId"] == "v1"
    assert _sent_before(known, "v1") == {"tags": ["x"], "policies": []}
    assert _sent_before(known, "v2") is None
    assert _sent_before({**known, "local": {"tags": "x"}}, "v1") is None


def test_returned_values_that_were_not_sent_are_shown_not_compared(caplog: pytest.LogCaptureFixture) -> None:
    from migrate.push.akana.client import _show_drift

    sent = {"tags": ["a", "b"], "policies": ["P1", "P2"]}
    # fewer than sent (seed 003's sample): no drift
    assert _show_drift("x", sent, {"tags": [], "policies": ["P2"]}) == []
    with caplog.at_level("INFO", logger="migrate.push"):
        assert _show_drift("x", sent, {"tags": ["a", "z"], "policies": ["P2"]}) == ["tags ['z']"]
    assert "returns tags ['z'] that the last push did not send" in caplog.text


def test_tags_changed_on_the_platform_are_shown_and_force_no_new_version(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    with start_sandbox("akana") as full:  # a platform that returns every tag and policy
        client = _client(full, tmp_path / "c.toml")
        journal = Journal(tmp_path / "j.jsonl")
        made = run_push(_delivery(client), client, journal)
        assert made.remote is not None
        version_id = made.remote.ids["apiVersionId"]
        client.call("PUT", f"/apis/versions/{version_id}/info", "edit", json={"Tags": ["pets", "store", "added"]})
        with caplog.at_level("INFO", logger="migrate.push"):
            for _ in range(2):
                again = run_push(_delivery(client), client, journal)
                assert again.done == [] and again.plan.action == "nothing", again.plan.reason
        assert "returns tags ['added'] that the last push did not send" in caplog.text
        assert full.violations == []


def _without_local(journal: Journal) -> None:
    """The journal as a version that did not keep what was sent wrote it."""
    lines = [json.loads(line) for line in journal.path.read_text(encoding="utf-8").splitlines()]
    assert any("local" in entry for entry in lines)
    journal.path.write_text("".join(json.dumps({k: v for k, v in e.items() if k != "local"}) + "\n" for e in lines),
                            encoding="utf-8")


def test_a_journal_without_local_state_still_knows_what_its_last_finished_push_sent(
        handle: SandboxHandle, tmp_path: Path) -> None:
    """Same payload as the last finished push, which left this version: that push sent it."""
    client = _client(handle, tmp_path / "c.toml")
    journal = Journal(tmp_path / "j.jsonl")
    run_push(_delivery(client), client, journal)
    _without_local(journal)
    assert run_push(_delivery(client), client, journal).done == []
    # a changed payload: what the older push sent is not known, Akana's answer decides (and says so)
    changed = _delivery(client, ("apiKey=10001-App-v2", "oauth2=10001-OAuth"))
    assert "[old: as Akana returns it (no local state" in render_plan(make_plan(changed, client, journal))
    assert run_push(changed, client, journal).done == ["new-version"]
    assert run_push(changed, client, journal).done == []
    assert len(_versions(handle)) == 2
