"""Issue 13: two runs pushing the same 10 specs at the same moment, in two processes sharing the
journal, end with exactly one object per spec at each vendor: the per-API lock makes the second
push wait, and it plans again against what the first created."""

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
@pytest.mark.parametrize("vendor", sorted(OBJECTS))
def test_two_concurrent_runs_create_each_api_once(vendor: str, tmp_path: Path) -> None:
    specs, config, go = _specs(tmp_path / "specs"), tmp_path / "sandbox.toml", tmp_path / "go"
    journal = tmp_path / ".api-migrate" / "journal.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with start_sandbox(vendor) as handle:
        write_config(handle, config)
        runs = [subprocess.Popen([sys.executable, "-m", "tests.vendors.concurrent_pusher", vendor, str(specs),
                                  str(config), str(journal), str(go)], cwd=ROOT, env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        go.touch()
        outputs = [run.communicate(timeout=300) for run in runs]
        objects = handle.state()[vendor][OBJECTS[vendor]]
        sent = handle.requests.of(vendor)
    lines = [json.loads(line) for out, _ in outputs for line in out.splitlines()]
    assert all(run.returncode == 0 for run in runs), [err[-2000:] for _, err in outputs]
    assert not [line for line in lines if "error" in line], lines
    creates = sum("create" in line["done"] for line in lines)
    writes = sum(e["method"] != "GET" for e in sent)
    print(f"{vendor}: 2x{SPECS} concurrent pushes -> {creates} creates, {len(objects)} objects at the vendor; "
          f"{len(sent)} requests ({writes} writes)")
    assert len(lines) == 2 * SPECS and creates == SPECS and len(objects) == SPECS


def test_a_push_that_cannot_get_the_lock_says_so_and_sends_nothing(tmp_path: Path) -> None:
    from migrate.core.errors import PushError
    from migrate.push.lock import PushLock

    journal = tmp_path / "journal.jsonl"
    with PushLock(journal, "frends", "http://x", "/books"):
        with (pytest.raises(PushError, match=r"another push of '/books' has held its lock for 0 s"),
              PushLock(journal, "frends", "http://x", "/books", wait=0.2)):
            pass  # pragma: no cover - never entered
        with PushLock(journal, "frends", "http://x", "/other", wait=0.2):
            pass  # another API is not blocked
