"""Akamai sandbox: the server-side import (seed 002 "Create an Endpoint from an API Definition
File", akamai.json post-endpoints-file, JSON form): Swagger 2.0 and RAML 0.8 become Endpoint
objects with server ids (201 + Location); what cannot be imported is a 400 importResult whose
problems[] point into the file; every exchange checked by the contract guard."""

from __future__ import annotations

import base64
from typing import Any

from tests.sandbox.test_sandbox_akamai import Box

SWAGGER = """swagger: "2.0"
info: {title: Imported, version: "1", description: From a file}
host: api.sandbox.example.com
basePath: /imp
schemes: [http, https]
securityDefinitions: {key: {type: apiKey, in: header, name: X-Key}}
paths:
  /things/{id}:
    parameters: [{name: id, in: path, required: true, type: string}]
    get:
      parameters: [{name: n, in: query, type: array, items: {type: integer}, maxItems: 3}]
      responses: {"200": {description: ok}}
"""
RAML = """#%RAML 0.8
title: Raml Import
baseUri: https://api.sandbox.example.com/raml
/books:
  get:
    queryParameters: {page: {type: integer, minimum: 1}}
  /{bookId}:
    uriParameters: {bookId: {type: string}}
    put:
      body: {application/json: {}}
"""


def body(text: str, fmt: str, **extra: Any) -> dict[str, Any]:
    return {"importFileFormat": fmt, "importFileSource": "BODY_BASE64", "contractId": "C-SANDBOX", "groupId": 12345,
            "importFileContent": base64.b64encode(text.encode()).decode(), **extra}


def test_swagger_becomes_an_endpoint_with_server_ids() -> None:
    box = Box()
    answer = box.post("/endpoints/files", body(SWAGGER, "swagger"))
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert answer.headers["Location"].endswith(f"/endpoints/{made['apiEndPointId']}/versions/1")
    assert (made["apiEndPointName"], made["basePath"], made["apiEndPointScheme"]) == ("Imported", "/imp", "http/https")
    assert made["securityScheme"]["securitySchemeDetail"] == {"apiKeyLocation": "header", "apiKeyName": "X-Key"}
    (resource,) = made["apiResources"]
    (method,) = resource["apiResourceMethods"]
    params = {p["apiParameterName"]: p for p in method["apiParameters"]}
    assert params["id"]["apiParameterLocation"] == "path" and params["id"]["apiParameterRequired"] is True
    assert params["n"]["array"] is True and params["n"]["apiParameterType"] == "integer"
    assert params["n"]["apiParameterRestriction"]["arrayRestriction"]["maxItems"] == 3
    assert isinstance(resource["apiResourceId"], int)
    assert box.checked.items == []


def test_raml_08_nested_resources() -> None:
    box = Box()
    answer = box.post("/endpoints/files", body(RAML, "raml"))
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["basePath"] == "/raml"
    assert [(r["resourcePath"], [m["apiResourceMethod"] for m in r["apiResourceMethods"]])
            for r in made["apiResources"]] == [("/books", ["GET"]), ("/books/{bookId}", ["PUT"])]
    put = made["apiResources"][1]["apiResourceMethods"][0]["apiParameters"]
    assert [(p["apiParameterLocation"], p["apiParameterName"]) for p in put] == [("path", "bookId"), ("body", "body")]
    assert box.checked.items == []


def test_what_cannot_be_imported_is_a_400_import_result() -> None:
    box = Box()
    no_host = SWAGGER.replace("host: api.sandbox.example.com\n", "")
    answer = box.post("/endpoints/files", body(no_host, "swagger"))
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/json"
    assert [p["pointer"] for p in answer.json()["problems"]] == ["/host"]
    wrong = box.post("/endpoints/files", body(RAML, "swagger"))
    assert [p["pointer"] for p in wrong.json()["problems"]] == ["/swagger"]
    assert box.post("/endpoints/files", body(SWAGGER, "swagger")).status_code == 201
    again = box.post("/endpoints/files", body(SWAGGER, "swagger"))  # the name is taken now
    assert again.status_code == 400 and again.json()["problems"][0]["pointer"] == "/apiEndPointName"
    assert box.checked.items == []
