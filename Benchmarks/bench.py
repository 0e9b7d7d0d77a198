#!/usr/bin/env python3
"""Measures cim-monitor side by side with the reference peers of ../shared/bench (cimpeer: the Go client; craw: the C
client) against one nats-server with JetStream on loopback, in one run, and prints wall time, CPU time, peak RSS and
rates, with the ratios ours/peer and the targets of the performance requirements. Run it as `scripts/bench`, which
installs what it needs first (nats-server, GNU time).

  core publish    cim-monitor nats pub --count 5000000 --size 16     vs  cimpeer corepub -size 16   (no subscriber)
                  the same into a discard sink (Benchmarks/nats_endpoint.py): the clients' own capacity
  pub -> sub      cim-monitor nats sub + nats pub, 2000000 x 128 B   vs  cimpeer coresub + corepub  (nothing lost)
                  the subscribers alone, from a source endpoint (Benchmarks/nats_endpoint.py): their own capacity
  stream read     cim-monitor stream read CIM_EVENTS --quiet         vs  cimpeer raw, craw
  scan            cim-monitor scan --stream CIM_EVENTS               vs  cimpeer raw, cimpeer monitor (exact counts)
  attack          cim-monitor scan of 1000000 events, each with a new event type: peak RSS, series within limits
  NATS health     cim-monitor nats status polls of 1,000 streams x 10 consumers vs cimpeer health; serve's RSS and
                  /metrics render time; one $SYS poll of a 3-node cluster (Benchmarks/health_bench.py)
  replay          cim-monitor replay CIM_EVENTS --output FILE   vs  cimpeer raw (pairs, alternating; lines checked)
  selective       cim-monitor replay AGG --aggregate ID of 1000000 events whose subject carries the id (100 match)
  backup/restore  cim-monitor backup CIM_EVENTS / restore --force: time, throughput, our CPU against the wall
  DR              serve folds CIM_EVENTS; backup with CIM_MONITOR; nats-server killed, store deleted, restarted empty;
                  restore; serve again: restore start -> /readyz 200
  gpu             cim-monitor gpu sample --repeat N: CPU of one sample of 8 GPUs through NVML (a stub libnvidia-ml built
                  from Tests/Fixtures/gpu/stub_nvml.c) vs the nvidia-smi exec path (a stub nvidia-smi printing the H200
                  capture, as nvidia_gpu_exporter execs it), paired and alternating; the agent's peak RSS

Settings (environment): BENCH_EVENTS (1000000) events in CIM_EVENTS; BENCH_OPS_RUNS (5) pairs of the replay row and
runs of the other operations rows; BENCH_RUNS (3) runs of each command, wall and
CPU are medians, peak RSS the largest; BENCH_PUB (5000000) and BENCH_PAIR (2000000) core messages; BENCH_ATTACK
(1000000) attack events; BENCH_CORE_RUNS (9, or BENCH_RUNS if more) runs of the short core publish and pub -> sub
rows, alternating which side goes first; BENCH_PEERS (../shared/bench) the peers' sources, built with their build-peers
script into BENCH_CACHE (~/.cache/cim-monitor-bench); BENCH_SCRATCH_PATH a --scratch-path for the release build;
BENCH_ONLY=health runs only the NATS health rows (Benchmarks/health_bench.py, with BENCH_HEALTH_STREAMS,
BENCH_HEALTH_CONSUMERS, BENCH_HEALTH_PAIRS, BENCH_HEALTH_POLLS).
BENCH_GPU_PAIRS (7) pairs of GPU sample runs, BENCH_GPU_SAMPLES (2000) NVML samples per run (200 through nvidia-smi);
BENCH_ONLY=gpu runs the GPU rows alone, BENCH_ONLY=ops the replay, backup, restore and DR rows.
Exits 1 when a command fails, a message is lost or the counts differ from the peer's; targets are reported.

Standard library only. Every command runs from an argument list (no shell), under GNU time (`/usr/bin/time`) and
`timeout 600`.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def say(message):
    print(message, file=sys.stderr, flush=True)


class Fatal(Exception):
    """Ends the run with `error: MESSAGE` and exit status 1."""


def setting(name, default):
    """An integer setting from the environment; unset or empty means the default."""
    text = os.environ.get(name) or ""
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise Fatal("%s must be a whole number, not %r" % (name, text))


def number(text):
    """A number as awk reads one: a leading decimal number, else 0."""
    match = re.match(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", str(text))
    return float(match.group(0)) if match else 0.0


def middle(values):
    """The median of numbers, printed as `%.10g`."""
    ordered = sorted(number(value) for value in values)
    count = len(ordered)
    if count == 0:
        return "0"
    value = ordered[(count - 1) // 2] if count % 2 else (ordered[count // 2 - 1] + ordered[count // 2]) / 2
    return "%.10g" % value


def ratio(a, b):
    a, b = number(a), number(b)
    return "%.2f" % (a / b if b > 0 else 0)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port):
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise Fatal("nothing listens on port %d" % port)


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except FileNotFoundError:
        return ""


def say_tail(path, count):
    """The last COUNT lines of the file at PATH on standard error (nothing when it is empty)."""
    text = tail(path, count)
    if text:
        say(text)


def lines(path):
    return read(path).splitlines()


def tail(path, count):
    return "\n".join(lines(path)[-count:])


class Bench:
    def __init__(self):
        self.events = setting("BENCH_EVENTS", 1000000)
        self.runs = setting("BENCH_RUNS", 3)
        self.core_runs = setting("BENCH_CORE_RUNS", self.runs if self.runs > 9 else 9)
        self.pub_count = setting("BENCH_PUB", 5000000)
        self.pair_count = setting("BENCH_PAIR", 2000000)
        self.attack_count = setting("BENCH_ATTACK", 1000000)
        self.ops_runs = setting("BENCH_OPS_RUNS", 5)
        self.ops_notes = []
        self.peers_src = os.environ.get("BENCH_PEERS") or "../shared/bench"
        cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.environ.get("HOME", ""), ".cache")
        self.cache = os.environ.get("BENCH_CACHE") or os.path.join(cache_home, "cim-monitor-bench")
        scratch = os.environ.get("BENCH_SCRATCH_PATH") or ""
        self.scratch = ["--scratch-path", scratch] if scratch else []
        self.work = tempfile.mkdtemp()
        self.background = []
        self.server = None
        self.ours = ""
        self.cimpeer = ""
        self.craw = ""
        self.failures = 0
        self.rows = []
        self.figures = {}
        self.met = 0
        self.missed = 0
        self.ticks = os.sysconf("SC_CLK_TCK")

    def path(self, name):
        return os.path.join(self.work, name)

    def append(self, name, line):
        with open(self.path(name), "a") as file:
            file.write(line + "\n")

    # Processes

    def start(self, command, log):
        """Starts a background process with stdout and stderr to LOG in the work folder."""
        with open(self.path(log), "w") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        self.background.append(process)
        return process

    @staticmethod
    def stop(process):
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def cleanup(self):
        for process in self.background:
            if process.poll() is None:
                process.terminate()
        for process in self.background:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.server is not None:
            self.stop(self.server)
        shutil.rmtree(self.work, ignore_errors=True)

    def timed_start(self, label, command):
        """Starts COMMAND under GNU time: stdout and stderr to LABEL.out and LABEL.err."""
        out = open(self.path(label + ".out"), "w")
        err = open(self.path(label + ".err"), "w")
        wrapped = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", self.path(label + ".time"), "timeout", "600"] + command
        try:
            process = subprocess.Popen(wrapped, stdout=out, stderr=err)
        finally:
            out.close()
            err.close()
        self.background.append(process)
        return label, process

    def timed_finish(self, run):
        """Waits for a timed command and appends `wall cpu rss_kb` to LABEL.runs; returns its exit status."""
        label, process = run
        status = process.wait()
        fields = (lines(self.path(label + ".time")) or ["0 0 0 0"])[-1].split()
        wall, user, system, rss = (fields + ["0"] * 4)[:4]
        self.append(label + ".runs", "%s %.2f %s" % (wall, number(user) + number(system), rss))
        if status != 0:
            say("error: %s exited with status %d:" % (label, status))
            say_tail(self.path(label + ".err"), 5)
        return status

    def timed(self, label, command):
        """Runs COMMAND once under GNU time (see timed_start and timed_finish); returns its exit status."""
        return self.timed_finish(self.timed_start(label, command))

    def tool(self, *arguments, output=False):
        """Benchmarks/nats_tool.py against the server; its standard output when OUTPUT."""
        command = [sys.executable, os.path.join("Benchmarks", "nats_tool.py"), self.url] + [str(a) for a in arguments]
        result = subprocess.run(command, stdout=subprocess.PIPE if output else None, text=True)
        if result.returncode != 0:
            raise Fatal("nats_tool.py %s failed with status %d" % (" ".join(map(str, arguments)), result.returncode))
        return result.stdout.strip() if output else None

    # Figures

    def median(self, label, column):
        """The median of column COLUMN (1 wall, 2 CPU) of LABEL's runs."""
        return middle(line.split()[column - 1] for line in lines(self.path(label + ".runs")) if line.split())

    def peak_mib(self, label):
        peak = 0.0
        for line in lines(self.path(label + ".runs")):
            fields = line.split()
            if len(fields) >= 3 and number(fields[2]) > peak:
                peak = number(fields[2])
        return "%.1f" % (peak / 1024)

    def row(self, label, shown, count):
        """A table row from LABEL's runs."""
        wall = self.median(label, 1)
        cpu = self.median(label, 2)
        rss = self.peak_mib(label)
        rate = "%.0f" % (count / number(wall) if number(wall) > 0 else 0)
        self.rows.append((shown, wall, cpu, rss, rate))
        self.figures[label] = {"wall": wall, "cpu": cpu, "rss": rss, "rate": rate}

    def figure(self, label, name):
        return self.figures.get(label, {}).get(name, "")

    def reported(self, label, count, path):
        """Appends the throughput the command reported about itself (first message to last, without process start
        and connection) to LABEL.reported. cim-monitor prints "… N messages … in S.SSSs: …" and cimpeer "… (R/s)"."""
        rate = ""
        for line in lines(path):
            match = re.match(r"^(published|received) [0-9]* messages .* in ([0-9.]*)s: .*", line)
            if match and number(match.group(2)) > 0:
                rate = "%.0f" % (count / number(match.group(2)))
                break
        if not rate:
            for line in lines(path):
                match = re.match(r"^core(pub|sub): .*\(([0-9]*)/s\)$", line)
                if match:
                    rate = match.group(2)
                    break
        if rate:
            self.append(label + ".reported", rate)

    def reported_values(self, label):
        return [line for line in lines(self.path(label + ".reported")) if line.strip()]

    def reported_median(self, label):
        values = self.reported_values(label)
        return "%.0f" % number(middle(values)) if values else "0"

    def reported_spread(self, label):
        values = self.reported_values(label)
        if not values:
            return "-"
        ordered = sorted(values, key=number)
        return "%s (%s-%s)" % (self.reported_median(label), ordered[0], ordered[-1])

    def server_median(self, label):
        values = [line for line in lines(self.path(label + ".server")) if line.strip()]
        return middle(values) if values else "-"

    def server_cpu(self):
        """The server's CPU seconds so far (user + system), to show how busy it was during a run."""
        fields = read("/proc/%d/stat" % self.server.pid).split()
        return "%.2f" % ((int(fields[13]) + int(fields[14])) / self.ticks)

    def subscriptions(self):
        """The server's subscriptions now (from its monitoring port), or -1 when it does not answer."""
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/subsz" % self.monitor_port, timeout=5) as reply:
                return json.load(reply)["num_subscriptions"]
        except (OSError, ValueError, KeyError):
            return -1

    # The steps

    def build(self):
        # The deployable build: release, with the Swift runtime and Foundation linked statically (start-up takes half
        # the time of the dynamically linked build, and the process maps less).
        release = ["-c", "release", "--static-swift-stdlib"] + self.scratch
        say("== building cim-monitor (release, static Swift runtime)")
        log = self.path("build.log")
        with open(log, "w") as output:
            status = subprocess.call(["swift", "build"] + release + ["--product", "cim-monitor"], stdout=output, stderr=subprocess.STDOUT)
            if status == 0:
                # `cim-monitor gpu agent` hands over to the lean agent installed beside it.
                status = subprocess.call(["swift", "build"] + release + ["--product", "cim-gpu-agent"], stdout=output, stderr=subprocess.STDOUT)
        if status != 0:
            say_tail(log, 30)
            raise Fatal("the release build failed")
        bin_path = subprocess.run(["swift", "build"] + release + ["--show-bin-path"], stdout=subprocess.PIPE, text=True, check=True)
        self.ours = os.path.join(bin_path.stdout.strip(), "cim-monitor")

    def build_peers(self):
        build_peers = os.path.join(self.peers_src, "build-peers")
        if os.access(build_peers, os.X_OK):
            say("== building the reference peers from %s" % self.peers_src)
            with open(self.path("peers.log"), "w") as log:
                result = subprocess.run([build_peers, os.path.join(self.cache, "peers")], stdout=subprocess.PIPE, stderr=log, text=True)
            if result.returncode == 0:
                built = result.stdout.splitlines()
                self.cimpeer = next((line for line in built if line.endswith("/cimpeer")), "")
                self.craw = next((line for line in built if line.endswith("/craw")), "")
            else:
                say_tail(self.path("peers.log"), 5)
        if not self.cimpeer:
            say(
                "note: the reference peers are not available (no %s/build-peers, or it failed): measuring cim-monitor alone"
                % self.peers_src
            )

    def start_server(self):
        self.port = free_port()
        self.monitor_port = free_port()
        self.url = "nats://127.0.0.1:%d" % self.port
        command = ["nats-server", "-a", "127.0.0.1", "-p", str(self.port), "-m", str(self.monitor_port), "-js", "-sd", self.path("js")]
        with open(self.path("nats.log"), "w") as log:
            self.server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        version = subprocess.run(["nats-server", "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        words = version.stdout.split()
        load = "load average: %.2f, %.2f, %.2f" % os.getloadavg()
        say("nats-server %s on %s, %d CPUs, %s" % (words[-1] if words else "?", self.url, cpu_count(), load))

    def alternate(self, function, *arguments):
        """The core rows' runs, `function("ours", …)` and `function("peer", …)`, alternating which goes first (ours
        alone without the peers)."""
        for run in range(1, self.core_runs + 1):
            if not self.cimpeer:
                function("ours", *arguments)
            elif run % 2 == 1:
                function("ours", *arguments)
                function("peer", *arguments)
            else:
                function("peer", *arguments)
                function("ours", *arguments)

    def publish_run(self, side, kind, target):
        """One core publish run of ours or the peer into TARGET, recorded as SIDE_KIND; into nats-server (KIND pub)
        with the server's CPU time during it."""
        before = self.server_cpu() if kind == "pub" else ""
        label = "%s_%s" % (side, kind)
        if side == "ours":
            command = [self.ours, "nats", "pub", "bench.pub", "--server", target, "--count", str(self.pub_count), "--size", "16"]
            status = self.timed(label, command)
            self.reported(label, self.pub_count, self.path(label + ".err"))
        else:
            command = [self.cimpeer, "corepub", "-s", target, "-n", str(self.pub_count), "-size", "16", "-subject", "bench.pub"]
            status = self.timed(label, command)
            self.reported(label, self.pub_count, self.path(label + ".out"))
        if kind == "pub":
            self.append(side + "_pub.server", "%.2f" % (number(self.server_cpu()) - number(before)))
        if status != 0:
            self.failures += 1

    def pair(self, label, sub, pub, expect):
        """Starts the subscriber, waits for its subscription, runs the publisher, waits for the subscriber; the pair's
        wall time is from the publisher's start to the subscriber's exit. Returns whether all went well."""
        before = self.subscriptions()
        if before < 0:
            raise Fatal("nats-server does not answer on its monitoring port %d" % self.monitor_port)
        subscriber = self.timed_start(label + "_sub", sub)
        for _ in range(400):
            if self.subscriptions() > before:
                break
            time.sleep(0.025)
        ok = True
        start = time.time()
        if self.timed(label + "_pub", pub) != 0:
            ok = False
        if self.timed_finish(subscriber) != 0:
            ok = False
        end = time.time()
        output = read(self.path(label + "_sub.err")) + "\n" + read(self.path(label + "_sub.out"))
        if not re.search(expect, output):
            say("error: %s: the subscriber did not report %s" % (label, expect))
            ok = False
        self.append(label + ".pairwall", "%.2f" % (end - start))
        return ok

    def pair_run(self, side):
        """One publish -> subscribe run of our pair or the peers', with the server's CPU time during it."""
        before = self.server_cpu()
        count = str(self.pair_count)
        if side == "ours":
            ok = self.pair(
                "ours_pair",
                [self.ours, "nats", "sub", "bench.core", "--server", self.url, "--count", count, "--quiet"],
                [self.ours, "nats", "pub", "bench.core", "--server", self.url, "--count", count, "--size", "128"],
                "received %s messages .* 0 dropped" % count,
            )
            self.reported("ours_pair", self.pair_count, self.path("ours_pair_sub.err"))
        else:
            ok = self.pair(
                "peer_pair",
                [self.cimpeer, "coresub", "-s", self.url, "-n", count, "-subject", "bench.core"],
                [self.cimpeer, "corepub", "-s", self.url, "-n", count, "-size", "128", "-subject", "bench.core"],
                "coresub: %s msgs" % count,
            )
            self.reported("peer_pair", self.pair_count, self.path("peer_pair_sub.out"))
        if not ok:
            self.failures += 1
        self.append(side + "_pair.server", "%.2f" % (number(self.server_cpu()) - number(before)))

    def pair_runs(self, side):
        """SIDE_pair.runs from the pairs: the pair's wall, the CPU of both, the larger peak RSS."""
        walls = lines(self.path(side + "_pair.pairwall"))
        pub = [line.split() for line in lines(self.path(side + "_pair_pub.runs"))]
        sub = [line.split() for line in lines(self.path(side + "_pair_sub.runs"))]
        with open(self.path(side + "_pair.runs"), "w") as file:
            for wall, p, s in zip(walls, pub, sub):
                cpu = number(p[1]) + number(s[1])
                rss = max(number(p[2]), number(s[2]))
                file.write("%s %.2f %d\n" % (wall, cpu, rss))

    def receive_run(self, side, target):
        """One subscriber of ours or the peer's taking the pair's messages of 128 B from TARGET."""
        label = side + "_source"
        count = str(self.pair_count)
        if side == "ours":
            out = self.path(label + ".err")
            if self.timed(label, [self.ours, "nats", "sub", "bench.core", "--server", target, "--count", count, "--quiet"]) != 0:
                self.failures += 1
            expect = "received %s messages .* 0 dropped" % count
        else:
            out = self.path(label + ".out")
            if self.timed(label, [self.cimpeer, "coresub", "-s", target, "-n", count, "-subject", "bench.core"]) != 0:
                self.failures += 1
            expect = "coresub: %s msgs" % count
        if not re.search(expect, read(out)):
            say("error: %s: not all %s messages" % (label, count))
            self.failures += 1
        self.reported(label, self.pair_count, out)

    def core_rows(self):
        # The core rows are short and, on a small machine, bounded by nats-server itself: both clients publish faster
        # than one server connection takes messages in, so run to run noise is as large as the difference. They get
        # more runs, ours and the peer alternate which goes first, and the publishers also run into a discard sink
        # (Benchmarks/nats_endpoint.py), where the client is the bottleneck: that row is the client's own capacity.
        peer = bool(self.cimpeer)
        say("== core publish: %d messages of 16 B, no subscriber (%d runs)" % (self.pub_count, self.core_runs))
        self.alternate(self.publish_run, "pub", self.url)
        self.row("ours_pub", "cim-monitor nats pub (%d x 16 B)" % self.pub_count, self.pub_count)
        if peer:
            self.row("peer_pub", "cimpeer corepub (%d x 16 B)" % self.pub_count, self.pub_count)

        endpoint_port = free_port()
        endpoint = self.start([sys.executable, os.path.join("Benchmarks", "nats_endpoint.py"), "sink", str(endpoint_port)], "sink.log")
        wait_for_port(endpoint_port)
        say("== core publish into a discard sink: %d messages of 16 B (%d runs)" % (self.pub_count, self.core_runs))
        self.alternate(self.publish_run, "sink", "nats://127.0.0.1:%d" % endpoint_port)
        # Every run's bytes reached the sink (the readiness probe sends none): at least the frames
        # `PUB bench.pub 16\r\n` + 16 bytes + `\r\n`, 36 bytes each.
        sink_runs = self.core_runs * 2 if peer else self.core_runs

        def sent():
            return [number(line.split()[0]) for line in lines(self.path("sink.log")) if line.split()]

        for _ in range(40):
            if len([total for total in sent() if total > 0]) >= sink_runs:
                break
            time.sleep(0.05)
        complete = len([total for total in sent() if total >= self.pub_count * 36])
        if complete != sink_runs:
            say("error: %d of %d runs did not send the sink all %d frames" % (sink_runs - complete, sink_runs, self.pub_count))
            self.failures += 1
        self.row("ours_sink", "cim-monitor nats pub into a discard sink", self.pub_count)
        if peer:
            self.row("peer_sink", "cimpeer corepub into a discard sink", self.pub_count)
        self.stop(endpoint)

        say("== publish -> subscribe: %d messages of 128 B (%d runs)" % (self.pair_count, self.core_runs))
        self.alternate(self.pair_run)
        for side in ["ours", "peer"] if peer else ["ours"]:
            self.pair_runs(side)
        self.row("ours_pair", "cim-monitor nats sub + pub (%d x 128 B)" % self.pair_count, self.pair_count)
        if peer:
            self.row("peer_pair", "cimpeer coresub + corepub (%d x 128 B)" % self.pair_count, self.pair_count)

        # The subscribers alone: a source endpoint delivers the messages faster than nats-server can (see the sink).
        endpoint_port = free_port()
        endpoint = self.start(
            [sys.executable, os.path.join("Benchmarks", "nats_endpoint.py"), "source", str(endpoint_port), str(self.pair_count), "128"],
            "source.log",
        )
        wait_for_port(endpoint_port)
        say("== subscribers alone: %d messages of 128 B from a source endpoint (%d runs)" % (self.pair_count, self.core_runs))
        self.alternate(self.receive_run, "nats://127.0.0.1:%d" % endpoint_port)
        self.row("ours_source", "cim-monitor nats sub from a source endpoint", self.pair_count)
        if peer:
            self.row("peer_source", "cimpeer coresub from a source endpoint", self.pair_count)
        self.stop(endpoint)

    def fill(self):
        say("== filling CIM_EVENTS with %d events" % self.events)
        stored = "0"
        if self.cimpeer:
            for attempt in (1, 2, 3):
                with open(self.path("fill.out"), "w") as output:
                    status = subprocess.call(
                        [self.cimpeer, "fill", "-s", self.url, "-n", str(self.events)], stdout=output, stderr=subprocess.STDOUT
                    )
                if status == 0:
                    stored = self.tool("count", "CIM_EVENTS", output=True)
                    if stored == str(self.events):
                        break
                say("cimpeer fill attempt %d failed (%s); retrying" % (attempt, tail(self.path("fill.out"), 1)))
            say(tail(self.path("fill.out"), 1))
        else:
            self.tool("create-stream", "CIM_EVENTS", "cim.>")
            self.tool("events", self.events)
            stored = self.tool("count", "CIM_EVENTS", output=True)
        if stored != str(self.events):
            raise Fatal("CIM_EVENTS holds %s messages, not %d" % (stored, self.events))
        say("CIM_EVENTS holds %s messages" % stored)

    def read_rows(self):
        say("== reading CIM_EVENTS (%d runs, interleaved)" % self.runs)
        events = str(self.events)
        for _ in range(self.runs):
            if self.timed("ours_read", [self.ours, "stream", "read", "CIM_EVENTS", "--server", self.url, "--quiet"]) != 0:
                self.failures += 1
            if not re.search("^read %s messages" % events, read(self.path("ours_read.err")), re.MULTILINE):
                say("error: stream read: %s" % read(self.path("ours_read.err")).rstrip("\n"))
                self.failures += 1
            if self.cimpeer:
                if self.timed("peer_raw", [self.cimpeer, "raw", "-s", self.url, "-n", events]) != 0:
                    self.failures += 1
                if self.craw and self.timed("craw", [self.craw, self.url, events]) != 0:
                    self.failures += 1
            if self.timed("ours_scan", [self.ours, "scan", "--stream", "CIM_EVENTS", "--server", self.url]) != 0:
                self.failures += 1
            shutil.copyfile(self.path("ours_scan.out"), self.path("scan.prom"))
            if self.cimpeer:
                command = [self.cimpeer, "monitor", "-s", self.url, "-n", events, "-metrics-out", self.path("peer.prom")]
                if self.timed("peer_monitor", command) != 0:
                    self.failures += 1
        self.row("ours_read", "cim-monitor stream read --quiet", self.events)
        if self.cimpeer:
            self.row("peer_raw", "cimpeer raw (Go, count only)", self.events)
        if self.craw:
            self.row("craw", "craw (C, count only)", self.events)
        self.row("ours_scan", "cim-monitor scan", self.events)
        if self.cimpeer:
            self.row("peer_monitor", "cimpeer monitor (Go monitor)", self.events)

    # Operations: replay, backup, restore, disaster recovery (issue 15)

    def line_count(self, path):
        count = 0
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                count += block.count(b"\n")
        return count

    def ops_rows(self):
        events = str(self.events)
        say("== replay CIM_EVENTS to a file vs cimpeer raw (%d pairs, alternating)" % self.ops_runs)
        replayed = self.path("replay.jsonl")

        def ours():
            if self.timed("ours_replay", [self.ours, "replay", "CIM_EVENTS", "--server", self.url, "--output", replayed]) != 0:
                self.failures += 1
            lines_written = self.line_count(replayed)
            if lines_written != self.events:
                say("error: replay wrote %d lines, not %d" % (lines_written, self.events))
                self.failures += 1
            os.remove(replayed)

        def peer():
            if self.timed("peer_raw_ops", [self.cimpeer, "raw", "-s", self.url, "-n", events]) != 0:
                self.failures += 1

        for run in range(self.ops_runs):
            if not self.cimpeer:
                ours()
            elif run % 2 == 0:
                ours()
                peer()
            else:
                peer()
                ours()
        self.row("ours_replay", "cim-monitor replay --output FILE", self.events)
        if self.cimpeer:
            self.row("peer_raw_ops", "cimpeer raw (paired with replay)", self.events)

        say("== selective replay: one aggregate of %d events whose subject carries the id" % self.events)
        self.tool("create-stream", "AGG", "events.>")
        self.tool("aggregates", self.events)
        held = self.tool("count", "AGG", output=True)
        if held != events:
            raise Fatal("AGG holds %s messages, not %d" % (held, self.events))
        expected = len(range(4242, self.events, 10000))
        selected = self.path("aggregate.jsonl")
        for _ in range(self.ops_runs):
            command = [self.ours, "replay", "AGG", "--aggregate", "agg-4242", "--server", self.url, "--output", selected]
            if self.timed("ours_selective", command) != 0:
                self.failures += 1
            if self.line_count(selected) != expected:
                say("error: the aggregate replay wrote %d lines, not %d" % (self.line_count(selected), expected))
                self.failures += 1
        self.row("ours_selective", "cim-monitor replay --aggregate (%d of %d)" % (expected, self.events), expected)
        self.tool("delete-stream", "AGG")

        say("== backup and restore of CIM_EVENTS (%d runs each)" % self.ops_runs)
        stream_bytes = 0
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/jsz?streams=true" % self.monitor_port, timeout=5) as reply:
                stream_bytes = json.load(reply).get("bytes", 0)
        except (OSError, ValueError):
            pass
        backup_dir = ""
        for run in range(self.ops_runs):
            backup_dir = self.path("backup-%d" % run)
            before = self.server_cpu()
            if self.timed("ours_backup", [self.ours, "backup", "CIM_EVENTS", "--to", backup_dir, "--server", self.url]) != 0:
                self.failures += 1
            self.append("ours_backup.server", "%.2f" % (number(self.server_cpu()) - number(before)))
            if run < self.ops_runs - 1:
                shutil.rmtree(backup_dir, ignore_errors=True)
        # The data file is named after the archive the server sent: stream.arc.s2 from nats-server 2.15 on.
        snapshots = [os.path.join(backup_dir, "CIM_EVENTS", name) for name in ("stream.arc.s2", "stream.tar.s2")]
        snapshot_bytes = next((os.path.getsize(path) for path in snapshots if os.path.exists(path)), 0)
        for _ in range(self.ops_runs):
            before = self.server_cpu()
            if self.timed("ours_restore", [self.ours, "restore", backup_dir, "--force", "--server", self.url]) != 0:
                self.failures += 1
            self.append("ours_restore.server", "%.2f" % (number(self.server_cpu()) - number(before)))
            held = self.tool("count", "CIM_EVENTS", output=True)
            if held != events:
                say("error: after the restore CIM_EVENTS holds %s messages, not %d" % (held, self.events))
                self.failures += 1
        self.row("ours_backup", "cim-monitor backup CIM_EVENTS", self.events)
        self.row("ours_restore", "cim-monitor restore --force", self.events)
        for label in ("ours_backup", "ours_restore"):
            wall = number(self.figure(label, "wall"))
            self.ops_notes.append(
                "%s: wall %.2f s, our CPU %s s (%.0f%% of the wall), nats-server CPU %s s; stream %.0f MiB (%.0f MiB/s), "
                "snapshot %.0f MiB (%.0f MiB/s)"
                % (
                    label.replace("ours_", ""),
                    wall,
                    self.figure(label, "cpu"),
                    100 * number(self.figure(label, "cpu")) / wall if wall > 0 else 0,
                    self.server_median(label),
                    stream_bytes / 1048576.0,
                    stream_bytes / 1048576.0 / wall if wall > 0 else 0,
                    snapshot_bytes / 1048576.0,
                    snapshot_bytes / 1048576.0 / wall if wall > 0 else 0,
                )
            )
        self.disaster_recovery(events)

    def readyz(self, port):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % port, timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def folded(self, port):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5) as reply:
                for line in reply.read().decode().splitlines():
                    if line.startswith('cim_monitor_stream_sequence{stream="CIM_EVENTS"}'):
                        return number(line.split()[-1])
        except OSError:
            pass
        return 0

    def serve(self, log):
        port = free_port()
        command = [self.ours, "serve", "--server", self.url, "--stream", "CIM_EVENTS", "--instance", "bench", "--listen", "127.0.0.1:%d" % port]
        return self.start(command, log), port

    def disaster_recovery(self, events):
        say("== disaster recovery of %d events: serve, backup with CIM_MONITOR, server and store lost, restore, serve" % self.events)
        monitor, port = self.serve("dr-serve-1.log")
        deadline = time.time() + 600
        while self.folded(port) < self.events and time.time() < deadline:
            time.sleep(0.5)
        if self.folded(port) < self.events:
            raise Fatal("serve did not fold CIM_EVENTS within 600 s")
        self.stop(monitor)
        backup_dir = self.path("dr-backup")
        if self.timed("dr_backup", [self.ours, "backup", "CIM_EVENTS", "KV_CIM_MONITOR", "--to", backup_dir, "--server", self.url]) != 0:
            raise Fatal("the DR backup failed")
        # The stream also holds the monitor's own events when its subjects take cim.> (cimpeer fill's stream does).
        backed_up = self.tool("count", "CIM_EVENTS", output=True)
        self.server.kill()
        self.server.wait()
        shutil.rmtree(self.path("js"), ignore_errors=True)
        command = ["nats-server", "-a", "127.0.0.1", "-p", str(self.port), "-m", str(self.monitor_port), "-js", "-sd", self.path("js")]
        with open(self.path("nats-dr.log"), "w") as log:
            self.server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        start = time.time()
        if self.timed("dr_restore", [self.ours, "restore", backup_dir, "--server", self.url]) != 0:
            raise Fatal("the DR restore failed")
        restored = time.time()
        monitor, port = self.serve("dr-serve-2.log")
        while not self.readyz(port) and time.time() < start + 600:
            time.sleep(0.05)
        ready = time.time()
        caught_up = self.folded(port)
        self.stop(monitor)
        held = self.tool("count", "CIM_EVENTS", output=True)
        if number(held) < number(backed_up):
            say("error: after the DR restore CIM_EVENTS holds %s messages, the backup %s" % (held, backed_up))
            self.failures += 1
        self.ops_notes.append(
            "disaster recovery: restore %.2f s, restore start -> /readyz 200 %.2f s (folded sequence then: %.0f; the backup held %s)"
            % (restored - start, ready - start, caught_up, backed_up)
        )

    def exact_counts(self):
        say("== exact counts")
        if self.cimpeer:
            command = [sys.executable, os.path.join("Benchmarks", "compare_counts.py"), self.path("scan.prom"), self.path("peer.prom")]
            result = subprocess.run(command, stdout=subprocess.PIPE, text=True)
            if result.returncode != 0:
                self.failures += 1
            return result.stdout.rstrip("\n")
        processed = "\n".join(
            line.split()[1] for line in lines(self.path("scan.prom")) if len(line.split()) > 1 and line.split()[0] == "cim_monitor_events_processed_total"
        )
        if processed != str(self.events):
            self.failures += 1
        return "scan folded %s of %d events" % (processed, self.events)

    def attack(self):
        say("== cardinality attack: %d events, each with a new event type" % self.attack_count)
        self.tool("delete-stream", "CIM_EVENTS")
        self.tool("create-stream", "ATTACK", "cim.attack.>")
        self.tool("attack", self.attack_count)
        held = self.tool("count", "ATTACK", output=True)
        if held != str(self.attack_count):
            raise Fatal("ATTACK holds %s messages, not %d" % (held, self.attack_count))
        for _ in range(self.runs):
            if self.timed("ours_attack", [self.ours, "scan", "--stream", "ATTACK", "--server", self.url]) != 0:
                self.failures += 1
        self.row("ours_attack", "cim-monitor scan (attack)", self.attack_count)
        series = 0
        total = 0.0
        reported = 0.0
        overflow = 0.0
        for line in lines(self.path("ours_attack.out")):
            fields = line.split()
            if not fields:
                continue
            if line.startswith("cim_events_total{"):
                series += 1
                total += number(fields[-1])
            if line.startswith('cim_monitor_series{family="cim_events_total"}'):
                reported = number(fields[-1])
            if line.startswith('cim_monitor_series_overflow_total{family="cim_events_total"}'):
                overflow = number(fields[-1])
        summary = "%d series in cim_events_total (gauge says %d), %d of the events counted, %d in __overflow__" % (
            series,
            reported,
            total,
            overflow,
        )
        if int(total) != self.attack_count:
            say("error: the attack scan counted %d of %d events" % (total, self.attack_count))
            self.failures += 1
        return summary, series

    def target(self, name, value, op, limit):
        """Prints a ratio or figure against its target."""
        passed = number(value) <= number(limit) if op == "<=" else number(value) >= number(limit)
        if passed:
            self.met += 1
        else:
            self.missed += 1
        print("%-58s %8s   target %s %-6s %s" % (name, value, op, limit, "PASS" if passed else "MISS"))

    def ops_targets(self):
        f = self.figure
        if self.cimpeer:
            self.target("replay to a file wall: replay / cimpeer raw", ratio(f("ours_replay", "wall"), f("peer_raw_ops", "wall")), "<=", "1")
        self.target("replay to a file peak RSS, MiB", f("ours_replay", "rss"), "<=", "64")
        self.target("selective replay of one aggregate, wall s", f("ours_selective", "wall"), "<=", "1")
        for note in self.ops_notes:
            print(note)

    def ops_report(self):
        """The operations rows alone (BENCH_ONLY=ops)."""
        print()
        print("%-52s %8s %8s %9s %12s" % ("command", "wall s", "CPU s", "RSS MiB", "msgs/s"))
        for name, wall, cpu, rss, rate in self.rows:
            print("%-52s %8.2f %8.2f %9.1f %12s" % (name, number(wall), number(cpu), number(rss), rate))
        self.ops_targets()

    def report(self, counts, attack, attack_series):
        f = self.figure
        print()
        print(
            "== results: %d CPUs; wall and CPU are medians of %d runs (%d for the core rows), peak RSS the largest; "
            "rate = messages / wall" % (cpu_count(), self.runs, self.core_runs)
        )
        print("%-52s %8s %8s %9s %12s" % ("command", "wall s", "CPU s", "RSS MiB", "msgs/s"))
        for name, wall, cpu, rss, rate in self.rows:
            print("%-52s %8.2f %8.2f %9.1f %12s" % (name, number(wall), number(cpu), number(rss), rate))

        print()
        print("== ours / peer")
        if self.cimpeer:
            rm = self.reported_median
            self.target("core publish throughput (reported): nats pub / corepub", ratio(rm("ours_pub"), rm("peer_pub")), ">=", "1")
            print(
                "%-58s %8s   (whole process, with start-up)"
                % ("core publish rate: nats pub / cimpeer corepub", ratio(f("ours_pub", "rate"), f("peer_pub", "rate")))
            )
            print(
                "%-58s %8s   (the client's own cost; the server is the same)"
                % ("core publish CPU: nats pub / cimpeer corepub", ratio(f("ours_pub", "cpu"), f("peer_pub", "cpu")))
            )
            self.target("core publish into a discard sink (client capacity)", ratio(rm("ours_sink"), rm("peer_sink")), ">=", "1")
            self.target("pub -> sub throughput (reported by the subscribers)", ratio(rm("ours_pair"), rm("peer_pair")), ">=", "1")
            self.target("subscriber alone, from a source endpoint (capacity)", ratio(rm("ours_source"), rm("peer_source")), ">=", "1")
            print(
                "%-58s %8s   (publisher start to subscriber exit)"
                % ("pub -> sub rate: ours pair / Go pair", ratio(f("ours_pair", "rate"), f("peer_pair", "rate")))
            )
            self.target("stream read wall: stream read / cimpeer raw", ratio(f("ours_read", "wall"), f("peer_raw", "wall")), "<=", "1")
            if self.craw:
                print(
                    "%-58s %8s   (the C client, for reference)"
                    % ("stream read wall: stream read / craw", ratio(f("ours_read", "wall"), f("craw", "wall")))
                )
            self.target("scan wall: scan / cimpeer raw", ratio(f("ours_scan", "wall"), f("peer_raw", "wall")), "<=", "1")
            self.target("scan CPU: scan / cimpeer monitor", ratio(f("ours_scan", "cpu"), f("peer_monitor", "cpu")), "<=", "0.5")
            print("%-58s %8s" % ("scan wall: scan / cimpeer monitor", ratio(f("ours_scan", "wall"), f("peer_monitor", "wall"))))
            print("%-58s %8s" % ("scan peak RSS: scan / cimpeer monitor", ratio(f("ours_scan", "rss"), f("peer_monitor", "rss"))))
        self.target("stream read peak RSS, MiB", f("ours_read", "rss"), "<=", "64")
        self.target("scan peak RSS, MiB", f("ours_scan", "rss"), "<=", "64")
        self.target("attack scan peak RSS, MiB", f("ours_attack", "rss"), "<=", "64")
        self.target("attack scan series in cim_events_total", str(attack_series), "<=", "10000")
        self.ops_targets()
        print()
        spread = self.reported_spread
        print(
            "reported throughput, msgs/s (median, lowest-highest): nats pub %s, cimpeer corepub %s; into the sink %s and %s; "
            "nats sub %s, cimpeer coresub %s; from the source %s and %s"
            % (
                spread("ours_pub"),
                spread("peer_pub"),
                spread("ours_sink"),
                spread("peer_sink"),
                spread("ours_pair"),
                spread("peer_pair"),
                spread("ours_source"),
                spread("peer_source"),
            )
        )
        print(
            "nats-server CPU while publishing (median s): %s for nats pub, %s for cimpeer corepub (wall %s and %s s); "
            "%s for our pair, %s for the Go pair (wall %s and %s s)"
            % (
                self.server_median("ours_pub"),
                self.server_median("peer_pub"),
                self.median("ours_pub", 1),
                self.median("peer_pub", 1) if self.cimpeer else "",
                self.server_median("ours_pair"),
                self.server_median("peer_pair"),
                f("ours_pair", "wall"),
                f("peer_pair", "wall"),
            )
        )
        print("exact counts: %s" % counts)
        print("attack: %s" % attack)
        print("targets: %d met, %d missed" % (self.met, self.missed))
        sys.stdout.flush()

    def health_rows(self):
        """The NATS health rows (Benchmarks/health_bench.py)."""
        sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
        from health_bench import HealthRows

        try:
            HealthRows(self, free_port).run()
        except (RuntimeError, subprocess.SubprocessError, OSError) as error:
            say("error: the health rows failed: %s" % error)
            self.failures += 1

    # GPU telemetry (issue 13)

    def gpu_stubs(self):
        """Builds the stub NVML library and a stub nvidia-smi that prints the H200 capture's --query-gpu CSV."""
        library = self.path("libnvidia-ml-stub.so")
        source = os.path.join(ROOT, "Tests", "Fixtures", "gpu", "stub_nvml.c")
        if subprocess.call(["cc", "-shared", "-fPIC", "-O2", "-o", library, source]) != 0:
            raise Fatal("cannot build the stub NVML library with cc")
        capture = os.path.join(ROOT, "Tests", "Fixtures", "gpu", "utkuozdemir-nvidia_gpu_exporter__linux-x86_64__nvidia-h200__590.48.01__query-gpu.txt")
        text = read(capture).split("\n")
        banner = next(i for i, line in enumerate(text) if line.startswith("# load :: query-gpu"))
        header = next(i for i in range(banner, len(text)) if text[i].startswith("timestamp, "))
        csv = self.path("h200.csv")
        with open(csv, "w") as file:
            file.write(text[header] + "\n" + text[header + 1] + "\n")
        smi = self.path("nvidia-smi")
        with open(smi, "w") as file:
            file.write("#!/bin/sh\ncat '%s'\n" % csv)
        os.chmod(smi, 0o755)
        return library, smi

    def gpu_sample_cpu(self, environment, repeat):
        """CPU seconds per sample that `gpu sample --repeat` reports (nvidia-smi children included)."""
        result = subprocess.run(
            [self.ours, "gpu", "sample", "--repeat", str(repeat)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        match = re.search(r"cpu_seconds_per_sample ([0-9.]+) source (\S+)", result.stderr)
        if result.returncode != 0 or not match:
            raise Fatal("gpu sample failed: %s" % result.stderr.strip()[-300:])
        return float(match.group(1)), match.group(2)

    def gpu_rows(self):
        say("== GPU: one sample of 8 GPUs through NVML vs the nvidia-smi exec path; the agent's RSS")
        library, smi = self.gpu_stubs()
        nvml = dict(os.environ, CIM_NVML_LIBRARY=library, CIM_TEST_NVML_GPUS="8")
        nvml.pop("CIM_NVIDIA_SMI", None)
        exec_path = dict(os.environ, CIM_NVML_LIBRARY=self.path("no-such-libnvidia-ml.so"), CIM_NVIDIA_SMI=smi)
        pairs = setting("BENCH_GPU_PAIRS", 7)
        samples = setting("BENCH_GPU_SAMPLES", 2000)
        ours, theirs = [], []
        for run in range(pairs):
            order = [("nvml", nvml, samples), ("exec", exec_path, max(1, samples // 10))]
            if run % 2 == 1:
                order.reverse()
            for side, environment, repeat in order:
                cpu, source = self.gpu_sample_cpu(environment, repeat)
                expected = "nvml" if side == "nvml" else "nvidia-smi"
                if source != expected:
                    raise Fatal("gpu sample used %s, expected %s" % (source, expected))
                (ours if side == "nvml" else theirs).append(cpu)
        ours.sort()
        theirs.sort()
        self.gpu = {"nvml_ms": ours[len(ours) // 2] * 1000, "exec_ms": theirs[len(theirs) // 2] * 1000, "pairs": pairs}
        self.gpu["ratio"] = self.gpu["nvml_ms"] / self.gpu["exec_ms"] if self.gpu["exec_ms"] > 0 else float("inf")
        self.gpu["nvml_all"] = ours
        self.gpu["exec_all"] = theirs
        # The agent against the bench server: 8 GPUs sampled every 100 ms for 5 s, then its peak RSS (VmHWM).
        log = open(self.path("gpu-agent.log"), "w")
        agent = subprocess.Popen(
            [self.ours, "gpu", "agent", "--server", self.url, "--node", "bench", "--interval", "100ms"], env=nvml, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.background.append(agent)
        time.sleep(5)
        peak = 0
        try:
            self.gpu["agent_image"] = os.path.basename(os.readlink("/proc/%d/exe" % agent.pid))
        except OSError:
            self.gpu["agent_image"] = "?"
        for line in lines("/proc/%d/status" % agent.pid):
            if line.startswith("VmHWM:"):
                peak = number(line.split()[1])
        agent.send_signal(signal.SIGTERM)
        try:
            status = agent.wait(timeout=10)
        except subprocess.TimeoutExpired:
            agent.kill()
            status = -1
        if status != 0:
            say("error: the GPU agent did not stop cleanly on SIGTERM (status %s):" % status)
            say_tail(self.path("gpu-agent.log"), 5)
            self.failures += 1
        self.gpu["agent_rss_mib"] = peak / 1024

    def gpu_report(self):
        g = self.gpu
        print()
        print("== GPU (median of %d pairs, alternating which side goes first)" % g["pairs"])
        print("CPU per sample, NVML stub, 8 GPUs (ms): %s" % " ".join("%.4f" % (v * 1000) for v in g["nvml_all"]))
        print("CPU per sample, nvidia-smi exec path (ms): %s" % " ".join("%.3f" % (v * 1000) for v in g["exec_all"]))
        self.target("GPU: CPU of one sample of 8 GPUs through NVML, ms", "%.4f" % g["nvml_ms"], "<=", "2")
        self.target("GPU: CPU per sample, NVML / nvidia-smi exec", "%.4f" % g["ratio"], "<=", "0.1")
        print("cim-monitor gpu agent ran as: %s" % g["agent_image"])
        self.target("GPU: agent peak RSS, MiB", "%.1f" % g["agent_rss_mib"], "<=", "24")

    def main(self):
        only = os.environ.get("BENCH_ONLY") or ""
        if only not in ("", "health", "gpu", "ops"):
            raise Fatal("BENCH_ONLY must be health, gpu or ops, not %r" % only)
        self.build()
        if only == "gpu":
            self.start_server()
            self.gpu_rows()
            self.gpu_report()
            print("targets: %d met, %d missed" % (self.met, self.missed))
            return 1 if self.failures > 0 else 0
        self.build_peers()
        if only == "health":
            self.health_rows()
            print("targets: %d met, %d missed" % (self.met, self.missed))
            return 1 if self.failures > 0 else 0
        if only == "ops":
            self.start_server()
            self.fill()
            self.ops_rows()
            self.ops_report()
            print("targets: %d met, %d missed" % (self.met, self.missed))
            return 1 if self.failures > 0 else 0
        self.start_server()
        self.health_rows()
        self.core_rows()
        self.fill()
        self.read_rows()
        counts = self.exact_counts()
        self.ops_rows()
        attack, attack_series = self.attack()
        self.gpu_rows()
        self.gpu_report()
        self.report(counts, attack, attack_series)
        if self.failures > 0:
            print("FAILED: %d command(s) failed, lost messages or miscounted (see above)" % self.failures)
            return 1
        return 0


def interrupted(signum, frame):
    raise SystemExit(130)


def main():
    os.chdir(ROOT)
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    bench = None
    try:
        bench = Bench()
        return bench.main()
    except Fatal as error:
        say("error: %s" % error)
        return 1
    finally:
        if bench is not None:
            bench.cleanup()


if __name__ == "__main__":
    sys.exit(main())
