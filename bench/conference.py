"""Conference rooms (視頻會商): how soon video flows and what a mesh costs, on this machine.

    python -m bench.conference                  # rooms of 2, 3 and 4 console pages, 15 s each
    python -m bench.conference --peers 2 --seconds 30

The reference backend runs on 127.0.0.1 (no simulated events); a shift leader starts one
conference per run. N QtWebEngine pages in this process (offscreen, 640×480 each, the console's
`ConferencePage`, Chromium's fake camera and microphone: a 640×360 test pattern) join its
room at once from its link. The figures:

- join → video: seconds from loading the pages until every page decodes video from every
  other page (`window.hallRoom.state()`: inbound-rtp `framesDecoded` > 0 for each peer);
- received frame rate: per (page, remote peer) pair, decoded frames per second over the
  next `--seconds` (min / median / max); what the fake camera sends is not measured, so
  compare the rates between runs (a 2-page room is the reference);
- CPU: this process plus its QtWebEngine helper processes (renderers, GPU, utility), in
  cores, read from /proc over the same window. Every page encodes its video once per
  remote peer (a mesh), so the cost grows with N × (N − 1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):
    sys.path[0:1] = []  # not bench/ itself: the project root
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (
    os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "") + " --use-fake-device-for-media-stream")

import orjson  # noqa: E402
import requests  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
API = "/api/v1"
STATE_JS = "window.hallRoom ? JSON.stringify(window.hallRoom.state()) : ''"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def family_cpu(root: int) -> float:
    """CPU seconds of `root` and every process below it (living now)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += cpu_seconds(pid)
        except OSError:
            continue
        todo.extend(children.get(pid, []))
    return total


def spin(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


class Pages:
    """N conference pages in this process, with their latest room states."""

    def __init__(self, app, url: str, origin: str, count: int) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtWebEngineWidgets import QWebEngineView

        from views.conference_page import ConferencePage
        from views.conference_window import shared_profile

        self.app = app
        self.views = []
        self.states: list[dict] = [{} for _ in range(count)]
        for n in range(count):
            view = QWebEngineView()
            page = ConferencePage(shared_profile(), origin, view)
            view.setPage(page)
            view.resize(640, 480)
            view.show()
            page.load(QUrl(f"{url}&name=P{n + 1}"))
            self.views.append(view)

    def poll(self) -> None:
        for n, view in enumerate(self.views):
            view.page().runJavaScript(STATE_JS, 0, lambda text, n=n: self._took(n, text))
        spin(self.app, 0.25)

    def _took(self, n: int, text) -> None:
        if text:
            self.states[n] = orjson.loads(text)

    def frames(self) -> dict[tuple[int, str], int]:
        """(page, remote peer name) → frames decoded so far."""
        return {(n, p["name"]): p.get("frames_decoded") or 0
                for n, state in enumerate(self.states) for p in state.get("peers", [])}

    def all_receive(self, count: int) -> bool:
        return all(len([p for p in s.get("peers", []) if (p.get("frames_decoded") or 0) > 0])
                   == count - 1 for s in self.states)

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, QUrl

        for view in self.views:
            view.page().setUrl(QUrl("about:blank"))
            view.close()
            view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        spin(self.app, 1.0)


def start_conference(url: str) -> dict:
    def token(user: str) -> str:
        answer = requests.post(f"{url}{API}/auth/login", timeout=10, json={
            "username": user, "password": user, "seat": "bench"})
        answer.raise_for_status()
        return answer.json()["access_token"]

    admin = {"Authorization": f"Bearer {token('admin')}"}
    event_id = requests.post(f"{url}{API}/sim/events", headers=admin, timeout=10,
                             json={"count": 1, "level": 2}).json()["ids"][0]
    answer = requests.post(f"{url}{API}/conferences", timeout=10, json={
        "event_id": event_id, "title": "bench", "participants": []}, headers={
        "Authorization": f"Bearer {token('leader1')}", "Idempotency-Key": str(uuid.uuid4())})
    answer.raise_for_status()
    return answer.json()


def run(app, url: str, peers: int, seconds: float) -> None:
    conference = start_conference(url)
    me = os.getpid()
    started = time.monotonic()
    pages = Pages(app, conference["join_url"], url, peers)
    try:
        while not pages.all_receive(peers):
            if time.monotonic() - started > 90:
                print(f"{peers} pages: video did not flow within 90 s: {pages.states}")
                return
            pages.poll()
        joined = time.monotonic() - started
        spin(app, 2.0)  # past the first keyframes' burst
        pages.poll()
        frames0, cpu0, t0 = pages.frames(), family_cpu(me), time.monotonic()
        while time.monotonic() - t0 < seconds:
            pages.poll()
        frames1, cpu1, t1 = pages.frames(), family_cpu(me), time.monotonic()
        elapsed = t1 - t0
        rates = sorted((frames1.get(k, 0) - frames0.get(k, 0)) / elapsed for k in frames0)
        print(f"{peers} pages ({peers * (peers - 1)} streams): join → video everywhere "
              f"{joined:.1f} s; received fps per stream min {rates[0]:.1f} / median "
              f"{statistics.median(rates):.1f} / max {rates[-1]:.1f}; CPU "
              f"{(cpu1 - cpu0) / elapsed:.2f} cores (this process and its QtWebEngine "
              f"processes); load {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    finally:
        pages.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from backend.launcher import BackendProcess

    with tempfile.TemporaryDirectory() as tmp:
        backend = BackendProcess(Path(tmp) / "bench.db", rate=0, units="off", indicators="off",
                                 camera_dropouts="off", log_level="warning")
        url = backend.start()
        app = QApplication.instance() or QApplication([])
        try:
            print(f"machine: {os.cpu_count()} cores; backend {url}; {args.seconds:g} s per run")
            for peers in args.peers:
                run(app, url, peers, args.seconds)
        finally:
            backend.stop()


if __name__ == "__main__":
    main()
