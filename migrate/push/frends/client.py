"""Frends API management client (seed 000, contract ``migrate/push/contracts/frends.yaml``).

It relies on the documented members only: a specification is ``{id, name, activeVersion,
description}``; its text, base path, published state and Agent Groups are never returned
(x-silent). So:

- an API is keyed by its base path (the one thing Frends keeps unique) and found by the id the
  journal kept when it was created; without a journal, by its name among all listed pages;
- "unchanged" is decided on the local state (``find`` returns no definition; ``plan.decide`` then
  compares the journal's fingerprint of the last push), and the plan says so;
- import creates, PUT replaces the active version's text, publish locks it, deploy puts the
  published version on an Agent Group and then its Processes through process-deployments
  (``deploy.py``); passthrough configurations are synced on the active version.

Auth is ``Authorization: Bearer <token>``, the form the reference documents (info.x-auth-note).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

import requests
from requests.auth import AuthBase

from migrate.core.errors import AuthError, ConflictError, PushError, UsageError
from migrate.core.status import Action
from migrate.emitters.base import EmitOptions
from migrate.push.frends import deploy, processes, state
from migrate.push.frends.listing import read_all
from migrate.push.frends.passthrough import pending, sync_passthrough
from migrate.push.http import MaybeCommitted, RetryPolicy, create_once, make_session, send
from migrate.push.protocol import (
    Definition,
    Delivery,
    Followup,
    PushOptions,
    Remote,
    header_value,
    json_document,
    log,
    openapi_shape,
    payload_file,
)

V = "frends"
SPECS = "/api-management/api-specifications"
DOCUMENT = "frends-openapi.json"
PASSTHROUGH = "frends-passthrough.json"
#: seed 000: 'This can be a very slow action: use a long client timeout'
IMPORT_TIMEOUT = 300.0
MODES = EmitOptions.__dataclass_fields__["frends_mode"].metadata["option"].choices  # --frends-mode


class BearerAuth(AuthBase):
    """``Authorization: Bearer <token>`` (the reference's bearerAuth); the token never prints."""

    def __init__(self, token: str) -> None:
        self._token = header_value(V, "the API key", token)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth('***')"


class FrendsClient:
    """The Frends side of ``plan`` and ``push`` (``migrate.push.protocol.Client``)."""

    vendor = V
    id_key = "specId"
    finds_by_name = True

    def __init__(self, base_url: str, api_key: str, policy: RetryPolicy | None = None,
                 mode: str | None = None) -> None:
        self.target = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.session = make_session(self.policy)
        self.session.auth = BearerAuth(api_key)
        self._warned: set[tuple[int, int]] = set()
        if mode is not None and mode not in MODES:
            raise UsageError(f"frends: the profile's frends_mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.profile_mode = mode
        self.mode = mode or "passthrough"
        self._known: dict[str, Any] = {}  # the ids find() was given (the plan of an update shows its Processes)

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        """One request to ``path`` below the API root (``…/api/v1``)."""
        log.debug("frends %s %s", method, path)
        return send(self.session, V, method, self.target + path, action, self.policy, **kwargs)

    def emit_options(self, options: EmitOptions) -> EmitOptions:
        """--frends-mode, else the profile's frends_mode, else passthrough. Processes mode makes a
        Process per operation, so it does not take passthrough configurations as well."""
        self.mode = options.frends_mode or self.profile_mode or "passthrough"
        if self.mode == "processes" and options.passthrough_target:
            raise UsageError("--frends-mode processes makes a Process for every operation; --passthrough-target "
                             "forwards them to a backend instead: give one of the two")
        return replace(options, frends_mode=self.mode)

    def document(self, delivery: Delivery) -> dict[str, Any]:
        return dict(json_document(delivery, DOCUMENT))

    def title(self, delivery: Delivery) -> str:
        return str(self.document(delivery)["info"]["title"])

    def key(self, delivery: Delivery) -> str:
        return base_path(self.document(delivery))

    def desired(self, delivery: Delivery) -> Definition:
        document = self.document(delivery)
        return Definition(document, openapi_shape(document))

    def find(self, delivery: Delivery, known: dict[str, Any]) -> Remote | None:
        """The API by the journal's id; with no journal, the only one listed under its name. Its
        definition is None: Frends gives no way to read a specification's text back."""
        ids = dict(known.get("ids") or {})
        self._known = ids
        if ids.get("specId") is not None:
            summary = self._summary(int(ids["specId"]))
            if summary is None:  # deleted at Frends
                return None
            self._check_title(ids, delivery)
            return _remote(summary, ids, "journal")
        named = self._named(self.title(delivery))
        if len(named) == 1:
            return _remote(named[0], {"title": self.title(delivery)}, "name")
        return None

    def _check_title(self, ids: dict[str, Any], delivery: Delivery) -> None:
        """One API per base path: another spec on it is refused rather than written over it."""
        pushed, title = ids.get("title"), self.title(delivery)
        if pushed is not None and pushed != title:
            raise ConflictError(V, f"base path {self.key(delivery)} holds API specification {ids['specId']}, "
                                f"pushed from {pushed!r} (local state), not {title!r}: Frends keeps one API per "
                                "base path; delete that API in Frends or give this spec another base path")

    def _summary(self, sid: int) -> dict[str, Any] | None:
        try:
            return dict(self.call("GET", f"{SPECS}/{sid}", "read API specification").json()["data"])
        except PushError as exc:
            if exc.status == 404:  # x-silent: the terraform provider reads 404 as not found
                return None
            raise

    def _named(self, title: str) -> list[dict[str, Any]]:
        """Every listed specification whose name is ``title``, by id (the only handle the list gives)."""
        listed = read_all(self, SPECS, "list API specifications")
        return sorted((s for s in listed if str(s.get("name")).casefold() == title.casefold()),
                      key=lambda s: int(s["id"]))

    def change_kind(self, remote: Remote) -> str:
        return Action.UPDATE

    def create(self, delivery: Delivery) -> Remote:
        """Import. After an unknown outcome, a new specification under the title is the one made."""
        title = self.title(delivery)
        before = {int(s["id"]) for s in self._named(title)}

        def post() -> Remote:
            created = self.call("POST", f"{SPECS}/import", "import API specification", timeout=IMPORT_TIMEOUT,
                                files={"file": ("openapi.json", self.document_text(delivery).encode(),
                                                "application/json")})
            return self._written(dict(created.json()["data"]), {"title": title}, delivery)

        def lookup() -> Remote | None:
            new = [s for s in self._named(title) if int(s["id"]) not in before]
            return self._written(new[0], {"title": title}, delivery) if len(new) == 1 else None

        return create_once(post, lookup, self.policy)

    def document_text(self, delivery: Delivery) -> str:
        found = payload_file(delivery, DOCUMENT)
        if found is None:
            raise PushError(V, f"the payload has no {DOCUMENT}")
        return found.text

    def change(self, delivery: Delivery, remote: Remote) -> Remote:
        """Replace the active version's text (seed 000: PUT …/{id} with the text as a JSON string)."""
        sid = int(remote.ids["specId"])
        try:
            self.call("PUT", f"{SPECS}/{sid}", "update API specification", json=self.document_text(delivery))
        except PushError as exc:
            if remote.state.get("foundBy") != "name" or not _refusal(exc):
                raise
            # found by name only and it refused this text: another API under the same name (its base
            # path differs, which Frends does not let change), so this one is not there yet
            log.info("frends: API specification %s refused the text (%s): importing instead", sid, exc)
            return self.create(delivery)
        summary = self._summary(sid)
        if summary is None:
            raise PushError(V, f"API specification {sid} vanished right after it was updated")
        return self._written(summary, remote.ids, delivery)

    def _written(self, summary: dict[str, Any], ids: dict[str, Any], delivery: Delivery) -> Remote:
        """The API right after this payload was written into its active version."""
        remote = _remote(summary, ids, "write")
        remote.ids = state.written(remote.ids, delivery, state.active(remote))
        return remote

    def followups(self, delivery: Delivery, remote: Remote | None, options: PushOptions) -> list[Followup]:
        """passthrough or (processes mode) the Processes, publish, deploy (the API version, then its
        Processes), in that order."""
        steps = []
        configs = self._passthrough(delivery)
        unsynced = configs is not None and (remote is None or self._unsynced(remote, configs))
        if unsynced:
            steps.append(Followup("passthrough", "sync passthrough configurations of the active version"))
        pending = False
        if self.mode == "processes":
            todo = self._process_plan(delivery, remote)
            pending = todo.pending
            if pending:
                steps.append(Followup("import-processes", todo.describe() + " (from the process templates of the "
                                      "active version, through batch-import)"))
            elif todo.kept or todo.stale or todo.unsettled:
                log.warning("frends: %s", todo.describe())
        published = None if remote is None or unsynced or pending else self._published(remote, delivery)
        if options.publish and published is None:
            steps.append(Followup("publish", "publish the active version"))
        if options.deploy is not None:
            steps += self._deploy_steps(remote, published, options)
        return steps

    def _process_plan(self, delivery: Delivery, remote: Remote | None) -> processes.ProcessPlan:
        """The Processes to make or update; for an API still to be written, from what find() knew."""
        ids = remote.ids if remote is not None else self._known
        return processes.plan(self, self.document(delivery), ids)

    def _published(self, remote: Remote, delivery: Delivery) -> int | None:
        """The locked version holding this payload (and, in processes mode, the Processes the state
        holds: publishing locks the Process versions too, seed 000:473-509)."""
        number = state.published_version(remote, delivery)
        if self.mode == "processes" and remote.ids.get("processesPublished") != processes.digest(remote.ids):
            return None
        return number

    def _passthrough(self, delivery: Delivery) -> list[dict[str, Any]] | None:
        if payload_file(delivery, PASSTHROUGH) is None:
            return None
        return list(json_document(delivery, PASSTHROUGH))

    def _unsynced(self, remote: Remote, configs: list[dict[str, Any]]) -> bool:
        return pending(self, int(remote.ids["specId"]), state.active(remote), configs) > 0

    def _deploy_steps(self, remote: Remote | None, published: int | None, options: PushOptions) -> list[Followup]:
        group = int(options.deploy or 0)
        if remote is None and self.mode == "processes":
            return [Followup("deploy", f"deploy the published version to Agent Group {group}, then the API's "
                             "Processes through process-deployments")]
        if remote is None:
            return [Followup("deploy", f"deploy the published version to Agent Group {group}, then the API's "
                             "Processes that Frends holds through process-deployments; a new API has none, so its "
                             f"Processes are NOT DEPLOYED and its deployment stays incomplete: {deploy.NEW_API}")]
        sid = int(remote.ids["specId"])
        processes = deploy.api_processes(self, sid, deploy.journal_guids(remote.ids))
        if published is None or state.deployed_version(remote, group) != published:
            if published is not None:
                number = f"version {published}"
            elif options.publish:
                number = "the version publishing locks"
            else:
                number = "(refused: the active version is not published; add --publish)"
            return [Followup("deploy", f"deploy {number} to Agent Group {group}, then "
                             + _processes_note(sid, group, processes))]
        missing = deploy.undeployed(self, group, processes)
        if missing:
            return [Followup("processes", f"deploy {len(missing)} Process(es) of API specification {sid} to "
                             f"Agent Group {group} through process-deployments")]
        if not processes:
            self._warn(sid, group)
        return []

    def _warn(self, sid: int, group: int) -> None:
        """Once per API and Agent Group: the Processes are not deployed, and why."""
        if (sid, group) not in self._warned:
            self._warned.add((sid, group))
            deploy.warn_undeployed(sid, group)

    def run_followup(self, step: Followup, delivery: Delivery, remote: Remote, options: PushOptions) -> None:
        sid = int(remote.ids["specId"])
        if step.name == "passthrough":
            sync_passthrough(self, sid, state.active(remote), self._passthrough(delivery) or [])
        elif step.name == "import-processes":
            made = processes.sync(self, sid, state.active(remote), self.document(delivery), remote.ids)
            remote.ids[processes.STATE_KEY] = made
        elif step.name == "publish":
            deploy.publish(self, remote, delivery)
            if self.mode == "processes":
                remote.ids["processesPublished"] = processes.digest(remote.ids)
        elif step.name == "deploy" and not deploy.deploy(self, remote, delivery, int(options.deploy or 0)):
            self._warn(sid, int(options.deploy or 0))
        elif step.name == "processes":
            deploy.deploy_api_processes(self, sid, int(options.deploy or 0), deploy.journal_guids(remote.ids))


def _refusal(exc: PushError) -> bool:
    """The vendor refused the request (any 4xx but auth): no particular status is documented."""
    return not isinstance(exc, AuthError | MaybeCommitted) and exc.status is not None and 400 <= exc.status < 500


def _processes_note(sid: int, group: int, processes: list[deploy.Process]) -> str:
    if processes:
        return f"its {len(processes)} Process(es) through process-deployments"
    return (f"its Processes: NOT DEPLOYED, the API deployment stays incomplete (seed 000): {deploy.WHY_NONE} "
            f"(API specification {sid}, Agent Group {group})")


def _remote(summary: dict[str, Any], ids: dict[str, Any], found_by: str) -> Remote:
    """A Remote from a DtoApiSpecification and the local state; never a definition."""
    active = int(summary["activeVersion"])
    return Remote({**ids, "specId": int(summary["id"])}, str(active), False, None,
                  {"name": summary.get("name"), "foundBy": found_by})


def base_path(document: dict[str, Any]) -> str:
    """Seed 000: basePath (OpenAPI 2) / the first server URL's path (OpenAPI 3)."""
    if "swagger" in document:
        raw = str(document.get("basePath") or "/")
    else:
        servers = document.get("servers") or [{}]
        raw = urlparse(str(servers[0].get("url") or "/")).path if isinstance(servers[0], dict) else "/"
    return "/" + raw.strip("/")
