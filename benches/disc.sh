#!/usr/bin/env bash
# Disc image speed and memory, side by side (prints figures; asserts nothing).
# Usage: bash benches/disc.sh [MiB, default 300]
# Writes the image of a bag of 100 random files with `dashi disc` and with
# `xorriso -as mkisofs -J -R` on the same tree; best of 3 runs, warm cache, peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-300}
cargo build --release --quiet
dashi=$PWD/target/release/dashi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=benches/common.sh
source benches/common.sh

mkdir -p "$work/payload"
each=$(( mib * 1024 / 100 ))
for i in $(seq -w 1 100); do head -c "${each}K" /dev/urandom > "$work/payload/scan-$i.jpg"; done
"$dashi" seal "$work/payload" -o "$work/bag.zip" > /dev/null
mkdir -p "$work/tree" && (cd "$work/tree" && unzip -q "$work/bag.zip")
bag=$(ls -d "$work/tree"/*)
cat "$bag"/data/* > /dev/null


echo "== bag of ${mib} MiB in 100 files"
echo "dashi disc:                $(best "$dashi" disc "$bag" -o "$work/a.iso")"
echo "xorriso -as mkisofs -J -R: $(best xorriso -as mkisofs -J -R -quiet -o "$work/b.iso" "$bag")"
ls -l "$work/a.iso" "$work/b.iso" | awk '{print $5, $9}'
