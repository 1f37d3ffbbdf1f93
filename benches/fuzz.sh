#!/usr/bin/env bash
# The long fuzz run: a million mutations over every reader of a user's file (the engine
# of tests/fuzz.rs), in a release build; prints the count and every panic, hang and
# input over 256 MB, keeping each such input under target/fuzz-failures.
#   bash benches/fuzz.sh [RUNS] [SEED]   (the seed differs from the test suite's, 0x5EED)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked --bench fuzz -- "${1:-1000000}" "${2:-2027}"
