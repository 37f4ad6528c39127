#!/usr/bin/env bash
# Stops what scripts/quickstart.sh started (the data stays in .data/quickstart).
set -uo pipefail
cd "$(dirname "$0")/.."
DATA=${KUSCIA_DATA_DIR:-$PWD/.data/quickstart}
for component in scheduler controllers apiserver; do
  pidfile="$DATA/$component.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" && echo "stopped kuscia $component"
  fi
  rm -f "$pidfile"
done
