#!/bin/sh
# Plays Marathon for one local-mode service: keeps one of its services running.
# usage: supervise.sh <stop-file> <log-file> <command> [args...]
# A non-zero exit is a crash: the command runs again after 1 s. Exit 0 (a clean stop, e.g. the scheduler after uninstall)
# or an existing <stop-file> (the CLI's uninstall) ends supervision.
stop_file="$1"
log_file="$2"
shift 2
while :; do
  "$@" >>"$log_file" 2>&1
  rc=$?
  if [ "$rc" -eq 0 ] || [ -e "$stop_file" ]; then
    echo "supervise: service exited with $rc, not restarting" >>"$log_file"
    exit 0
  fi
  echo "supervise: service exited with $rc, restarting in 1 s" >>"$log_file"
  sleep 1
  [ -e "$stop_file" ] && exit 0
done
