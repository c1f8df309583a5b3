"""`python -m backend`: run the reference backend with uvicorn on a chosen or free port."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import socket
import sys
import tempfile

import uvicorn

from .app import create_app
from .cameras import CameraFileError, demo_cameras, load_camera_file
from .config import Settings


class _RedactTokens(logging.Filter):
    """Keeps `access_token=` query values (browser fallback of the live feed) out of logs."""

    _pattern = re.compile(r"(access_token=)[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(self._pattern.sub(r"\1***", a) if isinstance(a, str) else a
                                for a in (record.args if isinstance(record.args, tuple)
                                          else (record.args,)))
        if isinstance(record.msg, str):
            record.msg = self._pattern.sub(r"\1***", record.msg)
        return True


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def _tile_template(text: str) -> str:
    if not text.startswith(("http://", "https://")) or not all(
            part in text for part in ("{z}", "{x}", "{y}")):
        raise argparse.ArgumentTypeError("must be an http(s) URL with {z}, {x} and {y}")
    return text


def _ice_server(text: str) -> str:
    if not text.startswith(("stun:", "turn:", "turns:")) or len(text) <= 6 or any(
            c.isspace() for c in text):
        raise argparse.ArgumentTypeError("must be a stun:, turn: or turns: URL")
    return text


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    parser.add_argument("--db", default=None, help="SQLite file (default: a new temp file)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=6.0, help="simulated events per minute")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated time acceleration")
    parser.add_argument("--units", choices=["on", "off"], default="on",
                        help="simulated units sign for, resolve or send back dispatched events")
    parser.add_argument("--indicators", choices=["on", "off"], default="on",
                        help="every indicator publishes indicator.sample live messages")
    parser.add_argument("--indicator-interval", type=_positive, default=None, metavar="SECONDS",
                        help="seconds between samples of every indicator (default: each its own)")
    parser.add_argument("--port-file", default=None, help="write the bound port here")
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"])
    parser.add_argument("--retain", type=int, default=200_000,
                        help="live messages kept for replay")
    parser.add_argument("--heartbeat", type=float, default=5.0, help="seconds between heartbeats")
    parser.add_argument("--client-queue", type=int, default=50_000,
                        help="live messages buffered per client before it is closed as too slow")
    parser.add_argument("--access-ttl", type=float, default=15 * 60,
                        help="access token lifetime in seconds")
    parser.add_argument("--parent-pid", type=int, default=0,
                        help="shut down when this process is gone (the console that started us)")
    parser.add_argument("--tile-source", action="append", type=_tile_template, default=[],
                        metavar="URL_TEMPLATE",
                        help="an XYZ tile source for the map, e.g. "
                             "http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png (repeatable)")
    parser.add_argument("--camera-dropouts", choices=["on", "off"], default="on",
                        help="demo cameras drop out now and then and come back "
                             "(camera.status live messages)")
    parser.add_argument("--cameras", default=None, metavar="FILE",
                        help="a JSON list of external cameras (the shape of GET "
                             "/api/v1/cameras) listed after the demo ones")
    parser.add_argument("--stream-linger", type=_positive, default=2.0, metavar="SECONDS",
                        help="a demo camera's stream goes on this long after its last client "
                             "left (a client that comes back finds it running)")
    parser.add_argument("--max-streams", type=int, default=64, metavar="N",
                        help="demo camera streams produced at once at most (each costs CPU "
                             "while someone watches); more are refused with 503")
    parser.add_argument("--ice-server", action="append", type=_ice_server, default=[],
                        metavar="URL",
                        help="an ICE server for the conference rooms, e.g. stun:10.1.2.3:3478 "
                             "or turn:user:password@10.1.2.3:3478 (repeatable; default none: "
                             "direct connections on the LAN)")
    args = parser.parse_args(argv)
    args.external_cameras = ()
    if args.cameras:
        try:
            args.external_cameras = tuple(load_camera_file(
                args.cameras, taken={c.id for c in demo_cameras()}))
        except CameraFileError as exc:
            parser.error(str(exc))
    return args


async def _watch_parent(server: uvicorn.Server, parent_pid: int) -> None:
    """A console that crashed cannot stop its demo backend: notice it and leave."""
    while not server.should_exit:
        await asyncio.sleep(1.0)
        if os.getppid() != parent_pid:
            logging.getLogger("backend").warning("parent %d is gone: shutting down", parent_pid)
            server.should_exit = True


async def _serve(server: uvicorn.Server, sock: socket.socket, args: argparse.Namespace) -> None:
    task = asyncio.create_task(server.serve(sockets=[sock]))
    watcher = asyncio.create_task(_watch_parent(server, args.parent_pid)) if args.parent_pid \
        else None
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if server.started:
        port = sock.getsockname()[1]
        if args.port_file:
            tmp = f"{args.port_file}.tmp"
            with open(tmp, "w") as fh:
                fh.write(str(port))
            os.replace(tmp, args.port_file)
        print(f"hall-backend listening on http://{args.host}:{port}", flush=True)
    await task
    if watcher is not None:
        watcher.cancel()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact = _RedactTokens()
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).addFilter(redact)
    db_path = args.db
    if not db_path:
        fd, db_path = tempfile.mkstemp(prefix="hall-backend-", suffix=".db")
        os.close(fd)
    settings = Settings(db_path=db_path, seed=args.seed, rate=args.rate, speed=args.speed,
                        units=args.units == "on", indicators=args.indicators == "on",
                        indicator_interval=args.indicator_interval, retain=args.retain,
                        heartbeat=args.heartbeat, client_queue=args.client_queue,
                        access_ttl=args.access_ttl, tile_sources=tuple(args.tile_source),
                        camera_dropouts=args.camera_dropouts == "on",
                        external_cameras=args.external_cameras,
                        stream_linger=args.stream_linger, max_streams=args.max_streams,
                        ice_servers=tuple(args.ice_server))
    app = create_app(settings)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it every answer on a kept-alive connection waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    config = uvicorn.Config(app, log_level=args.log_level, access_log=False, lifespan="on",
                            timeout_graceful_shutdown=3, ws_max_size=1 << 20,
                            ws_ping_interval=None, log_config=None)
    server = uvicorn.Server(config)
    asyncio.run(_serve(server, sock, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
