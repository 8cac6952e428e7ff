"""``pull``: read one API from a vendor into the model, through the vendor's documented read
operations only, with a loss report both ways (``migrate.pull.akamai`` / ``akana``).

- Akamai: an endpoint by id or by exact name (List Endpoints with ``contains``), its latest
  version or ``version``; ``resources-detail`` of that version.
- Akana: an API by APIID, or by a name the push journal knows (Akana documents no lookup by name
  whose answer can be read: akana.yaml x-silent); its latest version (``LatestVersionID``) or the
  APIVersionID given as ``version``; with ``definition``, the version's description document in
  that Specification format (the valid values are not in the retrievable reference).
- Frends: refused with the reason. Its documented API returns a specification's id, name,
  activeVersion and description only, never its text (frends.yaml x-silent): nothing to read an
  API from, and nothing is made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate.core.diagnostics import Code, Report
from migrate.core.errors import PushError
from migrate.core.model import Api
from migrate.push.journal import Journal
from migrate.push.protocol import Client

#: Why Frends cannot be pulled (shown in the command's help and in its error).
FRENDS_UNREADABLE = ("Frends' documented API returns an API specification's id, name, activeVersion and description "
                     "only, never its text (seed 000; frends.yaml x-silent), so an API cannot be read back from Frends")


class PullError(PushError):
    """An API cannot be read from the vendor (not found, or not readable through documented calls)."""


@dataclass
class Pulled:
    """One API as read from a vendor: the model, the loss report, the vendor's ids and version."""

    vendor: str
    api: Api
    report: Report
    ids: dict[str, Any] = field(default_factory=dict)
    version: str | None = None


def pull_with(client: Client, ident: str, version: str | None = None, journal: Journal | None = None,
              definition: str | None = None) -> Pulled:
    """Read ``ident`` (an id or a name) from the vendor behind ``client``."""
    if client.vendor == "akamai":
        return _akamai(client, ident, version)
    if client.vendor == "akana":
        return _akana(client, ident, version, journal, definition)
    return _frends(client, ident)


# -- Akamai ---------------------------------------------------------------------------------------


def _akamai(client: Any, ident: str, version: str | None) -> Pulled:
    from migrate.pull.akamai import read_endpoint

    eid = int(ident) if ident.isdigit() else _akamai_named(client, ident)
    versions = client._versions(eid)  # 403/404 (the endpoint is not there) -> None
    if not versions:
        raise PullError("akamai", f"endpoint {ident} not found (or it has no versions)")
    numbers = sorted(int(v["versionNumber"]) for v in versions)
    number = numbers[-1] if version is None else _number(version)
    if number not in numbers:
        raise PullError("akamai", f"endpoint {ident} has no version {version} (it has {_listed(numbers)})")
    detail = client._detail(eid, number)
    if detail is None:
        raise PullError("akamai", f"version {number} of endpoint {eid} cannot be read")
    api, report = read_endpoint(detail, _akamai_settings(client, eid, number))
    return Pulled("akamai", api, report, {"endpointId": eid}, str(number))


def _akamai_settings(client: Any, eid: int, number: int) -> dict[str, Any]:
    """kind -> the version's settings object (akamai.json GET …/settings/{kind}); a kind answered
    403 (not in the contract's products) or 404 (nothing configured) is left out."""
    from migrate.pull.akamai import SETTINGS

    found: dict[str, Any] = {}
    for kind in SETTINGS:
        try:
            found[kind] = client.call("GET", f"/endpoints/{eid}/versions/{number}/settings/{kind}",
                                      f"read {kind} settings").json()
        except PushError as exc:
            if exc.status not in (403, 404):
                raise
    return found


def _number(version: str) -> int:
    if not version.isdigit():
        raise PullError("akamai", f"--version {version!r}: Akamai versions are numbers")
    return int(version)


def _listed(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _akamai_named(client: Any, name: str) -> int:
    """List Endpoints with ``contains`` (seed 002: 55-159); the one whose name is ``name``."""
    found = sorted({int(item["apiEndPointId"]) for item in client._pages("/endpoints", "search endpoints",
                                                                          "apiEndPoints", {"contains": name})
                    if str(item.get("apiEndPointName", "")).casefold() == name.casefold()})
    if not found:
        raise PullError("akamai", f"no endpoint named {name!r}")
    if len(found) > 1:
        raise PullError("akamai", f"{len(found)} endpoints are named {name!r} (ids {_listed(found)}): give the id")
    return found[0]


# -- Akana ----------------------------------------------------------------------------------------


def _akana(client: Any, ident: str, version: str | None, journal: Journal | None,
           definition: str | None) -> Pulled:
    from migrate.pull.akana import read_definition, read_version

    known = journal.state("akana", client.target, ident)["ids"] if journal is not None else {}
    api_id = str(known.get("apiId") or ident)
    api = client._read_api(api_id)
    if api is None:
        hint = "" if known else (" (Akana documents no lookup by name whose answer can be read: give the APIID, "
                                 "or a name a push from this folder's journal knows)")
        raise PullError("akana", f"API {ident!r} not found{hint}")
    version_id = version or api.get("LatestVersionID") or (api.get("APIVersion") or {}).get("APIVersionID")
    if not version_id:
        raise PullError("akana", f"API {api_id} shows no version to read")
    held = client._read_version(str(version_id))
    if held.get("APIID") not in (None, api_id):
        raise PullError("akana", f"version {version_id} is not a version of API {api_id}")
    model, report = read_version(api, held)
    if definition:
        text = client.call("GET", f"/apis/versions/{version_id}/definition/{definition}", "read API document",
                           headers={"Accept": "*/*"}).text
        model, report = _with_definition(read_definition(text, str(version_id), definition), report)
    return Pulled("akana", model, report, {"apiId": api_id, "apiVersionId": str(version_id)}, held.get("Name"))


def _with_definition(read: tuple[Api, Report], version_report: Report) -> tuple[Api, Report]:
    """The document's model; its reader's report plus what the version holds that no document says."""
    api, report = read
    report.extend([d for d in version_report if d.code is Code.VENDOR_FEATURE_NOT_READ])
    return api, report


# -- Frends ---------------------------------------------------------------------------------------


def _frends(client: Any, ident: str) -> Pulled:
    """Always refused; names the specification when the documented calls find it."""
    summary = client._summary(int(ident)) if ident.isdigit() else next(iter(client._named(ident)), None)
    if summary is None:
        raise PullError("frends", f"no API specification {ident!r}; and even one that exists cannot be pulled: "
                        f"{FRENDS_UNREADABLE}")
    raise PullError("frends", f"API specification {summary.get('id')} ({summary.get('name')!r}, active version "
                    f"{summary.get('activeVersion')}) cannot be pulled: {FRENDS_UNREADABLE}")


# -- listing (pull --all, migrate --all) ------------------------------------------------------------


def list_apis(client: Any, name_contains: str | None = None, journal: Journal | None = None,
              category: str | None = None) -> list[tuple[str, str]]:
    """(id, name) of every API a ``--all`` run reads, sorted by name then id. Akamai: List Endpoints
    (``contains`` narrows the list; the name is matched here; ``category``: an apiCategoryName,
    seed 002 List Endpoints). Akana documents no list whose items can be read (akana.yaml
    x-silent: RSS items without documented fields), so its APIs are those the push journal knows.
    Frends: refused (nothing can be read back)."""
    needle = (name_contains or "").casefold()
    if category is not None and client.vendor != "akamai":
        raise PullError(client.vendor, "only Akamai lists APIs by category (--category)")
    if client.vendor == "akamai":
        params = {"contains": name_contains} if name_contains else {}
        if category is not None:
            params["category"] = category
        found = {(str(item["apiEndPointId"]), str(item.get("apiEndPointName", "")))
                 for item in client._pages("/endpoints", "list endpoints", "apiEndPoints", params)}
    elif client.vendor == "akana":
        entries = journal.entries() if journal is not None else []
        names = {str(e.get("key")) for e in entries if e.get("vendor") == "akana" and e.get("target") == client.target}
        known = {n: (journal.state("akana", client.target, n)["ids"] if journal else {}).get("apiId") for n in names}
        found = {(str(api_id), name) for name, api_id in known.items() if api_id}
    else:
        raise PullError("frends", FRENDS_UNREADABLE)
    return sorted((i, n) for i, n in found if needle in n.casefold())
