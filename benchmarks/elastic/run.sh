#!/usr/bin/env bash
# Elastic benchmark: a real 3-node service (`elastic-bench`) installed by the CLI in a temporary HIVEMQ_SUITE_HOME and
# uninstalled afterwards, with QoS 1 publishers and persistent-session subscribers through the MQTT VIP during each
# case. Prints one table: a broker killed with kill -9 (time to detect and relaunch, time until the node is HEALTHY
# again, next to the new broker's own cold start), scale 3 -> 5 and 5 -> 3 (update plan time), and for each the
# longest time any client was without service, messages lost and duplicated.
# Builds what it runs from this tree (-am); needs the dependencies in ~/.m2 (the README's first set-up command). Starts brokers: on a shared machine run it
# under the heavy-test lock (flock /tmp/hivemq-heavy.lock benchmarks/elastic/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o verify -pl system-tests -am -DskipITs -Dtest=ElasticBenchmark -Delastic.benchmark=true \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" >/dev/null
sed -n '/=== elastic benchmark/,$p' system-tests/target/surefire-reports/io.hivemqsuite.systemtest.ElasticBenchmark-output.txt
