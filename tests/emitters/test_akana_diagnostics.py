"""Akana legacy body: every feature the body cannot hold is reported at its source pointer."""

from __future__ import annotations

from typing import Any

import pytest

from migrate.core.diagnostics import Code
from migrate.core.model import (
    Api,
    Content,
    Operation,
    Parameter,
    RequestBody,
    Resource,
    Response,
    Restrictions,
    Schema,
    SecurityScheme,
    Server,
)
from migrate.emitters.base import EmitOptions, emit

P = "/paths/~1a/get/parameters/0"
#: a proxy endpoint given, so that only the losses of the spec itself are reported
PROXY = EmitOptions(akana_endpoint="https://gw.example.com/a", akana_visibility="Public",  # an organisation
                    akana_auto_approve="no")  # that has decided its proxy and exposure


def _with_parameter(parameter: Parameter) -> Api:
    op = Operation("GET", operation_id="op", pointer="/paths/~1a/get", parameters=[parameter])
    return Api(title="t", version="1", servers=[Server(url="https://h.example/")],
               resources=[Resource("/a", pointer="/paths/~1a", operations=[op])])


def _found(api: Api) -> set[tuple[str, str]]:
    return {(d.code.name, d.pointer) for d in emit(api, "akana", PROXY).report}


@pytest.mark.parametrize(("restrictions", "code"), [
    (Restrictions(enum=["a", "b"]), "ENUM_DROPPED"),
    (Restrictions(pattern="^[a-z]+$"), "PATTERN_DROPPED"),
    (Restrictions(format="uuid"), "FORMAT_DROPPED"),
    (Restrictions(multiple_of=5), "MULTIPLE_OF_DROPPED"),
    (Restrictions(min_length=1), "RESTRICTION_DROPPED"),
    (Restrictions(max_length=9), "RESTRICTION_DROPPED"),
    (Restrictions(minimum=0), "RESTRICTION_DROPPED"),
    (Restrictions(maximum=10, exclusive_maximum=True), "RESTRICTION_DROPPED"),
    (Restrictions(min_items=1), "RESTRICTION_DROPPED"),
    (Restrictions(max_items=3), "RESTRICTION_DROPPED"),
    (Restrictions(unique_items=True), "RESTRICTION_DROPPED"),
])
def test_every_restriction_is_reported(restrictions: Restrictions, code: str) -> None:
    assert (code, P) in _found(_with_parameter(Parameter("q", "query", restrictions=restrictions, pointer=P)))


def test_one_diagnostic_per_restriction() -> None:
    parameter = Parameter("q", "query", pointer=P, restrictions=Restrictions(min_length=1, max_length=2))
    report = emit(_with_parameter(parameter), "akana").report
    messages = [d.message for d in report if d.code is Code.RESTRICTION_DROPPED]
    assert len(messages) == 2 and "minLength" in messages[0] and "maxLength" in messages[1]


@pytest.mark.parametrize(("parameter", "code"), [
    (Parameter("q", "query", description="what", pointer=P), "DESCRIPTION_DROPPED"),
    (Parameter("q", "query", default="x", pointer=P), "DEFAULT_DROPPED"),
    (Parameter("q", "query", example="x", pointer=P), "EXAMPLE_DROPPED"),
    (Parameter("q", "query", deprecated=True, pointer=P), "DEPRECATION_DROPPED"),
    (Parameter("q", "query", type="integer", pointer=P), "PARAMETER_TYPE_UNSUPPORTED"),
    (Parameter("q", "query", array=True, pointer=P), "PARAMETER_TYPE_UNSUPPORTED"),
    (Parameter("q", "query", required=True, pointer=P), "RESTRICTION_DROPPED"),
    (Parameter("q", "query", type="object", schema=Schema(type="object"), pointer=P), "SCHEMA_FEATURE_DROPPED"),
    (Parameter("q", "query", extensions={"x-internal": True}, pointer=P), "EXTENSION_DROPPED"),
])
def test_parameter_details_are_reported(parameter: Parameter, code: str) -> None:
    found = _found(_with_parameter(parameter))
    assert code in {c for c, _ in found}
    assert all(p.startswith(P) for c, p in found if c == code)


def test_plain_string_parameter_has_no_loss() -> None:
    assert _found(_with_parameter(Parameter("q", "query", pointer=P))) == set()
    assert _found(_with_parameter(Parameter("id", "path", required=True, pointer=P))) == set()


def test_cookie_parameter_is_left_out_and_reported_once() -> None:
    api = _with_parameter(Parameter("session", "cookie", description="d", default="x", pointer=P))
    payload = emit(api, "akana", PROXY)
    assert payload.main().document["APIVersion"]["Operations"]["Operation"][0]["Input"] == []
    assert [(d.code.name, d.pointer) for d in payload.report] == [("PARAMETER_LOCATION_UNSUPPORTED", P)]


def _with_operation(**kwargs: Any) -> Api:
    op = Operation("POST", operation_id="op", pointer="/paths/~1a/post", **kwargs)
    return Api(title="t", version="1", servers=[Server(url="https://h.example/")],
               resources=[Resource("/a", pointer="/paths/~1a", operations=[op])])


def test_request_body_schema_is_reported() -> None:
    body = RequestBody(contents=[Content("application/json", schema=Schema(type="object"))],
                       pointer="/paths/~1a/post/requestBody")
    assert ("BODY_DROPPED", "/paths/~1a/post/requestBody") in _found(_with_operation(request_body=body))


def test_request_body_with_only_a_media_type_loses_nothing() -> None:
    body = RequestBody(contents=[Content("application/octet-stream")])
    assert _found(_with_operation(request_body=body)) == set()


def test_responses_are_reported_once_per_operation() -> None:
    responses = [Response("200", contents=[Content("application/json", schema=Schema(type="string"))]),
                 Response("404")]
    report = emit(_with_operation(responses=responses), "akana").report
    (item,) = [d for d in report if d.code is Code.RESPONSES_DROPPED]
    assert item.pointer == "/paths/~1a/post" and "200, 404" in item.message


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"summary": "s"}, "DESCRIPTION_DROPPED"),
    ({"description": "d"}, "DESCRIPTION_DROPPED"),
    ({"deprecated": True}, "DEPRECATION_DROPPED"),
    ({"security": [{"key": []}]}, "SECURITY_SCHEME_UNSUPPORTED"),
    ({"security": []}, "SECURITY_SCHEME_UNSUPPORTED"),
])
def test_operation_details_are_reported(kwargs: dict[str, Any], code: str) -> None:
    assert (code, "/paths/~1a/post") in _found(_with_operation(**kwargs))


def test_api_level_losses() -> None:
    api = Api(title="t", version="1",
              servers=[Server(url="https://h.example/", description="main")],
              security_schemes=[SecurityScheme("key", "apiKey", location="header", param_name="X-Key",
                                               pointer="/components/securitySchemes/key")],
              security=[{"key": []}],
              schemas={"Pet": Schema(type="object", pointer="/components/schemas/Pet")},
              extensions={"x-logo": {}},
              resources=[Resource("/a", description="A", pointer="/paths/~1a",
                                  extensions={"x-res": 1})])
    assert _found(api) >= {
        ("SECURITY_SCHEME_UNSUPPORTED", "/components/securitySchemes/key"),
        ("SECURITY_SCHEME_UNSUPPORTED", "/security"),
        ("SCHEMA_FEATURE_DROPPED", "/components/schemas/Pet"),
        ("DESCRIPTION_DROPPED", "/servers/0"),
        ("DESCRIPTION_DROPPED", "/paths/~1a"),
        ("EXTENSION_DROPPED", "/x-logo"),
        ("EXTENSION_DROPPED", "/paths/~1a/x-res"),
    }
