#!/usr/bin/env python3
"""Compares the counts of `cim-monitor scan` with those of `cimpeer monitor -metrics-out F` (scripts/bench).

  compare_counts.py SCAN_EXPOSITION PEER_EXPOSITION

Events: ours `cim_events_total{domain,aggregate_type,event_type}` against the peer's
`cim_events_total{domain,aggregate,event_type}`. Failures: ours `cim_events_failed_total{..., error_type}` summed
per (domain, error_type) against the peer's `cim_event_failures_total{domain,error_kind}`.
Prints MATCH, or every difference and exits 1.
"""
import re
import sys
from collections import Counter

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')


def unescape(value):
    return re.sub(r'\\(.)', lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), value)


def samples(path):
    """Every sample of a Prometheus text exposition: (name, {label: value}, value)."""
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            match = SAMPLE.match(line)
            if not match:
                raise SystemExit("error: %s: unreadable line: %s" % (path, line[:200]))
            labels, rest = {}, match.group(2) or ""
            while rest:
                label = LABEL.match(rest)
                if not label:
                    raise SystemExit("error: %s: unreadable labels: %s" % (path, line[:200]))
                labels[label.group(1)] = unescape(label.group(2))
                rest = rest[label.end():]
            yield match.group(1), labels, float(match.group(3))


def counts(path, name, keys):
    result = Counter()
    for sample, labels, value in samples(path):
        if sample == name:
            result[tuple(labels.get(key, "") for key in keys)] += int(value)
    return result


def differences(what, ours, peer):
    lines = []
    for key in sorted(set(ours) | set(peer)):
        if ours.get(key, 0) != peer.get(key, 0):
            lines.append("  %s %s: scan %d, cimpeer %d" % (what, "/".join(key), ours.get(key, 0), peer.get(key, 0)))
    return lines


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    scan, peer = sys.argv[1], sys.argv[2]
    ours_events = counts(scan, "cim_events_total", ("domain", "aggregate_type", "event_type"))
    peer_events = counts(peer, "cim_events_total", ("domain", "aggregate", "event_type"))
    ours_failures = counts(scan, "cim_events_failed_total", ("domain", "error_type"))
    peer_failures = counts(peer, "cim_event_failures_total", ("domain", "error_kind"))
    problems = differences("cim_events_total", ours_events, peer_events)
    problems += differences("failures", ours_failures, peer_failures)
    if not peer_events:
        problems.append("  the peer's exposition has no cim_events_total")
    if problems:
        print("MISMATCH (%d differences)" % len(problems))
        print("\n".join(problems[:50]))
        sys.exit(1)
    print("MATCH: %d events in %d series, %d failures in %d (domain, error type) pairs"
          % (sum(ours_events.values()), len(ours_events), sum(ours_failures.values()), len(ours_failures)))


if __name__ == "__main__":
    main()
