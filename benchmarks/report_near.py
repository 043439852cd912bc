"""The near cache and stampede sections of RESULTS.md, from one benchmarks/run.sh run (see report.py).

NearCacheBenchmark.get (a near hit against bare Caffeine and a Redis get), NearCacheWorkloadBenchmark
(the workload matrix), NearCacheStaleness (staleness.json) and StampedeBenchmark (SampleTime, with the
loader counts it prints into jmh.log). Every ratio compares numbers of the same run.
"""

import json
import os
import re

from report import fmt, fmt_ratio, fmt_score, iterations, median, noisy, ratio, ratio_uncertainty, score, verdict

HIT_IMPLS = [
    ("near", "CacheKit with the near cache, a hit (blocking `get`)"),
    ("near-async", "the same through `async()`, each future joined"),
    ("caffeine", "bare Caffeine `getIfPresent` (`maximumSize(10_000)`)"),
    ("caffeine-clock", "*diagnostic:* bare Caffeine plus one `System.nanoTime()` per read"),
    ("redis", "CacheKit without a near cache (a Redis round trip)"),
    ("near-miss", "*diagnostic:* CacheKit with a near cache of one entry (nearly every read a miss)"),
    ("near-stampede", "CacheKit with the near cache under a loading layer with envelopes (early refresh, stale grace), a hit"),
]

WORKLOADS = [
    ("zipf99", "99% reads, Zipfian (s = 0.99) over 100,000 keys of 100 B, near cache of 10,000"),
    ("hotkey", "one key of 100 B, 1% writes of it"),
    ("zipf50", "50% writes, Zipfian over 100,000 keys of 100 B, near cache of 10,000"),
    ("large", "99% reads, Zipfian over 1,000 keys of 100 KB, near cache of 100"),
    ("churn", "`zipf99` while every connection is killed each second (`CLIENT KILL TYPE normal` and `pubsub`)"),
]

WORKLOAD_IMPLS = [
    ("none", "CacheKit, no near cache"),
    ("near", "CacheKit near cache"),
    ("near-broadcast", "CacheKit near cache, broadcast"),
    ("lettuce-csc", "Lettuce `ClientSideCaching` ‡"),
    ("redisson-local", "Redisson `RLocalCachedMap` §"),
]

PROTECTIONS = [
    ("off", "`off` (no layer: GET, load, SET)"),
    ("coalesce", "`coalesce` (layer, no early refresh)"),
    ("on", "`on` (early refresh, beta 1.0)"),
    ("on-beta0.3", "`on-beta0.3` (early refresh, beta 0.3)"),
]


def zipf_bound(keys, held, s=0.99):
    """The hit ratio of an ideal near cache holding the `held` most frequent of `keys` Zipfian keys."""
    weights = [1 / (i ** s) for i in range(1, keys + 1)]
    return sum(weights[:held]) / sum(weights)


def near_hit_section(res, out, targets):
    out.append("## Near cache: a hit against bare Caffeine and a Redis get\n")
    out.append("`NearCacheBenchmark.get`, one thread: a read of one of 256 keys holding a 1 KB string, every read a "
               "hit (CacheKit's near cache holds up to 10,000 entries; the bare Caffeine cache is built the same way). "
               "`-prof gc` gives the allocation per read. JMH: 1 fork, warm-up 3 × 1 s, measurement 6 × 1 s (the "
               "class's defaults); `near-miss` (a near cache of one entry, so nearly every read misses) shows what a "
               "miss costs against a plain Redis get.\n")
    out.append("| implementation | reads/s | ns per read | bytes per read |")
    out.append("|---|---:|---:|---:|")
    rows = {}
    for impl, label in HIT_IMPLS:
        r = res.find("NearCacheBenchmark.get", impl=impl)
        rows[impl] = r
        if r is None:
            continue
        s = score(r)
        a = median(iterations(r, "gc.alloc.rate.norm"))
        out.append(f"| {label} | {fmt_score(r)} | {fmt(1e9 / s if s else None, 1)} | {fmt(a)} |")
    out.append("")
    near, caffeine, clock, redis = rows["near"], rows["caffeine"], rows["caffeine-clock"], rows["redis"]
    slower = ratio(score(caffeine), score(near))
    faster = ratio(score(near), score(redis))
    lines = []
    if slower is not None:
        lines.append(f"* bare Caffeine ÷ near hit: {fmt_ratio(slower, noisy(near, caffeine))} (goal ≤ 2×).")
    if faster is not None:
        lines.append(f"* near hit ÷ Redis get: {fmt_ratio(faster, noisy(near, redis))} (goal ≥ 100×).")
    if clock is not None and caffeine is not None and score(clock) and score(caffeine):
        clock_ns = 1e9 / score(clock) - 1e9 / score(caffeine)
        lines.append(f"* One `System.nanoTime()` costs {fmt(clock_ns, 1)} ns here (Caffeine with a clock read per "
                     f"read ÷ without: {fmt_ratio(ratio(score(caffeine), score(clock)))} slower). The near cache reads "
                     "the clock once per hit to check the entry's own deadline (an entry past its TTL is never "
                     "served); no cheaper check can promise that (a clock published by another thread lags by as "
                     "long as that thread is not scheduled, or a GC pause), so that read stays.")
    miss = rows.get("near-miss")
    if miss is not None and redis is not None:
        lines.append(f"* A miss of the near cache takes {fmt_ratio(ratio(score(redis), score(miss)), noisy(miss, redis))} "
                     "as long as a plain Redis get (GET and PTTL in one script, the read's marker, keeping the value) and allocates "
                     f"{fmt(median(iterations(miss, 'gc.alloc.rate.norm')))} bytes against "
                     f"{fmt(median(iterations(redis, 'gc.alloc.rate.norm')))}: what bounds the Zipfian workloads below.")
    out.extend(lines)
    out.append("")
    targets.append({"name": "near hit: bare Caffeine ÷ CacheKit near hit", "target": "≤ 2×",
                    "value": fmt_ratio(slower, noisy(near, caffeine)),
                    "verdict": verdict(slower, 2, higher_is_better=False, uncertainty=ratio_uncertainty(near, caffeine)),
                    "key": ("near", "hit-caffeine"), "ratio": slower, "goal": 2})
    stacked = rows.get("near-stampede")
    if stacked is not None:
        cost = ratio(score(near), score(stacked))
        targets.append({"name": "near hit through a loading layer (envelopes) ÷ near hit without it (time)",
                        "target": "≤ 1.5×", "value": fmt_ratio(cost, noisy(near, stacked)),
                        "verdict": verdict(cost, 1.5, higher_is_better=False, uncertainty=ratio_uncertainty(near, stacked)),
                        "key": ("near", "hit-stacked"), "ratio": cost, "goal": 1.5})
    targets.append({"name": "near hit ÷ Redis get (CacheKit without near cache)", "target": "≥ 100×",
                    "value": fmt_ratio(faster, noisy(near, redis)),
                    "verdict": verdict(faster, 100, uncertainty=ratio_uncertainty(near, redis)),
                    "key": ("near", "hit-redis"), "ratio": faster, "goal": 100})


def near_workload_section(res, out, targets):
    out.append("## Near cache: the workload matrix\n")
    out.append("`NearCacheWorkloadBenchmark`, 4 threads sharing one client, operations per second (median of the "
               "iterations; in brackets: ÷ CacheKit without a near cache in the same run). Before measuring, each "
               "client reads the keys a near cache holds in the steady state (the most frequent ones, as many as it "
               "holds). Writes go through the client under test. JMH: 1 fork, warm-up 3 × 2 s, measurement 4 × 2 s (the "
               "class's defaults).\n")
    head = "| workload | " + " | ".join(label for _, label in WORKLOAD_IMPLS) + " |"
    out.append(head)
    out.append("|---|" + "---:|" * len(WORKLOAD_IMPLS))
    for name, label in WORKLOADS:
        base = res.find("NearCacheWorkloadBenchmark.op", workload=name, impl="none")
        cells = []
        for impl, _ in WORKLOAD_IMPLS:
            r = res.find("NearCacheWorkloadBenchmark.op", workload=name, impl=impl)
            if r is None:
                cells.append("n/a")
            elif impl == "none":
                cells.append(fmt(score(r)))
            else:
                cells.append(f"{fmt(score(r))} ({fmt_ratio(ratio(score(r), score(base)), noisy(r, base))})")
        out.append(f"| `{name}`: {label} | " + " | ".join(cells) + " |")
    out.append("")
    bound = zipf_bound(100_000, 10_000)
    out.append(f"* The ideal hit ratio of `zipf99` (the 10,000 most frequent of 100,000 keys always held) is "
               f"{bound:.1%}, so even a near cache whose hits cost nothing and whose misses cost one plain GET is at "
               f"most {1 / (1 - bound):.2f}× faster than no near cache; the 1% writes lower it further. A miss of "
               "CacheKit's near cache costs more than a plain GET: GET and PTTL in one script (the entry's local "
               "deadline), the read's marker in the near store, and the keeping of the value.")
    out.append("* ‡ Lettuce's `ClientSideCaching` (standalone only) keeps a value read even when its invalidation "
               "arrived while the read was in flight (the race of lettuce #3481: stale until evicted), and after a "
               "reconnect it neither flushes what it holds nor turns tracking on again, so under `churn` it serves "
               "values it is no longer told about (checked with Lettuce 7.5.2: after `CLIENT KILL` the reconnected "
               "connection has no tracking flag, and another client's write is never seen). Shown for speed only; it "
               "is not a correct near cache.")
    out.append("* § Redisson's `RLocalCachedMap` keeps its entries as the fields of one Redis hash, and its "
               "invalidations are pub/sub messages published by Redisson's own writes: it does not see a write made "
               "by any other client (see the staleness window below). A different data model, shown for speed.")
    out.append("")
    for name, goal, text in (("zipf99", 5, "≥ 5×"), ("zipf50", 0.9, "≥ 0.9×")):
        n = res.find("NearCacheWorkloadBenchmark.op", workload=name, impl="near")
        b = res.find("NearCacheWorkloadBenchmark.op", workload=name, impl="none")
        r = ratio(score(n), score(b))
        targets.append({"name": f"near cache `{name}`, 4 threads: near ÷ no near cache", "target": text,
                        "value": fmt_ratio(r, noisy(n, b)), "verdict": verdict(r, goal, uncertainty=ratio_uncertainty(n, b)),
                        "key": ("near", name), "ratio": r, "goal": goal})


def staleness_section(results_dir, out):
    path = os.path.join(results_dir, "staleness.json")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)
    out.append("## Near cache: staleness window after another client's write\n")
    out.append("`NearCacheStaleness`: a plain Lettuce connection (not the client under test) overwrites a key the "
               "client's near cache holds; measured from that write's acknowledgement to the first read of the "
               "client (one thread reading in a loop) that no longer answers the old value. Standalone Redis on "
               "loopback.\n")
    out.append("| client | writes | never seen | p50 | p90 | p99 | max |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    labels = dict(WORKLOAD_IMPLS)
    for r in rows:
        def us(key):
            v = r.get(key, -1)
            return "n/a" if v < 0 else (f"{v / 1000:,.1f} ms" if v >= 1000 else f"{v:,} µs")
        never = r["neverClosed"]
        out.append(f"| {labels.get(r['impl'], r['impl']).rstrip(' ‡§')} | {r['samples']:,} | "
                   f"{never:,}{' (> ' + str(r['giveUpMillis']) + ' ms)' if never else ''} | {us('p50Micros')} | "
                   f"{us('p90Micros')} | {us('p99Micros')} | {us('maxMicros')} |")
    out.append("")
    out.append("A window of 0 µs: the invalidation had arrived by the time the writer had its acknowledgement. A "
               "client that does not see another client's write within the bound is counted under \"never seen\" "
               "and, after 5 such writes, not sampled further.\n")


def stampede_counts(results_dir):
    """Loader calls per expiry and slow reads of each measurement iteration, as StampedeBenchmark prints them."""
    counts = {}
    path = os.path.join(results_dir, "jmh.log")
    if not os.path.exists(path):
        return counts
    pattern = re.compile(r"\[stampede\] protection=(\S+): (\d+) loader calls over ([\d.]+) expiries = ([\d.]+) "
                         r"per expiry; (\d+) reads took")
    measuring = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("# Warmup Iteration"):
                measuring = False
            elif line.startswith("Iteration "):
                measuring = True
            m = pattern.search(line)
            if m and measuring:
                c = counts.setdefault(m.group(1), {"per_expiry": [], "slow": 0})
                c["per_expiry"].append(float(m.group(4)))
                c["slow"] += int(m.group(5))
    return counts


def stampede_section(res, results_dir, out):
    rows = {p: res.find("StampedeBenchmark.readHotKey", protection=p) for p, _ in PROTECTIONS}
    if not any(rows.values()):
        return
    counts = stampede_counts(results_dir)
    out.append("## Stampede protection: a hot key through its expiries\n")
    out.append("`StampedeBenchmark`: 16 threads call `getOrLoad` on one key whose loader sleeps 50 ms, TTL 500 ms (the "
               "key expires about twice a second), one Redis of its own on loopback, JMH `SampleTime`. \"Loader "
               "calls per expiry\": the loader calls of a measurement iteration over the TTLs of wall time it spanned "
               "(mean of the iterations); \"reads ≥ 50 ms\": reads that took as long as a load (sum of the "
               "iterations). JMH: 1 fork, warm-up 2 × 2 s, measurement 3 × 3 s (the class's defaults).\n")
    out.append("| protection | loader calls per expiry | reads ≥ 50 ms | p50 | p99 | p99.99 | max |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")

    def pct(r, p):
        v = (r["primaryMetric"].get("scorePercentiles") or {}).get(p) if r else None
        if v is None:
            return None
        return v

    def t(v):
        return "n/a" if v is None else (f"{v / 1000:,.1f} ms" if v >= 10_000 else f"{v:,.0f} µs")

    for p, label in PROTECTIONS:
        r = rows[p]
        if r is None:
            continue
        c = counts.get(p)
        per = None if not c else sum(c["per_expiry"]) / len(c["per_expiry"])
        slow = "n/a" if not c else f"{c['slow']:,}"
        out.append(f"| {label} | {fmt(per, 2)} | {slow} | {t(pct(r, '50.0'))} | {t(pct(r, '99.0'))} | "
                   f"{t(pct(r, '99.99'))} | {t(pct(r, '100.0'))} |")
    out.append("")
    off = rows["off"]
    if off is not None:
        parts = []
        for p, _ in PROTECTIONS[1:]:
            r = rows[p]
            if r is None:
                continue
            c, c0 = counts.get(p), counts.get("off")
            loads = None
            if c and c0:
                loads = ratio(sum(c["per_expiry"]) / len(c["per_expiry"]), sum(c0["per_expiry"]) / len(c0["per_expiry"]))
            parts.append(f"`{p}`: loader calls {fmt_ratio(loads)}, p99 {fmt_ratio(ratio(pct(r, '99.0'), pct(off, '99.0')))}, "
                         f"max {fmt_ratio(ratio(pct(r, '100.0'), pct(off, '100.0')))}")
        out.append("Against `off`: " + "; ".join(parts) + ". Without protection nearly every reader that finds "
                   "the key expired loads it and waits; coalescing gets one load per expiry but its readers still "
                   "wait for it; early refresh reloads before the expiry, so no reader waits for a load. The "
                   "per-value bound (at most one load while a value is current) is asserted by "
                   "`LoadingLayerTest`.\n")


def near_sections(res, results_dir, out, targets):
    """Appends every section this module writes, in order, and their targets."""
    if res.find("NearCacheBenchmark.get") is not None:
        near_hit_section(res, out, targets)
    if res.find("NearCacheWorkloadBenchmark.op") is not None:
        near_workload_section(res, out, targets)
    staleness_section(results_dir, out)
    stampede_section(res, results_dir, out)
