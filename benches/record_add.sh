#!/usr/bin/env bash
# One `record add` of an activity with five phone-size photos (12 Mpx, 3000 × 4000,
# camera-like noise, ~11 MB each), plain and as a major record (its report typeset and
# filed at once): wall time and peak RSS, best of three. The archive keeps to 64 MiB.
# Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh
setup
need_pillow
cd "$work"
"$dashi" init s > /dev/null
(cd s && "$dashi" build studio.toml -o out > /dev/null)
mkdir rec
python3 - <<'PY'
from PIL import Image, ImageDraw
base = Image.merge("RGB", [Image.effect_noise((3000, 4000), s) for s in (24, 32, 40)])
files = ""
for n in range(5):
    img = base.copy()
    ImageDraw.Draw(img).rectangle([0, n * 500, 2999, n * 500 + 100], fill=(n * 40, 90, 200))
    exif = Image.Exif()
    exif[0x0132] = "2026:11:25 10:00:00"
    img.save(f"rec/照片{n}.jpg", quality=97, exif=exif)
    files += f'[[files]]\nfile = "照片{n}.jpg"\nshows = "现场{n}"\n'
for major in ("false", "true"):
    with open(f"rec/{major}.toml", "w", encoding="utf-8") as f:
        f.write(f'format_version = 1\nkind = "活动"\nid = "活动-{major}"\ndate = "2026-11-25"\n'
                f'title = "技术交流"\nmajor = {major}\n\n[activity]\ncategory = "技术交流"\n'
                f'place = "工作室"\nparticipants = 12\nsummary = "交流"\n\n' + files)
PY
echo "photos: $(du -ch rec/*.jpg | tail -1 | cut -f1) in 5 files"
add() {
  rm -rf A
  "$dashi" archive init A --from s/out/*.zip > /dev/null
  "$dashi" record add A "rec/$1.toml"
}
export dashi
export -f add
echo "record add, 5 × 12 Mpx photos: $(best bash -c 'add false')"
echo "record add, major (report typeset, filed at once): $(best bash -c 'add true')"
