#!/usr/bin/env bash
# make bench-load (benchmarks/load/README.md): two fresh databases — the run's size and 1,000
# accounts (for the «queries at 1,000» column) — migrated, generated and checked, then run.py
# drives gunicorn with wrk and writes docs/performance.md. Each phase's time is printed.
#
#   ACCOUNTS MONTHS REQUESTS  the size (10000 12 20000)
#   CLIENTS SECONDS           wrk's clients per row and seconds per cell (1,10,50 and 5)
#   BENCH_CACHE_URL           the shared cache to serve with (dbcache://kabinet_cache, redis://…);
#                             default: each gunicorn worker's own memory cache
#   DB=sqlite                 files under var/ (default)
#   DB=postgresql             a throwaway cluster (scripts/pg.sh on port BENCH_PGPORT, 55440),
#                             stopped and deleted at the end; or, with DATABASE_URL=postgres://…,
#                             that server: databases kabinet_load and kabinet_load_1000 are
#                             dropped and created there (the database the URL names is not used)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
ACCOUNTS="${ACCOUNTS:-10000}"
MONTHS="${MONTHS:-12}"
REQUESTS="${REQUESTS:-20000}"
CLIENTS="${CLIENTS:-1,10,50}"
SECONDS_PER_CELL="${SECONDS:-5}"
DB="${DB:-sqlite}"
SMALL_ACCOUNTS=1000
SMALL_REQUESTS=$(( REQUESTS * SMALL_ACCOUNTS / (ACCOUNTS > 0 ? ACCOUNTS : 1) ))
[ "$SMALL_REQUESTS" -ge 1 ] || SMALL_REQUESTS=1
mkdir -p var
PHASES=var/bench-load-phases.txt
: >"$PHASES"

phase() {
  local name="$1" t0 t1
  shift
  t0=$(date +%s)
  "$@"
  t1=$(date +%s)
  echo "bench-load: $name: $(( t1 - t0 )) s" | tee -a "$PHASES"
}

django() {  # URL, then manage.py-less python arguments
  local url="$1"
  shift
  env -u DJANGO_SETTINGS_MODULE DATABASE_URL="$url" DJANGO_SETTINGS_MODULE=kabinet.config.settings.local \
    "$BIN/python" "$@"
}

case "$DB" in
  sqlite)
    BIG="sqlite:///$PWD/var/load-kabinet.sqlite3"
    SMALL="sqlite:///$PWD/var/load-kabinet-1000.sqlite3"
    rm -f var/load-kabinet.sqlite3 var/load-kabinet-1000.sqlite3
    ENGINE="SQLite"
    ;;
  postgresql)
    if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" == postgres* ]]; then
      SERVER="${DATABASE_URL%/*}"
    else
      export PGPORT_KABINET="${BENCH_PGPORT:-55440}"
      phase "PostgreSQL cluster started" scripts/pg.sh start
      trap 'scripts/pg.sh stop' EXIT
      SERVER="$(scripts/pg.sh url)"
      SERVER="${SERVER%/*}"
    fi
    BIG="$SERVER/kabinet_load"
    SMALL="$SERVER/kabinet_load_1000"
    "$BIN/python" - "$SERVER/postgres" <<'PY'
import sys

import psycopg

with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    for name in ("kabinet_load", "kabinet_load_1000"):
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
PY
    ENGINE="PostgreSQL"
    ;;
  *) echo "bench-load: DB must be sqlite or postgresql, got '$DB'" >&2; exit 2 ;;
esac

phase "migrate ($ACCOUNTS accounts database)" django "$BIG" manage.py migrate -v0
phase "generate $ACCOUNTS accounts × $MONTHS months, $REQUESTS requests" \
  django "$BIG" benchmarks/load/generate.py --accounts "$ACCOUNTS" --months "$MONTHS" --requests "$REQUESTS" --check
phase "migrate ($SMALL_ACCOUNTS accounts database)" django "$SMALL" manage.py migrate -v0
phase "generate $SMALL_ACCOUNTS accounts" \
  django "$SMALL" benchmarks/load/generate.py --accounts "$SMALL_ACCOUNTS" --months "$MONTHS" --requests "$SMALL_REQUESTS"
if [ "$ENGINE" = "PostgreSQL" ]; then
  # every query of every page EXPLAINed: a sequential scan of a big table fails the run
  phase "explain.py (no sequential scan of a big table on any page)" \
    env -u DJANGO_SETTINGS_MODULE -u DATABASE_URL "$BIN/python" benchmarks/load/explain.py \
    --database-url "$BIG" | tee var/bench-load-explain.txt
fi
phase "run.py (clients $CLIENTS, $SECONDS_PER_CELL s per cell)" \
  env -u DJANGO_SETTINGS_MODULE -u DATABASE_URL "$BIN/python" benchmarks/load/run.py \
  --database-url "$BIG" --baseline-url "$SMALL" --clients "$CLIENTS" --seconds "$SECONDS_PER_CELL" \
  --out docs/performance.md --cache-url "${BENCH_CACHE_URL:-}" \
  --note "$ACCOUNTS accounts × $MONTHS months, $REQUESTS requests, $ENGINE."
cat "$PHASES"
