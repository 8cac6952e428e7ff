"""Akana reshaping steps (pure ``Api -> Api``), applied before the legacy body is built."""

from __future__ import annotations

import copy
import dataclasses
import re

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Operation, Resource
from migrate.emitters.common import fixed_server_variables, without_path_fragments
from migrate.transforms import Step, unique_operation_ids

# Akana reuses an operation's Name as its WSDL operation name (seed 003: "WsdlOperationName"), so
# names are kept to XML-name-safe characters.
_NAME_BAD = re.compile(r"[^0-9A-Za-z_.-]+")


def safe_operation_name(name: str) -> str:
    """``name`` with runs of characters outside ``[0-9A-Za-z_.-]`` made ``_`` and a leading
    digit, dot or dash prefixed with ``_``."""
    out = _NAME_BAD.sub("_", name)
    if not out or not (out[0].isalpha() or out[0] == "_"):
        out = "_" + out
    return out


def operations_copy(api: Api) -> Api:
    """A copy of ``api`` in which resources and operations are new objects (their parts are
    shared, not copied: a deep copy of a large spec costs seconds)."""
    resources = [dataclasses.replace(r, operations=[copy.copy(op) for op in r.operations])
                 for r in api.resources]
    return dataclasses.replace(api, resources=resources)


def akana_operation_names(api: Api, report: Report) -> Api:
    """Make operationIds Akana-safe (see ``safe_operation_name``); reported as renamed."""
    api = operations_copy(api)
    for _, op in api.operations():
        original = op.operation_id
        if original is None:
            continue
        safe = safe_operation_name(original)
        if safe != original:
            op.operation_id = safe
            report.report(Code.OPERATION_ID_RENAMED, op.pointer,
                          f"operationId {literal(original)} has characters Akana operation names cannot hold; "
                          f"it became {literal(safe)}")
    return api


def akana_unique_names(api: Api, report: Report) -> Api:
    """``transforms.unique_operation_ids`` run on a skeleton of ``api`` (methods, ids and
    pointers only, so its deep copy stays cheap); the names are copied back."""
    skeleton = Api(title=api.title, resources=[
        Resource(r.path, pointer=r.pointer, operations=[
            Operation(o.method, operation_id=o.operation_id, pointer=o.pointer) for o in r.operations])
        for r in api.resources])
    named = unique_operation_ids(skeleton, report)
    out = operations_copy(api)
    for (_, op), (_, named_op) in zip(out.operations(), named.operations(), strict=True):
        op.operation_id = named_op.operation_id
    return out


#: the steps the Akana emitter applies, in order (names are made safe before they are made unique)
STEPS: list[Step] = [fixed_server_variables, without_path_fragments, akana_operation_names, akana_unique_names]
