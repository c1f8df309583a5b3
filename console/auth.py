"""Sign-in, token refresh and the credentials the console may remember.

Tokens live in memory; a refresh token (and, if the user asks, a password) is remembered only
in the operating system's keyring, and only when that keyring really is a protected store.
Nothing here ever writes a file.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import keyring
import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError

from console.api import ApiClient, ApiError, NetworkError
from console.events import Signal
from console.schema import TokenResponse, User

if TYPE_CHECKING:
    from console.offline_login import OfflineLogin

log = logging.getLogger(__name__)

#: The keyring "service" under which the console keeps its entries.
KEYRING_SERVICE = "hall-console"

#: Words in a backend's module or class name that mean it keeps secrets in a plain file.
_INSECURE_WORDS = ("plaintext", "unencrypted", "file")

#: Fixed reasons (the GUI translates exactly these).
REASON_OK = ""
REASON_NO_KEYRING = "No keyring service is available on this system."
REASON_DISABLED = "The keyring is disabled."
REASON_PLAINTEXT = "The keyring stores secrets unencrypted in a file."
REASON_LOW_PRIORITY = "The keyring backend is not recommended for secrets."
REASON_ERROR = "The keyring could not be opened."


def _assess(backend: keyring.backend.KeyringBackend) -> str:
    """Why `backend` must not hold secrets, or "" when it may."""
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring):
        return REASON_NO_KEYRING
    if isinstance(backend, null.Keyring):
        return REASON_DISABLED
    kind = type(backend)
    name = f"{kind.__module__}.{kind.__qualname__}".lower()
    if any(word in name for word in _INSECURE_WORDS):
        return REASON_PLAINTEXT
    children = getattr(backend, "backends", None)
    if children is not None:  # keyring's ChainerBackend: every link must be safe
        if not children:
            return REASON_NO_KEYRING
        for child in children:
            reason = _assess(child)
            if reason:
                return reason
        return REASON_OK
    try:
        priority = float(backend.priority)
    except Exception:
        return REASON_ERROR
    if priority < 1:
        return REASON_LOW_PRIORITY
    return REASON_OK


class CredentialVault:
    """The OS keyring, used only when it is a protected store.

    `secure` says whether it is; `reason` (English, one of the REASON_* texts) says why not.
    When not secure, setters do nothing and getters return None, so no secret ever lands in
    a plaintext file behind the user's back.
    """

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        try:
            self._backend = backend if backend is not None else keyring.get_keyring()
            self.reason = _assess(self._backend)
        except Exception:
            log.exception("could not open the keyring")
            self._backend = None
            self.reason = REASON_ERROR
        self.secure = not self.reason
        if not self.secure:
            log.info("credentials will not be remembered: %s (%s)", self.reason,
                     type(self._backend).__name__)

    # ---- Public API

    def get_refresh_token(self, server: str, username: str) -> str | None:
        return self._get(_key(server, username, "refresh"))

    def set_refresh_token(self, server: str, username: str, token: str) -> None:
        self._set(_key(server, username, "refresh"), token)

    def delete_refresh_token(self, server: str, username: str) -> None:
        self._delete(_key(server, username, "refresh"))

    def get_password(self, server: str, username: str) -> str | None:
        return self._get(_key(server, username, "password"))

    def set_password(self, server: str, username: str, password: str) -> None:
        self._set(_key(server, username, "password"), password)

    def delete_password(self, server: str, username: str) -> None:
        self._delete(_key(server, username, "password"))

    def get_offline_record(self, server: str, username: str) -> str | None:
        return self._get(_key(server, username, "offline"))

    def set_offline_record(self, server: str, username: str, record: str) -> None:
        self._set(_key(server, username, "offline"), record)

    def delete_offline_record(self, server: str, username: str) -> None:
        self._delete(_key(server, username, "offline"))

    # ---- Internals

    def _get(self, key: str) -> str | None:
        if not self.secure:
            return None
        try:
            return self._backend.get_password(KEYRING_SERVICE, key)
        except (KeyringError, OSError):
            log.warning("keyring read failed", exc_info=True)
            return None

    def _set(self, key: str, secret: str) -> None:
        if not self.secure:
            return
        try:
            self._backend.set_password(KEYRING_SERVICE, key, secret)
        except (KeyringError, OSError):
            log.warning("keyring write failed", exc_info=True)

    def _delete(self, key: str) -> None:
        if not self.secure:
            return
        try:
            self._backend.delete_password(KEYRING_SERVICE, key)
        except PasswordDeleteError:
            pass
        except (KeyringError, OSError):
            log.warning("keyring delete failed", exc_info=True)


def _key(server: str, username: str, what: str) -> str:
    return f"{server}|{username}|{what}"


class AuthSession:
    """Who is signed in, with the tokens in memory only.

    Installs itself as the api's token provider and refresh handler. `sig_user_changed(user
    or None)` is emitted on the thread that caused the change (sign-in, sign-out, or a refresh
    that found the session gone).

    With `offline_login` (console.offline_login), a sign-in that cannot reach the backend is
    checked against the seat's offline record instead: `offline` is then True, there is no
    token, and `go_online()` signs in for real once the backend answers again.
    """

    def __init__(self, api: ApiClient, vault: CredentialVault, seat: str,
                 offline_login: OfflineLogin | None = None) -> None:
        self._api = api
        self._offline_login = offline_login
        self._offline_password: str | None = None
        self.offline = False
        self._vault = vault
        self._seat = seat
        self._server = api.base_url
        self._lock = threading.RLock()
        self._access: str | None = None
        self._refresh: str | None = None
        self._username: str | None = None
        self.user: User | None = None
        self.sig_user_changed = Signal("user_changed")
        api.set_token_provider(lambda: self._access)
        api.set_refresh_handler(self.refresh)

    # ---- Public API

    @property
    def access_token(self) -> str | None:
        """The current access token (memory only)."""
        return self._access

    @property
    def username(self) -> str | None:
        return self._username

    @property
    def seat(self) -> str:
        """The seat (desk) name sent at the next login; the backend records it in the audit log."""
        return self._seat

    @seat.setter
    def seat(self, seat: str) -> None:
        self._seat = seat

    def login(self, username: str, password: str, *, remember_password: bool = False) -> User:
        """Sign in; raises ApiError (e.g. `invalid_credentials`, `network`).

        When the backend cannot be reached and an offline record allows it, the user is signed
        in offline (`offline` True); otherwise the NetworkError says why not."""
        try:
            tokens = self._api.login(username, password, self._seat)
        except NetworkError as exc:
            return self._login_offline(username, password, exc)
        self._accept(username, tokens)
        if self._offline_login is not None:
            self._offline_login.remember(username, password, tokens.user, self._seat)
        if remember_password:
            self._vault.set_password(self._server, username, password)
        return tokens.user

    @property
    def online_username(self) -> str | None:
        """Who may send commands now: the user signed in online (None offline or signed out)."""
        with self._lock:
            return self._username if self._access and not self.offline else None

    def go_online(self) -> bool:
        """After an offline sign-in: sign in for real with the password typed then. True when
        signed in online (also when already). A refused password ends the session."""
        with self._lock:
            username, password = self._username, self._offline_password
        if not self.offline:
            return True
        if not username or password is None:
            return False
        try:
            tokens = self._api.login(username, password, self._seat)
        except NetworkError:
            return False
        except ApiError as exc:
            log.warning("online sign-in after an offline one refused: %s", exc.code)
            if exc.status in (400, 401, 403, 422) and self._offline_login is not None:
                self._offline_login.forget(username)
            self._end(forget=False)
            return False
        with self._lock:
            self.offline = False
            self._offline_password = None
        self._accept(username, tokens, announce=False)
        if self._offline_login is not None:
            self._offline_login.remember(username, password, tokens.user, self._seat)
        log.info("%s is signed in online again", username)
        return True

    def resume(self, username: str) -> User | None:
        """Sign in again with the refresh token remembered in the keyring, if any.

        A refused token is forgotten. When the server cannot be reached the token is kept
        (it may still be good) and None is returned.
        """
        stored = self._vault.get_refresh_token(self._server, username)
        if not stored:
            return None
        try:
            tokens = self._api.refresh(stored)
        except NetworkError as exc:
            log.info("cannot resume the session of %s now: %s", username, exc.code)
            return None
        except ApiError as exc:
            log.info("the remembered session of %s is no longer valid (%s)", username, exc.code)
            self._vault.delete_refresh_token(self._server, username)
            return None
        self._accept(username, tokens)
        return tokens.user

    def refresh(self) -> bool:
        """Renew the tokens; True on success.

        When the server refuses the refresh token the session is over: the tokens are
        dropped, the remembered one forgotten, and `sig_user_changed(None)` emitted.
        """
        with self._lock:
            refresh_token, username = self._refresh, self._username
        if not refresh_token or not username:
            return False
        try:
            tokens = self._api.refresh(refresh_token)
        except NetworkError as exc:
            log.info("token refresh failed: %s", exc.code)
            return False
        except ApiError as exc:
            if exc.status in (400, 401, 403, 422):
                log.info("the session has expired (%s)", exc.code)
                self._end(forget=True)
            else:
                log.warning("token refresh failed: %s", exc.code)
            return False
        self._accept(username, tokens, announce=False)
        return True

    def logout(self) -> None:
        """Forget the tokens, the remembered refresh token and the offline sign-in record (a
        remembered password stays)."""
        username = self._username
        self._end(forget=True)
        if username and self._offline_login is not None:
            self._offline_login.forget(username)

    # ---- Internals

    def _login_offline(self, username: str, password: str, error: NetworkError) -> User:
        from console.offline_login import OfflineLoginRefused

        if self._offline_login is None:
            raise error
        try:
            user = self._offline_login.check(username, password, self._seat)
        except OfflineLoginRefused as refused:
            if refused.reason == "wrong_password":
                raise ApiError(401, "invalid_credentials", str(refused)) from None
            raise NetworkError(0, error.code, f"{error.message}; no offline sign-in: {refused}",
                               {"offline_refused": refused.reason}) from None
        with self._lock:
            self._access = self._refresh = None
            self._username = username
            self._offline_password = password
            self.offline = True
            self.user = user
        log.info("%s signed in offline (the backend cannot be reached)", username)
        self.sig_user_changed.emit(user)
        return user

    def _accept(self, username: str, tokens: TokenResponse, *, announce: bool = True) -> None:
        with self._lock:
            changed = self.user is None or self.user.id != tokens.user.id
            self._access = tokens.access_token
            self._refresh = tokens.refresh_token
            self._username = username
            self.user = tokens.user
        self._vault.set_refresh_token(self._server, username, tokens.refresh_token)
        if announce or changed:
            self.sig_user_changed.emit(tokens.user)

    def _end(self, *, forget: bool) -> None:
        with self._lock:
            username, had_user = self._username, self.user is not None
            self._access = self._refresh = None
            self._username = None
            self._offline_password = None
            self.offline = False
            self.user = None
        if forget and username:
            self._vault.delete_refresh_token(self._server, username)
        if had_user:
            self.sig_user_changed.emit(None)
