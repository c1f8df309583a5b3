"""The live feed's own process: runs `LiveFeed` and talks to `LiveFeedProcess` over a pipe.

Child → parent, each a tuple:
    ("batch", [frame, ...], stats)   the frames of the accepted messages, in seq order
    ("state", state, detail, stats)  the feed's state ("stopped" is the parent's to say)
    ("resync",)                      the server no longer holds our seq: reload over REST
    ("ask", n, "token" | "unauthorized", arg)   a question the parent answers with n
    ("log", record_dict)             a log record, re-emitted by the parent's logging
    ("stats", stats)                 counters that changed while nothing else was sent
    ("stopped", stats)               the last message
Parent → child: ("stop",), ("resume", seq), ("answer", n, value).

Nothing here imports Qt: the process is forked from a server that preloaded this module.
"""

from __future__ import annotations

import itertools
import logging
import threading
from multiprocessing.connection import Connection
from typing import Any

from console.live import LiveFeed, LiveUrl
from console.schema import LiveMessage

log = logging.getLogger("console.live")

#: How long the feed waits for the parent to answer a question (a token, a re-sign-in).
ASK_TIMEOUT = 30.0
_STATS_EVERY = 0.25


class _Pipe:
    """The child's end of the pipe: sends from any thread; answers to questions."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._send_lock = threading.Lock()
        self._answers: dict[int, Any] = {}
        self._answered = threading.Condition()
        self._numbers = itertools.count(1)
        self._released = False
        self.closed = False

    def send(self, message: tuple) -> None:
        with self._send_lock:
            if self.closed:
                return
            try:
                self.conn.send(message)
            except (OSError, ValueError):  # the parent is gone: the main loop ends soon
                self.closed = True

    def ask(self, kind: str, arg: object) -> Any:
        number = next(self._numbers)
        self.send(("ask", number, kind, arg))
        with self._answered:
            self._answered.wait_for(
                lambda: number in self._answers or self._released or self.closed, ASK_TIMEOUT)
            return self._answers.pop(number, None)

    def answer(self, number: int, value: Any) -> None:
        with self._answered:
            self._answers[number] = value
            self._answered.notify_all()

    def release(self) -> None:
        """Questions waiting now, and later ones, get None at once (the feed is stopping)."""
        with self._answered:
            self._released = True
            self._answered.notify_all()


class _PipeLogHandler(logging.Handler):
    """Sends each record to the parent, formatted (arguments and tracebacks made text)."""

    def __init__(self, pipe: _Pipe) -> None:
        super().__init__()
        self._pipe = pipe

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # Plain values only: a library's `extra` (websockets adds its connection, which
            # holds locks) cannot cross the pipe.
            fields = {key: value for key, value in record.__dict__.items()
                      if value is None or isinstance(value, (str, int, float, bool))}
            fields["msg"] = record.getMessage()
            fields["args"] = None
            if record.exc_info:
                fields["exc_text"] = logging.Formatter().formatException(record.exc_info)
            fields["exc_info"] = None
            self._pipe.send(("log", fields))
        except Exception:
            self.handleError(record)


def _stats(feed: LiveFeed) -> dict[str, int]:
    return {"rejected": feed.rejected, "duplicates": feed.duplicates, "gaps": feed.gaps,
            "connections": feed.connections}


def _frames(batch: list[LiveMessage]) -> list[bytes]:
    return [m.frame if m.frame is not None else m.model_dump_json().encode() for m in batch]


def run(conn: Connection, url_for: LiveUrl, since_seq: int, options: dict[str, Any],
        log_level: int) -> None:
    """The child process's main function: the feed runs until the parent says stop or goes."""
    pipe = _Pipe(conn)
    root = logging.getLogger()
    root.handlers[:] = [_PipeLogHandler(pipe)]
    root.setLevel(log_level)
    holder: list[LiveFeed] = []

    def stats() -> dict[str, int]:
        return _stats(holder[0]) if holder else {}

    def on_state(state: str, detail: str) -> None:
        if state != "stopped":
            pipe.send(("state", state, detail, stats()))

    feed = LiveFeed(
        url_for,
        lambda: pipe.ask("token", None),
        since_seq=since_seq,
        on_batch=lambda batch: pipe.send(("batch", _frames(batch), stats())),
        on_state=on_state,
        on_resync=lambda: pipe.send(("resync",)),
        on_unauthorized=lambda token: pipe.ask("unauthorized", token),
        **options,
    )
    holder.append(feed)
    feed.start()
    sent = stats()
    try:
        while not pipe.closed:
            try:
                ready = conn.poll(_STATS_EVERY)
                message = conn.recv() if ready else None
            except (EOFError, OSError):
                break
            if message is None:
                if stats() != sent:
                    sent = stats()
                    pipe.send(("stats", sent))
                continue
            kind = message[0]
            if kind == "stop":
                break
            if kind == "resume":
                feed.resume_from(message[1])
            elif kind == "answer":
                pipe.answer(message[1], message[2])
    finally:
        pipe.release()
        feed.stop()
        pipe.send(("stopped", stats()))
        conn.close()
