#!/usr/bin/env bash
# Issue 4's HTTP target: a write touch of 1M pages (4 GiB) in one request answers in <= 2 s.
#
#   src/test/scripts/touch-1m.sh http://localhost:8080 [repeats]
#
# Starts nothing: give it the base URL of a running server. It creates a session with one
# 8 GiB x86_64 node, a process, then per repeat: mmap 4 GiB private anonymous (untimed), touch
# it for writing (timed: curl's time_total, the whole request as the client sees it), munmap
# (untimed, so the next repeat faults a fresh range again). Prints the time, the HTTP status and
# the fault counts the server reports (faults.minor must be 1048576), then deletes the session.
# Needs curl and jq. Note /proc/loadavg with the figures: the build machine is shared.
set -euo pipefail

BASE=${1:?usage: $0 BASE_URL [repeats]}
REPEATS=${2:-5}
API=${BASE%/}/api/v1
LENGTH=4GiB
PAGES=1048576
HDR=(-H 'Content-Type: application/json' -H 'X-Mmsim-Client: touch-1m')

post() { # path json -> body on stdout; fails on a non-2xx answer
    curl -sS --fail-with-body "${HDR[@]}" -X POST "$API$1" -d "$2"
}

sid=$(post /sessions '{"machine": {"arch": "x86_64", "nodes": [{"memory": "8GiB", "cpus": 2}]}}' | jq -r .id)
trap 'curl -sS -o /dev/null -X DELETE "${HDR[@]}" "$API/sessions/$sid" || true' EXIT
pid=$(post "/sessions/$sid/processes" '{"name": "app"}' | jq -r .pid)
echo "session $sid, pid $pid, loadavg $(cat /proc/loadavg)"

for ((i = 1; i <= REPEATS; i++)); do
    address=$(post "/sessions/$sid/processes/$pid/mmap" \
        "{\"length\": \"$LENGTH\", \"prot\": \"rw-\", \"flags\": [\"MAP_PRIVATE\", \"MAP_ANONYMOUS\"]}" | jq -r .address)
    if [[ -z "$address" || "$address" == null ]]; then
        echo "mmap failed" >&2
        exit 1
    fi
    body=$(mktemp)
    read -r code seconds < <(curl -sS -o "$body" -w '%{http_code} %{time_total}\n' "${HDR[@]}" -X POST \
        "$API/sessions/$sid/processes/$pid/touch" \
        -d "{\"address\": \"$address\", \"length\": \"$LENGTH\", \"access\": \"write\"}")
    minor=$(jq -r '.faults.minor // "?"' "$body" 2>/dev/null || echo "?")
    pages=$(jq -r '.pages // "?"' "$body" 2>/dev/null || echo "?")
    signal=$(jq -c '.signal // null' "$body" 2>/dev/null || echo "?")
    verdict=$(awk -v s="$seconds" 'BEGIN { print (s <= 2.0 ? "<= 2 s: met" : "> 2 s: MISSED") }')
    echo "touch $i: ${seconds}s  HTTP $code  pages $pages  minor $minor  signal $signal  ($verdict)  loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ "$minor" != "$PAGES" ]]; then
        echo "  expected $PAGES minor faults; answer: $(head -c 400 "$body")" >&2
    fi
    rm -f "$body"
    post "/sessions/$sid/processes/$pid/munmap" "{\"address\": \"$address\", \"length\": \"$LENGTH\"}" >/dev/null
done
