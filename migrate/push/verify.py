"""``verify``: after a push, read the API back from the vendor and compare it with what was pushed,
on the fields we own: the projection ``plan`` decides "unchanged" on (Akamai ``project``, Akana
``owned.projection``), read through the client's own ``find``. Every difference is a
VERIFY_MISMATCH error naming its path in that projection and both values, so a vendor that
silently drops or rewrites a field is caught. A vendor whose documented API cannot return what it
holds (Frends: a specification's text) gives one NOT_VERIFIED warning saying so."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from migrate.core.diagnostics import Code, Diagnostic, Report
from migrate.core.model import METHODS
from migrate.core.pointers import pointer_join, pointer_tokens
from migrate.push.protocol import Client, Delivery, Remote

#: differences listed one by one; the rest are counted in one more line
LIMIT = 50


def verify_push(client: Client, delivery: Delivery, remote: Remote | None) -> list[Diagnostic]:
    """What the vendor holds now for the API ``remote`` names, compared with ``delivery``."""
    report = Report()
    if remote is None:
        report.report(Code.VERIFY_MISMATCH, "", f"{client.vendor}: the push returned no API to read back")
        return report.items
    found = client.find(delivery, {"ids": dict(remote.ids)})
    if found is None:
        report.report(Code.VERIFY_MISMATCH, "", f"{client.vendor} does not return the API just pushed "
                      f"({_ids(remote)})")
        return report.items
    if found.definition is None:
        report.report(Code.NOT_VERIFIED, "", f"{client.vendor}'s documented API cannot return what it holds for "
                      f"{client.key(delivery)!r}: the push was not verified")
        return report.items
    _compare(client.desired(delivery).body, found.definition.body, client.vendor, report)
    return report.items


def _ids(remote: Remote) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(remote.ids.items()) if isinstance(v, str | int))


def _compare(pushed: Any, held: Any, vendor: str, report: Report) -> None:
    found = list(differences(pushed, held, ""))
    for path, sent, kept in found[:LIMIT]:
        if kept is MISSING:
            what = f"pushed {_value(sent)}; {vendor} does not hold it"
        elif sent is MISSING:
            what = f"not pushed; {vendor} holds {_value(kept)}"
        else:
            what = f"pushed {_value(sent)}; {vendor} holds {_value(kept)}"
        where = where_in(pushed, path) or where_in(held, path)
        report.report(Code.VERIFY_MISMATCH, path or "/", f"{where}: {what}" if where else what)
    if len(found) > LIMIT:
        report.report(Code.VERIFY_MISMATCH, "", f"... and {len(found) - LIMIT} more difference(s)")


#: a member one side does not have
MISSING: Any = object()


def differences(pushed: Any, held: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """(JSON pointer, pushed value, held value) of every leaf or member that differs, in order."""
    if isinstance(pushed, dict) and isinstance(held, dict):
        for key in [*pushed, *(k for k in held if k not in pushed)]:
            yield from differences(pushed.get(key, MISSING), held.get(key, MISSING), pointer_join(path, key))
    elif isinstance(pushed, list) and isinstance(held, list) and all(_scalar(v) for v in pushed + held):
        # a list of plain values (inputs, hosts, tags): the values each side lacks, not shifted indexes
        yield from ((path, v, MISSING) for v in pushed if v not in held)
        yield from ((path, MISSING, v) for v in held if v not in pushed)
    elif isinstance(pushed, list) and isinstance(held, list):
        for i in range(max(len(pushed), len(held))):
            yield from differences(pushed[i] if i < len(pushed) else MISSING, held[i] if i < len(held) else MISSING,
                                   pointer_join(path, i))
    elif pushed != held:
        yield path, pushed, held


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


#: members that name an element of a projection's lists (Akamai resource, method, parameter)
LABELS = ("apiResourceMethod", "resourcePath", "apiParameterLocation", "apiParameterName")


def where_in(document: Any, path: str) -> str:
    """The element ``path`` lies in, named by its natural keys (``GET /orders query pageSize``)."""
    found: dict[str, str] = {}
    node = document
    for token in pointer_tokens(path):
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            break
        if isinstance(node, dict):
            found.update({k: str(node[k]) for k in LABELS if isinstance(node.get(k), str | int)})
        elif isinstance(node, list) and len(node) > 2 and str(node[0]).upper() in METHODS:
            found.update(apiResourceMethod=node[0], resourcePath=node[1])  # an Akana operation: [METHOD, Path, ...]
    return " ".join(found[k] for k in LABELS if k in found)


def _value(value: Any, width: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"
