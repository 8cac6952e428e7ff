"""What every vendor client offers to ``plan`` and ``push``: the desired definition of a converted
spec, the vendor's current one (looked up by natural key), create / change, and follow-up steps
(activate, publish, deploy, passthrough configs).

A ``Definition`` has a normalized ``body`` (compared for equality: equal means nothing to do) and a
``shape`` (resource path -> method -> sorted parameters) from which plans show a readable diff.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests

from migrate.core.diagnostics import Diagnostic
from migrate.core.errors import AuthError, PushError
from migrate.emitters.base import EmitOptions, Payload, PayloadFile

log = logging.getLogger("migrate.push")

#: resource path -> method -> sorted "location name" strings
Shape = dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class Delivery:
    """What a push sends: the payload for one target exactly as converted (and written), plus the
    source's name for messages. Clients read only this; they never read or convert a spec."""

    source: str
    payload: Payload

    @property
    def target(self) -> str:
        return self.payload.target

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.payload.report.items

    @classmethod
    def from_files(cls, source: str, target: str, files: list[Path]) -> Delivery:
        """A payload read back from the files a conversion wrote (``batch`` output)."""
        payload = Payload(target)
        for f in files:
            media = "application/xml" if f.suffix == ".xml" else "application/json"
            payload.files.append(PayloadFile(f.name, f.read_text(encoding="utf-8"), media))
        return cls(source, payload)


@dataclass
class Definition:
    """``local`` (a desired definition): the fields the vendor need not return, as this push sends
    them; the journal keeps them with the push (``Journal.state``'s ``local``), so that the next
    plan can compare with what was sent. ``origin`` (a held definition): JSON pointer into
    ``body`` -> where the value there came from, when not from the vendor's answer (the plan's
    diff says it)."""

    body: Any
    shape: Shape
    local: dict[str, Any] | None = None
    origin: dict[str, str] = field(default_factory=dict)


@dataclass
class Remote:
    """What the vendor holds for one API: ids, the latest version, whether it is locked, its
    definition and vendor facts the follow-up steps need (``state``). ``definition`` is None when
    the vendor's documented API gives no way to read the definition back (Frends: a
    specification's content): "unchanged" then rests on the local state (the journal's
    fingerprint of what was pushed), and the plan says so."""

    ids: dict[str, Any]
    version: str | None
    locked: bool
    definition: Definition | None
    state: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PushOptions:
    activate: str | None = None  # staging | production (Akamai)
    publish: bool = False  # Frends
    deploy: int | None = None  # Frends Agent Group id
    wait: bool = True  # Akamai: wait until an activation is ACTIVE (or FAILED)
    wait_timeout: float = 1800.0  # seconds
    adopt: str | None = None  # the vendor's id of an API created by an earlier push whose outcome was unknown
    assume_absent: bool = False  # the operator checked: that earlier create did not happen
    deactivate: str | None = None  # staging | production (Akamai): deactivate the version active there


@dataclass(frozen=True)
class Followup:
    """A step after the definition is in place, e.g. ``("activate", "activate version 2 on STAGING")``."""

    name: str
    description: str


class Client(Protocol):
    vendor: str
    target: str  # where the client talks to (base URL): part of the journal key
    id_key: str  # the name of the vendor's id of an API in ``Remote.ids`` (what ``--adopt`` sets)
    finds_by_name: bool  # whether find() can look an API up by its natural key without a known id

    def emit_options(self, options: EmitOptions) -> EmitOptions: ...

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response: ...

    def key(self, delivery: Delivery) -> str: ...

    def desired(self, delivery: Delivery) -> Definition: ...

    def find(self, delivery: Delivery, known: dict[str, Any]) -> Remote | None: ...

    def change_kind(self, remote: Remote) -> str: ...

    def create(self, delivery: Delivery) -> Remote: ...

    def change(self, delivery: Delivery, remote: Remote) -> Remote: ...

    def followups(self, delivery: Delivery, remote: Remote | None, options: PushOptions) -> list[Followup]: ...

    def run_followup(self, step: Followup, delivery: Delivery, remote: Remote, options: PushOptions) -> None: ...


def header_value(vendor: str, what: str, value: str) -> str:
    """A credential that goes into an HTTP header, without surrounding whitespace. One with inner
    whitespace or control characters is refused here, naming ``what`` only: requests would refuse
    it with an InvalidHeader error that quotes the whole header, credential included."""
    value = value.strip()
    if not value or any(c.isspace() or not c.isprintable() for c in value):
        raise AuthError(vendor, f"{what} is empty or contains whitespace or control characters")
    return value


def source_hash(delivery: Delivery) -> str:
    """sha256 over the target and every payload file: what would be sent."""
    digest = hashlib.sha256(delivery.target.encode())
    for f in delivery.payload.files:
        digest.update(b"\0" + f.name.encode() + b"\0" + f.text.encode("utf-8"))
    return digest.hexdigest()


def payload_file(delivery: Delivery, *names: str) -> PayloadFile | None:
    for f in delivery.payload.files:
        if f.name in names:
            return f
    return None


def json_document(delivery: Delivery, name: str) -> Any:
    found = payload_file(delivery, name)
    if found is None:
        raise PushError(delivery.target, f"the payload has no {name}")
    return json.loads(found.text)


def strip(value: Any, drop: frozenset[str]) -> Any:
    """``value`` without the keys in ``drop`` (at any depth) and without null values."""
    if isinstance(value, dict):
        return {k: strip(v, drop) for k, v in value.items() if k not in drop and v is not None}
    if isinstance(value, list):
        return [strip(v, drop) for v in value]
    return value


def add_to_shape(shape: Shape, path: str, method: str, params: list[str]) -> None:
    shape.setdefault(path or "/", {})[method.upper()] = sorted(set(params))


def openapi_shape(document: Any) -> Shape:
    """The shape of an OpenAPI 2/3 document (path-level parameters included)."""
    shape: Shape = {}
    paths = document.get("paths") if isinstance(document, dict) else None
    for path, item in sorted((paths or {}).items()):
        if not isinstance(item, dict):
            continue
        shared = _param_names(item.get("parameters"))
        for method, op in item.items():
            if method in {"get", "put", "post", "delete", "options", "head", "patch", "trace"} and isinstance(op, dict):
                add_to_shape(shape, path, method, shared + _param_names(op.get("parameters")))
    return shape


def _param_names(params: Any) -> list[str]:
    out = []
    for p in params or []:
        if isinstance(p, dict) and "name" in p:
            out.append(f"{p.get('in', '?')} {p['name']}")
        elif isinstance(p, dict) and "$ref" in p:
            out.append(f"ref {p['$ref'].rsplit('/', 1)[-1]}")
    return out
