"""Keeps full mainland mobile numbers out of everything the backend stores or sends."""

from __future__ import annotations

import re

# 11 digits starting 13–19, also written with spaces or dashes, with or without +86 / 86.
_PHONE = re.compile(r"(?:(?<=86)|(?<!\d))(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")


def mask_phones(text: str) -> str:
    """Replace every 11-digit mobile number with its masked form (138****5678)."""
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def mask_phone_field(value: str) -> str:
    """A reporter phone as stored: masked, whatever the caller sent."""
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7 and "*" not in value:
        return f"{digits[:3]}****{digits[-4:]}"
    return mask_phones(value)
