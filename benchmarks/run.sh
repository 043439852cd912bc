#!/usr/bin/env bash
# Runs the whole CacheKit benchmark suite against a redis-server of its own and rewrites
# benchmarks/RESULTS.md (tables, ratios, versions, commands) and benchmarks/README-SUMMARY.md.
#
#   benchmarks/run.sh              # the full suite: about 50 minutes on 2 cores (near cache and stampede: 13,
#                                  # tags, compression and bulk caching: 17)
#   benchmarks/run.sh --quick      # smoke run: 4 s of warm-up and one 1 s iteration per case, no 60 s
#                                  # outage case; reports marked as a smoke run with no verdicts, written
#                                  # under benchmarks/target/results/ only
#   benchmarks/run.sh --no-build   # reuse benchmarks/target/benchmarks.jar
#   benchmarks/run.sh --only near  # only the near cache and stampede cases (about 13 minutes); writes its
#                                  # reports under benchmarks/target/results/ only
#   benchmarks/run.sh --only core  # only get/set, getMany, @Cacheable, async, the limit, virtual threads and
#                                  # the outage (about 20 minutes); its report goes under benchmarks/target/results/
#
# Environment: REDIS_SERVER (default: redis-server on PATH), JAVA (default: $JAVA_HOME/bin/java or java),
# JAVA25 (the JDK 25 java for the virtual-thread case; default: the JDK 25 under /usr/lib/jvm, else skipped),
# REDIS_BENCHMARK (default: redis-benchmark on PATH, else the redis-benchmark rows are skipped).
# The Redis is started on a free loopback port with --save "" --appendonly no and stopped (by its
# PID) when the script exits, whatever happens.
set -euo pipefail

SCRIPT_START=$SECONDS
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

QUICK=0
BUILD=1
ONLY=""
EXPECT_ONLY=0
for arg in "$@"; do
  if [[ "$EXPECT_ONLY" == 1 ]]; then
    case "$arg" in
      near|core) ONLY="$arg" ;;
      *) echo "--only takes: near, core" >&2; exit 2 ;;
    esac
    EXPECT_ONLY=0
    continue
  fi
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --only) EXPECT_ONLY=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$EXPECT_ONLY" == 0 ]] || { echo "--only needs a section: near, core" >&2; exit 2; }
want() { [[ -z "$ONLY" || "$ONLY" == "$1" ]]; } # want SECTION: whether this run measures it
COMMAND="benchmarks/run.sh${*:+ $*}"

REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || true)}"
if [[ -z "$REDIS_SERVER" || ! -x "$REDIS_SERVER" ]]; then
  echo "redis-server not found: install it (apt-get install -y redis-server) or set REDIS_SERVER" >&2
  exit 1
fi
if [[ -n "${JAVA:-}" ]]; then :; elif [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
# The virtual-thread case needs Java 21+ and runs on JDK 25 (the suite itself compiles for and runs on 17).
if [[ -z "${JAVA25:-}" ]]; then
  for home in /usr/lib/jvm/*/; do
    if grep -qs '^JAVA_VERSION="25' "${home}release" && [[ -x "${home}bin/java" ]]; then JAVA25="${home}bin/java"; break; fi
  done
fi
JAVA25="${JAVA25:-}"
REDIS_BENCHMARK="${REDIS_BENCHMARK:-$(command -v redis-benchmark || true)}"

JAR="benchmarks/target/benchmarks.jar"
if [[ "$BUILD" == 1 ]]; then
  echo "== building the benchmarks"
  if grep -q '<module>benchmarks</module>' pom.xml; then
    ./mvnw -B -q -pl benchmarks -am package -DskipTests
  else
    # not in the reactor yet: cache-core (and cache-spring-boot-starter) must be installed in ~/.m2
    ./mvnw -B -q -f benchmarks/pom.xml package
  fi
fi
[[ -f "$JAR" ]] || { echo "$JAR missing: build first (drop --no-build)" >&2; exit 1; }

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
DIR="benchmarks/target/results/$STAMP"
mkdir -p "$DIR"
LOG="$DIR/jmh.log"
: > "$DIR/commands.txt"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  --logfile "$ROOT/$DIR/redis.log" &
REDIS_PID=$!
# Every 10 s: load average and the busiest processes, so the report can say whether other work
# shared the machine during the run.
( while sleep 10; do
    { echo "== $(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"; ps -eo pcpu=,args= --sort=-pcpu | head -6 | cut -c1-200; } >> "$DIR/load.txt"
  done ) &
SAMPLER_PID=$!
stop_redis() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  if kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
}
trap stop_redis EXIT
trap 'exit 130' INT TERM

redis_cmd() { # redis_cmd COMMAND -> the reply (minimal RESP over a socket, no redis-cli needed)
  python3 - "$PORT" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall((sys.argv[2] + "\r\n").encode())
f = s.makefile("rb")
line = f.readline()
if line.startswith(b"$"):
    print(f.read(int(line[1:].strip())).decode(errors="replace"))
else:
    print(line.decode(errors="replace").strip())
EOF
}
for _ in $(seq 1 100); do
  if redis_cmd PING 2>/dev/null | grep -q PONG; then break; fi
  kill -0 "$REDIS_PID" 2>/dev/null || { echo "redis-server exited; see $DIR/redis.log" >&2; exit 1; }
  sleep 0.1
done
REDIS_VERSION="$(redis_cmd 'INFO server' | tr -d '\r' | grep -E '^redis_version:' | cut -d: -f2)"
echo "== redis-server $REDIS_VERSION (pid $REDIS_PID) on 127.0.0.1:$PORT; results in $DIR"

JVM_APPEND="-Dcachekit.bench.redis.port=$PORT -Dcachekit.bench.redis-server=$REDIS_SERVER"
OVERRIDES=()
# A quick run still warms up (two 2 s iterations: JIT-compiled code, not the interpreter's ~360 us
# gets), but one 1 s iteration is no measurement: its report says so and judges no target.
if [[ "$QUICK" == 1 ]]; then OVERRIDES=(-wi 2 -w 2 -i 1 -r 1); fi

# One-thread round-trip cases run on one CPU (see CpuPinning): redis-server is pinned here, the
# benchmark JVM pins itself when measurement starts. PIN_CPU=none disables it.
NCPU="$(nproc)"
PIN_CPU="${PIN_CPU:-$((NCPU - 1))}"
if [[ "$PIN_CPU" != none ]] && { [[ "$NCPU" -lt 2 ]] || ! command -v taskset >/dev/null; }; then PIN_CPU=none; fi
pin_redis() { # pin_redis CPU-LIST
  if [[ "$PIN_CPU" != none ]]; then taskset -a -p -c "$1" "$REDIS_PID" >/dev/null; fi
}

jmh() { # jmh NAME [--pinned] [--java JAVA] [--jvm-args ARGS] ARGS... : one JMH invocation, JSON in $DIR/jmh-NAME.json
  local name="$1"; shift
  local append="$JVM_APPEND" java="$JAVA" shown=java
  while :; do
    case "${1:-}" in
      --pinned) shift; if [[ "$PIN_CPU" != none ]]; then append="$append -Dcachekit.bench.pin-cpu=$PIN_CPU"; fi ;;
      --java) java="$2"; shown="$2"; shift 2 ;;
      --jvm-args) append="$append $2"; shift 2 ;;
      *) break ;;
    esac
  done
  local args=("$@" ${OVERRIDES[@]+"${OVERRIDES[@]}"} -rf json -rff "$DIR/jmh-$name.json")
  echo "$shown -jar $JAR ${args[*]} -jvmArgsAppend \"$append\"" | sed "s#$DIR#\$RESULTS#g" >> "$DIR/commands.txt"
  echo "== $name"
  "$java" -jar "$JAR" "${args[@]}" -jvmArgsAppend "$append" 2>&1 | tee -a "$LOG" \
    | grep --line-buffered -E '^# Run progress|^# Parameters|^<failure>|Exception|Error:' || true
}

# redis-benchmark against the run's own Redis, the limit of any client: GET and SET of a value of the
# product payload's size. Each shape runs RB_ROUNDS times (the report takes the median, as of JMH's
# iterations); each round's --csv in $DIR/redis-benchmark-SHAPE-ROUND.csv.
RB_ROUNDS=5
if [[ "$QUICK" == 1 ]]; then RB_ROUNDS=1; fi
redis_bench() { # redis_bench SHAPE CPU-LIST|all REQUESTS ARGS...
  local shape="$1" cpus="$2" requests="$3"; shift 3
  if [[ -z "$REDIS_BENCHMARK" ]]; then
    echo "== redis-benchmark not found (apt-get install -y redis-tools): its rows are skipped"; return 0
  fi
  local size
  size="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["cachekit/product"])' "$DIR/payload-sizes.json")"
  local cmd=("$REDIS_BENCHMARK" -h 127.0.0.1 -p "$PORT" -t set,get -d "$size" -r 256 -n "$requests" "$@" --csv)
  if [[ "$cpus" != all && "$PIN_CPU" != none ]]; then cmd=(taskset -c "$cpus" "${cmd[@]}"); fi
  echo "${cmd[*]}  # $RB_ROUNDS rounds" | sed "s#$DIR#\$RESULTS#g" >> "$DIR/commands.txt"
  echo "== redis-benchmark $shape"
  local round
  for round in $(seq 1 "$RB_ROUNDS"); do
    "${cmd[@]}" > "$DIR/redis-benchmark-$shape-$round.csv" 2>> "$LOG"
  done
}

START=$SECONDS
"$JAVA" "-Dcachekit.bench.redis.port=$PORT" -cp "$JAR" io.cachekit.benchmarks.support.PayloadSizes \
  "$DIR/payload-sizes.json" >> "$LOG" 2>&1

CPU=(-prof io.cachekit.benchmarks.support.CpuTimeProfiler)
if want core; then
# --- one thread, round trips: redis-server and (after warm-up) the JVM on one CPU
pin_redis "$PIN_CPU"
echo "# redis-server pinned to CPU $PIN_CPU for the one-thread cases" >> "$DIR/commands.txt"
jmh get-product-t1 --pinned 'GetSetBenchmark\.get$' -t 1 -prof gc "${CPU[@]}" -p payload=product \
  -p impl=cachekit,cachekit-async,cachekit-object,lettuce,lettuce-sync,sdr,redisson,cachekit-lettucetimeouts,cachekit-observed
jmh set-product-t1 --pinned 'GetSetBenchmark\.set$' -t 1 -prof gc "${CPU[@]}" -p payload=product \
  -p impl=cachekit,lettuce,lettuce-sync,sdr,sdr-immediate,redisson
jmh get-string-t1 --pinned 'GetSetBenchmark\.get$' -t 1 -prof gc "${CPU[@]}" -p payload=string -p impl=cachekit,lettuce,sdr,redisson
jmh set-string-t1 --pinned 'GetSetBenchmark\.set$' -t 1 -prof gc "${CPU[@]}" -p payload=string \
  -p impl=cachekit,lettuce,sdr,sdr-immediate,redisson,cachekit-lettucetimeouts,cachekit-observed
jmh getmany-product --pinned 'GetManyBenchmark' -p impl=cachekit,lettuce -p payload=product
jmh getmany-string --pinned 'GetManyBenchmark' -p impl=cachekit,lettuce -p payload=string
if ls benchmarks/target/lib/cache-spring-boot-starter-*.jar >/dev/null 2>&1; then
  jmh cacheable --pinned '\.CacheableBenchmark\.' -p manager=spring-redis,cachekit-bridge
else
  echo "== cache-spring-boot-starter not on the benchmark class path: @Cacheable runs the Spring side only"
  jmh cacheable --pinned '\.CacheableBenchmark\.' -p manager=spring-redis
fi
# the limit at one connection, placed as the one-thread cases: redis-benchmark on the CPU redis-server is on
RB_N=50000; if [[ "$QUICK" == 1 ]]; then RB_N=10000; fi
redis_bench c1 "$PIN_CPU" "$RB_N" -c 1
# --- 8 threads, pipelined async and outage: every CPU
pin_redis "0-$((NCPU - 1))"
echo "# redis-server on CPUs 0-$((NCPU - 1)) from here on" >> "$DIR/commands.txt"
T8=(-t 8 "${CPU[@]}")
if [[ "$QUICK" == 0 ]]; then T8+=(-wi 3); fi  # two CPUs and eight threads warm up faster
jmh get-product-t8 'GetSetBenchmark\.get$' "${T8[@]}" -p payload=product -p impl=cachekit,lettuce,lettuce-sync,sdr,redisson
# Spring's default cache writer is left out of the 8-thread sets: its puts are not awaited, the backlog grows
# without bound and the JVM runs out of its 1 GB heap within seconds (see RESULTS.md).
jmh set-product-t8 'GetSetBenchmark\.set$' "${T8[@]}" -p payload=product -p impl=cachekit,lettuce,sdr-immediate,redisson
jmh get-string-t8 'GetSetBenchmark\.get$' "${T8[@]}" -p payload=string -p impl=cachekit,lettuce,sdr,redisson
jmh set-string-t8 'GetSetBenchmark\.set$' "${T8[@]}" -p payload=string -p impl=cachekit,lettuce,sdr-immediate,redisson
jmh async 'AsyncBenchmark' -p impl=cachekit-async,lettuce,sdr,redisson
# the limit of 8 connections and of pipelining (16 commands per write on one connection), every CPU
redis_bench c8 all "$((RB_N * 4))" -c 8
redis_bench p16 all "$((RB_N * 10))" -c 1 -P 16
# --- 1,000 virtual threads on the blocking face against 1,000 async gets in flight, both on JDK 25 with
# JFR recording every pinned virtual thread (threshold 0), counted in $DIR/vthreads-pinned.txt
if [[ -n "$JAVA25" ]]; then
  JFR_PINNED="jdk.VirtualThreadPinned#enabled=true,jdk.VirtualThreadPinned#threshold=0ms"
  jmh vthreads --java "$JAVA25" --jvm-args "-XX:StartFlightRecording=filename=$DIR/vthreads.jfr,$JFR_PINNED" \
    'VirtualThreadBenchmark'
  jmh async-jdk25 --java "$JAVA25" --jvm-args "-XX:StartFlightRecording=filename=$DIR/async-jdk25.jfr,$JFR_PINNED" \
    'AsyncBenchmark' -p impl=cachekit-async
  if [[ -f "$DIR/vthreads.jfr" ]]; then
    "$(dirname "$JAVA25")/jfr" print --events jdk.VirtualThreadPinned "$DIR/vthreads.jfr" > "$DIR/vthreads-pinned.txt"
    echo "$(dirname "$JAVA25")/jfr print --events jdk.VirtualThreadPinned \$RESULTS/vthreads.jfr" >> "$DIR/commands.txt"
    echo "== $(grep -c '^jdk.VirtualThreadPinned' "$DIR/vthreads-pinned.txt" || true) pinned virtual-thread events"
  fi
else
  echo "== no JDK 25 under /usr/lib/jvm (set JAVA25): the 1,000 virtual threads case is skipped"
  echo "# no JDK 25: VirtualThreadBenchmark skipped" >> "$DIR/commands.txt"
fi
if [[ "$QUICK" == 1 ]]; then
  jmh outage 'OutageBenchmark\.(cachekit|springBoot500ms)'
else
  jmh outage 'OutageBenchmark'
fi
fi # want core

if want near; then
  pin_redis "0-$((NCPU - 1))"
  # --- the near cache: a hit against bare Caffeine and a Redis get (one thread, no round trip to pin),
  # the workload matrix (4 threads), the staleness window after another client's write
  jmh near-hit 'NearCacheBenchmark\.get$' -t 1 -prof gc -p impl=near,near-async,redis,caffeine,caffeine-clock,near-miss,near-stampede
  jmh near-workloads 'NearCacheWorkloadBenchmark'
  SAMPLES=2000
  if [[ "$QUICK" == 1 ]]; then SAMPLES=200; fi
  echo "java -Dcachekit.bench.redis.port=$PORT -cp $JAR io.cachekit.benchmarks.NearCacheStaleness \$RESULTS/staleness.json $SAMPLES" \
    >> "$DIR/commands.txt"
  echo "== near-staleness"
  "$JAVA" "-Dcachekit.bench.redis.port=$PORT" -cp "$JAR" io.cachekit.benchmarks.NearCacheStaleness \
    "$DIR/staleness.json" "$SAMPLES" 2>&1 | tee -a "$LOG" | grep --line-buffered -E '"impl"|Exception' || true
  # --- stampede protection: a hot key through its expiries (a redis-server of its own)
  jmh stampede 'StampedeBenchmark'
fi
if want features; then
  pin_redis "0-$((NCPU - 1))"
  # --- tags: a read of a tagged entry against untagged ones (interleaved), invalidating 100,000 entries
  # (each benchmark starts a redis-server of its own); the read's per-read means come from its
  # "[tags]" lines in jmh.log
  TAG_READ=(); if [[ "$QUICK" == 0 ]]; then TAG_READ=(-i 10); fi
  jmh tags-read 'TagReadBenchmark' ${TAG_READ[@]+"${TAG_READ[@]}"}
  jmh tags-invalidation 'TagInvalidationBenchmark'
  # --- compression: bytes stored (exact, no timing), get/set through the run's Redis, encoding alone
  echo "java -cp $JAR io.cachekit.benchmarks.CompressionSizes > \$RESULTS/compression-sizes.md" >> "$DIR/commands.txt"
  echo "== compression-sizes"
  "$JAVA" -cp "$JAR" io.cachekit.benchmarks.CompressionSizes > "$DIR/compression-sizes.md" 2>> "$LOG"
  jmh compression 'CompressionBenchmark' "${CPU[@]}"
  jmh compression-codec 'CompressionCodecBenchmark' "${CPU[@]}"
  # --- bulk caching: one @BulkCacheable call against 100 @Cacheable calls, JMH and interleaved rounds
  jmh bulk 'BulkCacheableBenchmark'
  ROUNDS=300; if [[ "$QUICK" == 1 ]]; then ROUNDS=20; fi
  echo "java -Xms1g -Xmx1g -Dcachekit.bench.redis.port=$PORT -cp $JAR io.cachekit.benchmarks.BulkCacheableComparison $ROUNDS > \$RESULTS/bulk-comparison.md" \
    >> "$DIR/commands.txt"
  echo "== bulk-comparison"
  "$JAVA" -Xms1g -Xmx1g "-Dcachekit.bench.redis.port=$PORT" -cp "$JAR" io.cachekit.benchmarks.BulkCacheableComparison \
    "$ROUNDS" > "$DIR/bulk-comparison.md" 2>> "$LOG"
fi
WALL=$((SECONDS - START))

stop_redis

lib_version() { # lib_version ARTIFACT -> version from benchmarks/target/lib
  local f
  f="$(ls benchmarks/target/lib/"$1"-[0-9]*.jar 2>/dev/null | head -1)"
  f="${f##*/$1-}"; echo "${f%.jar}"
}
LIBS="cache-core $(lib_version cache-core), Lettuce $(lib_version lettuce-core), Jackson $(lib_version jackson-databind), \
Spring Data Redis $(lib_version spring-data-redis), Spring Boot $(lib_version spring-boot), \
Spring Framework $(lib_version spring-context), Redisson $(lib_version redisson), Netty $(lib_version netty-common), \
JMH $(lib_version jmh-core)"

PIN="$PIN_CPU" COMMAND="$COMMAND" STARTED="$STAMP" WALL="$((WALL / 60)) min $((WALL % 60)) s of benchmarks, $(((SECONDS - SCRIPT_START) / 60)) min $(((SECONDS - SCRIPT_START) % 60)) s in all" PORT="$PORT" \
REDIS_VERSION="$REDIS_VERSION ($("$REDIS_SERVER" --version | head -1))" LIBS="$LIBS" \
CPU="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || uname -m)" \
CORES="$(nproc)" MEMORY="$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB RAM"}')" OS="$(uname -sr)" \
python3 - "$DIR" <<'EOF'
import json, os, sys
d = sys.argv[1]
with open(os.path.join(d, "commands.txt"), encoding="utf-8") as f:
    commands = [line.rstrip("\n") for line in f if line.strip()]
env = {k.lower(): os.environ[k] for k in ("COMMAND", "STARTED", "WALL", "PORT", "CPU", "CORES", "MEMORY", "OS", "PIN")}
env["redis_version"] = os.environ["REDIS_VERSION"]
env["libraries"] = os.environ["LIBS"]
env["jmh_commands"] = commands
with open(os.path.join(d, "env.json"), "w", encoding="utf-8") as f:
    json.dump(env, f, indent=2)
EOF

if [[ "$ONLY" == core ]]; then
  python3 benchmarks/report.py "$DIR" --results "$DIR/RESULTS.md" --summary "$DIR/README-SUMMARY.md"
  echo "== --only core: report in $DIR/RESULTS.md (benchmarks/RESULTS.md left alone)"
elif [[ -n "$ONLY" ]]; then
  python3 benchmarks/report.py "$DIR" --results "$DIR/RESULTS.md" --summary "$DIR/README-SUMMARY.md" --only "$ONLY"
  echo "== --only $ONLY: report in $DIR/RESULTS.md (benchmarks/RESULTS.md left alone)"
elif [[ "$QUICK" == 1 ]]; then
  python3 benchmarks/report.py "$DIR" --smoke --results "$DIR/RESULTS.md" --summary "$DIR/README-SUMMARY.md"
  echo "== quick run: reports in $DIR (benchmarks/RESULTS.md left alone)"
else
  python3 benchmarks/report.py "$DIR" --results benchmarks/RESULTS.md --summary benchmarks/README-SUMMARY.md
  # the summary in docs/benchmarks.md: from its generated-by marker through its "Reproduce with" line
  python3 - benchmarks/README-SUMMARY.md docs/benchmarks.md <<'EOF'
import sys
summary = open(sys.argv[1], encoding="utf-8").read().rstrip("\n")
text = open(sys.argv[2], encoding="utf-8").read()
start = text.find("<!-- generated by benchmarks/run.sh")
end_marker = "Reproduce with `benchmarks/run.sh`."
end = text.find(end_marker, start) if start >= 0 else -1
if end < 0:
    print("docs/benchmarks.md has no generated benchmark summary; paste benchmarks/README-SUMMARY.md by hand", file=sys.stderr)
else:
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(text[:start] + summary + text[end + len(end_marker):])
EOF
  echo "== done in $((WALL / 60)) min $((WALL % 60)) s: benchmarks/RESULTS.md, benchmarks/README-SUMMARY.md, docs/benchmarks.md (raw: $DIR)"
fi
