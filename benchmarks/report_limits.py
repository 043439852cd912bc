"""The limit and the new load shapes in RESULTS.md, from one benchmarks/run.sh run (see report.py).

redis-benchmark (Redis's own C client) against the run's Redis, GET and SET of a value of the product
payload's size, with one connection (-c 1), eight (-c 8) and one connection pipelining 16 commands
(-c 1 -P 16), each round's --csv in redis-benchmark-SHAPE-ROUND.csv; and 1,000 virtual threads calling
the blocking face against 1,000 async gets in flight, both on JDK 25 (jmh-vthreads.json,
jmh-async-jdk25.json) with JFR's jdk.VirtualThreadPinned events counted (vthreads-pinned.txt).
"""

import csv
import glob
import json
import os
import re

from report import (conditions, fmt, fmt_ratio, fmt_score, noisy, ratio, ratio_uncertainty, score, values_row,
                    verdict)

SHAPES = [
    # shape, redis-benchmark arguments, where it ran, the CacheKit case it bounds
    ("c1", "`-c 1`", "redis-server and redis-benchmark on the one CPU of the one-thread cases",
     "get/set, product, 1 thread"),
    ("c8", "`-c 8`", "every CPU, as the 8-thread cases", "get/set, product, 8 threads"),
    ("p16", "`-c 1 -P 16`", "every CPU, as the async case", "1,000 async gets in flight (GET only)"),
]

VTHREADS_FILE = "jmh-vthreads.json"
ASYNC_FILE = "jmh-async-jdk25.json"


def redis_benchmark_rounds(results_dir):
    """{shape: {"GET": [requests/s per round], "SET": [...]}} from the --csv files of the run."""
    rounds = {}
    for path in sorted(glob.glob(os.path.join(results_dir, "redis-benchmark-*-*.csv"))):
        shape = os.path.basename(path)[len("redis-benchmark-"):].rsplit("-", 1)[0]
        with open(path, encoding="utf-8") as f:
            for line in csv.DictReader(f):
                if line.get("test") and line.get("rps"):
                    rounds.setdefault(shape, {}).setdefault(line["test"], []).append(float(line["rps"]))
    return rounds


def pinned_events(results_dir):
    """(count, {reason: count}) of the jdk.VirtualThreadPinned events printed by `jfr print`, or None."""
    path = os.path.join(results_dir, "vthreads-pinned.txt")
    if not os.path.exists(path):
        return None
    count = 0
    reasons = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("jdk.VirtualThreadPinned"):
                count += 1
            m = re.match(r'\s*pinnedReason = "(.*)"', line)
            if m:
                reasons[m.group(1)] = reasons.get(m.group(1), 0) + 1
    return count, reasons


def read_env(results_dir):
    path = os.path.join(results_dir, "env.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def redis_benchmark_section(res, results_dir, out, targets):
    rounds = redis_benchmark_rounds(results_dir)
    out.append("## The limit: `redis-benchmark` on the same Redis\n")
    out.append("`redis-benchmark` (Redis's own C client, no decoding, no futures) against the run's Redis: "
               "`-t set,get` with values of the product payload's size (`-d`, the bytes CacheKit stores for a "
               "product), keys spread over 256 (`-r 256`, the JMH keyspace's size), `--csv`; each shape run "
               "several times (rounds), the median shown with min–max. It sets a ceiling no Java client reaches: "
               "`CacheKit ÷ limit` says how much of it CacheKit gets, `floor ÷ limit` how much raw Lettuce + "
               "Jackson gets, both from the JMH cases of the same run placed on the CPUs as the shape was (the "
               "8-thread cases are 8 calling threads on each client's connections; `-c 8` is one redis-benchmark "
               "thread driving 8 connections, one request each in flight).\n")
    if not rounds:
        out.append("Not measured in this run (redis-benchmark not found).\n")
    out.append("| shape | placement | bounds | GET/s | CacheKit ÷ limit | floor ÷ limit | SET/s | CacheKit ÷ limit | floor ÷ limit |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|")
    cells = {}
    env = read_env(results_dir)
    for shape, args, placement, bounds in SHAPES:
        if shape == "c1" and env.get("pin", "none") == "none":
            placement = "unpinned (`PIN_CPU=none` or one CPU only), as the one-thread cases"
        row = [f"{args}", placement, bounds]
        for op, test in (("get", "GET"), ("set", "SET")):
            limit = values_row(rounds.get(shape, {}).get(test, []))
            if shape == "p16":
                ck = res.find("AsyncBenchmark.inFlight1000", impl="cachekit-async") if op == "get" else None
                fl = res.find("AsyncBenchmark.inFlight1000", impl="lettuce") if op == "get" else None
            else:
                threads = 1 if shape == "c1" else 8
                ck = res.find("GetSetBenchmark." + op, threads, impl="cachekit", payload="product")
                fl = res.find("GetSetBenchmark." + op, threads, impl="lettuce", payload="product")
            c = ratio(score(ck), score(limit))
            cells[(shape, op)] = (c, ck, limit)
            row += [fmt_score(limit), fmt_ratio(c, noisy(ck, limit)), fmt_ratio(ratio(score(fl), score(limit)), noisy(fl, limit))]
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    c, ck, limit = cells[("c1", "get")]
    targets.append({"name": "get, product, 1 thread: CacheKit ÷ `redis-benchmark -c 1` GET (the limit)",
                    "target": "≥ 0.9×", "value": fmt_ratio(c, noisy(ck, limit)),
                    "verdict": verdict(c, 0.9, uncertainty=ratio_uncertainty(ck, limit)),
                    "key": ("limit", "get-c1"), "ratio": c, "goal": 0.9})


def vthreads_section(res, results_dir, out, targets):
    vt = res.find("VirtualThreadBenchmark.blockingGets1000", source=VTHREADS_FILE)
    asy = res.find("AsyncBenchmark.inFlight1000", source=ASYNC_FILE, impl="cachekit-async")
    pinned = pinned_events(results_dir)
    out.append("## 1,000 virtual threads on the blocking face\n")
    out.append("`VirtualThreadBenchmark`: each operation starts 1,000 virtual threads "
               "(`Executors.newVirtualThreadPerTaskExecutor()`), each making one blocking `CacheBackend.get` of a "
               "product, and waits for them all (starting the threads is measured: a thread per request is how they "
               "are used); against `AsyncBenchmark`'s 1,000 gets in flight through `backend.async()` from one "
               "thread. Both on one connection of the run's Redis, every CPU, and both on JDK 25 (the suite compiles "
               "for Java 17 and finds virtual threads at run time), each JVM recording JFR with "
               "`jdk.VirtualThreadPinned` at threshold 0; the pinned events of the virtual-thread run are counted "
               "with `jfr print --events jdk.VirtualThreadPinned`.\n")
    ran = os.path.exists(os.path.join(results_dir, VTHREADS_FILE))
    why = "the case failed (see jmh.log)" if ran else "no JDK 25 (run.sh looks under /usr/lib/jvm, or set `JAVA25`)"
    if vt is None:
        out.append(f"Not measured in this run: {why}.\n")
    else:
        out.append(f"Conditions: {conditions(vt)}.\n")
    out.append("| case (JDK 25) | gets/s | ÷ 1,000 async in flight | pinned events |")
    out.append("|---|---:|---:|---:|")
    r = ratio(score(vt), score(asy))
    count = None if pinned is None or vt is None else pinned[0]
    out.append(f"| 1,000 virtual threads, blocking `get` | {fmt_score(vt)} | {fmt_ratio(r, noisy(vt, asy))} | "
               f"{'n/a' if count is None else count} |")
    out.append(f"| 1,000 async gets in flight, `backend.async().get` | {fmt_score(asy)} | — | not counted |")
    out.append("")
    if pinned is not None and pinned[1]:
        out.append("Pinned events by reason: " + "; ".join(f"{n} × {reason}" for reason, n in sorted(
            pinned[1].items(), key=lambda x: -x[1])) + " (stacks in `vthreads-pinned.txt` of the run).\n")
    v = verdict(r, 0.9, uncertainty=ratio_uncertainty(vt, asy))
    if vt is None:
        v = "not measured (" + ("the case failed" if ran else "no JDK 25") + ")"
    elif count is None:
        v = "not measured (no JFR recording)" if not v.startswith("smoke") else v
    elif count > 0 and v.startswith(("**met**", "**missed**")):
        v = f"**missed** ({count} pinned)"
    targets.append({"name": "1,000 virtual threads, blocking get ÷ 1,000 async gets in flight, JDK 25, "
                            "zero pinned events", "target": "≥ 0.9×, 0 pinned",
                    "value": f"{fmt_ratio(r, noisy(vt, asy))}, {'n/a' if count is None else count} pinned",
                    "verdict": v, "key": ("vthreads",), "ratio": r, "goal": 0.9})


def limit_sections(res, results_dir, out, targets):
    """Appends the redis-benchmark and virtual-thread sections and their targets."""
    redis_benchmark_section(res, results_dir, out, targets)
    vthreads_section(res, results_dir, out, targets)
