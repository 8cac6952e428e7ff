"""inspect's text summary, on hand-built model objects."""

from __future__ import annotations

import pytest

from migrate.core.model import (
    Api,
    Content,
    Operation,
    Parameter,
    Property,
    RequestBody,
    Resource,
    Response,
    Restrictions,
    Schema,
    SecurityScheme,
    Server,
    Source,
)
from migrate.core.summary import render_text, restrictions_text, schema_outline

PET = Schema(type="object", properties=[
    Property("id", Schema(type="integer"), required=True),
    Property("tags", Schema(type="array", items=Schema(type="string"))),
    Property("parent", Schema(ref="Pet")),
])


def _api() -> Api:
    get = Operation("GET", operation_id="listPets", summary="List pets", parameters=[
        Parameter("limit", "query", type="integer", restrictions=Restrictions(minimum=0, maximum=100,
                                                                             exclusive_maximum=True), default=20),
        Parameter("X-Request-Identifier", "header", required=True, restrictions=Restrictions(min_length=1,
                                                                                             max_length=20)),
        Parameter("tag", "query", array=True, restrictions=Restrictions(enum=["a", "b"], min_items=1, max_items=5,
                                                                        unique_items=True)),
    ], responses=[Response("200"), Response("default")])
    post = Operation("POST", request_body=RequestBody(required=True, contents=[
        Content("application/json", Schema(ref="Pet")), Content("text/plain", Schema(type="string"))]),
        responses=[Response("201")])
    return Api(
        title="Pets", version="1.0",
        servers=[Server("https://api.example.com/v1", host="api.example.com", base_path="/v1", scheme="https")],
        security_schemes=[SecurityScheme("key", "apiKey", location="header", param_name="X-Key"),
                          SecurityScheme("oauth", "oauth2", flows={"password": {}, "implicit": {}})],
        resources=[Resource("/pets", operations=[get, post])],
        schemas={"Pet": PET}, source=Source("openapi", "3.0.3", "pets.yaml"),
    )


def test_full_summary() -> None:
    assert render_text(_api()) == """\
Pets  v1.0
==========
source:  openapi 3.0.3  (pets.yaml)
paths:   1 resource(s), 2 operation(s), 1 named schema(s)
servers:
  https://api.example.com/v1
security schemes:
  key    apiKey  header X-Key
  oauth  oauth2  flows: implicit,password

GET /pets  (listPets)
  List pets
  parameters:
    name                  in      type      required  restrictions
    limit                 query   integer   no        range [0, 100)  default 20
    X-Request-Identifier  header  string    yes       len 1..20
    tag                   query   string[]  no        enum(a,b)  items 1..5 unique
  responses: 200, default

POST /pets
  request body (required):
    application/json  Pet = object {id*: integer, tags: string[], parent: Pet}
    text/plain        string
  responses: 201
"""


@pytest.mark.parametrize(("restrictions", "text"), [
    (Restrictions(), ""),
    (Restrictions(min_length=3), "len 3.."),
    (Restrictions(max_length=9), "len ..9"),
    (Restrictions(minimum=0, exclusive_minimum=True), "> 0"),
    (Restrictions(maximum=1.5), "<= 1.5"),
    (Restrictions(minimum=1, maximum=2), "range [1, 2]"),
    (Restrictions(minimum=1, maximum=2, exclusive_minimum=True), "range (1, 2]"),
    (Restrictions(pattern="^x$", format="date"), "pattern ^x$  format date"),
    (Restrictions(enum=[1, None, "z"]), "enum(1,null,z)"),
    (Restrictions(multiple_of=5), "multipleOf 5"),
    (Restrictions(unique_items=True), "items unique"),
])
def test_restrictions_text(restrictions: Restrictions, text: str) -> None:
    assert restrictions_text(restrictions) == text


def test_outline_caps_properties_and_names_alternatives() -> None:
    wide = Schema(type="object", properties=[Property(f"p{i}", Schema(type="string")) for i in range(14)])
    outline = schema_outline(Api(title="t"), wide)
    assert outline.endswith("p11: string, +2 more}")
    either = Schema(combinator="oneOf", alternatives=[Schema(type="string"), Schema(ref="Pet")])
    assert schema_outline(Api(title="t"), either) == "oneOf(string|Pet)"


def test_empty_api() -> None:
    assert render_text(Api(title="Bare")) == (
        "Bare\n====\npaths:   0 resource(s), 0 operation(s), 0 named schema(s)\n"
        "servers: (none)\nsecurity schemes: (none)\n")
