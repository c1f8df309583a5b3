"""P6: cold start to an interactive desk with 100,000 cached events and the backend down.

    python -m bench.coldstart                  # 100,000 events, 3 runs
    python -m bench.coldstart --events 20000 --runs 1

A data directory is filled once: `cache.db` with the events (made by the reference
simulator, as `bench/queue.py` makes them) and the catalog, as a desk that was online would
have left it. Then, each run, a fresh process (`--child`) starts the console's real path with
nothing listening at the backend's address: imports, QApplication and theme, the offline
cache opened (start-up check included), an offline sign-in (the seat's record in an in-memory
keyring, as after an online sign-in), `DeskApp` built and started, until the desk window is
shown with the cached events in its queue and has painted. The parent times the whole
process from spawn to that moment, and the child reports its own phases.

Baseline, in the same run: a process that only does `import PySide6.QtWidgets` (TARGETS.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

SERVER = "http://127.0.0.1:9"  # nothing listens on the discard port here


def fill(data_dir: Path, count: int) -> None:
    import orjson

    from bench.queue import catalog, make_events
    from console.mirror import catalog_document, event_rows
    from console.schema import Event
    from offline_cache import OfflineCache

    lines = make_events(1, count)
    events = [Event.model_validate(orjson.loads(line)) for line in lines]
    cache, _ = OfflineCache.open(data_dir)
    cache.write(catalog=catalog_document(catalog()))
    cache.replace_events(event_rows(events, lines), count).result()
    cache.close()


def child(data_dir: Path) -> None:
    start = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring.backend
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from console.api import ApiClient
    from console.auth import AuthSession, CredentialVault
    from console.offline_login import OfflineLogin
    from console.runtime import tune_garbage_collector
    from console.schema import User
    from offline_cache import OfflineCache
    from views.app_setup import apply_theme, install_translators
    from views.bridge import MainThreadInvoker
    from views.desk_app import DeskApp

    class Ring(keyring.backend.KeyringBackend):
        priority = 10

        def __init__(self) -> None:
            super().__init__()
            self.entries: dict = {}

        def get_password(self, service, username):
            return self.entries.get((service, username))

        def set_password(self, service, username, password):
            self.entries[(service, username)] = password

        def delete_password(self, service, username):
            self.entries.pop((service, username), None)

    imported = time.perf_counter()
    tune_garbage_collector()
    app = QApplication([])
    install_translators(app, "zh_CN")
    apply_theme(app)
    cache, _ = OfflineCache.open(data_dir)
    opened = time.perf_counter()
    vault = CredentialVault(Ring())
    api = ApiClient(SERVER, connect_timeout=0.5)
    login = OfflineLogin(vault, api.base_url)
    login.remember("duty1", "duty1", User(id="duty1", name="值班员", roles=["duty_officer"]),
                   "desk-1")
    auth = AuthSession(api, vault, "desk-1", login)
    user = auth.login("duty1", "duty1")
    signed_in = time.perf_counter()
    desk = DeskApp(api, auth, user, MainThreadInvoker(), cache=cache)
    desk.start()
    while desk.window.queue.proxy.rowCount() == 0:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    loaded = time.perf_counter()
    desk.window.repaint()  # synchronous: the window as the user first sees it
    painted = time.perf_counter()
    shown = desk.window.queue.proxy.rowCount()
    print(f"interactive {imported - start:.3f} {opened - imported:.3f} {signed_in - opened:.3f} "
          f"{loaded - signed_in:.3f} {painted - loaded:.3f} rows {shown}", flush=True)
    total = OfflineCache.event_count(cache)
    while len(desk.store) < total:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    print(f"all {time.perf_counter() - start:.3f} events {len(desk.store)}", flush=True)
    os._exit(0)  # the measurement is taken; no orderly shutdown needed


def timed(args: list[str]) -> tuple[float, list[str]]:
    """Seconds from spawn to the child's first line of output (or its end), and its lines."""
    start = time.perf_counter()
    child_process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                     stderr=subprocess.DEVNULL,
                                     env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lines = [child_process.stdout.readline().strip()]
    took = time.perf_counter() - start
    lines += [line.strip() for line in child_process.stdout]
    child_process.wait()
    return took, [line for line in lines if line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(Path(args.child))
        return 0
    # The timed figure ends at the child's first line: the desk is interactive then.
    with tempfile.TemporaryDirectory(prefix="bench-coldstart-") as tmp:
        data_dir = Path(tmp)
        began = time.perf_counter()
        fill(data_dir, args.events)
        size = (data_dir / "cache.db").stat().st_size / 1e6
        print(f"# bench/coldstart.py — {args.events:,} events cached ({size:.0f} MB) in "
              f"{time.perf_counter() - began:.1f} s")
        base = [timed([sys.executable, "-c", "import PySide6.QtWidgets"])[0]
                for _ in range(args.runs)]
        ours = [timed([sys.executable, "-m", "bench.coldstart", "--child", str(data_dir)])
                for _ in range(args.runs)]
    print("| figure | median | runs | target |")
    print("|---|---|---|---|")
    print(f"| baseline: `import PySide6.QtWidgets` | {statistics.median(base):.2f} s | "
          f"{', '.join(f'{t:.2f}' for t in base)} | — |")
    print(f"| ours: spawn → desk shown and painted, the newest open events in its queue | "
          f"{statistics.median(t for t, _ in ours):.2f} s | "
          f"{', '.join(f'{t:.2f}' for t, _ in ours)} | ≤ 3 s |")
    alls = [float(lines[1].split()[1]) for _, lines in ours if len(lines) > 1]
    if alls:
        print(f"| ours: all {args.events:,} cached events in the store (from the child's start) | "
              f"{statistics.median(alls):.2f} s | {', '.join(f'{t:.2f}' for t in alls)} | — |")
    print("child phases (imports, Qt + cache open, offline sign-in, desk built → rows in "
          "the queue, first paint), s:")
    for _, lines in ours:
        print(f"  {' / '.join(lines)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
