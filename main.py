"""Hall Console: the desk console of the Liangxi district city-operations centre.

    python main.py --demo                  # embedded reference backend with a demo database
    python main.py --backend http://host:port

Composition root: parses the command line, sets up logging, starts the demo backend when
asked, shows the login dialog and then the desk window.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
from pathlib import Path

from backend.launcher import BackendProcess

log = logging.getLogger("hall.main")

DEMO_USER = "leader1"
DEMO_PASSWORD = "leader1"
DEMO_RATE = 12


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hall-console", description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--demo", action="store_true",
                        help="start the reference backend with a demo database")
    target.add_argument("--backend", metavar="URL", help="use the backend at URL")
    parser.add_argument("--data-dir", metavar="DIR", help="data directory (logs, demo database)")
    parser.add_argument("--user", metavar="NAME", help="user name to fill in")
    parser.add_argument("--hall", metavar="FILE",
                        help="hall layout file (TOML or JSON): the desk and wall screens and "
                             "the views on each; default: a layout for the screens found")
    parser.add_argument("--profile", choices=("normal", "emergency", "topic"),
                        help="open the hall in this mode (平时/战时/专题); default normal, "
                             "or emergency when --focus is given")
    parser.add_argument("--focus", metavar="EVENT_ID",
                        help="the event emergency mode follows (default: the newest open "
                             "level-1 event, else the console asks)")
    parser.add_argument("--conference-url", metavar="TEMPLATE",
                        help="join conferences in the hall's own conference system: a URL "
                             "template with {conference_id} {event_id} {title} {name} "
                             "{unit_id} {lang}; default: the backend's conference rooms")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN",
                        help="interface language (default zh_CN)")
    parser.add_argument("--seat", metavar="NAME", default=socket.gethostname(),
                        help="seat name sent at login (default: host name)")
    parser.add_argument("--log-level", default="INFO",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    args = parser.parse_args(argv)
    if not args.demo and not args.backend:
        parser.error("give --demo or --backend URL")
    if args.focus and args.profile not in (None, "emergency"):
        parser.error("--focus goes with --profile emergency")
    if args.focus and args.profile is None:
        args.profile = "emergency"
    args.conference_provider = None
    if args.conference_url:
        from console.conference_link import ConferenceProvider

        try:
            args.conference_provider = ConferenceProvider.external(args.conference_url)
        except ValueError as exc:
            parser.error(str(exc))
    return args


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("hall-console", appauthor=False))


class DemoBackend(BackendProcess):
    """The reference backend for --demo: <data-dir>/demo.db, 12 simulated events a minute,
    live indicator samples, its output appended to <data-dir>/demo-backend.log."""

    def __init__(self, data_dir: Path, rate: float = DEMO_RATE) -> None:
        data_dir = Path(data_dir)
        super().__init__(data_dir / "demo.db", rate=rate, log_file=data_dir / "demo-backend.log",
                         indicators="on")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)

    from console.logsafe import setup_logging

    setup_logging(data_dir, args.log_level)
    log.info("hall console starting (lang=%s, demo=%s)", args.lang, args.demo)

    if args.hall:  # a broken hall file is said before anything starts
        from console.hall import HallFileError, load_layout

        try:
            load_layout(args.hall)
        except HallFileError as exc:
            log.error("%s", exc)
            print(f"hall-console: {exc}", file=sys.stderr)
            return 2

    demo: DemoBackend | None = None
    if args.demo:
        demo = DemoBackend(data_dir)
        try:
            url = demo.start()
        except RuntimeError as exc:
            log.error("%s", exc)
            print(f"hall-console: {exc}", file=sys.stderr)
            return 2
        log.info("demo backend at %s", url)
    else:
        url = args.backend.rstrip("/")
    try:
        return run_gui(args, url, data_dir, demo=args.demo)
    finally:
        if demo is not None:
            demo.stop()


def run_gui(args: argparse.Namespace, url: str, data_dir: Path, *, demo: bool) -> int:
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings
    from PySide6.QtWidgets import QApplication, QDialog

    from console.api import ApiClient
    from console.auth import AuthSession, CredentialVault
    from console.offline_login import OfflineLogin
    from console.runtime import tune_garbage_collector
    from offline_cache import OfflineCache
    from views.app_setup import apply_theme, install_translators
    from views.bridge import MainThreadInvoker
    from views.desk_app import DeskApp
    from views.hall_screens import layout_for
    from views.hall_setup import install_hall
    from views.login_dialog import LoginDialog
    from views.map_scheme import register_hall_scheme

    tune_garbage_collector()
    register_hall_scheme()  # before the QApplication: the map page's hall: URLs
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "QTWEBENGINE_DISABLE_SANDBOX" not in os.environ:
        # Chromium will not start its sandbox as root (containers, kiosk images): without
        # this the map page would not load at all.
        log.warning("running as root: QtWebEngine's sandbox is off")
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    _allow_conference_media(args, url)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("hall-console")
    app.setOrganizationName("Liangxi City Operations")
    translators = install_translators(app, args.lang)
    apply_theme(app)

    invoker = MainThreadInvoker()
    cache, cache_report = OfflineCache.open(data_dir)
    if cache_report.quarantined_to is not None:
        log.error("offline cache quarantined to %s: %s (%d outbox rows salvaged%s)",
                  cache_report.quarantined_to, cache_report.reason, cache_report.salvaged_outbox,
                  ", some unreadable" if cache_report.outbox_unreadable else "")
    api = ApiClient(url)
    vault = CredentialVault()
    auth = AuthSession(api, vault, args.seat, OfflineLogin(vault, api.base_url))
    username = args.user or (DEMO_USER if demo else "")
    dialog = LoginDialog(
        auth, vault, invoker, server=url, username=username,
        password=DEMO_PASSWORD if demo and username == DEMO_USER else "", seat=args.seat,
    )
    desk = None
    hall = None
    restore_signals = _quit_on_signals(app, dialog)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
            dialog.wait_for_workers()
            return 1
        dialog.wait_for_workers()
        settings = QSettings(str(data_dir / "window-state.ini"), QSettings.Format.IniFormat)
        desk = DeskApp(api, auth, dialog.user, invoker, settings, cache=cache,
                       cache_report=cache_report, wall_state=data_dir / "video_wall.json",
                       layout_file=data_dir / "desk_layout.json",
                       conference_provider=args.conference_provider, lang=args.lang)
        hall = install_hall(desk.window, desk.bridge, layout_for(args.hall))
        desk.start()
        if hall is not None:
            hall.start()
        if args.profile:
            desk.window.modes.open_in(args.profile, args.focus or "")
        return app.exec()
    finally:
        if hall is not None:
            desk.window.video.shutdown()  # its streams, wherever the wall stands
            hall.shutdown()
        if desk is not None:
            desk.shutdown()
            # Delete the window now: a web page still alive when the QApplication (and its
            # web profile) goes crashes the process at exit.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        cache.close()
        api.close()
        restore_signals()
        for translator in translators:
            app.removeTranslator(translator)
        log.info("hall console stopped")


def _allow_conference_media(args: argparse.Namespace, url: str) -> None:
    """Before QtWebEngine starts: switches that would let any page use the camera are
    dropped, and a plain-http conference origin on the hall's network is made a secure
    context, or its page could not use the camera (console.conference_link)."""
    from console.conference_link import (
        ConferenceProvider,
        secure_context_flags,
        without_unsafe_media_flags,
    )

    current, dropped = without_unsafe_media_flags(os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""))
    if dropped:
        log.warning("ignored %s: it would give every page the camera and microphone",
                    " ".join(dropped))
    provider = args.conference_provider or ConferenceProvider()
    flags = secure_context_flags(provider.allowed_origin(url))
    if flags:
        log.info("conference origin treated as secure: %s", " ".join(flags))
    if dropped or flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join([current, *flags]).strip()


def _quit_on_signals(app, dialog):
    """SIGINT/SIGTERM close the console cleanly (so the demo backend is stopped too).

    Returns a function that puts the previous handlers back.
    """
    from PySide6.QtCore import QTimer

    def quit_(*_args) -> None:
        if dialog.isVisible():
            dialog.reject()
        app.quit()

    previous = {sig: signal.signal(sig, quit_) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Python runs signal handlers only between bytecodes: wake the interpreter regularly.
    waker = QTimer(app)
    waker.timeout.connect(lambda: None)
    waker.start(250)

    def restore() -> None:
        waker.stop()
        waker.deleteLater()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


if __name__ == "__main__":
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")
    sys.exit(main())
