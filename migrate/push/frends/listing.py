"""Reading Frends' paged lists whole (PagingModel, seeds 000/001): pages are asked for by number
and the reading stops once ``totalCount`` items are read or the last page by number is reached
(``ceil(totalCount / pageSize)``), when a page is empty, or when ``nextPage`` is null or absent.
``nextPage`` alone cannot be trusted: the reference's own example gives it on a one-page list
(seed 000:40-48). Page URLs from a response are never followed, so the token goes only to the
configured base URL."""

from __future__ import annotations

from typing import Any, Protocol

import requests

#: the documented maximum (seed 000:12-14: 'Maximum page size is 200')
PAGE_SIZE = 200


class Caller(Protocol):
    policy: Any

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response: ...


def read_all(client: Caller, path: str, action: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every item of a paged list, in the order the pages give them."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        query = {**(params or {}), "PageNumber": page, "PageSize": PAGE_SIZE}
        body = client.call("GET", path, action, params=query).json()
        data = [d for d in (body.get("data") or []) if isinstance(d, dict)]
        items += data
        if _last(body.get("paging") or {}, page, len(data), len(items)):
            return items
        page += 1


def _last(paging: dict[str, Any], page: int, count: int, read: int) -> bool:
    total, size = paging.get("totalCount"), paging.get("pageSize")
    if count == 0 or not paging.get("nextPage"):
        return True
    if isinstance(total, int):
        pages = -(-total // size) if isinstance(size, int) and size > 0 else None
        return read >= total or (pages is not None and page >= pages)
    return count < PAGE_SIZE  # no totalCount: a short page is the last one
