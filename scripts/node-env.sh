# Source me: puts a Node >= 24 first on PATH, installing one from the npm registry into .tools/
# when the system Node is older (CI machines ship Node 20). Idempotent and quiet when already set.
_kuscia_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_kuscia_node_version="24.21.0"
_kuscia_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_kuscia_major node)" -lt 24 ]; then
  if [ ! -x "$_kuscia_root/.tools/node_modules/.bin/node" ] || [ "$(_kuscia_major "$_kuscia_root/.tools/node_modules/.bin/node")" -lt 24 ]; then
    echo "installing Node ${_kuscia_node_version} into .tools/ (system node is $(node --version 2>/dev/null || echo missing))" >&2
    mkdir -p "$_kuscia_root/.tools"
    (cd "$_kuscia_root/.tools" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@${_kuscia_node_version}" >/dev/null) || {
      echo "error: could not install Node ${_kuscia_node_version} from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$_kuscia_root/.tools/node_modules/.bin:$PATH"
fi
export PATH="$_kuscia_root/node_modules/.bin:$PATH"
unset -f _kuscia_major
