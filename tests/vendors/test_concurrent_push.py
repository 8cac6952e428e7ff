"""Issue 13: two runs pushing the same 10 specs at the same moment, in two processes, end with
exactly one object per spec at each vendor: the per-API lock makes the second push wait, and it
plans again against what the first created. With a journal each (two working folders), too, where
the vendor can be asked by name (Akamai, Frends; Akana's documented API has no such look-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.sandbox import start_sandbox, write_config
from tests.testsupport import ROOT
from tests.vendors.vendor_helpers import spec_document

SPECS = 10
#: Where each sandbox keeps the API objects a create makes.
OBJECTS = {"akamai": "endpoints", "akana": "apis", "frends": "specs"}


def _specs(folder: Path) -> Path:
    folder.mkdir()
    for i in range(SPECS):
        doc = spec_document(f"Concurrent {i:02d}", f"/concurrent-{i:02d}")
        (folder / f"spec{i:02d}.json").write_text(json.dumps(doc))
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(("vendor", "journals"), [("akamai", 1), ("akamai", 2), ("akana", 1), ("frends", 1),
                                                  ("frends", 2)])
def test_two_concurrent_runs_create_each_api_once(vendor: str, journals: int, tmp_path: Path) -> None:
    specs, config, go = _specs(tmp_path / "specs"), tmp_path / "sandbox.toml", tmp_path / "go"
    journal = [tmp_path / f"run{i % journals}" / ".api-migrate" / "journal.jsonl" for i in range(2)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "API_MIGRATE_LOCK_DIR": str(tmp_path / "locks")}
    with start_sandbox(vendor) as handle:
        write_config(handle, config)
        runs = [subprocess.Popen([sys.executable, "-m", "tests.vendors.concurrent_pusher", vendor, str(specs),
                                  str(config), str(journal[i]), str(go)], cwd=ROOT, env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(2)]
        go.touch()
        outputs = [run.communicate(timeout=300) for run in runs]
        objects = handle.state()[vendor][OBJECTS[vendor]]
        sent = handle.requests.of(vendor)
    lines = [json.loads(line) for out, _ in outputs for line in out.splitlines()]
    assert all(run.returncode == 0 for run in runs), [err[-2000:] for _, err in outputs]
    assert not [line for line in lines if "error" in line], lines
    creates = sum("create" in line["done"] for line in lines)
    writes = sum(e["method"] != "GET" for e in sent)
    print(f"{vendor}: 2x{SPECS} concurrent pushes, {journals} journal(s) -> {creates} creates, "
          f"{len(objects)} objects at the vendor; {len(sent)} requests ({writes} writes)")
    assert len(lines) == 2 * SPECS and creates == SPECS and len(objects) == SPECS


def test_a_push_that_cannot_get_the_lock_says_so_and_sends_nothing(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_MIGRATE_LOCK_DIR", str(tmp_path / "locks"))
    from migrate.core.errors import PushError
    from migrate.push.lock import PushLock

    with PushLock("frends", "http://x", "/books"):
        with (pytest.raises(PushError, match=r"another push of '/books' has held its lock for 0 s"),
              PushLock("frends", "http://x", "/books", wait=0.2)):
            pass  # pragma: no cover - never entered
        with PushLock("frends", "http://x", "/other", wait=0.2):
            pass  # another API is not blocked
