"""The one reference policy (migrate.source.refpolicy): the reader, the validator, the verdict
cache and the batch hasher accept and refuse the same references."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.batch.jobs import spec_files
from migrate.conversion.run import convert
from migrate.core.errors import ReadError, RefError
from migrate.readers import ReadOptions, read_spec
from migrate.source.refpolicy import MAX_REFERENCE, RefPolicy, RefRefused, shown
from migrate.validation.fast.cache import cache_key
from migrate.validation.run import validate_source

SCHEMA = {"S": {"type": "object", "properties": {"a": {"type": "string"}}}}

#: (reference written in root/sub/api.json, allowed?) with --ref-root root
REFS: list[tuple[str, bool]] = [
    ("defs.json#/S", True),
    ("../common.json#/S", True),
    ("./nested/../defs.json#/S", True),
    ("../../outside.json#/S", False),
    ("missing.json#/S", False),
    ("http://127.0.0.1:9/never.json#/S", False),
    ("ftp://127.0.0.1:9/x.json", False),
    ("file:///etc/passwd", False),
    ("de\x00fs.json#/S", False),
    ("de\x07fs.json#/S", False),
    ("a" * (MAX_REFERENCE + 1) + ".json", False),
    ("C:\\windows\\defs.json", False),
    ("%2e%2e/%2e%2e/outside.json#/S", False),
    ("http://[::1/x.json#/S", False),  # an unclosed IPv6 literal: urlsplit raises ValueError
    ("y" * 2_000 + ".json#/S", False),  # under MAX_REFERENCE, but a name the file system refuses
    ("escape.json#/S", False),  # a symlink inside the root whose target is outside it
    ("door/outside.json#/S", False),  # a symlinked folder that leaves the root
]

#: (include written in root/sub/api.raml, allowed?) with --ref-root root
INCLUDES: list[tuple[str, bool]] = [
    ("item.json", True),
    ("/schemas/a.json", True),  # absolute: relative to the ref root (issue: validate said "not found")
    ("../../outside.json", False),
    ("missing.json", False),
    ("http://127.0.0.1:9/x.json", False),  # remote !include: refused everywhere, even when allowed
    ("escape.json", False),
    ("http://[::1/x.json", False),
    ("q" * 1_000 + ".json", False),
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "sub" / "nested").mkdir(parents=True)
    (root / "schemas").mkdir()
    for place in (root / "sub" / "defs.json", root / "common.json", tmp_path / "outside.json"):
        place.write_text(json.dumps(SCHEMA))
    for place in (root / "sub" / "item.json", root / "schemas" / "a.json"):
        place.write_text(json.dumps(SCHEMA["S"]))
    (root / "sub" / "escape.json").symlink_to(tmp_path / "outside.json")
    (root / "sub" / "door").symlink_to(tmp_path, target_is_directory=True)
    return root


def oas(ref: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": ref}}}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}}}


def outcomes(spec: Path, options: ReadOptions) -> dict[str, bool]:
    """Whether each of the four followers accepted the spec's references."""
    found: dict[str, bool] = {}
    try:
        read_spec(spec, options)
        found["reader"] = True
    except RefError:
        found["reader"] = False
    try:
        validate_source(spec, options)
        found["validator"] = True
    except RefError:
        found["validator"] = False
    found["hasher"] = len(spec_files(spec, options)) > 1  # the spec alone when a reference is refused
    if spec.suffix == ".json":
        found["cache"] = cache_key(spec, json.loads(spec.read_text()), options.policy(spec)) is not None
    return found


@pytest.mark.parametrize(("ref", "allowed"), REFS, ids=[shown(r)[:40] for r, _ in REFS])
def test_every_follower_agrees_on_a_ref(tree: Path, ref: str, allowed: bool) -> None:
    spec = tree / "sub" / "api.json"
    spec.write_text(json.dumps(oas(ref)))
    found = outcomes(spec, ReadOptions(ref_root=tree))
    assert found == {"reader": allowed, "validator": allowed, "hasher": allowed, "cache": allowed}


@pytest.mark.parametrize(("include", "allowed"), INCLUDES, ids=[shown(i)[:40] for i, _ in INCLUDES])
@pytest.mark.parametrize("remote", [False, True], ids=["local-only", "allow-remote-refs"])
def test_every_follower_agrees_on_an_include(tree: Path, include: str, allowed: bool, remote: bool) -> None:
    spec = tree / "sub" / "api.raml"
    spec.write_text(f"#%RAML 0.8\ntitle: T\nschemas:\n  - item: !include {include}\n/r:\n  get:\n")
    found = outcomes(spec, ReadOptions(ref_root=tree, allow_remote_refs=remote))
    assert found == {"reader": allowed, "validator": allowed, "hasher": allowed}


def test_remote_include_is_refused_by_convert_and_validate_alike(tree: Path) -> None:
    spec = tree / "sub" / "api.raml"
    spec.write_text("#%RAML 0.8\ntitle: T\n/r: !include http://127.0.0.1:9/r.raml\n")
    options = ReadOptions(allow_remote_refs=True)
    with pytest.raises(RefError, match="remote !include is not supported") as by_validate:
        validate_source(spec, options)
    with pytest.raises(RefError, match="remote !include is not supported") as by_convert:
        convert(spec, "openapi", read_options=options)
    assert by_validate.value.line == by_convert.value.line == 3


def test_absolute_include_with_a_ref_root_reads_and_validates(tree: Path) -> None:
    spec = tree / "sub" / "api.raml"
    spec.write_text("#%RAML 0.8\ntitle: T\nschemas:\n  - a: !include /schemas/a.json\n/r:\n  get:\n")
    options = ReadOptions(ref_root=tree)
    assert validate_source(spec, options) == []
    assert read_spec(spec, options).schemas  # the included schema was read


@pytest.mark.parametrize("ref", ["x\x00y.json", "z" * 10_000, "%00.json"])
def test_hostile_references_give_a_readable_error(tmp_path: Path, ref: str) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(oas(ref)))
    with pytest.raises(ReadError) as caught:
        read_spec(spec)
    message = caught.value.render()
    assert len(message) < 600 and "\x00" not in message
    assert "/paths/~1a/get/responses/200/content/application~1json/schema/$ref" in message


@pytest.mark.parametrize("ref", [r for r, allowed in REFS if not allowed] + ["z" * 10_000],
                         ids=lambda r: shown(r)[:30])
@pytest.mark.parametrize("command", ["convert", "validate"])
def test_every_refused_ref_is_one_line_with_its_place_and_exit_2(tree: Path, ref: str, command: str) -> None:
    """convert and validate alike: exit 2, the reference as written (cut short), where it is."""
    from click.testing import CliRunner

    from migrate.cli import main
    spec = tree / "sub" / "api.json"
    spec.write_text(json.dumps(oas(ref)))
    args = [command, str(spec), "--ref-root", str(tree)]
    result = CliRunner().invoke(main, [*args, "--to", "openapi", "-o", str(tree / "out")] if command == "convert"
                                else args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "\x00" not in result.output
    message = next(line for line in result.output.splitlines() if "$ref" in line)
    assert "(at /paths/~1a/get/responses/200/content/application~1json/schema/$ref)" in message
    assert len(message) < 700


def test_policy_reasons_name_the_options_as_typed(tmp_path: Path) -> None:
    policy = RefPolicy(tmp_path)
    with pytest.raises(RefRefused, match="--allow-remote-refs"):
        policy.locate("https://example.com/x.yaml", str(tmp_path / "api.yaml"))
    with pytest.raises(RefRefused, match="--ref-root"):
        policy.locate("../x.yaml", str(tmp_path / "api.yaml"))
