#!/usr/bin/env bash
# The README's "bring it up" command: a center-mode Kuscia network on this host, as background
# processes started with `kuscia start` — a master (API server, controllers, scheduler, lite
# registration) and the lite domains alice and bob (each a node agent running pods with RunP) —
# then the fake-engine AppImage and a 3-task, 2-party KusciaJob run to Succeeded.
#
#   scripts/quickstart.sh        start (or keep) the network and run the sample job
#   scripts/quickstart.sh down   stop every process it started, by PID (the state stays)
#
# State goes under $KUSCIA_HOME (default .kuscia in the checkout): <name>.yaml, <name>.pid and
# <name>.log per node, the master's admin kubeconfig at $KUSCIA_HOME/master/kubeconfig.yaml.
# Running it twice is harmless: running nodes are kept, registered lites reuse their credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export KUSCIA_HOME=${KUSCIA_HOME:-$ROOT/.kuscia}
API_PORT=${KUSCIA_API_PORT:-6443}
REGISTRATION_PORT=${KUSCIA_REGISTRATION_PORT:-18080}
LITES=(alice bob)
JOB=job-fake

# The external port of a node's gateway: KUSCIA_GATEWAY_PORT_<NODE>, else 20080 for the master,
# 21080 for alice, 22080 for bob (Kuscia: 1080 in each container; here they share one host).
gateway_port() {
  local var="KUSCIA_GATEWAY_PORT_${1^^}" default=20080
  case "$1" in alice) default=21080 ;; bob) default=22080 ;; esac
  echo "${!var:-$default}"
}

running() { [ -f "$KUSCIA_HOME/$1.pid" ] && kill -0 "$(cat "$KUSCIA_HOME/$1.pid")" 2>/dev/null; }

# SIGTERM lets `kuscia start` stop its modules (and a lite its pods) in order; whatever is left of
# its process group after 20 s is killed.
stop_node() {
  local name=$1 pidfile="$KUSCIA_HOME/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    echo "stopped $name (pid $pid)"
  fi
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

if [ "${1:-up}" = down ]; then
  for name in "${LITES[@]}" master; do stop_node "$name"; done
  exit 0
elif [ "${1:-up}" != up ]; then
  echo "usage: scripts/quickstart.sh [up|down]" >&2
  exit 2
fi

scripts/install.sh
# shellcheck source=scripts/node-env.sh
. scripts/node-env.sh
mkdir -p "$KUSCIA_HOME"
kuscia() { node --disable-warning=ExperimentalWarning "$ROOT/cmd/kuscia.ts" "$@"; }

# Starts `kuscia start -c <name>.yaml` in its own process group (setsid: `down` can sweep it) and
# waits for its ready line.
start_node() {
  local name=$1 log="$KUSCIA_HOME/$1.log"
  if running "$name"; then
    echo "== $name already running (pid $(cat "$KUSCIA_HOME/$name.pid"))"
    return 0
  fi
  echo "== starting $name: kuscia start -c $KUSCIA_HOME/$name.yaml (log: $log)"
  setsid node --disable-warning=ExperimentalWarning --max-semi-space-size=16 "$ROOT/cmd/kuscia.ts" start -c "$KUSCIA_HOME/$name.yaml" >"$log" 2>&1 </dev/null &
  echo $! >"$KUSCIA_HOME/$name.pid"
  for _ in $(seq 1 300); do
    if grep -q '^kuscia start: .* ready$' "$log"; then return 0; fi
    if ! running "$name"; then
      echo "error: $name exited; last lines of $log:" >&2
      tail -5 "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "error: $name not ready after 60 s; see $log" >&2
  exit 1
}

if [ ! -f "$KUSCIA_HOME/master.yaml" ]; then
  { kuscia init --mode master --domain kuscia-system
    printf 'home: %s\napiserver:\n  port: %s\nregistration:\n  port: %s\n' "$KUSCIA_HOME" "$API_PORT" "$REGISTRATION_PORT"
  } >"$KUSCIA_HOME/master.yaml.tmp"
  mv "$KUSCIA_HOME/master.yaml.tmp" "$KUSCIA_HOME/master.yaml"
fi
grep -q '^gateway:' "$KUSCIA_HOME/master.yaml" || printf 'gateway:\n  externalPort: %s\n' "$(gateway_port master)" >>"$KUSCIA_HOME/master.yaml"
start_node master
export KUBECONFIG=$KUSCIA_HOME/master/kubeconfig.yaml

echo "== applying the domains alice and bob and the fake-engine AppImage"
kubectl apply -f deploy/examples/domains.yaml -f deploy/examples/appimage-fake-engine.yaml

for lite in "${LITES[@]}"; do
  # A lite registers once with a one-time deploy token from its Domain's status; afterwards its
  # credential in $KUSCIA_HOME/<lite>/kubeconfig.yaml is reused, whatever the token says.
  if [ ! -f "$KUSCIA_HOME/$lite/kubeconfig.yaml" ] && ! running "$lite"; then
    token=''
    for _ in $(seq 1 100); do
      token=$(kubectl get domain "$lite" -o jsonpath='{.status.deployTokenStatuses[?(@.state=="unused")].token}')
      [ -n "$token" ] && break
      sleep 0.2
    done
    [ -n "$token" ] || { echo "error: the Domain $lite has no unused deploy token" >&2; exit 1; }
    { kuscia init --mode lite --domain "$lite" --lite-deploy-token "$token" --master-endpoint "https://127.0.0.1:$REGISTRATION_PORT"
      printf 'home: %s\n' "$KUSCIA_HOME"
    } >"$KUSCIA_HOME/$lite.yaml.tmp"
    mv "$KUSCIA_HOME/$lite.yaml.tmp" "$KUSCIA_HOME/$lite.yaml"
  fi
  # Each lite's gateway needs its own external port on a shared host (Kuscia: 1080 per container).
  grep -q '^gateway:' "$KUSCIA_HOME/$lite.yaml" || printf 'gateway:\n  externalPort: %s\n' "$(gateway_port "$lite")" >>"$KUSCIA_HOME/$lite.yaml"
  start_node "$lite"
done
kubectl wait --for=condition=Ready --timeout=60s node/kuscia-lite-alice node/kuscia-lite-bob
kubectl get nodes -o wide

echo "== connecting alice, bob and the master: token-authenticated ClusterDomainRoutes (RSA-GEN handshake between gateways)"
sed -e "s/port: 21080,/port: $(gateway_port alice),/" -e "s/port: 22080,/port: $(gateway_port bob),/" -e "s/port: 20080,/port: $(gateway_port master),/" \
  deploy/examples/clusterdomainroutes.yaml | kubectl apply -f -
kubectl wait --for=condition=Ready --timeout=60s cdr/alice-bob cdr/bob-alice cdr/alice-kuscia-system cdr/bob-kuscia-system
kubectl get cdr

# Applies a job and waits for it to end; fails the script unless it Succeeded.
run_job() {
  local job=$1 file=$2 phase=''
  kubectl apply -f "$file"
  for _ in $(seq 1 300); do
    phase=$(kubectl get kj "$job" -n cross-domain -o jsonpath='{.status.phase}')
    case "$phase" in Succeeded | Failed) break ;; esac
    sleep 0.4
  done
  kubectl get kj "$job" -n cross-domain
  if [ "$phase" != Succeeded ]; then
    echo "error: the job $job ended as '${phase:-unknown}'; see kubectl describe kj $job -n cross-domain and $KUSCIA_HOME/*.log" >&2
    exit 1
  fi
}

echo "== running the sample KusciaJob $JOB (3 tasks, alice and bob)"
run_job "$JOB" deploy/examples/kusciajob-fake.yaml
kubectl get kt -n cross-domain
# The pods of a succeeded task are deleted (as in Kuscia); their events tell where they ran.
kubectl get events -n alice --field-selector reason=Started
echo "== running job-peer: the parties ping each other through both gateways"
run_job job-peer deploy/examples/kusciajob-peer.yaml
cat <<MSG

The jobs $JOB and job-peer Succeeded: their pods ran as processes of the lites alice and bob, and
job-peer's parties reached each other through their gateways (token-authenticated). Try:
  export KUBECONFIG=$KUBECONFIG
  kubectl get kj,kt -n cross-domain
  kubectl get nodes; kubectl get domains; kubectl get cdr; kubectl get gateways -A
  kubectl delete kj $JOB -n cross-domain && kubectl apply -f deploy/examples/kusciajob-fake.yaml   # run it again
The README's tour goes on from here (a failing task, kubectl logs -f, deleting a pod).
Logs: $KUSCIA_HOME/{master,alice,bob}.log. Stop everything with: scripts/quickstart.sh down
MSG
