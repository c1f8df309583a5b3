"""The desk's status bar: connection state, last seq, event count, user and role."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from views.labels import CONNECTION_COLORS, connection_name, role_name
from widgets.status_light import StatusLight


class HallStatusBar(QStatusBar):
    """Connection light + "seq N" + "N events" + "name (role)" on the right."""

    def __init__(self, bridge, user, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("HallStatusBar")
        self.setSizeGripEnabled(False)
        self._store = bridge.store
        self.connection = StatusLight(self)
        self.connection.setObjectName("connectionState")
        self.seq_label = QLabel(self)
        self.seq_label.setObjectName("seqLabel")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("userLabel")
        for widget in (self.connection, self.seq_label, self.count_label, self.user_label):
            self.addPermanentWidget(widget)
        self.connection_state = ""

        bridge.sig_connection_changed.connect(self.set_connection)
        bridge.sig_seq.connect(self.set_seq)
        for signal in (bridge.sig_rows_inserted, bridge.sig_reset):
            signal.connect(self._update_count)
        self.set_connection("connecting", "")
        self.set_seq(self._store.last_seq)
        self._update_count()
        self.set_user(user)

    # ---- Public API

    def set_connection(self, state: str, detail: str = "") -> None:
        """Show the live connection state in its colour (detail as tooltip)."""
        self.connection_state = state
        self.connection.set_state(connection_name(state), CONNECTION_COLORS.get(state, "#8b949e"))
        self.connection.setToolTip(detail)

    def set_seq(self, seq: int) -> None:
        """Show the last applied seq."""
        self.seq_label.setText(self.tr("seq %1").replace("%1", str(seq)))

    def set_user(self, user) -> None:
        """Show the signed-in user and their roles."""
        if user is None:
            self.user_label.setText(self.tr("Not signed in"))
            return
        roles = "、".join(role_name(r) for r in user.roles)
        self.user_label.setText(
            self.tr("%1 (%2)").replace("%1", user.name or user.id).replace("%2", roles)
        )

    def _update_count(self, *args) -> None:
        self.count_label.setText(self.tr("%1 events").replace("%1", str(len(self._store))))
