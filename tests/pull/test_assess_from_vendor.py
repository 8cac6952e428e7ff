"""assess --from VENDOR: what a vendor holds is pulled (only read) and assessed like files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from migrate.cli import main
from migrate.push.commands import push_spec
from migrate.sandbox import SandboxHandle
from tests.testsupport import SAMPLES
from tests.vendors.vendor_helpers import ConnMaker

SPECS = [SAMPLES / "orders-openapi30.yaml", SAMPLES / "petstore-swagger2.yaml"]


def test_assess_from_akamai_pulls_every_endpoint_and_writes_nothing_there(
        conn: ConnMaker, config: Path, tmp_path: Path, sandbox: SandboxHandle) -> None:
    for spec in SPECS:
        push_spec(spec, conn("akamai"))
    before = sandbox.state()["akamai"]
    out = tmp_path / "assessment"
    run = CliRunner().invoke(main, ["assess", "--from", "akamai", "--config", str(config), "--profile",
                                    "sandbox-akamai", "--to", "akana,frends", "--jobs", "2", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert sandbox.state()["akamai"] == before  # only read
    doc = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    assert doc["from"] == "akamai" and doc["targets"] == ["akana", "frends"]
    assert sorted(api["name"] for api in doc["apis"]) == ["Orders", "Petstore"]
    assert all(api["source"].startswith("akamai:") for api in doc["apis"])
    html = (out / "assessment.html").read_text(encoding="utf-8")
    assert "Pulled from akamai (only read)" in html
    only = CliRunner().invoke(main, ["assess", "--from", "akamai", "--config", str(config), "--profile",
                                     "sandbox-akamai", "--name-contains", "pet", "-o", str(tmp_path / "pet")])
    assert only.exit_code == 0, only.output
    assert [a["name"] for a in json.loads((tmp_path / "pet" / "assessment.json").read_text())["apis"]] == ["Petstore"]


def test_assess_takes_files_or_a_vendor_not_both(config: Path, tmp_path: Path) -> None:
    both = CliRunner().invoke(main, ["assess", str(SAMPLES), "--from", "akamai", "-o", str(tmp_path / "o")])
    assert both.exit_code == 2 and "give PATH... (spec files or folders) or --from VENDOR, not both" in both.output
    neither = CliRunner().invoke(main, ["assess", "-o", str(tmp_path / "o")])
    assert neither.exit_code == 2 and "or --from VENDOR" in neither.output
    stray = CliRunner().invoke(main, ["assess", str(SAMPLES), "--profile", "x", "-o", str(tmp_path / "o")])
    assert stray.exit_code == 2 and "belong to --from VENDOR" in stray.output
    frends = CliRunner().invoke(main, ["assess", "--from", "frends", "-o", str(tmp_path / "o")])
    assert frends.exit_code == 2
    empty = CliRunner().invoke(main, ["assess", "--from", "akamai", "--config", str(config), "--profile",
                                      "sandbox-akamai", "-o", str(tmp_path / "o")])
    assert empty.exit_code == 2 and "akamai lists no API to assess" in empty.output
