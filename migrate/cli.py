"""Command line: ``api-migrate`` (also ``python -m migrate``).

Exit codes: 0 ok, 1 findings / partial failure, 2 unusable input or usage. Errors are one line on
stderr; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from migrate.errors import MigrateError

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
        except Exception as exc:  # noqa: BLE001 - the promise is "never a traceback"
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="api-migrate")
def main(debug: bool) -> None:
    """Move API definitions (OpenAPI 2.0/3.0/3.1, RAML 0.8) to Akamai API Gateway, Akana and
    Frends, and report everything that could not be carried over."""


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@ref_options
@handles_errors
def inspect(spec: str, fmt: str, ref_root: str | None, allow_remote_refs: bool) -> None:
    """Read SPEC and print its resources, methods and parameters (or the model as JSON)."""
    from migrate.readers import read_spec

    api = read_spec(spec, read_options(ref_root, allow_remote_refs))
    if fmt == "json":
        click.echo(json.dumps(api.document(), indent=2, ensure_ascii=False))
    else:
        from migrate.inspect import render_text

        click.echo(render_text(api), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
