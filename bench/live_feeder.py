"""A live-feed source for the benchmarks: speaks the live websocket protocol of API.md.

It replays event templates taken from the real reference backend as a stream with
consecutive seqs at a chosen rate (or as fast as the socket takes them), so the console's
ingest path and a raw baseline client can be measured on exactly the same stream. Each frame's
`at` is its publish time (microseconds), which the latency bench reads back.

Run as a separate process so the sender does not share the GIL with what it measures:
    python -m bench.live_feeder --templates FILE --port-file F --prefill N --rate R --seconds S
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import itertools
import sys
from datetime import datetime
from pathlib import Path

import orjson
from websockets.asyncio.server import serve

from console.schema import CST


def _frames(templates: list[dict], prefill: int, new_share: float):
    """Yield (seq, event_dict) forever: `prefill` new events, then a mix of new ones and updates."""
    seq = 0
    held: list[dict] = []
    cycle = itertools.cycle(templates)
    counter = itertools.count(1)
    pick = itertools.count()
    while True:
        seq += 1
        if seq <= prefill or (seq % 100) < new_share * 100 or not held:
            event = copy.deepcopy(next(cycle))
            event["id"] = f"BENCH-{next(counter):07d}"
            event["version"] = 1
            event["reported_at"] = event["updated_at"] = datetime.now(CST).isoformat()
            held.append(event)
        else:
            event = held[(next(pick) * 7919) % len(held)]
            event["version"] += 1
        event["seq"] = seq
        yield seq, event


def _frame(seq: int, event: dict) -> bytes:
    return orjson.dumps(
        {"seq": seq, "type": "event.upsert", "at": datetime.now(CST).isoformat(), "data": event}
    )


async def _serve(args: argparse.Namespace) -> None:
    templates = orjson.loads(Path(args.templates).read_bytes())
    done = asyncio.Event()

    async def handler(ws) -> None:
        frames = _frames(templates, args.prefill, args.new_share)
        sent = 0
        for seq, event in frames:
            if seq > args.prefill:
                break
            await ws.send(_frame(seq, event).decode())
            sent += 1
        await ws.send(orjson.dumps({"seq": seq - 1, "type": "heartbeat", "at": datetime.now(CST).isoformat(), "data": {"last_seq": seq - 1}}).decode())
        loop = asyncio.get_running_loop()
        start = loop.time()
        total = int(args.rate * args.seconds) if args.rate > 0 else args.count
        pending = [(seq, event)]
        it = itertools.chain(pending, frames)
        n = 0
        while n < total:
            if args.rate > 0:
                due = min(total, int((loop.time() - start) * args.rate) + 1)
            else:
                due = total
            while n < due:
                s, ev = next(it)
                await ws.send(_frame(s, ev).decode())
                n += 1
                if args.rate <= 0 and n % 500 == 0:
                    await asyncio.sleep(0)
            if args.rate > 0:
                await asyncio.sleep(0.002)
        await ws.send(orjson.dumps({"seq": args.prefill + total, "type": "heartbeat", "at": datetime.now(CST).isoformat(), "data": {"last_seq": args.prefill + total}}).decode())
        try:
            await ws.wait_closed()
        finally:
            done.set()

    async with serve(handler, "127.0.0.1", 0, max_size=None, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        Path(args.port_file).write_text(str(port))
        await asyncio.wait_for(done.wait(), timeout=args.seconds + 600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--templates", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--prefill", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0, help="events/s after the prefill; 0 = as fast as possible")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--count", type=int, default=50_000, help="events after the prefill when --rate 0")
    parser.add_argument("--new-share", type=float, default=0.2)
    args = parser.parse_args(argv)
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
