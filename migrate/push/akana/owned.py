"""What "unchanged" means for Akana: the fields this tool sets, projected from the legacy body it
would send and from the documented objects it reads back (GET /api/apis/{APIID}, GET
/api/apis/versions/{APIVersionID}?includeOperations=true&includeTargetAPI=true), never a full
equality. The platform adds its own values (APIVersionID, InterfaceQName, WsdlOperationName,
ConnectionProperties, DefaultProfile, ...; seed 003:269-370) and applies settings we do not own
(visibility, access flags, further policies may come back otherwise: akana.yaml info.x-silent):
those are not compared. Compared with what the platform returns: the API's name and description; the version's
description; the proxy endpoints' fields we set (none when we set none); per operation its name,
method, path, inputs and the three content types. Compared with what the last push SENT (the
journal's local state, ``NOT_ECHOED``): the version's tags and policy keys, which the platform need
not return (seed 003 sends 3 policies and 3 tags and gets back 1 policy and no tag; akana.yaml
info.x-silent: "A client must not treat any of these differences as an error, nor expect any of
them"). Only without a local state for the version found are they compared with what the platform
returns (of the policies only the keys we set: policies the platform or an administrator added
are not ours). The
backend (TargetAPI) is the Live implementation's: compared and set there (implementations.py), so
that a changed backend changes that implementation only, not the version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migrate.push.protocol import Shape, add_to_shape

#: proxy endpoint fields the emitter may set (seed 003:98-104)
ENDPOINT_FIELDS = ("Category", "Uri", "CName", "DeploymentZoneRule")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value in (None, "") else [value]


def listed(container: Any, key: str) -> list[dict[str, Any]]:
    """The objects in a wrapper (``{"Endpoint": [...]}``); an empty XML wrapper reads as ""."""
    found = container.get(key) if isinstance(container, dict) else None
    return [v for v in as_list(found) if isinstance(v, dict)]


@dataclass(frozen=True)
class Owned:
    """Which endpoint fields this push sets (taken from the desired version)."""

    endpoint_fields: tuple[str, ...]
    backend: bool
    policies: tuple[str, ...] = ()

    @classmethod
    def of(cls, version: dict[str, Any]) -> Owned:
        fields = {k for e in listed(version.get("Endpoints"), "Endpoint") for k in e if k in ENDPOINT_FIELDS}
        backend = bool(listed((version.get("TargetAPI") or {}).get("Endpoints"), "Endpoint"))
        return cls(tuple(f for f in ENDPOINT_FIELDS if f in fields), backend, policy_keys(version))


def policy_keys(version: dict[str, Any]) -> tuple[str, ...]:
    """The version's policy keys (``Policies.Policy[].PolicyKey``, seed 003:143-158), sorted."""
    return tuple(sorted({str(p.get("PolicyKey")) for p in listed(version.get("Policies"), "Policy")
                         if p.get("PolicyKey")}))


def _endpoints(container: Any, fields: tuple[str, ...]) -> list[list[str]]:
    return sorted([str(e.get(f, "")) for f in fields] for e in listed(container, "Endpoint"))


def _operation(op: dict[str, Any]) -> list[Any]:
    inputs = sorted(f"{i.get('Type')} {i.get('Name')}" for i in as_list(op.get("Input")) if isinstance(i, dict))
    return [str(op.get("Method", "")).upper(), str(op.get("Path", "")), str(op.get("Name", "")), inputs,
            *(str(op.get(k) or "") for k in ("InputContentType", "OutputContentType", "FaultContentType"))]


#: the version fields we set that the platform need not return (seed 003: 3 policies and 3 tags sent,
#: 1 policy and no tag returned; akana.yaml info.x-silent): "unchanged" is decided for them on what
#: the last push sent (the journal's local state), never on what the platform returns
NOT_ECHOED = ("tags", "policies")


def echoed_part(version: dict[str, Any], owned: Owned) -> dict[str, Any]:
    """The version's fields we own that the platform returns (JSON and XML forms alike)."""
    return {
        "description": str(version.get("Description") or ""),
        "endpoints": _endpoints(version.get("Endpoints"), owned.endpoint_fields) if owned.endpoint_fields else None,
        "operations": sorted(_operation(op) for op in listed(version.get("Operations"), "Operation")),
    }


def sent_fields(version: dict[str, Any]) -> dict[str, Any]:
    """The ``NOT_ECHOED`` fields of a version we send: what the journal keeps of a push."""
    return {"tags": _tags(version), "policies": list(policy_keys(version))}


def returned_fields(version: dict[str, Any], owned: Owned) -> dict[str, Any]:
    """The ``NOT_ECHOED`` fields as a version the platform returns shows them; of the policies only
    the keys this push sets (the platform may attach policies of its own, seed 003:318-325)."""
    return {"tags": _tags(version), "policies": [k for k in policy_keys(version) if k in owned.policies]}


def _tags(version: dict[str, Any]) -> list[str]:
    return sorted({str(t) for t in as_list(version.get("Tag")) if t not in (None, "")})


def version_part(version: dict[str, Any], owned: Owned, sent: dict[str, Any] | None = None) -> dict[str, Any]:
    """The version's fields we own; the ``NOT_ECHOED`` ones from ``sent`` (what the last push sent)
    when given, else as ``version`` shows them."""
    return {**echoed_part(version, owned), **(sent if sent is not None else returned_fields(version, owned))}


def projection(api: dict[str, Any], version: dict[str, Any], owned: Owned,
               sent: dict[str, Any] | None = None) -> dict[str, Any]:
    """The fields we own of an API and one of its versions (``sent``: see ``version_part``)."""
    return {"name": str(api.get("Name") or ""), "description": str(api.get("Description") or ""),
            "version": version_part(version, owned, sent)}


def shape(version: dict[str, Any]) -> Shape:
    """Resource path -> method -> "location name" inputs, for the plan's diff."""
    out: Shape = {}
    for op in listed(version.get("Operations"), "Operation"):
        inputs = [f"{i.get('Type')} {i.get('Name')}" for i in as_list(op.get("Input")) if isinstance(i, dict)]
        add_to_shape(out, str(op.get("Path", "/")), str(op.get("Method", "GET")), inputs)
    return out
