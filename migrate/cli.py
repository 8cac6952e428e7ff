"""Command line: ``api-migrate`` (also ``python -m migrate``).

Exit codes: 0 ok, 1 findings / partial failure, 2 unusable input or usage. Errors are one line on
stderr; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from migrate.core.errors import MigrateError
from migrate.core.targets import TARGETS, VENDORS

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    click.echo(f"api-migrate: {message}", err=True)
    sys.exit(2)


def handles_errors(func: F) -> F:
    """Turn MigrateError (and any unexpected error) into one line on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except MigrateError as exc:
            if debug:
                raise
            _fail(exc.render())
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:  # e.g. -o/--report in a folder that cannot be written
            if debug:
                raise
            _fail(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc))
        except Exception as exc:
            if debug:
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")

    return wrapper  # type: ignore[return-value]


def read_options(ref_root: str | None, allow_remote_refs: bool) -> Any:
    from migrate.readers import ReadOptions

    return ReadOptions(ref_root=Path(ref_root) if ref_root else None, allow_remote_refs=allow_remote_refs)


def ref_options(func: F) -> F:
    func = click.option("--allow-remote-refs", is_flag=True, help="Allow $ref to http(s) URLs.")(func)
    func = click.option("--ref-root", type=click.Path(file_okay=False), default=None,
                        help="Folder $ref/!include targets must stay in (default: the spec's folder).")(func)
    return func


#: Options of the whole program, accepted before or after the command (``api-migrate convert … -v``).
GLOBAL_FLAGS = ("--debug", "--verbose", "-q", "--quiet")


def _global(arg: str) -> bool:
    """A global flag: --debug, -q/--quiet, -v/-vv/-vvv, --verbose, or -q and -v combined (-qv)."""
    return arg in GLOBAL_FLAGS or bool(re.fullmatch(r"-[vq]+", arg))


class Main(click.Group):
    """The command group; global flags written after the command are moved before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        valued = self._valued_options(ctx, args[:end])
        moved = [i for i, a in enumerate(args[:end]) if _global(a) and not (i and args[i - 1] in valued)]
        flags = [args[i] for i in moved]
        rest = [a for i, a in enumerate(args[:end]) if i not in moved] + args[end:]
        return super().parse_args(ctx, flags + rest)

    def _valued_options(self, ctx: click.Context, args: list[str]) -> set[str]:
        """The option names (of the command named in ``args``) that take a value: what follows
        one is that value (``--name -q``), never a global flag."""
        name = next((a for a in args if a in self.commands), None)
        command = self.get_command(ctx, name) if name else None
        names: set[str] = set()
        for param in command.params if command else []:
            if isinstance(param, click.Option) and not param.is_flag and not param.count:
                names.update(param.opts)
        return names


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-v", "--verbose", count=True, help="Log each vendor request and retry (-vv: more); never secrets.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the summary (convert, validate, batch); plan and "
              "push: one line per API and the totals, without the diff.")
@click.version_option(package_name="api-migrate")
def main(debug: bool, verbose: int, quiet: bool) -> None:
    """Move API definitions (OpenAPI 2.0/3.0/3.1, RAML 0.8) to Akamai API Gateway, Akana and
    Frends, and report everything that could not be carried over. Global options (--debug, -v,
    -q) may also follow the command. A SPEC of - is read from standard input (its references
    resolve from the current folder)."""
    if verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG if verbose > 1 else logging.INFO, stream=sys.stderr,
                            format="%(name)s: %(message)s")
        logging.getLogger("akamai.edgegrid").setLevel(logging.WARNING)  # it logs signing material at DEBUG
        logging.getLogger("urllib3").setLevel(logging.ERROR)  # its retry lines quote the query


_SEVERITY_WORD = re.compile(r"^(error|warning)\b|(?<=: )(error|warning)(?= [A-Z_]+ )")


def _coloured(line: str) -> str:
    """The severity word of a report line (``error   CODE`` or ``file:1: error CODE``) in colour."""
    def paint(match: re.Match[str]) -> str:
        word = match.group()
        return click.style(word, fg="red" if word == "error" else "yellow", bold=True)
    return _SEVERITY_WORD.sub(paint, line, count=1)


def report_lines(text: str) -> str:
    """A text report as the terminal shows it: with ``-q`` only errors and the summary; on a
    terminal (unless ``$NO_COLOR`` is set) error and warning words coloured."""
    import os

    ctx = click.get_current_context()
    lines = text.splitlines()
    if ctx.find_root().params.get("quiet"):
        lines = [line for line in lines[:-1] if line.startswith("error") or ": error " in line] + lines[-1:]
    if not os.environ.get("NO_COLOR"):
        lines = [_coloured(line) for line in lines]
    return "\n".join(lines) + ("\n" if lines else "")


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@ref_options
@handles_errors
def inspect(spec: str, fmt: str, ref_root: str | None, allow_remote_refs: bool) -> None:
    """Read SPEC and print its resources, methods and parameters (or the model as JSON)."""
    from migrate.conversion.run import locate
    from migrate.readers import read_spec_with_report

    api, notes = read_spec_with_report(spec, read_options(ref_root, allow_remote_refs))
    for note in locate(notes.items, spec):  # what the reader repaired or could not read
        click.echo(note.render(), err=True)
    if fmt == "json":
        click.echo(json.dumps(api.document(), indent=2, ensure_ascii=False))
    else:
        from migrate.core.summary import render_text

        click.echo(render_text(api), nl=False)


def target_options(func: F) -> F:
    """Options that fill or override what a spec lacks for a target (every command that converts),
    one per ``EmitOptions`` field (``migrate.core.targets``)."""
    from migrate.core.targets import option_specs

    for name, spec, default in reversed(option_specs()):
        is_file = spec.kind == "file"
        kind = click.Choice(spec.choices) if spec.choices else \
            click.Path(file_okay=is_file, dir_okay=not is_file, exists=True) if spec.is_path else None
        func = click.option(spec.flag, f"option_{name}", type=kind, multiple=spec.multiple,
                            default=default if spec.choices else None, help=spec.help)(func)
    return func


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit"]), default="text")
@click.option("--target", type=click.Choice(TARGETS), default=None,
              help="Also report everything this target would reject or lose.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--accept", "accept_file", type=click.Path(dir_okay=False, exists=True),
              help="Accepted losses (YAML; see `api-migrate accept`): shown apart, never failing.")
@click.option("--no-cache", is_flag=True, help="Do not reuse verdicts of unchanged files.")
@target_options
@ref_options
@handles_errors
def validate(specs: tuple[str, ...], fmt: str, target: str | None, strict: bool, accept_file: str | None,
             no_cache: bool, ref_root: str | None, allow_remote_refs: bool, **params: Any) -> None:
    """Check SPEC... against its format's specification (and, with --target, the target's limits,
    with the same target options as convert). Exit 0 clean, 1 findings, 2 unusable input."""
    from migrate.core.accept import Acceptance
    from migrate.validation.run import run_validate

    output, code = run_validate(list(specs), read_options(ref_root, allow_remote_refs), fmt, target, strict,
                                cache=not no_cache, emit_options=emit_options(params),
                                acceptance=Acceptance.load(accept_file) if accept_file else None)
    click.echo(report_lines(output) if fmt == "text" else output, nl=False)
    sys.exit(code)


def emit_options(params: dict[str, Any]) -> Any:
    from migrate.core.errors import UsageError
    from migrate.core.targets import EmitOptions, option_specs, option_value

    try:
        return EmitOptions(**{name: option_value(name, params.pop(f"option_{name}", None) or None)
                              for name, _, _ in option_specs()})
    except ValueError as exc:
        raise UsageError(str(exc)) from None


TARGET_CHOICE = click.Choice(TARGETS)
VENDOR_CHOICE = click.Choice(VENDORS)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--to", "target", type=TARGET_CHOICE, required=True, help="Target format or vendor.")
@click.option("-o", "--output", type=click.Path(), help="File (single-file payloads) or folder to write to; "
              "default: the payload on stdout.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), help="Write the loss report here.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Format of the report printed (and of --report).")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--accept", "accept_file", type=click.Path(dir_okay=False, exists=True),
              help="Accepted losses (YAML; see `api-migrate accept`): shown apart, never failing.")
@target_options
@ref_options
@handles_errors
def convert(spec: str, target: str, output: str | None, report_file: str | None, fmt: str, strict: bool,
            accept_file: str | None, ref_root: str | None, allow_remote_refs: bool, **params: Any) -> None:
    """Render SPEC as the payload(s) for a target and report what could not be carried over."""
    from migrate.conversion.run import convert as run_convert
    from migrate.conversion.run import render_report
    from migrate.core.accept import Acceptance
    from migrate.core.status import fails

    acceptance = Acceptance.load(accept_file)
    result = run_convert(spec, target, emit_options(params), read_options(ref_root, allow_remote_refs))
    kept, accepted = acceptance.split(result.diagnostics, spec, target)
    files = result.payload.files
    if output is None:
        for f in files:
            click.echo(f.text, nl=False)
    else:
        write_output(files, Path(output))
    text = render_report(result, fmt, accepted, acceptance.source)
    if report_file:
        Path(report_file).write_text(text, encoding="utf-8")
    click.echo(report_lines(text) if fmt == "text" else text, nl=False, err=output is None)
    sys.exit(1 if fails(kept, strict) else 0)


#: Names that are files, never folders, for ``-o``.
FILE_SUFFIXES = (".json", ".xml", ".yaml", ".yml")


def write_output(files: list[Any], output: Path) -> None:
    """One file and a path with a suffix (or an existing file): write it there; else a folder. A
    file name (a suffix, or an existing file) for a payload of several files is refused."""
    from migrate.core.errors import UsageError

    if len(files) > 1 and (output.is_file() or (output.suffix.lower() in FILE_SUFFIXES and not output.is_dir())):
        names = ", ".join(f.name for f in files)
        raise UsageError(f"-o {output}: this payload is {len(files)} files ({names}); give a folder for -o")
    if len(files) == 1 and (output.suffix and not output.is_dir()):
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(files[0].text, encoding="utf-8")
        return
    output.mkdir(parents=True, exist_ok=True)
    for f in files:
        (output / f.name).write_text(f.text, encoding="utf-8")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="First port (vendors get N, N+1, N+2); 0 picks free ports.")
@click.option("--vendor", type=click.Choice([*VENDORS, "all"]), default="all")
@click.option("--faults", metavar="RATE[:SEED[:KIND,...]]",
              help="Inject faults at RATE (kinds: 429,500,503,slow,reset,lost), seeded.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path), help="Keep state in this SQLite file.")
@click.option("--write-config", "write_config_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a config file with a profile per vendor sandbox.")
@click.option("--token-ttl", type=click.FloatRange(0, min_open=True), default=1800.0,
              help="Akana token lifetime in seconds.")
@click.option("--rate-limit", type=click.FloatRange(0, min_open=True), default=None, metavar="RPS",
              help="Answer 429 with Retry-After above RPS requests per second (per vendor).")
@handles_errors
def sandbox(port: int, vendor: str, faults: str | None, state: Path | None, write_config_to: Path | None,
            token_ttl: float, rate_limit: float | None) -> None:
    """Run local servers that behave like the Akamai, Akana and Frends APIs (until Ctrl-C)."""
    from migrate.core.errors import UsageError
    from migrate.sandbox import run_sandbox

    try:
        run_sandbox(vendor, port, faults, state, write_config_to, token_ttl, echo=click.echo, rate_limit=rate_limit)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except (OSError, OverflowError) as exc:  # OverflowError: --port N leaves N+1 or N+2 above 65535
        raise UsageError(f"cannot listen: {exc}") from None


def account_options(func: F, profile_help: str = "Profile in the config file.",
                    journal_help: str | None = "Push journal (default .api-migrate/journal.jsonl).") -> F:
    """Which account of a vendor to talk to: config file and profile, Akamai's .edgerc, and (unless
    ``journal_help`` is None) the push journal. Shared by every command that reaches a vendor."""
    opts = [
        click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                     help="Config file with profiles (default ~/.config/api-migrate/config.toml)."),
        click.option("--profile", help=profile_help),
        click.option("--edgerc", type=click.Path(dir_okay=False, path_type=Path),
                     help="Akamai .edgerc file (default: $AKAMAI_EDGERC, else ~/.edgerc)."),
        click.option("--section", help="Akamai .edgerc section (default: $AKAMAI_EDGERC_SECTION, else default)."),
        click.option("--account-key", help="Akamai accountSwitchKey."),
    ]
    if journal_help is not None:
        opts.append(click.option("--journal", type=click.Path(dir_okay=False, path_type=Path), help=journal_help))
    for opt in reversed(opts):
        func = opt(func)
    return func


def vendor_options(func: F) -> F:
    """Where and how to reach a vendor (plan/push)."""
    func = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")(func)
    func = account_options(func)
    return click.option("--to", "vendor", type=VENDOR_CHOICE, required=True)(func)


def connection(params: dict[str, Any]) -> Any:
    from migrate.push.commands import Connection

    return Connection(params.pop("vendor"), params.pop("config"), params.pop("profile"), params.pop("edgerc"),
                      params.pop("section"), params.pop("account_key"), params.pop("journal"))


def followup_options(func: F) -> F:
    """The steps after the definition (shared by plan and push)."""
    opts = [
        click.option("--activate", type=click.Choice(["staging", "production"]), help="Akamai: activate on a network."),
        click.option("--publish", is_flag=True, help="Frends: publish the new version."),
        click.option("--deploy", type=int, metavar="AGENT_GROUP", help="Frends: deploy to this agent group."),
        click.option("--deactivate", type=click.Choice(["staging", "production"]),
                     help="Akamai: deactivate the version active on this network (after the definition)."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


#: ``plan --detailed-exitcode``: push would change something (Terraform uses 2, which here means
#: unusable input or usage).
CHANGES_PENDING = 3


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@vendor_options
@followup_options
@click.option("--detailed-exitcode", is_flag=True,
              help=f"Exit {CHANGES_PENDING} when push would change something, 0 when not (errors keep 1 and 2).")
@click.option("-o", "--output", "save_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the plan (JSON) for `push --plan FILE`, which carries out exactly this plan.")
@target_options
@ref_options
@handles_errors
def plan(spec: str, fmt: str, activate: str | None, publish: bool, deploy: int | None, deactivate: str | None,
         detailed_exitcode: bool,
         save_to: Path | None, ref_root: str | None, allow_remote_refs: bool, **params: Any) -> None:
    """Show what push would do for SPEC: create, new version, update or nothing, with a diff of
    the fields we own, the steps that follow (activate, publish, deploy) when asked for as with
    push, and a totals line."""
    from migrate.push.commands import plan_of
    from migrate.push.plan import render_plan
    from migrate.push.protocol import PushOptions

    conn = connection(params)
    steps = PushOptions(activate.lower() if activate else None, publish, deploy,
                        deactivate=deactivate.lower() if deactivate else None)
    found, profile = plan_of(spec, conn, emit_options(params), read_options(ref_root, allow_remote_refs), steps)
    if save_to is not None:
        save_to.write_text(render_plan(found, "json", profile), encoding="utf-8")
    click.echo(plan_lines(render_plan(found, fmt, profile), fmt), nl=False)
    if detailed_exitcode and found.changes_anything:
        sys.exit(CHANGES_PENDING)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@vendor_options
@click.option("--dry-run", is_flag=True, help="Plan and print, send nothing.")
@followup_options
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="Akamai: wait until an activation is ACTIVE (Akamai activates asynchronously).")
@click.option("--wait-timeout", type=click.FloatRange(0, min_open=True), default=1800.0, show_default=True,
              metavar="SECONDS", help="Akamai: how long --wait waits for an activation.")
@click.option("--adopt", metavar="ID", help="An earlier create's outcome was unknown and the vendor holds the API: "
              "its id (Akana APIID), to update it instead of creating another.")
@click.option("--assume-absent", is_flag=True, help="An earlier create's outcome was unknown and you checked that "
              "the vendor does not hold the API: create it.")
@click.option("--plan", "saved_plan", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A plan saved by `plan -o FILE`: carry out exactly that plan, or nothing if the vendor or the "
              "spec changed since.")
@click.option("--yes", is_flag=True, help="Do not ask before --activate production on a terminal.")
@click.option("--verify/--no-verify", default=False, show_default=True,
              help="After the push, read the API back and compare it with what was pushed on the fields we own; "
              "a difference fails (exit 1).")
@target_options
@ref_options
@handles_errors
def push(spec: str, fmt: str, dry_run: bool, activate: str | None, publish: bool, deploy: int | None,
         deactivate: str | None, wait: bool,
         wait_timeout: float, adopt: str | None, assume_absent: bool, saved_plan: Path | None, yes: bool,
         verify: bool, ref_root: str | None, allow_remote_refs: bool, **params: Any) -> None:
    """Create or update SPEC at the vendor idempotently; a re-run of an unchanged spec does nothing.
    With --plan FILE, only what that saved plan says, and nothing if it is out of date. With
    --verify, the API is read back and compared with what was pushed."""

    conn = connection(params)
    if deactivate and conn.vendor != "akamai":
        from migrate.core.errors import UsageError
        raise UsageError(f"--deactivate is for Akamai (--to akamai), not {conn.vendor}")
    if (activate == "production" and conn.vendor == "akamai" and not dry_run and not yes and on_terminal()
            and not click.confirm(f"Activate {spec} on Akamai's production network?", err=True)):
        click.echo("nothing was sent (run with --yes to skip the question)", err=True)
        sys.exit(1)
    planned = load_saved_plan(saved_plan) if saved_plan else None
    from migrate.push.commands import push_spec
    from migrate.push.run import render_push

    result = push_spec(spec, conn, dry_run, activate, publish, deploy, emit_options(params),
                       read_options(ref_root, allow_remote_refs), wait, wait_timeout, adopt, assume_absent, planned,
                       deactivate, verify)
    click.echo(plan_lines(render_push(result, fmt), fmt), nl=False)
    if result.verify_failed:
        sys.exit(1)


#: Lines of a text plan that -q keeps beside the unindented ones (the API's action, the totals, and
#: what verify found: its verdict and its errors).
_PLAN_KEPT = ("  then:", "  done:", "  nothing to do", "  (dry run", "  held:", "  verified:", "    error")


def plan_lines(text: str, fmt: str) -> str:
    """A plan or push result as printed: with ``-q`` (text) without the reason and diff lines."""
    if fmt != "text" or not click.get_current_context().find_root().params.get("quiet"):
        return text
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith("  ") or line.startswith(_PLAN_KEPT))


def on_terminal() -> bool:
    """Whether a person is at the keyboard (stdin is a terminal)."""
    return sys.stdin.isatty()


def load_saved_plan(path: Path) -> dict[str, Any]:
    from migrate.core.errors import UsageError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"--plan {path}: not a plan saved by `plan -o` ({type(exc).__name__})") from None
    if not isinstance(data, dict) or "action" not in data or "sourceHash" not in data:
        raise UsageError(f"--plan {path}: not a plan saved by `plan -o`")
    return data


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--to", "to", multiple=True, help="Targets, comma-separated or repeated (or per spec in a manifest).")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Parallel processes (default: cores).")
@click.option("--push", type=VENDOR_CHOICE, default=None,
              help="Push every cleanly converted spec to this vendor afterwards (idempotent, journaled).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="Config file for --push.")
@click.option("--profile", help="Profile in the config file for --push.")
@click.option("--yes", is_flag=True, help="With --push: also change APIs the vendor already holds (update, new "
              "version); without it they are held and listed, and only new APIs are created.")
@click.option("--resume", is_flag=True, help="Skip specs already done (by content hash) in OUTDIR.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--no-progress", is_flag=True, help="No progress bar or progress lines.")
@click.option("--accept", "accept_file", type=click.Path(dir_okay=False, exists=True),
              help="Accepted losses (YAML; see `api-migrate accept`): counted apart, never failing.")
@target_options
@ref_options
@handles_errors
def batch(paths: tuple[Path, ...], to: tuple[str, ...], outdir: Path, jobs: int | None, push: str | None,
          yes: bool, config: Path | None, profile: str | None, resume: bool, fmt: str, no_progress: bool,
          accept_file: str | None, ref_root: str | None, allow_remote_refs: bool, **params: Any) -> None:
    """Convert many specs (files, folders found by content, or a YAML manifest) to one or more
    targets in parallel; writes payloads, report.json and report.html to OUTDIR. Resumable."""
    from migrate.batch.run import default_jobs, run_batch
    from migrate.core.accept import Acceptance

    targets = list(dict.fromkeys(t.strip() for given in to for t in given.split(",") if t.strip()))
    conn = None
    if push:  # the push clients only for --push (20 ms of a batch's serial start otherwise)
        from migrate.push.commands import Connection

        conn = Connection(push, config, profile)
    quiet = bool(click.get_current_context().find_root().params.get("quiet"))
    sys.exit(run_batch(list(paths), targets, outdir, emit_options(params), read_options(ref_root, allow_remote_refs),
                       jobs or default_jobs(), resume, fmt, not (no_progress or quiet), push=push,
                       push_connection=conn, yes=yes, acceptance=Acceptance.load(accept_file), quiet=quiet))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--to", "to", multiple=True, required=True, help="Targets, comma-separated or repeated.")
@click.option("--write", "write_to", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The accepted-losses file to write (see --accept).")
@click.option("--reason", default=None, help="Reason written on every entry (default: names the baseline's date); "
              "review each entry and say why its loss is acceptable.")
@target_options
@ref_options
@handles_errors
def accept(paths: tuple[Path, ...], to: tuple[str, ...], write_to: Path, reason: str | None, ref_root: str | None,
           allow_remote_refs: bool, **params: Any) -> None:
    """Write an accepted-losses file (a baseline) from converting PATH... (files or folders) to each
    target: every warning and info of today's run, one entry per spec, target and code. Pass it
    back with --accept so that --strict fails only on new losses. Errors are never accepted."""
    import datetime

    from migrate.batch.jobs import discover, parse_targets
    from migrate.conversion.run import convert as run_convert
    from migrate.core.accept import baseline
    from migrate.core.errors import MigrateError

    targets = parse_targets(list(dict.fromkeys(t.strip() for g in to for t in g.split(",") if t.strip())), "--to")
    options, reading = emit_options(params), read_options(ref_root, allow_remote_refs)
    jobs = discover(list(paths), targets, options, reading, Path(".")).jobs
    runs, failed = [], 0
    for job in jobs:
        for target in targets:
            try:
                runs.append((str(job.path), target, run_convert(job.path, target, options, reading).diagnostics))
            except MigrateError as exc:
                failed += 1
                click.echo(f"{job.path}: not read: {exc.render()}", err=True)
    why = reason or f"baseline of {datetime.date.today().isoformat()}: review and say why this loss is acceptable"
    write_to.write_text(baseline(runs, why, write_to.parent), encoding="utf-8")
    entries = sum(1 for d in runs for x in d[2] if x.severity.value != "error")
    click.echo(f"{write_to}: {entries} diagnostic(s) of {len(jobs)} spec(s) accepted, {failed} spec(s) not read")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out/rehearsal"), show_default=True, help="Where payloads and reports go.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Parallel conversions (default: cores).")
@target_options
@ref_options
@handles_errors
def rehearse(paths: tuple[Path, ...], outdir: Path, jobs: int | None, ref_root: str | None,
             allow_remote_refs: bool, **params: Any) -> None:
    """Rehearse a migration of PATH... into local vendor sandboxes (no credentials needed): convert
    to every target, push to Akamai, Akana and Frends sandboxes, push again (must change nothing)."""
    from migrate.batch.rehearse import rehearse as run
    from migrate.batch.run import default_jobs

    code = run(list(paths), outdir, emit_options(params), read_options(ref_root, allow_remote_refs),
               jobs or default_jobs(), sys.stderr.isatty(), click.echo)
    sys.exit(code)


# Commands defined in their own modules (imported last: they use the decorators above).
from migrate.cli_akamai import akamai, delete  # noqa: E402
from migrate.cli_assess import assess  # noqa: E402
from migrate.cli_compare import compare  # noqa: E402
from migrate.cli_frends import frends  # noqa: E402
from migrate.cli_pull import migrate_command, pull  # noqa: E402

main.add_command(assess)
main.add_command(frends)
main.add_command(compare)
main.add_command(akamai)
main.add_command(delete)
main.add_command(pull)
main.add_command(migrate_command)


if __name__ == "__main__":  # pragma: no cover
    main()
