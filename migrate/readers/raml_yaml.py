"""Loading RAML 0.8 YAML with ``!include`` confined to the spec's folder.

RAML 0.8 rules followed here (and by the reference parser raml-js-parser 0.8): an included file
whose name ends in .raml/.yaml/.yml is parsed as YAML (and may include further files, relative to
its own folder); any other file is included as a string (JSON schemas, examples, Markdown).
YAML timestamps are kept as the text written (RAML has no date values), so an example dated
``2014-01-01`` is not turned into a Python date.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from migrate.diagnostics import Code, Report
from migrate.errors import ReadError, RefError
from migrate.loader import MAX_FILE_BYTES, check_expansion

try:
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

YAML_SUFFIXES = (".raml", ".yaml", ".yml")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class RamlLoader(_Base):
    """Safe loader without timestamps and with a per-document ``!include`` context."""

    context: IncludeContext
    file: Path


RamlLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


class IncludeContext:
    """What every ``!include`` of one spec shares: the root folder, the report and the stack of
    files being read (to refuse include cycles)."""

    def __init__(self, spec: Path, root: Path, report: Report) -> None:
        self.spec = spec
        self.root = root
        self.report = report
        self.stack: list[Path] = [spec.resolve()]

    def resolve(self, source: Path, name: str, line: int) -> Path:
        """The file ``name`` included from ``source`` (at ``line``), or ``RefError``."""
        where = str(source)
        if re.match(r"[a-z][a-z0-9+.-]*://", name, re.I):
            raise RefError(where, f"remote !include {name} is not supported", line=line)
        if name.startswith("/"):
            # Absolute include paths are taken as relative to the root folder (as RAML 1.0 does);
            # the 0.8 reference parser looks them up in the file system root and fails.
            self.report.report(Code.SOURCE_VALUE_REPAIRED, "", f"!include {name} read relative to {self.root}")
            target = (self.root / name.lstrip("/")).resolve()
        else:
            target = (source.parent / name).resolve()
        if not target.is_relative_to(self.root):
            raise RefError(where, f"!include {name} is outside the folder {self.root}", line=line)
        if not target.is_file():
            raise RefError(where, f"!include {name}: no such file", line=line)
        if target in self.stack:
            raise RefError(where, f"!include cycle through {name}", line=line)
        return target

    def text(self, target: Path) -> str:
        raw = target.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            raise ReadError(str(target), "included file is too large")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Some published RAML specs include Latin-1 files; read them rather than give up.
            self.report.report(Code.SOURCE_VALUE_REPAIRED, "", f"{target.name} is not UTF-8; read as Latin-1")
            return raw.decode("latin-1")


class Included(str):
    """Text of a non-YAML included file; ``name`` is the file name (e.g. ``book.json``)."""

    name: str = ""


def _include(loader: RamlLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise ReadError(str(loader.file), "!include needs a file name", line=node.start_mark.line + 1)
    name = str(node.value).strip()
    ctx = loader.context
    target = ctx.resolve(loader.file, name, node.start_mark.line + 1)
    text = ctx.text(target)
    if target.suffix.lower() not in YAML_SUFFIXES:
        included = Included(text)
        included.name = target.name
        return included
    ctx.stack.append(target)
    try:
        return load_yaml(text, target, ctx)
    finally:
        ctx.stack.pop()


def _any_tag(loader: RamlLoader, suffix: str, node: yaml.Node) -> Any:
    """Unknown tags (``!!null`` variants, vendor tags) are read as their plain value."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None


RamlLoader.add_constructor("!include", _include)
RamlLoader.add_multi_constructor("!", _any_tag)


def load_yaml(text: str, path: Path, ctx: IncludeContext) -> Any:
    """Parse one RAML/YAML text; errors become one-line ``ReadError`` with the line."""
    loader = RamlLoader(text)
    loader.context = ctx
    loader.file = path
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ReadError(str(path), f"invalid YAML: {exc.problem or exc.context}", line=line) from None
    except yaml.YAMLError as exc:
        raise ReadError(str(path), f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ReadError(str(path), "document nests too deeply") from None
    finally:
        loader.dispose()
    check_expansion(data, str(path))
    return data
