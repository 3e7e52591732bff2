#!/usr/bin/env bash
# Refresh the vendored front-end assets in src/kabinet/static/vendor/ from npm.
#
#   scripts/vendor-assets.sh            fetch the pinned versions below (and check their integrity)
#   scripts/vendor-assets.sh --latest   fetch the newest bootstrap 5.3.x, htmx.org 2.x, chart.js 4.x
#                                       and print the lines to paste into PINS
#
# The result is committed, so a fresh clone never needs npm. Only the minified dist files and the
# licences are copied; `sourceMappingURL` comments are stripped because the .map files are not
# vendored and ManifestStaticFilesStorage fails on a reference to a missing file.
#
# htmx.org: npm's `latest` is 4.x, a major rewrite — Kabinet uses htmx 2; do not bump the major.
set -euo pipefail

# name  range(for --latest)  version  npm integrity (sha512, as printed by `npm pack --json`)
PINS="
bootstrap 5.3 5.3.9 sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w==
htmx.org 2 2.0.11 sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==
chart.js 4 4.6.1 sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g==
"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/kabinet/static/vendor"

latest=0
case "${1:-}" in
  "") ;;
  --latest) latest=1 ;;
  -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
  *) echo "vendor-assets: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

command -v npm >/dev/null 2>&1 || { echo "vendor-assets: npm is required (apt-get install npm)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kabinet-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/vendor"
mkdir -p "$STAGE"

# newest published version matching a range such as "5.3" or "2"
newest() {
  npm view "$1@$2" version --json 2>/dev/null | tr -d '[]", ' | grep -v '^$' | sort -V | tail -n 1
}

# copy one dist file, dropping whole-line sourceMappingURL comments (/*# ... */ and //# ...)
copy_min() {
  local src="$1" dst="$2"
  [ -f "$src" ] || { echo "vendor-assets: expected file missing in package: ${src#"$WORK"/}" >&2; exit 1; }
  mkdir -p "$(dirname "$dst")"
  sed -E '/^[[:space:]]*(\/\/[#@][[:space:]]*sourceMappingURL=.*|\/\*[#@][[:space:]]*sourceMappingURL=.*\*\/)[[:space:]]*$/d' "$src" >"$dst"
  if grep -q 'sourceMappingURL=' "$dst"; then
    echo "vendor-assets: a sourceMappingURL reference is left in $dst" >&2; exit 1
  fi
}

{
  echo "# Vendored front-end assets: refresh with scripts/vendor-assets.sh (do not edit by hand)."
  echo "# package version npm-integrity"
} >"$STAGE/VERSIONS"

new_pins=""
while read -r name range version integrity; do
  [ -n "$name" ] || continue
  if [ "$latest" = 1 ]; then
    version="$(newest "$name" "$range")"
    [ -n "$version" ] || { echo "vendor-assets: cannot resolve $name@$range on npm" >&2; exit 1; }
    integrity=""
  fi
  echo "vendor-assets: fetching $name@$version"
  pack_json="$(cd "$WORK" && npm pack "$name@$version" --json --silent 2>/dev/null)" \
    || { echo "vendor-assets: npm pack $name@$version failed (is the npm registry reachable?)" >&2; exit 1; }
  got_integrity="$(printf '%s' "$pack_json" | sed -n 's/.*"integrity": *"\([^"]*\)".*/\1/p' | head -n 1)"
  tarball="$(printf '%s' "$pack_json" | sed -n 's/.*"filename": *"\([^"]*\)".*/\1/p' | head -n 1)"
  if [ -n "$integrity" ] && [ "$got_integrity" != "$integrity" ]; then
    echo "vendor-assets: integrity mismatch for $name@$version" >&2
    echo "  expected $integrity" >&2
    echo "  got      $got_integrity" >&2
    exit 1
  fi
  pkg="$WORK/pkg-$name"
  mkdir -p "$pkg"
  tar -xzf "$WORK/$tarball" -C "$pkg"
  pkg="$pkg/package"

  case "$name" in
    bootstrap)
      copy_min "$pkg/dist/css/bootstrap.min.css" "$STAGE/bootstrap/bootstrap.min.css"
      copy_min "$pkg/dist/js/bootstrap.bundle.min.js" "$STAGE/bootstrap/bootstrap.bundle.min.js"
      cp "$pkg/LICENSE" "$STAGE/bootstrap/LICENSE"
      ;;
    htmx.org)
      copy_min "$pkg/dist/htmx.min.js" "$STAGE/htmx/htmx.min.js"
      cp "$pkg/LICENSE" "$STAGE/htmx/LICENSE"
      ;;
    chart.js)
      # Chart.js 4 ships dist/chart.umd.min.js (4.5+) or only dist/chart.umd.js (earlier 4.x,
      # already minified); the file is always vendored under the name chart.umd.min.js.
      if [ -f "$pkg/dist/chart.umd.min.js" ]; then
        copy_min "$pkg/dist/chart.umd.min.js" "$STAGE/chartjs/chart.umd.min.js"
      else
        copy_min "$pkg/dist/chart.umd.js" "$STAGE/chartjs/chart.umd.min.js"
      fi
      cp "$pkg/LICENSE.md" "$STAGE/chartjs/LICENSE.md"
      ;;
  esac
  echo "$name $version $got_integrity" >>"$STAGE/VERSIONS"
  new_pins="$new_pins$name $range $version $got_integrity"$'\n'
done <<<"$PINS"

mkdir -p "$DEST"
for sub in bootstrap htmx chartjs; do
  rm -rf "${DEST:?}/$sub"
  cp -R "$STAGE/$sub" "$DEST/$sub"
done
cp "$STAGE/VERSIONS" "$DEST/VERSIONS"

echo "vendor-assets: wrote ${DEST#"$ROOT"/}:"
(cd "$DEST" && find . -type f ! -name VERSIONS | sort | while read -r f; do
  printf '  %-36s %8s bytes\n' "${f#./}" "$(wc -c <"$f")"; done)
if [ "$latest" = 1 ]; then
  echo "vendor-assets: to pin these versions, set PINS in $0 to:"
  printf '%s' "$new_pins" | sed 's/^/  /'
fi
