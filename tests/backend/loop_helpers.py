"""Helpers for the closed-loop tests: dispatch, unit reports, catalog unit status, time spans."""

from __future__ import annotations

from datetime import datetime

import requests
from be_helpers import API, act, bearer


def ok(answer: requests.Response) -> dict:
    """The answer's event, after checking it is a 200."""
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()


def dispatch(backend, token: str, event: dict, lead: str, *assists: str, note: str = "") -> dict:
    """Dispatch `event` to `lead` (and `assists`) as of its version; returns the new event."""
    assignments = [{"unit_id": lead, "role": "lead", "instructions": "请尽快到场处置"}]
    assignments += [{"unit_id": unit, "role": "assist"} for unit in assists]
    body = {"action": "dispatch", "expected_version": event["version"],
            "assignments": assignments}
    if note:
        body["note"] = note
    return ok(act(backend, token, event["id"], body))


def report(backend, token: str, event: dict, action: str, unit_id: str | None,
           note: str | None = None) -> requests.Response:
    """A unit's report (sign, arrive, resolve, return) on `event` as of its version."""
    body: dict = {"action": action, "expected_version": event["version"]}
    if unit_id is not None:
        body["unit_id"] = unit_id
    if note is not None:
        body["note"] = note
    return act(backend, token, event["id"], body)


def unit_status(backend, token: str, unit_id: str) -> str:
    catalog = requests.get(f"{backend.url}{API}/catalog", headers=bearer(token), timeout=10)
    return next(u["status"] for u in catalog.json()["units"] if u["id"] == unit_id)


def seconds(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def entry(event: dict, action: str, last: bool = True) -> dict:
    """The last (or first) timeline entry of `action`."""
    entries = [e for e in event["timeline"] if e["action"] == action]
    assert entries, f"no {action} in the timeline"
    return entries[-1] if last else entries[0]


def assignment(event: dict, unit_id: str) -> dict:
    return next(a for a in event["assignments"] if a["unit_id"] == unit_id)


def audit(backend, token: str, **params) -> list[dict]:
    answer = requests.get(f"{backend.url}{API}/audit", headers=bearer(token), params=params,
                          timeout=10)
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()
