"""The live feed's child process sends its log records to the parent through a pipe: a record
carrying a library's unpicklable `extra` (websockets adds its connection) still arrives."""

from __future__ import annotations

import logging
import multiprocessing
import threading

from console.live_child import _Pipe, _PipeLogHandler


def test_a_record_with_an_unpicklable_extra_reaches_the_parent():
    parent, child = multiprocessing.Pipe()
    handler = _PipeLogHandler(_Pipe(child))
    logger = logging.getLogger("test.live_child")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("> GET %s HTTP/1.1", "/api/v1/live", extra={"websocket": threading.Lock()})
    finally:
        logger.removeHandler(handler)
    assert parent.poll(5)
    kind, fields = parent.recv()
    assert kind == "log"
    record = logging.makeLogRecord(fields)
    assert record.getMessage() == "> GET /api/v1/live HTTP/1.1"
    assert record.levelname == "WARNING" and "websocket" not in fields
