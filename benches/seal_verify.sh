#!/usr/bin/env bash
# Seal and verify speed and memory, side by side in one run (prints figures; asserts
# nothing). Usage: bash benches/seal_verify.sh [GiB, default 1]
# Every figure is the best of three runs on a warm cache. Compares `dashi verify` of a
# bag of 200 files with `openssl dgst -sha256` over the same
# files and with bagit-python's `bagit.py --validate`; reports peak RSS of `dashi seal`
# and `dashi verify` at 100 MB and at the full size. Then a bag of 20 000 small files
# (a studio archive after years of records), sealed, verified as folder, zip and disc,
# against bagit.py: the cost per file, where per-file work that grows with the bag
# would show.
set -euo pipefail
cd "$(dirname "$0")/.."
size_gib=${1:-1}
cargo build --release --quiet
dashi=$PWD/target/release/dashi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=benches/common.sh
source benches/common.sh
python_tool bagit

make_payload() { # dir, total MiB, files: random data, as incompressible as scans
  mkdir -p "$1"
  local each=$(( $2 * 1024 / $3 ))
  for i in $(seq -w 1 "$3"); do
    head -c "${each}K" /dev/urandom > "$1/file-$i.bin"
  done
}


for mib in 100 $(( size_gib * 1024 )); do
  echo "== payload ${mib} MiB in 200 files"
  make_payload "$work/p$mib" "$mib" 200
  echo "dashi seal:            $(best "$dashi" seal "$work/p$mib" -o "$work/b$mib.zip")"
  # (each seal replaces the zip atomically; the last one is verified below)
  mkdir -p "$work/u$mib" && (cd "$work/u$mib" && unzip -q "$work/b$mib.zip")
  bag=$(ls -d "$work/u$mib"/*)
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  cat "$bag"/data/* > /dev/null  # same warm cache for everyone
  echo "dashi verify (folder): $(best "$dashi" verify "$bag")"
  echo "dashi verify (zip):    $(best "$dashi" verify "$work/b$mib.zip")"
  echo "openssl dgst -sha256:  $(best openssl dgst -sha256 "$bag"/data/*)"
  echo "bagit.py --validate:   $(best bagit.py --validate "$bag")"
  rm -rf "$work/p$mib" "$work/u$mib" "$work/b$mib.zip"
done

echo "== 20000 small files in 50 folders"
python3 - "$work/many" <<'PY'
import os, sys
for i in range(20000):
    d = os.path.join(sys.argv[1], "d%02d" % (i % 50))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.txt" % i), "w") as f:
        f.write("x" * (i % 300) + str(i))
PY
echo "dashi seal:            $(best "$dashi" seal "$work/many" -o "$work/many.zip")"
mkdir -p "$work/um" && (cd "$work/um" && unzip -q "$work/many.zip")
bag=$(ls -d "$work/um"/*)
"$dashi" disc "$work/many.zip" -o "$work/many.iso" --media cd > /dev/null
echo "dashi verify (folder): $(best "$dashi" verify "$bag")"
echo "dashi verify (zip):    $(best "$dashi" verify "$work/many.zip")"
echo "dashi verify (disc):   $(best "$dashi" verify "$work/many.iso")"
echo "bagit.py --validate:   $(best bagit.py --validate "$bag")"
