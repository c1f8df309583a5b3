"""Helpers of the conference tests: starting conferences and speaking the room's signalling."""

from __future__ import annotations

import json
import time
import uuid

import requests
from be_helpers import API, bearer
from websockets.sync.client import connect


def start_conference(proc, token: str, body: dict, *, key: str | None = "auto"
                     ) -> requests.Response:
    headers = bearer(token)
    if key == "auto":
        key = f"cf-{uuid.uuid4()}"
    if key is not None:
        headers["Idempotency-Key"] = key
    return requests.post(f"{proc.url}{API}/conferences", json=body, headers=headers, timeout=10)


def end_conference(proc, token: str, conference_id: str, *, key: str | None = "auto"
                   ) -> requests.Response:
    headers = bearer(token)
    headers["Idempotency-Key"] = f"end-{uuid.uuid4()}" if key == "auto" else key
    return requests.post(f"{proc.url}{API}/conferences/{conference_id}/end", headers=headers,
                         timeout=10)


def new_event(proc) -> str:
    return proc.sim_events(1)["ids"][0]


def room_key(conference: dict) -> str:
    return conference["join_url"].rsplit("?k=", 1)[1]


def signal_socket(proc, conference: dict, key: str | None = None):
    key = room_key(conference) if key is None else key
    return connect(f"{proc.ws_url}/rooms/{conference['id']}/signal?k={key}", open_timeout=10,
                   close_timeout=2, max_size=None)


def next_message(ws, *, timeout: float = 10.0) -> dict:
    return json.loads(ws.recv(timeout=timeout))


def hello(ws, name: str, unit_id: str | None = None) -> dict:
    """Say hello; returns the welcome."""
    ws.send(json.dumps({"type": "hello", "name": name, "unit_id": unit_id}))
    welcome = next_message(ws)
    assert welcome["type"] == "welcome", welcome
    return welcome


def room_view(proc, token: str, conference_id: str) -> dict:
    answer = requests.get(f"{proc.url}{API}/conferences/{conference_id}/room",
                          headers=bearer(token), timeout=10)
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()


def get_conference(proc, token: str, conference_id: str) -> dict:
    answer = requests.get(f"{proc.url}{API}/conferences/{conference_id}",
                          headers=bearer(token), timeout=10)
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    """Poll `predicate` until it returns something true; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(interval)
