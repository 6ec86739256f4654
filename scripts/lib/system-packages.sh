# Sourced by scripts/test. Installs the Debian packages the tests need when they are missing (as root, with apt-get);
# elsewhere it says what to install instead of guessing at a package manager.

# ensure_debian_package <command-or-path-that-proves-it-is-installed> <package> [why]
ensure_debian_package() {
  local probe="$1" package="$2" why="${3:-}"
  if command -v "$probe" >/dev/null 2>&1 || [ -e "$probe" ]; then
    return
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing $package${why:+ ($why)}. Install it with your package manager and run again." >&2
    exit 1
  fi
  log "installing Debian package $package${why:+ ($why)}"
  if [ "$package" = postgresql ]; then
    # The tests start their own throwaway server; don't let the package create and start a system cluster.
    mkdir -p /etc/postgresql-common
    grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf ||
      echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
  fi
  if [ -z "${GOLDEN_PATH_APT_UPDATED:-}" ]; then
    apt-get update -qq >&2
    export GOLDEN_PATH_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2
}
