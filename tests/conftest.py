"""Shared fixtures: the REAL reference backend as a subprocess on 127.0.0.1 (never mocked)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 15.0


class BackendProcess:
    """A running `python -m backend` on a free loopback port, restartable on the same db."""

    def __init__(self, workdir: Path, **options):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_path = str(self.workdir / "backend.db")
        self.options = {"rate": 0, "seed": 1, "log-level": "warning"}
        self.options.update({k.replace("_", "-"): v for k, v in options.items()})
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.port = 0
        self._log = None

    def start(self) -> BackendProcess:
        port_file = self.workdir / f"port-{uuid.uuid4().hex[:8]}.txt"
        args = [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", "0",
                "--port-file", str(port_file), "--db", self.db_path]
        for key, value in self.options.items():
            args += [f"--{key}", str(value)]
        self._log = open(self.workdir / "backend.log", "ab")
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"backend exited with {self.proc.returncode}: {self.log_text()}")
            if port_file.exists():
                text = port_file.read_text().strip()
                if text:
                    self.port = int(text)
                    self.url = f"http://127.0.0.1:{self.port}"
                    try:
                        if requests.get(f"{self.url}/api/v1/health", timeout=1).ok:
                            return self
                    except requests.RequestException:
                        pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"backend did not become healthy: {self.log_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        """Stop hard (SIGKILL), as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.stop()

    def restart(self) -> BackendProcess:
        self.stop()
        return self.start()

    def log_text(self) -> str:
        path = self.workdir / "backend.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

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
    """One backend (rate 0) shared by a whole test session."""
    proc = BackendProcess(tmp_path_factory.mktemp("backend")).start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def backend_factory(tmp_path):
    """Start private backends with options: `backend_factory(retain=5, heartbeat=1)`."""
    started: list[BackendProcess] = []

    def make(**options) -> BackendProcess:
        proc = BackendProcess(tmp_path / f"b{len(started)}", **options)
        started.append(proc)
        return proc.start()

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
