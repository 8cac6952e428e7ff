"""``plan``: read what the vendor holds for an API (by natural key) and say what ``push`` would do
(create, new version, update or nothing), with a readable diff of resources, methods and
parameters. The source hash in the journal tells "unchanged since the last push" apart from
"someone changed the vendor side": both the hash and the vendor's definition are compared."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import jsonpatch
import jsonpointer

from migrate.core.errors import OutcomeUnknown
from migrate.core.status import Action
from migrate.push.journal import Journal
from migrate.push.protocol import Client, Definition, Delivery, Followup, PushOptions, Remote, Shape, source_hash


@dataclass(frozen=True)
class Change:
    """One line of a diff: ``sign`` + (added), - (removed) or ~ (changed); ``what`` resource,
    method, parameter or details; ``where`` e.g. ``GET /pets/{id}``."""

    sign: str
    what: str
    where: str

    def render(self) -> str:
        return f"{self.sign} {self.what} {self.where}"


@dataclass
class Plan:
    vendor: str
    target: str
    key: str
    source: str
    action: str
    reason: str
    source_hash: str
    remote: Remote | None
    diff: list[Change] = field(default_factory=list)
    followups: list[Followup] = field(default_factory=list)
    local: dict[str, Any] | None = None  # the desired definition's ``local`` (kept by the journal)

    @property
    def changes_anything(self) -> bool:
        return self.action != Action.NOTHING or bool(self.followups)

    def to_json(self) -> dict[str, Any]:
        remote = self.remote
        return {
            "vendor": self.vendor, "target": self.target, "key": self.key, "source": self.source,
            "action": self.action, "reason": self.reason, "sourceHash": self.source_hash,
            "remote": None if remote is None else {"ids": remote.ids, "version": remote.version,
                                                   "locked": remote.locked, "definitionHash": _hash_of(remote)},
            "diff": [{"sign": c.sign, "what": c.what, "where": c.where} for c in self.diff],
            "then": [{"step": f.name, "description": f.description} for f in self.followups],
        }


def _hash_of(remote: Remote) -> str | None:
    """A digest of everything the vendor showed of the definition (the saved-plan check compares it,
    not the diff lines, which are cut short)."""
    if remote.definition is None:
        return None
    text = json.dumps(remote.definition.body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def make_plan(delivery: Delivery, client: Client, journal: Journal | None = None,
              options: PushOptions | None = None) -> Plan:
    """What ``push`` would do for ``delivery`` at the vendor behind ``client``."""
    key = client.key(delivery)
    options = options or PushOptions()
    known = journal.state(client.vendor, client.target, key) if journal else {"ids": {}}
    if options.adopt:
        known = {**known, "ids": {client.id_key: options.adopt}}
    desired = client.desired(delivery)
    remote = client.find(delivery, known)
    if remote is None and unfinished_create(known) and not client.finds_by_name and not options.assume_absent:
        raise OutcomeUnknown(client.vendor, f"an earlier create of {key!r} has an unknown outcome (the journal saw it "
                             "start and never learnt its id); it is not sent again blindly. "
                             + operator_steps(client.vendor, key, client.id_key))
    digest = source_hash(delivery)
    action, reason = decide(client, desired, remote, known, digest)
    diff = plan_diff(action, remote, desired)
    followups = client.followups(delivery, remote if action == Action.NOTHING else None, options)
    return Plan(client.vendor, client.target, key, delivery.source, action, reason, digest, remote,
                diff, followups, desired.local)


#: Journal step: a create that certainly made nothing (refused with a 4xx, or never sent).
CREATE_FAILED = "create-failed"


def unfinished_create(known: dict[str, Any]) -> bool:
    """The journal saw a create start for this API, never learnt its id, and does not know that
    it failed."""
    steps = list(known.get("steps") or [])
    start = f"start-{Action.CREATE}"
    if start not in steps or known.get("ids"):
        return False
    last = len(steps) - 1 - steps[::-1].index(start)
    return CREATE_FAILED not in steps[last + 1:]


def operator_steps(vendor: str, name: str, id_key: str) -> str:
    return (f"Check {vendor} for an API named {name!r}: if it is there, re-run with --adopt ID (its {id_key}); "
            "if it is not, re-run with --assume-absent.")


def plan_diff(action: str, remote: Remote | None, desired: Definition) -> list[Change]:
    """What changes, as far as the vendor shows its definition: against nothing for a create; no
    line-by-line diff when the vendor cannot return what it holds (only the fingerprint differs)."""
    if action == Action.NOTHING:
        return []
    if remote is not None and remote.definition is None:
        return [Change("~", "details", "(the vendor cannot return what it holds: compared with the local fingerprint)")]
    diff = diff_shapes(remote.definition.shape if remote is not None and remote.definition else {}, desired.shape)
    if remote is not None and remote.definition is not None:
        diff += field_changes(remote.definition.body, desired.body, origin=remote.definition.origin)
    return diff


#: Field-level lines shown in a plan; the rest are counted.
FIELD_LINES = 25


def field_changes(old: Any, new: Any, limit: int = FIELD_LINES, origin: dict[str, str] | None = None) -> list[Change]:
    """The fields we own that differ between what the vendor holds and what would be pushed, as
    JSON Patch operations (``jsonpatch``) applied one after the other, so each line shows the
    value it replaces at that step: ``~ field /apiEndPointHosts/0: "a" -> "b"``, and moves. Whole
    objects added or removed (a resource, a method, a parameter) are left to ``diff_shapes``.
    ``origin``: pointer -> where the old value under it came from, when not from the vendor's
    answer (``Definition.origin``); such lines end with ``[old: <origin>]``."""
    current = copy.deepcopy(old)
    out: list[Change] = []
    shown = 0
    for op in jsonpatch.make_patch(old, new).patch:
        line = _line(op, current)
        current = jsonpatch.apply_patch(current, [op])
        source = _origin(op["path"], origin or {})
        if line is not None and source is not None:
            line = Change(line.sign, line.what, f"{line.where} [old: {source}]")
        if line is not None:
            shown += 1
            if shown <= limit:
                out.append(line)
    if shown > limit:
        out.append(Change("~", "fields", f"... and {shown - limit} more field change(s)"))
    return out


def _origin(path: str, origin: dict[str, str]) -> str | None:
    for pointer, source in origin.items():
        if path == pointer or path.startswith(pointer + "/"):
            return source
    return None


def _line(op: dict[str, Any], current: Any) -> Change | None:
    path = op["path"] or "/"
    if op["op"] == "replace":
        before = jsonpointer.resolve_pointer(current, op["path"], None)
        return Change("~", "field", f"{path}: {_value(before)} -> {_value(op['value'])}")
    if op["op"] == "move":
        return Change("~", "field", f"{op['from'] or '/'} moved to {path}")
    if op["op"] == "copy":
        return Change("+", "field", f"{path}: a copy of {op['from'] or '/'}")
    value = op["value"] if op["op"] == "add" else jsonpointer.resolve_pointer(current, op["path"], None)
    if isinstance(value, dict):  # a whole object: diff_shapes names it
        return None
    return Change("+" if op["op"] == "add" else "-", "field", f"{path}: {_value(value)}")


def _value(value: Any, width: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def decide(client: Client, desired: Definition, remote: Remote | None, known: dict[str, Any],
           digest: str) -> tuple[str, str]:
    same_source = known.get("sourceHash") == digest
    if remote is None:
        gone = " (the journal knew it, but it is gone)" if known.get("ids") else ""
        return Action.CREATE, f"{client.vendor} holds no such API{gone}"
    if remote.definition is None:  # the vendor cannot show its definition: the local state decides
        if same_source:
            return Action.NOTHING, (f"unchanged since the push of {known.get('time')} (decided on the local state: "
                                    f"{client.vendor} cannot return what it holds)")
        why = ("the spec differs from the fingerprint of the last push in the local state" if known.get("sourceHash")
               else f"no local state for this API and {client.vendor} cannot return what it holds: updating "
                    "(the safe documented action)")
        return client.change_kind(remote), why
    if remote.definition.body == desired.body:
        if same_source:
            return Action.NOTHING, f"unchanged since the push of {known.get('time')}"
        return Action.NOTHING, f"{client.vendor} already holds this definition (version {remote.version})"
    kind = client.change_kind(remote)
    why = ("the spec is unchanged since the last push, but the definition at the vendor was changed there"
           if same_source else "the spec differs from the vendor's definition")
    if kind == Action.NEW_VERSION and remote.locked:
        why += f"; version {remote.version} is locked (activated): clone it first"
    return kind, why


def diff_shapes(old: Shape, new: Shape) -> list[Change]:
    """Resources, methods and parameters added (+) or removed (-), in a stable order."""
    out: list[Change] = []
    for path in sorted(set(old) | set(new)):
        if path not in old or path not in new:
            sign = "+" if path in new else "-"
            out.append(Change(sign, "resource", path))
            out += [Change(sign, "method", f"{m} {path}") for m in sorted((new if sign == "+" else old)[path])]
            continue
        for method in sorted(set(old[path]) | set(new[path])):
            where = f"{method} {path}"
            if method not in old[path] or method not in new[path]:
                out.append(Change("+" if method in new[path] else "-", "method", where))
                continue
            before, after = set(old[path][method]), set(new[path][method])
            out += [Change("+", "parameter", f"{p} ({where})") for p in sorted(after - before)]
            out += [Change("-", "parameter", f"{p} ({where})") for p in sorted(before - after)]
    return out


def render_plan(plan: Plan, fmt: str = "text", profile: str | None = None) -> str:
    """The plan as text (for people) or JSON (``--format json``); with ``profile``, a header naming
    it and the vendor's URL, and a totals line (``plan``'s own output)."""
    if fmt == "json":
        return json.dumps({**plan.to_json(), "profile": profile} if profile else plan.to_json(), indent=2,
                          sort_keys=True) + "\n"
    where = f" (version {plan.remote.version})" if plan.remote is not None else ""
    lines = [f"{plan.vendor} at {plan.target} (profile {profile})"] if profile else []
    lines += [f"{plan.vendor}: {plan.key}{where} -> {plan.action}", f"  {plan.reason}"]
    lines += [f"  {c.render()}" for c in plan.diff]
    lines += [f"  then: {f.description}" for f in plan.followups]
    if not plan.changes_anything:
        lines.append("  nothing to do")
    if profile:
        lines.append(totals([plan]))
    return "\n".join(lines) + "\n"


def totals(plans: list[Plan]) -> str:
    """``Plan: 1 to create, 0 to update, 0 new version(s), 2 unchanged; 1 follow-up step(s).``"""
    count = {a: sum(p.action == a for p in plans) for a in Action}
    steps = sum(len(p.followups) for p in plans)
    return (f"Plan: {count[Action.CREATE]} to create, {count[Action.UPDATE]} to update, "
            f"{count[Action.NEW_VERSION]} new version(s), {count[Action.NOTHING]} unchanged; "
            f"{steps} follow-up step(s).")
