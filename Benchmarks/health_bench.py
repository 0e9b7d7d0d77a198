"""The NATS health rows of scripts/bench (issue 12), run by Benchmarks/bench.py.

One nats-server with JetStream holds BENCH_HEALTH_STREAMS streams (1,000) of BENCH_HEALTH_CONSUMERS durable consumers
each (10), made by `cimpeer mkstreams` (or Benchmarks/nats_tool.py mkstreams without the peers). Then, side by side in
BENCH_HEALTH_PAIRS pairs (5, alternating which goes first):

  ours   cim-monitor nats status --nats-monitor URL --polls N --json   CPU and wall per poll, measured in the process
                                                                        around the polls (as cimpeer does), not start-up
  peer   cimpeer health -monitor URL -polls N                           the exporter's way: encoding/json, a gauge per leaf

and `serve` with --nats-monitor on that server: its peak RSS after the first polls and the time to render /metrics
(median of 5 GETs). Last, a 3-node cluster with a system account: one poll of the whole cluster through $SYS.
"""
import json
import os
import re
import subprocess
import time
import urllib.request

SYSTEM_USER = "sys"
SYSTEM_PASSWORD = "bench-sys-password"


def setting(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


def middle(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def http_get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        return reply.read()


def wait_ready(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if json.loads(http_get(url + "/healthz", 2)).get("status") == "ok":
                return True
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    return False


class HealthRows:
    def __init__(self, bench, free_port):
        self.bench = bench
        self.free_port = free_port
        self.streams = setting("BENCH_HEALTH_STREAMS", 1000)
        self.consumers = setting("BENCH_HEALTH_CONSUMERS", 10)
        self.pairs = max(5, setting("BENCH_HEALTH_PAIRS", 5))
        self.polls = setting("BENCH_HEALTH_POLLS", 3)
        self.lines = []

    def say(self, line):
        print(line, flush=True)
        self.lines.append(line)

    def start_server(self, name, extra=()):
        port, monitor = self.free_port(), self.free_port()
        store = self.bench.path(name)
        command = ["nats-server", "-a", "127.0.0.1", "-p", str(port), "-m", str(monitor), "-js", "-sd", store] + list(extra)
        process = self.bench.start(command, name + ".log")
        url = "http://127.0.0.1:%d" % monitor
        if not wait_ready(url):
            raise RuntimeError("nats-server %s did not become ready" % name)
        return process, "nats://127.0.0.1:%d" % port, url

    def peer_has_health(self):
        if not self.bench.cimpeer:
            return False
        # An older build of the peer lacks the two helpers (its usage line does not list them either way).
        with open(self.bench.cimpeer, "rb") as binary:
            return b"mkstreams" in binary.read()

    def ours_poll(self, arguments):
        """CPU and wall seconds per poll that `nats status --json` reports, and its exit status."""
        command = [self.bench.ours, "nats", "status", "--json", "--polls", str(self.polls), "--health-interval", "0.1s"] + arguments
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
        try:
            report = json.loads(result.stdout)
        except ValueError:
            raise RuntimeError("nats status printed no JSON (status %d): %s" % (result.returncode, result.stderr[-500:]))
        return report.get("poll_cpu_seconds_per_poll", 0.0), report.get("poll_wall_seconds_per_poll", 0.0), result.returncode, report

    def peer_poll(self, monitor_url):
        command = [self.bench.cimpeer, "health", "-monitor", monitor_url, "-polls", str(self.polls)]
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
        match = re.search(r"([0-9.]+)s wall, ([0-9.]+) CPU-s per poll", result.stdout)
        if result.returncode != 0 or not match:
            raise RuntimeError("cimpeer health failed (status %d): %s" % (result.returncode, (result.stdout + result.stderr)[-500:]))
        return float(match.group(2)), float(match.group(1)) / self.polls

    def serve_figures(self, nats_url, monitor_url):
        """serve's peak RSS (MiB) after the first polls, /metrics render time (median s) and its series count."""
        port = self.free_port()
        command = [
            self.bench.ours, "serve", "--server", nats_url, "--instance", "bench-health", "--listen", "127.0.0.1:%d" % port,
            "--nats-monitor", monitor_url, "--health-interval", "5s",
        ]
        process = self.bench.start(command, "health-serve.log")
        base = "http://127.0.0.1:%d" % port
        deadline = time.time() + 120
        text = ""
        while time.time() < deadline:
            try:
                text = http_get(base + "/metrics").decode()
                if re.search(r'^cim_nats_health_polls_total\{source="http"\} [1-9]', text, re.M):
                    break
            except OSError:
                pass
            time.sleep(0.5)
        times = []
        for _ in range(5):
            start = time.time()
            text = http_get(base + "/metrics").decode()
            times.append(time.time() - start)
        series = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
        status = open("/proc/%d/status" % process.pid).read()
        peak = re.search(r"VmHWM:\s+(\d+) kB", status)
        rss = int(peak.group(1)) / 1024 if peak else 0.0
        self.bench.stop(process)
        return rss, middle(times), series

    def cluster_poll(self):
        """One poll of a 3-node cluster through the system account (median wall per poll of `nats status`)."""
        cluster_ports = [self.free_port() for _ in range(3)]
        urls = []
        processes = []
        for index, cluster_port in enumerate(cluster_ports):
            port, monitor = self.free_port(), self.free_port()
            routes = ", ".join('"nats-route://127.0.0.1:%d"' % p for p in cluster_ports if p != cluster_port)
            store = self.bench.path("cluster-%d" % index)
            config = self.bench.path("cluster-%d.conf" % index)
            with open(config, "w") as file:
                file.write(
                    "listen: 127.0.0.1:%d\nhttp: 127.0.0.1:%d\nserver_name: bench_%d\n"
                    'jetstream: { store_dir: "%s" }\n'
                    "cluster: { name: bench, listen: 127.0.0.1:%d, routes: [%s] }\n"
                    "accounts: {\n  APP: { jetstream: enabled, users: [ { user: app, password: app } ] }\n"
                    '  SYS: { users: [ { user: %s, password: "%s" } ] }\n}\nsystem_account: SYS\nno_auth_user: app\n'
                    % (port, monitor, index, store, cluster_port, routes, SYSTEM_USER, SYSTEM_PASSWORD)
                )
            processes.append(self.bench.start(["nats-server", "-c", config], "cluster-%d.log" % index))
            urls.append(("nats://127.0.0.1:%d" % port, "http://127.0.0.1:%d" % monitor))
        try:
            for _, monitor_url in urls:
                if not wait_ready(monitor_url, 60):
                    raise RuntimeError("the 3-node cluster did not become ready")
            arguments = ["--system-user", SYSTEM_USER, "--system-password", SYSTEM_PASSWORD]
            for nats_url, _ in urls:
                arguments += ["--server", nats_url]
            walls = []
            servers = 0
            for _ in range(3):
                _, wall, _, report = self.ours_poll(arguments)
                walls.append(wall)
                servers = len([s for s in report.get("servers", []) if s.get("up")])
            return middle(walls), servers
        finally:
            for process in processes:
                self.bench.stop(process)

    def run(self):
        self.say("== NATS health: %d streams x %d consumers on one server" % (self.streams, self.consumers))
        process, nats_url, monitor_url = self.start_server("health-js")
        try:
            start = time.time()
            if self.peer_has_health():
                maker = [self.bench.cimpeer, "mkstreams", "-s", nats_url, "-streams", str(self.streams), "-consumers", str(self.consumers)]
            else:
                maker = ["python3", os.path.join("Benchmarks", "nats_tool.py"), nats_url, "mkstreams", str(self.streams), str(self.consumers)]
            subprocess.run(maker, check=True, stdout=subprocess.DEVNULL, timeout=1800)
            self.say("made the streams and consumers in %.1f s (%s)" % (time.time() - start, os.path.basename(maker[0])))
            size = len(http_get(monitor_url + "/jsz?accounts=true&streams=true&consumers=true&config=true&raft=true"))
            self.say("/jsz with accounts, streams, consumers, config: %.1f MiB" % (size / 1048576))
            ours_cpu, ours_wall, peer_cpu, peer_wall = [], [], [], []
            peer = self.peer_has_health()
            for pair in range(self.pairs):
                order = ["ours", "peer"] if pair % 2 == 0 else ["peer", "ours"]
                for side in order:
                    if side == "ours":
                        cpu, wall, status, _ = self.ours_poll(["--nats-monitor", monitor_url])
                        if status not in (0, 1):
                            raise RuntimeError("nats status exited %d" % status)
                        ours_cpu.append(cpu)
                        ours_wall.append(wall)
                    elif peer:
                        cpu, wall = self.peer_poll(monitor_url)
                        peer_cpu.append(cpu)
                        peer_wall.append(wall)
            self.say(
                "one poll, median of %d pairs (%d polls each): ours %.3f s wall, %.3f CPU-s; cimpeer health %s"
                % (
                    self.pairs,
                    self.polls,
                    middle(ours_wall),
                    middle(ours_cpu),
                    "%.3f s wall, %.3f CPU-s" % (middle(peer_wall), middle(peer_cpu)) if peer else "not available",
                )
            )
            self.bench.target("health: one full poll, wall s", "%.3f" % middle(ours_wall), "<=", "2")
            if peer:
                ratio = middle(ours_cpu) / middle(peer_cpu) if middle(peer_cpu) > 0 else 0
                self.bench.target("health: CPU per poll, ours / cimpeer health", "%.2f" % ratio, "<=", "0.5")
            rss, render, series = self.serve_figures(nats_url, monitor_url)
            self.bench.target("health: serve peak RSS with those series, MiB", "%.1f" % rss, "<=", "96")
            self.say("/metrics of serve: %d series, rendered and sent in %.3f s (median of 5)" % (series, render))
        finally:
            self.bench.stop(process)
        wall, servers = self.cluster_poll()
        self.say("3-node cluster through the system account: %d servers up, one poll %.3f s wall (median of 3 runs)" % (servers, wall))
