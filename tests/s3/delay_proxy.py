#!/usr/bin/env python3
"""A delay proxy for the S3 tests and the latency benchmark (Python 3 asyncio, standard
library only): the wire between the S3 driver and the test server as far away as real S3.

Listens on 127.0.0.1 (a free port, written to --port-file) and relays bytes both ways to the
upstream server, holding each chunk --hold-ms (default 25) before passing it on, in order and
without limiting how many chunks are on the way: a request and its answer take two holds,
however many requests are in flight. A new connection first waits --connect-ms (default two
holds: a TCP handshake's round trip) before anything crosses it, so a client that does not
reuse its connections pays for it as it would on a real network.

--stats-file gets {"connections": N, "open": M} rewritten at each connection's start and end.
Stop it with SIGTERM or SIGINT.
"""
import argparse
import asyncio
import json
import os
import signal
import sys

STATS = {"connections": 0, "open": 0}


def write_stats(path):
    if not path:
        return
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(STATS, f)
    os.replace(tmp, path)


async def relay(reader, writer, hold):
    """Copies reader to writer, each chunk leaving `hold` seconds after it arrived."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def take():
        while True:
            try:
                data = await reader.read(65536)
            except (ConnectionError, OSError):
                data = b""
            await queue.put((loop.time() + hold, data))
            if not data:
                return

    async def give():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            try:
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                break
        try:
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            pass

    await asyncio.gather(take(), give())


async def serve(args):
    host, port = args.upstream.rsplit(":", 1)
    hold = args.hold_ms / 1000.0
    connect = (args.connect_ms if args.connect_ms is not None else 2 * args.hold_ms) / 1000.0

    async def handle(client_reader, client_writer):
        STATS["connections"] += 1
        STATS["open"] += 1
        write_stats(args.stats_file)
        try:
            await asyncio.sleep(connect)
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
            try:
                await asyncio.gather(relay(client_reader, up_writer, hold),
                                     relay(up_reader, client_writer, hold))
            finally:
                up_writer.close()
        except (ConnectionError, OSError):
            pass
        finally:
            client_writer.close()
            STATS["open"] -= 1
            write_stats(args.stats_file)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    bound = server.sockets[0].getsockname()[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(bound))
    os.replace(tmp, args.port_file)  # readers never see a half-written port
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream", required=True, help="host:port of the S3 server")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--hold-ms", type=float, default=25)
    ap.add_argument("--connect-ms", type=float, default=None)
    ap.add_argument("--stats-file")
    args = ap.parse_args()
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
