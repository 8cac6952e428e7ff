"""Pushing many specs through injected faults (429, 500, 503, slow, reset, lost): every API ends
up at the vendor exactly once and matches its spec; a push killed with SIGKILL completes from the
journal when run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from migrate.conversion.run import convert
from migrate.core.errors import OutcomeUnknown, PushError
from migrate.push.commands import Connection, push_spec
from migrate.push.journal import Journal
from migrate.sandbox import FAULT_KINDS, FaultSpec, SandboxHandle, start_sandbox, write_config
from tests.vendors.vendor_helpers import EXTRA, FAST, spec_document

pytestmark = pytest.mark.slow  # 30 specs per vendor through faults, and killed pushes: run by .ci/run

COUNT = 30
VENDORS = ("akamai", "akana", "frends")


def write_specs(folder: Path, prefix: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(COUNT):
        doc = spec_document(f"{prefix} API {n:02d}", f"/{prefix.lower()}-{n:02d}",
                            extra_param=n % 2 == 0, post=n % 3 == 0)
        path = folder / f"spec-{n:02d}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        paths.append(path)
    return paths


def push_all(specs: list[Path], conn: Connection, vendor: str, handle: SandboxHandle) -> int:
    """Push each spec; an operator re-runs a push that gave up, and answers a create whose outcome
    was unknown by looking at the vendor (``operator_decides``). Returns how many pushes gave up."""
    gave_up = 0
    for spec in specs:
        decided: dict[str, Any] = {}
        for _ in range(6):
            try:
                push_spec(spec, conn, **EXTRA[vendor], **decided)
                break
            except OutcomeUnknown:
                gave_up += 1
                decided = operator_decides(handle.state(), vendor, spec)
            except PushError:
                gave_up += 1
    return gave_up


def operator_decides(state: dict[str, Any], vendor: str, spec: Path) -> dict[str, Any]:
    """What an operator does after an unknown create (Akana cannot look an API up by name): look
    for the API on the platform, adopt it when it is there, else say it is absent."""
    name = json.loads(convert(spec, vendor).payload.main().text)["Name"]
    ids = [key for key, entry in state[vendor].get("apis", {}).items() if entry["api"]["Name"] == name]
    return {"adopt": ids[0]} if ids else {"assume_absent": True}


def held(handle: SandboxHandle, vendor: str) -> dict[str, list[Any]]:
    """API name (Frends: base path) -> every stored object with that key."""
    doc = handle.state()[vendor]
    found: dict[str, list[Any]] = {}
    if vendor == "akamai":
        for entry in doc.get("endpoints", {}).values():
            latest = entry["versions"][max(entry["versions"], key=int)]["endpoint"]
            found.setdefault(latest["apiEndPointName"], []).append(latest)
    elif vendor == "akana":
        for entry in doc.get("apis", {}).values():
            found.setdefault(entry["api"]["Name"], []).append(entry)
    else:
        for spec in doc.get("specs", {}).values():
            found.setdefault(spec["basePath"], []).append(spec)
    return found


def assert_matches(handle: SandboxHandle, vendor: str, specs: list[Path]) -> None:
    found = held(handle, vendor)
    assert len(found) == len(specs)
    for spec in specs:
        payload = convert(spec, vendor).payload
        document = json.loads(payload.main().text)
        if vendor == "akamai":
            (endpoint,) = found[document["apiEndPointName"]]
            assert _akamai_ops(endpoint) == _akamai_ops(document)
            assert endpoint["stagingStatus"] == "ACTIVE"
        elif vendor == "akana":
            (entry,) = found[document["Name"]]
            assert len(entry["versions"]) == 1
            (version,) = entry["versions"].values()
            assert version["Operations"] == document["APIVersion"]["Operations"]
        else:
            (stored,) = found[document["servers"][0]["url"]]
            active = stored["versions"][str(stored["activeVersion"])]
            assert json.loads(active["specification"]) == document
            assert stored["versions"]["1"]["published"] and stored["activeVersion"] == 2


def _akamai_ops(endpoint: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return sorted((r["resourcePath"], m["apiResourceMethod"], sorted(p["apiParameterName"] for p in m["apiParameters"]))
                  for r in endpoint["apiResources"] for m in r["apiResourceMethods"])


@pytest.fixture
def faulty() -> Any:
    spec = FaultSpec(0.25, seed=20240601, slow_seconds=0.2, retry_after=0)
    with start_sandbox("all", faults=spec) as handle:
        yield handle


@pytest.mark.parametrize("vendor", VENDORS)
def test_many_pushes_through_faults(faulty: SandboxHandle, tmp_path: Path, vendor: str) -> None:
    write_config(faulty, tmp_path / "c.toml")
    conn = Connection(vendor, tmp_path / "c.toml", f"sandbox-{vendor}", journal=tmp_path / "j.jsonl", policy=FAST)
    specs = write_specs(tmp_path / "specs", vendor.title())
    push_all(specs, conn, vendor, faulty)
    assert_matches(faulty, vendor, specs)
    faults = [f for f in _faults(faulty) if f["vendor"] == vendor]
    assert {f["kind"] for f in faults} == set(FAULT_KINDS)
    again = [push_spec(spec, conn, **EXTRA[vendor]) for spec in specs[:5]]
    assert all(not r.changed for r in again)
    assert_matches(faulty, vendor, specs)


def _faults(handle: SandboxHandle) -> list[dict[str, Any]]:
    import requests

    return list(requests.get(handle.root_url("akamai") + "/_sandbox/state", timeout=5).json()["faults"])


SCRIPT = """
import sys
from pathlib import Path
import requests
from migrate.core.errors import OutcomeUnknown, PushError
from migrate.push.commands import Connection, push_spec
from migrate.push.http import RetryPolicy
from tests.vendors.test_faults_push import operator_decides
state_url, cfg, vendor, journal, *specs = sys.argv[1:]
extra = {"akamai": {"activate": "staging"}, "akana": {}, "frends": {"publish": True, "deploy": 1}}[vendor]
conn = Connection(vendor, Path(cfg), "sandbox-" + vendor, journal=Path(journal),
                  policy=RetryPolicy(attempts=6, base=0.02, cap=0.2, jitter=0.02, timeout=5.0))
for spec in specs:
    decided = {}
    for _ in range(6):
        try:
            push_spec(spec, conn, **extra, **decided)
            break
        except OutcomeUnknown as exc:  # the operator looks at the vendor, then re-runs
            print(exc, file=sys.stderr)
            decided = operator_decides(requests.get(state_url, timeout=5).json(), vendor, Path(spec))
        except PushError as exc:
            print(exc, file=sys.stderr)
"""


@pytest.mark.parametrize("vendor", VENDORS)
def test_killed_push_completes_from_journal(faulty: SandboxHandle, tmp_path: Path, vendor: str) -> None:
    write_config(faulty, tmp_path / "c.toml")
    specs = write_specs(tmp_path / "specs", vendor.title())
    journal = tmp_path / "journal.jsonl"
    (tmp_path / "push.py").write_text(SCRIPT, encoding="utf-8")
    args = [sys.executable, str(tmp_path / "push.py"), faulty.root_url("akamai") + "/_sandbox/state",
            str(tmp_path / "c.toml"), vendor, str(journal), *map(str, specs)]
    first = subprocess.Popen(args, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    _wait_for_steps(journal, first, steps=12)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    entries = Journal(journal).entries()
    finished = sum(e["step"] == "done" for e in entries)
    assert finished < COUNT  # killed mid-run
    second = subprocess.run(args, timeout=120, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert second.returncode == 0, second.stderr
    assert_matches(faulty, vendor, specs)
    keys = {e["key"] for e in Journal(journal).entries() if e["step"] == "done"}
    assert len(keys) == COUNT


def _wait_for_steps(journal: Path, process: subprocess.Popen[bytes], steps: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if len(Journal(journal).entries()) >= steps:
            return
        time.sleep(0.01)
    pytest.fail("the first push did not get going")
