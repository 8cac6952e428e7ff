"""Frends paged lists (seeds 000/001, PagingModel): ``{data, paging{currentPage, pageSize,
totalCount, firstPage, lastPage, nextPage, previousPage}}`` with ``PageNumber`` (default 1) and
``PageSize`` (default 30, at most 200)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from migrate.sandbox.responses import int_param, page_of

MAX_PAGE_SIZE = 200


def by_name(items: list[dict[str, Any]], name: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
    """Name order, then id (x-sandbox-decisions: not the creation order a client might assume)."""
    return sorted(items, key=lambda item: (name(item).casefold(), str(item.get("id", ""))))


def paged(request: Request, items: list[Any]) -> dict[str, Any]:
    """One page of ``items``. PageSize above 200 or PageNumber below 1 is a 400 problem; a page past
    the last one is empty with nextPage null (x-sandbox-decisions)."""
    page = int_param(request, "PageNumber", 1)
    size = int_param(request, "PageSize", 30, high=MAX_PAGE_SIZE)
    last = max(1, -(-len(items) // size))

    def link(number: int) -> str | None:
        if not 1 <= number <= last:
            return None
        return str(request.url.replace_query_params(**{**request.query_params, "PageNumber": number,
                                                        "PageSize": size}))

    paging = {"currentPage": page, "pageSize": size, "totalCount": len(items), "firstPage": link(1),
              "lastPage": link(last), "nextPage": link(page + 1), "previousPage": link(min(page - 1, last))}
    return {"data": page_of(items, page, size), "paging": paging}
