# Source me after scripts/install.sh: puts the project's Node first on PATH. Node 24 is a pinned
# devDependency (the `node` package from the npm registry), so `npm ci` provides it even on a
# machine whose system Node is older (CI machines ship Node 20), exactly as `npm run` does for
# package.json scripts.
_kuscia_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$_kuscia_root/node_modules/.bin:$PATH"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null; then
  echo "error: Node >= 24 not found (run scripts/install.sh first; have $(node --version 2>/dev/null || echo no node))" >&2
  return 1 2>/dev/null || exit 1
fi
unset _kuscia_root
