# Shared by the bench scripts: `best CMD...` prints the best wall time of three runs and
# that run's peak RSS. Needs $work (a scratch folder).
best() {
  : > "$work/times"
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" "$@" 2> "$work/time" > /dev/null || true
    tail -1 "$work/time" >> "$work/times"
  done
  sort -n "$work/times" | head -1 | awk '{printf "%.2f s, peak RSS %.1f MiB", $1, $2/1024}'
}

# `sample_archive`: in the current folder, the sample built and made into a studio archive
# `A` (its first version), with an empty `rec/` for the records to add. Needs $dashi.
sample_archive() {
  "$dashi" init s > /dev/null
  "$dashi" build s/studio.toml -o out > /dev/null
  "$dashi" archive init A --from out/*.zip > /dev/null
  mkdir rec
}
