"""Loading RAML 0.8 YAML, with ``!include`` followed as ``migrate.source.refpolicy`` allows.

RAML 0.8 rules followed here (and by the reference parser raml-js-parser 0.8): an included file
whose name ends in .raml/.yaml/.yml is parsed as YAML (and may include further files, relative to
its own folder); any other file is included as a string (JSON schemas, examples, Markdown).
YAML timestamps are kept as the text written (RAML has no date values), so an example dated
``2014-01-01`` is not turned into a Python date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from migrate.core.diagnostics import Code, Report
from migrate.core.errors import ReadError, RefError
from migrate.source.load import MAX_FILE_BYTES, check_expansion, node_duplicates, report_duplicate_keys, yaml_error
from migrate.source.refpolicy import RefPolicy, RefRefused, shown

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
    """What every ``!include`` of one spec shares: the reference policy, the report and the stack
    of files being read (to refuse include cycles). With ``follow=False`` (the validator's
    structural check) each include is checked against the policy and kept as an
    ``IncludeMarker`` instead of being read."""

    def __init__(self, spec: Path, policy: RefPolicy, report: Report, follow: bool = True) -> None:
        self.spec = spec
        self.policy = policy
        self.report = report
        self.follow = follow
        self.stack: list[Path] = [spec.resolve()]
        #: every file included, in the order first met
        self.files: dict[Path, None] = {}

    def resolve(self, source: Path, name: str, line: int) -> Path:
        """The file ``name`` included from ``source`` (at ``line``), or ``RefError``."""
        try:
            target = self.policy.local_file(name, str(source), "!include")
        except RefRefused as exc:
            raise RefError(str(source), f"!include {shown(name)}: {exc.reason}", line=line) from None
        if name.startswith("/"):
            self.report.report(Code.SOURCE_VALUE_REPAIRED, "", f"!include {name} read relative to {self.policy.root}")
        if target in self.stack:
            raise RefError(str(source), f"!include cycle through {shown(name)}", line=line)
        self.files[target] = None
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


@dataclass(frozen=True)
class IncludeMarker:
    """An ``!include`` checked against the policy but not read (``IncludeContext(follow=False)``)."""

    target: str


def _include(loader: RamlLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise ReadError(str(loader.file), "!include needs a file name", line=node.start_mark.line + 1)
    name = str(node.value).strip()
    ctx = loader.context
    target = ctx.resolve(loader.file, name, node.start_mark.line + 1)
    if not ctx.follow:
        return IncludeMarker(name)
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
        node = loader.get_single_node()
        duplicates = node_duplicates(node, str(path)) if node is not None else []
        data = loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, RecursionError) as exc:
        raise yaml_error(exc, str(path)) from None
    finally:
        loader.dispose()
    check_expansion(data, str(path))
    report_duplicate_keys(ctx.report, duplicates, ctx.spec)  # the loader kept the last value of each: a loss
    return data
