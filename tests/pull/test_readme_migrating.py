"""README's "Migrating between platforms" example runs as written against the sandboxes."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from tests.testsupport import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[list[str]]:
    section = README[README.index("## Migrating between platforms"):]
    start = section.index("```sh\n") + len("```sh\n")
    lines = section[start:section.index("```", start)].splitlines()
    return [shlex.split(line, comments=True) for line in lines if "sandbox --write-config" not in line]


def test_the_worked_example_runs(config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    config.rename(tmp_path / "sandbox.toml")
    commands = _commands()
    assert [c[1] for c in commands] == ["push", "pull", "pull", "assess", "migrate", "migrate", "migrate"]
    for command in commands:
        assert command[0] == "api-migrate"
        result = CliRunner().invoke(main, command[1:])
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "orders.json").is_file()
    assert len(list((tmp_path / "estate").glob("*.openapi.json"))) == 1
    assert (tmp_path / "assessment" / "assessment.html").is_file()
