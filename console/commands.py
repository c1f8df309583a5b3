"""User commands on events and what came of them.

A command gets its idempotency key when it is created, before it is first sent, so
sending it again (after a lost answer) can never apply it twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from console.api import ApiClient, ApiError
from console.schema import ActionRequest, Event, EventCreateRequest, now_cst

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Command:
    """One action on one event, as the user asked for it."""

    event_id: str
    request: ActionRequest
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=now_cst)

    @property
    def action(self) -> str:
        return self.request.action

    @classmethod
    def make(cls, event_id: str, action: str, expected_version: int, **fields: Any) -> Command:
        """A command for `action` on `event_id` as of `expected_version` (plus action fields)."""
        request = ActionRequest(action=action, expected_version=expected_version, **fields)
        return cls(event_id=event_id, request=request)


@dataclass(frozen=True, kw_only=True)
class CreateEventCommand:
    """A new event the user entered (by hand, or from an indicator breach), as asked for.

    Like `Command`, it has its id and idempotency key from the moment it is made, so sending
    the same command again after a lost answer creates the event once. `event_id` is "" (the
    backend names the event; the result's `event` carries it).
    """

    request: EventCreateRequest
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=now_cst)

    action = "create"
    event_id = ""


def send_command(api: ApiClient, command: Command | CreateEventCommand) -> Event:
    """Send `command` with its idempotency key; the event after it (raises ApiError)."""
    if isinstance(command, CreateEventCommand):
        return api.create_event(command.request, command.idempotency_key)
    return api.act(command.event_id, command.request, command.idempotency_key)


@dataclass(frozen=True)
class CommandResult:
    """The outcome of a command: the event after it, or the error (or both, for a conflict).

    On `409 version_conflict`, `event` is the current event from the error's details, so the
    console can show it at once.
    """

    command: Command | CreateEventCommand
    event: Event | None = None
    error: ApiError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def is_conflict(self) -> bool:
        return self.error is not None and self.error.code == "version_conflict"

    @property
    def changed_by(self) -> str | None:
        """Who changed the event last, for a version conflict."""
        if not self.is_conflict:
            return None
        details = self.error.details
        who = details.get("changed_by") or details.get("actor")
        if not who and self.event is not None and self.event.timeline:
            who = self.event.timeline[-1].actor
        return str(who) if who else None

    def conflict_text(self) -> str:
        """E.g. "already handled by leader1: status acknowledged"; "" if not a conflict."""
        if not self.is_conflict:
            return ""
        who = self.changed_by or "another seat"
        status = self.event.status if self.event is not None else self.error.details.get("status")
        return f"already handled by {who}: status {status}" if status else f"already handled by {who}"

    @classmethod
    def from_error(cls, command: Command | CreateEventCommand, error: ApiError) -> CommandResult:
        """A failed result; for a version conflict, with the current event from the details."""
        return cls(command=command, event=current_event_of(error), error=error)


def current_event_of(error: ApiError) -> Event | None:
    """The current event carried in a `version_conflict` error's details, if any."""
    if error.code != "version_conflict":
        return None
    for key in ("current", "event", "current_event"):
        data = error.details.get(key)
        if isinstance(data, dict):
            try:
                return Event.model_validate(data)
            except ValidationError as exc:
                log.warning("version_conflict details hold a malformed event (%d errors)",
                            exc.error_count())
                return None
    return None
