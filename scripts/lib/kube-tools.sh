# Sourced by scripts/test (and scripts/kube-tools for developers). Builds a real Kubernetes control plane from the
# Go module proxy into .tools/kube/<version>/bin, once per version: etcd, kube-apiserver, kubectl, and — for tests
# that need running workloads — kube-controller-manager, kube-scheduler and kwok (fake nodes, simulated pods).
# Nothing is downloaded from a release site; the modules come through `go mod download` like any Go dependency.
# Cold on 2 cores: about 15 minutes (the Go build cache makes each later binary faster); warm: nothing to do.

KUBERNETES_VERSION_PIN="v1.37.2"
ETCD_VERSION_PIN="v3.7.3"
KWOK_VERSION_PIN="v0.8.0"

kube_bin_dir() { echo "$TOOLS_DIR/kube/$KUBERNETES_VERSION_PIN/bin"; }

# A writable copy of a downloaded module (module cache files are read-only), in a scratch dir under .tools.
copy_go_module() {
  local module="$1" version="$2" dest="$3"
  local dir
  dir=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "go mod download $module@$version gave no Dir" >&2; return 1; }
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  cp -r "$dir" "$dest"
  chmod -R u+w "$dest"
}

build_etcd() {
  local out="$1" src="$TOOLS_DIR/kube/src/etcd-server"
  log "building etcd $ETCD_VERSION_PIN from the Go module proxy (about 1.5 min cold)"
  copy_go_module go.etcd.io/etcd/server/v3 "$ETCD_VERSION_PIN" "$src"
  # Its replace directives point at sibling folders of the etcd repository, which a module copy does not have.
  (cd "$src" && GOWORK=off go mod edit $(go mod edit -json | node -e '
      const mod = JSON.parse(require("fs").readFileSync(0, "utf8"));
      console.log((mod.Replace ?? []).map(r => `-dropreplace=${r.Old.Path}`).join(" "));') &&
    GOWORK=off go mod tidy >&2 && GOWORK=off go build -o "$out/etcd" . >&2)
}

# kube-apiserver, kubectl, kube-controller-manager and kube-scheduler all build from one copy of k8s.io/kubernetes.
prepare_kubernetes_source() {
  local src="$TOOLS_DIR/kube/src/kubernetes"
  if [ -f "$src/.prepared-$KUBERNETES_VERSION_PIN" ]; then echo "$src"; return; fi
  log "preparing k8s.io/kubernetes $KUBERNETES_VERSION_PIN from the Go module proxy"
  copy_go_module k8s.io/kubernetes "$KUBERNETES_VERSION_PIN" "$src" >&2
  local staging_version="v0${KUBERNETES_VERSION_PIN#v1}" # k8s.io/api etc. are tagged v0.<minor>.<patch>
  (
    cd "$src"
    rm -rf go.work go.work.sum vendor
    # Each `replace k8s.io/X => ./staging/...` becomes a normal requirement on the published staging module.
    local edits
    edits=$(GOWORK=off go mod edit -json | node -e '
        const mod = JSON.parse(require("fs").readFileSync(0, "utf8"));
        const v = process.argv[1];
        console.log((mod.Replace ?? []).filter(r => r.New.Path.startsWith("./staging/"))
          .map(r => `-dropreplace=${r.Old.Path} -require=${r.Old.Path}@${v}`).join(" "));' "$staging_version")
    # shellcheck disable=SC2086
    GOWORK=off go mod edit $edits
    GOWORK=off go mod tidy -e >&2
  )
  touch "$src/.prepared-$KUBERNETES_VERSION_PIN"
  echo "$src"
}

build_kubernetes_command() {
  local name="$1" out="$2" src
  src=$(prepare_kubernetes_source)
  log "building $name $KUBERNETES_VERSION_PIN (kube-apiserver ≈ 6 min cold, the others 1-4 min)"
  (cd "$src" && GOWORK=off go build -mod=mod -o "$out/$name" "./cmd/$name" >&2)
}

build_kwok() {
  local out="$1"
  log "building kwok $KWOK_VERSION_PIN (about 3 min cold)"
  GOBIN="$out" go install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION_PIN" >&2
  # kwok's stage definitions (what a fake node and a fake pod go through) ship in its module.
  local dir
  dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION_PIN" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  local stages="$out/kwok-stages.yaml"
  : >"$stages"
  for f in "$dir"/kustomize/stage/node/fast/node-initialize.yaml "$dir"/kustomize/stage/node/heartbeat-with-lease/*.yaml \
    "$dir"/kustomize/stage/pod/fast/*.yaml; do
    [ "$f" = "$dir/kustomize/stage/node/heartbeat-with-lease/kustomization.yaml" ] && continue
    [ "$(basename "$f")" = kustomization.yaml ] && continue
    printf -- '---\n' >>"$stages"
    cat "$f" >>"$stages"
  done
}

# ensure_kube_tools [workloads]: the API server and etcd (and kubectl); with "workloads", also the controller
# manager, the scheduler and kwok, which a Deployment needs to become Available on a fake node.
ensure_kube_tools() {
  command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Kubernetes control plane" >&2; exit 1; }
  local out
  out=$(kube_bin_dir)
  mkdir -p "$out"
  [ -x "$out/etcd" ] || build_etcd "$out"
  local name
  for name in kube-apiserver kubectl; do
    [ -x "$out/$name" ] || build_kubernetes_command "$name" "$out"
  done
  if [ "${1:-}" = workloads ]; then
    for name in kube-controller-manager kube-scheduler; do
      [ -x "$out/$name" ] || build_kubernetes_command "$name" "$out"
    done
    [ -x "$out/kwok" ] && [ -s "$out/kwok-stages.yaml" ] || build_kwok "$out"
  fi
  export KUBE_TOOLS_DIR="$out"
}

# The CustomResourceDefinitions of the projects whose objects the templates generate, from each project's own
# module: published CRD manifests where its module ships them, generated from its Go API types with
# controller-gen where it does not (Flux's image automation: only its api modules are on the module proxy).
CRD_MODULES=(
  "github.com/external-secrets/external-secrets@v0.16.2:config/crds/bases"
  "github.com/kedacore/keda/v2@v2.21.0:config/crd/bases"
  "github.com/fluxcd/source-controller@v1.9.6:config/crd/bases"
  "github.com/fluxcd/kustomize-controller@v1.9.6:config/crd/bases"
  # Chaos Mesh (opt-in experiments in staging). Its release tags are not valid Go module versions, so the proxy
  # serves only master pseudo-versions; this one's PodChaos, NetworkChaos and Schedule CRDs are byte-identical to
  # the v2.8.3 release's.
  "github.com/chaos-mesh/chaos-mesh@v0.9.1-0.20260902003049-47411975a8cb:config/crd/bases"
)
CRD_API_MODULES=(
  "github.com/fluxcd/image-reflector-controller/api@v1.2.5"
  "github.com/fluxcd/image-automation-controller/api@v1.2.5"
)
CONTROLLER_GEN_VERSION_PIN="v0.23.0"

go_module_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

ensure_kube_crds() {
  local out="$TOOLS_DIR/kube/crds"
  local stamp="$out/.modules" want
  want=$(printf '%s\n' "${CRD_MODULES[@]}" "${CRD_API_MODULES[@]}" "$CONTROLLER_GEN_VERSION_PIN")
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    export KUBE_CRDS_DIR="$out"
    return
  fi
  log "collecting CRDs (External Secrets, KEDA, Flux, Chaos Mesh) from their Go modules into .tools/kube/crds"
  # Collected next to the old folder and swapped in at the end, so a test reading the CRDs never sees half of them.
  local final="$out"
  out="$final.new.$$"
  rm -rf "$out"
  mkdir -p "$out"
  local entry module folder dir
  for entry in "${CRD_MODULES[@]}"; do
    module="${entry%%:*}"
    folder="${entry#*:}"
    dir=$(go_module_dir "$module")
    [ -n "$dir" ] && [ -d "$dir/$folder" ] || { echo "no $folder in $module" >&2; return 1; }
    cp "$dir/$folder"/*.yaml "$out/"
  done
  rm -f "$out/kustomization.yaml"
  local gen="$TOOLS_DIR/kube/bin-controller-gen-$CONTROLLER_GEN_VERSION_PIN"
  if [ ! -x "$gen/controller-gen" ]; then
    GOBIN="$gen" go install "sigs.k8s.io/controller-tools/cmd/controller-gen@$CONTROLLER_GEN_VERSION_PIN" >&2
  fi
  local scratch
  for module in "${CRD_API_MODULES[@]}"; do
    dir=$(go_module_dir "$module")
    scratch=$(mktemp -d)
    cp -r "$dir/." "$scratch"
    chmod -R u+w "$scratch"
    (cd "$scratch" && go mod download && "$gen/controller-gen" crd paths=./... output:crd:dir="$out") >&2
    rm -rf "$scratch"
  done
  printf '%s' "$want" >"$out/.modules"
  rm -rf "$final.old.$$"
  [ ! -d "$final" ] || mv "$final" "$final.old.$$"
  mv "$out" "$final"
  rm -rf "$final.old.$$"
  export KUBE_CRDS_DIR="$final"
}
