# Sourced by scripts/jaeger (and by tests' setup docs). Builds Jaeger v2 (the `cmd/jaeger` all-in-one) from the Go
# module proxy into .tools/jaeger/<version>/jaeger, once per version. `go install …@version` does not work for this
# module (its go.mod has replace directives), so it is built from a writable copy of the downloaded module folder.
# Cold on 2 cores: about 5 minutes, 120 MB. Not part of cold CI: the trace-owner tests run against it only when it is
# already built and use recorded responses (plugins/service-insights-backend/src/traces/__fixtures__) otherwise.

JAEGER_VERSION_PIN="v1.76.0" # Go module version of github.com/jaegertracing/jaeger (Jaeger v2.x binaries)

# shellcheck source=kube-tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/kube-tools.sh" # copy_go_module

jaeger_bin() { echo "$TOOLS_DIR/jaeger/$JAEGER_VERSION_PIN/jaeger"; }

ensure_jaeger() {
  local bin src
  bin=$(jaeger_bin)
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  src="$TOOLS_DIR/jaeger/src-$JAEGER_VERSION_PIN"
  log "building Jaeger $JAEGER_VERSION_PIN (cmd/jaeger) from the Go module proxy (about 5 min cold on 2 cores)"
  copy_go_module github.com/jaegertracing/jaeger "$JAEGER_VERSION_PIN" "$src" >&2
  mkdir -p "$(dirname "$bin")"
  (cd "$src" && GOWORK=off go build -o "$bin.partial" ./cmd/jaeger >&2)
  mv "$bin.partial" "$bin"
  rm -rf "$src"
  echo "$bin"
}
