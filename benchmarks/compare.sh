#!/usr/bin/env bash
# Compares two revisions of CacheKit on get/set, 1 and 8 threads, each as a ratio to the raw-Lettuce
# floor measured in the same JMH run, so that a shared, noisy machine cancels out of the ratio.
#
#   benchmarks/compare.sh BEFORE [AFTER]     # revisions (AFTER: the working tree when omitted)
#   ROUNDS=3 benchmarks/compare.sh f4b069c   # rounds of the before/after pair (default 2)
#
# Each revision is built in a worktree under benchmarks/target/compare/ (the working tree is built
# in place); the runs alternate before, after, before, after... against one redis-server of the
# script's own (stopped by its PID on exit). The table prints the median ratio over the rounds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[[ $# -ge 1 ]] || { sed -n '2,10p' "$0"; exit 2; }
BEFORE="$1"; AFTER="${2:-}"
ROUNDS="${ROUNDS:-2}"
OUT="benchmarks/target/compare"
mkdir -p "$OUT"
git worktree prune

build() { # build REV DIR: benchmarks.jar and its lib/ copied to DIR
  local rev="$1" dir="$2" src
  if [[ -z "$rev" ]]; then src="$ROOT"; else
    src="$OUT/src-$rev"
    [[ -d "$src" ]] || git worktree add -q --detach "$src" "$rev"
  fi
  (cd "$src" && ./mvnw -B -q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true)
  rm -rf "$dir"; mkdir -p "$dir"
  cp -r "$src/benchmarks/target/benchmarks.jar" "$src/benchmarks/target/lib" "$dir/"
}
echo "== building $BEFORE and ${AFTER:-the working tree}"
build "$BEFORE" "$OUT/before"
build "$AFTER" "$OUT/after"

REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server)}"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --logfile "$ROOT/$OUT/redis.log" &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true' EXIT
sleep 0.5

for round in $(seq 1 "$ROUNDS"); do
  for threads in 1 8; do
    for side in before after; do
      echo "== round $round, $threads thread(s), $side"
      java -jar "$OUT/$side/benchmarks.jar" 'GetSetBenchmark\.(get|set)$' -t "$threads" -p payload=product \
        -p impl=cachekit,lettuce -wi 2 -w 2 -i 5 -r 2 -f 1 -rf json -rff "$OUT/$side-t$threads-r$round.json" \
        -jvmArgsAppend "-Dcachekit.bench.redis.port=$PORT" > "$OUT/$side-t$threads-r$round.log" 2>&1
    done
  done
done

python3 - "$OUT" "$ROUNDS" "$BEFORE" "${AFTER:-working tree}" <<'EOF'
import json, statistics, sys
out, rounds, before, after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def ratios(side, threads, op):
    found = []
    for r in range(1, rounds + 1):
        scores = {}
        for x in json.load(open(f"{out}/{side}-t{threads}-r{r}.json")):
            if x["benchmark"].endswith("." + op):
                scores[x["params"]["impl"]] = x["primaryMetric"]["score"]
        found.append(scores["cachekit"] / scores["lettuce"])
    return found
print(f"CacheKit / raw Lettuce (same run), median of {rounds} rounds; before = {before}, after = {after}")
print("| case | before | after | after / before |")
print("|---|---|---|---|")
for threads in (1, 8):
    for op in ("get", "set"):
        b, a = statistics.median(ratios("before", threads, op)), statistics.median(ratios("after", threads, op))
        print(f"| {op}, product, {threads} thread{'s' if threads > 1 else ''} | {b:.2f}x | {a:.2f}x | {a / b:.2f} |")
EOF
