#!/usr/bin/env bash
# Export and import figures (bench/RESULTS.md, "Data in and out"): generates a graph
# of EVENTS events (default 100000) into a SQLite file once, then, twice each, times
# and measures (peak RSS, by /usr/bin/time) the bundle, STIX and CSV exports and the
# imports of each into an empty database. Uses the release binary (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${EVENTS:-100000}"
BIN="${BIN:-target/release/garrison}"
DIR="bench/data/interop-$EVENTS"
[ -x "$BIN" ] || cargo build --release
mkdir -p "$DIR"
SOURCE="sqlite://$DIR/source.db?mode=rwc"
if [ ! -f "$DIR/source.db" ]; then
    echo "== generating $EVENTS events"
    "$BIN" generate --events "$EVENTS" --database-url "$SOURCE" >/dev/null
fi

# measure LABEL COMMAND…: prints "LABEL | seconds | peak RSS MB".
measure() {
    local label="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >/dev/null 2>"$DIR/stderr" || {
        cat "$DIR/stderr" >&2
        exit 1
    }
    read -r seconds kb <"$DIR/time"
    printf "| %s | %s s | %d MB |\n" "$label" "$seconds" $((kb / 1024))
}

echo "| step | time | peak RSS |"
echo "|---|---|---|"
for run in 1 2; do
    for format in bundle stix csv; do
        measure "export $format ($run)" "$BIN" export --format "$format" \
            --database-url "$SOURCE" --output "$DIR/export.$format"
    done
    for format in bundle stix csv; do
        rm -f "$DIR/target.db"
        "$BIN" migrate --database-url "sqlite://$DIR/target.db?mode=rwc" >/dev/null
        measure "import $format ($run)" "$BIN" import --format "$format" \
            --database-url "sqlite://$DIR/target.db" "$DIR/export.$format"
    done
done
ls -l "$DIR"/export.* | awk '{ printf "%s: %.1f MB\n", $9, $5 / 1e6 }'
