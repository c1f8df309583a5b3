"""One-shot background work for the views: run a blocking call off the GUI thread.

The result (or the exception) comes back on the GUI thread through the MainThreadInvoker.
Threads are plain daemon threads that end with their call; `join()` waits for them, so
nothing is left running when a dialog closes or a test ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class BackgroundCall:
    """Runs `fn()` in a thread; `on_done(result)` or `on_error(exc)` runs on the GUI thread."""

    def __init__(
        self,
        invoker,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        name: str = "hall-background",
    ) -> None:
        self._invoker = invoker
        self._fn = fn
        self._on_done = on_done
        self._on_error = on_error
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> BackgroundCall:
        self._thread.start()
        return self

    def running(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # every failure goes back to the GUI
            error = exc
            self._deliver(lambda: self._on_error(error))
            return
        self._deliver(lambda: self._on_done(result))

    def _deliver(self, fn) -> None:
        try:
            self._invoker.call_on_main(fn)
        except RuntimeError:  # the view that asked is gone (its window closed): nobody to tell
            log.debug("%s: answer dropped, the view is gone", self._thread.name)
