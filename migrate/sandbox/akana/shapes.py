"""How the Akana sandbox stores what it is sent and shows what it holds, as Akana's documents show
it (migrate/push/contracts/akana.yaml; seed 003's responses):

- stored objects keep only the fields the contract documents (a field the platform does not know
  is not kept, so it never comes back);
- the platform's own values are added on the way out: ``InterfaceQName`` and ``WsdlOperationName``
  on operations (seed 003:250,301-302), ``ConnectionProperties`` on endpoints (003:313-314,334-335),
  ``DefaultProfile`` on the version and its TargetAPI (003:282,328), ``ProductionEndpoint`` from the
  Production endpoint (APIVersion object: "typically the same as the URI for the Live endpoint");
- an operation path written as "/<verb> <path>" comes back rewritten as seed 003 shows it
  ("/get /pet/{petId}" with input petId -> "/pet/{path:.+|}" with input path, 003:67-71 vs 291-299).
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

#: seed 003 (sample responses): the default media-type profile
DEFAULT_PROFILE = "Any in and out"
#: APIVersion fields the contract documents, without the ones shown separately (see version_view)
VERSION_FIELDS = ("APIVersionID", "APIID", "Name", "Description", "Environment", "Type", "DefaultProfile",
                  "DefaultInputContentType", "DefaultOutputContentType", "DefaultFaultContentType", "Tag",
                  "ProductionEndpoint", "SandboxEndpoint", "Visibility", "Policies",
                  "ProductionEndpointAccessAutoApproved", "SandboxEndpointAccessAutoApproved",
                  "ProductionAnonymousAccessAllowed", "SandboxAnonymousAccessAllowed",
                  "ResourceLevelPermissionsSupported", "ProductionServiceKey")
DESIGN_FIELDS = (*VERSION_FIELDS, "Endpoints", "Operations", "TargetAPI")
API_FIELDS = ("APIID", "Name", "Description", "Summary", "Visibility", "PictureID")
TARGET_FIELDS = ("Type", "DefaultProfile", "DefaultInputContentType", "DefaultOutputContentType",
                 "DefaultFaultContentType", "Policies")
ENDPOINT_FIELDS = ("Category", "Uri", "CName", "DeploymentZoneRule", "ConnectionProperties", "BindingType",
                   "EndpointKey", "ImplementationCode")
OPERATION_FIELDS = ("Name", "Method", "Path", "Input", "InputContentType", "OutputContentType", "FaultContentType")
#: the catch-all path segment and input of seed 003's rewritten operation
CATCH_ALL, CATCH_ALL_INPUT = "{path:.+|}", {"Name": "path", "Type": "path"}


def pick(data: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """A deep copy of the documented ``fields`` of ``data`` (nothing when it is not an object)."""
    if not isinstance(data, dict):
        return {}
    return {k: copy.deepcopy(data[k]) for k in fields if k in data}


def items(container: Any, key: str) -> list[Any]:
    """The list inside a wrapper object (``{"Endpoint": [...]}``); [] when absent or malformed."""
    found = container.get(key) if isinstance(container, dict) else None
    return [v for v in found if isinstance(v, dict)] if isinstance(found, list) else []


# -- storing ---------------------------------------------------------------------------------------


def stored_version(body: dict[str, Any]) -> dict[str, Any]:
    """What the platform keeps of an APIVersion it is sent (ids are set by the caller)."""
    version = pick(body, DESIGN_FIELDS)
    version.pop("APIVersionID", None)
    version.pop("APIID", None)
    if "Endpoints" in version:
        version["Endpoints"] = {"Endpoint": [pick(e, ENDPOINT_FIELDS) for e in items(version["Endpoints"], "Endpoint")]}
    if "Operations" in version:
        version["Operations"] = {"Operation": [rewritten(o) for o in items(version["Operations"], "Operation")]}
    if "TargetAPI" in version:
        version["TargetAPI"] = stored_target(version["TargetAPI"])
    return version


def stored_target(body: Any) -> dict[str, Any]:
    target = pick(body, (*TARGET_FIELDS, "Endpoints", "Operations"))
    if "Endpoints" in target:
        target["Endpoints"] = {"Endpoint": [pick(e, ENDPOINT_FIELDS) for e in items(target["Endpoints"], "Endpoint")]}
    if "Operations" in target:
        target["Operations"] = {"Operation": [rewritten(o) for o in items(target["Operations"], "Operation")]}
    return target


def rewritten(operation: dict[str, Any]) -> dict[str, Any]:
    """An operation as stored. A path written as "/<verb> <path>" (seed 003 request #1) is
    rewritten as seed 003's response shows: the literal segments, then ``{path:.+|}``, and the path
    inputs replaced by the one input ``path``."""
    op = pick(operation, OPERATION_FIELDS)
    path = str(op.get("Path", ""))
    if " " not in path.strip():
        return op
    literal = []
    for segment in path.strip().split(" ")[-1].split("/")[1:]:
        if "{" in segment:
            break
        literal.append(segment)
    op["Path"] = "/" + "/".join([*literal, CATCH_ALL])
    kept = [i for i in op.get("Input") or [] if isinstance(i, dict) and i.get("Type") != "path"]
    op["Input"] = [*kept, dict(CATCH_ALL_INPUT)]
    return op


# -- showing ---------------------------------------------------------------------------------------


def interface_qname(fed: str, version_id: str) -> str:
    """Seed 003:301: ``{uri:acmepaymentscorp}PortType_svc_<APIVersionID>.production``."""
    return f"{{uri:{fed}}}PortType_svc_{version_id}.production"


def operation_view(op: dict[str, Any], qname: str) -> dict[str, Any]:
    return {**copy.deepcopy(op), "InterfaceQName": qname, "WsdlOperationName": op.get("Name", "")}


def endpoints_view(endpoints: Any) -> dict[str, Any]:
    return {"Endpoint": [{**copy.deepcopy(e), "ConnectionProperties": copy.deepcopy(e.get("ConnectionProperties")
                                                                                 or [])}
                         for e in items(endpoints, "Endpoint")]}


def target_view(target: dict[str, Any], qname: str, operations: bool) -> dict[str, Any]:
    out = pick(target, TARGET_FIELDS)
    out.setdefault("DefaultProfile", DEFAULT_PROFILE)
    out["Endpoints"] = endpoints_view(target.get("Endpoints"))
    if operations:
        out["Operations"] = {"Operation": [operation_view(o, qname) for o in items(target.get("Operations"),
                                                                                   "Operation")]}
    return out


def version_view(version: dict[str, Any], fed: str, operations: bool = True, target: bool = True,
                 design: bool = True) -> dict[str, Any]:
    """An APIVersion as GET /api/apis/versions/{id} and the create operations return it:
    ``operations``/``target`` as includeOperations/includeTargetAPI; ``design=False`` for the
    summary embedded in an API object (no endpoints, operations or target there)."""
    out = pick(version, VERSION_FIELDS)
    out.setdefault("DefaultProfile", DEFAULT_PROFILE)
    out.setdefault("Tag", [])
    qname = interface_qname(fed, str(version["APIVersionID"]))
    production = [e for e in items(version.get("Endpoints"), "Endpoint") if e.get("Category") == "Production"]
    if production and "Uri" in production[0]:
        out.setdefault("ProductionEndpoint", production[0]["Uri"])
    if not design:
        out.pop("Policies", None)
        return out
    out["Endpoints"] = endpoints_view(version.get("Endpoints"))
    if operations:
        out["Operations"] = {"Operation": [operation_view(o, qname) for o in items(version.get("Operations"),
                                                                                   "Operation")]}
    if target and isinstance(version.get("TargetAPI"), dict):
        out["TargetAPI"] = target_view(version["TargetAPI"], qname, operations)
    return out


def api_view(entry: dict[str, Any], fed: str, full: bool = False) -> dict[str, Any]:
    """An API: its fields, ``Tag`` (response-only: the latest version's tags), ``LatestVersionID``
    and the latest version (in full only in the create response, as seed 003 shows it)."""
    out = pick(entry["api"], API_FIELDS)
    versions = list(entry["versions"].values())
    if not versions:
        return {**out, "Tag": []}
    latest = versions[-1]
    out["Tag"] = copy.deepcopy(latest.get("Tag") or [])
    out["LatestVersionID"] = latest["APIVersionID"]
    out["APIVersion"] = version_view(latest, fed, design=full)
    return out


def rss(title: str, count: int) -> dict[str, Any]:
    """An RSS channel as akana.yaml's RSSChannel allows it: the item fields are not documented
    (the reference's "RSS item values" table is not retrievable), so items carry none."""
    return {"title": title, "item": [{} for _ in range(count)], "version": "1.0"}


# -- implementations (implementations.py) ----------------------------------------------------------

#: the connection properties of the documented sample endpoint (m_apis_saveServiceEndpoints.htm)
DEFAULT_CONNECTION = [{"Name": "http.version", "Value": "unspecified"},
                      {"Name": "http.chunked.encoding", "Value": "true"}]


def service_key() -> str:
    """A platform-assigned key, ``uddi:{uuid}`` as the samples show them."""
    return f"uddi:{uuid.uuid4()}"


def service_endpoint(uri: str, key: str | None = None) -> dict[str, Any]:
    return {"Uri": uri, "ConnectionProperties": copy.deepcopy(DEFAULT_CONNECTION), "BindingType": "binding.http",
            "EndpointKey": key or service_key()}


def new_implementation(uris: list[str], description: str | None = None) -> dict[str, Any]:
    """An implementation as stored: its virtual and physical service keys and backend endpoints."""
    record: dict[str, Any] = {"ServiceKey": service_key(), "PhysicalKey": service_key(),
                              "Endpoint": [service_endpoint(u) for u in uris]}
    if description is not None:
        record["Description"] = description
    return record


def live_for(version: dict[str, Any]) -> dict[str, Any]:
    """The Live implementation the platform makes with a version: the TargetAPI's backend."""
    target = version.get("TargetAPI") if isinstance(version.get("TargetAPI"), dict) else {}
    uris = [str(e["Uri"]) for e in items((target or {}).get("Endpoints"), "Endpoint") if e.get("Uri")]
    return new_implementation(uris)
