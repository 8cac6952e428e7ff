"""Pushing to Akamai is idempotent against a sandbox that answers as Akamai does (ids, audit fields,
explicit nulls, defaults, asynchronous activation): the first push creates; pushing the same spec
again sends no write request and leaves the sandbox's state byte-identical; a changed spec (a new
description and one more parameter) reaches Akamai with exactly one update; pushing it again
writes nothing. For every sample, and (marked corpus) for 20 specs of ../shared/corpus."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from akamai.edgegrid import EdgeGridAuth

from migrate.conversion.run import convert
from migrate.core.errors import MigrateError
from migrate.core.model import Api, Parameter
from migrate.core.status import failing_severities
from migrate.emitters.base import EmitOptions
from migrate.push.akamai.client import AkamaiClient
from migrate.push.commands import Connection
from migrate.push.journal import Journal
from migrate.push.protocol import Delivery
from migrate.push.run import PushResult, run_push
from migrate.readers import read_spec
from migrate.sandbox import start_sandbox, write_config
from migrate.sandbox.akamai.state import GROUPS, HOSTS
from migrate.sandbox.credentials import Credentials
from migrate.sandbox.inprocess import ASGIAdapter, sandbox_app
from migrate.sandbox.store import Store
from tests.testsupport import SAMPLES, need_shared
from tests.vendors.vendor_helpers import FAST

NEW_DESCRIPTION = "Changed by the idempotency test."
PROBE = "migrateProbe"
SAMPLE_SPECS = sorted([*SAMPLES.glob("*.yaml"), *SAMPLES.glob("*/api.raml")])


@dataclass
class Akamai:
    """A client, the sandbox state it writes to, a journal, and the write requests of the last push."""

    client: AkamaiClient
    state: Callable[[], dict[str, Any]]
    journal: Journal
    writes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        def seen(response: Any, *args: Any, **kwargs: Any) -> None:
            if response.request.method != "GET":
                self.writes.append(f"{response.request.method} {response.request.path_url}")

        self.client.session.hooks["response"].append(seen)

    def push(self, delivery: Delivery, **options: Any) -> PushResult:
        self.writes.clear()
        return run_push(delivery, self.client, self.journal, **options)

    def dump(self) -> str:
        return json.dumps(self.state()["akamai"], sort_keys=True)


@pytest.fixture
def loopback(tmp_path: Path) -> Iterator[Akamai]:
    """The Akamai sandbox over loopback, the client made from the profile it writes (end to end)."""
    with start_sandbox("akamai", settings={"akamai": {"activation_seconds": 0.05}}) as handle:
        write_config(handle, tmp_path / "c.toml")
        client = Connection("akamai", tmp_path / "c.toml", "sandbox-akamai", policy=FAST).client()
        assert isinstance(client, AkamaiClient)
        yield Akamai(client, handle.state, Journal(tmp_path / "journal.jsonl"))


def in_process(tmp_path: Path) -> Akamai:
    """A fresh Akamai sandbox app served in process (no sockets: for the many corpus specs)."""
    store, creds = Store(), Credentials()
    contract, group = GROUPS[0]["contractId"], int(GROUPS[0]["groupId"])
    c = creds.akamai
    client = AkamaiClient("http://sandbox/api-definitions/v2", EdgeGridAuth(c.client_token, c.client_secret,
                                                                            c.access_token),
                          str(contract), group, policy=FAST, endpoint_host=HOSTS[(str(contract), group)][0])
    client.session.mount("http://sandbox/", ASGIAdapter(sandbox_app("akamai", store, creds,
                                                                   {"activation_seconds": 0.0})))
    return Akamai(client, store.snapshot, Journal(tmp_path / f"journal-{id(store)}.jsonl"))


def deliver(spec: Path, client: AkamaiClient, changed: bool = False) -> Delivery:
    """The payload push sends for ``spec`` (the profile's contract, group and hostname applied);
    ``changed``: the spec with a new description and one more query parameter on its first operation."""
    api = read_spec(spec)
    if changed:
        change(api)
    conversion = convert(spec, "akamai", client.emit_options(EmitOptions()), api=api)
    return Delivery(conversion.source, conversion.payload)


def change(api: Api) -> None:
    api.description = NEW_DESCRIPTION
    _, operation = next(iter(api.operations()))
    operation.parameters.append(Parameter(PROBE, "query", description="one more parameter"))


def held(akamai: Akamai) -> dict[str, Any]:
    """The one endpoint's latest version as the sandbox stores it."""
    (entry,) = akamai.state()["akamai"]["endpoints"].values()
    found: dict[str, Any] = entry["versions"][max(entry["versions"], key=int)]["endpoint"]
    return found


def assert_idempotent(akamai: Akamai, spec: Path) -> None:
    first = akamai.push(deliver(spec, akamai.client))
    assert first.done == ["create"], spec
    before = akamai.dump()
    again = akamai.push(deliver(spec, akamai.client))
    assert (again.plan.action, again.changed, akamai.writes) == ("nothing", False, []), spec
    assert akamai.dump() == before, spec
    changed = akamai.push(deliver(spec, akamai.client, changed=True))
    assert changed.done == ["update"] and len(akamai.writes) == 1 and akamai.writes[0].startswith("PUT "), spec
    endpoint = held(akamai)
    assert endpoint["description"] == NEW_DESCRIPTION, spec
    names = [p["apiParameterName"] for r in endpoint["apiResources"] for m in r["apiResourceMethods"]
             for p in m["apiParameters"]]
    assert PROBE in names, spec
    before = akamai.dump()
    last = akamai.push(deliver(spec, akamai.client, changed=True))
    assert (last.changed, akamai.writes, akamai.dump() == before) == (False, [], True), spec


@pytest.mark.parametrize("spec", SAMPLE_SPECS, ids=lambda p: p.relative_to(SAMPLES).as_posix())
def test_samples_are_idempotent(loopback: Akamai, spec: Path) -> None:
    assert_idempotent(loopback, spec)


def test_activation_is_not_repeated(loopback: Akamai) -> None:
    spec = SAMPLES / "petstore-swagger2.yaml"
    first = loopback.push(deliver(spec, loopback.client), activate="staging")
    assert first.done == ["create", "activate"] and held(loopback)["stagingStatus"] == "ACTIVE"
    assert [w.split("?")[0].rsplit("/", 1)[-1] for w in loopback.writes] == ["endpoints", "activate"]
    before = loopback.dump()
    again = loopback.push(deliver(spec, loopback.client), activate="staging")
    assert (again.plan.action, again.done, loopback.writes) == ("nothing", [], [])  # no clone, no activation
    assert loopback.dump() == before


def corpus_specs(count: int = 20) -> list[Path]:
    """``count`` specs of the corpus that convert for Akamai without error-level findings, picked
    deterministically and spread over the whole APIs.guru Swagger 2.0 set (every 29th file, then the
    ones halfway between; at most 300 kB, with operations)."""
    root = need_shared("corpus", "swagger20", "apis-guru-2019")
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".json") and p.is_file())
    chosen: list[Path] = []
    for spec in files[::29] + files[14::29]:
        if len(chosen) == count:
            break
        if spec.stat().st_size > 300_000 or not _pushable(spec):
            continue
        chosen.append(spec)
    return chosen


def _pushable(spec: Path) -> bool:
    options = EmitOptions(contract_id="C-SANDBOX", group_id="12345", host="api.sandbox.example.com")
    try:
        api = read_spec(spec)
        payload = convert(spec, "akamai", options, api=api).payload
    except MigrateError:
        return False
    failing = failing_severities()
    return any(True for _ in api.operations()) and not any(d.severity in failing for d in payload.report.items)


@pytest.mark.corpus
def test_corpus_specs_are_idempotent(tmp_path: Path) -> None:
    specs = corpus_specs()
    assert len(specs) == 20
    for spec in specs:
        assert_idempotent(in_process(tmp_path), spec)
