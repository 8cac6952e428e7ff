"""A vendor that cannot be reached (issue 11: "the connection error for a stopped sandbox within
5 s naming its URL"): one line naming the URL and the profile, with a hint for a local address,
in seconds; nothing journaled as a write of unknown outcome; a batch stops trying after the first."""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.batch.run import run_batch
from migrate.cli import main
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection
from migrate.readers import ReadOptions
from migrate.sandbox import start_sandbox, write_config
from tests.testsupport import SAMPLES

SPEC = str(SAMPLES / "orders-openapi30.yaml")


@pytest.fixture
def stopped(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A config whose profiles point at sandboxes that have stopped; their root URLs."""
    config = tmp_path / "sandbox.toml"
    with start_sandbox("all") as handle:
        write_config(handle, config)
        roots = {v: handle.root_url(v) for v in handle.vendors}
    return config, roots


@pytest.mark.parametrize("vendor", ["akamai", "akana", "frends"])
def test_a_stopped_sandbox_is_named_within_seconds(stopped: tuple[Path, dict[str, str]], vendor: str,
                                                   tmp_path: Path) -> None:
    config, roots = stopped
    journal = tmp_path / "journal.jsonl"
    args = ["push", SPEC, "--to", vendor, "--config", str(config), "--journal", str(journal)]
    for attempt in range(2):  # the second run must not take the first for a write of unknown outcome
        started = time.monotonic()
        result = CliRunner().invoke(main, args)
        took = time.monotonic() - started
        assert result.exit_code == 2, result.output
        assert took < 5.0, f"run {attempt}: {took:.1f} s"
        assert f"cannot connect to {roots[vendor]} (connection refused)" in result.output
        assert f"[profile sandbox-{vendor}]" in result.output and "is the sandbox running?" in result.output


def test_a_batch_stops_trying_an_unreachable_vendor(stopped: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    config, _ = stopped
    src = tmp_path / "src"
    shutil.copytree(SAMPLES, src)
    out = tmp_path / "out"
    started = time.monotonic()
    run_batch([src], ["frends"], out, EmitOptions(), ReadOptions(), 1, False, "text", False, push="frends",
              push_connection=Connection("frends", config, "sandbox-frends", journal=out.parent / "j.jsonl"),
                     out=io.StringIO())
    assert time.monotonic() - started < 20
    pushes = json.loads((out / "push-report.json").read_text())["pushes"]
    tried = [p for p in pushes if p["status"] == "failed"]
    assert len(tried) == 1 and "cannot connect" in tried[0]["error"]
    assert all(p["status"] == "skipped" and p["reason"].startswith("not tried: frends:")
               for p in pushes if p is not tried[0])
