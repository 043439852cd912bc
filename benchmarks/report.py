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
    "cachekit": "CacheKit `RedisCacheBackend` (sync, `json(Product.class)`)",
    "cachekit-async": "CacheKit `backend.async()` (each future joined)",
    "cachekit-object": "CacheKit (sync, `json(trustedPackages)`: records the class)",
    "lettuce": "raw Lettuce 7 + Jackson 3 (the floor)",
    "sdr": "Spring Data Redis `RedisCache`, default writer (async puts)",
    "sdr-immediate": "Spring Data Redis `RedisCache`, `immediateWrites()`",
    "redisson": "Redisson 4 `RBucket`, `TypedJsonJackson3Codec`",
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


class Results:
    def __init__(self, rows):
        self.rows = rows

    def find(self, benchmark, threads=None, **params):
        for r in self.rows:
            if r["benchmark"] != PKG + benchmark:
                continue
            if threads is not None and r["threads"] != threads:
                continue
            if all(r.get("params", {}).get(k) == v for k, v in params.items()):
                return r
        return None


def score(row):
    return None if row is None else row["primaryMetric"]["score"]


def err(row):
    if row is None:
        return None
    e = row["primaryMetric"].get("scoreError")
    return None if e is None or (isinstance(e, float) and math.isnan(e)) else e


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
    s = score(row)
    if s is None:
        return "n/a"
    e = err(row)
    if e is None:
        return fmt(s, digits)
    return f"{fmt(s, digits)} ± {fmt(e, digits)}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "n/a" if r is None else f"{r:.2f}×"


def verdict(value, target, higher_is_better=True):
    if value is None:
        return "not measured"
    ok = value >= target if higher_is_better else value <= target
    return "**met**" if ok else "**missed**"


def latency_us(row):
    """Average latency in µs of a closed-loop throughput run: threads / throughput."""
    s = score(row)
    if s is None or s == 0:
        return None
    return row["threads"] / s * 1e6


def get_set_section(res, out, targets):
    out.append("## Get hit and set with TTL\n")
    out.append("One blocking call per operation, each a round trip to the same Redis. Throughput in "
               "operations per second (± the 99.9 % confidence half-width JMH reports over the measurement "
               "iterations). Average latency is `threads / throughput` (closed loop, no think time: the same "
               "number JMH's `avgt` mode would report). `vs` columns: CacheKit (sync, typed) throughput divided "
               "by that implementation's, in the same run.\n")
    for payload in ("product", "string"):
        for op in ("get", "set"):
            out.append(f"### {op} — {payload} payload\n")
            out.append("| implementation | 1 thread ops/s | avg µs | 8 threads ops/s | avg µs | CacheKit ÷ this, 1 t | CacheKit ÷ this, 8 t |")
            out.append("|---|---:|---:|---:|---:|---:|---:|")
            ck1 = res.find("GetSetBenchmark." + op, 1, impl="cachekit", payload=payload)
            ck8 = res.find("GetSetBenchmark." + op, 8, impl="cachekit", payload=payload)
            for impl in IMPL_ORDER:
                r1 = res.find("GetSetBenchmark." + op, 1, impl=impl, payload=payload)
                r8 = res.find("GetSetBenchmark." + op, 8, impl=impl, payload=payload)
                if r1 is None and r8 is None:
                    continue
                rat1 = "—" if impl == "cachekit" else fmt_ratio(ratio(score(ck1), score(r1)))
                rat8 = "—" if impl == "cachekit" else fmt_ratio(ratio(score(ck8), score(r8)))
                out.append(f"| {IMPL_LABELS[impl]} | {fmt_score(r1)} | {fmt(latency_us(r1), 1)} | "
                           f"{fmt_score(r8)} | {fmt(latency_us(r8), 1)} | {rat1} | {rat8} |")
            out.append("")
    # targets
    for payload in ("product", "string"):
        for op in ("get", "set"):
            for threads in (1, 8):
                ck = score(res.find("GetSetBenchmark." + op, threads, impl="cachekit", payload=payload))
                checks = [("lettuce", 0.95, "raw Lettuce + Jackson")]
                sdr_target = 1.1 if threads == 1 else 1.25
                checks.append(("sdr", sdr_target, "Spring Data Redis `RedisCache`"))
                if op == "set":
                    checks.append(("sdr-immediate", sdr_target, "Spring Data Redis `RedisCache`, immediate writes"))
                checks.append(("redisson", 1.15 if threads == 1 else 1.5, "Redisson"))
                for impl, target, label in checks:
                    other = score(res.find("GetSetBenchmark." + op, threads, impl=impl, payload=payload))
                    r = ratio(ck, other)
                    targets.append({
                        "name": f"{op}, {payload}, {threads} thread{'s' if threads > 1 else ''}: CacheKit vs {label}",
                        "target": f"≥ {target}×", "value": fmt_ratio(r), "verdict": verdict(r, target),
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
    out.append("One thread, products. One operation = reading the same 100 keys, either with one `getMany` "
               "(one MGET) or with 100 blocking `get`s. Speed-up = getMany operations/s ÷ 100-gets operations/s.\n")
    out.append("| implementation | getMany(100) ops/s | µs per batch | 100 single gets ops/s | µs per batch | speed-up |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for impl in IMPL_ORDER:
        m = res.find("GetManyBenchmark.getMany100", impl=impl)
        s = res.find("GetManyBenchmark.get100Single", impl=impl)
        if m is None and s is None:
            continue
        out.append(f"| {IMPL_LABELS[impl]} | {fmt_score(m, 1)} | {fmt(latency_us(m), 0)} | {fmt_score(s, 1)} | "
                   f"{fmt(latency_us(s), 0)} | {fmt_ratio(ratio(score(m), score(s)))} |")
    ck = ratio(score(res.find("GetManyBenchmark.getMany100", impl="cachekit")),
               score(res.find("GetManyBenchmark.get100Single", impl="cachekit")))
    lt_many = score(res.find("GetManyBenchmark.getMany100", impl="lettuce"))
    ck_many = score(res.find("GetManyBenchmark.getMany100", impl="cachekit"))
    out.append("")
    if lt_many and ck_many:
        out.append(f"CacheKit `getMany(100)` ÷ raw Lettuce MGET + Jackson: {fmt_ratio(ratio(ck_many, lt_many))}.\n")
    targets.append({"name": "getMany(100) ÷ 100 single gets (CacheKit)", "target": "≥ 40×",
                    "value": fmt_ratio(ck), "verdict": verdict(ck, 40), "key": ("getmany",), "ratio": ck, "goal": 40})


def async_section(res, out, targets):
    out.append("## Async: 1,000 gets in flight\n")
    out.append("One thread issues 1,000 non-blocking gets of products, then waits for all; score in gets per "
               "second. Default flushing everywhere (Lettuce auto-flush: each command written and flushed as it "
               "is issued, for CacheKit and raw Lettuce alike). One connection for CacheKit, raw Lettuce and "
               "Spring Data Redis (`RedisCache.retrieve`, reactive connection); Redisson uses its connection pool.\n")
    out.append("| implementation | gets/s | CacheKit ÷ this |")
    out.append("|---|---:|---:|")
    ck = score(res.find("AsyncBenchmark.inFlight1000", impl="cachekit-async"))
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
        rr = "—" if impl == "cachekit-async" else fmt_ratio(ratio(ck, score(r)))
        out.append(f"| {label} | {fmt_score(r)} | {rr} |")
    out.append("")
    r = ratio(ck, score(res.find("AsyncBenchmark.inFlight1000", impl="lettuce")))
    targets.append({"name": "async, 1,000 in flight: CacheKit ÷ raw Lettuce async", "target": "≥ 0.9×",
                    "value": fmt_ratio(r), "verdict": verdict(r, 0.9), "key": ("async",), "ratio": r, "goal": 0.9})


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
    out.append(f"CacheKit bridge ÷ Spring: {fmt_ratio(r)}.\n")
    targets.append({"name": "@Cacheable hit: CacheKit bridge ÷ Spring's RedisCacheManager", "target": "≥ 1.2×",
                    "value": fmt_ratio(r), "verdict": verdict(r, 1.2), "key": ("cacheable",), "ratio": r, "goal": 1.2})


def outage_section(res, out, targets):
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
        v = row["primaryMetric"]["score"]
        if unit == "us/op":
            return f"{v:,.2f} µs"
        if unit == "ms/op":
            return f"{v / 1000:,.1f} s" if v >= 10_000 else f"{v:,.1f} ms"
        return f"{v} {unit}"

    out.append(f"| CacheKit `get`, fail-open, outage known | {t(g)} | empty `Optional` (a miss) |")
    out.append(f"| CacheKit `set`, fail-open, outage known | {t(s)} | `false` |")
    out.append(f"| Spring Boot `RedisCache.get`, Boot's defaults | {t(d)} | exception (`QueryTimeoutException`/`RedisCommandTimeoutException`) |")
    out.append(f"| Spring Boot `RedisCache.get`, `spring.data.redis.timeout=500ms` | {t(f)} | exception after the timeout |")
    out.append("")
    for name, row in (("get", g), ("set", s)):
        v = score(row)
        ok = None if v is None else v / 1000.0  # ms
        targets.append({"name": f"outage, CacheKit {name} once the outage is known", "target": "< 1 ms",
                        "value": "n/a" if v is None else f"{v:,.2f} µs",
                        "verdict": "not measured" if ok is None else ("**met**" if ok < 1 else "**missed**"),
                        "key": ("outage", name), "ratio": ok, "goal": 1})
    dv = score(d)
    gv = score(g)
    if dv is not None and gv:
        out.append(f"Spring with Boot's defaults ÷ CacheKit, per call: {dv * 1000 / gv:,.0f}×.\n")


def env_section(env, rows, sizes, out):
    out.append("## How this was measured\n")
    jvm = rows[0] if rows else {}
    out.append(f"* Command: `{env.get('command', 'benchmarks/run.sh')}` (wall time {env.get('wall', 'n/a')}), "
               f"started {env.get('started', 'n/a')}.")
    out.append(f"* JVM: {jvm.get('vmName', 'n/a')} {jvm.get('vmVersion', '')} (JDK {jvm.get('jdkVersion', 'n/a')}), "
               f"`{jvm.get('jvm', '')}`; forked JVM arguments `{' '.join(jvm.get('jvmArgs', []))}`.")
    out.append(f"* JMH {jvm.get('jmhVersion', 'n/a')}: 1 fork per case, warm-up 2 × 1 s, measurement 3 × 2 s "
               "(`@Warmup`/`@Measurement` on each class; the outage single shots: 1 call with Boot's defaults, 5 "
               "with a 500 ms timeout). Short but honest: fine for ratios measured side by side in one run, not "
               "for absolute numbers; the ± is JMH's 99.9 % half-width over 3 iterations.")
    out.append(f"* Redis: {env.get('redis_version', 'n/a')}, started by the script on 127.0.0.1:{env.get('port', '?')} "
               "with `--save \"\" --appendonly no`, on the same machine (loopback).")
    out.append(f"* Machine: {env.get('cpu', 'n/a')}, {env.get('cores', '?')} cores, {env.get('memory', 'n/a')}; "
               f"{env.get('os', '')}. Shared with other work, so absolute numbers vary between runs.")
    out.append("* Libraries: " + env.get("libraries", "n/a") + ".")
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results_dir")
    ap.add_argument("--results", required=True)
    ap.add_argument("--summary", required=True)
    args = ap.parse_args()

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
    get_set_section(res, body, targets)
    get_many_section(res, body, targets)
    async_section(res, body, targets)
    cacheable_section(res, body, targets)
    alloc_section(res, body, targets)
    outage_section(res, body, targets)

    out = ["# CacheKit benchmarks — results\n",
           "Written by `benchmarks/run.sh` (do not edit by hand: the next run rewrites it). All implementations "
           "ran against the same Redis, with the same payloads and the same JVM settings, in one run; every ratio "
           "below compares numbers from that run.\n"]
    out.append("## Targets\n")
    out.append("| target | goal | measured | |")
    out.append("|---|---:|---:|---|")
    for t in targets:
        out.append(f"| {t['name']} | {t['target']} | {t['value']} | {t['verdict']} |")
    met = sum(1 for t in targets if t["verdict"] == "**met**")
    out.append("")
    out.append(f"{met} of {len(targets)} met. For `set`, Spring Data Redis' default cache writer does not wait for "
               "Redis (fire-and-forget `put`), while CacheKit's `set` answers whether Redis stored the value; the "
               "like-for-like comparison is the `immediateWrites()` row.\n")
    out.extend(body)
    env_section(env, rows, sizes, out)
    with open(args.results, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip() + "\n")

    # README summary: the headline ratios only
    def r(*key):
        for t in targets:
            if t["key"] == key:
                return t["value"]
        return "n/a"

    s = ["<!-- generated by benchmarks/run.sh; full table, method and versions in benchmarks/RESULTS.md -->",
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
         f"| `getMany(100)` vs 100 single gets | {r('getmany')} faster |",
         f"| 1,000 async gets in flight vs raw Lettuce | {r('async')} |",
         f"| `@Cacheable` hit vs Spring's `RedisCacheManager` | {r('cacheable')} |",
         f"| allocation per get vs raw Lettuce + Jackson | {r('alloc', 'product')} |",
         f"| call during a Redis outage (fail-open, outage known) | {r('outage', 'get')} per get |",
         "",
         "Ratios are throughput ÷ throughput (allocation: bytes ÷ bytes) measured in the same run on one machine "
         "against a local Redis. ¹ against Spring's `immediateWrites()` writer, which like CacheKit waits for "
         "Redis; Spring's default writer does not wait (see RESULTS.md). Reproduce with `benchmarks/run.sh`.",
         ]
    with open(args.summary, "w", encoding="utf-8") as f:
        f.write("\n".join(s) + "\n")
    print(f"wrote {args.results} and {args.summary}: {met}/{len(targets)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
