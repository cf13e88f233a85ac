#!/usr/bin/env bash
# Writes a Quarkus service's class-data sharing archive next to its quarkus-run.jar (ServiceJvm.CDS_ARCHIVE): runs
# the application once in Quarkus' archive mode (quarkus.appcds.generate: static init, then exit; the jar must be built
# with quarkus.package.jar.appcds.enabled for its main to know that mode) and lets the JVM
# dump the classes it loaded (-XX:ArchiveClassesAtExit, a dynamic archive, JDK 13+). Unlike the archive Quarkus
# itself writes (quarkus.package.jar.appcds), the jar is named by its absolute path: a JDK 17 archive records the
# class path as it was given, and the suite's launchers start each service with -jar <absolute path> from another
# folder. The archive is an optimisation only: any failure leaves no archive and the build goes on.
#
#   service-cds.sh <quarkus-app folder>
set -uo pipefail
app=$(cd "$1" && pwd) || exit 0
archive=$app/service-cds.jsa
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
rm -f "$archive" "$archive.tmp"
log=$(mktemp "${TMPDIR:-/tmp}/service-cds.XXXXXX")
trap 'rm -f "$log"' EXIT
# the application exits by itself after static init; the timeout only keeps a broken one from holding the build
( cd "${TMPDIR:-/tmp}" && timeout 300 "$java" -XX:ArchiveClassesAtExit="$archive.tmp" -Dquarkus.appcds.generate=true \
    -jar "$app/quarkus-run.jar" >"$log" 2>&1 )
if [ -s "$archive.tmp" ]; then
  mv "$archive.tmp" "$archive"
  echo "service CDS archive: $archive"
else
  rm -f "$archive.tmp"
  echo "service CDS archive not written (the service starts without it); its output:" >&2
  tail -20 "$log" >&2
fi
exit 0
