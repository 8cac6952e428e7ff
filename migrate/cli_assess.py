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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--from", "from_vendor", type=click.Choice([v for v in VENDORS if v != "frends"]),
              help="Assess what this vendor holds instead of files: every API `pull --all` would read (Akamai's "
              "endpoints; the Akana APIs the push journal knows). Frends cannot be read back.")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="With --from: the config file.")
@click.option("--profile", help="With --from: the profile of the source vendor (default: the config's only one).")
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help="With --from: the push journal (default .api-migrate/journal.jsonl).")
@click.option("--name-contains", help="With --from: only APIs whose name contains this (any case).")
@click.option("--to", "to", multiple=True, metavar="VENDOR[,VENDOR]",
              help=f"Target vendors, comma-separated or repeated (default: {', '.join(VENDORS)}).")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for assessment.json and assessment.html.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Parallel processes (default: cores).")
@target_options
@ref_options
@handles_errors
def assess(paths: tuple[Path, ...], from_vendor: str | None, config: Path | None, profile: str | None,
           journal: Path | None, name_contains: str | None, to: tuple[str, ...], outdir: Path, jobs: int | None,
           ref_root: str | None, allow_remote_refs: bool, **params: Any) -> None:
    """Assess an estate before anything moves: convert every API under PATH... (spec files,
    folders searched by content, or a batch manifest) for each target vendor, nothing pushed, and
    write OUTDIR/assessment.json and assessment.html: per API and target what carries over, what
    is lost (by code), what needs a decision (options to give, security policies), an effort
    rating (the rule is stated in the report) and estate-wide totals. Exit 0 written, 1 some API
    could not be read (it is in the report as blocked), 2 unusable input. With --from VENDOR
    instead of PATH..., the APIs the vendor holds are pulled and assessed (only read)."""
    from migrate.assess.report import build, render_text, write
    from migrate.assess.run import assess as run
    from migrate.assess.run import check_targets
    from migrate.assess.sources import file_sources
    from migrate.batch.run import default_jobs
    from migrate.core.errors import UsageError

    targets = check_targets(t.strip() for given in to for t in given.split(",") if t.strip()) if to else VENDORS
    options = emit_options(params)
    if bool(paths) == bool(from_vendor):
        raise UsageError("give PATH... (spec files or folders) or --from VENDOR, not both" if paths else
                         "give PATH... (spec files or folders) or --from VENDOR")
    if not from_vendor and (config or profile or journal or name_contains):
        raise UsageError("--config, --profile, --journal and --name-contains belong to --from VENDOR")
    sources: list[Any]
    if from_vendor:
        from migrate.assess.sources import vendor_sources
        from migrate.pull.migration import only_profile

        chosen = only_profile(from_vendor, config, profile, "--profile")
        sources, skipped, origin = vendor_sources(from_vendor, config, chosen, journal, name_contains), 0, from_vendor
        if not sources:
            raise UsageError(f"{from_vendor} lists no API to assess" + (f" whose name contains {name_contains!r}"
                                                                         if name_contains else ""))
    else:
        found = file_sources(list(paths), read_options(ref_root, allow_remote_refs), outdir)
        if not found.sources:
            raise UsageError(f"no specs found in {', '.join(map(str, paths))}")
        sources, skipped, origin = list(found.sources), found.skipped_files, "files"
    start = time.perf_counter()
    apis = run(sources, targets, options, jobs or default_jobs())
    if all(api["failure"] for api in apis):
        more = f" (and {len(apis) - 1} more)" if len(apis) > 1 else ""
        raise UsageError(f"no API could be read: {apis[0]['failure']}{more}")
    doc = build(apis, targets, origin, skipped)
    write(doc, outdir, options.templates_dir)
    click.echo(render_text(doc, outdir), nl=False)
    click.echo(f"assessed in {time.perf_counter() - start:.1f} s", err=True)
    sys.exit(1 if doc["summary"]["notRead"] else 0)
