#!/usr/bin/env bash
# The real-kernel fork baseline for ForkBench (BENCHMARKS.md, "fork, exec and exit"):
#
#   src/test/c/run-fork-baseline.sh            compile and run fork_baseline.c (131072 pages, 20 rounds)
#   src/test/c/run-fork-baseline.sh --jmh      native, ForkBench (JMH), native, as the target asks
#
# Run from the worktree root. --jmh needs the test classpath built first:
#   ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
# Extra arguments after --jmh go to JMH (default: -f 1 -wi 3 -i 5 -w 1s -r 1s).
# Every step prints /proc/loadavg first: the build machine is shared.
set -euo pipefail

PAGES=${PAGES:-131072}
ROUNDS=${ROUNDS:-20}
BIN=${BIN:-/tmp/fork_baseline}

gcc -O2 -Wall -o "$BIN" "$(dirname "$0")/fork_baseline.c"

baseline() {
    echo "== native fork baseline, loadavg $(cat /proc/loadavg)"
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
echo "== ForkBench JMH, loadavg $(cat /proc/loadavg)"
java -cp "$CP" org.openjdk.jmh.Main ForkBench -p pages="$PAGES" "$@"
echo "== after JMH, loadavg $(cat /proc/loadavg)"
baseline
