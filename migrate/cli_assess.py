"""``api-migrate assess``: the command line of ``migrate.assess``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from migrate.cli import emit_options, handles_errors, read_options, ref_options, target_options
from migrate.core.targets import VENDORS


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", multiple=True, metavar="VENDOR[,VENDOR]",
              help=f"Target vendors, comma-separated or repeated (default: {', '.join(VENDORS)}).")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for assessment.json and assessment.html.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Parallel processes (default: cores).")
@target_options
@ref_options
@handles_errors
def assess(paths: tuple[Path, ...], to: tuple[str, ...], outdir: Path, jobs: int | None, ref_root: str | None,
           allow_remote_refs: bool, **params: Any) -> None:
    """Assess an estate before anything moves: convert every API under PATH... (spec files,
    folders searched by content, or a batch manifest) for each target vendor, nothing pushed, and
    write OUTDIR/assessment.json and assessment.html: per API and target what carries over, what
    is lost (by code), what needs a decision (options to give, security policies), an effort
    rating (the rule is stated in the report) and estate-wide totals. Exit 0 written, 1 some API
    could not be read (it is in the report as blocked), 2 unusable input. APIs are read from
    files only (not yet pulled from a vendor)."""
    from migrate.assess.report import build, render_text, write
    from migrate.assess.run import assess as run
    from migrate.assess.run import check_targets
    from migrate.assess.sources import file_sources
    from migrate.batch.run import default_jobs
    from migrate.core.errors import UsageError

    targets = check_targets(t.strip() for given in to for t in given.split(",") if t.strip()) if to else VENDORS
    options = emit_options(params)
    found = file_sources(list(paths), read_options(ref_root, allow_remote_refs), outdir)
    if not found.sources:
        raise UsageError(f"no specs found in {', '.join(map(str, paths))}")
    start = time.perf_counter()
    apis = run(found.sources, targets, options, jobs or default_jobs())
    if all(api["failure"] for api in apis):
        more = f" (and {len(apis) - 1} more)" if len(apis) > 1 else ""
        raise UsageError(f"no API could be read: {apis[0]['failure']}{more}")
    doc = build(apis, targets, "files", found.skipped_files)
    write(doc, outdir, options.templates_dir)
    click.echo(render_text(doc, outdir), nl=False)
    click.echo(f"assessed in {time.perf_counter() - start:.1f} s", err=True)
    sys.exit(1 if doc["summary"]["notRead"] else 0)
