#!/usr/bin/env bash
# The studio archive: speed and memory, side by side with the independent validators
# (prints figures; asserts nothing).
# Usage: bash benches/archive.sh [GiB, default 2] [records, default 300]
#        (KEEP_WORK=1 keeps the scratch folder and prints its path)
#        bash benches/archive.sh five-years
# five-years: five years of a studio as it would keep its archive (benches/five_years.py:
# 250 records one add each, 4 reports, both validators after every step), then verify
# side by side with and without pending records.
# 1. An archive made from the sample grows by a video of the given size, then by small
#    records (one version each); `record add` is timed at every hundredth version — its
#    cost follows the archive's inventory, which OCFL asks to list every version's whole
#    state — and its peak RSS reported.
# 2. `dashi verify` of that archive against ocfl-py's `ocfl-validate.py` and rocfl's
#    `rocfl validate` (built once into target/tools when not installed), best of three
#    with peak RSS; then rocfl and ocfl-py judge the archive dashi wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
size_gib=${1:-2}
records=${2:-300}
# DASHI_BIN measures another build (an earlier commit's, side by side).
if [ -n "${DASHI_BIN:-}" ]; then
  dashi=$DASHI_BIN
else
  cargo build --release --quiet
  dashi=$PWD/target/release/dashi
fi
# shellcheck source=benches/common.sh
source benches/common.sh
python_tool "ocfl-py==2.0.2" ocfl
rocfl=$(command -v rocfl || echo "$PWD/target/tools/bin/rocfl")
if [ ! -x "$rocfl" ]; then
  cargo install --quiet rocfl --no-default-features --root "$PWD/target/tools"
fi
work=$(mktemp -d)
# KEEP_WORK=1 keeps the scratch folder (its archive A) for a closer look.
if [ -n "${KEEP_WORK:-}" ]; then echo "scratch folder kept: $work"; else trap 'rm -rf "$work"' EXIT; fi

if [ "${1:-}" = five-years ]; then
  need_pillow
  bench=$PWD/benches/five_years.py
  cd "$work"
  sample_archive
  python3 "$bench" "$dashi" "$rocfl" "$work"
  side_by_side() {
    local d o r
    d=$(best "$dashi" verify A)
    o=$(best ocfl-validate.py A)
    r=$(best "$rocfl" validate -p A)
    echo "dashi verify:          $d"
    echo "ocfl-validate.py:      $o"
    echo "rocfl validate:        $r"
    awk -v d="${d%% *}" -v o="${o%% *}" -v r="${r%% *}" 'BEGIN {
      printf "dashi / rocfl = %.2f (bound 0.5); dashi / ocfl-validate.py = %.2f (bound 0.33)\n", d / r, d / o }'
    ocfl-validate.py A | tail -1
    "$rocfl" validate -p A | tail -1
  }
  echo "== verify with records pending ($(du -sh A | cut -f1), $(find A -type f | wc -l) files)"
  record_at_end=rec/活动-2031-last.toml
  sed -e 's/^id = .*/id = "活动-2031-last"/' -e 's/^date = .*/date = "2031-12-30"/' t/活动.toml > "$record_at_end"
  cp t/活动-*.jpg rec/ 2>/dev/null || true
  SOURCE_DATE_EPOCH=1956484800 "$dashi" record add A "$record_at_end" > /dev/null
  side_by_side
  echo "== verify after archive commit"
  SOURCE_DATE_EPOCH=1956484800 "$dashi" archive commit A > /dev/null
  side_by_side
  exit 0
fi

cd "$work"
sample_archive
record() { activity_record "$@"; }
head -c "$(( size_gib * 1024 ))M" /dev/urandom > rec/录像.mp4
record 活动-录像 录像.mp4
echo "== record add of a ${size_gib} GiB video: $( { /usr/bin/time -f "%e s, peak RSS %M KiB" "$dashi" record add A rec/活动-录像.toml > /dev/null; } 2>&1 | tail -1)"
for i in $(seq 1 "$records"); do
  head -c 20000 /dev/urandom > "rec/照片$i.jpg.bin"
  record "活动-$i" "照片$i.jpg.bin"
  if [ $(( i % 100 )) -eq 0 ] || [ "$i" -eq "$records" ]; then
    versions=$(( i + 2 ))
    inv=$(stat -c %s A/inventory.json)
    echo "record add at ${versions} versions (inventory $(( inv / 1024 )) KiB): $( { /usr/bin/time -f "%e s, peak RSS %M KiB" "$dashi" record add A "rec/活动-$i.toml" > /dev/null; } 2>&1 | tail -1)"
  else
    "$dashi" record add A "rec/活动-$i.toml" > /dev/null
  fi
done

echo "== verify the archive ($(du -sh A | cut -f1), $(find A -type f | wc -l) files, $(( records + 3 )) versions)"
cat A/v2/content/记录/活动/活动-录像/录像.mp4 > /dev/null # warm cache for everyone
echo "dashi verify:          $(best "$dashi" verify A)"
echo "ocfl-validate.py:      $(best ocfl-validate.py A)"
echo "rocfl validate:        $(best "$rocfl" validate -p A)"
echo "== independent judges of the archive dashi wrote"
ocfl-validate.py A | tail -1
"$rocfl" validate -p A | tail -1
