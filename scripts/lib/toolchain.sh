# Sourced by scripts/start, scripts/test and friends. Makes sure this checkout has what it needs and nothing global
# changes: a Node that Backstage accepts (22 or 24), the Yarn release the repo pins, and installed dependencies.
# Everything it downloads comes from the npm registry and lands in .tools/ (git-ignored).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_VERSION_PIN="22.23.3"   # Node LTS used when the machine's own Node is older than 22
YARN_VERSION_PIN="4.13.0"    # must match "packageManager" in package.json

log() { printf '\033[1;34m[golden-path]\033[0m %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge 22 ] && [ "$(node_major "$system_node")" -le 24 ]; then
    return
  fi
  local os arch pkg
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported CPU $(uname -m)" >&2; exit 1 ;; esac
  pkg="node-$os-$arch"
  local node_home="$TOOLS_DIR/node/node_modules/$pkg"
  if [ ! -x "$node_home/bin/node" ] || [ "$("$node_home/bin/node" --version)" != "v$NODE_VERSION_PIN" ]; then
    if [ -z "$system_node" ]; then echo "npm (any Node version) is needed to bootstrap Node $NODE_VERSION_PIN" >&2; exit 1; fi
    log "installing Node $NODE_VERSION_PIN from the npm registry into .tools/node (the system Node is $("$system_node" --version))"
    npm install --prefix "$TOOLS_DIR/node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$pkg@$NODE_VERSION_PIN" >&2
  fi
  export PATH="$node_home/bin:$PATH"
  # node-gyp must build native modules (better-sqlite3) against this Node's headers, not the system Node's.
  export npm_config_nodedir="$node_home"
}

ensure_yarn() {
  local yarn_js="$TOOLS_DIR/yarn/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
  if [ ! -f "$yarn_js" ] || ! grep -q "\"version\": \"$YARN_VERSION_PIN\"" "$TOOLS_DIR/yarn/node_modules/@yarnpkg/cli-dist/package.json"; then
    log "installing Yarn $YARN_VERSION_PIN from the npm registry into .tools/yarn"
    npm install --prefix "$TOOLS_DIR/yarn" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "@yarnpkg/cli-dist@$YARN_VERSION_PIN" >&2
  fi
  mkdir -p "$TOOLS_DIR/bin"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$yarn_js" >"$TOOLS_DIR/bin/yarn"
  chmod +x "$TOOLS_DIR/bin/yarn"
  export PATH="$TOOLS_DIR/bin:$PATH"
  export YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_PROGRESS_BARS=0
}

# A hash of everything that decides what `yarn install` does; unchanged hash = nothing to install.
install_fingerprint() {
  (cd "$REPO_ROOT" && { cat yarn.lock .yarnrc.yml; git ls-files -co --exclude-standard -- 'package.json' '*/package.json' | grep -v node_modules | sort | xargs cat; } | sha256sum | cut -d' ' -f1)
}

ensure_dependencies() {
  local stamp="$REPO_ROOT/node_modules/.golden-path-install" want
  want="$(install_fingerprint)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  log "installing dependencies (yarn install); a cold install takes 4-6 minutes on 2 cores"
  local flags=()
  [ "${CI:-}" = "true" ] && flags+=(--immutable)
  (cd "$REPO_ROOT" && yarn install "${flags[@]}")
  install_fingerprint >"$stamp"
}

KUSTOMIZE_VERSION_PIN="v5.8.1" # v5.8.2+ need Go 1.27
ACTIONLINT_VERSION_PIN="v1.7.12" # lints the generated GitHub workflows in the conformance run
VEGETA_VERSION_PIN="v12.13.0"    # fixed-rate HTTP load for `yarn bench --only tracing` (packages/bench/lib/vegeta.ts)

# Go-built tools the conformance run needs, from the Go module proxy into .tools/go/bin (modules cached in GOMODCACHE).
ensure_go_tools() {
  command -v go >/dev/null 2>&1 || { echo "Go 1.26 is needed to build and test generated Go services" >&2; exit 1; }
  local bin="$TOOLS_DIR/go/bin"
  if [ ! -x "$bin/kustomize" ] || ! "$bin/kustomize" version 2>/dev/null | grep -q "$KUSTOMIZE_VERSION_PIN"; then
    log "building kustomize $KUSTOMIZE_VERSION_PIN into .tools/go/bin"
    GOBIN="$bin" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION_PIN" >&2
  fi
  if [ ! -x "$bin/actionlint" ] || [ "$("$bin/actionlint" -version 2>/dev/null | head -n 1)" != "$ACTIONLINT_VERSION_PIN" ]; then
    log "building actionlint $ACTIONLINT_VERSION_PIN into .tools/go/bin"
    GOBIN="$bin" go install -ldflags "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION_PIN" \
      "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION_PIN" >&2
  fi
  # vegeta prints no module version of its own when built with go install; the binary's build info has it.
  if [ ! -x "$bin/vegeta" ] || ! go version -m "$bin/vegeta" 2>/dev/null | grep -q "github.com/tsenart/vegeta/v12[[:space:]]*$VEGETA_VERSION_PIN"; then
    log "building vegeta $VEGETA_VERSION_PIN into .tools/go/bin"
    GOBIN="$bin" go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION_PIN" >&2
  fi
}

ensure_toolchain() {
  ensure_node
  ensure_yarn
  ensure_dependencies
}
