"""The login dialog: user name, password, seat and (only with a secure keyring) remember me.

The login call runs in a background thread; the dialog stays responsive and shows errors
(wrong password, backend unreachable) in place.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from views.labels import vault_reason
from views.worker import BackgroundCall

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """Asks for credentials and logs in through `auth` (an AuthSession) off the GUI thread.

    After `exec()` returns Accepted, `user` holds the logged-in schema.User.
    """

    def __init__(
        self,
        auth,
        vault,
        invoker,
        *,
        server: str,
        username: str = "",
        password: str = "",
        seat: str = "",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LoginDialog")
        self.setWindowTitle(self.tr("Hall Console — sign in"))
        self.setMinimumWidth(420)
        self._auth = auth
        self._vault = vault
        self._invoker = invoker
        self._server = server
        self._calls: list[BackgroundCall] = []
        self._login_call: BackgroundCall | None = None
        self._busy = False
        self.user = None

        heading = QLabel(self.tr("Liangxi City Operations Centre"), self)
        heading.setObjectName("loginHeading")
        server_label = QLabel(self.tr("Server: %1").replace("%1", server), self)
        server_label.setObjectName("loginServer")

        self.username_edit = QLineEdit(username, self)
        self.username_edit.setObjectName("usernameEdit")
        self.password_edit = QLineEdit(password, self)
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.seat_edit = QLineEdit(seat, self)
        self.seat_edit.setObjectName("seatEdit")

        self.remember_check = QCheckBox(self.tr("Remember password in the system keyring"), self)
        self.remember_check.setObjectName("rememberCheck")
        self.keyring_note = QLabel(self)
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        if vault.secure:
            self.keyring_note.hide()
        else:
            self.remember_check.setEnabled(False)
            self.keyring_note.setText(
                vault_reason(getattr(vault, "reason", ""))
                + " "
                + self.tr("The password is never saved to a file; type it at every start.")
            )

        self.error_label = QLabel(self)
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(self.tr("Sign in"))
        self.login_button.setObjectName("loginButton")
        self.login_button.style().unpolish(self.login_button)
        self.login_button.style().polish(self.login_button)
        self.buttons.accepted.connect(self.start_login)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow(self.tr("Seat"), self.seat_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(server_label)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.remember_check)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        for edit in (self.username_edit, self.password_edit, self.seat_edit):
            edit.textChanged.connect(self._update_button)
        (self.password_edit if username else self.username_edit).setFocus()
        self._update_button()
        if vault.secure and username and not password:
            self._load_saved_password(username)

    # ---- Public API

    def start_login(self) -> None:
        """Log in with the fields' values in a background thread."""
        if self._busy:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        seat = self.seat_edit.text().strip()
        remember = self.remember_check.isEnabled() and self.remember_check.isChecked()
        if not username or not password:
            return
        self._set_busy(True)
        self.error_label.hide()
        self._auth.seat = seat

        def login():
            return self._auth.login(username, password, remember_password=remember)

        self._login_call = BackgroundCall(
            self._invoker, login, self._logged_in, self._login_failed, name="hall-login"
        ).start()
        self._calls.append(self._login_call)

    def busy(self) -> bool:
        """True while the login call runs."""
        return self._busy

    def wait_for_workers(self, timeout: float = 15.0) -> None:
        """Join the background calls (used when the dialog closes)."""
        for call in self._calls:
            call.join(timeout)

    # ----

    def _load_saved_password(self, username: str) -> None:
        def fetch():
            return self._vault.get_password(self._server, username)

        def fill(password) -> None:
            if password and not self.password_edit.text():
                self.password_edit.setText(password)
                self.remember_check.setChecked(True)

        self._calls.append(
            BackgroundCall(self._invoker, fetch, fill, lambda _e: None, name="hall-vault").start()
        )

    def _logged_in(self, user) -> None:
        if not self.isVisible():
            return  # cancelled while the call ran
        self._set_busy(False)
        self.user = user
        log.info("signed in as %s", getattr(user, "id", "?"))
        self.accept()

    def _login_failed(self, error: BaseException) -> None:
        if not self.isVisible():
            return
        self._set_busy(False)
        self.error_label.setText(self._error_text(error))
        self.error_label.show()
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _error_text(self, error: BaseException) -> str:
        status = getattr(error, "status", None)
        code = getattr(error, "code", "")
        if code == "invalid_credentials" or status == 401:
            return self.tr("Wrong user name or password.")
        if status == 0 or code in ("network", "timeout"):
            text = self.tr("The backend at %1 cannot be reached.").replace("%1", self._server)
            why = getattr(error, "details", {}).get("offline_refused")
            if why == "expired":
                text += " " + self.tr("Offline sign-in needs an online sign-in on this seat "
                                      "within the last 12 hours.")
            elif why == "other_seat":
                text += " " + self.tr("Offline sign-in works only on the seat of your last "
                                      "online sign-in.")
            elif why:
                text += " " + self.tr("Offline sign-in needs an online sign-in on this seat "
                                      "first.")
            return text
        if code == "rate_limited":
            return self.tr("Too many attempts; wait a moment and try again.")
        log.warning("login failed: %s", type(error).__name__)
        return self.tr("Sign-in failed: %1").replace(
            "%1", str(getattr(error, "message", "") or type(error).__name__)
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.username_edit, self.password_edit, self.seat_edit):
            widget.setEnabled(not busy)
        self.login_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        self._update_button()
        if busy:
            self.login_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def _update_button(self) -> None:
        self.login_button.setEnabled(
            bool(self.username_edit.text().strip() and self.password_edit.text()) and not self.busy()
        )

    def done(self, result: int) -> None:  # noqa: D102 - QDialog API
        if self._login_call is not None and self._login_call.running():
            # Let the running call finish (its result is ignored) so no thread outlives us.
            self._login_call.join(15.0)
        super().done(result)
