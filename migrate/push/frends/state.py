"""What api-migrate knows of a Frends API that Frends cannot tell: the local state, kept in the push
journal with the API's ids (``Remote.ids``; the journal merges them entry by entry, as Terraform
keeps state beside the configuration).

No documented response returns a specification's text, whether a version is published, or where
it is deployed (contract x-silent). So the client records, from its own successful calls:

- ``title``: the info.title pushed to this base path (another API on the same base path is refused);
- ``fingerprint``: the fingerprint of the payload last written into the active version;
- ``writtenTo``: the first version that holds that payload. Frends moves ``activeVersion`` only when
  it publishes, so ``activeVersion == writtenTo + 1`` means version ``writtenTo`` was published
  (locked) with exactly that payload, and the active version is its unchanged copy;
- ``deployedToGroup<N>``: the version last deployed to Agent Group N.
"""

from __future__ import annotations

from typing import Any

from migrate.push.protocol import Delivery, Remote, source_hash


def fingerprint(delivery: Delivery) -> str:
    """A short fingerprint of everything the payload sends (document and passthrough bodies)."""
    return source_hash(delivery)[:16]


def active(remote: Remote) -> int:
    return int(remote.version or 1)


def written(ids: dict[str, Any], delivery: Delivery, version: int) -> dict[str, Any]:
    """The facts after the payload was written into active version ``version``. When the version
    before it already holds this payload (published, and this is its copy), it stays the first."""
    mark = fingerprint(delivery)
    first = ids.get("writtenTo")
    keep = ids.get("fingerprint") == mark and isinstance(first, int) and first == version - 1
    return {**ids, "fingerprint": mark, "writtenTo": first if keep else version}


def published_version(remote: Remote, delivery: Delivery) -> int | None:
    """The locked version holding this payload, when the active version is its untouched copy."""
    first = remote.ids.get("writtenTo")
    if remote.ids.get("fingerprint") != fingerprint(delivery) or not isinstance(first, int):
        return None
    return first if active(remote) == first + 1 else None


def mark_published(remote: Remote, delivery: Delivery, locked: int) -> None:
    """After publishing: ``locked`` holds the payload; the active version is ``locked + 1``."""
    remote.ids.update(fingerprint=fingerprint(delivery), writtenTo=locked)
    remote.version = str(locked + 1)


def deploy_key(group: int) -> str:
    return f"deployedToGroup{group}"


def deployed_version(remote: Remote, group: int) -> int | None:
    value = remote.ids.get(deploy_key(group))
    return value if isinstance(value, int) else None
