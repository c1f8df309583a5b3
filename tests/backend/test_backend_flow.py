"""backend.flow enforces the one shared status table (console.flow), not a copy of it."""

from __future__ import annotations

from datetime import datetime

import pytest

import backend.flow
import console.flow
from backend.errors import ApiError
from backend.security import Principal
from console.schema import ACTIONS, CST, STATUSES, ActionRequest


def test_backend_uses_the_shared_table():
    assert backend.flow.ALLOWED_FROM is console.flow.ALLOWED_FROM


@pytest.mark.parametrize("status", STATUSES)
def test_backend_refuses_exactly_what_the_shared_rules_refuse(status):
    principal = Principal(user_id="admin", name="admin", roles=("admin",), seat="s",
                          scope={})
    for action in ACTIONS:
        event = {"status": status, "version": 1, "level": 2, "timeline": []}
        request = ActionRequest(action=action, expected_version=1, note="x")
        try:
            backend.flow.apply_action(event, request, principal, datetime.now(CST))
        except ApiError as exc:
            refused_for_status = exc.details.get("status") == status
        else:
            refused_for_status = False
        assert refused_for_status is not console.flow.status_allows(action, status), action
