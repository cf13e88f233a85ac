#!/usr/bin/env bash
# Routing benchmark: three HiveMQ CE broker processes joined by the broker extension's router (127.0.77.1-3).
# Prints one table: QoS 0/1 throughput and p50/p99 latency on the same node vs across nodes, and the routing
# traffic with and without the subscription digest. Needs: mvn -q install -pl control-protocol,broker-extension -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o verify -pl broker-extension -Dit.test=RoutingBenchmarkIT -Drouting.benchmark=true \
    -Dfailsafe.failIfNoSpecifiedTests=false "$@" >/dev/null
sed -n '/=== routing benchmark/,$p' broker-extension/target/failsafe-reports/io.hivemqsuite.extension.RoutingBenchmarkIT-output.txt
