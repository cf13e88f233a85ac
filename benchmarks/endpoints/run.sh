#!/usr/bin/env bash
# Endpoint benchmark: through the VIP vs straight to one node vs through HAProxy (connection rate, QoS 0/1
# throughput, p50/p99 latency), and each node's time out of VIP rotation during an update next to its broker
# restart. Prints one table. Needs: mvn -q install -DskipTests, and Debian's haproxy (apt-get install -y haproxy).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o verify -f system-tests/pom.xml -Dtest=EndpointBenchmark -Dendpoint.benchmark=true \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null
sed -n '/=== endpoint benchmark/,$p' system-tests/target/surefire-reports/io.hivemqsuite.systemtest.EndpointBenchmark-output.txt
