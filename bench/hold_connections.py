#!/usr/bin/env python3
"""Holds COUNT hostile connections open against 127.0.0.1:PORT for bench/hostile_load.sh.

Half are idle (connected, nothing sent), half are slow-header clients that sent a request line and add one header
byte a second without ever ending the header. Connections the server closes (a header deadline, a 503 past a
connection cap) are opened again at the next one-second tick, so COUNT stay held without turning into a connect
flood. Prints "held N" once all are open, then every 5 s the fewest held after a tick and running counts; runs until
SIGTERM or SIGINT.
"""
import selectors
import signal
import socket
import sys
import time


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: hold_connections.py PORT COUNT", file=sys.stderr)
        return 2
    port, count = int(sys.argv[1]), int(sys.argv[2])
    selector = selectors.DefaultSelector()
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    slots = [None] * count  # socket per slot
    stats = {"opened": 0, "closed_by_server": 0, "answered": 0, "refused": 0}

    def open_slot(index: int) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            sock.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        except OSError:
            stats["refused"] += 1
            sock.close()
            return
        if index % 2 == 1:
            try:
                sock.send(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            except OSError:
                pass
        slots[index] = sock
        selector.register(sock, selectors.EVENT_READ, index)
        stats["opened"] += 1

    def drop(index: int) -> None:
        selector.unregister(slots[index])
        slots[index].close()
        slots[index] = None

    for index in range(count):
        open_slot(index)
    print(f"held {sum(s is not None for s in slots)}", flush=True)
    least_held = None  # the fewest held after a tick's reopening, since the last report
    next_tick = time.monotonic() + 1
    next_report = time.monotonic() + 5
    while running:
        for key, _ in selector.select(timeout=max(0.0, next_tick - time.monotonic())):
            index = key.data
            try:
                data = slots[index].recv(4096)
            except OSError:
                data = b""
            if data:
                stats["answered"] += 1  # e.g. a 503 or 408; the close follows
                continue
            stats["closed_by_server"] += 1
            drop(index)
        now = time.monotonic()
        if now >= next_tick:
            next_tick = now + 1
            for index in range(count):
                if slots[index] is None:
                    open_slot(index)
                elif index % 2 == 1:
                    try:
                        slots[index].send(b"a")
                    except OSError:
                        drop(index)
            held = sum(s is not None for s in slots)
            least_held = held if least_held is None else min(least_held, held)
        if now >= next_report:
            next_report = now + 5
            print(f"held at least {least_held} over 5 s; " + " ".join(f"{k} {v}" for k, v in stats.items()), flush=True)
            least_held = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
