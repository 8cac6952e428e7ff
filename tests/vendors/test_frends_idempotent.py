"""Pushing to the Frends sandbox is idempotent, deciding on the local state (Frends cannot return a
specification's text): a second push sends no write and leaves the vendor's state byte-identical;
a changed spec reaches Frends with one update; a push without a journal (state lost) takes the safe
documented action (update) and the plan says so. For every sample and 20 corpus specs with distinct
base paths (Frends refuses two APIs on one base path)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from migrate.conversion.run import convert
from migrate.core.errors import MigrateError
from migrate.core.status import failing_severities
from migrate.emitters.base import Payload, PayloadFile
from migrate.push.commands import Connection, push_delivery
from migrate.push.frends.client import DOCUMENT, SPECS, FrendsClient, base_path
from migrate.push.plan import make_plan
from migrate.push.protocol import Delivery
from migrate.push.run import PushResult
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.testsupport import SAMPLES, need_shared
from tests.vendors.vendor_helpers import ConnMaker, delivery

SAMPLE_FILES = sorted([*SAMPLES.glob("*.yaml"), SAMPLES / "library-raml08" / "api.raml"])
CORPUS_COUNT = 20


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    """Frends alone (the config and conn fixtures of tests/vendors/conftest.py use this one)."""
    with start_sandbox("frends") as handle:
        yield handle


class Pusher:
    """Pushes through one client whose every request is recorded."""

    def __init__(self, conn: Connection) -> None:
        client = conn.client()
        assert isinstance(client, FrendsClient)
        self.conn, self.client, self.sent = conn, client, list[str]()
        client.session.hooks["response"].append(self._seen)

    def _seen(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.sent.append(f"{response.request.method} {urlsplit(response.request.url or '').path}")

    def push(self, target: Delivery, **options: Any) -> tuple[PushResult, list[str]]:
        """The result and the writes (every request but GET) of one push."""
        start = len(self.sent)
        result = push_delivery(target, self.client, self.conn, **options)
        return result, [s for s in self.sent[start:] if not s.startswith("GET ")]


def frends_state(handle: SandboxHandle) -> str:
    return json.dumps(handle.state()["frends"], sort_keys=True)


def changed(target: Delivery) -> Delivery:
    """The same API with a new description and one more parameter on its first operation."""
    document = json.loads(target.payload.main().text)
    document.setdefault("info", {})["description"] = "changed by api-migrate's idempotency test"
    operation = next(op for item in document["paths"].values() for op in item.values()
                     if isinstance(op, dict) and "responses" in op)
    operation.setdefault("parameters", []).append({"name": "apiMigrateProbe", "in": "query",
                                                   "schema": {"type": "string"}})
    files = [PayloadFile(f.name, json.dumps(document) if f.name == DOCUMENT else f.text, f.media_type)
             for f in target.payload.files]
    return Delivery(target.source, Payload(target.target, files, target.payload.report))


def round_trip(handle: SandboxHandle, conn: ConnMaker, target: Delivery, lost_journal: Path) -> None:
    pusher = Pusher(conn("frends"))
    result, writes = pusher.push(target)
    assert result.done == ["create"] and writes == [f"POST {urlsplit(pusher.client.target).path}{SPECS}/import"]
    sid = result.remote.ids["specId"] if result.remote else None
    update = f"PUT {urlsplit(pusher.client.target).path}{SPECS}/{sid}"

    before = frends_state(handle)
    again, writes = pusher.push(target)
    assert (again.plan.action, again.changed, writes) == ("nothing", False, [])
    assert "decided on the local state" in again.plan.reason
    assert frends_state(handle) == before

    edited = changed(target)
    result, writes = pusher.push(edited)
    assert (result.done, writes) == (["update"], [update])
    summary = pusher.client.call("GET", f"{SPECS}/{sid}", "read").json()["data"]
    assert summary["description"] == "changed by api-migrate's idempotency test"
    stored = handle.state()["frends"]["specs"][str(sid)]
    assert json.loads(stored["versions"][str(stored["activeVersion"])]["specification"]) == \
        json.loads(edited.payload.main().text)
    before = frends_state(handle)
    assert pusher.push(edited)[1] == [] and frends_state(handle) == before

    lost = Pusher(conn("frends", journal=lost_journal))  # the local state is gone
    plan = make_plan(edited, lost.client, lost.conn.open_journal())
    assert plan.action == "update" and plan.remote is not None and plan.remote.ids["specId"] == sid
    assert "no local state" in plan.reason and "safe documented action" in plan.reason
    result, writes = lost.push(edited)
    assert writes == [update] and len(handle.state()["frends"]["specs"]) == 1
    assert lost.push(edited)[1] == []  # and the state is back


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_pushes_are_idempotent(sandbox: SandboxHandle, conn: ConnMaker, sample: Path, tmp_path: Path) -> None:
    round_trip(sandbox, conn, delivery(sample, "frends"), tmp_path / "lost.jsonl")


def test_publish_and_deploy_are_not_repeated(sandbox: SandboxHandle, conn: ConnMaker) -> None:
    pusher = Pusher(conn("frends"))
    target = delivery(SAMPLES / "petstore-swagger2.yaml", "frends")
    result, writes = pusher.push(target, publish=True, deploy=2)
    assert result.done == ["create", "publish", "deploy"] and len(writes) == 3
    before = frends_state(sandbox)
    again, writes = pusher.push(target, publish=True, deploy=2)
    assert (again.changed, writes) == (False, []) and frends_state(sandbox) == before
    result, writes = pusher.push(changed(target), publish=True, deploy=2)
    assert result.done == ["update", "publish", "deploy"]
    (stored,) = sandbox.state()["frends"]["specs"].values()
    assert stored["activeVersion"] == 3 and stored["versions"]["2"]["deployedTo"] == [2]


def corpus_specs(root: Path) -> list[Path]:
    """Small Swagger 2.0 specs that convert without errors, at most five per provider, with
    distinct base paths and titles."""
    picked: list[Path] = []
    paths, titles, providers = set[str](), set[str](), list[str]()
    for spec in sorted(root.rglob("swagger.*")):
        provider = spec.relative_to(root).parts[0]
        if spec.stat().st_size > 60_000 or providers.count(provider) >= 5:
            continue
        try:
            payload = convert(spec, "frends").payload
        except MigrateError:  # an unreadable corpus spec is simply not picked
            continue
        if any(d.severity in failing_severities() for d in payload.report.items):
            continue
        document = json.loads(payload.main().text)
        key, title = base_path(document), str(document["info"]["title"]).casefold()
        if key not in paths and title not in titles:
            paths.add(key)
            titles.add(title)
            providers.append(provider)
            picked.append(spec)
        if len(picked) == CORPUS_COUNT:
            break
    return picked


@pytest.mark.corpus
@pytest.mark.slow  # about 9 s: 20 conversions and 120 pushes
def test_corpus_pushes_are_idempotent(sandbox: SandboxHandle, conn: ConnMaker, tmp_path: Path) -> None:
    specs = corpus_specs(need_shared("corpus", "swagger20", "apis-guru-2019", "APIs"))
    assert len(specs) == CORPUS_COUNT
    pusher = Pusher(conn("frends"))
    targets = [delivery(spec, "frends") for spec in specs]
    assert [pusher.push(t)[0].done for t in targets] == [["create"]] * CORPUS_COUNT
    before = frends_state(sandbox)
    assert [pusher.push(t)[1] for t in targets] == [[]] * CORPUS_COUNT
    assert frends_state(sandbox) == before
    updates = [pusher.push(changed(t))[1] for t in targets]
    assert all(len(w) == 1 and w[0].startswith("PUT ") for w in updates)
    assert [pusher.push(changed(t))[1] for t in targets] == [[]] * CORPUS_COUNT
    lost = Pusher(conn("frends", journal=tmp_path / "lost.jsonl"))
    plans = [make_plan(changed(t), lost.client, lost.conn.open_journal()) for t in targets]
    assert {(p.action, "safe documented action" in p.reason) for p in plans} == {("update", True)}
