"""The prompt for dispatches nobody signed for in time: chase (urge) or re-dispatch.

Shown above the queue while `console.chase.SignWatch` reports late signatures; it never takes
the keyboard focus. The window decides what the buttons do (signals).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout

from console.chase import LateSignature, SignWatch
from console.clocks import Clock
from console.schema import CST
from views.formatting import format_clock

#: How many late dispatches are listed; the rest are counted.
SHOWN = 3


class ChaseBar(QFrame):
    """Lists late signatures with Urge / Re-dispatch / Dismiss buttons.

    Signals:
      sig_urge(event_id), sig_redispatch(event_id), sig_show(event_id).
    """

    sig_urge = Signal(str)
    sig_redispatch = Signal(str)
    sig_show = Signal(str)

    def __init__(self, watch: SignWatch, units, can_dispatch: bool, can_urge: bool,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ChaseBar")
        self._watch = watch
        self._units = units
        self._can_dispatch = can_dispatch
        self._can_urge = can_urge
        self._shown: list[LateSignature] = []
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.heading = QLabel(self)
        self.heading.setObjectName("chaseHeading")
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def late(self) -> list[LateSignature]:
        """The late dispatches listed now."""
        return list(self._shown)

    def refresh(self, now: datetime | None = None) -> None:
        now = now or datetime.now(CST)
        late = self._watch.overdue(now)
        self.setVisible(bool(late))
        ids = [x.event_id for x in late[:SHOWN]]
        if ids != [x.event_id for x in self._shown[:SHOWN]] or \
                [x.urged for x in late[:SHOWN]] != [x.urged for x in self._shown[:SHOWN]]:
            self._rebuild(late[:SHOWN])
        self._shown = late
        more = len(late) - SHOWN
        text = self.tr("%1 dispatch(es) not signed for in time").replace("%1", str(len(late)))
        if more > 0:
            text += " · " + self.tr("%1 more not listed").replace("%1", str(more))
        self.heading.setText("⚠ " + text)
        for row, item in enumerate(late[:SHOWN]):
            label = self.grid.itemAtPosition(row, 1)
            if label is not None:
                label.widget().setText(self._late_text(item, now))

    def _late_text(self, item: LateSignature, now: datetime) -> str:
        clock = Clock("sign", "overdue", item.due, -item.overdue_seconds(now))
        units = "、".join(self._units.name(u) for u in item.units)
        text = f"{units} · {format_clock(clock)}"
        if item.urged:
            text += " · " + self.tr("urged")
        return text

    def _rebuild(self, items: list[LateSignature]) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        now = datetime.now(CST)
        for row, item in enumerate(items):
            title = QPushButton(f"{item.event_id} {item.title}", self)
            title.setObjectName("chaseTitle")
            title.setFlat(True)
            title.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            title.clicked.connect(lambda _c=False, e=item.event_id: self.sig_show.emit(e))
            self.grid.addWidget(title, row, 0)
            self.grid.addWidget(QLabel(self._late_text(item, now), self), row, 1)
            column = 2
            for text, name, signal, allowed in (
                (self.tr("Urge"), "chaseUrge", self.sig_urge, self._can_urge),
                (self.tr("Re-dispatch"), "chaseRedispatch", self.sig_redispatch,
                 self._can_dispatch),
            ):
                button = QPushButton(text, self)
                button.setObjectName(name)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setVisible(allowed)
                button.clicked.connect(lambda _c=False, e=item.event_id, s=signal: s.emit(e))
                self.grid.addWidget(button, row, column)
                column += 1
            dismiss = QPushButton(self.tr("Dismiss"), self)
            dismiss.setObjectName("chaseDismiss")
            dismiss.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            dismiss.clicked.connect(lambda _c=False, e=item.event_id: self._dismiss(e))
            self.grid.addWidget(dismiss, row, column)
        self.grid.setColumnStretch(1, 1)

    def _dismiss(self, event_id: str) -> None:
        self._watch.dismiss(event_id)
        self.refresh()
