"""batch --push against the local sandboxes: clean payloads are pushed once, the rest held back."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from migrate.batch.run import run_batch
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection
from migrate.readers import ReadOptions
from migrate.sandbox import start_sandbox, write_config
from tests.testsupport import SAMPLES


def _run(src: Path, out: Path, config: Path) -> tuple[int, dict[str, dict[str, str]]]:
    code = run_batch([src], ["frends", "openapi"], out, EmitOptions(), ReadOptions(), 1, False, "text", False,
                     push="frends", out=io.StringIO(),
                     push_connection=Connection("frends", config, "sandbox-frends", journal=out.parent / "j.jsonl"))
    entries = json.loads((out / "push-report.json").read_text())["pushes"]
    return code, {e["name"]: e for e in entries}


def test_batch_pushes_clean_specs_once_and_skips_broken_ones(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SAMPLES, src)
    broken = "openapi: 3.0.3\ninfo: {title: Broken, version: '1'}\npaths:\n  /x: {$ref: 'nowhere.yaml'}\n"
    (src / "broken.yaml").write_text(broken)
    out, config = tmp_path / "out", tmp_path / "sandbox.toml"
    with start_sandbox("frends") as handle:
        write_config(handle, config)
        code, first = _run(src, out, config)
        assert code == 1  # the broken spec failed to convert
        assert first["broken"]["status"] == "skipped" and first["broken"]["reason"] == "conversion failed"
        pushed = {name for name, e in first.items() if e["status"] == "pushed"}
        assert len(pushed) == 4, first
        assert len(handle.state()["frends"]["specs"]) == 4
        _, second = _run(src, out, config)
        assert {name for name, e in second.items() if e["status"] == "unchanged"} == pushed
        assert len(handle.state()["frends"]["specs"]) == 4


def test_batch_push_uses_the_profile_defaults_as_push_does(tmp_path: Path) -> None:
    """Contract and group only in the Akamai profile: ``batch --push akamai`` converts with them
    (it used to judge its own conversion without them and skip the spec as having errors, while
    ``push`` of the same spec created it), and pushes exactly the payload it wrote."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SAMPLES / "petstore-swagger2.yaml", src)
    out, config = tmp_path / "out", tmp_path / "sandbox.toml"
    with start_sandbox("akamai") as handle:
        write_config(handle, config)
        code = run_batch([src], ["akamai"], out, EmitOptions(), ReadOptions(), 1, False,
                         "text", False, push="akamai",
                         push_connection=Connection("akamai", config, "sandbox-akamai", journal=out.parent / "j.jsonl"),
                         out=io.StringIO())
        (entry,) = json.loads((out / "push-report.json").read_text())["pushes"]
        assert entry["status"] == "pushed", entry
        written = json.loads((out / "petstore-swagger2" / "akamai" / "akamai.json").read_text())
        assert written["contractId"] and written["groupId"]
        (stored,) = handle.state()["akamai"]["endpoints"].values()
        assert code == 0 and len(stored["versions"]) == 1


def test_batch_push_changes_an_existing_api_only_with_yes(tmp_path: Path) -> None:
    """A re-run with a changed spec holds the change (listed, with the plan's lines) until --yes;
    new APIs are created either way."""
    import yaml

    src, out, config = tmp_path / "src", tmp_path / "out", tmp_path / "sandbox.toml"
    src.mkdir()
    shutil.copy(SAMPLES / "orders-openapi30.yaml", src)

    codes: list[int] = []

    def run(yes: bool) -> dict[str, dict[str, str]]:
        codes.append(run_batch([src], ["akana"], out, EmitOptions(), ReadOptions(), 1, False, "text", False,
                               push="akana", out=io.StringIO(), yes=yes,
                               push_connection=Connection("akana", config, "sandbox-akana",
                                                          journal=out.parent / "j.jsonl")))
        return {e["name"]: e for e in json.loads((out / "push-report.json").read_text())["pushes"]}

    with start_sandbox("akana") as handle:
        write_config(handle, config)
        assert run(False)["orders-openapi30"]["status"] == "pushed"  # a create needs no --yes
        doc = yaml.safe_load((src / "orders-openapi30.yaml").read_text())
        doc["info"]["description"] = "Orders, described anew"
        (src / "orders-openapi30.yaml").write_text(yaml.safe_dump(doc))
        (src / "second.yaml").write_text(yaml.safe_dump({**doc, "info": {**doc["info"], "title": "Second"}}))
        before = json.dumps(handle.state()["akana"]["apis"], sort_keys=True)
        held = run(False)
        orders = held["orders-openapi30"]
        assert orders["status"] == "held" and "re-run with --yes" in orders["reason"], orders
        assert held["second"]["status"] == "pushed"
        assert codes == [0, 1]  # held: the vendor does not hold what was converted (exit 1, as migrate)
        html = (out / "report.html").read_text()  # the pushes beside the conversions
        assert "<th>push to akana</th>" in html and 'class="cell push-held"' in html
        old = json.loads(before)
        after = handle.state()["akana"]["apis"]
        assert {k: v for k, v in after.items() if k in old} == old  # the held API is as it was
        assert len(after) == len(old) + 1  # and the new one was created
        assert run(True)["orders-openapi30"]["status"] == "pushed"


def test_a_batch_after_a_push_in_the_same_folder_does_not_duplicate_an_akana_api(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Akana cannot be asked by name: batch --push shares push's journal (.api-migrate/ in the
    working folder), so it knows the API that push created (it used to keep its own and create a
    second one)."""
    from click.testing import CliRunner

    from migrate.cli import main

    runner = CliRunner()
    monkeypatch.chdir(tmp_path)  # the working folder, where push and batch keep their journal
    with start_sandbox("akana") as handle:
        write_config(handle, Path("sandbox.toml"))
        Path("specs").mkdir()
        shutil.copy(SAMPLES / "orders-openapi30.yaml", "specs/orders.yaml")
        pushed = runner.invoke(main, ["push", "specs/orders.yaml", "--to", "akana", "--config", "sandbox.toml"])
        assert pushed.exit_code == 0, pushed.output
        batch = runner.invoke(main, ["batch", "specs", "--to", "akana", "-o", "out", "--push", "akana", "--config",
                                     "sandbox.toml", "--no-progress", "--jobs", "1"])
        assert batch.exit_code == 0, batch.output
        assert len(handle.state()["akana"]["apis"]) == 1
        (entry,) = json.loads(Path("out/push-report.json").read_text())["pushes"]
        assert entry["status"] == "unchanged", entry
