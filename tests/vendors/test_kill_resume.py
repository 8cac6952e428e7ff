"""Issue 13: crash safety. ``api-migrate batch --push`` is killed with SIGKILL at 20 random moments
of its push phase (and the push journal is given a torn last line now and then, as a kill in the
middle of a write leaves it); after each kill it is run again. The last run ends with every spec
pushed exactly once (one object, one version each at the vendor), the journal consistent with
what the vendor holds, and one more run changes nothing.

Akamai and Frends only: both can find an API by name, so a create killed before its answer is
settled by the look-up. Akana's documents give no such look-up; its killed create is settled by
the operator (tests/vendors/test_faults_push.py)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from migrate.core.journal import AppendLog
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.testsupport import ROOT
from tests.vendors.vendor_helpers import spec_document

SPECS = 80
KILLS = 20
ID_KEY = {"akamai": "endpointId", "frends": "specId"}


def _batch(vendor: str, src: Path, out: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "migrate", "batch", str(src), "--to", vendor, "-o", str(out), "--jobs", "1",
            "--push", vendor, "--config", str(config), "--profile", f"sandbox-{vendor}", "--no-progress",
            "--format", "json"]


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_during_push(command: list[str], journal: Path, rng: random.Random, cwd: Path) -> bool:
    """Start a run, wait until it has pushed something new, then SIGKILL it at a random moment;
    False when it finished before the moment came."""
    start = _lines(journal)
    proc = subprocess.Popen(command, cwd=cwd, start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _lines(journal) <= start and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.4))
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return killed


def _objects(handle: SandboxHandle, vendor: str) -> dict[str, Any]:
    return dict(handle.state()[vendor]["endpoints" if vendor == "akamai" else "specs"])


def _journal_ids(journal: Path, vendor: str) -> dict[str, set[Any]]:
    """Per API key, every id the journal recorded for it (consistent: exactly one)."""
    ids: dict[str, set[Any]] = {}
    for entry in AppendLog(journal).entries():
        found = (entry.get("ids") or {}).get(ID_KEY[vendor])
        ids.setdefault(entry["key"], set())
        if found is not None:
            ids[entry["key"]].add(str(found))
    return ids


@pytest.mark.slow
@pytest.mark.parametrize("vendor", sorted(ID_KEY))
def test_batch_push_killed_twenty_times_pushes_every_spec_once(vendor: str, tmp_path: Path) -> None:
    src, out, config = tmp_path / "src", tmp_path / "out", tmp_path / "sandbox.toml"
    src.mkdir()
    for i in range(SPECS):
        (src / f"k{i:02d}.json").write_text(json.dumps(spec_document(f"Killed {i:02d}", f"/killed-{i:02d}")))
    journal, rng = tmp_path / ".api-migrate" / "journal.jsonl", random.Random(20)  # push's, in the run's folder
    command = _batch(vendor, src, out, config)
    with start_sandbox(vendor) as handle:
        write_config(handle, config)
        killed, created = 0, []
        for kill in range(KILLS):
            killed += _kill_during_push(command, journal, rng, tmp_path)
            created.append(len(_objects(handle, vendor)))
            if kill % 4 == 3 and journal.exists():  # a write cut short by the kill
                with journal.open("ab") as torn:
                    torn.write(b'{"vendor": "' + vendor.encode() + b'", "key": "Killed ')
        last = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert last.returncode == 0, last.stderr[-3000:]
        objects = _objects(handle, vendor)
        writes_before = sum(e["method"] != "GET" for e in handle.requests.of(vendor))
        again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        after = _objects(handle, vendor)
        writes = [e for e in handle.requests.of(vendor) if e["method"] != "GET"]
    report = {e["name"]: e["status"] for e in json.loads((out / "push-report.json").read_text())["pushes"]}
    print(f"{vendor}: {killed} of {KILLS} runs killed mid-push; APIs at the vendor after each: {created}; "
          f"{len(objects)} after the last run; one more run: {sorted(set(report.values()))}; "
          f"{handle.requests.count(vendor)} requests in all, {len(writes)} writes")
    assert killed == KILLS and created[-1] < SPECS  # every kill landed in the push phase
    assert len(objects) == SPECS  # nothing duplicated, nothing lost
    assert all(len(o["versions"]) == 1 for o in objects.values())  # no needless new versions either
    ids = _journal_ids(journal, vendor)
    odd = {key: found for key, found in ids.items() if len(found) != 1}
    assert len(ids) == SPECS and not odd, (odd, [e for e in AppendLog(journal).entries() if e.get("key") in odd])
    assert {i for found in ids.values() for i in found} == set(objects)  # the journal names what is there
    assert again.returncode == 0 and set(report.values()) == {"unchanged"} and after == objects
    assert len(writes) == writes_before  # the extra run sent no write at all
