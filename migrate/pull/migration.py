"""``migrate``: pull an API from one vendor, convert the model for another, push it there (or only
plan), and verify the push by reading it back. The source vendor is only ever read (``pull``
uses GET calls alone); the conversion and push stages are the ones ``convert`` and ``push`` use,
so a migration pushes exactly what converting the pulled model writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from migrate.core.diagnostics import Report
from migrate.core.errors import UsageError
from migrate.emitters.base import EmitOptions
from migrate.pull.run import Pulled, pull_with
from migrate.push.commands import Connection, naming_profile, push_delivery
from migrate.push.config import default_config_path, read_config
from migrate.push.plan import Plan, make_plan, render_plan
from migrate.push.protocol import Delivery, PushOptions
from migrate.push.run import PushResult, render_push


@dataclass
class Migration:
    """One API moved (or planned): what was pulled, the report of pull + conversion, and the plan
    or push result (with ``verified`` when verify ran)."""

    source: str
    target: str
    pulled: Pulled
    report: Report
    plan: Plan | None = None
    result: PushResult | None = None
    steps: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """A verify difference, or a push held back (it would change an API without --yes)."""
        return self.result is not None and (self.result.verify_failed or self.result.held)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "to": self.target, "steps": self.steps,
                               "pulled": {"ids": self.pulled.ids, "version": self.pulled.version},
                               "diagnostics": [d.to_json() for d in self.report]}
        if self.plan is not None:
            out["plan"] = self.plan.to_json()
        if self.result is not None:
            out["push"] = self.result.to_json()
        return out


def parse_source(text: str) -> tuple[str, str]:
    """``VENDOR:ID|NAME`` -> (vendor, ident)."""
    from migrate.core.targets import VENDORS

    vendor, sep, ident = text.partition(":")
    if not sep or vendor not in VENDORS or not ident:
        raise UsageError(f"--from {text!r}: expected VENDOR:ID|NAME with VENDOR one of {', '.join(VENDORS)}")
    return vendor, ident


def only_profile(vendor: str, config: Any, given: str | None, flag: str) -> str | None:
    """The profile named, else the config's only profile for ``vendor`` (None: none in the file,
    the environment's settings apply as for push); several and none named is a usage error."""
    if given is not None:
        return given
    path = config or default_config_path()
    names = sorted(n for n, p in read_config(path).items() if isinstance(p, dict) and p.get("vendor") == vendor)
    if len(names) > 1:
        raise UsageError(f"{path} has {len(names)} profiles for {vendor} ({', '.join(names)}): name one with {flag}")
    return names[0] if names else None


def migrate_api(source: Connection, ident: str, target: Connection, options: EmitOptions | None = None,
                version: str | None = None, plan_only: bool = False, verify: bool = True,
                push_options: PushOptions | None = None, definition: str | None = None,
                change_existing: bool = False) -> Migration:
    """Pull ``ident`` through ``source``, convert it for ``target.vendor`` with the target profile's
    defaults, then plan (``plan_only``) or push, and verify the push (``verify``). ``definition``:
    an Akana source is read from its description document in that Specification format.
    ``change_existing`` (``--yes``): also change an API the target already holds (update, new
    version); without it such a push is held and its plan shown, and only new APIs are created."""
    from migrate.conversion.run import convert

    if source.vendor == target.vendor and source.profile_name() == target.profile_name():
        raise UsageError(f"--from and --to name the same {source.vendor} profile {source.profile_name()!r}: "
                         "a migration never writes its source")
    label = f"{source.vendor}:{ident}"
    with naming_profile(source):
        pulled = pull_with(source.client(), ident, version, source.open_journal(), definition)
    client = target.client()
    conversion = convert(label, target.vendor, client.emit_options(options or EmitOptions()), api=pulled.api)
    report = Report()
    report.extend(pulled.report.items + conversion.diagnostics)
    done = Migration(label, target.vendor, pulled, report, steps={"pulled": "ok", "converted": "ok"})
    delivery = Delivery(label, conversion.payload)
    steps = push_options or PushOptions()
    if plan_only:
        with naming_profile(target):
            done.plan = make_plan(delivery, client, target.open_journal(), steps)
        done.steps["pushed"] = "planned"
        return done
    done.result = push_delivery(delivery, client, target, False, steps.activate, steps.publish, steps.deploy,
                                steps.wait, steps.wait_timeout, change_existing=change_existing)
    if done.result.held:
        done.steps["pushed"] = "held (it would change an API the target holds: review the plan, then --yes)"
        return done
    done.steps["pushed"] = ", ".join(done.result.done) or "unchanged"
    if verify:
        from migrate.push.verify import verify_push

        with naming_profile(target):
            done.result.verified = verify_push(client, delivery, done.result.remote)
        done.steps["verified"] = "failed" if done.result.verify_failed else \
            "ok" if not done.result.verified else "not verifiable"
    return done


def render_migration(done: Migration, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(done.to_json(), indent=2, sort_keys=True, default=str) + "\n"
    lines = [f"{done.source} -> {done.target}: pulled {done.pulled.api.title!r} "
             f"({len(done.pulled.api.resources)} resource(s), version {done.pulled.version})"]
    lines += [f"  {d.render()}" for d in done.report]
    text = "\n".join(lines) + "\n"
    if done.plan is not None:
        text += render_plan(done.plan)
    if done.result is not None:
        text += render_push(done.result)
    return text

