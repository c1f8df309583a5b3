"""Start and stop the reference backend as a subprocess on a free loopback port.

Used by `main.py --demo`, the tests' backend fixtures and the bench. Standard library and
`requests` only (no Qt, no FastAPI in the caller's process).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

#: The directory `python -m backend` must run from (the one holding the `backend` package).
PACKAGE_PARENT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
#: How long a stopping backend may take before it is killed.
STOP_GRACE_SECONDS = 5.0
_LOG_TAIL_CHARS = 4000


class BackendProcess:
    """`python -m backend` on 127.0.0.1 with a free port, restartable on the same database.

    `db_path` is the SQLite file (kept across restarts); `log_file` receives the backend's
    stdout and stderr (appended; discarded when None). Further `options` become command-line
    options: `retain=5, access_ttl=1` → `--retain 5 --access-ttl 1`.

    `start()` waits (bounded) until `/api/v1/health` answers; `stop()` terminates the process,
    waits up to 5 s and then kills it. A started process is also stopped at interpreter exit.
    """

    def __init__(self, db_path: Path | str, *, rate: float = 0, seed: int = 1,
                 log_file: Path | str | None = None, **options: object) -> None:
        self.db_path = Path(db_path)
        self.log_file = Path(log_file) if log_file is not None else None
        self.options: dict[str, object] = {"rate": rate, "seed": seed}
        self.options.update({key.replace("_", "-"): value for key, value in options.items()})
        self.url = ""
        self.port = 0
        self._process: subprocess.Popen | None = None

    # ---- Public API

    @property
    def running(self) -> bool:
        """True while the subprocess is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The subprocess's id while it is started, else None."""
        return self._process.pid if self._process is not None else None

    def command(self, port_file: Path) -> list[str]:
        """The command line that starts the backend and makes it write its port to `port_file`."""
        args = [sys.executable, "-m", "backend", "--host", HOST, "--port", "0",
                "--port-file", str(port_file), "--db", str(self.db_path),
                "--parent-pid", str(os.getpid())]
        for key, value in self.options.items():
            if value is not None:
                args += [f"--{key}", str(value)]
        return args

    def start(self, timeout: float = 30.0) -> str:
        """Start the backend and wait until it is healthy; returns its URL.

        Raises RuntimeError (with the tail of the log) when it exits or is not healthy within
        `timeout` seconds; the process is stopped then.
        """
        if self.running:
            raise RuntimeError("the backend is already running")
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + timeout
        port_dir = Path(tempfile.mkdtemp(prefix="hall-backend-"))
        try:
            self._spawn(port_dir / "port")
            self.port = self._wait_for_port(port_dir / "port", deadline)
        finally:
            shutil.rmtree(port_dir, ignore_errors=True)
        self.url = f"http://{HOST}:{self.port}"
        self._wait_healthy(deadline)
        return self.url

    def stop(self) -> None:
        """Terminate the backend; kill it if it is still there after 5 s. Safe to repeat."""
        process, self._process = self._process, None
        atexit.unregister(self.stop)
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_GRACE_SECONDS)

    def kill(self) -> None:
        """Stop hard (SIGKILL, no clean shutdown), as a crash would."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(STOP_GRACE_SECONDS)
        self.stop()

    def restart(self, timeout: float = 30.0) -> str:
        """Stop and start again on the same database; returns the (new) URL."""
        self.stop()
        return self.start(timeout)

    def log_text(self) -> str:
        """The end of the backend's log ("" without a log file)."""
        if self.log_file is None or not self.log_file.exists():
            return ""
        return self.log_file.read_text(encoding="utf-8", errors="replace")[-_LOG_TAIL_CHARS:]

    def __enter__(self) -> BackendProcess:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    # ---- Internals

    def _spawn(self, port_file: Path) -> None:
        if self.log_file is not None:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            output = open(self.log_file, "ab")  # noqa: SIM115 - the child keeps its own handle
        else:
            output = subprocess.DEVNULL
        try:
            self._process = subprocess.Popen(
                self.command(port_file), cwd=str(PACKAGE_PARENT), stdin=subprocess.DEVNULL,
                stdout=output, stderr=subprocess.STDOUT,
            )
        finally:
            if output is not subprocess.DEVNULL:
                output.close()
        atexit.register(self.stop)

    def _wait_for_port(self, port_file: Path, deadline: float) -> int:
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                code = self._process.returncode if self._process is not None else None
                self.stop()
                raise RuntimeError(f"the backend exited with code {code}{self._log_hint()}")
            text = port_file.read_text().strip() if port_file.exists() else ""
            if text.isdigit():
                return int(text)
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the backend did not start in time{self._log_hint()}")

    def _wait_healthy(self, deadline: float) -> None:
        with requests.Session() as http:
            http.trust_env = False  # loopback only: never through a proxy from the environment
            while time.monotonic() < deadline:
                if not self.running:
                    break
                try:
                    answer = http.get(f"{self.url}/api/v1/health", timeout=(1.0, 2.0))
                    if answer.ok and answer.json().get("status") == "ok":
                        return
                except (requests.RequestException, ValueError):
                    pass
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the backend is not healthy{self._log_hint()}")

    def _log_hint(self) -> str:
        tail = self.log_text()
        return f"; log {self.log_file}:\n{tail}" if tail else ""
