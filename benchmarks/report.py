#!/usr/bin/env python3
"""Turns the JMH JSON files of one benchmarks/run.sh run into RESULTS.md and README-SUMMARY.md.

Every ratio is computed from numbers measured in the same run. Usage (run.sh does this):

    python3 benchmarks/report.py RESULTS_DIR --results benchmarks/RESULTS.md \
        --summary benchmarks/README-SUMMARY.md

RESULTS_DIR holds the *.json files written by JMH (-rf json), env.json written by run.sh
(command, Redis version, machine, wall time, JMH command lines) and payload-sizes.json.
"""

import argparse
import glob
import json
import math
import os
import sys

PKG = "io.cachekit.benchmarks."

IMPL_LABELS = {
    "cachekit": "CacheKit `RedisCacheBackend` (sync, typed `json(Product.class)`)",
    "cachekit-async": "CacheKit `backend.async()` (each future joined)",
    "cachekit-object": "CacheKit (sync, `json(trustedPackages)`: records the class)",
    "lettuce": "raw Lettuce 7 + Jackson 3, the floor (`async()`, decoded on the I/O thread, awaited)",
    "lettuce-sync": "raw Lettuce 7 + Jackson 3 through `sync()` (decoded by the caller)",
    "sdr": "Spring Data Redis `RedisCache`, default writer (async puts)",
    "sdr-immediate": "Spring Data Redis `RedisCache`, `immediateWrites()`",
    "redisson": "Redisson 4 `RBucket`, `TypedJsonJackson3Codec`",
    "cachekit-callerdecode": "*diagnostic:* CacheKit bytes view, JSON decoded on the calling thread",
    "cachekit-lettucetimeouts": "*diagnostic:* CacheKit with Lettuce's per-command timers turned back on",
    "cachekit-observed": "*diagnostic:* CacheKit observed as the starter does with an `ObservationRegistry` and a `MeterRegistry` (CacheKit's meter handler)",
    "lettuce-callerdecode": "*diagnostic:* raw Lettuce `async()`, awaited, decoded by the caller",
}
IMPL_ORDER = list(IMPL_LABELS)


def load(results_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(results_dir, "jmh-*.json"))):
        with open(path, encoding="utf-8") as f:
            text = f.read().strip()
        if not text:
            continue
        for entry in json.loads(text):
            entry["_file"] = os.path.basename(path)
            rows.append(entry)
    return rows


# JMH files of cases run on another JVM than the rest (run.sh's JDK 25 runs): found only by name
OTHER_JVM_SUFFIX = "-jdk25.json"


class Results:
    def __init__(self, rows):
        self.rows = rows

    def find(self, benchmark, threads=None, source=None, **params):
        """The first row of `benchmark` with these threads and JMH params; from the file `source` if given,
        else from the files of the run's main JVM."""
        for r in self.rows:
            if r["benchmark"] != PKG + benchmark:
                continue
            if (r["_file"] != source) if source else r["_file"].endswith(OTHER_JVM_SUFFIX):
                continue
            if threads is not None and r["threads"] != threads:
                continue
            if all(r.get("params", {}).get(k) == v for k, v in params.items()):
                return r
        return None


def iterations(row, metric=None):
    """Per-iteration values of the primary (or a secondary) metric, all forks flattened."""
    if row is None:
        return []
    m = row["primaryMetric"] if metric is None else row.get("secondaryMetrics", {}).get(metric)
    if m is None:
        return []
    raw = m.get("rawData") or [[m["score"]]]
    return [v for fork in raw for v in fork if isinstance(v, (int, float)) and not math.isnan(v)]


def median(values):
    if not values:
        return None
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def score(row):
    """The median over measurement iterations: robust to a burst of load from other work on the machine."""
    return median(iterations(row))


def spread(row):
    """max / min over the measurement iterations."""
    v = iterations(row)
    if len(v) < 2 or min(v) <= 0:
        return None
    return max(v) / min(v)


def rel_uncertainty(row):
    """Half the interquartile range of the iterations, relative to the median (0 when unknown)."""
    v = sorted(iterations(row))
    if len(v) < 4:
        return 0.0
    n = len(v)
    q1, q3 = v[n // 4], v[(3 * n) // 4 if n % 4 else (3 * n) // 4 - 1]
    m = median(v)
    return 0.0 if not m else (q3 - q1) / 2 / m


def ratio_uncertainty(a, b):
    return math.sqrt(rel_uncertainty(a) ** 2 + rel_uncertainty(b) ** 2)


def noisy(*rows):
    return any((spread(r) or 1) > NOISY for r in rows if r is not None)


NOISY = 1.5


def err(row):
    if row is None:
        return None
    e = row["primaryMetric"].get("scoreError")
    if not isinstance(e, (int, float)) or math.isnan(e):
        return None  # JMH writes "NaN" with fewer than two iterations
    return e


def cpu_us(row):
    v = median(iterations(row, "cpu.time.norm"))
    return None if v is None else v / 1000.0


def alloc(row):
    if row is None:
        return None
    m = row.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if m is None else m["score"]


def fmt(x, digits=0):
    if x is None:
        return "n/a"
    if digits == 0:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def fmt_score(row, digits=0):
    """median (min–max) over the measurement iterations."""
    v = iterations(row)
    if not v:
        return "n/a"
    if len(v) == 1:
        return fmt(v[0], digits)
    return f"{fmt(median(v), digits)} ({fmt(min(v), digits)}–{fmt(max(v), digits)})"


def values_row(values):
    """A JMH-like row of per-iteration values measured outside JMH (redis-benchmark rounds, ...), so that
    score, spread and the uncertainty apply to them alike."""
    return {"primaryMetric": {"rawData": [list(values)], "score": median(values)}, "threads": 1} if values else None


def conditions(row):
    """The JMH settings a row ran with, as a sentence fragment."""
    if row is None:
        return "not measured"
    t = row.get("threads", 1)
    mode = {"thrpt": "throughput", "avgt": "average time", "ss": "single shot", "sample": "sampled time"}.get(
        row.get("mode"), row.get("mode", "?"))

    def iters(kind):
        n = row.get(kind + "Iterations")
        return f"{n} × {row.get(kind + 'Time')}" if row.get("mode") != "ss" else f"{n} call{'s' if n != 1 else ''}"

    warm, meas = iters("warmup"), iters("measurement")
    return (f"JMH {row.get('jmhVersion', '?')} on JDK {row.get('jdkVersion', '?')}, {mode}, {row.get('forks', 1)} "
            f"fork, {t} thread{'s' if t != 1 else ''}, warm-up {warm}, measurement {meas}, forked JVM arguments "
            f"`{' '.join(row.get('jvmArgs', []))}`")


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r, flag=False):
    return "n/a" if r is None else f"{r:.2f}×" + (" †" if flag else "")


SMOKE = False  # set by --smoke: a quick run's numbers get no verdicts


def verdict(value, target, higher_is_better=True, uncertainty=0.0):
    """met / missed; "(within noise)" when the goal lies inside the ratio's uncertainty."""
    if value is None:
        return "not measured"
    if SMOKE:
        return "smoke run: no verdict"
    ok = value >= target if higher_is_better else value <= target
    v = "**met**" if ok else "**missed**"
    if uncertainty and abs(value - target) <= uncertainty * value:
        v += " (within noise)"
    return v


def latency_us(row):
    """Average latency in µs of a closed-loop throughput run: threads / throughput."""
    s = score(row)
    if s is None or s == 0:
        return None
    return row["threads"] / s * 1e6


def get_set_section(res, out, targets):
    out.append("## Get hit and set with TTL\n")
    out.append("One blocking call per operation, each a round trip to the same Redis. Throughput: median "
               "operations per second over the 5 measurement iterations (min–max in brackets). Average latency "
               "is `threads / throughput` (closed loop, no think time: what JMH's `avgt` mode would report). CPU: "
               "CPU time of the whole benchmark JVM (caller and I/O threads, GC, JIT) per operation, median over "
               "the iterations. `CacheKit ÷ this`: CacheKit (sync, typed serializer) median throughput divided by "
               "that implementation's, same run; † marks a ratio where one side's iterations spread by more than "
               f"{NOISY}× (other work on the machine), to be read with care.\n")
    for payload in ("product", "string"):
        for op in ("get", "set"):
            out.append(f"### {op} — {payload} payload\n")
            out.append("| implementation | 1 thread ops/s | avg µs | CPU µs/op | CacheKit ÷ this | 8 threads ops/s | avg µs | CPU µs/op | CacheKit ÷ this |")
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            ck1 = res.find("GetSetBenchmark." + op, 1, impl="cachekit", payload=payload)
            ck8 = res.find("GetSetBenchmark." + op, 8, impl="cachekit", payload=payload)
            for impl in IMPL_ORDER:
                r1 = res.find("GetSetBenchmark." + op, 1, impl=impl, payload=payload)
                r8 = res.find("GetSetBenchmark." + op, 8, impl=impl, payload=payload)
                if r1 is None and r8 is None:
                    continue
                rat1 = "—" if impl == "cachekit" else fmt_ratio(ratio(score(ck1), score(r1)), noisy(ck1, r1))
                rat8 = "—" if impl == "cachekit" else fmt_ratio(ratio(score(ck8), score(r8)), noisy(ck8, r8))
                label = IMPL_LABELS[impl]
                if payload == "string":
                    label = label.replace("Product.class", "String.class")
                out.append(f"| {label} | {fmt_score(r1)} | {fmt(latency_us(r1), 1)} | {fmt(cpu_us(r1), 1)} | {rat1} | "
                           f"{fmt_score(r8)} | {fmt(latency_us(r8), 1)} | {fmt(cpu_us(r8), 1)} | {rat8} |")
            out.append("")
    # targets
    for payload in ("product", "string"):
        for op in ("get", "set"):
            for threads in (1, 8):
                ckr = res.find("GetSetBenchmark." + op, threads, impl="cachekit", payload=payload)
                checks = [("lettuce", 0.95, "raw Lettuce + Jackson")]
                sdr_target = 1.1 if threads == 1 else 1.25
                if op == "set":
                    checks.append(("sdr-immediate", sdr_target, "Spring Data Redis `RedisCache`, `immediateWrites()`"))
                    checks.append(("sdr", sdr_target, "Spring Data Redis `RedisCache`, default writer (puts not awaited)"))
                else:
                    checks.append(("sdr", sdr_target, "Spring Data Redis `RedisCache`"))
                checks.append(("redisson", 1.15 if threads == 1 else 1.5, "Redisson"))
                for impl, target, label in checks:
                    other = res.find("GetSetBenchmark." + op, threads, impl=impl, payload=payload)
                    r = ratio(score(ckr), score(other))
                    v = verdict(r, target, uncertainty=ratio_uncertainty(ckr, other))
                    if op == "set" and impl == "sdr":
                        # puts not awaited: a queueing rate, not a write rate; at 8 threads not sustainable at all
                        v = "not comparable" if other is not None else "not measurable (unbounded backlog)"
                    targets.append({
                        "name": f"{op}, {payload}, {threads} thread{'s' if threads > 1 else ''}: CacheKit vs {label}",
                        "target": f"≥ {target}×", "value": fmt_ratio(r, noisy(ckr, other)), "verdict": v,
                        "key": (op, payload, threads, impl), "ratio": r, "goal": target,
                    })


def alloc_section(res, out, targets):
    out.append("## Allocation per operation\n")
    out.append("`-prof gc` on the 1-thread runs above: `gc.alloc.rate.norm`, bytes allocated per operation by "
               "every thread of the JVM (the caller and the client's I/O threads), so it includes decoding the "
               "reply and the futures. Ratio: this implementation ÷ raw Lettuce + Jackson.\n")
    out.append("| implementation | get product B/op | ÷ Lettuce | get string B/op | ÷ Lettuce | set product B/op | ÷ Lettuce | set string B/op | ÷ Lettuce |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = {(op, p): alloc(res.find("GetSetBenchmark." + op, 1, impl="lettuce", payload=p))
            for op in ("get", "set") for p in ("product", "string")}
    for impl in IMPL_ORDER:
        cells = []
        any_value = False
        for op in ("get", "set"):
            for p in ("product", "string"):
                a = alloc(res.find("GetSetBenchmark." + op, 1, impl=impl, payload=p))
                any_value = any_value or a is not None
                cells.append(fmt(a))
                cells.append(fmt_ratio(ratio(a, base[(op, p)])))
        if any_value:
            out.append(f"| {IMPL_LABELS[impl]} | " + " | ".join(cells) + " |")
    out.append("")
    for p in ("product", "string"):
        for op in ("get", "set"):
            a = alloc(res.find("GetSetBenchmark." + op, 1, impl="cachekit", payload=p))
            r = ratio(a, base[(op, p)])
            if op == "get":
                targets.append({"name": f"allocation per get, {p}: CacheKit ÷ raw Lettuce + Jackson",
                                "target": "≤ 1.5×", "value": fmt_ratio(r), "verdict": verdict(r, 1.5, False),
                                "key": ("alloc", p), "ratio": r, "goal": 1.5})


def get_many_section(res, out, targets):
    out.append("## getMany(100) vs 100 single gets\n")
    out.append("One thread. One operation = reading the same 100 keys, either with one `getMany` (one MGET) or "
               "with 100 blocking `get`s. Speed-up = getMany operations/s ÷ 100-gets operations/s (medians).\n")
    out.append("| implementation | payload | getMany(100) ops/s | µs per batch | 100 single gets ops/s | µs per batch | speed-up |")
    out.append("|---|---|---:|---:|---:|---:|---:|")
    for payload in ("product", "string"):
        for impl in IMPL_ORDER:
            m = res.find("GetManyBenchmark.getMany100", impl=impl, payload=payload)
            g = res.find("GetManyBenchmark.get100Single", impl=impl, payload=payload)
            if m is None and g is None:
                continue
            label = IMPL_LABELS[impl].replace("Product.class", "String.class") if payload == "string" else IMPL_LABELS[impl]
            out.append(f"| {label} | {payload} | {fmt_score(m, 1)} | {fmt(latency_us(m), 0)} | {fmt_score(g, 1)} | "
                       f"{fmt(latency_us(g), 0)} | {fmt_ratio(ratio(score(m), score(g)), noisy(m, g))} |")
    out.append("")
    ckm = res.find("GetManyBenchmark.getMany100", impl="cachekit", payload="product")
    ckg = res.find("GetManyBenchmark.get100Single", impl="cachekit", payload="product")
    ltm = res.find("GetManyBenchmark.getMany100", impl="lettuce", payload="product")
    if ckm and ltm:
        out.append(f"CacheKit `getMany(100)` ÷ raw Lettuce MGET + Jackson (products): "
                   f"{fmt_ratio(ratio(score(ckm), score(ltm)), noisy(ckm, ltm))}.\n")
    for payload, m, g in (("product", ckm, ckg),
                          ("string", res.find("GetManyBenchmark.getMany100", impl="cachekit", payload="string"),
                           res.find("GetManyBenchmark.get100Single", impl="cachekit", payload="string"))):
        r = ratio(score(m), score(g))
        targets.append({"name": f"getMany(100) ÷ 100 single gets, {payload} (CacheKit)", "target": "≥ 40×",
                        "value": fmt_ratio(r, noisy(m, g)), "verdict": verdict(r, 40, uncertainty=ratio_uncertainty(m, g)),
                        "key": ("getmany", payload),
                        "ratio": r, "goal": 40})


def async_section(res, out, targets):
    out.append("## Async: 1,000 gets in flight\n")
    out.append("One thread issues 1,000 non-blocking gets of products, then waits for all; score in gets per "
               "second. Default flushing everywhere (Lettuce auto-flush: each command written and flushed as it "
               "is issued, for CacheKit and raw Lettuce alike). One connection for CacheKit, raw Lettuce and "
               "Spring Data Redis (`RedisCache.retrieve`, reactive connection); Redisson uses its connection pool.\n")
    out.append("| implementation | gets/s | CacheKit ÷ this |")
    out.append("|---|---:|---:|")
    ckr = res.find("AsyncBenchmark.inFlight1000", impl="cachekit-async")
    ck = score(ckr)
    for impl in IMPL_ORDER:
        r = res.find("AsyncBenchmark.inFlight1000", impl=impl)
        if r is None:
            continue
        label = "CacheKit `backend.async().get`" if impl == "cachekit-async" else IMPL_LABELS[impl]
        if impl == "sdr":
            label = "Spring Data Redis `RedisCache.retrieve`"
        if impl == "redisson":
            label = "Redisson `RBucket.getAsync`"
        if impl == "lettuce":
            label = "raw Lettuce async + Jackson (`thenApply` decode)"
        rr = "—" if impl == "cachekit-async" else fmt_ratio(ratio(ck, score(r)), noisy(ckr, r))
        out.append(f"| {label} | {fmt_score(r)} | {rr} |")
    out.append("")
    lt = res.find("AsyncBenchmark.inFlight1000", impl="lettuce")
    r = ratio(ck, score(lt))
    targets.append({"name": "async, 1,000 in flight: CacheKit ÷ raw Lettuce async", "target": "≥ 0.9×",
                    "value": fmt_ratio(r, noisy(ckr, lt)), "verdict": verdict(r, 0.9, uncertainty=ratio_uncertainty(ckr, lt)), "key": ("async",), "ratio": r, "goal": 0.9})


def cacheable_section(res, out, targets):
    out.append("## `@Cacheable` hit through a Spring proxy\n")
    out.append("A minimal Spring Boot application (`@EnableCaching`, auto-configuration, no web server), one "
               "thread calling a `@Cacheable` service method whose result is cached (every call a hit; a miss "
               "fails the iteration). Spring side: Boot's `RedisCacheManager` (`spring.cache.type=redis`, Boot's "
               "defaults, JSON values through `GenericJacksonJsonRedisSerializer`). CacheKit side: the "
               "`CacheKitCacheManager` that `cache-spring-boot-starter` auto-configures from "
               "`app.cache.redis-url` (no actuator/Micrometer on the class path).\n")
    out.append("| cache manager | calls/s | avg µs |")
    out.append("|---|---:|---:|")
    sp = res.find("CacheableBenchmark.cacheableHit", manager="spring-redis")
    ck = res.find("CacheableBenchmark.cacheableHit", manager="cachekit-bridge")
    out.append(f"| Spring Boot `RedisCacheManager` | {fmt_score(sp)} | {fmt(latency_us(sp), 1)} |")
    out.append(f"| CacheKit bridge (`CacheKitCacheManager`) | {fmt_score(ck)} | {fmt(latency_us(ck), 1)} |")
    out.append("")
    r = ratio(score(ck), score(sp))
    out.append(f"CacheKit bridge ÷ Spring: {fmt_ratio(r, noisy(ck, sp))}.\n")
    targets.append({"name": "@Cacheable hit: CacheKit bridge ÷ Spring's RedisCacheManager", "target": "≥ 1.2×",
                    "value": fmt_ratio(r, noisy(ck, sp)), "verdict": verdict(r, 1.2, uncertainty=ratio_uncertainty(ck, sp)), "key": ("cacheable",), "ratio": r, "goal": 1.2})


def outage_answers(results_dir):
    """The exception each Spring outage case ended with, as printed by OutageBenchmark into the JMH log."""
    answers = {}
    path = os.path.join(results_dir, "jmh.log")
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                at = line.find("OUTAGE-ANSWER ")  # JMH may print it after "Iteration   1: "
                if at >= 0:
                    _, name, described = line[at:].rstrip("\n").split(" ", 2)
                    answers[name] = described
    return answers


def outage_section(res, out, targets, answers=None):
    out.append("## Outage: cost per call with Redis stopped\n")
    out.append("Each case starts its own `redis-server`, connects, writes and reads, then stops that server "
               "(nothing listens on the port any more) and waits until the client has noticed. CacheKit: every "
               "default (fail-open, 500 ms command timeout, circuit breaker), a few calls made first so the breaker "
               "is open; average time per call, every call must answer a miss / `false`. Spring: Boot's "
               "`RedisCacheManager` with Boot's defaults (Lettuce, no `spring.data.redis.timeout`, so Lettuce's "
               "60 s, commands queued while disconnected): single calls timed; the call ends with an exception "
               "(Spring's default `CacheErrorHandler` rethrows it to the `@Cacheable` caller).\n")
    out.append("| case | time per call | answer |")
    out.append("|---|---:|---|")
    g = res.find("OutageBenchmark.cachekitGetDown")
    s = res.find("OutageBenchmark.cachekitSetDown")
    d = res.find("OutageBenchmark.springBootDefaultsGetDown")
    f = res.find("OutageBenchmark.springBoot500msGetDown")

    def t(row):
        if row is None:
            return "n/a"
        unit = row["primaryMetric"]["scoreUnit"]
        v = score(row)
        if unit == "us/op":
            return f"{v:,.2f} µs"
        if unit == "ms/op":
            return f"{v / 1000:,.1f} s" if v >= 10_000 else f"{v:,.1f} ms"
        return f"{v} {unit}"

    out.append(f"| CacheKit `get`, fail-open, outage known | {t(g)} | empty `Optional` (a miss) |")
    out.append(f"| CacheKit `set`, fail-open, outage known | {t(s)} | `false` |")
    answers = answers or {}

    def a(name):
        described = answers.get(name)
        if not described:
            return "an exception (see the JMH log)"
        cls, _, msg = described.partition(": ")
        return f"`{cls.rsplit('.', 1)[-1]}`" + (f" ({msg})" if msg else "")

    out.append(f"| Spring Boot `RedisCache.get`, Boot's defaults | {t(d)} | {a('springBootDefaultsGetDown')} |")
    out.append(f"| Spring Boot `RedisCache.get`, `spring.data.redis.timeout=500ms` | {t(f)} | {a('springBoot500msGetDown')} |")
    out.append("")
    for name, row in (("get", g), ("set", s)):
        v = score(row)
        ok = None if v is None else v / 1000.0  # ms
        targets.append({"name": f"outage, CacheKit {name} once the outage is known", "target": "< 1 ms",
                        "value": "n/a" if v is None else f"{v:,.2f} µs",
                        "verdict": verdict(ok, 1, higher_is_better=False) if ok is None or SMOKE else ("**met**" if ok < 1 else "**missed**"),
                        "key": ("outage", name), "ratio": ok, "goal": 1})
    out.append("Once CacheKit knows Redis is down (Lettuce rejects commands while disconnected, and the breaker is "
               "open), a call costs about as much as building the miss; Spring's cache with Boot's defaults makes "
               "every caller wait for the full command timeout and then throws.\n")


def load_summary(results_dir):
    """Summarizes load.txt: how often something other than the benchmark was busy."""
    path = os.path.join(results_dir, "load.txt")
    if not os.path.exists(path):
        return None
    samples = []
    current = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("== "):
                parts = line.split()
                current = {"load1": float(parts[2]), "others": []}
                samples.append(current)
            elif current is not None and line.strip():
                pcpu, _, args = line.strip().partition(" ")
                try:
                    cpu = float(pcpu)
                except ValueError:
                    continue
                if cpu >= 20 and "benchmarks.jar" not in args and "redis-server" not in args \
                        and not args.startswith("ps "):
                    current["others"].append((cpu, args.split()[0].rsplit("/", 1)[-1]))
    if not samples:
        return None
    busy = [x for x in samples if x["others"]]
    names = sorted({name for x in busy for _, name in x["others"]})
    return {"samples": len(samples), "busy": len(busy), "names": names,
            "max_load": max(x["load1"] for x in samples)}


def env_section(env, rows, sizes, out, load=None):
    out.append("## How this was measured\n")
    jvm = next((r for r in rows if not r["_file"].endswith(OTHER_JVM_SUFFIX)), {})
    out.append(f"* Command: `{env.get('command', 'benchmarks/run.sh')}` (wall time {env.get('wall', 'n/a')}), "
               f"started {env.get('started', 'n/a')}.")
    out.append(f"* JVM: {jvm.get('vmName', 'n/a')} {jvm.get('vmVersion', '')} (JDK {jvm.get('jdkVersion', 'n/a')}), "
               f"`{jvm.get('jvm', '')}`; forked JVM arguments `{' '.join(jvm.get('jvmArgs', []))}`.")
    out.append(f"* JMH {jvm.get('jmhVersion', 'n/a')}: 1 fork per case, warm-up 5 × 1 s (8-thread get/set: 3 × 1 s, `-wi 3`), "
               "measurement 5 × 1 s (`@Warmup`/`@Measurement` on each class; outage: warm-up 2 × 1 s and "
               "3 × 1 s for CacheKit, single calls for Spring: 1 with "
               "Boot's defaults, 5 with a 500 ms timeout). Scores are the median of the 5 iterations (min–max shown), "
               "ratios are ratios of medians: short but honest settings, good for side-by-side ratios in one run, "
               "not for absolute numbers. The sections after the outage state their own settings.")
    pin = env.get("pin", "none")
    if pin != "none":
        out.append(f"* CPU placement: the one-thread round-trip cases (get/set at 1 thread, getMany, `@Cacheable`) run "
                   f"with redis-server pinned to CPU {pin} and the benchmark JVM pinning itself (`taskset`, every "
                   "thread) to the same CPU when measurement starts (warm-up runs unpinned so the JIT compiles on the "
                   "other CPU). Reason: on this 2-vCPU VM a round trip whose threads sit on different vCPUs pays a "
                   "slow cross-vCPU wake-up at each hop, and the scheduler flips between placements at random: the "
                   "same client measured ~8,000 or ~35,000 gets/s from one iteration to the next. On one CPU every "
                   "client pays the same local context switches, so the differences between clients show. The "
                   "8-thread, async and outage cases use every CPU, unpinned (`PIN_CPU=none benchmarks/run.sh` "
                   "pins nothing).")
    out.append(f"* Redis: {env.get('redis_version', 'n/a')}, started by the script on 127.0.0.1:{env.get('port', '?')} "
               "with `--save \"\" --appendonly no`, on the same machine (loopback).")
    out.append(f"* Machine: {env.get('cpu', 'n/a')}, {env.get('cores', '?')} cores, {env.get('memory', 'n/a')}; "
               f"{env.get('os', '')}. Shared with other work, so absolute numbers vary between runs.")
    out.append("* Libraries: " + env.get("libraries", "n/a") + ".")
    if load:
        if load["busy"]:
            out.append(f"* Other work on the machine: in {load['busy']} of {load['samples']} samples (every 10 s) a "
                       f"process outside the benchmark used ≥ 20 % CPU ({', '.join(load['names'])}); highest 1-minute "
                       f"load average {load['max_load']:.2f}. Ratios marked † come from noisy cases.")
        else:
            out.append(f"* Other work on the machine: none seen in {load['samples']} samples (every 10 s); highest "
                       f"1-minute load average {load['max_load']:.2f} (the benchmark's own threads included).")
    if sizes:
        p = sizes.get("cachekit/product")
        pt = sizes.get("cachekit-object/product")
        sd = sizes.get("sdr/product")
        s = sizes.get("cachekit/string")
        out.append(f"* Payloads: `product` = a catalogue product with 12 tags, {p} bytes as plain JSON (CacheKit typed, "
                   f"raw Lettuce, Redisson), {pt} bytes with CacheKit's recorded class, {sd} bytes with Spring's "
                   f"`@class`; `string` = 100 ASCII characters, {s} bytes as a JSON string. Every implementation "
                   "stores the same values under its own key prefix.")
    out.append("* Every get must hit and every set must be acknowledged (`true`) or the iteration fails, so a "
               "fail-open client that silently failed cannot look fast.")
    if env.get("jmh_commands"):
        out.append("* JMH invocations (run by the script, in this order):\n")
        out.append("```")
        out.extend(env["jmh_commands"])
        out.append("```")
    out.append("")


def missed_section(res, targets):
    """For each missed throughput target, where the raw Lettuce floor puts the best reachable ratio."""
    lines = []
    for t in targets:
        if not t["verdict"].startswith("**missed**"):
            continue
        key = t["key"]
        if len(key) == 4:
            op, payload, threads, impl = key
            ck = res.find("GetSetBenchmark." + op, threads, impl="cachekit", payload=payload)
            fl = res.find("GetSetBenchmark." + op, threads, impl="lettuce", payload=payload)
            ot = res.find("GetSetBenchmark." + op, threads, impl=impl, payload=payload)
            c = ratio(score(ck), score(fl))
            cpu_ck, cpu_fl = cpu_us(ck), cpu_us(fl)
            tag = " (within noise of the goal)" if "within noise" in t["verdict"] else ""
            if impl == "lettuce":
                lines.append(f"* {t['name']}: {t['value']}{tag}. JVM CPU per operation: CacheKit {fmt(cpu_ck, 1)} µs, "
                             f"the floor {fmt(cpu_fl, 1)} µs.")
            else:
                x = ratio(score(ot), score(fl))
                best = None if x is None else round(1 / x, 2)  # judged as displayed
                reach = "" if best is None else (
                    f" A client exactly at the floor would reach {best:.2f}× — "
                    + ("below the goal too: the floor bounds it, not CacheKit." if best < t["goal"]
                       else "so CacheKit's distance from the floor matters here."))
                lines.append(f"* {t['name']}: {t['value']}{tag}. CacheKit runs at {fmt_ratio(c)} the raw-Lettuce floor, "
                             f"the other client at {fmt_ratio(x)} the floor.{reach}")
        elif key[0] == "getmany":
            payload = key[1]
            fm = res.find("GetManyBenchmark.getMany100", impl="lettuce", payload=payload)
            fg = res.find("GetManyBenchmark.get100Single", impl="lettuce", payload=payload)
            cm = res.find("GetManyBenchmark.getMany100", impl="cachekit", payload=payload)
            f = ratio(score(fm), score(fg))
            cg = res.find("GetManyBenchmark.get100Single", impl="cachekit", payload=payload)
            need = None if score(cg) is None else latency_us(cg) / t["goal"]
            lines.append(f"* {t['name']}: {t['value']}. {t['goal']:.0f}× would need a getMany(100) of at most "
                         f"{fmt(need, 0)} µs (100 CacheKit gets take {fmt(latency_us(cg), 0)} µs); the floor's own "
                         f"MGET + Jackson of the same 100 keys takes {fmt(latency_us(fm), 0)} µs (CacheKit's "
                         f"{fmt(latency_us(cm), 0)} µs), and raw Lettuce's speed-up is {fmt_ratio(f)}. "
                         + ("On loopback a round trip is too cheap next to reading and decoding 100 values for the "
                            "goal to be reachable, even by the floor."
                            if need is not None and latency_us(fm) is not None and latency_us(fm) > need
                            else "The floor's MGET would be fast enough: CacheKit's getMany overhead is what misses."))
        else:
            lines.append(f"* {t['name']}: {t['value']}.")
    diag = []
    for op, payload in (("get", "product"), ("set", "string")):
        ck = res.find("GetSetBenchmark." + op, 1, impl="cachekit", payload=payload)
        nt = res.find("GetSetBenchmark." + op, 1, impl="cachekit-lettucetimeouts", payload=payload)
        fl = res.find("GetSetBenchmark." + op, 1, impl="lettuce", payload=payload)
        if ck is None or nt is None or fl is None:
            continue
        diag.append(f"| {op}, {payload}, 1 thread | {fmt_ratio(ratio(score(ck), score(fl)), noisy(ck, fl))} | "
                    f"{fmt_ratio(ratio(score(nt), score(fl)), noisy(nt, fl))} | {fmt(cpu_us(ck), 1)} / "
                    f"{fmt(cpu_us(nt), 1)} / {fmt(cpu_us(fl), 1)} | {fmt(alloc(ck))} / {fmt(alloc(nt))} / {fmt(alloc(fl))} |")
    if diag:
        lines += ["",
                  "What bounding every command costs, at one thread. CacheKit bounds each command by its command "
                  "timeout with `CommandDeadlines`: one FIFO queue of (deadline, command) per backend, swept by one "
                  "periodic task (all commands share one timeout, so send order is expiry order), with Lettuce's "
                  "per-command timers turned off. Lettuce's default options, which the raw floor runs with, arm one "
                  "`HashedWheelTimer` timeout per command in `CommandExpiryWriter` (at the URI timeout, 60 s) and "
                  "cancel it on completion. The *diagnostic* `cachekit-lettucetimeouts` is CacheKit with those timers "
                  "turned back on at 500 ms through `clientOptions(...)`, so the difference between the first two "
                  "columns is what those timers cost (CacheKit used them before `CommandDeadlines`):\n",
                  "| case | CacheKit ÷ floor | with Lettuce's timers ÷ floor | JVM CPU µs/op (CacheKit / with timers / floor) | B/op (CacheKit / with timers / floor) |",
                  "|---|---:|---:|---:|---:|"] + diag
    obs = []
    for op, payload in (("get", "product"), ("set", "string")):
        ck = res.find("GetSetBenchmark." + op, 1, impl="cachekit", payload=payload)
        ob = res.find("GetSetBenchmark." + op, 1, impl="cachekit-observed", payload=payload)
        fl = res.find("GetSetBenchmark." + op, 1, impl="lettuce", payload=payload)
        if ck is None or ob is None or fl is None:
            continue
        obs.append(f"| {op}, {payload}, 1 thread | {fmt_ratio(ratio(score(ck), score(fl)), noisy(ck, fl))} | "
                   f"{fmt_ratio(ratio(score(ob), score(fl)), noisy(ob, fl))} | {fmt(cpu_us(ck), 1)} / "
                   f"{fmt(cpu_us(ob), 1)} | {fmt(alloc(ck))} / {fmt(alloc(ob))} |")
    if obs:
        lines += ["",
                  "What observations cost, at one thread. Without an `ObservationRegistry` bean the starter's "
                  "backend is the plain `RedisCacheBackend` (`cachekit`: observations off cost nothing). "
                  "`cachekit-observed` is the same backend behind the starter's observation decorator, with "
                  "the meter handlers the starter and Spring Boot's actuator register (CacheKit's timer handler first, "
                  "then Micrometer's default one, in one first-match group):\n",
                  "| case | CacheKit ÷ floor | observed ÷ floor | JVM CPU µs/op (plain / observed) | B/op (plain / observed) |",
                  "|---|---:|---:|---:|---:|"] + obs
    if not lines:
        return []
    return ["## Where the missed targets stand against the floor\n",
            "Computed from the same run: the raw-Lettuce floor (`lettuce`) is what any Lettuce-based client can "
            "at best reach, so a goal that even the floor does not reach against another client is bounded by "
            "the machine and the protocol, not by CacheKit.\n"] + lines + [""]


SMOKE_BANNER = ("> **Smoke run (`benchmarks/run.sh --quick`): a check that every case runs, not a measurement.** "
                "Each case had a few seconds of warm-up and one short iteration, so its numbers and ratios can be far "
                "from a full run's; no target is judged. Measure with `benchmarks/run.sh`.\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results_dir")
    ap.add_argument("--results", required=True)
    ap.add_argument("--summary", required=True)
    ap.add_argument("--smoke", action="store_true",
                    help="a quick run (run.sh --quick): every table says so and no target gets a verdict")
    ap.add_argument("--only", choices=["near"],
                    help="a run of only these sections (run.sh --only near): write just them, leave the summary alone")
    args = ap.parse_args()
    global SMOKE
    SMOKE = args.smoke

    # the near cache and stampede sections live in report_near.py, which uses the helpers above
    from report_near import near_sections
    from report_limits import limit_sections
    from report_features import feature_sections
    import report as imported  # report_near's copy of this module (this one runs as __main__)
    imported.SMOKE = SMOKE
    rows = load(args.results_dir)
    if not rows:
        print("no JMH results in " + args.results_dir, file=sys.stderr)
        return 1
    env = {}
    env_path = os.path.join(args.results_dir, "env.json")
    if os.path.exists(env_path):
        with open(env_path, encoding="utf-8") as f:
            env = json.load(f)
    sizes = {}
    sizes_path = os.path.join(args.results_dir, "payload-sizes.json")
    if os.path.exists(sizes_path):
        with open(sizes_path, encoding="utf-8") as f:
            sizes = json.load(f)

    res = Results(rows)
    body = []
    targets = []
    if args.only == "near":
        return write_near_only(res, args, env, rows, sizes, near_sections)
    get_set_section(res, body, targets)
    get_many_section(res, body, targets)
    async_section(res, body, targets)
    cacheable_section(res, body, targets)
    alloc_section(res, body, targets)
    outage_section(res, body, targets, outage_answers(args.results_dir))
    limit_sections(res, args.results_dir, body, targets)
    near_sections(res, args.results_dir, body, targets)
    feature_sections(res, args.results_dir, body, targets)

    out = ["# CacheKit benchmarks — results\n",
           "Written by `benchmarks/run.sh` (do not edit by hand: the next run rewrites it). All implementations "
           "ran against the same Redis, with the same payloads and the same JVM settings, in one run; every ratio "
           "below compares numbers from that run.\n"]
    if SMOKE:
        out.append(SMOKE_BANNER)
    out.append("## Targets\n")
    out.append("| target | goal | measured | |")
    out.append("|---|---:|---:|---|")
    for t in targets:
        out.append(f"| {t['name']} | {t['target']} | {t['value']} | {t['verdict']} |")
    met = sum(1 for t in targets if t["verdict"].startswith("**met**"))
    judged = sum(1 for t in targets if t["verdict"].startswith(("**met**", "**missed**")))
    close = sum(1 for t in targets if "within noise" in t["verdict"])
    out.append("")
    out.append(("Smoke run: no target judged. " if SMOKE else f"{met} of {judged} met; {close} of the verdicts are within noise: the goal lies inside the ratio's "
               "uncertainty (half the interquartile range of each side's iterations, combined), so another run may "
               "flip them. ") + ("† = a side's iterations spread by more than 1.5×. For `set`, Spring Data Redis' default cache "
               "writer does not wait for Redis (its `put` only queues the command), while CacheKit's `set` answers "
               "whether Redis stored the value: the like-for-like comparison is the `immediateWrites()` row; the "
               "default writer's number is a queueing rate, shown but not judged. At 8 threads the default writer "
               "could not be measured at all: its backlog grew without bound and the benchmark JVM ran out of its "
               "1 GB heap within seconds, for both payloads.\n"))
    out.extend(missed_section(res, targets))
    out.extend(body)
    env_section(env, rows, sizes, out, load_summary(args.results_dir))
    with open(args.results, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip() + "\n")

    # README summary: the headline ratios only
    def r(*key):
        for t in targets:
            if t["key"] == key:
                return t["value"]
        return "n/a"

    s = ([SMOKE_BANNER] if SMOKE else []) + ["<!-- generated by benchmarks/run.sh; full table, method and versions in benchmarks/RESULTS.md -->",
         "| CacheKit vs … (products, ~1 KB JSON) | get, 1 thread | get, 8 threads | set, 1 thread | set, 8 threads |",
         "|---|---:|---:|---:|---:|",
         f"| raw Lettuce + Jackson (the floor) | {r('get', 'product', 1, 'lettuce')} | {r('get', 'product', 8, 'lettuce')} "
         f"| {r('set', 'product', 1, 'lettuce')} | {r('set', 'product', 8, 'lettuce')} |",
         f"| Spring Data Redis `RedisCache` | {r('get', 'product', 1, 'sdr')} | {r('get', 'product', 8, 'sdr')} "
         f"| {r('set', 'product', 1, 'sdr-immediate')}¹ | {r('set', 'product', 8, 'sdr-immediate')}¹ |",
         f"| Redisson `RBucket` | {r('get', 'product', 1, 'redisson')} | {r('get', 'product', 8, 'redisson')} "
         f"| {r('set', 'product', 1, 'redisson')} | {r('set', 'product', 8, 'redisson')} |",
         "",
         "| other measurements | result |",
         "|---|---:|",
         f"| `getMany(100)` vs 100 single gets (products / strings) | {r('getmany', 'product')} / {r('getmany', 'string')} faster |",
         f"| 1,000 async gets in flight vs raw Lettuce | {r('async')} |",
         f"| get, 1 thread, vs `redis-benchmark -c 1` (the limit) | {r('limit', 'get-c1')} |",
         f"| 1,000 virtual threads (blocking `get`, JDK 25) vs 1,000 async gets in flight | {r('vthreads')} |",
         f"| `@Cacheable` hit vs Spring's `RedisCacheManager` | {r('cacheable')} |",
         f"| allocation per get vs raw Lettuce + Jackson | {r('alloc', 'product')} |",
         f"| call during a Redis outage (fail-open, outage known) | {r('outage', 'get')} per get |",
         f"| near-cache hit: bare Caffeine ÷ it / it ÷ a Redis get | {r('near', 'hit-caffeine')} / {r('near', 'hit-redis')} |",
         f"| near cache vs none, 4 threads: 99% / 50% writes Zipfian | {r('near', 'zipf99')} / {r('near', 'zipf50')} |",
         f"| time of a read of a tagged entry ÷ a plain read | {r('tags', 'read')} |",
         f"| `invalidateTag` vs `invalidatePattern`, 100,000 entries | {r('tags', 'invalidate')} faster |",
         f"| one `@BulkCacheable` call vs 100 `@Cacheable` calls, all hits (products / strings) | "
         f"{r('bulk', 'product')} / {r('bulk', 'string')} faster |",
         "",
         f"{met} of {judged} targets met ({close} of the verdicts within noise); for each miss, RESULTS.md computes "
         "where the raw-Lettuce floor itself stands against the same client, i.e. how much of the gap any "
         "Lettuce-based client could close. "
         "Ratios are throughput ÷ throughput (allocation: bytes ÷ bytes) measured in the same run on one machine "
         "against a local Redis (one-thread cases on one pinned CPU). ¹ against Spring's `immediateWrites()` "
         "writer, which like CacheKit waits for Redis; Spring's default writer does not wait (see RESULTS.md). "
         "† a noisy case. One short run on a small shared VM: differences under about 10 % are within run-to-run "
         "noise. Reproduce with `benchmarks/run.sh`.",
         ]
    with open(args.summary, "w", encoding="utf-8") as f:
        f.write("\n".join(s) + "\n")
    print(f"wrote {args.results} and {args.summary}: {met}/{judged} targets met")
    return 0


def write_near_only(res, args, env, rows, sizes, near_sections):
    """RESULTS.md of a run of the near cache and stampede sections only (their targets first)."""
    body = []
    targets = []
    near_sections(res, args.results_dir, body, targets)
    out = ["# CacheKit benchmarks — near cache and stampede sections only\n",
           f"Written by `{env.get('command', 'benchmarks/run.sh --only near')}`; a full `benchmarks/run.sh` writes "
           "these sections into benchmarks/RESULTS.md with the rest.\n", "## Targets\n",
           "| target | goal | measured | |", "|---|---:|---:|---|"]
    for t in targets:
        out.append(f"| {t['name']} | {t['target']} | {t['value']} | {t['verdict']} |")
    out.append("")
    out.extend(body)
    how = []
    env_section(env, rows, sizes, how, load_summary(args.results_dir))
    # the lines about the get/set cases' settings, CPU pinning and payloads do not apply here
    core_only = ("* JMH ", "* CPU placement", "* Payloads", "* Every get must hit")
    out.extend(line for line in how if not line.startswith(core_only) or line.startswith("* JMH invocations"))
    with open(args.results, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip() + "\n")
    print(f"wrote {args.results} (near cache and stampede sections only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
