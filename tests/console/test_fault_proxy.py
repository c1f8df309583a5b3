"""FaultProxy does what each of its faults says, against an echo server and the real backend."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests
from fault_proxy import FaultProxy

#: How long "nothing arrives" is watched for.
QUIET = 0.5


class EchoServer:
    """Echoes every byte back, on 127.0.0.1; `conns` are its ends of the connections."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.conns.append(conn)
            thread = threading.Thread(target=self._echo, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    @staticmethod
    def _echo(conn: socket.socket) -> None:
        try:
            while data := conn.recv(65536):
                conn.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        for sock in [self._listener, *self.conns]:  # shutdown wakes a blocked accept or recv
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        for thread in [self._accepting, *self._threads]:
            thread.join(5)


@pytest.fixture
def echo():
    server = EchoServer()
    yield server
    server.close()


@pytest.fixture
def proxy(echo):
    with FaultProxy(("127.0.0.1", echo.port)) as p:
        yield p


def connect(proxy: FaultProxy, timeout: float = 5.0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def receive(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        piece = sock.recv(count - len(data))
        if not piece:
            break
        data += piece
    return data


def round_trip(sock: socket.socket, payload: bytes) -> bytes:
    sock.sendall(payload)
    return receive(sock, len(payload))


def is_quiet(sock: socket.socket, seconds: float = QUIET) -> bool:
    """True when neither a byte nor a close arrives within `seconds`."""
    sock.settimeout(seconds)
    try:
        sock.recv(1)
    except TimeoutError:
        return True
    finally:
        sock.settimeout(5.0)
    return False


def is_refused(proxy: FaultProxy) -> bool:
    """True when a new connection is closed at once (reset on connect or on the first read,
    whichever the RST meets, or an orderly close)."""
    try:
        with connect(proxy) as sock:
            return sock.recv(10) == b""
    except ConnectionResetError:
        return True



def test_bytes_pass_both_ways_and_are_counted(proxy):
    assert proxy.url == f"http://127.0.0.1:{proxy.port}"
    with connect(proxy) as a, connect(proxy) as b:
        assert round_trip(a, b"hello") == b"hello"
        assert round_trip(b, b"x" * 200_000) == b"x" * 200_000
        stats = proxy.stats()
        assert (stats.accepted, stats.open, stats.refused) == (2, 2, 0)
        assert stats.bytes_up == stats.bytes_down == 200_005
        assert not stats.faults


def test_http_to_the_real_backend_passes(backend):
    with FaultProxy(backend.url) as proxy:
        answer = requests.get(f"{proxy.url}/api/v1/health", timeout=5)
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        assert proxy.stats().bytes_down > len(answer.content)


@pytest.mark.parametrize("upstream", [("10.1.2.3", 80), ("localhost", 80), ("127.0.0.2", 80),
                                      "http://example.com/", "http://[::1]:80"])
def test_only_127_0_0_1_is_an_upstream(upstream):
    with pytest.raises(AssertionError, match="not 127.0.0.1"):
        FaultProxy(upstream)
    assert not any(t.name == "fault-proxy" for t in threading.enumerate())


def test_cut_closes_every_connection_cleanly(proxy):
    a, b = connect(proxy), connect(proxy)
    with a, b:
        assert round_trip(a, b"1") == b"1" and round_trip(b, b"2") == b"2"
        assert proxy.cut() == 2
        assert a.recv(10) == b"" and b.recv(10) == b""  # FIN: an orderly end, not an error
        stats = proxy.stats()
        assert stats.open == 0 and stats.faults["cut"] == 2
        with connect(proxy) as c:  # a cut is a moment, not a state
            assert round_trip(c, b"3") == b"3"


def test_reset_aborts_every_connection_with_rst(proxy):
    with connect(proxy) as a:
        assert round_trip(a, b"1") == b"1"
        assert proxy.reset() == 1
        with pytest.raises(ConnectionResetError):
            a.recv(10)
        assert proxy.stats().faults["reset"] == 1


def test_stall_holds_bytes_and_closes_until_unstall(proxy, echo):
    with connect(proxy) as a:
        assert round_trip(a, b"before") == b"before"
        closing = connect(proxy)
        assert round_trip(closing, b"c") == b"c"
        proxy.stall()
        a.sendall(b"held")
        echo.conns[1].shutdown(socket.SHUT_RDWR)  # the backend closes: not passed on either
        assert is_quiet(a) and is_quiet(closing)
        with connect(proxy) as new:  # accepted, but stalled too
            new.sendall(b"new")
            assert is_quiet(new)
            assert len(echo.conns) == 3  # it did reach the server: nothing flows, that is all
            proxy.unstall()
            assert receive(a, 4) == b"held"
            assert receive(new, 3) == b"new"
            assert closing.recv(10) == b""
        closing.close()
        assert round_trip(a, b"after") == b"after"
    assert proxy.stats().faults["stall"] == 3


def test_stall_of_existing_connections_only(proxy):
    with connect(proxy) as old:
        assert round_trip(old, b"1") == b"1"
        proxy.stall(existing=True, new=False)
        old.sendall(b"2")
        with connect(proxy) as new:
            assert round_trip(new, b"fresh") == b"fresh"
        assert is_quiet(old, 0.2)
        proxy.unstall()
        assert receive(old, 1) == b"2"


def test_slow_throttles_each_direction_and_none_restores(proxy):
    payload = b"s" * 20_000
    with connect(proxy) as sock:
        proxy.slow(20_000)
        started = time.monotonic()
        assert round_trip(sock, payload) == payload
        throttled = time.monotonic() - started
        proxy.slow(None)
        started = time.monotonic()
        assert round_trip(sock, payload) == payload
        full_speed = time.monotonic() - started
    assert throttled >= 0.8, throttled  # 20 kB at 20 kB/s: about 1 s
    assert full_speed < 0.5, full_speed
    assert proxy.stats().faults["slow"] == 1
    with pytest.raises(ValueError):
        proxy.slow(0)


def raw_get(port: int, path: str = "/api/v1/health") -> bytes:
    """One HTTP/1.1 GET over a fresh socket; everything until the server's close."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode())
        data = b""
        while piece := sock.recv(65536):
            data += piece
        return data


def test_close_half_way_cuts_the_next_answers_only(backend):
    with FaultProxy(backend.url) as proxy:
        whole = raw_get(proxy.port)
        assert whole.startswith(b"HTTP/1.1 200") and whole.endswith(b"}")
        proxy.close_half_way(40, times=2)
        assert raw_get(proxy.port) == whole[:40]
        assert raw_get(proxy.port) == whole[:40]
        assert raw_get(proxy.port).endswith(b"}")  # both used up: whole again
        proxy.close_half_way(len(whole) - 5)  # in the JSON body
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(f"{proxy.url}/api/v1/health", headers={"Connection": "close"},
                         timeout=5)
        assert proxy.stats().faults["close_half_way"] == 3


def test_refuse_closes_new_connections_and_accept_takes_them_again(proxy):
    with connect(proxy) as old:
        assert round_trip(old, b"1") == b"1"
        proxy.refuse()
        assert is_refused(proxy)
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"{proxy.url}/", timeout=5)
        assert round_trip(old, b"2") == b"2"  # open connections go on unless asked
        proxy.refuse(existing=True)
        with pytest.raises(ConnectionResetError):
            old.recv(10)
    proxy.accept()
    with connect(proxy) as again:
        assert round_trip(again, b"3") == b"3"
    stats = proxy.stats()
    assert stats.refused == 2 and stats.accepted == 4 and stats.faults["refuse"] == 1


def test_close_resets_connections_and_leaves_no_thread(echo):
    proxy = FaultProxy(("127.0.0.1", echo.port))
    sock = connect(proxy)
    assert round_trip(sock, b"1") == b"1"
    proxy.stall()
    proxy.close()
    with pytest.raises(ConnectionResetError):
        sock.recv(10)
    sock.close()
    assert not any(t.name == "fault-proxy" for t in threading.enumerate())
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=2)
    proxy.close()  # again: nothing happens
    assert proxy.stats().accepted == 1
    with pytest.raises(RuntimeError):
        proxy.cut()
    with FaultProxy(("127.0.0.1", echo.port)) as scoped, connect(scoped) as sock:
        assert round_trip(sock, b"2") == b"2"
    assert not any(t.name == "fault-proxy" for t in threading.enumerate())
