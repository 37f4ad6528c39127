#!/usr/bin/env bash
# The README's "bring it up" command. At this stage of the project: start the embedded API server
# (HTTPS, SQLite), the Kuscia controllers and the kuscia-scheduler in the background, apply Kuscia's
# CRDs, the domains alice and bob, the secretflow AppImage and the sample KusciaJob, and show with
# kubectl how the job is scheduled: tasks, TaskResourceGroups and pods in both domains. The pods wait
# for nodes until the node agent exists (issue 5). Stop everything with scripts/quickstart-stop.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
# shellcheck source=scripts/node-env.sh
. scripts/node-env.sh
DATA=${KUSCIA_DATA_DIR:-$PWD/.data/quickstart}
PORT=${KUSCIA_API_PORT:-6443}
mkdir -p "$DATA"
if [ -f "$DATA/apiserver.pid" ] && kill -0 "$(cat "$DATA/apiserver.pid")" 2>/dev/null; then
  echo "== API server already running (pid $(cat "$DATA/apiserver.pid"))"
else
  echo "== starting kuscia apiserver on https://127.0.0.1:$PORT (data in $DATA)"
  # Same Node flags as cmd/node-flags.ts.
  nohup node --disable-warning=ExperimentalWarning --max-semi-space-size=16 cmd/kuscia.ts apiserver --data-dir "$DATA" --port "$PORT" >"$DATA/apiserver.log" 2>&1 &
  echo $! >"$DATA/apiserver.pid"
fi
export KUBECONFIG="$DATA/kubeconfig.yaml"
for _ in $(seq 1 100); do
  if [ -f "$KUBECONFIG" ] && kubectl get --raw /readyz >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat "$DATA/apiserver.pid")" 2>/dev/null; then
    echo "error: the API server exited; see $DATA/apiserver.log" >&2
    tail -5 "$DATA/apiserver.log" >&2
    exit 1
  fi
  sleep 0.2
done
kubectl version
echo "== applying Kuscia CRDs"
kubectl apply -f crds/v1alpha1/
kubectl wait --for condition=established --timeout=30s crd --all >/dev/null
kubectl create namespace cross-domain --dry-run=client -o yaml | kubectl apply -f -
for component in controllers scheduler; do
  pidfile="$DATA/$component.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "== kuscia $component already running (pid $(cat "$pidfile"))"
  else
    echo "== starting kuscia $component"
    nohup node --disable-warning=ExperimentalWarning --max-semi-space-size=16 cmd/kuscia.ts "$component" --kubeconfig "$KUBECONFIG" --healthz-port 0 >"$DATA/$component.log" 2>&1 &
    echo $! >"$pidfile"
  fi
done
echo "== applying the domains alice and bob and the secretflow AppImage"
kubectl apply -f deploy/examples/domains.yaml -f deploy/examples/appimage-secretflow.yaml
echo "== submitting the sample KusciaJob"
kubectl apply -f deploy/examples/kusciajob-psi.yaml
for _ in $(seq 1 150); do
  if kubectl get pods -n bob -o name 2>/dev/null | grep -q job-psi; then break; fi
  sleep 0.2
done
kubectl get domains
kubectl get kj -n cross-domain
kubectl get kt -n cross-domain
kubectl get trg
kubectl get pods -n alice
kubectl get pods -n bob
cat <<MSG

The API server, the controllers and the scheduler are running. The job's first task has its pods in alice and bob;
they stay Pending (0/0 nodes) until nodes join: the node agent is the next issue. Try:
  export KUBECONFIG=$KUBECONFIG
  kubectl get kj,kt -n cross-domain -w
  kubectl get tr -A
  kubectl describe pod -n alice -l kuscia.secretflow/controller=kusciatask
  kubectl label kj job-psi -n cross-domain kuscia.secretflow/job-stage=Stop    # stop the job
Stop everything with: scripts/quickstart-stop.sh
MSG
