"""``push``: carry out the plan idempotently. Each step is written to the journal as soon as it is
done; a re-run after an interruption plans again against the vendor's state (found by natural key
or by the ids in the journal), so nothing is created twice and the missing steps are completed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from migrate.core.diagnostics import Diagnostic, Severity
from migrate.core.errors import OutcomeUnknown, PushError
from migrate.core.status import Action
from migrate.push.http import MaybeCommitted, Unreachable
from migrate.push.journal import Journal
from migrate.push.lock import PushLock
from migrate.push.plan import CREATE_FAILED, Plan, make_plan, render_plan
from migrate.push.protocol import Client, Delivery, PushOptions, Remote, log


@dataclass
class PushResult:
    plan: Plan
    dry_run: bool
    done: list[str] = field(default_factory=list)
    remote: Remote | None = None
    held: bool = False  # the plan would change an existing API and that was not allowed
    verified: list[Diagnostic] | None = None  # push --verify: what reading the API back found (migrate.push.verify)

    @property
    def verify_failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.verified or [])

    @property
    def changed(self) -> bool:
        return bool(self.done)

    def to_json(self) -> dict[str, Any]:
        remote = self.remote
        return {"plan": self.plan.to_json(), "dryRun": self.dry_run, "done": self.done, "changed": self.changed,
                "ids": remote.ids if remote else None, "version": remote.version if remote else None,
                **({"verify": [d.to_json() for d in self.verified]} if self.verified is not None else {})}


def run_push(delivery: Delivery, client: Client, journal: Journal, dry_run: bool = False,
             activate: str | None = None, publish: bool = False, deploy: int | None = None,
             wait: bool = True, wait_timeout: float = 1800.0, adopt: str | None = None,
             assume_absent: bool = False, planned: dict[str, Any] | None = None,
             change_existing: bool = True, deactivate: str | None = None) -> PushResult:
    """Create, version or update the API at the vendor, then activate / publish / deploy as asked.
    ``planned``: a saved plan (``plan -o``): carried out only when the plan made now, under the
    lock, is the same (action, ids, version, source hash, diff, steps); else nothing is sent.
    ``change_existing`` False: a plan that would update an API the vendor holds (or make it a new
    version) is not carried out (``PushResult.held``), unless it finishes a push of this API that
    the journal saw start and not end; creates are carried out."""
    options = PushOptions(activate.lower() if activate else None, publish, deploy, wait, wait_timeout, adopt,
                          assume_absent, deactivate.lower() if deactivate else None)
    if dry_run:
        plan = make_plan(delivery, client, journal, options)
        return PushResult(plan, dry_run, remote=plan.remote)
    with PushLock(client.vendor, client.target, client.key(delivery)):
        # planned under the lock: a run that waited sees what the one before it created
        plan = make_plan(delivery, client, journal, options)
        if planned is not None:
            check_saved_plan(plan, planned)
        if not change_existing and plan.action in (Action.UPDATE, Action.NEW_VERSION) and not journal.state(
                client.vendor, client.target, plan.key)["steps"]:  # finishing our own interrupted push is allowed
            return PushResult(plan, False, remote=plan.remote, held=True)
        return _carry_out(plan, delivery, client, journal, options)


#: What a saved plan must still say for ``push --plan`` to carry it out.
PLAN_FIELDS = ("vendor", "target", "key", "action", "sourceHash", "remote", "diff", "then")


def check_saved_plan(plan: Plan, saved: dict[str, Any]) -> None:
    """PushError naming what changed since the plan was saved (at the vendor or in the spec)."""
    now = plan.to_json()
    changed = [k for k in PLAN_FIELDS if now.get(k) != saved.get(k)]
    if changed:
        why = {"sourceHash": "the spec (or its conversion) changed", "remote": "what the vendor holds changed",
               "diff": "the changes to make are different", "action": "the action is different",
               "then": "the follow-up steps are different"}
        reasons = "; ".join(dict.fromkeys(why.get(k, f"{k} differs") for k in changed))
        raise PushError(plan.vendor, f"not pushed: the saved plan is out of date ({reasons}); make a new plan "
                        "and review it")


def _carry_out(plan: Plan, delivery: Delivery, client: Client, journal: Journal, options: PushOptions) -> PushResult:
    result = PushResult(plan, False, remote=plan.remote)
    if not plan.changes_anything:
        if journal.state(client.vendor, client.target, plan.key)["steps"]:  # an interrupted push had finished
            journal.record(client.vendor, client.target, plan.key, "done", plan.source_hash,
                           plan.remote.ids if plan.remote else None, plan.remote.version if plan.remote else None,
                           plan.local)
        return result

    def record(step: str, remote: Remote | None, sent: bool = False) -> None:
        """``sent``: the definition at the vendor is now the desired one (its ``local`` is kept)."""
        log.info("%s: %s %s", client.vendor, step, plan.key)
        journal.record(client.vendor, client.target, plan.key, step, plan.source_hash,
                       remote.ids if remote else None, remote.version if remote else None,
                       plan.local if sent else None)

    record(f"start-{plan.action}", plan.remote)
    remote = plan.remote
    if plan.action == Action.CREATE:
        remote = _create(client, delivery, lambda: record(CREATE_FAILED, None))
        result.done.append(Action.CREATE)
    elif plan.action in (Action.NEW_VERSION, Action.UPDATE) and remote is not None:
        remote = client.change(delivery, remote)
        result.done.append(plan.action)
    if plan.action != Action.NOTHING:
        record(plan.action, remote, sent=True)
    assert remote is not None
    for step in client.followups(delivery, remote, options):
        client.run_followup(step, delivery, remote, options)
        result.done.append(step.name)
        record(step.name, remote)
    result.remote = remote
    record("done", remote, sent=True)
    return result


def _create(client: Client, delivery: Delivery, failed: Callable[[], None]) -> Remote:
    """``client.create``; a failure that certainly created nothing (no connection was made, or the
    vendor refused with a 4xx) is journaled as such, so that a re-run need not ask the operator.
    Any other failure (an unreadable answer to a create that went through, ...) is not."""
    try:
        return client.create(delivery)
    except (MaybeCommitted, OutcomeUnknown):
        raise
    except PushError as exc:
        if isinstance(exc, Unreachable) or (exc.status is not None and 400 <= exc.status < 500):
            failed()
        raise


def render_push(result: PushResult, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(result.to_json(), indent=2, sort_keys=True) + "\n"
    return _push_text(result) + render_verified(result.verified)


def render_verified(found: list[Diagnostic] | None) -> str:
    """``verified: ...`` and one line per finding (nothing when verify did not run)."""
    if found is None:
        return ""
    errors = sum(d.severity is Severity.ERROR for d in found)
    head = f"  verified: {errors} difference(s) on the fields we own" if errors else \
        "  verified: the vendor holds what was pushed" if not found else "  verified: not verified"
    return "\n".join([head, *(f"    {d.render()}" for d in found)]) + "\n"


def _push_text(result: PushResult) -> str:
    text = render_plan(result.plan)
    if result.dry_run:
        return text + "  (dry run: nothing was sent)\n"
    if result.held:
        return text + "  held: nothing was sent (it would change an API the vendor holds; re-run with --yes)\n"
    if not result.changed:
        return text
    remote = result.remote
    ids = ", ".join(f"{k}={v}" for k, v in sorted((remote.ids if remote else {}).items()))
    version = remote.version if remote else None
    return text + f"  done: {', '.join(result.done)} ({ids}, version {version})\n"
