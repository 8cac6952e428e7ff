"""Akamai categories named with ``--category NAME`` (seed 002 "List Categories", "Create a
Category"): found by name whatever its case, created when Akamai has none of that name (201; not
idempotent, so after an unknown outcome the list is read again before anything is sent twice)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import requests

from migrate.core.errors import PushError
from migrate.emitters.akamai.endpoint import CATEGORIES_FILE
from migrate.push.http import RetryPolicy, create_once
from migrate.push.protocol import Delivery, log, payload_file

V = "akamai"


def category_names(delivery: Delivery) -> list[str]:
    """The categories the payload names (akamai-categories.json)."""
    found = payload_file(delivery, CATEGORIES_FILE)
    return [str(n) for n in json.loads(found.text).get("apiCategoryNames") or []] if found else []


class Categories:
    """The account's categories by (casefolded) name, read once per client."""

    def __init__(self, call: Callable[..., requests.Response], policy: RetryPolicy) -> None:
        self.call, self.policy = call, policy
        self.known: dict[str, int] | None = None

    def missing(self, names: list[str]) -> list[str]:
        if not names:
            return []
        known = self._known()
        return [n for n in names if n.casefold() not in known]

    def ids(self, names: list[str], create: bool) -> dict[str, int]:
        """name -> id of the named categories Akamai has; with ``create``, missing ones made first."""
        if not names:
            return {}
        known = self._known()
        for name in names:
            if name.casefold() not in known and create:
                known[name.casefold()] = self._create(name)
        return {n: known[n.casefold()] for n in names if n.casefold() in known}

    def _known(self) -> dict[str, int]:
        if self.known is None:
            self.known = self._list()
        return self.known

    def _list(self) -> dict[str, int]:
        found: Any = self.call("GET", "/categories", "list categories", params={"withUsageInfo": "false"}).json()
        return {str(c["apiCategoryName"]).casefold(): int(c["apiCategoryId"]) for c in found
                if c.get("apiCategoryId") is not None}

    def _create(self, name: str) -> int:
        def post() -> int:
            made = self.call("POST", "/categories", "create category", json={"apiCategoryName": name}).json()
            value = made.get("apiCategoryId") if isinstance(made, dict) else None
            found = int(value) if isinstance(value, int) else lookup()
            if found is None:
                raise PushError(V, f"category {name!r} was created but cannot be found")
            return found

        def lookup() -> int | None:
            return self._list().get(name.casefold())

        log.info("akamai: category %r created", name)
        return create_once(post, lookup, self.policy)
