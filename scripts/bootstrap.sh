#!/usr/bin/env bash
# Set up (or bring up to date) everything Kabinet needs on this machine. Idempotent, non-interactive.
#
#   scripts/bootstrap.sh          runtime: system libraries + .venv from requirements/base.txt
#   scripts/bootstrap.sh --dev    + test/dev tools: chromium, poppler-utils, postgresql,
#                                   redis-server and nginx (the cluster smoke test), wrk (make bench-load),
#                                   .venv from requirements/dev.txt
#
# Steps: (1) find a Python >= 3.12, (2) install missing Debian packages (root only; otherwise say
# which ones are missing and stop), (3) create .venv, install uv into it, sync the hashed lock file
# and `pip install --no-deps -e .`, (4) compile translations if src/kabinet/locale exists.
# The venv step is skipped when a stamp file says this lock was already installed.
#
# Environment:
#   KABINET_PYTHON=/path/to/python3.x     use this interpreter (must be >= 3.12)
#   KABINET_SKIP_SYSTEM_PACKAGES=1        do not check/install Debian packages
#   KABINET_FORCE_SYNC=1                  reinstall the lock even if the stamp says it is current
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

UV_VERSION="0.13.9"          # the uv installed into .venv (also used by scripts/lock.sh)
VENV="$ROOT/.venv"
STAMP="$VENV/.kabinet-bootstrap-stamp"

RUNTIME_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra gettext"
# redis-server + nginx: only scripts/cluster-smoke.sh starts them (on loopback, in a temp folder);
# Debian does not start the installed services here, and the smoke test never uses the system ones;
# wrk: only make bench-load drives it (benchmarks/load/run.py)
DEV_PACKAGES="chromium poppler-utils redis-server nginx wrk"   # + a PostgreSQL server, see want_postgresql

dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bootstrap: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "bootstrap: $*"; }
die() { echo "bootstrap: ERROR: $*" >&2; exit 1; }
DONE=()
did() { DONE+=("$*"); }
t_start=$(date +%s)

# --- (1) a Python >= 3.12 --------------------------------------------------------------------
py_ok() {  # runs the candidate for real: pyenv shims exist on PATH even when they cannot run
  [ -n "$1" ] && [ -x "$1" ] || return 1
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local c
  if [ -n "${KABINET_PYTHON:-}" ]; then
    echo "$KABINET_PYTHON"; return
  fi
  for c in python3.13 python3.12; do
    c="$(command -v "$c" 2>/dev/null || true)"
    if py_ok "$c"; then echo "$c"; return; fi
  done
  local pyenv_versions="${PYENV_ROOT:-$HOME/.pyenv}/versions"
  if [ -d "$pyenv_versions" ]; then
    # highest version first; python3.12 but not python3.12-config / -gdb.py
    while read -r c; do
      if py_ok "$c"; then echo "$c"; return; fi
    done < <(printf '%s\n' "$pyenv_versions"/3.1[2-9]*/bin/python3.* \
               | grep -E '/python3\.[0-9]+$' | sort -V -r)
  fi
  c="$(command -v python3 2>/dev/null || true)"
  if py_ok "$c"; then echo "$c"; return; fi
  return 1
}

venv_ok() { py_ok "$VENV/bin/python"; }

PYTHON=""
if [ -n "${KABINET_PYTHON:-}" ] && ! py_ok "$KABINET_PYTHON"; then
  die "KABINET_PYTHON=$KABINET_PYTHON is not a runnable Python >= 3.12"
fi
if ! venv_ok || [ -n "${KABINET_PYTHON:-}" ]; then
  PYTHON="$(find_python)" || die "no Python >= 3.12 found.
  Looked for python3.13 / python3.12 on PATH, in ${PYENV_ROOT:-$HOME/.pyenv}/versions/3.1[2-9]*/bin/,
  and python3. Django 6.1 needs Python >= 3.12: install one (e.g. 'pyenv install 3.13') or point
  KABINET_PYTHON at it."
fi

# --- (2) system packages ---------------------------------------------------------------------
pkg_installed() { [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]; }

have_postgresql() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && return 0
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

wanted="$RUNTIME_PACKAGES"
[ "$dev" = 1 ] && wanted="$wanted $DEV_PACKAGES"

if [ "${KABINET_SKIP_SYSTEM_PACKAGES:-0}" = 1 ]; then
  say "skipping system packages (KABINET_SKIP_SYSTEM_PACKAGES=1)"
elif ! command -v dpkg-query >/dev/null 2>&1; then
  say "WARNING: no dpkg-query (not Debian-like): cannot check system packages; make sure these"
  say "  or their equivalents are installed: $wanted$( [ "$dev" = 1 ] && echo ' + a PostgreSQL server')"
else
  missing=()
  for p in $wanted; do pkg_installed "$p" || missing+=("$p"); done
  # any PostgreSQL server with initdb will do; the `postgresql` metapackage picks the distro's
  [ "$dev" = 1 ] && ! have_postgresql && missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      say "installing system packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq </dev/null || die "apt-get update failed"
      apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
        || die "apt-get install ${missing[*]} failed"
      did "installed system packages: ${missing[*]}"
    else
      die "missing system packages: ${missing[*]}
  Install them as root:  sudo apt-get install --no-install-recommends ${missing[*]}
  (or set KABINET_SKIP_SYSTEM_PACKAGES=1 to skip this check)"
    fi
  fi
fi

# --- (3) virtualenv + locked dependencies ------------------------------------------------------
if [ "$dev" = 1 ]; then LOCK="requirements/dev.txt"; MODE=dev; else LOCK="requirements/base.txt"; MODE=base; fi
[ -f "$LOCK" ] || die "$LOCK is missing (scripts/lock.sh makes it)"

py_version() { "$1" -c 'import sys; print(sys.version)' 2>/dev/null; }
need_venv=0
if ! venv_ok; then
  need_venv=1
elif [ -n "${KABINET_PYTHON:-}" ] && [ "$(py_version "$VENV/bin/python")" != "$(py_version "$PYTHON")" ]; then
  need_venv=1
fi
if [ "$need_venv" = 1 ]; then
  if [ -e "$VENV" ]; then
    say "replacing .venv (its Python is missing, older than 3.12, or not KABINET_PYTHON)"
    rm -rf "$VENV"
  fi
  say "creating .venv with $PYTHON ($("$PYTHON" -V 2>&1))"
  "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
  did "created .venv with $("$VENV/bin/python" -V 2>&1) from $PYTHON"
fi

if [ "$("$VENV/bin/uv" --version 2>/dev/null | awk '{print $2}')" != "$UV_VERSION" ]; then
  say "installing uv $UV_VERSION into .venv"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION" \
    || die "could not install uv into .venv (is PyPI reachable?)"
  did "installed uv $UV_VERSION"
fi

# The stamp records which lock (and pyproject, for the editable install's metadata) was installed
# with which interpreter. The dev lock is a superset of base, so a dev venv satisfies a base run.
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }
py_id="$("$VENV/bin/python" -c 'import sys; print(".".join(map(str, sys.version_info[:3])))')"
key_for() { echo "$1 $(hash_of "requirements/$1.txt" pyproject.toml) py$py_id uv$UV_VERSION"; }
current="$(cat "$STAMP" 2>/dev/null || true)"

if [ "${KABINET_FORCE_SYNC:-0}" != 1 ] && { [ "$current" = "$(key_for "$MODE")" ] \
     || { [ "$MODE" = base ] && [ "$current" = "$(key_for dev)" ]; }; }; then
  say "dependencies up to date ($(echo "$current" | cut -d' ' -f1) lock, stamp matches)"
else
  say "installing $LOCK into .venv"
  export UV_PYTHON_DOWNLOADS=never
  rm -f "$STAMP"
  "$VENV/bin/uv" pip sync --quiet --python "$VENV/bin/python" --require-hashes "$LOCK" \
    || die "uv pip sync $LOCK failed"
  "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --no-deps -e . \
    || die "uv pip install --no-deps -e . failed"
  key_for "$MODE" >"$STAMP"
  did "installed $LOCK ($(grep -c '^[A-Za-z0-9]' "$LOCK") packages) + kabinet (editable)"
fi

# --- (4) translations --------------------------------------------------------------------------
LOCALE_DIR="src/kabinet/locale"
if [ -d "$LOCALE_DIR" ]; then
  stale=0
  while IFS= read -r po; do
    mo="${po%.po}.mo"
    if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then stale=1; break; fi
  done < <(find "$LOCALE_DIR" -name '*.po')
  if [ "$stale" = 0 ]; then
    : # nothing to compile (no .po files, or every .mo is newer than its .po)
  elif ! "$VENV/bin/python" -c 'import django' >/dev/null 2>&1; then
    : # Django is not importable yet: skip quietly
  elif ! DJANGO_SETTINGS_MODULE=kabinet.config.settings.test \
       "$VENV/bin/python" -c 'import django; django.setup()' >/dev/null 2>&1; then
    say "note: translations not compiled: the Django project does not load yet"
  else
    DJANGO_SETTINGS_MODULE=kabinet.config.settings.test \
      "$VENV/bin/python" manage.py compilemessages --ignore=.venv >/dev/null \
      || die "compilemessages failed (see the errors above)"
    did "compiled translations in $LOCALE_DIR"
  fi
fi

# --- summary -----------------------------------------------------------------------------------
if [ "${#DONE[@]}" -eq 0 ]; then
  say "nothing to do: everything up to date ($MODE, $("$VENV/bin/python" -V 2>&1), $(( $(date +%s) - t_start ))s)"
else
  for d in "${DONE[@]}"; do say "done: $d"; done
  say "ready ($MODE, $("$VENV/bin/python" -V 2>&1)) in $(( $(date +%s) - t_start ))s"
fi
