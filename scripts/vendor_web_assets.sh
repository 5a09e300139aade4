#!/usr/bin/env bash
# Copy the dashboard's JavaScript from the npm registry packages into the package, so the
# dashboard loads nothing from the network. Run from the repository root; commit the result.
#   scripts/vendor_web_assets.sh            # htmx.org 2.0.11, htmx-ext-sse 2.2.4
set -euo pipefail
HTMX=${HTMX:-2.0.11}
SSE=${SSE:-2.2.4}
dest=src/droneworks/web/static
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX" "htmx-ext-sse@$SSE" >/dev/null)
tar -xzf "$tmp/htmx.org-$HTMX.tgz" -C "$tmp" package/dist/htmx.min.js
cp "$tmp/package/dist/htmx.min.js" "$dest/htmx.min.js"
rm -rf "$tmp/package"
tar -xzf "$tmp/htmx-ext-sse-$SSE.tgz" -C "$tmp"
cp "$tmp/package/dist/sse.min.js" "$dest/htmx-ext-sse.min.js" 2>/dev/null \
  || cp "$tmp/package/sse.js" "$dest/htmx-ext-sse.min.js"
printf 'htmx.org %s\nhtmx-ext-sse %s\n' "$HTMX" "$SSE" > "$dest/VERSIONS"
echo "vendored htmx.org $HTMX and htmx-ext-sse $SSE into $dest"
