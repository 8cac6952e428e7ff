"""``validate`` says the same thing on every run. jsonschema walks the properties of a schema
being meta-checked in the order of a ``set`` (``additionalProperties`` of the meta-schema), which
changes with PYTHONHASHSEED, and the library reports the first error it meets: a schema with
several faulty properties was reported by a different one from run to run (the openai spec did
this). The message is now the first faulty property in the order the schema is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from migrate.readers import ReadOptions
from migrate.validation.run import validate_source

#: property names in written order; every one is faulty (``minLength`` must be an integer)
NAMES = [f"field{n:02d}" for n in (7, 3, 11, 1, 9, 5, 2, 8, 4, 10, 6, 12)]


#: JSON Schema dialects a 3.1 schema may name with ``$schema`` (jsonschema's own check, not the OpenAPI one)
DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def _spec(tmp_path: Path, version: str, dialect: str | None = None) -> Path:
    schema: dict[str, object] = {"$schema": dialect} if dialect else {}
    schema.update({"type": "object", "properties": {name: {"type": "string", "minLength": "x"} for name in NAMES}})
    document = {
        "openapi": version, "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": schema}},
    }
    path = tmp_path / f"spec-{version}-{bool(dialect)}.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _validate(path: Path, seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run([sys.executable, "-m", "migrate", "validate", "--no-cache", str(path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    return done.stdout


@pytest.mark.parametrize(("version", "dialect"), [("3.0.3", None), ("3.1.0", None), ("3.1.0", DRAFT_2020),
                                                   ("3.1.0", DRAFT_07)])
def test_the_meta_check_names_the_same_property_on_every_run(tmp_path: Path, version: str,
                                                             dialect: str | None) -> None:
    path = _spec(tmp_path, version, dialect)
    outputs = {_validate(path, seed) for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1, outputs
    [output] = outputs
    assert f"/components/schemas/Thing/properties/{NAMES[0]}/minLength" in output, output


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_the_fast_path_and_the_library_alone_agree_on_it(tmp_path: Path, version: str) -> None:
    path = _spec(tmp_path, version)
    fast = validate_source(path, ReadOptions())
    alone = validate_source(path, ReadOptions(), reference=True)
    assert [(d.pointer, d.message) for d in fast] == [(d.pointer, d.message) for d in alone]
    # 3.0 also fails the document schema at the schema object itself; the meta-check names one property
    assert [d.pointer for d in fast if "/properties/" in d.pointer] == \
        [f"/components/schemas/Thing/properties/{NAMES[0]}/minLength"]


def test_the_document_schema_findings_come_in_the_order_of_the_document(tmp_path: Path) -> None:
    """A 3.1 document whose component schemas are not schemas: the document schema reports each,
    and jsonschema met them in a set's order, so the findings (and the batch's "first error")
    changed from run to run. They now follow the document."""
    names = ["zeta", "alpha", "mid", "beta", "omega", "gamma"]
    values = ["null", "0", "[]", "1.5", "'text'", "[1]"]
    path = tmp_path / "schemas.yaml"
    path.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n"
                    + "".join(f"    {n}: {v}\n" for n, v in zip(names, values, strict=True)), encoding="utf-8")
    outputs = {_validate(path, seed) for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1, outputs
    [output] = outputs
    shown = [line.split(" SPEC_INVALID ")[1].split(" ")[0] for line in output.splitlines() if "SPEC_INVALID" in line]
    document = [f"/components/schemas/{n}" for n in names]
    assert shown[:len(names)] == document  # the document schema's findings, in written order


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_default_value_s_findings_come_in_written_order_under_its_own_pointer(tmp_path: Path) -> None:
    """jsonschema checks the members ``additionalProperties`` governs in a set's order; the library
    also pointed at the schema (``.../T/alpha``), not at the default (``.../T/default/alpha``)."""
    path = _written(tmp_path, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
                    "  schemas:\n    T:\n      type: object\n      additionalProperties: {type: integer}\n"
                    "      default: {zeta: a, alpha: b, mid: c, beta: d, omega: e}\n")
    outputs = {_validate(path, seed) for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1, outputs
    shown = [line.split(" SPEC_INVALID ")[1].split(" ")[0] for line in outputs.pop().splitlines() if "SPEC_INV" in line]
    assert shown == [f"/components/schemas/T/default/{n}" for n in ("zeta", "alpha", "mid", "beta", "omega")]
    [first] = [d for d in validate_source(path, ReadOptions()) if d.pointer.endswith("/zeta")]
    assert first.line == 9  # the default's line, not the schema's


def test_required_names_left_undefined_are_listed_in_written_order(tmp_path: Path) -> None:
    path = _written(tmp_path, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
                    "  schemas:\n    A:\n      allOf:\n        - {type: object, properties: {x: {type: string}}}\n"
                    "      required: [zeta, x, alpha, mid, beta, omega]\n")
    outputs = {_validate(path, seed) for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1, outputs
    assert "Required list has not defined properties: ['zeta', 'alpha', 'mid', 'beta', 'omega']" in outputs.pop()


@pytest.mark.parametrize(("version", "dialect"), [("3.0.3", None), ("3.1.0", None), ("3.1.0", DRAFT_2020),
                                                   ("3.1.0", DRAFT_07)])
def test_the_rebuilt_meta_validator_is_the_library_s_own(tmp_path: Path, version: str, dialect: str | None) -> None:
    """``_meta_validator`` rebuilds the validator the library's schema checker builds; in one process
    (one hash seed) its first error is the one the checker raises, and a valid schema passes both.
    An upgrade of openapi-schema-validator or jsonschema that changes the checker fails here."""
    from jsonschema.exceptions import SchemaError, ValidationError
    from jsonschema_path import SchemaPath

    from migrate.validation.openapi import VALIDATORS, _meta_validator

    document = json.loads(_spec(tmp_path, version, dialect).read_text())
    schema_path = SchemaPath.from_dict(document) / "components" / "schemas" / "Thing"
    keyword: Any = VALIDATORS[version[:3]](SchemaPath.from_dict(document)).keyword_validators_registry["schema"]
    bad = document["components"]["schemas"]["Thing"]
    good = {**({"$schema": dialect} if dialect else {}), "type": "object", "properties": {"a": {"type": "string"}}}
    checker = keyword._get_schema_checker(schema_path, bad)
    ours = _meta_validator(checker)
    assert ours is not None
    with pytest.raises((SchemaError, ValidationError)) as raised:
        checker(bad)
    first = next(iter(ours.iter_errors(bad)))
    assert (first.message, list(first.absolute_path)) == (raised.value.message, list(raised.value.absolute_path))
    checker(good)
    assert list(ours.iter_errors(good)) == []
