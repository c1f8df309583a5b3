"""Demo users, password hashing and opaque tokens (only their hashes are stored)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

PBKDF2_ROUNDS = 120_000

#: username, display name, roles — the demo users of the reference backend (password = username).
DEMO_USERS: list[tuple[str, str, list[str]]] = [
    ("duty1", "值班员一", ["duty_officer"]),
    ("leader1", "带班领导一", ["shift_leader"]),
    ("admin", "系统管理员", ["admin"]),
]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of a request."""

    user_id: str
    name: str
    roles: tuple[str, ...]
    seat: str
    scope: dict

    def has_any(self, roles) -> bool:
        return any(r in roles for r in self.roles)

    def user_json(self) -> dict:
        return {"id": self.user_id, "name": self.name, "roles": list(self.roles),
                "scope": self.scope}


def hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ROUNDS)


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def verify_password(password: str, salt: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(hash_password(password, salt), expected)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # base32 has no digit 0/1/8/9, so a stored hash can never look like a phone number.
    return base64.b32encode(hashlib.sha256(token.encode()).digest()).decode().rstrip("=")


def fingerprint(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return base64.b32encode(digest.digest()).decode().rstrip("=")
