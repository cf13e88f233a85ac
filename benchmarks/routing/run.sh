#!/usr/bin/env bash
# Routing benchmark, two tables in one run. First: three bare HiveMQ CE broker processes joined by the broker
# extension's router (127.0.77.1-3): QoS 0/1 throughput and p50/p99 latency on the same node vs across nodes, and the
# routing traffic with and without the subscription digest. Second: a real 3-node service (`routing-bench`) installed
# by the CLI in a temporary HIVEMQ_SUITE_HOME and uninstalled afterwards: QoS 0/1 throughput and p50/p99 latency with
# publisher and subscriber on node 0, on nodes 0 and 1, and both through the MQTT VIP (on different nodes), each row
# also as a ratio to the same-node row. Builds what it runs from this tree
# (-am), so it never measures stale jars; needs the dependencies in ~/.m2 (the README's first set-up command).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o verify -pl broker-extension -am -Dit.test=RoutingBenchmarkIT -Dtest=none -Drouting.benchmark=true \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@" >/dev/null
sed -n '/=== routing benchmark/,$p' broker-extension/target/failsafe-reports/io.hivemqsuite.extension.RoutingBenchmarkIT-output.txt
mvn -q -o verify -pl system-tests -am -DskipITs -Dtest=RoutingBenchmark -Drouting.benchmark=true \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null
sed -n '/=== cluster routing benchmark/,$p' system-tests/target/surefire-reports/io.hivemqsuite.systemtest.RoutingBenchmark-output.txt
