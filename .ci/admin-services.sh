#!/usr/bin/env bash
# Services the alto-admin tests need: a local PostgreSQL 15 server (store suite on PostgreSQL) and
# Debian's Chromium + ChromeDriver (browser test). Idempotent; safe to run on every CI run.
#
# Use:  eval "$(bash .ci/admin-services.sh)"
# stdout is only the line `export ALTO_TEST_POSTGRES_URL=...`; all logs go to stderr.
set -euo pipefail

log() { echo "[admin-services] $*" >&2; }

need_pkgs=()
command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /usr/lib/postgresql ] && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_pkgs+=(postgresql)
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
[ -x /usr/bin/chromedriver ] || need_pkgs+=(chromium-driver)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
    log "installing ${need_pkgs[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q "${need_pkgs[@]}" >&2
fi

# The Debian package creates cluster "main"; a machine that lost it gets a new one.
pg_version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$pg_version main"; then
    log "creating PostgreSQL $pg_version cluster main"
    pg_createcluster "$pg_version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    log "starting PostgreSQL $pg_version"
    pg_ctlcluster "$pg_version" main start >&2
fi
for _ in $(seq 1 30); do
    runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
done
runuser -u postgres -- pg_isready -h 127.0.0.1 -p 5432 >&2

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -X -d postgres "$@" >&2; }
psql_admin -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alto') THEN
    CREATE ROLE alto LOGIN PASSWORD 'alto' CREATEDB;
  END IF;
END \$\$;"
# A fresh database per run: each test makes its own schema in it, and old ones go with it.
psql_admin -c "DROP DATABASE IF EXISTS alto_test WITH (FORCE);"
psql_admin -c "CREATE DATABASE alto_test OWNER alto;"

export ALTO_TEST_POSTGRES_URL="postgres://alto:alto@127.0.0.1:5432/alto_test"
log "PostgreSQL ready: ALTO_TEST_POSTGRES_URL=$ALTO_TEST_POSTGRES_URL"
echo "export ALTO_TEST_POSTGRES_URL=$ALTO_TEST_POSTGRES_URL"
