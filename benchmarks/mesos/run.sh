#!/bin/sh
# Mesos backend at scale: a 100-node deploy on 100 simulated agents of mesos-double, tasks simulated (no broker).
# usage: benchmarks/mesos/run.sh [NODES]   (run from anywhere; builds what it needs offline)
# Prints one table: time until every task is RUNNING, offers evaluated, offers evaluated per second of decision
# time, heap after GC of the one JVM holding the backend, the double and ZooKeeper.
here=$(cd "$(dirname "$0")/../.." && pwd)
nodes=${1:-100}
# -am: scheduler-svc and every module it needs (mesos-double, control-protocol, ...) from this tree, not ~/.m2
cd "$here" && mvn -o -q -B test -pl scheduler-svc -am -Dtest=MesosDeployBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.nodes="$nodes" -DtrimStackTrace=true 2>&1 \
  | grep -E '^\|' || { echo "benchmark failed: see scheduler-svc/target/surefire-reports" >&2; exit 1; }
