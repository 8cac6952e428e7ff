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


# -- the fast YAML constructor (issue 12) gives what PyYAML's constructor gives

_YAML_CASES = {
    "scalars": "a: 1\nb: 0x1F\nc: 1_000\nd: 1:30\ne: 1.5e3\nf: .inf\ng: yes\nh: ~\ni: 2019-01-02\n"
               "j: 2001-12-14t21:59:43.10-05:00\nk: !!str 12\nl: !!binary aGVsbG8=\nm: '007'\n",
    "keys that are not strings": "1: one\ntrue: t\n~: n\n1.5: f\n",
    "duplicate keys, the last wins": "a: 1\nb: 2\na: 3\n",
    "anchors and aliases share objects": "x: &s {type: string}\ny: *s\nz: [*s, &l [1, 2], *l]\n",
    "a value key": "a:\n  =: v\n",
    "a set and an omap": "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\n",
    "a custom tag on a collection": "a: !thing {b: 1}\n",
    "an unhashable key": "? [1, 2]\n: v\n",
    "a mapping key": "? {a: 1}\n: v\n",
    # review findings: a collection tag on a scalar is refused by PyYAML, not read as an empty collection
    "a map tag on a scalar": "a: !!map x\n",
    "a set tag on a scalar": "a: !!set x\n",
    "a seq tag on a scalar": "a: !!seq x\n",
    "an omap tag on a scalar": "a: !!omap x\n",
    "a pairs tag on a scalar": "a: !!pairs x\n",
}


def _shape(value: object, seen: dict[int, int] | None = None) -> object:
    """``value`` with each container numbered by first appearance, so that shared objects (aliases)
    show as the same number: equal shapes mean equal values and equal sharing."""
    seen = {} if seen is None else seen
    if isinstance(value, (dict, list)):
        if id(value) in seen:
            return ("ref", seen[id(value)])
        seen[id(value)] = len(seen)
        if isinstance(value, dict):
            return ("map", seen[id(value)], [(_shape(k, seen), _shape(v, seen)) for k, v in value.items()])
        return ("seq", seen[id(value)], [_shape(v, seen) for v in value])
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("name", sorted(_YAML_CASES))
def test_yaml_load_gives_what_pyyaml_gives(tmp_path: Path, name: str) -> None:
    import yaml

    from migrate.source.load import SafeLoader, parse_text

    text = _YAML_CASES[name]
    try:
        expected: object = _shape(yaml.load(text, Loader=SafeLoader))
    except yaml.YAMLError as exc:
        expected = type(exc)
    try:
        got: object = _shape(parse_text(text, str(tmp_path / "doc.yaml")))
    except ReadError:
        got = yaml.constructor.ConstructorError
    assert got == expected


def test_a_recursive_alias_is_built_as_pyyaml_builds_it_and_the_loader_refuses_it(tmp_path: Path) -> None:
    """The fast constructor shares the object as PyYAML does; the loader then refuses the cycle
    with its place (every reader and check used to recurse until Python stopped it: a RAML
    structure check crashed ``validate`` over many files)."""
    import yaml

    from migrate.source.load import SafeLoader, _load_yaml, load_data

    text = "a: &r\n  self: *r\n"
    name = str(tmp_path / "doc.yaml")
    recursive = ("map", 0, [(("str", "'a'"), ("map", 1, [(("str", "'self'"), ("ref", 1))]))])  # a.self is a
    assert _shape(_load_yaml(text, name)) == _shape(yaml.load(text, Loader=SafeLoader)) == recursive
    (tmp_path / "doc.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ReadError) as info:
        load_data(tmp_path / "doc.yaml")
    assert "a YAML alias names a mapping or list that contains it" in info.value.reason
    assert (info.value.pointer, info.value.line) == ("/a/self", 2)


@pytest.mark.corpus
@pytest.mark.slow
def test_yaml_load_gives_what_pyyaml_gives_on_the_corpus() -> None:
    import yaml

    from migrate.core.pointers import forget_positions
    from migrate.source.load import SafeLoader, parse_text
    from tests.testsupport import need_shared

    checked = 0
    for path in sorted(need_shared("corpus").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            expected = yaml.load(text, Loader=SafeLoader)
        except (yaml.YAMLError, RecursionError):
            continue
        try:
            got = parse_text(text, str(path))
        except ReadError:
            continue  # refused by our limits (alias bombs ...), before or after
        assert _shape(got) == _shape(expected), path
        checked += 1
        forget_positions()
    assert checked > 500


def test_deep_yaml_loads_as_deep_as_pyyaml_loads_it(tmp_path: Path) -> None:
    """Review finding: the fast constructor recursed deeper per level and refused a document
    PyYAML reads; a RecursionError now leaves the document to PyYAML. (In a fresh interpreter:
    the test runner's own frames would move the limit.)"""
    script = (
        "import sys, yaml\n"
        "from migrate.source.load import SafeLoader, parse_text\n"
        "from migrate.core.errors import ReadError\n"
        "depth = int(sys.argv[1])\n"
        "text = ''.join('  ' * i + '- \\n' for i in range(depth)) + '  ' * depth + 'x\\n'\n"
        "try:\n    yaml.load(text, Loader=SafeLoader); expected = True\n"
        "except RecursionError:\n    expected = False\n"
        "try:\n    parse_text(text, 'deep.yaml'); got = True\n"
        "except ReadError:\n    got = False\n"
        "print(expected, got)\n"
    )
    for depth in (600, 900):  # block sequences: PyYAML reads them up to about 995 deep
        done = subprocess.run([sys.executable, "-c", script, str(depth)], capture_output=True, text=True,
                              cwd=ROOT, check=True)
        expected, got = done.stdout.split()
        assert got == expected, (depth, done.stdout)


@pytest.mark.parametrize("tag", ["!!omap", "!!pairs"])
def test_ordered_pairs_are_walked_for_cycles_and_alias_bombs(tmp_path: Path, tag: str) -> None:
    """``!!omap`` and ``!!pairs`` build lists of tuples; the expansion check walked only dicts and
    lists, so a cycle through them ended in an internal error and a bomb of them in gigabytes."""
    from migrate.source.load import load_data

    cyclic = tmp_path / "cyclic.yaml"
    cyclic.write_text(f"openapi: 3.0.0\nx-a: &a {tag}\n  - k: *a\n")
    with pytest.raises(ReadError) as info:
        load_data(cyclic)
    assert "a YAML alias names a mapping or list that contains it" in info.value.reason and info.value.line == 3
    levels = ["x-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"x-l{n}: &l{n} {tag} [" + ", ".join([f"{{k: *l{n - 1}}}"] * 9) + "]" for n in range(1, 8)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("openapi: 3.0.0\n" + "\n".join(levels) + "\n")
    with pytest.raises(ReadError, match="alias bomb"):
        load_data(bomb)
