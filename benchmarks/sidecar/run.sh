#!/usr/bin/env bash
# Sidecar plan benchmark: on one installed 3-node service, in the same run,
#   - one broker restart (`hivemq pod restart hivemq-<i>` -> agent reports HEALTHY with a new broker pid), per node;
#     3 of them are the floor of a serial roll over 3 nodes;
#   - add-extension on 3 nodes (`plan start` -> plan COMPLETE), the test extension served over HTTP;
#   - the longest continuous time each node had no HEALTHY broker (every agent's /v1/node/status every 100 ms).
# Prints one table. Needs: mvn -q install -DskipTests (cli, services, test-extension zip), curl, jq, python3.
# Uses its own temporary HIVEMQ_SUITE_HOME and removes it; leaves no process behind.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIST="$PWD"
NAME=sbench
export HIVEMQ_SUITE_HOME="$(mktemp -d /tmp/hivemq-bench-sidecar.XXXXXX)"
WORK="$HIVEMQ_SUITE_HOME-work"
mkdir -p "$WORK"
ZIP="$DIST/test-extension/target/hivemq-test-extension.zip"
[ -f "$ZIP" ] || { echo "missing $ZIP: mvn -q -o install -f test-extension/pom.xml -DskipTests" >&2; exit 1; }
HTTP_PID=""; MON_PID=""

cleanup() {
  set +e
  [ -f "$WORK/phase" ] && echo done >"$WORK/phase"
  [ -n "$MON_PID" ] && kill "$MON_PID" 2>/dev/null
  [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null
  if [ -f "$HIVEMQ_SUITE_HOME/$NAME/scheduler.json" ]; then
    ./hivemq --name "$NAME" uninstall >"$WORK/uninstall.log" 2>&1
  fi
  pkill -9 -f "$HIVEMQ_SUITE_HOME" 2>/dev/null
  rm -rf "$HIVEMQ_SUITE_HOME" "$WORK"
}
trap cleanup EXIT

ms() { date +%s%3N; }

echo '{"service": {"name": "'$NAME'"}, "node": {"count": 3, "mem": 512, "heap": 128}}' >"$WORK/options.json"
./hivemq --name "$NAME" install --options "$WORK/options.json" --timeout 240 >"$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log" >&2; exit 1; }
SVC="$HIVEMQ_SUITE_HOME/$NAME"
SLOT=$(jq -r .slot "$SVC/scheduler.json")
TOKEN=$(jq -r .token "$SVC/scheduler.json")
CRED_FILE="$SVC/internal-credential"
CRED=$(cat "$CRED_FILE")
agent() { echo "http://127.0.$SLOT.$(($1 + 1)):9100"; }
status() { curl -s -m 1 -H "Authorization: Bearer $CRED" "$(agent "$1")/v1/node/status" || true; }
healthy_pid() { # prints the broker pid when HEALTHY, nothing otherwise
  status "$1" | jq -r 'select(.state == "HEALTHY") | .brokerPid' 2>/dev/null || true
}
for i in 0 1 2; do
  until [ -n "$(healthy_pid $i)" ]; do sleep 0.2; done
done

# The no-broker monitor runs through the whole measurement; the phase file tells it what is being measured.
echo settle >"$WORK/phase"
java -Xmx64m -XX:+UseSerialGC "$DIST/benchmarks/sidecar/NoBrokerMonitor.java" "$CRED_FILE" "$WORK/phase" \
  "$WORK/nobroker.txt" "$(agent 0)" "$(agent 1)" "$(agent 2)" >"$WORK/monitor.log" 2>&1 &
MON_PID=$!
sleep 3

# 1) one broker restart per node: pod restart -> HEALTHY with a new broker pid
declare -a RESTART
for i in 0 1 2; do
  echo "restart-hivemq-$i" >"$WORK/phase"
  before=$(healthy_pid $i)
  t0=$(ms)
  ./hivemq --name "$NAME" pod restart "hivemq-$i" >>"$WORK/restart.log" 2>&1
  while :; do
    p=$(healthy_pid $i)
    [ -n "$p" ] && [ "$p" != "$before" ] && break
    sleep 0.1
  done
  RESTART[$i]=$(( $(ms) - t0 ))
  echo settle >"$WORK/phase"
  sleep 2
done

# 2) add-extension on 3 nodes: plan start -> COMPLETE
mkdir -p "$WORK/www" && cp "$ZIP" "$WORK/www/"
ADDR="127.0.$SLOT.231"
python3 -m http.server 8099 --bind "$ADDR" --directory "$WORK/www" >"$WORK/http.log" 2>&1 &
HTTP_PID=$!
until curl -s -o /dev/null "http://$ADDR:8099/hivemq-test-extension.zip"; do sleep 0.1; done
SIDECAR="http://127.0.$SLOT.202:8080"
echo add-extension >"$WORK/phase"
t0=$(ms)
./hivemq --name "$NAME" plan start add-extension -p "URL=http://$ADDR:8099/hivemq-test-extension.zip" \
  >"$WORK/plan.log" 2>&1 || { cat "$WORK/plan.log" >&2; exit 1; }
while :; do
  st=$(curl -s -m 2 -H "Authorization: Bearer $TOKEN" "$SIDECAR/v1/plans/add-extension" | jq -r .status 2>/dev/null || true)
  [ "$st" = COMPLETE ] && break
  [ "$st" = ERROR ] && { echo "add-extension ERROR" >&2; ./hivemq --name "$NAME" plan status add-extension >&2; exit 1; }
  [ $(( $(ms) - t0 )) -gt 600000 ] && { echo "add-extension not COMPLETE after 600 s" >&2; exit 1; }
  sleep 0.1
done
ADD=$(( $(ms) - t0 ))
sleep 1
echo done >"$WORK/phase"
wait "$MON_PID" || true
MON_PID=""

nb() { awk -v p="$1" -v n="$2" '$1 == p && $2 == n { print $3 }' "$WORK/nobroker.txt"; }
FLOOR=$(( RESTART[0] + RESTART[1] + RESTART[2] ))
printf '\n=== sidecar benchmark (3 nodes, node.heap 128 MB, %s cores) ===\n' "$(nproc)"
printf '%-52s %10s\n' "measure" "ms"
for i in 0 1 2; do
  printf '%-52s %10s\n' "pod restart hivemq-$i -> HEALTHY (new broker pid)" "${RESTART[$i]}"
done
printf '%-52s %10s\n' "3 x restart (floor of a serial roll)" "$FLOOR"
printf '%-52s %10s\n' "add-extension, 3 nodes (plan start -> COMPLETE)" "$ADD"
printf '%-52s %10s\n' "ratio add-extension / (3 x restart)" "$(awk -v a="$ADD" -v f="$FLOOR" 'BEGIN { printf "%.2f", a / f }')"
for i in 0 1 2; do
  printf '%-52s %10s\n' "longest no-broker stretch hivemq-$i, its pod restart" "$(nb "restart-hivemq-$i" $i)"
done
for i in 0 1 2; do
  printf '%-52s %10s\n' "longest no-broker stretch hivemq-$i, add-extension" "$(nb add-extension $i)"
done
others=$(awk '$1 ~ /^restart-hivemq-/ { split($1, a, "-"); if (a[3] != $2 && $3 > m) m = $3 } END { print m + 0 }' "$WORK/nobroker.txt")
printf '%-52s %10s\n' "longest no-broker stretch of a node NOT restarted" "$others"
