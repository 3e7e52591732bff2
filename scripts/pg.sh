#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: fast (no fsync), loopback only, trust auth, deleted on stop.
#
#   scripts/pg.sh start    init a fresh cluster, start it, create database `kabinet`
#   scripts/pg.sh stop     stop it (pg_ctl with its data dir) and delete the cluster folder
#   scripts/pg.sh status   is it running?
#   scripts/pg.sh url      print the DATABASE_URL: postgres://kabinet@127.0.0.1:55432/kabinet
#
# Environment:
#   PGPORT_KABINET   port on 127.0.0.1 (default 55432)
#   KABINET_PG_DIR   cluster folder (default /tmp/kabinet-pg-$UID-$PORT); must be reachable by the
#                    postgres user when run as root
# Exit codes: 0 ok, 1 failure, 3 no PostgreSQL server available on this machine.
# As root the server runs as `postgres` (initdb refuses root) through runuser.
set -euo pipefail

PORT="${PGPORT_KABINET:-55432}"
USER_NAME="kabinet"
DB_NAME="kabinet"
DIR="${KABINET_PG_DIR:-/tmp/kabinet-pg-$(id -u)-$PORT}"
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
cd /   # the postgres user (via runuser) may not be allowed into the caller's directory
DATA="$DIR/data"
SOCK="$DIR/socket"
LOG="$DIR/server.log"
EXIT_UNAVAILABLE=3

say() { echo "pg: $*"; }
die() { echo "pg: ERROR: $1" >&2; exit "${2:-1}"; }

case "$PORT" in ''|*[!0-9]*) die "PGPORT_KABINET must be a number, got '$PORT'" ;; esac

url() { echo "postgres://$USER_NAME@127.0.0.1:$PORT/$DB_NAME"; }

find_bindir() {
  local d best=""
  # Debian/Ubuntu: /usr/lib/postgresql/<major>/bin, highest major wins
  while read -r d; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best="$d"
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
  if [ -z "$best" ] && command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    best="$(dirname "$(command -v pg_ctl)")"
  fi
  [ -n "$best" ] || return 1
  echo "$best"
}

# run a server-side command as the cluster's owner
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

need_bins() {
  BIN="$(find_bindir)" || die "no PostgreSQL server found (looked in /usr/lib/postgresql/*/bin and PATH for initdb + pg_ctl).
  Install one: apt-get install --no-install-recommends postgresql" "$EXIT_UNAVAILABLE"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to own the cluster
  (initdb refuses root); install the postgresql package or run as a normal user" "$EXIT_UNAVAILABLE"
    command -v runuser >/dev/null 2>&1 || die "running as root but runuser is missing" "$EXIT_UNAVAILABLE"
  fi
}

is_running() {
  [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  need_bins
  if is_running; then
    say "already running on 127.0.0.1:$PORT ($DIR)"
  else
    if [ -e "$DIR" ]; then
      say "removing a stale cluster folder $DIR"
      rm -rf "$DIR"
    fi
    mkdir -p "$DIR" "$SOCK"
    chmod 700 "$DIR"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$DIR"
    local t0; t0=$(date +%s%N)
    # -U makes `kabinet` the bootstrap superuser (pytest-django needs CREATE DATABASE);
    # UTF8 + C.UTF-8 regardless of the caller's locale (an unset LANG would give SQL_ASCII)
    as_owner "$BIN/initdb" --no-sync -A trust -U "$USER_NAME" -E UTF8 --locale=C.UTF-8 \
      -D "$DATA" >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
      echo "---- $LOG (last 20 lines) ----" >&2
      tail -n 20 "$LOG" >&2 || true
      die "the server did not start (is port $PORT already in use? set PGPORT_KABINET)"
    fi
    local t1; t1=$(date +%s%N)
    say "started PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT in $(( (t1 - t0) / 1000000 )) ms ($DIR)"
  fi
  if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d postgres -Atqc \
       "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" "$DB_NAME" || die "createdb $DB_NAME failed"
    say "created database $DB_NAME"
  fi
  say "DATABASE_URL=$(url)"
}

stop() {
  BIN="$(find_bindir)" || { say "no PostgreSQL binaries; nothing to stop"; rm -rf "$DIR"; return 0; }
  if [ -f "$DATA/PG_VERSION" ]; then
    if is_running; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null \
        || die "pg_ctl stop failed; the server may still be running (data dir $DATA)"
      say "stopped the cluster on port $PORT"
    else
      say "not running"
    fi
  else
    say "no cluster at $DIR"
  fi
  rm -rf "$DIR"
}

status() {
  need_bins
  if is_running; then say "running on 127.0.0.1:$PORT ($DIR)"; else say "not running"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
