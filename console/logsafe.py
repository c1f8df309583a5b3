"""Logging that never writes a token, a password or a citizen's full phone number (R8).

`RedactingFilter` rewrites each record's message (and its formatted traceback) before any
handler formats it; `setup_logging` installs it on a private rotating log file that every
logger of the process writes to.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "console.log"
LOG_MAX_BYTES = 2 * 1024 * 1024
LOG_BACKUPS = 5

_MASK = "***"

_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9\-._~+/]+=*")
# `Authorization: <anything>` up to the end of the value (quote, comma, brace or line end).
_AUTH_HEADER = re.compile(r"""(?i)(authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+""")
# `"access_token": "…"`, `'refresh_token': '…'`, `access_token=…&`, `password: …`.
_SECRET_VALUE = re.compile(
    r"""(?i)(["']?\b(?:access_token|refresh_token|id_token|token|password|passwd|secret|api_key)"""
    r"""["']?\s*[:=]\s*["']?)[^"'&\s,;}\]]+"""
)
# A mainland mobile number: 11 digits starting 13–19, optionally +86 / 86 and separators.
_PHONE = re.compile(r"(?:(?<=86)|(?<!\d))(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")


def redact(text: str) -> str:
    """`text` with tokens, credentials and mobile numbers masked (`138****5678`)."""
    if not text:
        return text
    text = _BEARER.sub(rf"\1\2{_MASK}", text)
    text = _AUTH_HEADER.sub(rf"\1{_MASK}", text)
    text = _SECRET_VALUE.sub(rf"\1{_MASK}", text)
    return _PHONE.sub(r"\1****\3", text)


def mask_phones(text: str) -> str:
    """`text` with every mainland mobile number masked (`138****5678`)."""
    return _PHONE.sub(r"\1****\3", text) if text else text


def mask_phone_field(value: str) -> str:
    """A phone field as it may be stored: masked, whatever was typed (a landline too)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7 and "*" not in value:
        return f"{digits[:3]}****{digits[-4:]}"
    return mask_phones(value)


class RedactingFilter(logging.Filter):
    """Masks secrets and phone numbers in a record's final message and traceback.

    The message is formatted once here (`msg % args`) and stored back without args, so no
    handler or formatter can see the raw values afterwards. Attach it to a handler to cover
    records from every logger that reach that handler.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} (unformattable arguments)"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files (the current one and each new one) are mode 0600."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.chmod(self.baseFilename, 0o600)
        except OSError:  # not every file system has POSIX modes
            pass
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


_installed: logging.Handler | None = None


def setup_logging(log_dir: str | os.PathLike[str], level: int | str = logging.INFO) -> logging.Handler:
    """Send every logger's records to `<log_dir>/console.log` (2 MB × 5, mode 0600), redacted.

    Calling it again replaces the handler it installed before. Returns the handler.
    """
    global _installed
    directory = Path(log_dir)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = _PrivateRotatingFileHandler(
        directory / LOG_FILE_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS,
        encoding="utf-8",
    )
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    if _installed is not None:
        root.removeHandler(_installed)
        _installed.close()
    root.addHandler(handler)
    root.setLevel(level)
    _installed = handler
    return handler
