"""Akana implementations through plan and push against the sandbox: a Sandbox backend adds the
Sandbox implementation after the create; a re-run writes nothing; a changed Live or Sandbox backend
changes only that implementation (one PUT, no new version), shown in the plan as a step."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from migrate.core.model import Server
from migrate.emitters.base import EmitOptions, emit
from migrate.push.akana.client import AkanaClient
from migrate.push.commands import Connection
from migrate.push.journal import Journal
from migrate.push.plan import make_plan, render_plan
from migrate.push.protocol import Delivery
from migrate.push.run import PushResult, run_push
from migrate.readers import read_spec
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.testsupport import SAMPLES
from tests.vendors.vendor_helpers import FAST

SESSION = ("/api/login", "/api/login/renewToken")
LIVE, SANDBOX = "https://live.example.com/v1", "https://sandbox.example.com/v1"


@dataclass
class Pusher:
    handle: SandboxHandle
    client: AkanaClient
    journal: Journal
    sent: list[tuple[str, str]] = field(default_factory=list)

    def delivery(self, **options: Any) -> Delivery:
        api = read_spec(SAMPLES / "orders-openapi30.yaml")
        return Delivery("orders", emit(api, "akana", self.client.emit_options(EmitOptions(**options))))

    def push(self, **options: Any) -> PushResult:
        self.sent.clear()
        return run_push(self.delivery(**options), self.client, self.journal)

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.sent if m != "GET" and not p.endswith(SESSION)]

    def backends(self) -> dict[str, list[str]]:
        """Implementation code -> backend URIs of the latest version, as the sandbox holds them."""
        state = self.handle.state()["akana"]
        entry = next(iter(state["apis"].values()))
        latest = list(entry["versions"])[-1]
        return {code: [e["Uri"] for e in record["Endpoint"]]
                for code, record in state["implementations"][latest].items()}


@pytest.fixture(params=[True, False], ids=["csrf-on", "csrf-off"])
def pusher(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pusher]:
    with start_sandbox("akana", settings={"akana": {"csrf": request.param}}) as handle:
        write_config(handle, tmp_path / "config.toml")
        client = Connection("akana", tmp_path / "config.toml", "sandbox-akana", policy=FAST).client()
        assert isinstance(client, AkanaClient)
        found = Pusher(handle, client, Journal(tmp_path / "journal.jsonl"))

        def record(response: requests.Response, *args: Any, **kwargs: Any) -> None:
            found.sent.append((response.request.method or "", requests.utils.urlparse(response.url).path))

        client.api.session.hooks["response"].append(record)
        yield found
        assert handle.violations == []


def test_a_sandbox_backend_adds_the_sandbox_implementation_once(pusher: Pusher) -> None:
    first = pusher.push(target_url=LIVE, akana_sandbox_url=SANDBOX)
    assert first.done == ["create", "implementation-sandbox"]
    assert pusher.backends() == {"Live": [LIVE], "Sandbox": [SANDBOX]}
    again = pusher.push(target_url=LIVE, akana_sandbox_url=SANDBOX)
    assert (again.done, pusher.writes) == ([], [])
    steps = [(e["step"], e["ids"]) for e in pusher.journal.entries() if e["step"].startswith("implementation-")]
    assert len(steps) == 1 and steps[0][1]["apiVersionId"]  # journaled with the version it changed


def test_a_changed_backend_changes_only_that_implementation(pusher: Pusher) -> None:
    pusher.push(target_url=LIVE, akana_sandbox_url=SANDBOX)
    versions = len(next(iter(pusher.handle.state()["akana"]["apis"].values()))["versions"])
    moved = "https://live2.example.com/v1"
    plan = make_plan(pusher.delivery(target_url=moved, akana_sandbox_url=SANDBOX), pusher.client, pusher.journal)
    assert plan.action == "nothing"
    assert f"then: set the Live implementation's backend to {moved} (now {LIVE})" in render_plan(plan)
    done = pusher.push(target_url=moved, akana_sandbox_url=SANDBOX)
    assert done.done == ["implementation-live"]
    assert [m for m, p in pusher.writes] == ["PUT"] and "/implementations/Live/services/" in pusher.writes[0][1]
    assert pusher.backends() == {"Live": [moved], "Sandbox": [SANDBOX]}
    assert len(next(iter(pusher.handle.state()["akana"]["apis"].values()))["versions"]) == versions
    assert pusher.push(target_url=moved, akana_sandbox_url=SANDBOX).done == []
    sandbox2 = "https://sandbox2.example.com/v1"
    assert pusher.push(target_url=moved, akana_sandbox_url=sandbox2).done == ["implementation-sandbox"]
    assert "/implementations/Sandbox/services/" in pusher.writes[0][1] and len(pusher.writes) == 1
    assert pusher.backends() == {"Live": [moved], "Sandbox": [sandbox2]}


def test_a_new_version_gets_its_sandbox_implementation(pusher: Pusher) -> None:
    pusher.push(target_url=LIVE, akana_sandbox_url=SANDBOX)
    plan = make_plan(pusher.delivery(target_url=LIVE, akana_sandbox_url=SANDBOX, akana_policies=("apiKey=P",)),
                     pusher.client, pusher.journal)
    assert plan.action == "new-version"
    assert [f.name for f in plan.followups] == ["implementation-sandbox"]
    result = pusher.push(target_url=LIVE, akana_sandbox_url=SANDBOX, akana_policies=("apiKey=P",))
    assert result.done == ["new-version", "implementation-sandbox"]
    assert pusher.backends() == {"Live": [LIVE], "Sandbox": [SANDBOX]}


def test_a_spec_server_described_as_sandbox_is_the_sandbox_backend() -> None:
    api = read_spec(SAMPLES / "orders-openapi30.yaml")
    api.servers = [Server(url=LIVE), Server(url=SANDBOX, description="Sandbox (test data)")]
    payload = emit(api, "akana", EmitOptions())
    files = {f.name: f for f in payload.files}
    assert files["akana-implementations.json"].document == {"Sandbox": {
        "ImplementationCode": "Sandbox", "Description": "Sandbox implementation.", "CreateMechanism": "PROXY",
        "ProxyImplementationRequest": {"TargetEndpointURL": [SANDBOX]}}}
    target = files["akana.json"].document["APIVersion"]["TargetAPI"]["Endpoints"]["Endpoint"]
    assert target == [{"Uri": LIVE, "Category": "Production"}]
    assert not [d for d in payload.report.items if d.code.name == "SERVER_DROPPED"]
    chosen = emit(api, "akana", EmitOptions(akana_sandbox_url="https://other.example.com"))
    dropped = [d for d in chosen.report.items if d.code.name == "SERVER_DROPPED"]
    assert [d.pointer for d in dropped] == ["/servers/1"] and "--akana-sandbox-url" in dropped[0].message
    assert "akana-implementations.json" not in {f.name for f in emit(read_spec(SAMPLES / "orders-openapi30.yaml"),
                                                                     "akana", EmitOptions()).files}
