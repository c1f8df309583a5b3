"""Redaction of tokens, credentials and phone numbers in every log record (R8)."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from console import logsafe
from console.logsafe import RedactingFilter, redact, setup_logging

TOKEN = "eyJhbGciOi.J9-abc_DEF~xyz"


@pytest.mark.parametrize("text, secret", [
    (f"Authorization: Bearer {TOKEN}", TOKEN),
    (f"sending bearer {TOKEN} now", TOKEN),
    (f'{{"access_token": "{TOKEN}", "expires_in": 900}}', TOKEN),
    (f'{{"refresh_token":"{TOKEN}"}}', TOKEN),
    (f"{{'access_token': '{TOKEN}'}}", TOKEN),
    (f"GET /api/v1/live?since_seq=3&access_token={TOKEN}&x=1", TOKEN),
    (f"refresh_token={TOKEN}", TOKEN),
    ("{'Authorization': 'Basic dXNlcjpwYXNz'}", "dXNlcjpwYXNz"),
    ('{"username": "leader1", "password": "s3cret!"}', "s3cret!"),
])
def test_secrets_are_masked(text, secret):
    out = redact(text)
    assert secret not in out
    assert "***" in out


@pytest.mark.parametrize("text, expected", [
    ("市民 13812345678 来电", "市民 138****5678 来电"),
    ("tel:+8613912345678", "tel:+86139****5678"),
    ("phone 138-1234-5678.", "phone 138****5678."),
    ("a,15900001111,b", "a,159****1111,b"),
])
def test_mobile_numbers_keep_first_three_and_last_four(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "seq 12345678901234 ok",      # longer digit runs are not phone numbers
    "id 12812345678",             # 12x is not a mobile prefix
    "2025-07-01T09:30:00+08:00",
    "event E000123 version 3",
])
def test_ordinary_text_is_left_alone(text):
    assert redact(text) == text


def test_filter_masks_args_and_tracebacks(caplog):
    log = logging.getLogger("test.logsafe")
    handler = logging.Handler()
    records: list[logging.LogRecord] = []
    handler.emit = records.append
    handler.addFilter(RedactingFilter())
    log.addHandler(handler)
    try:
        log.warning("login answered %s for %s", {"access_token": TOKEN}, "13812345678")
        try:
            raise ValueError(f"bad header Authorization: Bearer {TOKEN}")
        except ValueError:
            log.exception("call failed")
    finally:
        log.removeHandler(handler)
    text = "\n".join(logging.Formatter().format(r) for r in records)
    assert TOKEN not in text
    assert "13812345678" not in text
    assert "138****5678" in text
    assert "ValueError" in text


def test_setup_logging_redacts_every_logger_into_a_private_file(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers), root.level
    try:
        handler = setup_logging(tmp_path / "logs", logging.INFO)
        logging.getLogger("some.other.module").info("token %s phone 13712345678",
                                                    f"Bearer {TOKEN}")
        logging.getLogger("urllib3").warning("refresh_token=%s", TOKEN)
        handler.flush()
        path = tmp_path / "logs" / "console.log"
        text = path.read_text(encoding="utf-8")
        assert TOKEN not in text and "13712345678" not in text
        assert "137****5678" in text
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert handler.maxBytes == 2 * 1024 * 1024 and handler.backupCount == 5
        # Rotated files are private too.
        handler.doRollover()
        logging.getLogger("x").info("after rollover")
        handler.flush()
        for name in ("console.log", "console.log.1"):
            assert stat.S_IMODE(os.stat(tmp_path / "logs" / name).st_mode) == 0o600
        # A second call replaces the handler instead of adding another.
        setup_logging(tmp_path / "logs", logging.INFO)
        assert sum(isinstance(h, logsafe._PrivateRotatingFileHandler) for h in root.handlers) == 1
    finally:
        for h in list(root.handlers):
            if h not in before[0]:
                root.removeHandler(h)
                h.close()
        logsafe._installed = None
        root.setLevel(before[1])
