"""CLI habits (issue 11): global options after the command, -q, -v (requests and retries, never a
secret), colour on a terminal unless NO_COLOR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.sandbox import start_sandbox, write_config
from tests.testsupport import ROOT, SAMPLES

PETSTORE = str(SAMPLES / "petstore-swagger2.yaml")


def test_global_options_are_taken_after_the_command_too(tmp_path: Path) -> None:
    after = CliRunner().invoke(main, ["convert", PETSTORE, "--to", "akamai", "-o", str(tmp_path), "-q"])
    before = CliRunner().invoke(main, ["-q", "convert", PETSTORE, "--to", "akamai", "-o", str(tmp_path)])
    combined = CliRunner().invoke(main, ["convert", PETSTORE, "--to", "akamai", "-o", str(tmp_path), "-qv"])
    assert after.exit_code == before.exit_code == combined.exit_code == 1
    assert after.output == before.output == combined.output
    assert after.output.splitlines() == [
        "error   MISSING_REQUIRED_FIELD /: Akamai requires contractId; use --contract-id (api-migrate akamai "
        "contracts lists them)",
        "error   MISSING_REQUIRED_FIELD /: Akamai requires groupId; use --group-id (api-migrate akamai contracts "
        "lists them)",
        f"{PETSTORE} -> akamai: 2 error(s), 41 warning(s), 1 info",
    ]


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    args = ["convert", PETSTORE, "--to", "akamai", "-o", str(tmp_path)]
    coloured = CliRunner().invoke(main, args, color=True)
    assert "\x1b[31m\x1b[1merror\x1b[0m   MISSING_REQUIRED_FIELD" in coloured.output
    assert "\x1b[33m\x1b[1mwarning\x1b[0m" in coloured.output
    plain = CliRunner(env={"NO_COLOR": "1"}).invoke(main, args, color=True)
    assert "\x1b[" not in plain.output and "error   MISSING_REQUIRED_FIELD" in plain.output
    piped = CliRunner().invoke(main, args)  # not a terminal: click leaves the colour out
    assert "\x1b[" not in piped.output
    validated = CliRunner().invoke(main, ["validate", PETSTORE, "--target", "akamai"], color=True)
    first = validated.output.splitlines()[0]  # errors first, the severity word coloured after "file:line: "
    assert "\x1b[31m\x1b[1merror\x1b[0m MISSING_REQUIRED_FIELD" in first


def test_verbose_shows_each_request_and_no_secret(tmp_path: Path) -> None:
    config = tmp_path / "sandbox.toml"
    with start_sandbox("frends") as handle:
        write_config(handle, config)
        run = subprocess.run([sys.executable, "-m", "migrate", "push", PETSTORE, "--to", "frends", "--config",
                              str(config), "--journal", str(tmp_path / "j.jsonl"), "-v"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
        token = handle.credentials.frends.api_key
    assert run.returncode == 0, run.stderr
    requests = [line for line in run.stderr.splitlines() if line.startswith("migrate.http: frends ")]
    assert any(" POST http://127.0.0.1:" in line and line.endswith("/api-specifications/import") for line in requests)
    assert token not in run.stderr and token not in run.stdout


def test_activating_production_asks_first_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "sandbox.toml"
    with start_sandbox("akamai") as handle:
        write_config(handle, config)
        args = ["push", PETSTORE, "--to", "akamai", "--config", str(config), "--journal", str(tmp_path / "j.jsonl"),
                "--activate", "production", "--no-wait"]
        monkeypatch.setattr("migrate.cli.on_terminal", lambda: True)
        refused = CliRunner().invoke(main, args, input="n\n")
        assert refused.exit_code == 1 and "production network?" in refused.output
        assert handle.state()["akamai"].get("endpoints", {}) == {}  # nothing was sent
        agreed = CliRunner().invoke(main, [*args, "--yes"])
        assert agreed.exit_code == 0, agreed.output
        assert len(handle.state()["akamai"]["endpoints"]) == 1
