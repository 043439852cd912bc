"""The tags, compression and bulk caching sections of RESULTS.md, from one benchmarks/run.sh run (see report.py).

TagReadBenchmark (its per-read means from the "[tags]" lines it prints into jmh.log), TagInvalidationBenchmark,
CompressionSizes (compression-sizes.md), CompressionBenchmark, CompressionCodecBenchmark, BulkCacheableBenchmark
and BulkCacheableComparison (bulk-comparison.md). Every ratio compares numbers of the same run.
"""

import os
import re

from report import (conditions, fmt, fmt_ratio, fmt_score, median, noisy, ratio, ratio_uncertainty, score,
                    values_row, verdict)

TAGS_LINE = re.compile(r"\[tags\] (warmup|iteration|trial): (\d+) reads each; mean plain ([\d.]+) us, "
                       r"untagged ([\d.]+) us, tagged ([\d.]+) us; tagged/plain ([\d.]+), tagged/untagged ([\d.]+)")


def read_text(results_dir, name):
    path = os.path.join(results_dir, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def tag_read_lines(results_dir):
    """(measured iterations, trial) of TagReadBenchmark's "[tags]" lines: dicts of reads, plain, untagged, tagged."""
    iterations, trial = [], None
    for line in (read_text(results_dir, "jmh.log") or "").splitlines():
        m = TAGS_LINE.search(line)
        if not m:
            continue
        entry = {"reads": int(m.group(2)), "plain": float(m.group(3)), "untagged": float(m.group(4)),
                 "tagged": float(m.group(5)), "tagged/plain": float(m.group(6)), "tagged/untagged": float(m.group(7))}
        if m.group(1) == "iteration":
            iterations.append(entry)
        elif m.group(1) == "trial":
            trial = entry
    return iterations, trial


def tags_section(res, results_dir, out, targets):
    read = res.find("TagReadBenchmark.threeReads")
    iterations, trial = tag_read_lines(results_dir)
    out.append("## Tags\n")
    out.append("**A read of a tagged entry against untagged ones** (`TagReadBenchmark`, one thread, a 100-byte "
               "string, a `redis-server` of the benchmark's own on loopback, unpinned): each operation reads, "
               "interleaved, an untagged entry of a backend without a loading layer (`plain`, one GET), an "
               "untagged entry of a backend with tags on (`untagged`) and an entry with three tags on that backend "
               "whose versions are known locally (`tagged`), so the machine's load falls on the three alike. "
               f"Conditions: {conditions(read)}. Means over the measured iterations, as the benchmark prints "
               "them.\n")
    out.append("| read | mean µs per read |")
    out.append("|---|---:|")
    for name, label in (("plain", "`plain` (GET, no loading layer)"), ("untagged", "`untagged` (tags on)"),
                        ("tagged", "`tagged` (three tags, versions known locally)")):
        out.append(f"| {label} | {fmt(trial[name], 1) if trial else 'n/a'} |")
    out.append("")
    r = trial["tagged/plain"] if trial else None
    per = values_row([i["tagged/plain"] for i in iterations])
    if trial:
        spread = (f" Per iteration `tagged` / `plain` ranged from {min(i['tagged/plain'] for i in iterations):.2f} to "
                  f"{max(i['tagged/plain'] for i in iterations):.2f} (median {median([i['tagged/plain'] for i in iterations]):.2f})."
                  if len(iterations) > 1 else "")
        out.append(f"`tagged` / `plain` = {r:.3f}, `tagged` / `untagged` = {trial['tagged/untagged']:.3f} over "
                   f"{trial['reads']:,} reads of each.{spread} The difference is one GET either way plus, for the "
                   "tagged entry, parsing its tag header and three map lookups.\n")
    targets.append({"name": "tags: a read of a tagged entry ÷ a plain read (time)", "target": "≤ 1.1×",
                    "value": fmt_ratio(r), "verdict": verdict(r, 1.1, higher_is_better=False,
                                                              uncertainty=ratio_uncertainty(per, None)),
                    "key": ("tags", "read"), "ratio": r, "goal": 1.1})

    tag = res.find("TagInvalidationBenchmark.invalidateTag")
    pattern = res.find("TagInvalidationBenchmark.invalidatePattern")
    out.append("**Invalidating 100,000 entries** (`TagInvalidationBenchmark`, a `redis-server` of its own): before "
               "each call, not measured, the 100,000 entries of a tag are written again; `invalidateTag` of their "
               "tag (one counter script) against `invalidatePattern` of the same entries (SCAN and UNLINK in pages), "
               f"which asserts that it removed all 100,000. Conditions: {conditions(tag)}.\n")
    out.append("| call | median (min–max) µs | calls |")
    out.append("|---|---:|---:|")
    for label, row in (("`invalidatePattern(\"tenant:42:*\")` (SCAN + UNLINK pages)", pattern),
                       ("`invalidateTag(\"tenant:42\")` (one counter script)", tag)):
        n = len((row or {}).get("primaryMetric", {}).get("rawData", [[]])[0]) if row else 0
        out.append(f"| {label} | {fmt_score(row)} | {n} |")
    out.append("")
    faster = ratio(score(pattern), score(tag))
    shown = "n/a" if faster is None else f"{faster:,.0f}×" + (" †" if noisy(tag, pattern) else "")
    out.append(f"`invalidateTag` is {shown} faster on the medians; the pattern "
               "clear grows with the keyspace, the tag invalidation does not (one command on one key, asserted by "
               "`anInvalidationIsOneCommandOnOneKeyWhateverTheNumberOfEntries`).\n")
    targets.append({"name": "tags: `invalidatePattern` ÷ `invalidateTag` of 100,000 entries (time)", "target": "≥ 100×",
                    "value": shown,
                    "verdict": verdict(faster, 100, uncertainty=ratio_uncertainty(tag, pattern)),
                    "key": ("tags", "invalidate"), "ratio": faster, "goal": 100})


def compression_table(res, out, benchmark, ops, digits):
    out.append("| op | JSON | none | lz4 | lz4 ÷ none | zstd | zstd ÷ none |")
    out.append("|---|---|---:|---:|---:|---:|---:|")
    for op in ops:
        for kb in ("1", "10", "100"):
            rows = {c: res.find(f"{benchmark}.{op}", kb=kb, compression=c) for c in ("none", "lz4", "zstd")}
            if not any(rows.values()):
                continue
            base = rows["none"]
            cells = [fmt_score(base, digits)]
            for c in ("lz4", "zstd"):
                cells += [fmt_score(rows[c], digits), fmt_ratio(ratio(score(rows[c]), score(base)), noisy(rows[c], base))]
            out.append(f"| {op} | {kb} KB | " + " | ".join(cells) + " |")
    out.append("")


def compression_section(res, results_dir, out):
    through = res.find("CompressionBenchmark.get")
    alone = res.find("CompressionCodecBenchmark.serialize")
    sizes = read_text(results_dir, "compression-sizes.md")
    if through is None and alone is None and sizes is None:
        return
    out.append("## Compression\n")
    out.append("Bytes stored and get/set cost of about 1, 10 and 100 KB of JSON (a value is `kb` catalogue products "
               "of the suite's ~1 KB `Product`, JSON through `CacheSerializers.json(Product[].class)`), without "
               "compression (`none`, the baseline of the same run) and with LZ4 or zstd at the default threshold "
               "(512 B). Ratios are against `none` of the same run and table; † marks a ratio where one side's "
               "iterations spread by more than 1.5×.\n")
    out.append("### Bytes stored per value\n")
    out.append("`CompressionSizes`: the mean over the benchmark's 64 values of the serializer's output, which is the "
               "value stored in Redis byte for byte, header included (exact, independent of the machine). The 10 and "
               "100 KB values repeat one product description, so they compress far better than most application "
               "JSON; the 1 KB row (one product, no repetition across products) is the closer guide.\n")
    out.append(sizes.strip() + "\n" if sizes else "Not measured in this run.\n")
    out.append("### Get and set through Redis (ops/s, higher is better)\n")
    out.append("`CompressionBenchmark`: one blocking round trip per call to the run's Redis (every CPU), command "
               "timeout 5 s so that a slow reply is measured, not a fail-open miss; a miss or refused write fails "
               f"the iteration. Median (min–max) over the iterations. Conditions: {conditions(through)}.\n")
    compression_table(res, out, "CompressionBenchmark", ("get", "set"), 0)
    out.append("### Encoding alone, without Redis (µs per call, lower is better)\n")
    out.append("`CompressionCodecBenchmark`: `serialize` (JSON, then compression) and `deserialize` (the reverse) of "
               f"the same values, CPU only. Median (min–max) over the iterations. Conditions: {conditions(alone)}.\n")
    compression_table(res, out, "CompressionCodecBenchmark", ("serialize", "deserialize"), 1)


BULK_ROW = re.compile(r"^\| (product|string) \| (\d+) % \| ([\d,.]+) µs \| ([\d,.]+) µs \| ([\d.]+)× \| "
                      r"([\d.]+)× – ([\d.]+)× \| ([\d,.]+) µs \|")


def bulk_section(res, results_dir, out, targets):
    table = read_text(results_dir, "bulk-comparison.md")
    jmh_rows = res.find("BulkCacheableBenchmark.bulk")
    if table is None and jmh_rows is None:
        return
    out.append("## Bulk caching\n")
    out.append("100 ids, one thread, through Spring proxies on the starter's defaults (JSON recording each value's "
               "class), against the run's Redis (every CPU): one `@BulkCacheable` call (`bulk`) against a loop of "
               "100 `@Cacheable` calls on the same entries (`loop`), `hits` % of the ids cached before each call (the "
               "others deleted in one command, outside the timing); payloads `product` (~1 KB JSON object) and "
               "`string` (100 bytes).\n")
    rounds = re.search(r"BulkCacheableComparison (\d+)", " ".join(_commands(results_dir)))
    out.append(f"**Interleaved** (`BulkCacheableComparison {rounds.group(1) if rounds else '?'}`: that many measured "
               "rounds per case after a fifth as many warm-up rounds, at least 20; each round times one `bulk`, one "
               "`loop` and the backend's own `getMany` of the 100 entries back to back, so a change of the machine's "
               "load enters both sides of a round's ratio alike; the ratio is the median of the per-round ratios; "
               "JDK and JVM as the JMH cases, `-Xms1g -Xmx1g`). This is the measurement the targets are judged on:\n")
    out.append(table.strip() + "\n" if table else "Not measured in this run.\n")
    parsed = {}
    for line in (table or "").splitlines():
        m = BULK_ROW.match(line)
        if m:
            parsed[(m.group(1), int(m.group(2)))] = (float(m.group(5)), float(m.group(6)), float(m.group(7)))
    for payload in ("string", "product"):
        r, p25, p75 = parsed.get((payload, 100), (None, None, None))
        v = verdict(r, 10)
        if r is not None and v.startswith("**") and p25 <= 10 <= p75:
            v += f" (within noise: quartiles {p25:.1f}× – {p75:.1f}×)"
        targets.append({"name": f"bulk, 100 ids, 100 % hits: 100 `@Cacheable` calls ÷ one `@BulkCacheable` call, {payload}",
                        "target": "≥ 10×", "value": fmt_ratio(r), "verdict": v,
                        "key": ("bulk", payload), "ratio": r, "goal": 10})
    out.append("The floor column is the backend's own `getMany` of the 100 entries without Spring: no bulk path with "
               "this serializer gets below it, since both sides decode the same 100 values one at a time.\n")
    out.append("**JMH** (`BulkCacheableBenchmark`, average time per call of 100 ids, median (min–max) over the "
               f"iterations; `getMany`, the floor, measured with every id cached only). Conditions: "
               f"{conditions(jmh_rows)}.\n")
    out.append("| payload | hits | bulk µs | loop µs | getMany (floor, no Spring) µs | loop ÷ bulk |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for payload in ("product", "string"):
        for hits in ("0", "50", "100"):
            b = res.find("BulkCacheableBenchmark.bulk", hits=hits, payload=payload)
            lo = res.find("BulkCacheableBenchmark.loop", hits=hits, payload=payload)
            g = res.find("BulkCacheableBenchmark.getMany", hits=hits, payload=payload) if hits == "100" else None
            if b is None and lo is None:
                continue
            out.append(f"| {payload} | {hits} % | {fmt_score(b)} | {fmt_score(lo)} | {fmt_score(g)} | "
                       f"{fmt_ratio(ratio(score(lo), score(b)), noisy(lo, b))} |")
    out.append("")


def _commands(results_dir):
    return (read_text(results_dir, "commands.txt") or "").splitlines()


def feature_sections(res, results_dir, out, targets):
    """Appends the tags, compression and bulk caching sections (those measured) and their targets."""
    if res.find("TagReadBenchmark.threeReads") is not None or res.find("TagInvalidationBenchmark.invalidateTag"):
        tags_section(res, results_dir, out, targets)
    compression_section(res, results_dir, out)
    bulk_section(res, results_dir, out, targets)
