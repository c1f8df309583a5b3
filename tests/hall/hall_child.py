"""A small hall for the screen tests, run in its own process (the platform is chosen per run).

    python tests/hall/hall_child.py [--hall FILE] [--shots PREFIX] [--serve]

Builds a stand-in desk window and the `ScreenManager` with simple labelled views, places the
hall and prints one JSON line describing what it sees (screens, and for every window its
screen, geometry, frameless, full screen, visible). With `--serve` it then reads commands
from stdin, one a line: `report` (print the JSON again), `close WALL_ID` (ask the window
system to close that wall: a spontaneous close, as Alt+F4 would), `quit`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from PySide6.QtCore import QSocketNotifier, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QMainWindow, QTabWidget, QVBoxLayout

from views.app_setup import apply_theme
from views.hall_screens import ScreenManager, layout_for

COLOURS = {"map": "#1f6feb", "video_wall": "#8957e5", "dashboard": "#2ea043",
           "event_board": "#d29922", "statistics": "#db6d28"}


def make_view(kind: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName(f"view_{kind}")
    frame.setStyleSheet(f"QFrame#view_{kind} {{ border: 6px solid {COLOURS[kind]}; }}")
    box = QVBoxLayout(frame)
    title = QLabel(kind.replace("_", " ").title(), frame)
    title.setObjectName("panelTitle")
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    body = QLabel("实时 · live 12:00", frame)
    body.setAlignment(Qt.AlignmentFlag.AlignCenter)
    box.addWidget(title)
    box.addWidget(body)
    return frame


def on_screen(rect, screens) -> str | None:
    centre = rect.center()
    return next((s.name() for s in screens if s.geometry().contains(centre)), None)


def observe(manager: ScreenManager) -> dict:
    screens = QGuiApplication.screens()
    windows = {}
    for sid, win in manager.windows().items():
        g = win.geometry()
        windows[sid] = {
            "qt_screen": win.screen().name() if win.screen() else None,
            "on_screen": on_screen(g, screens),
            "geometry": [g.x(), g.y(), g.width(), g.height()],
            "frameless": bool(win.windowFlags() & Qt.WindowType.FramelessWindowHint),
            "fullscreen": win.isFullScreen(),
            "visible": win.isVisible(),
            "font_pt": win.font().pointSizeF(),
            "views": list(getattr(win, "views", {}) or []),
        }
    return {
        "screens": [{"name": s.name(), "geometry": [s.geometry().x(), s.geometry().y(),
                                                     s.geometry().width(), s.geometry().height()]}
                    for s in screens],
        "windows": windows,
        "placements": [p.model_dump(mode="json") for p in manager.placements],
        "layout": [{"id": s.id, "role": s.role, "views": list(s.views),
                    "arrangement": s.effective_arrangement} for s in manager.layout.screens],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hall")
    parser.add_argument("--shots")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    layout = layout_for(args.hall)
    desk = QMainWindow()
    desk.setObjectName("DeskWindow")
    desk.setWindowTitle("desk")
    tabs = QTabWidget(desk)
    for kind in layout.desk.views:
        tabs.addTab(make_view(kind), kind)
    desk.setCentralWidget(tabs)
    desk.resize(1200, 800)
    manager = ScreenManager(layout, make_view, desk=desk)
    desk.show()
    manager.start()
    refused: list[str] = []
    manager.sig_close_refused.connect(refused.append)

    def report() -> None:
        data = observe(manager)
        data["refused"] = list(refused)
        print(json.dumps(data), flush=True)

    def first() -> None:
        report()
        if args.shots:
            for sid, win in manager.windows().items():
                win.grab().save(f"{args.shots}{sid}.png")
        if not args.serve:
            app.quit()

    QTimer.singleShot(300, first)
    if args.serve:
        notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

        def command() -> None:
            line = sys.stdin.readline()
            words = line.split()
            if not line or words == ["quit"]:
                app.quit()
            elif words == ["report"]:
                report()
            elif words[:1] == ["close"]:
                from x11_close import request_close

                request_close(int(manager.walls[words[1]].winId()))
                QTimer.singleShot(300, report)

        notifier.activated.connect(command)
    code = app.exec()
    manager.shutdown()
    return code


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main())
