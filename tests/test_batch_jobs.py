"""Batch input: finding specs by content, manifests, names, content hashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.batch.jobs import Discovery, content_hash, discover, sniff, unique_names, work_key
from migrate.core.errors import UsageError
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions

RO = ReadOptions()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(tmp_path: Path, *paths: Path, targets: tuple[str, ...] = ("akamai",), **opts: object) -> Discovery:
    return discover(list(paths), targets, EmitOptions(**opts), RO, tmp_path / "out")  # type: ignore[arg-type]


# -- sniffing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("openapi: 3.0.3\ninfo: {title: x}\n", "openapi"),
        ('{\n  "swagger": "2.0",\n  "info": {}\n}\n', "swagger"),
        ("#%RAML 0.8\ntitle: x\n", "raml"),
        ("#%RAML 1.0\ntitle: x\n", "unsupported"),
        ('{"name": "left-pad", "version": "1.0.0"}\n', None),
        ("just some notes\n", None),
        ("", None),
    ],
)
def test_sniff_judges_by_content_not_extension(tmp_path: Path, text: str, expected: str | None) -> None:
    assert sniff(write(tmp_path / "file.txt", text)) == expected


def test_sniff_finds_a_version_key_far_from_the_top(tmp_path: Path) -> None:
    doc = {"definitions": {f"D{i}": {"type": "string", "description": "x" * 50} for i in range(300)},
           "info": {"title": "t"}, "paths": {}, "swagger": "2.0"}
    path = write(tmp_path / "sorted.json", json.dumps(doc, sort_keys=True))
    assert path.stat().st_size > 9000
    assert sniff(path) == "swagger"


def test_sniff_refuses_binary_files(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\x00\x00openapi: 3.0.0")
    assert sniff(path) is None


# -- folders and manifests ----------------------------------------------------------------------------


def test_folder_walk_counts_non_specs_and_skips_hidden_and_output_folders(tmp_path: Path) -> None:
    src = tmp_path / "specs"
    write(src / "a" / "petstore.yaml", "openapi: 3.0.0\n")
    write(src / "b" / "petstore.yaml", "swagger: '2.0'\n")
    write(src / "notes.md", "# notes\n")
    write(src / "package.json", '{"name": "x"}')
    write(src / ".git" / "spec.yaml", "openapi: 3.0.0\n")
    write(src / "out" / "old" / "openapi.yaml", "openapi: 3.0.0\n")
    result = discover([src], ("akamai",), EmitOptions(), RO, src / "out")
    assert [j.name for j in result.jobs] == ["a-petstore", "b-petstore"]
    assert result.skipped_files == 2


def test_same_file_named_twice_is_one_job(tmp_path: Path) -> None:
    spec = write(tmp_path / "s" / "api.yaml", "openapi: 3.0.0\n")
    assert len(found(tmp_path, tmp_path / "s", spec).jobs) == 1


def test_manifest_gives_per_spec_targets_and_options_over_the_command_line(tmp_path: Path) -> None:
    write(tmp_path / "m" / "specs" / "one.yaml", "openapi: 3.0.0\n")
    write(tmp_path / "m" / "specs" / "two.yaml", "swagger: '2.0'\n")
    manifest = write(tmp_path / "m" / "batch.yaml", """
- spec: specs/one.yaml
  targets: akana,frends
  options: {host: one.example.com, contractId: C-1, category: [a, b]}
- spec: specs/two.yaml
  options: {group-id: "42"}
""")
    jobs = found(tmp_path, manifest, targets=("akamai",), host="cli.example.com").jobs
    one, two = sorted(jobs, key=lambda j: j.name)
    assert one.targets == ("akana", "frends")
    assert (one.options.host, one.options.contract_id, one.options.categories) == (
        "one.example.com", "C-1", ("a", "b"))
    assert two.targets == ("akamai",)
    assert (two.options.host, two.options.group_id) == ("cli.example.com", "42")
    assert one.path == tmp_path / "m" / "specs" / "one.yaml"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("- spec: missing.yaml\n", "no such file"),
        ("- spec: s.yaml\n  options: {colour: red}\n", "unknown option 'colour'"),
        ("- spec: s.yaml\n  targets: [akamai, mulesoft]\n", "unknown target 'mulesoft'"),
        ("- spec: s.yaml\n  target: akamai\n", "unknown key 'target'"),
    ],
)
def test_bad_manifests_are_usage_errors(tmp_path: Path, manifest: str, message: str) -> None:
    write(tmp_path / "s.yaml", "openapi: 3.0.0\n")
    path = write(tmp_path / "batch.yaml", manifest)
    with pytest.raises(UsageError, match=message):
        found(tmp_path, path)


def test_a_spec_without_targets_is_a_usage_error(tmp_path: Path) -> None:
    spec = write(tmp_path / "s.yaml", "openapi: 3.0.0\n")
    with pytest.raises(UsageError, match="no targets"):
        found(tmp_path, spec, targets=())


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        found(tmp_path, tmp_path / "nope")


# -- names and identity ------------------------------------------------------------------------------


def test_names_are_stems_made_unique_with_parent_folders() -> None:
    paths = [Path("/x/google/drive/v3/swagger.yaml"), Path("/x/google/drive/v2/swagger.yaml"),
             Path("/x/other/v3/swagger.yaml"), Path("/x/orders.yaml"), Path("/x/a/Orders.yaml")]
    assert unique_names(paths) == [
        "drive-v3-swagger", "drive-v2-swagger", "other-v3-swagger", "x-orders", "a-Orders"]


def test_generic_file_names_take_the_folder_that_names_the_api() -> None:
    assert unique_names([Path("/s/library-raml08/api.raml"), Path("/s/azure.com/network/2016-10-20/swagger.yaml")]) == [
        "library-raml08-api", "network-2016-10-20-swagger"]


def test_names_that_only_clash_after_cleaning_get_a_hash_suffix() -> None:
    names = unique_names([Path("/s/a b.yaml"), Path("/s/a-b.yaml")])
    assert names[0].startswith("s-a-b-") and names[1].startswith("s-a-b-")
    assert names[0] != names[1]


def test_content_hash_covers_referenced_files_and_not_the_location(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        write(tmp_path / folder / "api.yaml", "openapi: 3.0.0\nx:\n  $ref: 'schemas/pet.yaml#/Pet'\n")
        write(tmp_path / folder / "schemas" / "pet.yaml", "Pet: {type: object}\n")
    one, two = tmp_path / "one" / "api.yaml", tmp_path / "two" / "api.yaml"
    assert content_hash(one, ReadOptions()) == content_hash(two, ReadOptions())
    write(tmp_path / "two" / "schemas" / "pet.yaml", "Pet: {type: string}\n")
    assert content_hash(one, ReadOptions()) != content_hash(two, ReadOptions())


def test_raml_includes_are_part_of_the_hash(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.raml", "#%RAML 0.8\ntitle: t\nschemas:\n  - s: !include s.json\n")
    write(tmp_path / "s.json", "{}")
    before = content_hash(spec, ReadOptions())
    write(tmp_path / "s.json", '{"type": "object"}')
    assert content_hash(spec, ReadOptions()) != before


def test_work_key_depends_on_targets_and_options() -> None:
    base = work_key("h", ("akamai",), EmitOptions(), RO)
    assert base == work_key("h", ("akamai",), EmitOptions(), RO)
    assert base != work_key("h", ("akamai", "akana"), EmitOptions(), RO)
    assert base != work_key("h", ("akamai",), EmitOptions(host="a.example.com"), RO)
    assert base != work_key("h2", ("akamai",), EmitOptions(), RO)
