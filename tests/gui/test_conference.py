"""Video conferences (視頻會商) from the desk, on the real backend and real WebRTC pages.

QtWebEngine runs with fake camera and microphone devices (tests/gui/conftest.py) but not the
fake permission UI: every grant here is the console's own policy's.
"""

from __future__ import annotations

import http.server
import threading
import uuid
from datetime import datetime, timedelta

import orjson
import pytest
import requests
from PySide6.QtCore import QCoreApplication, QEvent, QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView

from console.schema import CST
from tests.browser import CHROMIUM, MISSING, kill, launch
from tests.gui.conftest import ARTIFACTS
from views.conference_page import ConferencePage
from views.conference_window import shared_profile

API = "/api/v1"
JOIN_TIMEOUT_MS = 45_000


def catalog(backend, headers) -> dict:
    return requests.get(f"{backend.url}{API}/catalog", headers=headers, timeout=10).json()


def dispatched_event(backend, units: int = 2) -> tuple[str, list[str]]:
    """A new level-2 event dispatched to `units` departments, each of which has signed for
    it (no sign-for clock left running to show up in other tests' chase prompts);
    (event id, unit ids)."""
    event_id = backend.sim_events(1, level=2)["ids"][0]
    headers = backend.headers("leader1")
    unit_ids = [u["id"] for u in catalog(backend, headers)["units"]
                if u["kind"] == "department"][:units]
    event = requests.get(f"{backend.url}{API}/events/{event_id}", headers=headers,
                         timeout=10).json()
    due = (datetime.now(CST) + timedelta(hours=4)).isoformat()
    answer = requests.post(
        f"{backend.url}{API}/events/{event_id}/actions", timeout=10,
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        json={"action": "dispatch", "expected_version": event["version"], "assignments": [
            {"unit_id": u, "role": "lead" if i == 0 else "assist", "instructions": "到场处置",
             "due_at": due} for i, u in enumerate(unit_ids)]})
    assert answer.status_code == 200, answer.text
    version = answer.json()["version"]
    admin = backend.headers("admin")
    for unit_id in unit_ids:
        signed = requests.post(
            f"{backend.url}{API}/events/{event_id}/actions", timeout=10,
            headers={**admin, "Idempotency-Key": str(uuid.uuid4())},
            json={"action": "sign", "expected_version": version, "unit_id": unit_id})
        assert signed.status_code == 200, signed.text
        version = signed.json()["version"]
    return event_id, unit_ids


def start_conference(backend, event_id: str, units: list[str]) -> dict:
    answer = requests.post(f"{backend.url}{API}/conferences", timeout=10,
                           headers={**backend.headers("leader1"),
                                    "Idempotency-Key": str(uuid.uuid4())},
                           json={"event_id": event_id, "title": "测试会商", "participants": units})
    assert answer.status_code == 201, answer.text
    return answer.json()


ROOM_STATE_JS = "window.hallRoom ? JSON.stringify(window.hallRoom.state()) : ''"


def wait_state(qtbot, page, predicate, timeout: int = JOIN_TIMEOUT_MS) -> dict:
    """Poll the page's room state (`window.hallRoom.state()`) until `predicate(state)`;
    returns that state."""
    answers: list = []

    def check() -> bool:
        page.runJavaScript(ROOM_STATE_JS, 0, answers.append)
        if not answers or not answers[-1]:
            return False
        return bool(predicate(orjson.loads(answers[-1])))

    qtbot.waitUntil(check, timeout=timeout)
    return orjson.loads(answers[-1])


def receiving(state: dict, min_frames: int = 1) -> list[dict]:
    return [p for p in state.get("peers", [])
            if (p.get("frames_decoded") or 0) >= min_frames and (p.get("frame_width") or 0) > 0]


def join_page(qtbot, url: str, origin: str) -> tuple[QWebEngineView, ConferencePage]:
    view = QWebEngineView()
    page = ConferencePage(shared_profile(), origin, view)
    view.setPage(page)
    view.resize(640, 480)
    view.show()
    page.load(QUrl(url))
    return view, page


def close_page(view: QWebEngineView) -> None:
    """Leave the room and delete the view and its page now (a page must go before the
    shared conference profile does, at exit)."""
    view.page().setUrl(QUrl("about:blank"))
    view.close()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_two_console_pages_join_one_room_and_each_receives_the_others_video(qtbot, backend):
    event_id, units = dispatched_event(backend)
    conference = start_conference(backend, event_id, units)
    views = []
    try:
        for name, unit in (("指挥大厅", ""), ("消防", units[0])):
            url = f"{conference['join_url']}&name={name}" + (f"&unit={unit}" if unit else "")
            views.append(join_page(qtbot, url, backend.url))
        states = [wait_state(qtbot, page, lambda s: len(receiving(s, 10)) == 1)
                  for _, page in views]
        for state in states:
            assert state["joined"] and "video" in state["local_tracks"]
            assert not state["media_error"]
        # Frames go on arriving: the count grows.
        first = receiving(states[0])[0]["frames_decoded"]
        later = wait_state(qtbot, views[0][1],
                           lambda s: receiving(s) and receiving(s)[0]["frames_decoded"]
                           > first + 10)
        assert receiving(later)[0]["frame_width"] > 0
        got = requests.get(f"{backend.url}{API}/conferences/{conference['id']}",
                           headers=backend.headers("leader1"), timeout=10).json()
        invited = next(p for p in got["participants"] if p["unit_id"] == units[0])
        assert invited["present"] == 1 and invited["joined_at"]
        assert any(p["name"] == "指挥大厅" and not p["invited"] for p in got["participants"])
    finally:
        for view, _page in views:
            close_page(view)


class _OtherOrigin:
    """A page on another origin (its own server on 127.0.0.1) that asks for the camera."""

    PAGE = (b"<html><body><script>window.result='pending';navigator.mediaDevices"
            b".getUserMedia({video:true,audio:true}).then(s=>{window.result='granted:'+"
            b"s.getTracks().length},e=>{window.result='refused:'+e.name});</script>"
            b"</body></html>")

    def __enter__(self):
        page = self.PAGE

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_page_from_another_origin_is_refused_the_camera(qtbot, backend):
    with _OtherOrigin() as other:
        view = QWebEngineView()
        page = ConferencePage(shared_profile(), backend.url, view)
        decisions = []
        page.sig_permission.connect(lambda *d: decisions.append(d))
        view.setPage(page)
        page.load(QUrl(other.url))
        results: list = []

        def settled() -> bool:
            page.runJavaScript("window.result", 0, results.append)
            return any(r not in (None, "", "pending") for r in results)

        try:
            qtbot.waitUntil(settled, timeout=20_000)
        finally:
            close_page(view)
    outcome = next(r for r in results if r not in (None, "", "pending"))
    assert outcome.startswith("refused:"), outcome
    assert decisions and all(not granted for _o, _w, granted in decisions)
    assert decisions[0][0] == other.url.rstrip("/")


def test_a_desk_starts_a_conference_from_the_event_panel_and_its_record_is_kept(
        qtbot, backend, make_desk):
    event_id, units = dispatched_event(backend, units=3)
    desk = make_desk("leader1")
    qtbot.waitUntil(lambda: desk.app.store.get(event_id) is not None
                    and desk.app.store.get(event_id).status == "signed", timeout=15_000)
    desk.detail.show_event(event_id)
    button = desk.detail.conference_button
    assert button.isVisible() and button.isEnabled()
    button.click()
    dialog = desk.window.conferences.dialog
    assert dialog is not None
    assert dialog.invited() == units  # the assigned units, lead first
    assert event_id and desk.app.store.get(event_id).title in dialog.title.text()
    dialog.set_invited(units[2], False)
    assert dialog.invited() == units[:2]
    dialog.start()
    qtbot.waitUntil(lambda: bool(desk.window.conferences.windows)
                    or dialog.message.property("state") == "error", timeout=15_000)
    assert desk.window.conferences.windows, dialog.message.text()
    window = next(iter(desk.window.conferences.windows.values()))
    conference_id = window.conference_id
    assert [r[0] for r in window.participant_rows()][:2] == [
        u["name"] for uid in units[:2] for u in catalog(backend, backend.headers())["units"]
        if u["id"] == uid]
    # The window's own page joins the room with the fake camera: the seat shows as present.
    qtbot.waitUntil(lambda: any(r[1] == window.tr("In the conference")
                                for r in window.participant_rows()), timeout=JOIN_TIMEOUT_MS)
    assert window.refusals == []
    # A unit joins from its link: the window shows it live, and its video arrives.
    view, page = join_page(qtbot, f"{window.conference.join_url}&name=消防&unit={units[0]}",
                           backend.url)
    try:
        qtbot.waitUntil(lambda: window.participant_rows()[0][1]
                        == window.tr("In the conference"), timeout=JOIN_TIMEOUT_MS)
        wait_state(qtbot, window.page, lambda s: len(receiving(s, 5)) == 1)
        qtbot.waitUntil(lambda: bool(window.cameras.readers()), timeout=10_000)
        window.resize(1600, 900)
        window.balance()
        qtbot.waitUntil(lambda: window.state_label.text().endswith(
            window.tr("receiving video from %1").replace("%1", "1")), timeout=10_000)
        qtbot.wait(500)
        ARTIFACTS.mkdir(exist_ok=True)
        window.grab().save(str(ARTIFACTS / "conference_window.png"))
    finally:
        close_page(view)
    qtbot.waitUntil(lambda: window.participant_rows()[0][1] == window.tr("Left"),
                    timeout=20_000)
    assert window.participant_rows()[0][3]  # when it left
    assert window.end_conference(confirm=False)
    qtbot.waitUntil(lambda: window.conference.status == "ended", timeout=15_000)
    assert not window.end_button.isEnabled()
    # The event's record: start, joins, leaves and end, in the detail panel's timeline.
    wanted = ["conference.start", "conference.join", "conference.leave", "conference.end"]
    event = requests.get(f"{backend.url}{API}/events/{event_id}",
                         headers=backend.headers(), timeout=10).json()
    actions = [t["action"] for t in event["timeline"] if t["action"].startswith("conference.")]
    assert actions[0] == "conference.start" and actions[-1] == "conference.end"
    assert set(wanted) <= set(actions)
    assert actions.count("conference.join") >= 2
    qtbot.waitUntil(lambda: sum(1 for t in desk.detail.timeline_texts()
                                if conference_id in t) >= 5, timeout=15_000)
    window.close()


def test_a_duty_officer_may_join_an_open_conference_but_not_start_one(qtbot, backend,
                                                                      make_desk):
    event_id, units = dispatched_event(backend, units=1)
    desk = make_desk("duty1")
    qtbot.waitUntil(lambda: desk.app.store.get(event_id) is not None, timeout=15_000)
    desk.detail.show_event(event_id)
    assert not desk.detail.conference_button.isVisible()
    assert desk.window.conferences.request(event_id) is None
    assert desk.queue.select_event(event_id)
    desk.window.conference_action.trigger()  # F4
    assert desk.status.currentMessage() == desk.window.tr(
        "The event has no conference open, and only a shift leader may start one.")
    conference = start_conference(backend, event_id, units)
    qtbot.waitUntil(lambda: desk.detail.conference_button.isVisible(), timeout=15_000)
    # The desk is told (its status bar), and the event panel offers to join.
    assert conference["id"] in desk.status.currentMessage()
    assert event_id in desk.status.currentMessage()
    assert conference["id"] in desk.detail.conference_button.text()
    desk.detail.conference_button.click()
    window = desk.window.conferences.windows[conference["id"]]
    assert not window.end_button.isVisible()
    window.close()


def test_the_dialog_keeps_its_input_when_nothing_is_invited(qtbot, backend, make_desk):
    event_id, _units = dispatched_event(backend, units=1)
    desk = make_desk("leader1")
    qtbot.waitUntil(lambda: desk.app.store.get(event_id) is not None, timeout=15_000)
    assert desk.queue.select_event(event_id)
    desk.window.conference_action.trigger()  # F4: the selected event's start dialog
    dialog = desk.window.conferences.dialog
    assert dialog is not None and dialog.event_id == event_id
    dialog.set_invited(dialog.invited()[0], False)
    dialog.title.setText("  ")
    dialog.start()
    assert dialog.isVisible()
    assert dialog.message.text() == dialog.tr("Give the conference a title.")
    dialog.title.setText("会商")
    dialog.start()
    assert dialog.isVisible()
    assert dialog.message.text() == dialog.tr("Invite at least one unit.")
    assert not desk.window.conferences.windows
    # Once asked, the dialog waits for the answer: a conference started gets its window.
    dialog.set_invited(_units[0], True)
    dialog.start()
    dialog.reject()
    assert dialog.isVisible() and not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: bool(desk.window.conferences.windows), timeout=15_000)
    assert not dialog.isVisible()
    next(iter(desk.window.conferences.windows.values())).close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING)
def test_a_browser_without_the_console_joins_the_same_room(qtbot, backend, tmp_path):
    event_id, units = dispatched_event(backend, units=1)
    conference = start_conference(backend, event_id, units)
    view, page = join_page(qtbot, f"{conference['join_url']}&name=指挥大厅", backend.url)
    browser = launch(f"{conference['join_url']}&name=网格员&lang=zh_CN", tmp_path / "chromium")
    try:
        state = wait_state(qtbot, page, lambda s: len(receiving(s, 10)) == 1)
        assert receiving(state)[0]["name"] == "网格员"
        # The browser's own report (through the signalling socket): it receives our video.
        room = f"{backend.url}{API}/conferences/{conference['id']}/room"

        def browser_receives() -> bool:
            peers = requests.get(room, headers=backend.headers("leader1"), timeout=10).json()
            guest = next((p for p in peers["peers"] if p["name"] == "网格员"), None)
            return guest is not None and any(
                (s.get("frames_decoded") or 0) >= 10 and (s.get("frame_width") or 0) > 0
                for s in guest.get("inbound", {}).values())

        qtbot.waitUntil(browser_receives, timeout=JOIN_TIMEOUT_MS)
    finally:
        kill(browser)
        close_page(view)


def test_an_external_conference_system_gets_the_camera_and_its_own_link(qtbot, backend,
                                                                        make_desk):
    from console.conference_link import ConferenceProvider

    event_id, units = dispatched_event(backend, units=1)
    desk = make_desk("leader1")
    with _OtherOrigin() as other:
        desk.window.conferences.provider = ConferenceProvider.external(
            other.url + "room/{conference_id}?display={name}&event={event_id}")
        conference = start_conference(backend, event_id, units)
        qtbot.waitUntil(lambda: desk.window.conferences.open_conference_of(event_id)
                        is not None, timeout=15_000)
        window = desk.window.conferences.request(event_id)
        assert window.join_url.startswith(f"{other.url}room/{conference['id']}?display=")
        assert window.join_url.endswith(f"&event={event_id}")
        assert window.allowed_origin == other.url.rstrip("/")
        results: list = []

        def settled() -> bool:
            window.page.runJavaScript("window.result", 0, results.append)
            return any(isinstance(r, str) and r.startswith(("granted", "refused"))
                       for r in results)

        qtbot.waitUntil(settled, timeout=20_000)
        outcome = next(r for r in results if isinstance(r, str) and r.startswith(("granted",
                                                                                   "refused")))
        assert outcome == "granted:2" and window.refusals == []
        window.close()


def test_with_the_backend_down_the_dialog_says_so_and_keeps_everything(qtbot, backend_factory,
                                                                       make_desk):
    server = backend_factory()
    event_id, units = dispatched_event(server, units=2)
    desk = make_desk("leader1", server=server)
    qtbot.waitUntil(lambda: desk.app.store.get(event_id) is not None, timeout=15_000)
    dialog = desk.window.conferences.request(event_id)
    server.stop()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.message.property("state") == "error", timeout=30_000)
    assert dialog.message.text() == dialog.tr(
        "The backend cannot be reached: the conference was not started. "
        "Try again when the link is back.")
    assert dialog.isVisible() and dialog.invited() == units and dialog.start_button.isEnabled()
    assert not desk.window.conferences.windows
    dialog.reject()
