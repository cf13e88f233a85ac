#!/usr/bin/env bash
# Writes the broker's class-data sharing archive (a dynamic CDS archive, JDK 13+): starts the broker of lib/ once,
# on a throw-away home and a port the system picks, until it logs "Started HiveMQ", and stops it; the JVM writes the
# classes it loaded to the archive as it exits. The node agent maps the archive when it is there (BrokerLaunch), so
# a broker starts with its classes already parsed and verified. The archive is an optimisation only: any failure
# here leaves no archive and the build goes on.
#
#   broker-cds.sh <lib folder> <archive>
set -uo pipefail
lib=$(cd "$1" && pwd) || exit 0
archive=$2
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
home=$(mktemp -d "${TMPDIR:-/tmp}/broker-cds.XXXXXX")
trap 'rm -rf "$home"' EXIT
mkdir -p "$home"/{conf,data,log,extensions}
cat > "$home/conf/config.xml" <<XML
<?xml version="1.0"?>
<hivemq>
  <listeners><tcp-listener><port>0</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
</hivemq>
XML
rm -f "$archive" "$archive.tmp"
# the classpath exactly as BrokerLaunch writes it (an absolute folder and /*): the JVM checks it against the archive's
"$java" -Xmx256m -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$archive.tmp" -Dhivemq.home="$home" \
  -cp "$lib/*" com.hivemq.HiveMQServer >"$home/log/console.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  grep -q "Started HiveMQ" "$home/log/console.log" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
kill -TERM $pid 2>/dev/null
wait $pid
if [ -s "$archive.tmp" ]; then
  mv "$archive.tmp" "$archive"
  echo "broker CDS archive: $archive"
else
  rm -f "$archive.tmp"
  echo "broker CDS archive not written (the broker starts without it); its log:" >&2
  tail -20 "$home/log/console.log" >&2
fi
exit 0
