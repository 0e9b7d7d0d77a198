#!/usr/bin/env python3
"""A stand-in NATS server for scripts/bench that measures a client alone: it speaks just enough of the protocol to
take publishes, or to deliver messages, faster than a client can.

  nats_endpoint.py sink PORT              discard every byte received; print the bytes each connection sent
  nats_endpoint.py source PORT N SIZE     deliver N messages of SIZE bytes to each subscription, as fast as the
                                          client reads them

On the benchmark's small machine one nats-server connection moves fewer messages a second than either client can
publish or receive, so runs through nats-server measure the server. Runs against this endpoint measure the client.
Both modes send INFO and answer each PING with a PONG (a client's flush), so a publisher finishes when the sink has
read everything it sent. The sink does not parse frames: it counts `PING\\r\\n` in the byte stream, so payloads must
not contain those bytes (the benchmark's do not). The source reads the client's control lines (CONNECT, PING, SUB,
UNSUB) and expects no publishes. Standard library only.
"""
import json
import socket
import sys
import threading

PING = b"PING\r\n"
PONG = b"PONG\r\n"


def send_info(conn, port):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    info = {
        "server_id": "BENCHENDPOINT",
        "server_name": "bench-endpoint",
        "version": "2.10.0",
        "proto": 1,
        "host": "127.0.0.1",
        "port": port,
        "headers": True,
        "max_payload": 1048576,
    }
    conn.sendall(b"INFO " + json.dumps(info).encode() + b"\r\n")


def sink(conn, port):
    send_info(conn, port)
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
                conn.sendall(PONG * pings)
            tail = bytes(view[max(0, n - 5) : n])
    except OSError:
        pass
    finally:
        conn.close()
        print(f"{total} bytes", flush=True)


def deliver(conn, lock, subject, sid, count, size):
    """Sends `count` MSG frames for one subscription, in large writes of prebuilt frames."""
    frame = b"MSG %s %s %d\r\n" % (subject, sid, size) + b"x" * size + b"\r\n"
    per_chunk = max(1, (1 << 19) // len(frame))
    chunk = frame * per_chunk
    try:
        for _ in range(count // per_chunk):
            with lock:
                conn.sendall(chunk)
        with lock:
            conn.sendall(frame * (count % per_chunk))
    except OSError:
        pass


def source(conn, port, count, size):
    send_info(conn, port)
    lock = threading.Lock()
    pending = b""
    try:
        while True:
            data = conn.recv(1 << 16)
            if not data:
                break
            pending += data
            while b"\r\n" in pending:
                line, pending = pending.split(b"\r\n", 1)
                words = line.split()
                if not words:
                    continue
                verb = words[0].upper()
                if verb == b"PING":
                    with lock:
                        conn.sendall(PONG)
                elif verb == b"SUB" and len(words) in (3, 4):
                    args = (conn, lock, words[1], words[-1], count, size)
                    threading.Thread(target=deliver, args=args, daemon=True).start()
    except OSError:
        pass
    finally:
        conn.close()


def main():
    args = sys.argv[1:]
    valid = (len(args) == 2 and args[0] == "sink") or (len(args) == 4 and args[0] == "source")
    if not valid or not all(a.isdigit() for a in args[1:]):
        raise SystemExit("usage: nats_endpoint.py sink PORT | nats_endpoint.py source PORT N SIZE")
    port = int(args[1])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    while True:
        conn, _ = listener.accept()
        if args[0] == "sink":
            work = (sink, (conn, port))
        else:
            work = (source, (conn, port, int(args[2]), int(args[3])))
        threading.Thread(target=work[0], args=work[1], daemon=True).start()


if __name__ == "__main__":
    main()
