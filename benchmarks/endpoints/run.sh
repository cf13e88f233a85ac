#!/usr/bin/env bash
# Endpoint benchmark: through the VIP vs straight to one node vs through HAProxy (connection rate, QoS 0/1
# throughput, p50/p99 latency; medians of -Dbench.rounds=3 rounds, with the VIP's ratios to both), and each node's
# time out of VIP rotation during an update next to its broker restart. Prints one table. Builds what it runs in this
# checkout (offline, nothing taken from ~/.m2's suite artifacts); needs Debian's haproxy (apt-get install -y haproxy).
# Starts brokers: on a shared machine run it under flock /tmp/hivemq-heavy.lock.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o verify -pl system-tests -am -DskipITs -Dtest=EndpointBenchmark -Dendpoint.benchmark=true \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null
sed -n '/=== endpoint benchmark/,$p' system-tests/target/surefire-reports/io.hivemqsuite.systemtest.EndpointBenchmark-output.txt \
    | sed '/^\$ hivemq/,$d'
