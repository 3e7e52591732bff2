#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml:
#   requirements/base.txt   runtime dependencies
#   requirements/dev.txt    runtime + the `dev` extra
#
#   scripts/lock.sh                        keep current pins where still allowed, add/drop as needed
#   scripts/lock.sh --upgrade              move every package to the newest allowed version
#   scripts/lock.sh --upgrade-package X    move only X (repeatable)
# Any arguments are passed on to `uv pip compile`. Then run scripts/bootstrap.sh --dev to install.
#
# Locks are universal (any OS/arch) for Python 3.12+, so the 3.13 .venv and a 3.12 CI agree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ -x .venv/bin/uv ]; then
  UV=.venv/bin/uv
elif command -v uv >/dev/null 2>&1; then
  UV="$(command -v uv)"
else
  echo "lock: uv not found: run scripts/bootstrap.sh first (it installs uv into .venv)" >&2
  exit 1
fi

export UV_PYTHON_DOWNLOADS=never
mkdir -p requirements
common=(pyproject.toml --universal --python-version 3.12 --generate-hashes --quiet)

echo "lock: $($UV --version) -> requirements/base.txt"
"$UV" pip compile "${common[@]}" -o requirements/base.txt "$@"
echo "lock: $($UV --version) -> requirements/dev.txt (--extra dev)"
"$UV" pip compile "${common[@]}" --extra dev -o requirements/dev.txt "$@"

# base must be a subset of dev (same pins), so a dev venv also satisfies the runtime lock
pins() { grep -oE '^[A-Za-z0-9._-]+==[^ ;]+' "$1" | sort -u; }
drift="$(comm -23 <(pins requirements/base.txt) <(pins requirements/dev.txt))"
if [ -n "$drift" ]; then
  echo "lock: ERROR: base.txt pins that dev.txt resolves differently:" >&2
  while IFS= read -r line; do echo "  $line" >&2; done <<<"$drift"
  echo "lock: re-run with --upgrade-package for these, or constrain them in pyproject.toml" >&2
  exit 1
fi

for f in requirements/base.txt requirements/dev.txt; do
  printf 'lock: %-22s %3d packages\n' "$f" "$(grep -c '^[A-Za-z0-9]' "$f")"
done
