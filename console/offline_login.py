"""Signing in while the backend cannot be reached: the rule and its check.

The rule (README "Offline sign-in"): a user may sign in on this seat without the backend
only if
- they signed in online **on this seat, to this server**, within the last
  `OFFLINE_LOGIN_HOURS` hours (one shift and a half), and
- the password matches what they typed then: checked against a salted scrypt hash kept in
  the OS keyring (never in a file; no keyring, no offline sign-in), and
- fewer than `MAX_FAILURES` wrong passwords were typed offline since (then the record is
  wiped: the next sign-in must be online).

An offline sign-in gives the user's roles as the backend last granted them and no token:
the desk shows cached data and queues commands in the outbox; they go out once the same user
is signed in online again (the password typed is kept in memory for that, never on disk).
Every successful online sign-in renews the record; signing out deletes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import time
from collections.abc import Callable

import orjson

from console.auth import CredentialVault
from console.schema import User

log = logging.getLogger(__name__)

#: How long after an online sign-in the same user may sign in offline on this seat.
OFFLINE_LOGIN_HOURS = 12
#: Wrong offline passwords after which the record is wiped.
MAX_FAILURES = 5
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}


class OfflineLoginRefused(Exception):
    """Offline sign-in is not allowed; `reason` is a stable code, `str()` English text."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(text)
        self.reason = reason


class OfflineLogin:
    """Records and checks offline sign-ins for one seat and server (see the module docstring)."""

    def __init__(self, vault: CredentialVault, server: str,
                 clock: Callable[[], float] = time.time) -> None:
        self._vault = vault
        self._server = server
        self._clock = clock

    @property
    def available(self) -> bool:
        """False when the keyring is not a protected store (then nothing is recorded)."""
        return self._vault.secure

    def remember(self, username: str, password: str, user: User, seat: str) -> None:
        """Record an online sign-in on `seat` (call after each one)."""
        salt = os.urandom(16)
        record = {
            "salt": base64.b64encode(salt).decode(),
            "hash": base64.b64encode(_hash(password, salt)).decode(),
            "at": self._clock(), "seat": seat, "failures": 0,
            "user": user.model_dump(mode="json"),
        }
        self._vault.set_offline_record(self._server, username, orjson.dumps(record).decode())

    def forget(self, username: str) -> None:
        self._vault.delete_offline_record(self._server, username)

    def check(self, username: str, password: str, seat: str) -> User:
        """The user, if they may sign in offline on `seat` now; raises OfflineLoginRefused."""
        raw = self._vault.get_offline_record(self._server, username)
        if not raw:
            raise OfflineLoginRefused(
                "no_record", f"{username} has not signed in online on this seat recently")
        try:
            record = orjson.loads(raw)
            salt = base64.b64decode(record["salt"])
            expected = base64.b64decode(record["hash"])
            at, record_seat = float(record["at"]), record["seat"]
            failures = int(record.get("failures", 0))
            user = User.model_validate(record["user"])
        except (ValueError, KeyError, TypeError):
            self.forget(username)
            raise OfflineLoginRefused("no_record", "the offline sign-in record is unreadable") from None
        if record_seat != seat:
            raise OfflineLoginRefused("other_seat", "the last online sign-in was on another seat")
        age = self._clock() - at
        if age > OFFLINE_LOGIN_HOURS * 3600 or age < -300:
            raise OfflineLoginRefused(
                "expired", f"the last online sign-in was more than {OFFLINE_LOGIN_HOURS} h ago")
        if not hmac.compare_digest(_hash(password, salt), expected):
            failures += 1
            if failures >= MAX_FAILURES:
                log.warning("offline sign-in of %s: %d wrong passwords, record wiped",
                            username, failures)
                self.forget(username)
            else:
                record["failures"] = failures
                self._vault.set_offline_record(self._server, username,
                                               orjson.dumps(record).decode())
            raise OfflineLoginRefused("wrong_password", "wrong user name or password")
        if failures:
            record["failures"] = 0
            self._vault.set_offline_record(self._server, username, orjson.dumps(record).decode())
        return user


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
