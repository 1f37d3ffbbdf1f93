#!/usr/bin/env bash
# The evaluation report (第十二条) over a large archive: speed and memory (prints figures;
# asserts nothing).
# Usage: bash benches/report.sh [photos, default 300] [records, default 500]
# An archive made from the sample grows by one version of `records` records over
# 2027–2028: `photos` activities with one 3000 × 4000 camera-sized JPEG each (EXIF date
# set, every photo different), and apprentices, grades, innovations and rules for the
# rest. `dashi report` of the two years is then timed, best of three with peak RSS, with
# and without the PDF (`--check` computes and checks only).
set -euo pipefail
cd "$(dirname "$0")/.."
photos=${1:-300}
records=${2:-500}
# shellcheck source=benches/common.sh
source benches/common.sh
setup
need_pillow

cd "$work"
sample_archive
echo "making $photos photos of 3000 × 4000 and $records records…"
python3 - "$photos" "$records" <<'PY'
import random, sys
from PIL import Image, ImageDraw

photos, records = int(sys.argv[1]), int(sys.argv[2])
random.seed(7)
# One noisy base frame (camera-like entropy); each photo differs by a drawn band.
base = Image.merge("RGB", [Image.effect_noise((3000, 4000), s) for s in (12, 16, 20)])
ids = ["150105200103150017", "150105200207080025", "150104199911120033"]

def record(name, body):
    with open(f"rec/{name}.toml", "w", encoding="utf-8") as f:
        f.write(f'format_version = 1\nid = "{name}"\n{body}')

def day(n):
    year = 2027 + n % 2
    return year, 1 + n * 7 % 12, 1 + n % 28

for n in range(photos):
    year, month, d = day(n)
    img = base.copy()
    ImageDraw.Draw(img).rectangle([0, n * 13 % 3900, 2999, n * 13 % 3900 + 100], fill=(n % 256, 90, 200))
    exif = Image.Exif()
    exif[0x0132] = f"{year}:{month:02}:{d:02} 10:00:00"
    img.save(f"rec/活动{n}.jpg", quality=88, exif=exif)
    record(f"活动-{n}", f'kind = "活动"\ndate = "{year}-{month:02}-{d:02}"\ntitle = "技术交流{n}"\n'
           f'[activity]\ncategory = "技术交流"\nplace = "工作室"\nparticipants = 20\nsummary = "交流"\n'
           f'[[files]]\nfile = "活动{n}.jpg"\nshows = "现场{n}"\n')
rest = records - photos
apprentices = rest * 2 // 5
Image.new("RGB", (64, 48), (200, 200, 200)).save("rec/协议.png")
for n in range(apprentices):
    year, month, d = day(n)
    record(f"带徒-{n}", f'kind = "带徒"\ndate = "{year}-{month:02}-{d:02}"\ntitle = "收徒{n}"\n'
           f'[apprentice]\nname = "学徒{n}"\nid_number = "{ids[n % 3]}"\noccupation = "焊工"\n'
           f'level_at_start = "中级工"\nagreement = "协议.png"\n')
left = rest - apprentices
for n in range(left):
    year, month, d = day(n)
    if n % 3 == 0 and n // 3 < apprentices:
        a = n // 3
        record(f"带徒进展-{n}", f'kind = "带徒进展"\ndate = "{year}-12-{d:02}"\ntitle = "取得高级工"\n'
               f'[progress]\napprentice = "带徒-{a}"\nname = "学徒{a}"\nlevel = "高级工"\n'
               f'certificate_number = "S{n:011}"\n')
    elif n % 3 == 1:
        record(f"成果-{n}", f'kind = "成果"\ndate = "{year}-{month:02}-{d:02}"\ntitle = "革新{n}"\n'
               f'[innovation]\ncategory = "技术革新"\nresult = "合格率提高"\nbenefit = 1.5\nspread = "协作企业"\n')
    else:
        record(f"制度-{n}", f'kind = "制度"\ndate = "{year}-{month:02}-{d:02}"\ntitle = "制度{n}"\n'
               f'[rule]\nsummary = "办法"\n')
PY
du -sh rec | awk '{print "records and files: " $1}'
# Records dated 2027–2028 are added and reported on 2029-01-01.
export SOURCE_DATE_EPOCH=1861920000
# Apprentices first (grades name them), then the rest, in one version each.
add() {
  "$dashi" record add A "$@" > "$work/add.log" 2>&1 || { cat "$work/add.log"; exit 1; }
}
mapfile -d '' first < <(find rec -name '带徒-*.toml' -print0 | sort -z)
mapfile -d '' rest < <(find rec -name '*.toml' ! -name '带徒-*.toml' -print0 | sort -z)
add "${first[@]}"
add "${rest[@]}"
echo "archive: $(du -sh A | cut -f1), $(find A -name '*.toml' | wc -l) records"
echo "report --check (compute and check only): $(best "$dashi" report A --from 2027-01 --to 2028-12 --check)"
echo "report to PDF (contact sheet of $photos photos): $(best "$dashi" report A --from 2027-01 --to 2028-12 -o "$work/r.pdf")"
echo "PDF: $(du -h "$work/r.pdf" | cut -f1), $(pdfinfo "$work/r.pdf" 2>/dev/null | awk '/^Pages/ {print $2}') pages"
