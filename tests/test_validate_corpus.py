"""validate_source's verdict on the corpus specs whose verdict is known (../shared/corpus/invalid).

openapi-spec-validator's own expected outcomes (EXPECTED.md, transcribed below) must match
exactly; swagger-parser's tables (EXPECTED_ERRORS.json) must match except for the semantic
checks openapi-spec-validator (our reference validator) does not make, listed in
``SWAGGER_PARSER_ONLY`` (strict xfail: the list must shrink if such a check is added).
Unusable input (a ReadError) counts as invalid.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from migrate.core.errors import ReadError, UnsupportedFormatError
from migrate.readers import ReadOptions
from migrate.validation.run import validate_source
from tests.testsupport import need_shared

pytestmark = pytest.mark.corpus

OSV = ("invalid", "openapi-spec-validator", "tests", "integration", "data")
#: EXPECTED.md: file -> valid? (with the folder $refs may reach, when wider than the spec's own)
OSV_EXPECTED: dict[str, tuple[bool, str | None]] = {
    "v2.0/petstore.yaml": (True, None),
    "v3.0/petstore.yaml": (True, None),
    "v3.0/petstore-separate/spec/openapi.yaml": (True, "v3.0/petstore-separate"),
    "v3.0/parent-reference/openapi.yaml": (True, None),
    "v3.0/property-recursive.yaml": (True, None),
    "v3.0/read-only-write-only.yaml": (True, None),
    "v3.1/petstore.yaml": (True, None),
    "v2.0/empty.yaml": (False, None),
    "v3.0/empty.yaml": (False, None),
    "v2.0/missing-reference.yaml": (False, None),
    "v3.0/property-missing-reference.yaml": (False, None),
    "v3.0/missing-description.yaml": (False, None),
}

SP = ("invalid", "swagger-parser-apidevtools")
SWAGGER_PARSER_ONLY = {
    "validate-spec/invalid/invalid-response-code.yaml", "validate-spec/invalid/multiple-path-body-params.yaml",
    "validate-spec/invalid/multiple-operation-body-params.yaml", "validate-spec/invalid/multiple-body-params.yaml",
    "validate-spec/invalid/body-and-form-params.yaml", "validate-spec/invalid/duplicate-path-placeholders.yaml",
    "validate-spec/invalid/array-no-items.yaml", "validate-spec/invalid/array-body-no-items.yaml",
    "validate-spec/invalid/array-response-header-no-items.yaml", "validate-spec/invalid/file-no-consumes.yaml",
    "validate-spec/invalid/file-invalid-consumes.yaml",
    "validate-spec/invalid/required-property-not-defined-input.yaml",
    "validate-spec/invalid/required-property-not-defined-definitions.yaml",
    "validate-spec/invalid/array-response-body-no-items.yaml", "validate-schema/invalid/ref-to-invalid-path.yaml",
}


def verdict(path: Path, options: ReadOptions) -> bool:
    """True when valid: no error-level finding and usable."""
    try:
        return not any(d.severity.value == "error" for d in validate_source(path, options))
    except ReadError:
        return False


@pytest.mark.parametrize("name", sorted(OSV_EXPECTED))
def test_openapi_spec_validator_verdicts(name: str) -> None:
    data = need_shared("corpus", *OSV)
    valid, root = OSV_EXPECTED[name]
    options = ReadOptions(ref_root=data / root if root else None)
    assert verdict(data / name, options) is valid


def test_openapi_32_is_valid_upstream_but_unsupported_here() -> None:
    data = need_shared("corpus", *OSV)
    with pytest.raises(UnsupportedFormatError, match=r"3\.2"):
        validate_source(data / "v3.2/petstore.yaml", ReadOptions())


def _swagger_parser_cases() -> list[tuple[str, bool]]:
    from tests.testsupport import SHARED

    table = SHARED.joinpath("corpus", *SP, "EXPECTED_ERRORS.json")
    if not table.exists():
        return []
    cases = []
    for group, items in sorted(json.loads(table.read_text()).items()):
        for item in items:
            folder = "valid" if item["valid"] else "invalid"
            cases.append((f"{group}/{folder}/{item['file']}", bool(item["valid"])))
    return cases


@pytest.mark.parametrize(("name", "valid"), [
    pytest.param(name, valid, marks=[pytest.mark.xfail(strict=True, reason="check not in openapi-spec-validator")]
                 if name in SWAGGER_PARSER_ONLY else [])
    for name, valid in _swagger_parser_cases()
])
def test_swagger_parser_verdicts(name: str, valid: bool) -> None:
    specs = need_shared("corpus", *SP, "test", "specs")
    assert verdict(specs / name, ReadOptions()) is valid


def test_swagger_parser_table_is_present() -> None:
    need_shared("corpus", *SP, "EXPECTED_ERRORS.json")
    assert len(_swagger_parser_cases()) == 43


#: RAML 0.8 root documents the reference parser (npm raml-parser 0.8.18) rejects: absolute
#: ``/schemas/...`` includes (read relative to the spec here) and one incomplete OAuth 2.0 scheme.
RAML_REFERENCE_REJECTS = {"Facebook/postVideo.raml", "SalesforceChatter/api.raml", "SmartSheet/api.raml",
                          "Squareup/squareup.raml", "Zendesk/api.raml"}


def test_raml_apis_accepted_by_reference_parser_are_clean() -> None:
    apis = need_shared("corpus", "raml08", "raml-apis")
    roots = [p for p in sorted(apis.rglob("*.raml"))
             if re.match(rb"#%RAML 0.8", p.read_bytes()) and re.search(rb"(?m)^title:", p.read_bytes())]
    assert len(roots) >= 55
    dirty = {p.relative_to(apis).as_posix(): [d.render() for d in validate_source(p, ReadOptions())][:2]
             for p in roots if p.relative_to(apis).as_posix() not in RAML_REFERENCE_REJECTS}
    assert {k: v for k, v in dirty.items() if v} == {}
