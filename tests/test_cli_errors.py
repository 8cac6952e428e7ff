"""Odd command lines give one line on stderr and exit code 2, never a traceback or a credential."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from tests.testsupport import SAMPLES

SPEC = str(SAMPLES / "petstore-swagger2.yaml")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_output_below_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, output = run("convert", SPEC, "--to", "openapi", "-o", str(blocker / "out.json"))
    assert code == 2
    assert output.startswith(f"api-migrate: {blocker}") and output.count("\n") == 1
    assert "internal error" not in output and "Traceback" not in output


@pytest.mark.parametrize("args", [["--port", "70000"], ["--token-ttl", "0"], ["--token-ttl", "-5"]])
def test_sandbox_options_out_of_range_are_usage_errors(args: list[str]) -> None:
    code, output = run("sandbox", *args)
    assert code == 2 and "Invalid value" in output


def test_sandbox_state_that_is_not_a_database(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    state.write_text("not sqlite\n" * 50)
    code, output = run("sandbox", "--vendor", "frends", "--state", str(state))
    assert code == 2 and "not a sandbox state file" in output


def test_a_token_unfit_for_a_header_is_refused_without_showing_it(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[profiles.f]\nvendor = "frends"\nbase_url = "http://127.0.0.1:9/api/v1"\n'
                      'api_key = "Sup3rSecret tail"\n')
    for debug in ([], ["--debug"]):
        result = CliRunner().invoke(main, [*debug, "push", SPEC, "--to", "frends", "--config", str(config),
                                           "--journal", str(tmp_path / "j.jsonl")])
        assert result.exit_code != 0
        shown = result.output + repr(result.exception) + str(result.exc_info)
        assert "Sup3rSecret" not in shown
        assert "API key is empty or contains whitespace" in (result.output + str(result.exception))


ORDERS = str(SAMPLES / "orders-openapi30.yaml")


@pytest.mark.parametrize(("args", "says"), [
    (["--to", "akamai", "--host", "https://api.example.com/v1"], "'https://api.example.com/v1': give a hostname"),
    (["--to", "akamai", "--host", "api.example.com:8443"], "--host 'api.example.com:8443': give a hostname"),
    (["--to", "akana", "--target-url", "not-a-url"], "--target-url 'not-a-url': give an absolute http(s) URL"),
    (["--to", "akana", "--akana-endpoint", "/orders"], "--akana-endpoint '/orders': give an absolute http(s) URL"),
    (["--to", "frends", "--passthrough-target", "ftp://x"], "--passthrough-target 'ftp://x': give an absolute"),
])
def test_host_and_url_options_are_checked_before_they_reach_a_payload(tmp_path: Path, args: list[str],
                                                                       says: str) -> None:
    result = CliRunner().invoke(main, ["convert", ORDERS, *args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and says in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_a_good_host_and_url_pass(tmp_path: Path) -> None:
    for args in (["--to", "akamai", "--host", "api.example.com"],
                 ["--to", "akana", "--target-url", "https://backend.example.com/orders"]):
        result = CliRunner().invoke(main, ["convert", ORDERS, *args, "-o", str(tmp_path / "out")])
        assert result.exit_code in (0, 1) and "give a" not in result.output, result.output


def test_a_file_name_for_a_payload_of_several_files_is_refused(tmp_path: Path) -> None:
    """``-o single.json`` used to create a folder of that name for a two-file payload."""
    out = tmp_path / "single.json"
    result = CliRunner().invoke(main, ["convert", ORDERS, "--to", "frends", "--passthrough-target",
                                       "https://backend.example.com", "-o", str(out)])
    assert result.exit_code == 2 and "this payload is 2 files" in result.output and "give a folder" in result.output
    assert not out.exists()
    single = CliRunner().invoke(main, ["convert", ORDERS, "--to", "openapi", "-o", str(out)])
    assert single.exit_code in (0, 1) and out.is_file() and out.read_text().startswith("{")


def test_a_base_path_must_be_a_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", ORDERS, "--to", "frends", "--base-path", "https://x/y", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and "--base-path 'https://x/y': give a URL path starting with /" in result.output


CYCLIC_RAML = "#%RAML 0.8\ntitle: circular reference\n/parent: &one\n  description: x\n  /child: *one\n"


@pytest.mark.parametrize("command", [["validate"], ["inspect"], ["convert", "--to", "openapi", "-o", "OUT"]])
def test_an_alias_that_contains_itself_is_refused_with_its_place(tmp_path: Path, command: list[str]) -> None:
    """A YAML alias naming its own ancestor (the raml-java-parser test "circular-reference") made
    an infinite document: ``inspect`` crashed, ``validate`` over many files crashed, ``validate``
    of the one file said nothing, ``convert`` said "nests too deeply". Each now says where and why."""
    spec = tmp_path / "api.raml"
    spec.write_text(CYCLIC_RAML)
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    code, output = run(*args[:1], str(spec), *args[1:])
    assert code == 2
    assert f"{spec}:5 (at /~1parent/~1child): a YAML alias names a mapping or list that contains it" in output
    assert "internal error" not in output and "Traceback" not in output


def test_validate_over_many_files_reports_the_cyclic_one_and_checks_the_rest(tmp_path: Path) -> None:
    """Eight files or more are validated in worker processes (``PARALLEL_FILES``); the cyclic one
    used to raise RecursionError out of its worker and end the whole run as an internal error."""
    files = []
    for n in range(8):
        good = tmp_path / f"ok{n}.yaml"
        good.write_text((SAMPLES / "petstore-swagger2.yaml").read_text())
        files.append(str(good))
    bad = tmp_path / "api.raml"
    bad.write_text(CYCLIC_RAML)
    code, output = run("validate", "--no-cache", *files, str(bad))
    assert code == 2
    assert "a YAML alias names a mapping or list that contains it" in output
    assert "9 file(s)" in output and "1 unusable" in output


def test_a_pattern_python_cannot_count_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    """``a{4294967296}``: Python's re raises OverflowError, not re.error (the library's regex check
    and our emitter's both let it through as an internal error)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
                    "    T: {type: string, pattern: 'a{4294967296}'}\n")
    code, output = run("validate", "--no-cache", str(spec))
    assert code == 2 and "internal error" not in output  # the library stopped before any finding: unusable
    assert "cannot validate: openapi-spec-validator stopped (OverflowError: the repetition number is too large)" \
        in output
    code, output = run("convert", str(spec), "--to", "openapi", "-o", str(tmp_path / "out"))
    assert "internal error" not in output
    assert "PATTERN_DROPPED" in output and "the repetition number is too large" in output
