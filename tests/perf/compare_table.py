#!/usr/bin/env python3
"""Turns the raw figures of tests/perf/compare into its Markdown table.

Input (argv[1]): a tab-separated file written by the script, one line per
measured run, `figure<TAB>value`, plus `@name<TAB>text` lines that describe the
workloads (sizes, durations). Every figure is the median of its runs; a ratio is
the ratio of two medians. Output: the table on stdout. Standard library only.
"""

import statistics
import sys
from collections import defaultdict


def load(path):
    runs, meta = defaultdict(list), {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            key, _, value = line.partition("\t")
            if key.startswith("@"):
                meta[key[1:]] = value
            else:
                runs[key].append(float(value))
    return runs, meta


def si(v):
    """1234567 -> '1.23 M' style, for the compact per-run column."""
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g} {unit}"
    return f"{v:.3g}"


class Table:
    def __init__(self, runs, meta):
        self.runs, self.meta, self.rows = runs, meta, []

    def med(self, key):
        vals = self.runs.get(key)
        return statistics.median(vals) if vals else None

    def spread(self, key, runfmt):
        vals = self.runs.get(key)
        return ", ".join(runfmt(v) for v in vals) if vals else "—"

    def add(self, label, text, runs="", target="—", met=None):
        verdict = "—" if met is None else ("met" if met else "**NOT met**")
        self.rows.append((label, text, runs, target, verdict))

    def figure(self, label, key, fmt, runfmt=si, target="—", goal=None, extra=None):
        v = self.med(key)
        if v is None:
            self.add(label, "not measured", "—", target, None)
            return
        text = fmt(v) + (f" ({extra(self)})" if extra else "")
        self.add(label, text, self.spread(key, runfmt), target, None if goal is None else goal(v))

    def ratio(self, label, num, den, as_percent, target="—", goal=None):
        a, b = self.med(num), self.med(den)
        if a is None or b is None or b == 0:
            self.add(label, "not measured", "", target, None)
            return
        r = a / b
        text = f"{r * 100:.0f} %" if as_percent else f"{r:.2f} ×"
        self.add(label, text, "ratio of medians", target, None if goal is None else goal(r))

    def markdown(self):
        out = ["| figure | median | runs | target | verdict |", "|---|---|---|---|---|"]
        out += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(out)


def msgs(v):
    return f"{v:,.0f} msgs/s"


def mbs(v):
    return f"{v:,.0f} MB/s"


def ms(v):
    return f"{v:.3f} ms"


def count(meta, key):
    v = meta.get(key)
    return f"{int(v):,}" if v and v.isdigit() else "?"


def num0(v):
    return f"{v:,.0f}"


def num3(v):
    return f"{v:.3f}"


def build(t):
    m = t.meta
    t.figure(f"iperf3 loopback TCP, 1 stream, {m.get('iperf_secs', '?')} s", "iperf_mbps",
             lambda v: f"{v * 8 / 1000:.1f} Gbit/s ({v:,.0f} MB/s)", num0)
    t.figure(f"fio sequential write, {m.get('fio_desc', '?')}", "fio_mbps", mbs, num0)
    t.figure(f"page-cache write, dd bs=1M of {count(m, 'pagecache_mib')} MiB into a new file, not synced",
             "pagecache_mbps", mbs, num0)
    xadd = f"Redis XADD {count(m, 'redis_n')} × 16 B field + 100 B value, pipeline 100, AOF everysec"
    t.figure(f"{xadd}, 1 client", "redis_c1", msgs)
    t.figure(f"{xadd}, 4 clients", "redis_c4", msgs)

    t.figure(f"strata produce {count(m, 'n100')} × 100 B value + 16 B key, 1 producer, 1 partition, acks=leader",
             "p100_msgs", msgs, target="≥ 3,000,000 msgs/s", goal=lambda v: v >= 3e6,
             extra=lambda s: mbs(s.med("p100_mbps")))
    t.ratio("↳ strata 100 B produce ÷ Redis XADD (1 client, P100)", "p100_msgs", "redis_c1", False,
            "≥ 6 ×", lambda r: r >= 6)
    t.figure(f"strata produce {count(m, 'n1k')} × 1 KiB value, keyless, 1 producer, 1 partition, acks=leader",
             "p1k_mbps", mbs, num0, extra=lambda s: msgs(s.med("p1k_msgs")))
    t.ratio("↳ strata 1 KiB produce MB/s ÷ iperf3 loopback", "p1k_mbps", "iperf_mbps", True,
            "≥ 40 %", lambda r: r >= 0.40)
    t.ratio("↳ strata 1 KiB produce MB/s ÷ fio write", "p1k_mbps", "fio_mbps", True)
    t.ratio("↳ strata 1 KiB produce MB/s ÷ page-cache write", "p1k_mbps", "pagecache_mbps", True)
    t.figure(f"strata produce {count(m, 'n1k')} × 1 KiB value as above, topic with pagecache.keep.bytes = 64 MiB",
             "p1kd_mbps", mbs, num0, extra=lambda s: msgs(s.med("p1kd_msgs")))
    t.ratio("↳ strata 1 KiB produce (pagecache.keep.bytes) MB/s ÷ iperf3 loopback", "p1kd_mbps", "iperf_mbps", True,
            "≥ 40 %", lambda r: r >= 0.40)
    t.figure(f"strata produce {count(m, 'ndur')} × 100 B + 16 B key, 8 producers, 8 partitions, acks=durable",
             "pdur_msgs", msgs, target="≥ 500,000 msgs/s", goal=lambda v: v >= 5e5,
             extra=lambda s: mbs(s.med("pdur_mbps")))
    t.ratio("↳ strata durable produce MB/s ÷ fio write", "pdur_mbps", "fio_mbps", True)
    t.figure("strata consume the 100 B topic (page cache), 1 consumer", "c100_msgs", msgs,
             target="≥ 5,000,000 msgs/s", goal=lambda v: v >= 5e6, extra=lambda s: mbs(s.med("c100_mbps")))
    t.figure("strata consume the 1 KiB topic (page cache), 1 consumer", "c1k_mbps", mbs, num0,
             extra=lambda s: msgs(s.med("c1k_msgs")))
    t.ratio("↳ strata 1 KiB consume MB/s ÷ iperf3 loopback", "c1k_mbps", "iperf_mbps", True,
            "≥ 50 %", lambda r: r >= 0.50)
    lat = f"strata end-to-end latency, 100 B at 10,000 msgs/s for {m.get('lat_secs', '?')} s, acks=leader"
    t.figure(f"{lat}: p50", "lat_p50", ms, num3)
    t.figure(f"{lat}: p99", "lat_p99", ms, num3, "≤ 1 ms", lambda v: v <= 1.0)
    t.figure(f"{lat}: p99.9", "lat_p999", ms, num3, "≤ 5 ms", lambda v: v <= 5.0)
    t.figure(f"{lat}: max", "lat_max", ms, num3)
    sent = 10000 * float(m.get("lat_secs", 0))
    t.figure(f"{lat}: sends > 1 ms behind schedule", "lat_late", lambda v: f"{v:,.0f} of {sent:,.0f}", num0)


def main():
    runs, meta = load(sys.argv[1])
    t = Table(runs, meta)
    build(t)
    print(t.markdown())
    errors = sum(runs.get("errors", []))
    if errors:
        print(f"\n**{errors:.0f} strata messages failed** across the produce and latency runs: "
              "the figures above are suspect.")


if __name__ == "__main__":
    main()
