"""Small helpers shared by the backend tests (requests + the websockets sync client)."""

from __future__ import annotations

import json
import time
import uuid

import requests
from websockets.sync.client import connect

from console.schema import ErrorBody

API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(answer: requests.Response, status: int, code: str) -> dict:
    """The answer has the status and the one error shape with this code; returns details."""
    assert answer.status_code == status, (answer.status_code, answer.text[:500])
    body = ErrorBody.model_validate(answer.json())
    assert body.error.code == code, answer.text[:500]
    assert body.error.message
    return body.error.details


def act(backend, token: str, event_id: str, body, *, key: str | None = "auto",
        raw: bytes | None = None) -> requests.Response:
    headers = bearer(token)
    if key == "auto":
        key = f"k-{uuid.uuid4()}"
    if key is not None:
        headers["Idempotency-Key"] = key
    if raw is not None:
        headers["Content-Type"] = "application/json"
        return requests.post(f"{backend.url}{API}/events/{event_id}/actions", data=raw,
                             headers=headers, timeout=10)
    return requests.post(f"{backend.url}{API}/events/{event_id}/actions", json=body,
                         headers=headers, timeout=10)


def get_event(backend, token: str, event_id: str) -> dict:
    answer = requests.get(f"{backend.url}{API}/events/{event_id}", headers=bearer(token),
                          timeout=10)
    answer.raise_for_status()
    return answer.json()


def last_seq(backend) -> int:
    return requests.get(f"{backend.url}{API}/health", timeout=5).json()["last_seq"]


def live(backend, token: str, since_seq: int):
    return connect(f"{backend.ws_url}{API}/live?since_seq={since_seq}",
                   additional_headers=bearer(token), open_timeout=10, close_timeout=2)


def receive(ws, count: int, *, timeout: float = 10.0, keep_heartbeats: bool = False) -> list[dict]:
    """The next `count` messages (heartbeats skipped unless asked for)."""
    out: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(out) < count:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"only {len(out)} of {count} messages arrived"
        message = json.loads(ws.recv(timeout=remaining))
        if message["type"] == "heartbeat" and not keep_heartbeats:
            continue
        out.append(message)
    return out
