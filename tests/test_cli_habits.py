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
        f"{PETSTORE} -> akamai: 2 error(s), 42 warning(s), 1 info",
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


def test_a_dash_reads_the_spec_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = Path(PETSTORE).read_text(encoding="utf-8")
    from_file = CliRunner().invoke(main, ["convert", PETSTORE, "--to", "openapi", "--format", "json"])
    from_stdin = CliRunner().invoke(main, ["convert", "-", "--to", "openapi", "--format", "json"], input=text)
    assert from_stdin.exit_code == from_file.exit_code == 0, from_stdin.output
    assert from_stdin.stdout == from_file.stdout  # the same payload
    checked = CliRunner().invoke(main, ["validate", "-"], input=text)
    assert checked.exit_code == 0 and "1 file(s): 0 error(s)" in checked.output
    shown = CliRunner().invoke(main, ["inspect", "-"], input=text)
    assert shown.exit_code == 0 and "(-)" in shown.output
    empty = CliRunner().invoke(main, ["convert", "-", "--to", "openapi"], input="")
    assert empty.exit_code == 2 and "-: standard input is empty" in empty.output


def test_stdin_references_resolve_from_the_current_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path(SAMPLES) / "library-raml08"
    monkeypatch.chdir(folder)
    run = CliRunner().invoke(main, ["inspect", "-"], input=(folder / "api.raml").read_text(encoding="utf-8"))
    by_file = CliRunner().invoke(main, ["inspect", "api.raml"])
    assert run.exit_code == by_file.exit_code == 0, run.output
    assert run.stdout.replace("(-)", "(api.raml)") == by_file.stdout  # the !include'd schemas were found


def test_a_dash_plans_from_stdin(tmp_path: Path) -> None:
    config = tmp_path / "sandbox.toml"
    with start_sandbox("frends") as handle:
        write_config(handle, config)
        args = ["--to", "frends", "--config", str(config), "--journal", str(tmp_path / "j.jsonl")]
        text = Path(PETSTORE).read_text(encoding="utf-8")
        planned = CliRunner().invoke(main, ["plan", "-", *args], input=text)
        assert planned.exit_code == 0 and "1 to create" in planned.output, planned.output
        pushed = CliRunner().invoke(main, ["push", "-", *args], input=text)
        assert pushed.exit_code == 0, pushed.output
        again = CliRunner().invoke(main, ["plan", PETSTORE, *args])
        assert "0 to create" in again.output and "1 unchanged" in again.output, again.output


def test_quiet_plan_and_push_keep_the_action_and_the_totals(tmp_path: Path) -> None:
    config = tmp_path / "sandbox.toml"
    with start_sandbox("frends") as handle:
        write_config(handle, config)
        args = [PETSTORE, "--to", "frends", "--config", str(config), "--journal", str(tmp_path / "j.jsonl")]
        full = CliRunner().invoke(main, ["plan", *args])
        quiet = CliRunner().invoke(main, ["plan", *args, "-q"])
        assert "  + method GET /pets" in full.output and "+ method" not in quiet.output
        assert [line for line in quiet.output.splitlines()] == [
            line for line in full.output.splitlines() if not line.startswith("  ")]
        assert quiet.output.splitlines()[-1].startswith("Plan: 1 to create")
        pushed = CliRunner().invoke(main, ["push", *args, "-q"])
        assert pushed.exit_code == 0 and "+ method" not in pushed.output
        assert pushed.output.splitlines()[-1].startswith("  done: create (")


def test_quiet_batch_lists_only_the_specs_that_need_attention(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    text = Path(PETSTORE).read_text(encoding="utf-8")
    (specs / "fine.yaml").write_text(text, encoding="utf-8")
    (specs / "bogus.yaml").write_text(text.replace('swagger: "2.0"', 'swagger: "2.0"\nbogus: 1', 1), encoding="utf-8")
    args = ["batch", str(specs), "--to", "openapi", "--jobs", "1", "-o", str(tmp_path / "out")]
    loud = CliRunner().invoke(main, args)
    quiet = CliRunner().invoke(main, ["-q", *args])
    assert any(line.startswith("fine ") for line in loud.output.splitlines()) and "[1/2]" in loud.output
    assert not any(line.startswith("fine ") for line in quiet.output.splitlines())
    assert any(line.startswith("bogus ") for line in quiet.output.splitlines())
    assert "[1/2]" not in quiet.output and "2 specs:" in quiet.output  # no progress lines; the totals


def test_an_option_value_that_looks_like_a_global_flag_stays_a_value(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["convert", PETSTORE, "--to", "akamai", "--name", "-v", "--host", "a.example.com",
                                    "--contract-id", "C-1", "--group-id", "1", "-o", str(tmp_path / "a.json")])
    assert run.exit_code == 0, run.output
    assert '"apiEndPointName": "-v"' in (tmp_path / "a.json").read_text()
    args = ["convert", str(SAMPLES / "events-openapi31.yaml"), "--to", "openapi", "-o", str(tmp_path / "o.json")]
    loud, quiet = CliRunner().invoke(main, args), CliRunner().invoke(main, [*args, "-q"])
    assert "warning " in loud.output and "warning " not in quiet.output  # -q after the command is still global
