"""The README's claims stay true: quick start commands, and the converted sample and its report excerpt."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from migrate.cli import main
from tests.testsupport import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(after: str, lang: str) -> str:
    start = README.index(f"```{lang}\n", README.index(after)) + len(lang) + 4
    return README[start:README.index("```", start)]


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    commands = [line for line in _block("## Quick start", "sh").splitlines() if line.strip()]
    assert commands == ["pip install -e . && api-migrate rehearse samples",
                        "pip install -e '.[test]' && python -m pytest"]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_converted_sample_and_report_excerpt_match_the_real_output(tmp_path: Path) -> None:
    command = _block("## A converted sample", "sh").replace("\\\n", " ").split()
    assert command[:2] == ["api-migrate", "convert"]
    args = [str(tmp_path / "out") if a == "out/" else a for a in command[1:]]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0
    printed = result.output.splitlines()
    for line in _block("prints the loss report", "text").splitlines():
        assert line in printed, f"README report line not in the output: {line}"
    payload = json.loads((tmp_path / "out" / "akamai.json").read_text())
    shown = _block("writes `out/akamai.json`", "json")
    for key, value in re.findall(r'"(apiEndPointName|basePath|consumeType|contractId)": "([^"]*)"', shown):
        assert payload[key] == value
    first = payload["apiResources"][0]["apiResourceMethods"][0]["apiParameters"][0]
    assert first["apiParameterRestriction"] == {"rangeRestriction": {"rangeMin": 1, "rangeMax": 99}}


def test_loss_report_section_lists_every_code_once_under_its_severity() -> None:
    from migrate.core.diagnostics import Code

    section = README[README.index("### Diagnostic codes by severity"):README.index("## Credentials")]
    listed: dict[str, tuple[str, str]] = {}
    severity = ""
    for line in section.splitlines():
        heading = re.match(r"\*\*(error|warning|info)\*\*", line)
        severity = heading.group(1) if heading else severity
        item = re.match(r"- `([A-Z_]+)` — (.+)", line)
        if item:
            assert item.group(1) not in listed, f"{item.group(1)} is listed twice"
            listed[item.group(1)] = (severity, item.group(2))
    # the one line on each is the registry's own meaning (one place for it: migrate/core/diagnostics.py)
    assert listed == {c.name: (c.severity.value, c.meaning) for c in Code}
