"""Triage (errors first, by code, identical diagnostics collapsed, a few examples per code) and
accepted losses (``--accept FILE``, ``api-migrate accept --write FILE``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.core.accept import Acceptance
from migrate.core.diagnostics import Code, Diagnostic
from migrate.core.errors import UsageError
from migrate.core.triage import triage_lines
from tests.testsupport import SAMPLES

PETSTORE = SAMPLES / "petstore-swagger2.yaml"
AKAMAI = ["--to", "akamai", "--contract-id", "C-1", "--group-id", "1", "--host", "api.example.com"]


def test_errors_come_first_and_identical_ones_collapse() -> None:
    found = [Diagnostic(Code.DESCRIPTION_DROPPED, f"/paths/~1p{i}", "description dropped") for i in range(30)]
    found += [Diagnostic(Code.TAG_DROPPED, f"/paths/~1t{i}", f"tag {i} dropped") for i in range(15)]
    found.append(Diagnostic(Code.MISSING_REQUIRED_FIELD, "/", "Akamai requires contractId"))
    lines = triage_lines(found, examples=10, more=" (see the JSON report)")
    assert lines[0].startswith("error   MISSING_REQUIRED_FIELD /: Akamai requires contractId")
    assert lines[1].endswith("description dropped  [x30, first shown]") and "/paths/~1p0" in lines[1]
    tags = [line for line in lines if " TAG_DROPPED " in line]
    assert len(tags) == 11 and tags[-1] == "warning TAG_DROPPED ... and 5 more (see the JSON report)"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "accept.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(("text", "says"), [
    ("accept:\n  - code: NOPE\n    reason: r\n", "unknown code 'NOPE'"),
    ("accept:\n  - code: TAG_DROPPED\n", "TAG_DROPPED needs a reason"),
    ("accept:\n  - code: MISSING_REQUIRED_FIELD\n    reason: r\n", "errors cannot be accepted"),
    ("accept:\n  - code: TAG_DROPPED\n    reason: r\n    pointer: /x\n", "unknown key(s) pointer"),
    ("accept: [\n", "not valid YAML"),
    ("just: text\n", "expected a mapping with an 'accept' list"),
])
def test_a_bad_accept_file_is_a_usage_error_naming_the_entry(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(UsageError, match=says.replace("(", r"\(").replace(")", r"\)")):
        Acceptance.load(_write(tmp_path, text))


def test_rules_narrow_by_spec_target_and_pointer(tmp_path: Path) -> None:
    acceptance = Acceptance.load(_write(tmp_path, (
        "accept:\n"
        "  - {code: TAG_DROPPED, reason: no tags on Akamai, target: akamai, spec: 'pet*.yaml', pointers: [/paths]}\n"
        "  - {code: VERSION_DROPPED, reason: Akamai numbers versions}\n")))
    tag = Diagnostic(Code.TAG_DROPPED, "/paths/~1pets/get", "tags")
    root_tag = Diagnostic(Code.TAG_DROPPED, "/tags", "tags")
    version = Diagnostic(Code.VERSION_DROPPED, "/info/version", "v")
    error = Diagnostic(Code.MISSING_REQUIRED_FIELD, "/", "e")
    kept, accepted = acceptance.split([tag, root_tag, version, error], "specs/petstore.yaml", "akamai")
    assert accepted == [tag, version] and kept == [root_tag, error]
    kept, accepted = acceptance.split([tag], "specs/petstore.yaml", "frends")
    assert kept == [tag]  # another target
    kept, accepted = acceptance.split([tag], "specs/orders.yaml", "akamai")
    assert kept == [tag]  # another spec


def test_a_baseline_makes_strict_pass_until_a_new_loss_appears(tmp_path: Path) -> None:
    """The real-spec session of issue 11: convert, accept the known losses, --strict is green; a
    new loss in the spec fails --strict again, and the accepted ones are still shown apart."""
    spec = tmp_path / "petstore.yaml"
    shutil.copy(PETSTORE, spec)
    baseline = tmp_path / "accepted.yaml"
    runner = CliRunner()
    strict = ["convert", str(spec), *AKAMAI, "-o", str(tmp_path / "out"), "--strict"]
    assert runner.invoke(main, strict).exit_code == 1
    wrote = runner.invoke(main, ["accept", str(spec), *AKAMAI, "--write", str(baseline)])
    assert wrote.exit_code == 0, wrote.output
    green = runner.invoke(main, [*strict, "--accept", str(baseline)])
    assert green.exit_code == 0, green.output
    assert "0 warning(s), 0 info, 42 accepted" in green.output and "accepted  42 diagnostic(s)" in green.output
    spec.write_text(spec.read_text().replace("paths:", "x-new-extension: 1\npaths:", 1))
    red = runner.invoke(main, [*strict, "--accept", str(baseline), "--format", "json"])
    report = json.loads(red.output[red.output.index("{"):])
    assert red.exit_code == 1 and [d["pointer"] for d in report["diagnostics"]] == ["/x-new-extension"]
    assert len(report["accepted"]) == 42


def test_the_baseline_names_specs_from_its_own_folder(tmp_path: Path) -> None:
    shutil.copy(PETSTORE, tmp_path / "petstore.yaml")
    (tmp_path / "policy").mkdir()
    baseline = tmp_path / "policy" / "accepted.yaml"
    CliRunner().invoke(main, ["accept", str(tmp_path), *AKAMAI, "--write", str(baseline)])
    specs = {rule.spec for rule in Acceptance.load(baseline).rules}
    assert specs == {"../petstore.yaml"}


def test_validate_takes_the_target_options_and_accepted_losses(tmp_path: Path) -> None:
    """`validate --target akamai` used to reject --contract-id while reporting it missing, so
    `validate --target akamai --strict` could never pass."""
    runner = CliRunner()
    bare = runner.invoke(main, ["validate", str(PETSTORE), "--target", "akamai"])
    assert "MISSING_REQUIRED_FIELD" in bare.output and "use --contract-id" in bare.output
    given = ["validate", str(PETSTORE), "--target", "akamai", "--contract-id", "C-1", "--group-id", "1", "--host",
             "api.example.com"]
    with_ids = runner.invoke(main, given)
    assert with_ids.exit_code == 0 and "MISSING_REQUIRED_FIELD" not in with_ids.output, with_ids.output
    baseline = tmp_path / "accepted.yaml"
    runner.invoke(main, ["accept", str(PETSTORE), *AKAMAI, "--write", str(baseline)])
    strict = runner.invoke(main, [*given, "--strict", "--accept", str(baseline)])
    assert strict.exit_code == 0 and strict.output.splitlines()[-1].endswith("0 unusable, 42 accepted"), strict.output


def test_the_root_pointer_accepts_whole_document_diagnostics_only(tmp_path: Path) -> None:
    """A baseline entry for a diagnostic about the whole document (no pointer) accepts that one
    and nothing below the root (it used to accept every pointer of the spec, and not itself)."""
    text = ("accept:\n  - {code: PROXY_ENDPOINT_MISSING, reason: r, pointers: ['']}\n"
            "  - {code: TAG_DROPPED, reason: r, pointers: [/]}\n")
    acceptance = Acceptance.load(_write(tmp_path, text))
    whole = Diagnostic(Code.PROXY_ENDPOINT_MISSING, "", "no proxy")
    below = Diagnostic(Code.TAG_DROPPED, "/paths/~1a/get", "tags")
    root_tag = Diagnostic(Code.TAG_DROPPED, "/", "tags")
    kept, accepted = acceptance.split([whole, below, root_tag], "spec.yaml", "akana")
    assert accepted == [whole, root_tag] and kept == [below]


def test_a_baseline_makes_strict_green_for_akana_too(tmp_path: Path) -> None:
    spec = tmp_path / "orders.yaml"
    shutil.copy(SAMPLES / "orders-openapi30.yaml", spec)
    baseline = tmp_path / "accepted.yaml"
    runner = CliRunner()
    runner.invoke(main, ["accept", str(spec), "--to", "akana", "--write", str(baseline)])
    green = runner.invoke(main, ["convert", str(spec), "--to", "akana", "-o", str(tmp_path / "out"), "--strict",
                                 "--accept", str(baseline)])
    assert green.exit_code == 0, green.output


def test_batch_takes_accepted_losses_and_counts_them_apart(tmp_path: Path) -> None:
    spec = tmp_path / "specs" / "petstore.yaml"
    spec.parent.mkdir()
    shutil.copy(PETSTORE, spec)
    baseline = tmp_path / "accepted.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["accept", str(spec), *AKAMAI, "--write", str(baseline)]).exit_code == 0
    args = ["batch", str(spec.parent), *AKAMAI, "--jobs", "1", "--no-progress", "--format", "json"]
    plain = runner.invoke(main, [*args, "-o", str(tmp_path / "plain")])
    accepted = runner.invoke(main, [*args, "-o", str(tmp_path / "accepted"), "--accept", str(baseline)])
    before = json.loads(plain.stdout)["specs"][0]["targets"]["akamai"]
    after = json.loads(accepted.stdout)["specs"][0]["targets"]["akamai"]
    assert before["status"] == "warnings" and before["counts"]["warning"] > 0
    assert after["status"] == "ok" and after["counts"] == {"error": 0, "warning": 0, "info": 0}
    assert sum(after["accepted"].values()) == 42 and set(after["accepted"]) == set(before["byCode"])
    text = runner.invoke(main, [*args[:-2], "-o", str(tmp_path / "t"), "--accept", str(baseline)])
    assert "42 diagnostic(s) accepted by --accept" in text.output


def test_batch_shows_which_sources_fail_validate(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(PETSTORE, specs / "petstore.yaml")
    broken = PETSTORE.read_text(encoding="utf-8").replace('swagger: "2.0"', 'swagger: "2.0"\nbogus: 1', 1)
    assert broken != PETSTORE.read_text(encoding="utf-8")
    (specs / "bogus.yaml").write_text(broken, encoding="utf-8")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["batch", str(specs), *AKAMAI, "--jobs", "1", "--no-progress", "-o", str(out)])
    assert run.exit_code == 1, run.output  # the conversions are warnings only; the source is not valid
    assert "1 spec(s) whose source fails `api-migrate validate`: bogus" in run.output
    row = next(line for line in run.output.splitlines() if line.startswith("bogus"))
    assert "source invalid (1 error(s)): " in row and "bogus" in row.split("source invalid", 1)[1]
    report = json.loads((out / "report.json").read_text())
    sources = {s["name"]: s["source"] for s in report["specs"]}
    assert sources["petstore"]["valid"] and not sources["bogus"]["valid"]
    assert report["summary"]["sourceInvalid"] == ["bogus"]
    html = (out / "report.html").read_text()
    assert "the source fails validate (1 error(s))" in html  # on top, under "Needs attention"
