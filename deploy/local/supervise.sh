#!/bin/sh
# Plays Marathon for one local-mode service: keeps its scheduler running.
# usage: supervise.sh <stop-file> <log-file> <command> [args...]
# A non-zero exit is a crash: the command runs again after 1 s. Exit 0 (the scheduler's own uninstall)
# or an existing <stop-file> (the CLI's uninstall) ends supervision.
stop_file="$1"
log_file="$2"
shift 2
while :; do
  "$@" >>"$log_file" 2>&1
  rc=$?
  if [ "$rc" -eq 0 ] || [ -e "$stop_file" ]; then
    echo "supervise: scheduler exited with $rc, not restarting" >>"$log_file"
    exit 0
  fi
  echo "supervise: scheduler exited with $rc, restarting in 1 s" >>"$log_file"
  sleep 1
  [ -e "$stop_file" ] && exit 0
done
