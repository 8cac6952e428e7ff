"""Bad input: each case is one ReadError line naming the file (and line or pointer where it
applies), through read_spec and through the CLI (exit 2, one line on stderr, no traceback)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.core.errors import ReadError, UnsupportedFormatError
from migrate.core.pointers import line_of
from migrate.readers import read_spec
from migrate.source.load import check_expansion
from tests.testsupport import FIXTURES, ROOT

BAD = FIXTURES / "bad"

#: file -> (error class, part of the reason, line or None)
CASES: dict[str, tuple[type[ReadError], str, int | None]] = {
    "missing.yaml": (ReadError, "no such file", None),
    "empty.yaml": (ReadError, "file is empty", None),
    "blank.yaml": (ReadError, "file is empty", None),
    "garbage.bin": (ReadError, "binary file", None),
    "latin1.yaml": (ReadError, "not UTF-8 text (byte 0xe9)", 3),
    "invalid-yaml.yaml": (ReadError, "invalid YAML", 8),
    "list.yaml": (ReadError, "top level is list, not a mapping", None),
    "scalar.yaml": (ReadError, "top level is str, not a mapping", None),
    "unknown.yaml": (UnsupportedFormatError, "unknown format", None),
    "raml10.raml": (UnsupportedFormatError, "RAML 1.0 is not supported", 1),
    "bomb.yaml": (ReadError, "alias bomb", None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_spec_raises_one_line_read_error(name: str) -> None:
    cls, reason, line = CASES[name]
    with pytest.raises(cls) as info:
        read_spec(BAD / name)
    err = info.value
    assert err.path == str(BAD / name) and reason in err.reason and err.line == line
    rendered = err.render()
    assert "\n" not in rendered and rendered.startswith(str(BAD / name))
    if line is not None:
        assert rendered.startswith(f"{BAD / name}:{line}: ")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="is a directory"):
        read_spec(tmp_path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_inspect_exit_2_one_line(name: str) -> None:
    result = CliRunner().invoke(main, ["inspect", str(BAD / name)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and CASES[name][1] in lines[0] and str(BAD / name) in lines[0]
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("name", ["invalid-yaml.yaml", "raml10.raml", "missing.yaml"])
def test_subprocess_inspect(name: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "migrate", "inspect", str(BAD / name)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and CASES[name][1] in proc.stderr


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_alias_bomb_is_fast_and_bounded() -> None:
    """The 9-level bomb expands to 9**9 (387 million) strings; refusing it must take seconds and
    fit in 1 GiB of address space."""
    code = ("from migrate.readers import read_spec\nfrom migrate.core.errors import ReadError\n"
            f"try:\n    read_spec({str(BAD / 'bomb.yaml')!r})\nexcept ReadError as e:\n    print(e.reason)\n")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          preexec_fn=_limit_memory)
    assert time.monotonic() - start < 20
    assert proc.returncode == 0, proc.stderr
    assert "alias bomb" in proc.stdout


def test_check_expansion_counts_shared_nodes() -> None:
    leaf = ["x"] * 10
    check_expansion({"a": [leaf] * 10}, "doc", limit=200)  # 1 + 1 + 10 * 11 = 112 nodes
    with pytest.raises(ReadError, match="alias bomb"):
        check_expansion({"a": [leaf] * 20}, "doc", limit=200)  # 222 nodes


def test_line_of_follows_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("a:\n  b/c:\n    - x\n    - y\n")
    assert line_of(str(spec), "/a/b~1c/1") == 4
    assert line_of(str(spec), "/a/b~1c") == 2  # a mapping member: the line of its key
    assert line_of(str(spec), "/a/nothing") == 1  # deepest known ancestor
    assert line_of(str(spec), None) is None
