"""``api-migrate compare SPEC --to akamai``: Akamai's own import of SPEC (POST /endpoints/files) as
a second opinion on our conversion, field by field, with the problems[] Akamai reports (pointers
into SPEC). The endpoint the import creates is removed again unless ``--keep``. Exit 0 when they
agree, 1 when anything differs or Akamai reports a problem, 2 for unusable input."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from migrate.cli import (
    connection,
    emit_options,
    handles_errors,
    read_options,
    ref_options,
    target_options,
    vendor_options,
)


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@vendor_options
@click.option("--keep", is_flag=True, help="Keep the endpoint Akamai's import created (default: remove it).")
@target_options
@ref_options
@handles_errors
def compare(spec: Path, fmt: str, keep: bool, ref_root: str | None, allow_remote_refs: bool, **params: Any) -> None:
    """Show, field by field, where Akamai's own import of SPEC (Swagger 2.0 or RAML 0.8, one file)
    differs from our conversion; Akamai's problems[] included. Exit 1 when anything differs."""
    from migrate.core.errors import UsageError
    from migrate.push.akamai import importing
    from migrate.push.commands import naming_profile, prepare

    conn = connection(params)
    if conn.vendor != "akamai":
        raise UsageError(f"compare --to {conn.vendor}: only Akamai imports a spec on the server side")
    text = spec.read_text(encoding="utf-8")
    fmt_name = importing.import_format(spec, text)
    client, delivery = prepare(spec, conn, emit_options(params), read_options(ref_root, allow_remote_refs))
    ours = client.body(delivery)  # type: ignore[attr-defined]
    with naming_profile(conn):
        imported = importing.upload(client.call, text, fmt_name, ours.get("contractId"), ours.get("groupId"))
        try:
            differences = importing.compare(ours, imported.endpoint)
        finally:
            if imported.endpoint_id is not None and not keep:
                client.call("DELETE", f"/endpoints/{imported.endpoint_id}", "remove the imported endpoint")
    click.echo(render(spec, imported, differences, fmt, keep), nl=False)
    sys.exit(1 if differences or imported.problems else 0)


def render(spec: Path, imported: Any, differences: list[Any], fmt: str, keep: bool) -> str:
    problems = [{"pointer": p.get("pointer", ""), "detail": p.get("detail") or p.get("title") or ""}
                for p in imported.problems]
    if fmt == "json":
        return json.dumps({"spec": str(spec), "imported": imported.endpoint_id is not None,
                           "endpointId": imported.endpoint_id if keep else None, "problems": problems,
                           "differences": [d.to_json() for d in differences]}, indent=2, sort_keys=True) + "\n"
    how = "imported" if imported.endpoint_id is not None else "refused by the import"
    lines = [f"{spec} -> akamai: our conversion vs Akamai's import ({how})"]
    lines += [f"! problem {p['pointer'] or '/'}: {p['detail']}" for p in problems]
    lines += [f"  {d.render()}" for d in differences]
    if imported.endpoint_id is not None:
        lines.append(f"  (the imported endpoint {imported.endpoint_id} was "
                     f"{'kept' if keep else 'removed again'})")
    lines.append(f"{len(differences)} difference(s), {len(problems)} problem(s)"
                 if differences or problems else "no differences")
    return "\n".join(lines) + "\n"
