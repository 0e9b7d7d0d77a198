#!/usr/bin/env python3
"""What basic auth costs `cim-monitor serve` on HTTP, for scripts/bench. Standard library only.

  http_auth.py [--binary .build/release/cim-monitor] [--nats-server nats-server] [--pairs 5] [--seconds 5]
               [--clients 4] [--json]

Starts a nats-server (JetStream, a temporary store, a free loopback port) and then `serve` on a free port, and
measures, in alternating pairs (auth on first in odd pairs, off first in even ones), medians reported:

  metrics rate      GET /metrics requests a second from --clients keep-alive client processes, with basic auth
                    on (the credential sent, and cached by the monitor after the first request) and off;
  probe latency     the time of one GET /healthz and of one GET /metrics with the right password, sent one after
                    the other on their own connection, while --clients processes send wrong passwords (a fresh
                    random one each time, so nothing is cached) as fast as they are answered; also without them.

The bench user's password and its bcrypt hash (cost 12, the usual) are fixed below; they protect nothing.
"""
import argparse
import base64
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

USER = "bench"
PASSWORD = "bench-password"
HASH = "$2b$12$JILEAWKEdu.EuEMop31veOOTNCFIHXT1z2kxyxpWs8N5fp9Hfv02q"  # bcrypt(PASSWORD), cost 12


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authorization(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def wait_for(port, path="/healthz", timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"error: nothing answers 200 on 127.0.0.1:{port}{path} after {timeout} s")


class Serve:
    """`cim-monitor serve` with or without basic auth, on a free port."""

    def __init__(self, binary, nats_url, directory, auth):
        self.port = free_port()
        arguments = [binary, "serve", "--server", nats_url, "--instance", "bench", "--listen", f"127.0.0.1:{self.port}"]
        if auth:
            config = os.path.join(directory, "monitor.yaml")
            with open(config, "w") as file:
                file.write(f'http:\n  basic_auth_users:\n    {USER}: "{HASH}"\n')
            arguments += ["--config", config]
        self.log = open(os.path.join(directory, "serve.log"), "ab")
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        wait_for(self.port)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def warm_up(port):
    """One request with the right password, so the monitor has verified and cached it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics", headers={"Authorization": authorization(USER, PASSWORD)})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"error: /metrics with the bench password answered {response.status}")


def hammer(port, headers, seconds, results):
    """GET /metrics on one keep-alive connection for `seconds`; puts (ok, other) counts."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    ok = other = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn.request("GET", "/metrics", headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status == 200:
            ok += 1
        else:
            other += 1
    conn.close()
    results.put((ok, other))


def flood(port, stop, results):
    """Wrong passwords, a fresh one each request, until `stop` is set; puts the count of each status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    statuses = {}
    while not stop.is_set():
        try:
            conn.request("GET", "/metrics", headers={"Authorization": authorization(USER, secrets.token_hex(8))})
            response = conn.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    results.put(statuses)


def metrics_rate(port, auth, clients, seconds):
    headers = {"Authorization": authorization(USER, PASSWORD)} if auth else {}
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=hammer, args=(port, headers, seconds, results)) for _ in range(clients)]
    for worker in workers:
        worker.start()
    counts = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    ok = sum(c[0] for c in counts)
    other = sum(c[1] for c in counts)
    if other:
        raise SystemExit(f"error: {other} of {ok + other} /metrics requests were not answered 200 (auth {'on' if auth else 'off'})")
    return ok / seconds


def probe_latencies(port, seconds):
    """Sequential probes on one connection: lists of /healthz and cached-/metrics times in milliseconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    right = {"Authorization": authorization(USER, PASSWORD)}
    health, metrics = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path, headers, into in (("/healthz", {}, health), ("/metrics", right, metrics)):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            into.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise SystemExit(f"error: {path} answered {response.status} during the probe")
        time.sleep(0.01)
    conn.close()
    return health, metrics


def under_flood(port, clients, seconds):
    stop = multiprocessing.Event()
    results = multiprocessing.Queue()
    flooders = [multiprocessing.Process(target=flood, args=(port, stop, results)) for _ in range(clients)]
    for flooder in flooders:
        flooder.start()
    time.sleep(0.5)
    health, metrics = probe_latencies(port, seconds)
    stop.set()
    statuses = {}
    for _ in flooders:
        for status, count in results.get().items():
            statuses[status] = statuses.get(status, 0) + count
    for flooder in flooders:
        flooder.join()
    return health, metrics, statuses


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build/release/cim-monitor")
    parser.add_argument("--nats-server", default=shutil.which("nats-server") or "nats-server")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    options = parser.parse_args()
    if not os.access(options.binary, os.X_OK):
        raise SystemExit(f"error: {options.binary} is not an executable (swift build -c release --product cim-monitor)")

    directory = tempfile.mkdtemp(prefix="http-auth-bench-")
    nats_port = free_port()
    nats_log = open(os.path.join(directory, "nats.log"), "wb")
    nats = subprocess.Popen(
        [options.nats_server, "-js", "-a", "127.0.0.1", "-p", str(nats_port), "-sd", os.path.join(directory, "js")],
        stdout=nats_log,
        stderr=nats_log,
    )
    nats_url = f"nats://127.0.0.1:{nats_port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", nats_port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("error: nats-server did not start")
                time.sleep(0.05)

        rates = {True: [], False: []}
        for pair in range(options.pairs):
            for auth in ((True, False) if pair % 2 == 0 else (False, True)):
                serve = Serve(options.binary, nats_url, directory, auth)
                try:
                    if auth:
                        warm_up(serve.port)
                    rates[auth].append(metrics_rate(serve.port, auth, options.clients, options.seconds))
                finally:
                    serve.stop()

        serve = Serve(options.binary, nats_url, directory, True)
        try:
            warm_up(serve.port)
            quiet_health, quiet_metrics = probe_latencies(serve.port, options.seconds)
            health, metrics, statuses = under_flood(serve.port, options.clients, options.seconds)
        finally:
            serve.stop()

        on = statistics.median(rates[True])
        off = statistics.median(rates[False])
        report = {
            "metrics_rate_auth_on": [round(r) for r in rates[True]],
            "metrics_rate_auth_off": [round(r) for r in rates[False]],
            "metrics_rate_auth_on_median": round(on),
            "metrics_rate_auth_off_median": round(off),
            "ratio_on_off": round(on / off, 3),
            "healthz_ms_quiet_median": round(statistics.median(quiet_health), 2),
            "metrics_ms_quiet_median": round(statistics.median(quiet_metrics), 2),
            "healthz_ms_under_flood_median": round(statistics.median(health), 2),
            "healthz_ms_under_flood_p99": round(percentile(health, 0.99), 2),
            "metrics_ms_under_flood_median": round(statistics.median(metrics), 2),
            "metrics_ms_under_flood_p99": round(percentile(metrics, 0.99), 2),
            "flood_statuses": {str(k): v for k, v in sorted(statuses.items())},
            "clients": options.clients,
            "seconds": options.seconds,
        }
        if options.json:
            print(json.dumps(report))
        else:
            print(f"/metrics req/s, auth on  (cached credential): {report['metrics_rate_auth_on']} median {report['metrics_rate_auth_on_median']}")
            print(f"/metrics req/s, auth off:                     {report['metrics_rate_auth_off']} median {report['metrics_rate_auth_off_median']}")
            print(f"on/off: {report['ratio_on_off']}")
            print(
                f"quiet: /healthz {report['healthz_ms_quiet_median']} ms, /metrics {report['metrics_ms_quiet_median']} ms (medians)"
            )
            print(
                f"{options.clients} clients sending wrong passwords: /healthz median {report['healthz_ms_under_flood_median']} ms"
                f" p99 {report['healthz_ms_under_flood_p99']} ms; /metrics (right password) median"
                f" {report['metrics_ms_under_flood_median']} ms p99 {report['metrics_ms_under_flood_p99']} ms;"
                f" the wrong passwords were answered {report['flood_statuses']}"
            )
    finally:
        nats.terminate()
        nats.wait()
        nats_log.close()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
