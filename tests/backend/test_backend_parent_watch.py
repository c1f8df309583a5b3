"""A demo backend whose console died (killed, crashed) shuts itself down instead of lingering."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_backend_leaves_when_its_parent_is_killed(tmp_path):
    pid_file = tmp_path / "backend.pid"
    parent = textwrap.dedent(f"""
        import time
        from backend.launcher import BackendProcess
        backend = BackendProcess({str(tmp_path / "db.sqlite")!r})
        backend.start()
        open({str(pid_file)!r}, "w").write(str(backend.pid))
        time.sleep(120)
    """)
    process = subprocess.Popen([sys.executable, "-c", parent], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not (pid_file.exists() and pid_file.read_text()):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.1)
        backend_pid = int(pid_file.read_text())
        process.kill()  # no atexit, no stop(): only the backend's own watch can help
        process.wait(5)
        deadline = time.monotonic() + 10
        while _alive(backend_pid):
            assert time.monotonic() < deadline, "the orphaned backend is still running"
            time.sleep(0.2)
    finally:
        process.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False
