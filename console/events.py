"""A tiny observer used by the core: signal-like callbacks with no Qt.

The core emits on whatever thread calls `emit`; the GUI crosses threads only through
`views/bridge.py`, which arranges for core work to run on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Signal:
    """A list of callbacks; `emit(*args)` calls each in the order they were connected.

    A callback that raises is logged and does not stop the others.
    """

    __slots__ = ("_callbacks", "name")

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        try:
            self._callbacks.remove(callback)
        except ValueError:
            pass

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            try:
                callback(*args)
            except Exception:
                log.exception("callback %r of signal %s failed", callback, self.name or "?")

    def __len__(self) -> int:
        return len(self._callbacks)
