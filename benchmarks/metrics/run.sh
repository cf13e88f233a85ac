#!/usr/bin/env bash
# Metrics benchmark: two 1-node services installed by the CLI in a temporary HIVEMQ_SUITE_HOME, one with
# hivemq.metrics_interval=1 and one with hivemq.metrics_enabled=false; QoS 1 bursts (Paho, publisher and subscriber on
# the node) alternate between them round by round; prints msg/s per round, the medians and their ratio, then the
# CPU and RSS of the first service's metrics-svc over the run. Builds what it
# runs from this tree (-am); needs the dependencies in ~/.m2 (the README's first set-up command).
# Options: -Dmetrics.benchmark.burst=20000 -Dmetrics.benchmark.rounds=5
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o verify -pl system-tests -am -DskipITs -Dtest=MetricsBenchmark -Dmetrics.benchmark=true \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null
sed -n '/=== metrics benchmark/,$p' system-tests/target/surefire-reports/io.hivemqsuite.systemtest.MetricsBenchmark-output.txt
