"""The README's main command: a rehearsal of samples/ into the local sandboxes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from migrate.cli import main
from tests.testsupport import SAMPLES


def test_rehearse_samples_creates_everything_once_and_the_rerun_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "rehearsal"
    result = CliRunner().invoke(main, ["rehearse", str(SAMPLES), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    outcomes = json.loads((out / "rehearsal.json").read_text())["outcomes"]
    specs = {o["spec"] for o in outcomes}
    assert len(specs) == 4 and {o["vendor"] for o in outcomes} == {"akamai", "akana", "frends"}
    first = [o["result"] for o in outcomes if o["round"] == 1]
    second = [o["result"] for o in outcomes if o["round"] == 2]
    assert first == ["create"] * 12
    assert second == ["nothing"] * 12
    assert "akamai: 4 API(s), akana: 4 API(s), frends: 4 API(s)" in result.output
    assert result.output.splitlines()[-1] == ("rehearsal: 12 of 12 spec/vendor pair(s) pushed and unchanged on the "
                                              "second push")
    assert (out / "report.html").is_file() and (out / "report.json").is_file()
    # the written sandbox config holds credentials: owner-only, and never echoed
    config = (out / "sandbox-config.toml").read_text()
    secret = next(line.split("=", 1)[1].strip().strip('"') for line in config.splitlines()
                  if line.startswith("client_secret"))
    assert secret not in result.output
    assert (out / "sandbox-config.toml").stat().st_mode & 0o077 == 0


def test_the_verdict_tells_a_failed_second_round_from_a_change() -> None:
    """A second round that failed (e.g. a Frends base path held by another spec) changed nothing;
    it used to be reported as "pushes are not idempotent"."""
    from migrate.batch.rehearse import Outcome, closing_verdict

    outcomes = [Outcome("a.yaml", "frends", 1, "failed", "409"), Outcome("a.yaml", "frends", 2, "failed", "409"),
                Outcome("b.yaml", "frends", 1, "create", ""), Outcome("b.yaml", "frends", 2, "nothing", ""),
                Outcome("c.yaml", "akamai", 1, "create", ""), Outcome("c.yaml", "akamai", 2, "update", "")]
    verdict, code = closing_verdict(outcomes, 0)
    assert code == 1
    assert verdict == ("rehearsal: 1 of 3 spec/vendor pair(s) pushed and unchanged on the second push; 1 failed "
                       "(see the table; nothing was changed by a failed push); 1 changed again on the second push: "
                       "not idempotent")
