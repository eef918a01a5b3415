#!/usr/bin/env bash
# The real-kernel minor-fault baseline for FaultBench (BENCHMARKS.md, "Processes and page faults").
#
#   src/test/c/run-fault-baseline.sh            compile and run minor_fault.c (16384 pages, 20 rounds)
#   src/test/c/run-fault-baseline.sh --jmh      the same run as the target asks: baseline, FaultBench, baseline
#
# Run from the worktree root. --jmh needs the test classpath built first:
#   ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
# Extra arguments after --jmh go to JMH (default: -f 1 -wi 3 -i 5 -w 1s -r 1s -p pages=16384).
# Every step prints /proc/loadavg first: the build machine is shared, so figures are only
# comparable within one run.
set -euo pipefail

PAGES=${PAGES:-16384}
ROUNDS=${ROUNDS:-20}
BIN=${BIN:-/tmp/minor_fault}

gcc -O2 -Wall -o "$BIN" "$(dirname "$0")/minor_fault.c"

baseline() {
    echo "== native baseline, loadavg $(cat /proc/loadavg)"
    "$BIN" "$PAGES" "$ROUNDS"
}

if [[ "${1:-}" != "--jmh" ]]; then
    baseline
    exit 0
fi
shift
[[ $# -gt 0 ]] || set -- -f 1 -wi 3 -i 5 -w 1s -r 1s
CP=target/test-classes:target/classes:$(cat target/cp.txt)

baseline
echo "== FaultBench main (JVM store per page: minor faults per round), loadavg $(cat /proc/loadavg)"
java -cp "$CP" org.mmsim.bench.FaultBench 5
echo "== FaultBench JMH, loadavg $(cat /proc/loadavg)"
java -cp "$CP" org.openjdk.jmh.Main FaultBench "$@"
echo "== after JMH, loadavg $(cat /proc/loadavg)"
baseline
