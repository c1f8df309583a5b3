"""What `OfflineCache.open` does before the cache starts: check the file, and quarantine it
(after salvaging its outbox) when it cannot be used."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from offline_cache.check import problem
from offline_cache.files import COMPANIONS, create_private, quarantine
from offline_cache.rows import OutboxRow
from offline_cache.salvage import salvage_outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenReport:
    """What `OfflineCache.open` found.

    `quarantined_to` is None for a healthy (or new) file. Otherwise the broken file was
    renamed there, for the reason given in `reason`, and a new cache was built:
    `salvaged_outbox` commands were carried over from it, and `outbox_unreadable` is True
    when it may have held commands that could not be read — the console must say that
    commands may have been lost.
    """

    quarantined_to: Path | None = None
    reason: str = ""
    salvaged_outbox: int = 0
    outbox_unreadable: bool = False


def prepare(path: Path, *, timeout: float) -> tuple[OpenReport, list[OutboxRow]]:
    """Leave a usable (possibly new, empty) file at `path`, mode 0600; return the report and
    the outbox rows to put back into it."""
    create_private(path)
    companions = _companions(path)
    reason = problem(path, timeout=timeout)
    if reason is None:
        return OpenReport(), []
    salvage = salvage_outbox(path)
    _remove_new_companions(path, companions)
    target = quarantine(path)
    create_private(path)
    log.warning("offline cache %s quarantined to %s: %s; %d outbox rows salvaged%s", path,
                target.name, reason, len(salvage.rows),
                "" if salvage.complete else ", the outbox could not be read in full")
    return OpenReport(quarantined_to=target, reason=reason, salvaged_outbox=len(salvage.rows),
                      outbox_unreadable=not salvage.complete), salvage.rows


def _companions(path: Path) -> set[Path]:
    return {p for p in (Path(f"{path}{suffix}") for suffix in COMPANIONS) if p.exists()}


def _remove_new_companions(path: Path, found: set[Path]) -> None:
    """Delete the -wal/-shm files that reading the broken file created (they hold nothing
    of it), so that it is quarantined as it was found."""
    for companion in _companions(path) - found:
        companion.unlink()
