"""A background task of the app's event loop, started and stopped with the app."""

from __future__ import annotations

import asyncio


class LoopTask:
    """Runs `_run()` (a coroutine, defined by the subclass) as one asyncio task: `start()` on
    the app's loop, `await stop()` cancels it and waits for it to end."""

    name = "loop-task"

    def __init__(self) -> None:
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        try:
            await task
        except (asyncio.CancelledError, Exception):
            pass

    async def _run(self) -> None:
        raise NotImplementedError
