"""Small helpers shared by the vendor sandboxes: JSON and problem+json responses, bodies, paging."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

PROBLEM = "application/problem+json"


class HTTPProblem(Exception):
    """Raised by handlers; turned into the vendor's error response by the vendor's app."""

    def __init__(self, status: int, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None,
                  media_type: str = "application/json") -> Response:
    """Deterministic JSON (sorted keys)."""
    body = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=status, headers=headers, media_type=media_type)


def problem_response(problem: HTTPProblem, type_base: str, instance_base: str) -> Response:
    """RFC 7807 body ``{type, title, status, detail, instance, ...}``."""
    slug = problem.title.lower().replace(" ", "-")
    body = {
        "type": f"{type_base}/{slug}",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": f"{instance_base}/{uuid.uuid4()}",
        **problem.extra,
    }
    return json_response(body, problem.status, media_type=PROBLEM)


async def read_json(request: Request) -> Any:
    """The request body as JSON, or a 400 problem."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except (ValueError, RecursionError):
        raise HTTPProblem(400, "Bad Request", "the request body is not valid JSON") from None


def int_param(request: Request, name: str, default: int, low: int = 1, high: int | None = None) -> int:
    """A query parameter as an int within [low, high], or a 400 problem."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise HTTPProblem(400, "Bad Request", f"{name} must be an integer") from None
    if value < low or (high is not None and value > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise HTTPProblem(400, "Bad Request", f"{name} must be {limit}")
    return value


def page_of(items: list[Any], page: int, size: int) -> list[Any]:
    start = (page - 1) * size
    return items[start:start + size]


def path_int(request: Request, name: str) -> int:
    """A path parameter declared with the ``:int`` convertor."""
    return int(request.path_params[name])
