"""The cache's tables and the ordered list of migrations that builds them.

`PRAGMA user_version` holds the number of migrations applied. Migration N is
`MIGRATIONS[N - 1]`: adding a version 2 is one function appended to the tuple. Each
migration runs in its own transaction together with the version bump.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

#: The tables of version 1, as `check` expects them in a file of that version or newer.
TABLES_V1: frozenset[str] = frozenset({
    "events", "units", "catalog", "indicators", "indicator_history", "map_layers", "cameras",
    "tiles", "sync", "outbox",
})

#: The event columns besides `document` that are indexed (`id` is the primary key).
EVENT_INDEXED = ("seq", "status", "level", "category", "reported_at", "updated_at")


class NewerSchemaError(Exception):
    """The file was written by a newer console: it is never downgraded."""

    def __init__(self, found: int) -> None:
        super().__init__(f"schema version {found} is newer than this console knows "
                         f"({latest_version()})")
        self.found = found


def _v1_tables(db: Database) -> None:
    db["events"].create(
        {"id": str, "seq": int, "status": str, "level": int, "category": str,
         "reported_at": str, "updated_at": str, "document": bytes},
        pk="id", not_null={"id", "seq", "document"})
    for column in EVENT_INDEXED:
        db["events"].create_index([column])
    for name in ("units", "cameras", "map_layers"):
        db[name].create({"id": str, "document": bytes}, pk="id", not_null={"id", "document"})
    # One row, id 1.
    db["catalog"].create({"id": int, "document": bytes}, pk="id", not_null={"document"})
    db["indicators"].create(
        {"id": str, "value": float, "state": str, "at": float, "document": bytes},
        pk="id", not_null={"id", "at"})
    db["indicator_history"].create(
        {"indicator_id": str, "at": float, "value": float},
        pk=("indicator_id", "at"), not_null={"indicator_id", "at"})
    db["tiles"].create(
        {"key": str, "data": bytes, "content_type": str, "fetched_at": float,
         "last_used": float},
        pk="key", not_null={"key", "data", "last_used"})
    db["tiles"].create_index(["last_used"])
    # "ANY" keeps integers (last_seq) exact next to floats (written_at).
    db["sync"].create({"key": str, "value": "ANY"}, pk="key", not_null={"key"})
    db["outbox"].create(
        {"id": str, "position": int, "kind": str, "event_id": str, "idempotency_key": str,
         "body": bytes, "created_at": str, "username": str, "state": str, "attempts": int,
         "last_error": str},
        pk="id", not_null={"id", "position", "body"})
    db["outbox"].create_index(["position"], unique=True)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1_tables,)


def latest_version() -> int:
    """The version this code builds: the number of migrations."""
    return len(MIGRATIONS)


def user_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database) -> int:
    """Bring the file up to `latest_version()`; return the version it had before."""
    found = user_version(db)
    if found > latest_version():
        raise NewerSchemaError(found)
    for version in range(found + 1, latest_version() + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
    return found
