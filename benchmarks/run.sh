#!/usr/bin/env bash
# Install-time and memory benchmark for local mode. Prints one table.
#
#   benchmarks/run.sh            (after: mvn -q install -DskipTests)
#
# Every figure is set beside a baseline measured in the same run on the same machine: a bare HiveMQ CE
# broker's cold start (process launch -> its MQTT port accepts connections), since these machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
export HIVEMQ_SUITE_DIST=$ROOT
export HIVEMQ_SUITE_HOME=$(mktemp -d /tmp/hivemq-bench.XXXXXX)
LIB=$ROOT/node-agent/target/hivemq-ce/lib
for f in "$LIB" cli/target/hivemq-cli.jar scheduler-svc/target/quarkus-app/quarkus-run.jar node-agent/target/quarkus-app/quarkus-run.jar; do
  [ -e "$f" ] || { echo "missing $f: run 'mvn -q install -DskipTests' first" >&2; exit 1; }
done
cleanup() { pkill -9 -f "$HIVEMQ_SUITE_HOME" 2>/dev/null || true; rm -rf "$HIVEMQ_SUITE_HOME"; }
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
accepts() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

bare_broker_start() {
  local home=$HIVEMQ_SUITE_HOME/bare-$1 address=127.0.250.1
  mkdir -p "$home"/{conf,data,log,extensions}
  cat > "$home/conf/config.xml" <<XML
<?xml version="1.0"?>
<hivemq>
  <listeners><tcp-listener><port>1883</port><bind-address>$address</bind-address></tcp-listener></listeners>
  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
</hivemq>
XML
  local start; start=$(now_ms)
  java -Xmx256m -XX:+UseSerialGC -Dhivemq.home="$home" -cp "$LIB/*" com.hivemq.HiveMQServer >"$home/log/console.log" 2>&1 &
  local pid=$!
  until accepts $address 1883; do sleep 0.05; done
  local took=$(( $(now_ms) - start ))
  BARE_RSS=$(rss_mb $pid)
  kill $pid; wait $pid 2>/dev/null || true
  echo $took
}

install_time() {
  local name=$1 count=$2 options=$HIVEMQ_SUITE_HOME/options-$1.json
  echo "{\"service\":{\"name\":\"$name\"},\"node\":{\"count\":$count}}" > "$options"
  local start; start=$(now_ms)
  ./hivemq install --options "$options" >"$HIVEMQ_SUITE_HOME/install-$name.log" 2>&1
  echo $(( $(now_ms) - start ))
}

# RSS in MB of each process kind of the installed service, max over processes of that kind.
process_rss() {
  local kind=$1 pattern=$2 max=0
  for pid in $(pgrep -f "$HIVEMQ_SUITE_HOME" || true); do
    local cmd; cmd=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null || true)
    if [[ $cmd == *"$pattern"* ]]; then
      local r; r=$(rss_mb $pid); [ "$r" -gt "$max" ] && max=$r
    fi
  done
  echo $max
}

echo "measuring bare broker cold start ($RUNS runs)..." >&2
bare=(); for i in $(seq 1 $RUNS); do bare+=("$(bare_broker_start $i)"); done
BARE=$(printf '%s\n' "${bare[@]}" | median)
BARE_RSS=0; bare_broker_start rss >/dev/null; BARE_RSS_KEEP=$BARE_RSS

echo "measuring install of 1 and 3 nodes ($RUNS runs each)..." >&2
one=(); three=()
for i in $(seq 1 $RUNS); do
  one+=("$(install_time bench-one 1)"); ./hivemq --name bench-one uninstall >/dev/null 2>&1
  three+=("$(install_time bench-three 3)")
  if [ "$i" -lt "$RUNS" ]; then ./hivemq --name bench-three uninstall >/dev/null 2>&1; fi
done
ONE=$(printf '%s\n' "${one[@]}" | median)
THREE=$(printf '%s\n' "${three[@]}" | median)

SUP=$(process_rss supervisor supervise.sh)
SCHED=$(process_rss scheduler scheduler-svc/target/quarkus-app)
AGENT=$(process_rss agent node-agent/target/quarkus-app)
BROKER=$(process_rss broker com.hivemq.HiveMQServer)
./hivemq --name bench-three uninstall >/dev/null 2>&1

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a/b}'; }
printf '\n%-44s %10s %12s %s\n' "measure (median of $RUNS)" "value" "vs baseline" "target"
printf '%-44s %8s ms %12s %s\n' "bare broker cold start (baseline)" "$BARE" "1.00x" ""
printf '%-44s %8s ms %12s %s\n' "install -> deploy COMPLETE, 1 node" "$ONE" "$(ratio "$ONE" "$BARE")" ""
printf '%-44s %8s ms %12s %s\n' "install -> deploy COMPLETE, 3 nodes" "$THREE" "$(ratio "$THREE" "$BARE")" "<= 2.00x"
printf '%-44s %8s MB %12s %s\n' "RSS bare broker (baseline)" "$BARE_RSS_KEEP" "1.00x" ""
printf '%-44s %8s MB %12s %s\n' "RSS broker in the suite (max of 3)" "$BROKER" "$(ratio "$BROKER" "$BARE_RSS_KEEP")" ""
printf '%-44s %8s MB %12s %s\n' "RSS node agent (max of 3)" "$AGENT" "$(ratio "$AGENT" "$BARE_RSS_KEEP")" "<= 200 MB"
printf '%-44s %8s MB %12s %s\n' "RSS scheduler" "$SCHED" "$(ratio "$SCHED" "$BARE_RSS_KEEP")" "<= 200 MB"
printf '%-44s %8s MB %12s %s\n' "RSS supervisor (shell)" "$SUP" "$(ratio "$SUP" "$BARE_RSS_KEEP")" "<= 200 MB"
