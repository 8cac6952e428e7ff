"""Akana pushes are idempotent against the sandbox: for every sample (and 20 corpus specs), the first
push creates; a second push sends no write and leaves the sandbox's Akana state byte-identical; a
changed spec (a new description and one more parameter) reaches the platform as one new version
(plus the API's description); pushing it again writes nothing. With CSRF prevention on and off."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from migrate.core.errors import ReadError
from migrate.core.model import Api, Parameter
from migrate.emitters.akana.body import AKANA_METHODS
from migrate.emitters.base import EmitOptions, emit
from migrate.push.akana.client import AkanaClient
from migrate.push.commands import Connection
from migrate.push.journal import Journal
from migrate.push.protocol import Delivery
from migrate.push.run import PushResult, run_push
from migrate.readers import read_spec
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.testsupport import SAMPLES, need_shared
from tests.vendors.vendor_helpers import FAST

SAMPLE_FILES = ["petstore-swagger2.yaml", "orders-openapi30.yaml", "events-openapi31.yaml", "library-raml08/api.raml"]
#: writes that are not changes: logging in and renewing the token
SESSION = ("/api/login", "/api/login/renewToken")
CORPUS_SPECS = 20
CORPUS_MAX_BYTES = 150_000


@dataclass
class Pusher:
    """One client on one sandbox, its journal, and every request it sends."""

    handle: SandboxHandle
    client: AkanaClient
    journal: Journal
    sent: list[tuple[str, str]] = field(default_factory=list)

    def push(self, api: Api, source: str) -> PushResult:
        payload = emit(api, "akana", self.client.emit_options(EmitOptions()))
        self.sent.clear()
        return run_push(Delivery(source, payload), self.client, self.journal)

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.sent if m != "GET" and not p.endswith(SESSION)]

    def state(self) -> str:
        return json.dumps(self.handle.state()["akana"], sort_keys=True)


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


def changed(api: Api) -> Api:
    """``api`` with a new description and one more query parameter on its first Akana operation."""
    api = copy.deepcopy(api)
    api.description = (api.description or "") + " (changed)"
    op = next(o for _, o in api.operations() if o.method in AKANA_METHODS)
    op.parameters.append(Parameter("addedByTheTest", "query"))
    return api


def check_idempotent(pusher: Pusher, api: Api, source: str) -> None:
    assert pusher.push(api, source).done == ["create"]
    before = pusher.state()
    again = pusher.push(api, source)
    assert (again.done, pusher.writes, pusher.state()) == ([], [], before), again.plan.reason
    update = pusher.push(changed(api), source)
    assert update.done == ["new-version"], update.plan.reason
    assert [m for m, _ in pusher.writes] == ["POST", "PUT"]  # the new version, then the API's description
    entry = next(e for e in pusher.handle.state()["akana"]["apis"].values() if e["api"]["Name"] == api.title)
    newest = list(entry["versions"].values())[-1]
    assert entry["api"]["Description"] == newest["Description"] == changed(api).description
    inputs = [i["Name"] for op in newest["Operations"]["Operation"] for i in op["Input"]]
    assert "addedByTheTest" in inputs
    settled = pusher.state()
    last = pusher.push(changed(api), source)
    assert (last.done, pusher.writes, pusher.state()) == ([], [], settled), last.plan.reason


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_sample_pushes_are_idempotent(pusher: Pusher, sample: str) -> None:
    check_idempotent(pusher, read_spec(SAMPLES / sample), sample)


def corpus_specs() -> list[tuple[Path, Api]]:
    """The first 20 readable Swagger 2.0 specs of the corpus (by path) under 150 kB with an operation."""
    picked: list[tuple[Path, Api]] = []
    for path in sorted((need_shared("corpus") / "swagger20").rglob("*.*")):
        if path.suffix not in (".json", ".yaml", ".yml") or path.stat().st_size > CORPUS_MAX_BYTES:
            continue
        try:
            api = read_spec(path)
        except ReadError:
            continue
        titles = {a.title for _, a in picked}  # the title is the natural key
        if api.title and api.title not in titles and any(o.method in AKANA_METHODS for _, o in api.operations()):
            picked.append((path, api))
        if len(picked) == CORPUS_SPECS:
            break
    return picked


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_pushes_are_idempotent(pusher: Pusher) -> None:
    specs = corpus_specs()
    assert len(specs) == CORPUS_SPECS
    for path, api in specs:
        check_idempotent(pusher, api, path.name)
