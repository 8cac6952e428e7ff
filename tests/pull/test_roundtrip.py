"""Round trips through the sandboxes: push a spec to Akamai and to Akana, pull it back, and the
pulled model has the resources, methods and parameters that were pushed, and (Akamai, the vendor
that holds them) the same restrictions, both as the payload states them and as the source spec
states them wherever the conversion reported no loss. Frends is not here: its documented API
cannot return what it holds (tests/pull/test_migrate.py checks what it holds through its state).

The expectations are read here from the payload's documented members and from the source model,
not by the readers under test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.conversion.run import convert
from migrate.emitters.base import EmitOptions
from migrate.pull.run import pull_with
from migrate.push.commands import push_delivery
from migrate.push.protocol import Delivery
from tests.pull.roundtrip import CORPUS_SPECS, SAMPLE_SPECS, Key, corpus_id, held_restrictions, parameters, shape
from tests.testsupport import CORPUS
from tests.vendors.vendor_helpers import ConnMaker

VENDORS = ["akamai", "akana"]


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def payload_shape(vendor: str, payload: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """path -> METHOD -> "location name", from the payload's documented members."""
    out: dict[str, dict[str, list[str]]] = {}
    if vendor == "akamai":  # akamai.json Endpoint: apiResources[].apiResourceMethods[].apiParameters[]
        for r in _objects(payload.get("apiResources")):
            for m in _objects(r.get("apiResourceMethods")):
                out.setdefault(r["resourcePath"], {})[m["apiResourceMethod"].upper()] = sorted(
                    {f"{p['apiParameterLocation']} {p['apiParameterName']}" for p in _objects(m.get("apiParameters"))
                     if p["apiParameterLocation"] != "body"})
        return out
    for op in _objects((payload["APIVersion"].get("Operations") or {}).get("Operation")):  # seed 003: Operations
        out.setdefault(op["Path"], {})[op["Method"].upper()] = sorted({f"{i['Type']} {i['Name']}"
                                                                       for i in _objects(op.get("Input"))})
    return out


def payload_restrictions(payload: dict[str, Any]) -> dict[Key, dict[str, Any]]:
    """Akamai's apiParameterRestriction of every non-body parameter, in the model's names."""
    out: dict[Key, dict[str, Any]] = {}
    for r in _objects(payload.get("apiResources")):
        for m in _objects(r.get("apiResourceMethods")):
            for p in _objects(m.get("apiParameters")):
                if p["apiParameterLocation"] == "body":
                    continue
                rule = p.get("apiParameterRestriction") or {}
                length, ranged = rule.get("lengthRestriction") or {}, rule.get("rangeRestriction") or {}
                number, items = rule.get("numberRangeRestriction") or {}, rule.get("arrayRestriction") or {}
                found = {"min_length": length.get("lengthMin"), "max_length": length.get("lengthMax"),
                         "minimum": ranged.get("rangeMin", number.get("numberRangeMin")),
                         "maximum": ranged.get("rangeMax", number.get("numberRangeMax")),
                         "min_items": items.get("minItems"), "max_items": items.get("maxItems"),
                         "unique_items": items.get("uniqueItems")}
                key = (r["resourcePath"], m["apiResourceMethod"].upper(), p["apiParameterLocation"],
                       p["apiParameterName"])
                out[key] = {k: v for k, v in found.items() if v is not None}
    return out


def round_trip(spec: Path, vendor: str, conn: ConnMaker) -> None:
    connection = conn(vendor)
    client = connection.client()
    conversion = convert(spec, vendor, client.emit_options(EmitOptions()))
    delivery = Delivery(str(spec), conversion.payload)
    pushed = push_delivery(delivery, client, connection)
    ident = str(pushed.remote.ids["endpointId" if vendor == "akamai" else "apiId"])  # type: ignore[union-attr]
    pulled = pull_with(client, ident, None, connection.open_journal())
    payload = conversion.payload.files[0].document or json.loads(conversion.payload.files[0].text)
    assert shape(pulled.api) == payload_shape(vendor, payload)
    if vendor != "akamai":
        return
    got = {k: held_restrictions(p) for k, p in parameters(pulled.api).items()}
    assert got == payload_restrictions(payload)
    reported = {d.pointer for d in conversion.diagnostics}
    source = parameters(conversion.api)
    for key, p in parameters(pulled.api).items():
        s = source.get(key)
        if s is None or s.pointer in reported or (s.type, s.array) != (p.type, p.array):
            continue  # renamed, re-typed or with a reported loss: the payload check above covers it
        assert got[key] == held_restrictions(s), key


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("spec", SAMPLE_SPECS, ids=lambda p: p.name)
def test_samples_round_trip(spec: Path, vendor: str, conn: ConnMaker) -> None:
    round_trip(spec, vendor, conn)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("spec", CORPUS_SPECS, ids=corpus_id)
def test_corpus_round_trip(spec: str, vendor: str, conn: ConnMaker) -> None:
    path = CORPUS / spec
    if not path.exists():
        pytest.skip(f"needs ../shared/corpus/{spec} (reference material beside the project; absent here)")
    round_trip(path, vendor, conn)
