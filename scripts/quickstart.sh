#!/usr/bin/env bash
# The README's "bring it up" command. At this stage of the project: start the embedded API server
# (HTTPS, SQLite) in the background, apply Kuscia's CRDs, submit the sample KusciaJob and show it
# with kubectl. The server keeps running; stop it with: kill "$(cat .data/quickstart/apiserver.pid)"
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
echo "== submitting the sample KusciaJob"
kubectl apply -f deploy/examples/kusciajob-psi.yaml
kubectl get kj -n cross-domain
kubectl get kj job-psi -n cross-domain -o jsonpath='scheduleMode={.spec.scheduleMode} maxParallelism={.spec.maxParallelism}{"\n"}'
cat <<MSG

The API server is running. Try:
  export KUBECONFIG=$KUBECONFIG
  kubectl get kj -n cross-domain -w
  kubectl explain kusciajob.spec.tasks
Stop it with: kill \$(cat $DATA/apiserver.pid)
MSG
