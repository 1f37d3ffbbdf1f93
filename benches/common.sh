# Shared by the bench scripts: `setup` builds the release binary ($dashi, or takes
# $DASHI_BIN) and makes a
# scratch folder ($work, removed on exit); `need_pillow` installs Pillow for made-up
# photos; `best CMD...` prints the best wall time of three runs and that run's peak RSS.

setup() {
  # DASHI_BIN measures another build (an earlier commit's, side by side).
  if [ -n "${DASHI_BIN:-}" ]; then
    dashi=$DASHI_BIN
  else
    cargo build --release --quiet
    dashi=$PWD/target/release/dashi
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}

# `python_tool PACKAGE [IMPORT]`: the package in the virtual environment under target/
# (the one tests/run makes; PEP 668 refuses a bare pip install), put first on PATH.
python_tool() {
  local venv=$PWD/target/pyvenv
  [ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
  "$venv/bin/python3" -c "import ${2:-$1}" 2>/dev/null \
    || "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "$1"
  case ":$PATH:" in *":$venv/bin:"*) ;; *) PATH="$venv/bin:$PATH"; export PATH ;; esac
}

need_pillow() {
  python_tool pillow PIL
}

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

# `activity_record ID FILE`: rec/ID.toml, an activity of 2026-11-25 with FILE attached.
activity_record() {
  cat > "rec/$1.toml" <<TOML
format_version = 1
kind = "活动"
id = "$1"
date = "2026-11-25"
title = "技术交流 $1"

[activity]
category = "技术交流"
place = "工作室"
participants = 12
summary = "交流"

[[files]]
file = "$2"
shows = "附件"
TOML
}
