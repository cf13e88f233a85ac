#!/bin/sh
# Runs the Mesos master double in the foreground; prints the master URL first.
# usage: mesos-double/run.sh --agents N --port P [--agent-network 127.0.240] [--work-dir DIR] [--heartbeat-seconds S]
#        [--agent-attributes "zone:a;rack:r1,zone:b"] (agents take them in turn)
#        [--service-account UID=PUBLIC_KEY_PEM_FILE] (then scheduler calls need that account's DC/OS login)
# Build first: mvn -o -q package -DskipTests -pl mesos-double -am
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/mesos-double.jar"
if [ ! -f "$jar" ]; then
  echo "$jar is missing: build it with mvn -q package -DskipTests -pl mesos-double -am" >&2
  exit 1
fi
exec java -Xmx128m -XX:+UseSerialGC -cp "$jar:$here/target/lib/*" io.hivemqsuite.mesosdouble.Main "$@"
