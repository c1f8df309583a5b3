"""The web page a conference runs in: camera and microphone for the conference origin only.

Every permission a page asks for goes through `ConferencePage._decide`: capture of the camera
and the microphone is granted when the asking origin is the configured conference origin and
refused to any other; everything else (screen capture, notifications, location, clipboard,
mouse lock…) is refused. Decisions are not remembered between pages (the profile asks every
time), and each is logged and announced (`sig_permission`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
    QWebEngineSettings,
)

from console.conference_link import origin_of

log = logging.getLogger("hall.conference")

_MEDIA = {
    QWebEnginePermission.PermissionType.MediaAudioCapture: "microphone",
    QWebEnginePermission.PermissionType.MediaVideoCapture: "camera",
    QWebEnginePermission.PermissionType.MediaAudioVideoCapture: "camera+microphone",
}


def conference_profile(parent: QObject | None = None) -> QWebEngineProfile:
    """An off-the-record profile for conference pages: nothing kept on disk, and no
    permission decision remembered."""
    profile = QWebEngineProfile(parent)  # no storage name: off the record
    profile.setPersistentPermissionsPolicy(
        QWebEngineProfile.PersistentPermissionsPolicy.AskEveryTime)
    return profile


class ConferencePage(QWebEnginePage):
    """A page that grants camera and microphone to `allowed_origin` only.

    Signals: `sig_permission(origin, what, granted)` after every decision (`what` is
    "camera", "microphone", "camera+microphone" or the permission's type name)."""

    sig_permission = Signal(str, str, bool)

    def __init__(self, profile: QWebEngineProfile, allowed_origin: str,
                 parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.allowed_origin = origin_of(allowed_origin)
        # The participants' video plays as it arrives, with no click on the page first.
        self.settings().setAttribute(
            QWebEngineSettings.WebAttribute.PlaybackRequiresUserGesture, False)
        self.permissionRequested.connect(self._decide)

    def _decide(self, permission: QWebEnginePermission) -> None:
        origin = origin_of(permission.origin().toString())
        kind = permission.permissionType()
        what = _MEDIA.get(kind, getattr(kind, "name", str(kind)))
        granted = kind in _MEDIA and bool(origin) and origin == self.allowed_origin
        if granted:
            permission.grant()
            log.info("conference page: %s granted to %s", what, origin)
        else:
            permission.deny()
            log.warning("conference page: %s refused to %s (the conference origin is %s)",
                        what, origin or permission.origin().toString(), self.allowed_origin)
        self.sig_permission.emit(origin, what, granted)

    def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802 - Qt API
        log.debug("conference page console (%s:%d): %s", source, line, message)
