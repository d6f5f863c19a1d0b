#!/usr/bin/env bash
# Refreshes the front-end files vendored in assets/vendor/ (embedded in the binary)
# from npm at the pinned versions below, with their licences, and records their
# checksums in assets/vendor/SHA256SUMS. `--check` instead verifies that the files
# there are those SHA256SUMS lists (.ci/run does).
#
# Each package is fetched with `npm pack`, which checks the tarball against the
# registry's integrity hash; only the files the pages load are kept.
set -euo pipefail
cd "$(dirname "$0")/../assets/vendor"

if [[ "${1:-}" == "--check" ]]; then
    exec sha256sum --quiet --check SHA256SUMS
fi

# package@version  files to keep (paths inside the package)
PACKAGES=(
    "graphiql@3.8.3 graphiql.min.js graphiql.min.css"
    "react@18.3.1 umd/react.production.min.js"
    "react-dom@18.3.1 umd/react-dom.production.min.js"
    "graphql-ws@5.16.2 umd/graphql-ws.min.js"
    "leaflet@1.9.4 dist/leaflet.js dist/leaflet.css"
    "topojson-client@3.1.0 dist/topojson-client.min.js"
    "world-atlas@2.0.2 countries-110m.json"
    "d3@7.9.0 dist/d3.min.js"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${PACKAGES[@]}"; do
    read -r spec files <<<"$entry"
    name=${spec%@*}
    (cd "$work" && npm pack --silent "$spec" >/dev/null)
    mkdir -p "$work/$name"
    tar -xzf "$work/${name}-${spec##*@}.tgz" -C "$work/$name"
    rm -rf "./$spec"
    mkdir -p "./$spec"
    for file in $files; do
        cp "$work/$name/package/$file" "./$spec/$(basename "$file")"
    done
    licence=$(ls "$work/$name/package" | grep -iE '^(licen[sc]e|copying)' | head -1)
    cp "$work/$name/package/$licence" "./$spec/LICENSE"
done
find . -mindepth 2 -type f | LC_ALL=C sort | xargs sha256sum >SHA256SUMS
echo "vendored ${#PACKAGES[@]} packages; checksums in $(pwd)/SHA256SUMS"
