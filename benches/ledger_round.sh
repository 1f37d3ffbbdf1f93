#!/usr/bin/env bash
# One 考核 round of the bureau's ledger (第十二条) for 50 studios, each with two years of
# records (48 records, 24 phone-size photos of 3000 × 4000): every export verified and
# unpacked, every report computed again from its records and compared with its JSON and
# its PDF's text, the 汇总表 and 50 专家评分表 written, the round entered in the ledger.
# Wall time and peak RSS, best of three. Prints figures; asserts nothing.
# Usage: bash benches/ledger_round.sh [studios, default 50]
set -euo pipefail
cd "$(dirname "$0")/.."
studios=${1:-50}
# shellcheck source=benches/common.sh
source benches/common.sh
setup
need_pillow
cd "$work"
sample_archive
python3 - <<'PY'
from PIL import Image, ImageDraw
base = Image.merge("RGB", [Image.effect_noise((3000, 4000), s) for s in (12, 16, 20)])
ids = ["150105200103150017", "150105200207080025", "150104199911120033"]
def record(name, body):
    with open(f"rec/{name}.toml", "w", encoding="utf-8") as f:
        f.write(f'format_version = 1\nid = "{name}"\n{body}')
photo = 0
def jpeg(name, year, month):
    global photo
    img = base.copy()
    ImageDraw.Draw(img).rectangle([0, photo * 97 % 3900, 2999, photo * 97 % 3900 + 100], fill=(photo * 9 % 256, 90, 200))
    exif = Image.Exif()
    exif[0x0132] = f"{year}:{month:02}:15 10:00:00"
    img.save(f"rec/{name}", quality=85, exif=exif)
    photo += 1
for year in (2027, 2028):
    for n in range(8):
        jpeg(f"协议{year}-{n}.jpg", year, 3)
        record(f"带徒-{year}-{n}", f'kind = "带徒"\ndate = "{year}-03-{10 + n}"\ntitle = "收徒{n}"\n'
               f'[apprentice]\nname = "学徒{year}{n}"\nid_number = "{ids[n % 3]}"\noccupation = "焊工"\n'
               f'level_at_start = "中级工"\nagreement = "协议{year}-{n}.jpg"\n')
    for n in range(4):
        record(f"带徒进展-{year}-{n}", f'kind = "带徒进展"\ndate = "{year}-11-{10 + n}"\ntitle = "取得高级工"\n'
               f'[progress]\napprentice = "带徒-{year}-{n}"\nname = "学徒{year}{n}"\nlevel = "高级工"\n'
               f'certificate_number = "S{year}{n:07}"\n')
    for n in range(4):
        month = 2 + n * 3
        files = ""
        for k in range(2):
            jpeg(f"活动{year}-{n}-{k}.jpg", year, month)
            files += f'[[files]]\nfile = "活动{year}-{n}-{k}.jpg"\nshows = "现场{k}"\n'
        record(f"活动-{year}-{n}", f'kind = "活动"\ndate = "{year}-{month:02}-15"\ntitle = "技术交流{n}"\n'
               f'[activity]\ncategory = "技术交流"\nplace = "工作室"\nparticipants = 20\nsummary = "交流"\n' + files)
    for n in range(2):
        record(f"成果-{year}-{n}", f'kind = "成果"\ndate = "{year}-0{5 + n}-01"\ntitle = "革新{n}"\n'
               f'[innovation]\ncategory = "技术革新"\nresult = "合格率提高"\nbenefit = 3.5\nspread = "协作企业"\n')
        record(f"制度-{year}-{n}", f'kind = "制度"\ndate = "{year}-01-{20 + n}"\ntitle = "制度{n}"\n'
               f'[rule]\nsummary = "办法"\n')
PY
export SOURCE_DATE_EPOCH=1860000000 # 2028-12-09
mapfile -d '' first < <(find rec -name '带徒-*.toml' -print0 | sort -z)
mapfile -d '' rest < <(find rec -name '*.toml' ! -name '带徒-*.toml' -print0 | sort -z)
"$dashi" record add A "${first[@]}" > /dev/null
"$dashi" record add A "${rest[@]}" > /dev/null
mkdir -p one
"$dashi" report A --from 2027-01 --to 2028-11 --json -o one/考核自评报告.pdf > one/考核自评报告.json 2> /dev/null
"$dashi" archive export A -o one/导出.zip > /dev/null
echo "one studio: $(find A -name '*.toml' -path '*记录*' | wc -l) records, $(find rec -name '*.jpg' | wc -l) photos; export $(du -h one/导出.zip | cut -f1)"
# The same submission from each of the studios, hard-linked (the work per studio is the
# same; the disk is not filled), each studio entered from a list by its folder's number.
printf '编号,工作室名称,领办人,依托单位,认定日期\n' > list.csv
for n in $(seq -f '%03g' 1 "$studios"); do
  cp -al one "sub/T$n" 2> /dev/null || { mkdir -p sub; cp -al one "sub/T$n"; }
  printf 'T%s,测试工作室%s,领办人%s,单位%s,2026-12-01\n' "$n" "$n" "$n" "$n" >> list.csv
done
round() {
  rm -rf L out
  "$dashi" ledger init L --经办人 测试 > /dev/null
  "$dashi" ledger enter L --list list.csv --经办人 测试 > /dev/null
  "$dashi" ledger round L sub --kind 考核 -o out --经办人 测试
}
export dashi
export -f round
round | tail -4
echo "round of $studios studios (init and enter included): $(best bash -c round)"
