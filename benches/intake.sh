#!/usr/bin/env bash
# The bureau's intake (第九条) of many submissions: speed and memory (prints figures;
# asserts nothing).
# Usage: bash benches/intake.sh [submissions, default 100]
# Each submission is the sample under its own master, resident IDs and certificate
# numbers, with three of its scans replaced by camera-sized 3000 × 4000 JPEGs (every
# file different), built and sealed by dashi: about 30 MB a zip. `dashi intake` of all of
# them (verify, check with the scans, cross-check, register, 初审意见表, 专家评审表) is
# then timed, best of three with peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100}
# shellcheck source=benches/common.sh
source benches/common.sh
setup
need_pillow

cd "$work"
"$dashi" init base > /dev/null
echo "making $count submissions of about 30 MB…"
python3 - "$count" <<'PY'
import os, random, shutil, sys
from PIL import Image

count = int(sys.argv[1])
random.seed(11)
noise = Image.merge("RGB", [Image.effect_noise((3000, 4000), s) for s in (12, 16, 20)])
noise.save("big.jpg", quality=90)
big = open("big.jpg", "rb").read()
text = open("base/studio.toml", encoding="utf-8").read()
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

def rid(first17):
    s = sum(int(c) * w for c, w in zip(first17, W))
    return first17 + "10X98765432"[s % 11]

def marked(data, mark):
    # A JPEG comment right after SOI, or a PDF comment at the end: other bytes, same scan.
    if data[:2] == b"\xff\xd8":
        m = mark.encode()
        return data[:2] + b"\xff\xfe" + (len(m) + 2).to_bytes(2, "big") + m + data[2:]
    return data + b"\n%" + mark.encode() + b"\n"

surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
given = "振国立新卫东建华志刚海涛国强永胜宝山光明长青德才文博"
for i in range(count):
    name = surnames[i % len(surnames)] + given[(i // len(surnames)) * 2 % len(given):][:2] + "甲乙丙丁戊己庚辛壬癸"[i % 10]
    d = f"s{i:03}"
    os.makedirs(f"{d}/evidence")
    data = (text.replace("王建军", name)
        .replace("15010519780512031X", rid(f"15010519780512{101 + 2 * (i % 400):03}"[:17]))
        .replace("150102198609230242", rid(f"1501021986092{i:04}"[:16] + "2"))
        .replace("150104199003150579", rid(f"1501041990031{i:04}"[:16] + "1"))
        .replace("NMSX-2019-0173", f"NMSX-2019-{1000 + i}")
        .replace("S000015010004231000087", f"S00001501000423100{i:04}"))
    open(f"{d}/studio.toml", "w", encoding="utf-8").write(data)
    for f in os.listdir("base/evidence"):
        src = open(f"base/evidence/{f}", "rb").read()
        # Three scans become camera-sized photos of the papers.
        if f in ("营业执照.jpg", "王建军-身份证.jpg", "王建军-高级技师证书.jpg"):
            src = big
        open(f"{d}/evidence/{f.replace('王建军', name)}", "wb").write(marked(src, f"{d}/{f}"))
PY
echo "building them with dashi build…"
"$dashi" build s*/studio.toml -o built > /dev/null
mkdir in && mv built/*/*.zip in/
echo "$count zips, $(du -sm in | cut -f1) MB in all"
printf 'intake of %s submissions: %s\n' "$count" "$(best "$dashi" intake in -o 受理 --received 2027-03-15)"
echo "register rows: $(python3 -c 'import openpyxl,sys; print(openpyxl.load_workbook(sys.argv[1]).active.max_row - 1)' 受理/受理登记表.xlsx 2>/dev/null || echo '?')"
