"""A fault-injecting TCP proxy on 127.0.0.1 for link-fault tests (R1, R4, R6).

It forwards bytes between the console and the real backend (HTTP and websocket alike) and
breaks the link on command from the test thread. Loopback only: it listens on 127.0.0.1 and
refuses any upstream other than 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
_CHUNK = 64 * 1024
#: With a rate limit, at most this many seconds' worth of bytes go in one piece.
_SLICE = 0.05


@dataclass
class ProxyStats:
    """A snapshot of the proxy's counters."""

    accepted: int  # connections accepted (refused ones included)
    refused: int  # connections closed at once because of `refuse()`
    open: int  # connections open now
    bytes_up: int  # forwarded client -> backend
    bytes_down: int  # forwarded backend -> client
    faults: Counter = field(default_factory=Counter)  # fault kind -> connections it hit


class _Link:
    """One proxied connection: the client's socket and ours to the backend."""

    def __init__(self, client: asyncio.StreamWriter, stalled: bool) -> None:
        self.client = client
        self.upstream: asyncio.StreamWriter | None = None
        self.flowing = asyncio.Event()
        if not stalled:
            self.flowing.set()
        self.tasks: list[asyncio.Task] = []
        self.cut_after: int | None = None  # bytes of the answer still let through
        self.closed = False


class FaultProxy:
    """A byte-level TCP proxy from 127.0.0.1:`port` to `upstream` on 127.0.0.1, with faults.

    `upstream` is an `http://127.0.0.1:PORT` URL or a `("127.0.0.1", port)` pair; `url` is
    the proxy's own. An asyncio loop runs in one background thread; every control method
    runs on that loop and returns once it has taken effect:

    - `cut()`: close every open connection cleanly (FIN both ways);
    - `reset()`: abort every open connection with RST (SO_LINGER 0);
    - `stall(existing=True, new=True)` / `unstall()`: forward nothing, in either direction,
      and pass no close on (a half-open link) for the open connections and/or those
      accepted while stalled; `unstall()` lets everything held back through;
    - `slow(bytes_per_second)` / `slow(None)`: throttle each direction of every connection;
    - `close_half_way(after_bytes, times=1)`: the next `times` downstream answers (the next
      bytes the backend sends on a connection) are cut after `after_bytes` bytes, and
      that connection is closed;
    - `refuse(existing=False)` / `accept()`: close new connections at once with RST (the
      backend looks down), and the open ones too with `existing=True`.

    `stats()` gives the counters. `close()` (or leaving a `with` block) stops the thread.
    """

    def __init__(self, upstream: str | tuple[str, int]) -> None:
        if isinstance(upstream, str):
            parts = urlsplit(upstream)
            upstream = (parts.hostname or "", parts.port or 80)
        host, port = upstream
        # Nothing may leave this machine: a literal 127.0.0.1, no name resolved.
        assert host == LOOPBACK, f"the upstream {host!r} is not {LOOPBACK}"
        self.upstream = (host, int(port))
        self._links: set[_Link] = set()
        self._stall_new = False
        self._refusing = False
        self._rate: float | None = None
        self._half_way: list[int] = []  # pending cuts: bytes let through for each
        self._accepted = self._refused = self._up = self._down = 0
        self._faults: Counter = Counter()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(started,), name="fault-proxy",
                                        daemon=True)
        self._thread.start()
        started.wait(10)
        if self._server is None:
            self.close()
            raise RuntimeError("the fault proxy did not start")
        self.port: int = self._server.sockets[0].getsockname()[1]
        self.url = f"http://{LOOPBACK}:{self.port}"

    # ---- Public API: faults

    def cut(self) -> int:
        """Close every open connection cleanly; returns how many."""
        return self._call(lambda: self._close_all("cut", rst=False))

    def reset(self) -> int:
        """Abort every open connection with RST; returns how many."""
        return self._call(lambda: self._close_all("reset", rst=True))

    def stall(self, *, existing: bool = True, new: bool = True) -> None:
        """Hold back every byte and close of the open connections (`existing`) and of
        those accepted from now on (`new`) until `unstall()`."""
        def apply() -> None:
            self._stall_new = new
            if existing:
                for link in self._links:
                    link.flowing.clear()
                    self._faults["stall"] += 1
        self._call(apply)

    def unstall(self) -> None:
        """Let everything held back by `stall()` through."""
        def apply() -> None:
            self._stall_new = False
            for link in self._links:
                link.flowing.set()
        self._call(apply)

    def slow(self, bytes_per_second: float | None) -> None:
        """Forward at most `bytes_per_second` each way per connection (None: full speed)."""
        if bytes_per_second is not None and bytes_per_second <= 0:
            raise ValueError("bytes_per_second must be positive")

        def apply() -> None:
            self._rate = bytes_per_second
            if bytes_per_second is not None:
                self._faults["slow"] += 1
        self._call(apply)

    def close_half_way(self, after_bytes: int, times: int = 1) -> None:
        """Cut the next `times` downstream answers after `after_bytes` bytes each."""
        self._call(lambda: self._half_way.extend([after_bytes] * times))

    def refuse(self, *, existing: bool = False) -> None:
        """Close new connections at once with RST; with `existing`, reset the open ones."""
        def apply() -> None:
            self._refusing = True
            if existing:
                self._close_all("refuse", rst=True)
        self._call(apply)

    def accept(self) -> None:
        """Take new connections again after `refuse()`."""
        def apply() -> None:
            self._refusing = False
        self._call(apply)

    def stats(self) -> ProxyStats:
        """The counters now (also after `close()`)."""
        def snapshot() -> ProxyStats:
            return ProxyStats(self._accepted, self._refused, len(self._links), self._up,
                              self._down, Counter(self._faults))
        return snapshot() if self._loop.is_closed() else self._call(snapshot)

    # ---- Public API: lifecycle

    def close(self) -> None:
        """Reset every connection, stop listening and end the thread. Safe to repeat."""
        if self._thread.is_alive() and self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._loop.is_closed() and not self._loop.is_running():
            self._loop.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- The loop thread

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._handle, LOOPBACK, 0))
        finally:
            started.set()
        self._loop.run_forever()

    async def _shutdown(self) -> None:
        self._close_all(None, rst=True)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for _ in range(5):  # let the cancelled pumps end and the sockets close
            await asyncio.sleep(0)

    def _call(self, fn: Callable[[], Any]) -> Any:
        if self._loop.is_closed():
            raise RuntimeError("the fault proxy is closed")

        async def run() -> Any:
            return fn()
        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._accepted += 1
        link = _Link(writer, stalled=self._stall_new)
        if self._refusing:
            self._refused += 1
            self._close(link, rst=True)
            return
        if self._stall_new:
            self._faults["stall"] += 1
        self._links.add(link)
        try:
            up_reader, upstream = await asyncio.open_connection(*self.upstream)
        except OSError:
            self._close(link, rst=True)
            return
        if link.closed:  # cut, reset or refused while connecting
            upstream.transport.abort()
            return
        link.upstream = upstream
        link.tasks = [asyncio.create_task(self._pump(link, reader, link.upstream, down=False)),
                      asyncio.create_task(self._pump(link, up_reader, writer, down=True))]

    async def _pump(self, link: _Link, source: asyncio.StreamReader,
                    target: asyncio.StreamWriter, *, down: bool) -> None:
        try:
            while data := await source.read(_CHUNK):
                if down and link.cut_after is None and self._half_way:
                    link.cut_after = self._half_way.pop(0)
                if down and link.cut_after is not None:
                    data, link.cut_after = data[:link.cut_after], link.cut_after - len(data)
                while data:  # in slices, so a rate limit or a stall bites mid-chunk
                    await link.flowing.wait()
                    rate = self._rate
                    size = len(data) if rate is None else max(1, int(rate * _SLICE))
                    piece, data = data[:size], data[size:]
                    if down:
                        self._down += len(piece)
                    else:
                        self._up += len(piece)
                    target.write(piece)
                    await target.drain()
                    if rate is not None:
                        await asyncio.sleep(len(piece) / rate)
                if down and link.cut_after is not None and link.cut_after <= 0:
                    self._faults["close_half_way"] += 1
                    break
            await link.flowing.wait()  # a stalled link passes no close on either
        except (OSError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            return
        self._close(link, rst=False)

    def _close_all(self, fault: str | None, *, rst: bool) -> int:
        links = list(self._links)
        for link in links:
            self._close(link, rst=rst)
            if fault is not None:
                self._faults[fault] += 1
        return len(links)

    def _close(self, link: _Link, *, rst: bool) -> None:
        if link.closed:
            return
        link.closed = True
        self._links.discard(link)
        current = asyncio.current_task()
        for task in link.tasks:
            if task is not current:
                task.cancel()
        for writer in (link.client, link.upstream):
            if writer is None:
                continue
            if rst:
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
            else:
                writer.close()
