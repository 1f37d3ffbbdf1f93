#!/usr/bin/env bash
# 四性检测 of an archive holding one large video: peak RSS and time of
# `dashi verify A --四性` against plain `dashi verify A` (prints figures; asserts nothing).
# The check streams every file: its memory does not follow the video's size.
# Usage: bash benches/four.sh [video MiB, default 400]
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-400}
# shellcheck source=benches/common.sh
source benches/common.sh
setup
cd "$work"
sample_archive
# An MP4 as a camera writes it: ftyp, moov with its mvhd (65.5 s), then the media data.
python3 - "$mib" <<'PY'
import os, struct, sys
mib = int(sys.argv[1])
def box(kind, body):
    return struct.pack(">I", 8 + len(body)) + kind + body
mvhd = bytearray(100)
mvhd[12:16] = struct.pack(">I", 1000)
mvhd[16:20] = struct.pack(">I", 65500)
head = box(b"ftyp", b"isom\0\0\0\0") + box(b"moov", box(b"mvhd", bytes(mvhd)))
with open("rec/录像.mp4", "wb") as f:
    f.write(head)
    f.write(struct.pack(">I", 8 + mib * 1024 * 1024) + b"mdat")
    for _ in range(mib):
        f.write(os.urandom(1024 * 1024))
PY
activity_record 活动-录像 录像.mp4
export SOURCE_DATE_EPOCH=1796400000
"$dashi" record add A rec/活动-录像.toml > /dev/null
"$dashi" archive commit A > /dev/null
echo "archive: $(du -sh A | cut -f1), video ${mib} MiB"
echo "dashi verify A:          $(best "$dashi" verify A)"
echo "dashi verify A --四性:   $(best "$dashi" verify A --四性)"
