#!/usr/bin/env python3
"""A small raw-socket NATS client for scripts/bench: JetStream stream admin and fast stream fills.

Standard library only, so the benchmark needs no client of its own beyond the ones it measures.

  nats_tool.py URL create-stream NAME SUBJECT    create a file-storage stream on SUBJECT (deleting NAME first)
  nats_tool.py URL delete-stream NAME            delete a stream (missing is fine)
  nats_tool.py URL count NAME                    print the number of messages the stream holds
  nats_tool.py URL attack N                      publish N events to cim.attack.events.thing.t<i>: a new event type each
  nats_tool.py URL events N                      publish N CIM events like `cimpeer fill` (for runs without the peers)
  nats_tool.py URL mkstreams S C                 S streams LOAD_<i> (load.<i>.>, 5 messages each) with C durable consumers
                                                 each, like `cimpeer mkstreams` (for runs without the peers)
  nats_tool.py URL aggregates N                  publish N events to events.Order.agg-<i mod 10000>: the aggregate id in
                                                 the subject (100 events per aggregate for N = 1000000)

Fills publish with a reply subject and wait for every PubAck, a window at a time, so nothing is lost to the
stream's ingest limits and the fill ends when the stream holds every message.
"""
import json
import random
import socket
import sys
import time
from urllib.parse import urlparse


class Connection:
    def __init__(self, url):
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 4222))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.read_line()  # INFO
        connect = {"verbose": False, "pedantic": False, "headers": True, "no_responders": True, "name": "bench-tool"}
        self.sock.sendall(b"CONNECT " + json.dumps(connect).encode() + b"\r\nSUB _BENCH.> 1\r\nPING\r\n")
        while self.next_frame() != ("PONG", None):
            pass

    def read_more(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise SystemExit("error: the server closed the connection")
        self.buffer += chunk

    def read_line(self):
        while b"\r\n" not in self.buffer:
            self.read_more()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def next_frame(self):
        """The next server operation: ("MSG", payload), ("PONG", None), or ("OTHER", line)."""
        line = self.read_line()
        if line.startswith(b"MSG ") or line.startswith(b"HMSG "):
            size = int(line.split()[-1])
            while len(self.buffer) < size + 2:
                self.read_more()
            payload, self.buffer = self.buffer[:size], self.buffer[size + 2:]
            return ("MSG", payload)
        if line == b"PING":
            self.sock.sendall(b"PONG\r\n")
            return ("OTHER", line)
        if line.startswith(b"-ERR"):
            raise SystemExit("error: server: " + line.decode(errors="replace"))
        return ("PONG", None) if line == b"PONG" else ("OTHER", line)

    def request(self, subject, body):
        data = json.dumps(body).encode() if body is not None else b""
        self.sock.sendall(b"PUB %s _BENCH.reply %d\r\n%s\r\n" % (subject.encode(), len(data), data))
        while True:
            kind, payload = self.next_frame()
            if kind == "MSG":
                return json.loads(payload) if payload else {}

    def publish_acked(self, messages, window=4096):
        """Publishes (subject, headers-or-None, payload) tuples, each with a reply subject; waits for every ack."""
        sent = acked = 0
        failures = []
        batch = []
        for subject, headers, payload in messages:
            if headers:
                block = b"NATS/1.0\r\n" + b"".join(b"%s: %s\r\n" % (k, v) for k, v in headers) + b"\r\n"
                batch.append(b"HPUB %s _BENCH.ack %d %d\r\n%s%s\r\n" % (subject, len(block), len(block) + len(payload), block, payload))
            else:
                batch.append(b"PUB %s _BENCH.ack %d\r\n%s\r\n" % (subject, len(payload), payload))
            sent += 1
            if len(batch) == window:
                self.sock.sendall(b"".join(batch))
                batch.clear()
                acked += self.await_acks(sent - acked - window, failures)
        if batch:
            self.sock.sendall(b"".join(batch))
        acked += self.await_acks(sent - acked, failures)
        if failures:
            raise SystemExit("error: %d publishes failed, first: %s" % (len(failures), failures[0][:300]))
        return acked

    def await_acks(self, count, failures):
        """Reads until `count` more acks have arrived (none when `count` <= 0); returns how many."""
        got = 0
        while got < count:
            kind, payload = self.next_frame()
            if kind != "MSG":
                continue
            got += 1
            if b'"error"' in payload:
                failures.append(payload.decode(errors="replace"))
        return got


def attack_messages(count):
    base = time.time() - 3600
    for i in range(count):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + i / 1000.0)) + ".%03dZ" % (i % 1000)
        payload = b'{"event_id":"attack-%d","occurred_at":"%s","payload":{"n":%d}}' % (i, stamp.encode(), i)
        yield (b"cim.attack.events.thing.t%d" % i, None, payload)


DOMAINS = ["person", "organization", "workflow", "agent", "document", "graph", "identity", "location", "policy", "git", "nix", "dialog"]
AGGREGATES = ["person", "organization", "workflow", "agent", "document", "graph", "identity", "location"]
VERBS = ["created", "updated", "deleted", "registered", "started", "completed", "assigned", "approved", "archived", "deployed", "linked", "renamed"]


def event_messages(count, seed=42):
    """CIM events shaped like the ones `cimpeer fill` writes (not the same random sequence)."""
    rng = random.Random(seed)
    base = time.time() - 3600
    for i in range(count):
        domain, aggregate, verb = rng.choice(DOMAINS), rng.choice(AGGREGATES), rng.choice(VERBS)
        failed = rng.randrange(100) < 3
        if failed:
            verb = "failed"
            inner = '{"error":{"kind":"%s","message":"operation failed after %d attempts"},"attempt":%d}' % (
                rng.choice(["timeout", "validation", "conflict", "unavailable"]), rng.randrange(5) + 1, rng.randrange(5) + 1)
        else:
            inner = '{"name":"entity-%d","revision":%d,"tags":["a","b"],"attributes":{"region":"eu-west","tier":%d}}' % (
                rng.randrange(100000), rng.randrange(50), rng.randrange(3))
        event_id = "0190%04x-%04x-7%03x-8%03x-%012x" % (i >> 16 & 0xFFFF, i & 0xFFFF, rng.randrange(4096), rng.randrange(4096), rng.getrandbits(48))
        correlation = "0190%04x-0000-7000-8000-%012x" % (rng.randrange(65536), rng.getrandbits(48))
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + i / 1000.0)) + ".%03dZ" % (i % 1000)
        body = (
            '{"event_id":"%s","aggregate_id":"%s","aggregate_type":"%s","event_type":"%s","sequence":%d,'
            '"correlation_id":{"kind":"Single","value":"%s"},"causation_id":"%s","occurred_at":"%s",'
            '"payload_metadata":{"source":"%s-service","version":"v1","properties":{},"payload_type":"%s.%s"},'
            '"payload":{"kind":"Right","value":%s}}'
        ) % (event_id, correlation[:24] + event_id[24:], aggregate, verb, rng.randrange(1000) + 1, correlation, event_id, stamp,
             domain, aggregate, verb, inner)
        headers = [(b"Nats-Msg-Id", event_id.encode()), (b"X-Event-Type", verb.encode()),
                   (b"X-Correlation-ID", correlation.encode()), (b"X-Causation-ID", event_id.encode())]
        yield (("cim.%s.events.%s.%s" % (domain, aggregate, verb)).encode(), headers, body.encode())


def aggregate_messages(count):
    """Events whose subject carries the aggregate id (`events.<AggregateType>.<aggregate_id>`), for selective replay."""
    for i, (_, headers, body) in enumerate(event_messages(count, seed=7)):
        yield (b"events.Order.agg-%d" % (i % 10000), headers, body)


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    connection = Connection(sys.argv[1])
    command, args = sys.argv[2], sys.argv[3:]
    if command == "create-stream":
        name, subject = args
        connection.request("$JS.API.STREAM.DELETE." + name, None)
        reply = connection.request("$JS.API.STREAM.CREATE." + name, {"name": name, "subjects": [subject], "storage": "file"})
        if "error" in reply:
            raise SystemExit("error: cannot create stream %s: %s" % (name, reply["error"]))
    elif command == "delete-stream":
        connection.request("$JS.API.STREAM.DELETE." + args[0], None)
    elif command == "count":
        reply = connection.request("$JS.API.STREAM.INFO." + args[0], None)
        if "error" in reply:
            raise SystemExit("error: stream %s: %s" % (args[0], reply["error"]))
        print(reply["state"]["messages"])
    elif command == "mkstreams":
        streams, consumers = int(args[0]), int(args[1])
        for index in range(streams):
            name = "LOAD_%04d" % index
            reply = connection.request("$JS.API.STREAM.CREATE." + name, {"name": name, "subjects": ["load.%d.>" % index], "storage": "file"})
            if "error" in reply and reply["error"].get("err_code") != 10058:
                raise SystemExit("error: cannot create stream %s: %s" % (name, reply["error"]))
            connection.publish_acked([(b"load.%d.m" % index, None, b"x")] * 5)
            for consumer in range(consumers):
                durable = "C%02d" % consumer
                body = {"stream_name": name, "config": {"durable_name": durable, "ack_policy": "explicit"}}
                reply = connection.request("$JS.API.CONSUMER.CREATE.%s.%s" % (name, durable), body)
                if "error" in reply:
                    raise SystemExit("error: cannot create consumer %s/%s: %s" % (name, durable, reply["error"]))
        print("mkstreams: %d streams, %d consumers" % (streams, streams * consumers))
    elif command in ("attack", "events", "aggregates"):
        count = int(args[0])
        start = time.time()
        generators = {"attack": attack_messages, "events": event_messages, "aggregates": aggregate_messages}
        messages = generators[command](count)
        acked = connection.publish_acked(messages)
        print("published %d events in %.1fs" % (acked, time.time() - start), file=sys.stderr)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
