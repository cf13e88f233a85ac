#!/bin/sh
# Mesos backend at scale, and mesos mode against local mode for a real deploy.
# usage: benchmarks/mesos/run.sh [NODES]   (run from anywhere; builds what it needs offline, in this tree)
# Prints two tables:
# 1. a 100-node deploy on 100 simulated agents of mesos-double, tasks simulated (no broker): time until every task is
#    RUNNING, offers evaluated, offers evaluated per second of decision time, heap after GC of the one JVM holding the
#    backend, the double and ZooKeeper;
# 2. a real 3-node deploy (brokers) installed through the CLI, in mesos mode against mesos-double/run.sh and in local
#    mode, alternating (ROUNDS, default 2, of each): install -> deploy COMPLETE, and the ratio mesos / local.
# Starts brokers: on a shared machine run it under flock /tmp/hivemq-heavy.lock.
here=$(cd "$(dirname "$0")/../.." && pwd)
nodes=${1:-100}
rounds=${ROUNDS:-2}
cd "$here" || exit 1
# -am: every module needed, from this tree (not ~/.m2): the CLI, the services, the node agent, the broker and its
# extension for the real deploys, mesos-double for both
mvn -o -q -B package -DskipTests -pl cli,scheduler-svc,endpoint-svc,sidecar-svc,metrics-svc,node-agent,broker-extension,broker-distribution,mesos-double -am \
  || { echo "build failed" >&2; exit 1; }
mvn -o -q -B test -pl scheduler-svc -am -Dtest=MesosDeployBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.nodes="$nodes" -DtrimStackTrace=true 2>&1 \
  | grep -E '^\|' || { echo "benchmark failed: see scheduler-svc/target/surefire-reports" >&2; exit 1; }

HIVEMQ_SUITE_HOME=$(mktemp -d /tmp/hivemq-bench-mesos.XXXXXX)
export HIVEMQ_SUITE_HOME
double_pid=
cleanup() {
  [ -n "$double_pid" ] && kill "$double_pid" 2>/dev/null
  pkill -9 -f "$HIVEMQ_SUITE_HOME" 2>/dev/null
  rm -rf "$HIVEMQ_SUITE_HOME"
}
trap cleanup EXIT INT TERM
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The double on its own agent network, its task sandboxes under the suite home (so cleanup finds every process).
mesos-double/run.sh --agents 3 --port 15061 --agent-network 127.0.237 --work-dir "$HIVEMQ_SUITE_HOME/double" \
  >"$HIVEMQ_SUITE_HOME/double.log" 2>&1 &
double_pid=$!
master=
for _ in $(seq 1 300); do
  master=$(grep -m1 '^http' "$HIVEMQ_SUITE_HOME/double.log" 2>/dev/null)
  [ -n "$master" ] && break
  kill -0 "$double_pid" 2>/dev/null || break
  sleep 0.2
done
[ -n "$master" ] || { echo "mesos-double did not start: $(cat "$HIVEMQ_SUITE_HOME/double.log")" >&2; exit 1; }

# install -> deploy COMPLETE in ms (the CLI returns once the deploy plan is COMPLETE), then uninstall
deploy_ms() {
  name=$1 options=$HIVEMQ_SUITE_HOME/$1.json
  printf '%s' "$2" >"$options"
  start=$(now_ms)
  ./hivemq install --options "$options" >"$HIVEMQ_SUITE_HOME/install-$name.log" 2>&1 \
    || { echo "install of $name failed: $(tail -5 "$HIVEMQ_SUITE_HOME/install-$name.log")" >&2; exit 1; }
  echo $(( $(now_ms) - start ))
  ./hivemq --name "$name" uninstall >"$HIVEMQ_SUITE_HOME/uninstall-$name.log" 2>&1 \
    || { echo "uninstall of $name failed: $(tail -5 "$HIVEMQ_SUITE_HOME/uninstall-$name.log")" >&2; exit 1; }
}

local_sum=0 mesos_sum=0 rows=
for round in $(seq 1 "$rounds"); do
  l=$(deploy_ms "l$round" '{"service":{"name":"l'"$round"'"},"node":{"count":3}}') || exit 1
  m=$(deploy_ms "m$round" '{"service":{"name":"m'"$round"'","mode":"mesos","mesos_master":"'"$master"'"},"node":{"count":3}}') || exit 1
  local_sum=$((local_sum + l)) mesos_sum=$((mesos_sum + m))
  rows="$rows| $round | $(awk "BEGIN{printf \"%.1f\", $l/1000}") s | $(awk "BEGIN{printf \"%.1f\", $m/1000}") s | $(awk "BEGIN{printf \"%.2f\", $m/$l}") |
"
done
echo
echo "| round | local mode, 3 real nodes: install -> deploy COMPLETE | mesos mode (mesos-double, 3 agents), 3 real nodes | mesos / local |"
echo "|---|---|---|---|"
printf '%s' "$rows"
echo "| mean | $(awk "BEGIN{printf \"%.1f\", $local_sum/$rounds/1000}") s | $(awk "BEGIN{printf \"%.1f\", $mesos_sum/$rounds/1000}") s | $(awk "BEGIN{printf \"%.2f\", $mesos_sum/$local_sum}") |"
