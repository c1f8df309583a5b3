"""What every window shows about the link to the backend: a band, and the age of the data.

`LinkState` follows the session's connectivity and outbox through the bridge and ticks once
a second; `LinkBand` is the full-width band (red offline, amber degraded, blue while
commands are being sent); `DataAgeLabel` is the small "data as of" line a panel shows when
its data may be old.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from console.schema import CST
from views.formatting import format_age, format_time
from widgets.status_band import StatusBand


class LinkState(QObject):
    """The link as the desk shows it: `state`, `data_as_of` (epoch s or None), `pending`
    (commands in the outbox) and `signed_in_offline`. `changed` fires on every change and
    once a second while the data is not live (ages move)."""

    changed = Signal()

    def __init__(self, bridge, parent=None) -> None:
        super().__init__(parent)
        session = bridge.session
        connectivity = getattr(session, "connectivity", None)
        self.state = connectivity.state if connectivity is not None else "online"
        self.data_as_of: float | None = connectivity.data_as_of if connectivity else None
        pending = getattr(session, "pending_commands", None)
        self.pending = len(pending()) if pending is not None else 0
        self._auth = getattr(session, "auth", None)
        bridge.sig_connectivity_changed.connect(self._connectivity)
        bridge.sig_outbox_changed.connect(self._outbox)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    @property
    def signed_in_offline(self) -> bool:
        return bool(getattr(self._auth, "offline", False))

    def _connectivity(self, state: str, data_as_of) -> None:
        self.state, self.data_as_of = state, data_as_of
        self.changed.emit()

    def _outbox(self, pending) -> None:
        self.pending = len(pending)
        self.changed.emit()

    def _tick(self) -> None:
        if self.state != "online" or self.signed_in_offline:
            self.changed.emit()


def clock_text(epoch: float | None) -> str:
    """The time of `epoch` ("14:03:27" today, "11-22 18:40" before), or "—"."""
    return "—" if epoch is None else format_time(datetime.fromtimestamp(epoch, CST))


class LinkBand(StatusBand):
    """The band across a window: "离线 · 数据截至 14:03:27 · 3 条指令待同步"."""

    def __init__(self, link: LinkState, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("linkBand")
        self._link = link
        link.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        link = self._link
        parts: list[str] = []
        if link.state == "offline":
            tone = "alarm"
            parts.append(self.tr("Offline"))
        elif link.state == "degraded":
            tone = "warning"
            parts.append(self.tr("Connection unstable"))
        elif link.signed_in_offline:
            tone = "warning"
            parts.append(self.tr("Signing in again"))
        elif link.pending:
            tone = "info"
        else:
            self.clear()
            return
        if link.state != "online":
            parts.append(self.tr("data as of %1").replace("%1", clock_text(link.data_as_of)))
        if link.signed_in_offline:
            parts.append(self.tr("signed in offline"))
        if link.pending:
            parts.append(self.tr("%1 commands waiting to sync").replace("%1", str(link.pending)))
        self.show_text(" · ".join(parts), tone)


class DataAgeLabel(QLabel):
    """A panel's "数据截至 14:03:27（3 分钟前）": shown only while the link is not online."""

    def __init__(self, link: LinkState, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("dataAge")
        self.setStyleSheet("QLabel#dataAge { color: #f0b429; padding: 3px 14px; }")
        self._link = link
        link.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        link = self._link
        if link.state == "online":
            self.hide()
            return
        text = self.tr("Data as of %1").replace("%1", clock_text(link.data_as_of))
        if link.data_as_of is not None:
            text += " " + self.tr("(%1 ago)").replace("%1", format_age(time.time() - link.data_as_of))
        self.setText(text)
        self.show()
