#!/usr/bin/env python3
"""A discard sink for scripts/bench: speaks just enough of the NATS client protocol to take publishes at full speed.

  nats_sink.py PORT    listen on 127.0.0.1:PORT until killed; prints the bytes each connection sent when it closes

On this benchmark's small machine one nats-server connection takes in fewer messages a second than either client
can publish, so publishing into nats-server measures the server. Publishing into this sink measures the client:
it sends INFO, discards every byte it receives and answers each PING with a PONG (a client's flush), so a publisher
finishes when the sink has read everything it sent. It does not parse frames: it counts `PING\r\n` in the byte
stream, so payloads must not contain those bytes (the benchmark's do not). Standard library only.
"""
import json
import socket
import sys
import threading

PING = b"PING\r\n"


def serve(conn, port):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    info = {
        "server_id": "BENCHSINK",
        "server_name": "bench-sink",
        "version": "2.10.0",
        "proto": 1,
        "host": "127.0.0.1",
        "port": port,
        "headers": True,
        "max_payload": 1048576,
    }
    conn.sendall(b"INFO " + json.dumps(info).encode() + b"\r\n")
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    tail = b""  # the last 5 bytes read: a PING may be split between two reads
    total = 0
    try:
        while True:
            n = conn.recv_into(buffer)
            if n == 0:
                break
            total += n
            # Only a PING that straddles the two reads is whole in the last 5 bytes plus the first 5.
            pings = (tail + bytes(view[: min(n, 5)])).count(PING) + buffer.count(PING, 0, n)
            if pings:
                conn.sendall(b"PONG\r\n" * pings)
            tail = bytes(view[max(0, n - 5) : n])
    except OSError:
        pass
    finally:
        conn.close()
        print(f"{total} bytes", flush=True)


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        raise SystemExit("usage: nats_sink.py PORT")
    port = int(sys.argv[1])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, port), daemon=True).start()


if __name__ == "__main__":
    main()
