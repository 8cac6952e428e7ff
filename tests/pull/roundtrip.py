"""Helpers of the round-trip tests: what a model says of resources, methods, parameters and the
restrictions Akamai can hold, computed here from the model alone (not by the code under test)."""

from __future__ import annotations

import math
from typing import Any

from migrate.core.model import Api, Parameter
from tests.testsupport import SAMPLES

#: restrictions an Akamai parameter can hold, by the kind of parameter (akamai.json apiParameterRestriction)
HELD = {"string": ("min_length", "max_length"), "integer": ("minimum", "maximum"), "number": ("minimum", "maximum")}
ARRAY = ("min_items", "max_items", "unique_items")

Key = tuple[str, str, str, str]

SAMPLE_SPECS = [SAMPLES / "orders-openapi30.yaml", SAMPLES / "petstore-swagger2.yaml",
                SAMPLES / "events-openapi31.yaml", SAMPLES / "library-raml08" / "api.raml"]
#: 21 corpus specs that convert for Akamai and Akana without an error (chosen by tools run once:
#: every few specs of 2-120 kB in swagger20/ and openapi3/, spread over their publishers)
APIS = "swagger20/apis-guru-2019/APIs/"
OAI = "openapi3/oai-openapi-specification/examples-pre-removal/examples/"
CORPUS_SPECS = [
    OAI + "v3.0/petstore-expanded.json", OAI + "v2.0/json/petstore.json",
    OAI + "v2.0/yaml/petstore-with-external-docs.yaml",
    *(APIS + f"amazonaws.com/{a}/swagger.yaml" for a in ("athena/2017-05-18", "ecr/2015-09-21", "mq/2017-11-27",
                                                         "polly/2016-06-10", "sdb/2009-04-15")),
    APIS + "apitore.com/synonymApis/1.0.1/swagger.yaml", APIS + "apitore.com/twitterApis/0.0.2/swagger.yaml",
    APIS + "collegefootballdata.com/1.1.1/swagger.yaml", APIS + "fantasydata.net/golf-v2/1.0/swagger.yaml",
    APIS + "fantasydata.net/nhl-v3-stats/1.0/swagger.yaml",
    *(APIS + f"googleapis.com/{g}/swagger.yaml" for g in ("admin/reports_v1", "cloudbilling/v1", "licensing/v1",
                                                          "oauth2/v2", "people/v1")),
    APIS + "hackathonwatch.com/0.1/swagger.yaml", APIS + "refugerestrooms.org/v1/swagger.yaml",
    APIS + "oceandrivers.com/1.0/swagger.yaml",
]


def corpus_id(spec: str) -> str:
    return spec.split("/")[-3] if "APIs" in spec else spec.split("/")[-1]


def shape(api: Api) -> dict[str, dict[str, list[str]]]:
    """path -> METHOD -> sorted "location name" of its parameters (the plan's Shape form)."""
    out: dict[str, dict[str, list[str]]] = {}
    for resource, op in api.operations():
        out.setdefault(resource.path or "/", {})[op.method.upper()] = sorted({f"{p.location} {p.name}"
                                                                             for p in op.parameters})
    return out


def parameters(api: Api) -> dict[Key, Parameter]:
    return {(r.path, o.method.upper(), p.location, p.name): p for r, o in api.operations() for p in o.parameters}


def held_restrictions(p: Parameter) -> dict[str, Any]:
    """The restrictions of ``p`` that Akamai can hold for its type; integer bounds made inclusive
    integers as Akamai needs them (exclusive -> the next integer inside)."""
    r = p.restrictions
    out = {k: getattr(r, k) for k in HELD.get(p.type, ()) if getattr(r, k) is not None}
    if p.array:
        out.update({k: getattr(r, k) for k in ARRAY if getattr(r, k) is not None})
    if p.type == "integer":
        if "minimum" in out:
            out["minimum"] = math.floor(out["minimum"]) + 1 if r.exclusive_minimum else math.ceil(out["minimum"])
        if "maximum" in out:
            out["maximum"] = math.ceil(out["maximum"]) - 1 if r.exclusive_maximum else math.floor(out["maximum"])
    return out
