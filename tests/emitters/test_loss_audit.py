"""Cross-target "nothing is lost silently" audit.

A kitchen-sink model (tests/fixtures/audit/kitchen_sink.py) holds every model feature once, each
node with its own pointer. For every target and every feature, the feature must be either
carried (a per-target probe finds it in the output document, tests/fixtures/audit/probes.py) or
reported (a diagnostic at its node's pointer or a parent's naming it, or a whole-node drop above
it). One test case per (target, feature). Also: payloads are byte-identical across processes
with different PYTHONHASHSEED.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from migrate.core.diagnostics import Code, Diagnostic
from migrate.core.model import Api
from migrate.emitters.base import EmitOptions, Payload, emit
from tests.fixtures.audit.kitchen_sink import Feature, kitchen_sink
from tests.fixtures.audit.probes import akamai_carried, akana_carried, akana_tree, oas_carried, reported
from tests.testsupport import ROOT, SAMPLES

#: audit name -> (emitter, options)
TARGETS: dict[str, tuple[str, EmitOptions]] = {
    "akamai": ("akamai", EmitOptions(host="api.example.com", contract_id="C-123", group_id="grp_456")),
    "akana-json": ("akana", EmitOptions()),
    "akana-xml": ("akana", EmitOptions(akana_format="xml")),
    "akana-import": ("akana", EmitOptions(akana_mode="import")),
    "frends": ("frends", EmitOptions(passthrough_target="https://backend.example.com/api")),
    "openapi": ("openapi", EmitOptions()),
}
#: Frends makes response codes concrete (RESPONSE_CODE_NORMALIZED): where the kitchen sink's go
FRENDS_STATUSES = {"4XX": "400", "default": "500"}
FEATURES = kitchen_sink()[1]


@functools.cache
def payload_of(target: str) -> Payload:
    emitter, options = TARGETS[target]
    return emit(kitchen_sink()[0], emitter, options)


def carried(target: str, f: Feature) -> bool:
    payload = payload_of(target)
    doc: Any = payload.main().document
    if target == "akamai":
        return akamai_carried(doc, f)
    if target in ("akana-json", "akana-xml"):
        tree = _empty_lists_as_objects(akana_tree(doc)) if isinstance(doc, ET.Element) else doc
        return akana_carried(tree, f) or _akana_backend_or_version_tag(tree, f)
    return oas_carried(doc, f, FRENDS_STATUSES if target == "frends" else None)


def _empty_lists_as_objects(tree: Any) -> Any:
    """An empty ``<Endpoints>`` (no proxy endpoint given) reads back as text: make it the JSON form's
    empty object, as for ``Operations`` and ``Policies``."""
    version = tree["APIVersion"]
    for key in ("Endpoints", "Operations", "Policies"):
        if isinstance(version.get(key), str):
            version[key] = {}
    return tree


def _akana_backend_or_version_tag(doc: dict[str, Any], f: Feature) -> bool:
    """Where the Akana body keeps what the shared probe looks for elsewhere: a spec server is the
    backend (TargetAPI endpoints, never the proxy), tags sit in APIVersion.Tag (seed 003)."""
    version = doc["APIVersion"]
    if f.where[0] == "tag":
        return f.where[1] in (version.get("Tag") or [])
    if f.where[0] == "server" and f.what == "server":
        endpoints = (version.get("TargetAPI") or {}).get("Endpoints") or {}
        return any(e.get("Uri") == f.where[1] for e in endpoints.get("Endpoint") or [])
    return False


CASES = [pytest.param(t, f, id=f"{t}:{f.id}") for t in TARGETS for f in FEATURES]


@pytest.mark.parametrize(("target", "feature"), CASES)
def test_feature_is_carried_or_reported(target: str, feature: Feature) -> None:
    if carried(target, feature):
        return
    diagnostics = list(payload_of(target).report)
    assert reported(feature, diagnostics), (
        f"{target}: {feature.what} at {feature.pointer} is neither in the payload nor reported")


def _without_max_length(api: Api) -> Api:
    """The kitchen sink with body member ``s``'s maxLength removed (nothing else changed)."""
    api = copy.deepcopy(api)
    body = api.resources[1].operations[0].request_body
    assert body is not None and body.contents[0].schema is not None
    body.contents[0].schema.properties[0].schema.restrictions.max_length = None
    return api


@pytest.mark.parametrize("target", ["akamai", "frends", "openapi"])
def test_probes_see_a_missing_feature(target: str) -> None:
    feature = next(f for f in FEATURES if f.what == "maxLength" and f.where[-1] == ("s",))
    assert carried(target, feature)
    emitter, options = TARGETS[target]
    doc = emit(_without_max_length(kitchen_sink()[0]), emitter, options).main().document
    probe = {"akamai": akamai_carried, "frends": oas_carried, "openapi": oas_carried}[target]
    assert not probe(doc, feature)


def test_reported_needs_pointer_and_name() -> None:
    feature = next(f for f in FEATURES if f.what == "pattern" and f.where[0] == "param")
    right = Diagnostic(Code.PATTERN_DROPPED, feature.pointer, "pattern '^x$' is not checked")
    assert reported(feature, [right])
    assert not reported(feature, [Diagnostic(Code.PATTERN_DROPPED, "", right.message)])
    assert not reported(feature, [Diagnostic(Code.ENUM_DROPPED, feature.pointer, "enum [1] is not checked")])
    parent = feature.pointer.rsplit("/", 2)[0]
    assert not reported(feature, [Diagnostic(Code.PATTERN_DROPPED, parent, right.message)])


# -- determinism across processes -----------------------------------------------------------------

_DIGESTS = """
import hashlib, json
from pathlib import Path
from migrate.emitters.base import emit
from migrate.readers import read_spec
from tests.emitters.test_loss_audit import TARGETS
from tests.fixtures.audit.kitchen_sink import kitchen_sink
specs = {p.name: read_spec(p) for p in sorted(Path("samples").glob("*.yaml"))}
specs["library-raml08"] = read_spec(Path("samples/library-raml08/api.raml"))
specs["kitchen-sink"] = kitchen_sink()[0]
out = {}
for name, api in specs.items():
    for target, (emitter, options) in TARGETS.items():
        payload = emit(api, emitter, options)
        text = "".join(f.name + f.text for f in payload.files) + "".join(d.render() for d in payload.report)
        out[f"{name}:{target}"] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
print(json.dumps(out, sort_keys=True))
"""


def _digests(seed: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", _DIGESTS], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    digests: dict[str, str] = json.loads(done.stdout)
    return digests


def test_payloads_identical_across_hash_seeds() -> None:
    assert (SAMPLES / "library-raml08" / "api.raml").exists()
    first, second = _digests("1"), _digests("4242")
    assert len(first) == 6 * (len(list(SAMPLES.glob("*.yaml"))) + 2)
    assert {k for k in first if first[k] != second.get(k)} == set()


def _model_classes() -> list[type]:
    import migrate.core.model as model

    return [c for c in vars(model).values()
            if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == model.__name__]


def _set_fields(node: Any, found: set[tuple[str, str]], seen: set[int]) -> None:
    """Every (class, field) of the model that holds a value other than its default somewhere."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            default = f.default if f.default is not dataclasses.MISSING else (
                f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
            if value != default and value is not None:
                found.add((type(node).__name__, f.name))
            _set_fields(value, found, seen)
    elif isinstance(node, dict):
        for value in node.values():
            _set_fields(value, found, seen)
    elif isinstance(node, list | tuple):
        for value in node:
            _set_fields(value, found, seen)


#: model fields that describe where the model came from, not a feature of the API
PROVENANCE = {("Api", "source"), ("Source", "format"), ("Source", "format_version"), ("Source", "path")}


def test_the_kitchen_sink_exercises_every_model_field() -> None:
    """A model field the kitchen sink never sets is a feature the audit cannot see being lost."""
    found: set[tuple[str, str]] = set()
    _set_fields(kitchen_sink()[0], found, set())
    every = {(c.__name__, f.name) for c in _model_classes() for f in dataclasses.fields(c)}
    assert sorted(every - found - PROVENANCE) == []
