#!/usr/bin/env bash
# Run the whole test suite twice: on SQLite, then on a throwaway PostgreSQL cluster (scripts/pg.sh);
# then the cluster smoke test (scripts/cluster-smoke.sh) where its parts are installed.
#
#   scripts/test.sh [pytest args]      e.g. scripts/test.sh -k billing   /   scripts/test.sh -m browser
#
# Browser tests (marker `browser`) run in the same pytest invocation, against pytest-django's
# live_server, with Debian's Chromium. Markers written to var/:
#   var/test-pg-passed    the PostgreSQL pass ran and passed (.ci/run requires it)
#   var/test-pg-skipped   no PostgreSQL server could be had on this machine
#   var/cluster-smoke-skipped   the cluster smoke test could not start here (the reason inside)
# Logs: var/test-sqlite.log, var/test-postgresql.log, var/cluster-smoke.log. Exit status non-zero if either pass fails;
# pytest's exit code 5 (no tests collected) counts as a failure.
#
# Environment:
#   KABINET_TEST_WORKERS=auto   pytest-xdist workers (`-n`); 0 runs in one process
#   KABINET_SKIP_BOOTSTRAP=1    do not run scripts/bootstrap.sh --dev first
#   KABINET_TEST_PASSES="sqlite postgresql cluster"   which passes to run
#   KABINET_CHROMIUM=/usr/bin/chromium        the browser the Playwright fixtures launch
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p var
PG_PASSED="var/test-pg-passed"
PG_SKIPPED="var/test-pg-skipped"
CLUSTER_SKIPPED="var/cluster-smoke-skipped"
rm -f "$PG_PASSED" "$PG_SKIPPED" "$CLUSTER_SKIPPED"

if [ "${KABINET_SKIP_BOOTSTRAP:-0}" != 1 ]; then
  scripts/bootstrap.sh --dev
fi

# ORM calls from Playwright tests run inside its event loop; pytest-django's live_server is sync.
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export KABINET_CHROMIUM="${KABINET_CHROMIUM:-/usr/bin/chromium}"
# pyproject's [tool.pytest.ini_options] names the test settings; a DJANGO_SETTINGS_MODULE left in
# the shell (e.g. ...settings.local) would take precedence over it.
unset DJANGO_SETTINGS_MODULE
export PYTHONDONTWRITEBYTECODE=1

pytest_args=("$@")
# worksteal: an idle worker takes queued tests from a busy one, so the long browser journeys at
# the end do not leave one core waiting
xdist=(-n "${KABINET_TEST_WORKERS:-auto}" --dist worksteal)
for a in "$@"; do
  case "$a" in -n|-n*|--numprocesses*|no:xdist|-pno:xdist) xdist=() ;; esac
done
color=()
[ -t 1 ] && color=(--color=yes)

SUMMARY=()
overall=0

# run_pass LABEL LOGNAME VAR=VALUE... ; sets LAST_RC
run_pass() {
  local label="$1" log="var/test-$2.log"; shift 2
  local t0 rc tail_line
  t0=$(date +%s)
  echo
  echo "==================== $label pass: pytest ${xdist[*]} ${pytest_args[*]} ===================="
  set +e
  env "$@" .venv/bin/pytest "${xdist[@]}" "${color[@]}" "${pytest_args[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  tail_line="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^=+ .* in [0-9.]+s' | tail -n 1 | sed -E 's/^=+ //; s/ =+$//')"
  local secs=$(( $(date +%s) - t0 ))
  case "$rc" in
    0) SUMMARY+=("$label pass: PASSED in ${secs}s (${tail_line:-?})") ;;
    5) SUMMARY+=("$label pass: FAILED in ${secs}s: pytest collected no tests (exit 5)") ;;
    *) SUMMARY+=("$label pass: FAILED in ${secs}s, pytest exit $rc (${tail_line:-see $log})") ;;
  esac
  [ "$rc" = 0 ] || overall=1
  LAST_RC=$rc
}

passes="${KABINET_TEST_PASSES:-sqlite postgresql cluster}"

# --- SQLite ---------------------------------------------------------------------------------------
if [[ " $passes " == *" sqlite "* ]]; then
  # explicit, so a DATABASE_URL in the shell or in .env cannot turn this into another database
  run_pass SQLite sqlite "DATABASE_URL=sqlite:///$ROOT/var/test-kabinet.sqlite3"
fi

# --- PostgreSQL -----------------------------------------------------------------------------------
stop_pg=0
cleanup() {
  if [ "$stop_pg" = 1 ]; then
    scripts/pg.sh stop || echo "test: WARNING: could not stop the PostgreSQL cluster" >&2
    stop_pg=0
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ " $passes " == *" postgresql "* ]]; then
  pg_rc=0
  if scripts/pg.sh status >/dev/null 2>&1; then
    echo "test: reusing the PostgreSQL cluster that is already running (it is left running)"
  else
    scripts/pg.sh start || pg_rc=$?
    [ "$pg_rc" = 0 ] && stop_pg=1
  fi
  if [ "$pg_rc" = 3 ]; then
    cat >&2 <<'BANNER'

######################################################################
######################################################################
###                                                                ###
###   PostgreSQL pass SKIPPED: no PostgreSQL server on this host   ###
###   (apt-get install postgresql, or run scripts/bootstrap.sh     ###
###    --dev as root). CI refuses a run without this pass.         ###
###                                                                ###
######################################################################
######################################################################

BANNER
    echo "$(date -u +%FT%TZ) PostgreSQL pass: SKIPPED: no PostgreSQL server (scripts/pg.sh exit 3)" >"$PG_SKIPPED"
    SUMMARY+=("PostgreSQL pass: SKIPPED (no PostgreSQL server; marker $PG_SKIPPED)")
  elif [ "$pg_rc" != 0 ]; then
    SUMMARY+=("PostgreSQL pass: FAILED: the throwaway cluster did not start (scripts/pg.sh exit $pg_rc)")
    overall=1
  else
    run_pass PostgreSQL postgresql "DATABASE_URL=$(scripts/pg.sh url)"
    if [ "$LAST_RC" = 0 ]; then
      echo "$(date -u +%FT%TZ) ${SUMMARY[-1]}" >"$PG_PASSED"
    fi
    cleanup
  fi
fi

# --- the cluster smoke test (about 2 minutes) ----------------------------------------------------------
if [[ " $passes " == *" cluster "* ]]; then
  echo
  echo "==================== cluster smoke test: scripts/cluster-smoke.sh ===================="
  t0=$(date +%s)
  set +e
  scripts/cluster-smoke.sh
  cluster_rc=$?
  set -e
  secs=$(( $(date +%s) - t0 ))
  if [ "$cluster_rc" = 3 ]; then
    cat >&2 <<'BANNER'

######################################################################
######################################################################
###                                                                ###
###   Cluster smoke test SKIPPED: a part is missing on this host   ###
###   (the reason is printed above and in var/cluster-smoke.log;   ###
###    scripts/bootstrap.sh --dev as root installs them)           ###
###                                                                ###
######################################################################
######################################################################

BANNER
    { echo "$(date -u +%FT%TZ) cluster smoke test: SKIPPED"; cat var/cluster-smoke.log; } >"$CLUSTER_SKIPPED"
    SUMMARY+=("cluster smoke test: SKIPPED (a part is missing; $CLUSTER_SKIPPED)")
  elif [ "$cluster_rc" = 0 ]; then
    SUMMARY+=("cluster smoke test: PASSED in ${secs}s (var/cluster-smoke.log)")
  else
    SUMMARY+=("cluster smoke test: FAILED in ${secs}s, exit $cluster_rc (var/cluster-smoke.log)")
    overall=1
  fi
fi

echo
echo "==================== summary ===================="
for line in "${SUMMARY[@]}"; do echo "  $line"; done
exit "$overall"
