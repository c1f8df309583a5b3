"""Shared fixtures: the REAL reference backend as a subprocess on 127.0.0.1 (never mocked)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from backend.launcher import BackendProcess


class BackendUnderTest(BackendProcess):
    """The shared launcher with the tests' layout (workdir/backend.db, workdir/backend.log,
    rate 0, seed 1, log level warning, simulated units off unless `units="on"`, indicator
    samples off unless `indicators="on"`, camera dropouts off unless `camera_dropouts="on"`) and helpers to log in and make events."""

    def __init__(self, workdir: Path, **options):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        options.setdefault("log_level", "warning")
        # Dispatched events stay where the test puts them: no simulated unit answers.
        options.setdefault("units", "off")
        # No indicator samples either: many tests count exact seqs.
        options.setdefault("indicators", "off")
        # Nor cameras dropping out on their own (`camera.status`).
        options.setdefault("camera_dropouts", "off")
        super().__init__(self.workdir / "backend.db", log_file=self.workdir / "backend.log",
                         **options)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1)

    def login(self, username: str, password: str | None = None, seat: str = "test-seat") -> str:
        """Log in and return the access token."""
        answer = requests.post(f"{self.url}/api/v1/auth/login", timeout=10,
                               json={"username": username, "password": password or username,
                                     "seat": seat})
        answer.raise_for_status()
        return answer.json()["access_token"]

    def headers(self, username: str = "duty1") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.login(username)}"}

    def sim_events(self, count: int, **extra) -> dict:
        answer = requests.post(f"{self.url}/api/v1/sim/events", headers=self.headers("admin"),
                               json={"count": count, **extra}, timeout=30)
        answer.raise_for_status()
        return answer.json()


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    """One backend (rate 0, units and indicator samples off) shared by a whole test session."""
    proc = BackendUnderTest(tmp_path_factory.mktemp("backend"), units="off")
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def backend_factory(tmp_path):
    """Start private backends with options: `backend_factory(retain=5, heartbeat=1)`;
    simulated units and indicator samples are off unless `units="on"` / `indicators="on"`."""
    started: list[BackendUnderTest] = []

    def make(**options) -> BackendUnderTest:
        proc = BackendUnderTest(tmp_path / f"b{len(started)}", **options)
        started.append(proc)
        proc.start()
        return proc

    try:
        yield make
    finally:
        for proc in started:
            proc.stop()


@pytest.fixture(autouse=True, scope="session")
def _loopback_only():
    # Nothing in the tests may reach a proxy or another host.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                 "all_proxy"):
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    yield
