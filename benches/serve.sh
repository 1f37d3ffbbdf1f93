#!/usr/bin/env bash
# The web form (dashi serve): from an edit to the updated 申报表 page in the browser,
# measured in the page (performance.now() through WebDriver) over 50 edits, and the
# server's memory after 10 and after 500 edits (prints figures; asserts nothing).
# Needs Debian's chromium and chromium-driver and Python selenium (tests/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
# shellcheck source=benches/common.sh
source benches/common.sh
setup
cd "$work"
"$dashi" init s > /dev/null
"$dashi" serve s --no-open > serve.out &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^http' serve.out && break; sleep 0.1; done
python3 "$repo/benches/serve_edits.py" "$(grep '^http' serve.out)" "$pid"
